package replay

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
)

// pywbSampleFiles are the WARC/ARC files pywb's tests/config_test.yaml
// serves as collection "pywb" (the files its sample_archive/cdx/*.cdx
// index).
var pywbSampleFiles = []string{"example.arc", "example.arc.gz", "example-extra.warc", "example.warc.gz", "dupes.warc.gz",
	"iana.warc.gz", "post-test.warc.gz", "httpbin-resource.warc.gz", "missing-status-text.warc",
	"example-url-agnostic-orig.warc.gz", "example-url-agnostic-revisit.warc.gz"}

// newPywbServer serves pywb's sample archive as collection "pywb".
func newPywbServer(t testing.TB) *httptest.Server {
	return newCollServer(t, "pywb", pywbSampleFiles...)
}

// newCollServer serves some of pywb's sample files as collection name.
func newCollServer(t testing.TB, name string, files ...string) *httptest.Server {
	t.Helper()
	d := sampleDir(t)
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(d, f))
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := New(ctx, Config{Paths: paths, Name: name, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}
