package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// --rendered-case reaches the extractor: a byline the page's own <style>
// sets in capitals comes out in capitals with it, as written without it.
func TestExtractCommandRenderedCase(t *testing.T) {
	body := `<html><head><title>Story</title><style>.by a{text-transform:uppercase}</style></head><body><article>
<h1>Story</h1><p class="by">By <a href="/author/jane">Jane Doe</a></p><p>` + strings.Repeat("Text of the story. ", 30) + `</p></article></body></html>`
	http := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	rec := fmt.Sprintf("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000001-0000-4000-8000-000000000000>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: https://news.test/story\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", len(http), http)
	path := filepath.Join(t.TempDir(), "case.warc")
	if err := os.WriteFile(path, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rendered bool
		want     string
	}{{false, "Jane Doe"}, {true, "JANE DOE"}} {
		var out, errOut bytes.Buffer
		g := &globalOptions{stdout: &out, stderr: &errOut}
		opts := &extractOptions{Format: "jsonl", MaxBytes: 1 << 20, NoBody: true, RenderedCase: tc.rendered}
		if err := runExtract(context.Background(), opts, g, []string{path}); err != nil {
			t.Fatal(err)
		}
		var row struct{ Authors []string }
		if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &row); err != nil {
			t.Fatalf("%v: %q %s", err, out.String(), errOut.String())
		}
		if !slices.Equal(row.Authors, []string{tc.want}) {
			t.Errorf("--rendered-case=%v: authors %q, want %q", tc.rendered, row.Authors, tc.want)
		}
	}
}
