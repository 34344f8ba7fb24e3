package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A looping link beside good WARCs used to make `index DIR` and
// `extract DIR` exit 1 with no output: the good files are read now, the
// link is reported by name, and the exit status still says something failed.
func TestReadingCommandsKeepGoodFilesPastABadPath(t *testing.T) {
	src, err := os.ReadFile(corpus(t, "pywb/sample_archive/warcs/example.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "good.warc.gz"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(dir, "loop.warc.gz")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string // in stdout
	}{
		{[]string{"index", dir}, "com,example)/"},
		{[]string{"ls", dir}, "http://example.com?example=1"},
		{[]string{"extract", "--no-body", dir}, `"url":"http://example.com?example=1"`},
	} {
		code, stdout, stderr := runCmd(t, tc.args...)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", tc.args[0], code)
		}
		if !strings.Contains(stdout, tc.want) {
			t.Errorf("%s: good.warc.gz not read; stdout %q", tc.args[0], stdout)
		}
		if !strings.Contains(stderr, "loop.warc.gz") {
			t.Errorf("%s: the looping link is not named; stderr %q", tc.args[0], stderr)
		}
	}
}
