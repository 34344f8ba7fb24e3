package main

import (
	"strings"
	"testing"
)

func TestLsAndCat(t *testing.T) {
	f := corpus(t, "pywb/sample_archive/warcs/example.warc.gz")
	code, out, _ := runCmd(t, "ls", f)
	if code != 0 || !strings.Contains(out, "333     1043    response  2014-01-03T03:03:21Z  http://example.com?example=1") {
		t.Errorf("ls: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "cat", f, "--offset", "333", "--payload")
	if code != 0 || !strings.HasPrefix(out, "<!doctype html>") {
		t.Errorf("cat --payload: exit %d, %.40q", code, out)
	}
	code, out, _ = runCmd(t, "cat", f, "--offset", "333")
	if code != 0 || !strings.HasPrefix(out, "WARC/1.0\r\nWARC-Type: response\r\n") || !strings.Contains(out, "HTTP/1.1 200 OK") {
		t.Errorf("cat: exit %d, %.80q", code, out)
	}
	if code, _, stderr := runCmd(t, "cat", f, "--offset", "10"); code != 1 || stderr == "" {
		t.Errorf("cat at a bad offset: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCmd(t, "ls"); code != 2 {
		t.Errorf("ls without a file: exit %d, want 2 (usage)", code)
	}
}
