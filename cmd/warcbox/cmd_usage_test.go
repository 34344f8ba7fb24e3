package main

import (
	"strings"
	"testing"
)

// An unknown command is bad usage (exit 2), as the help says, not a failure.
func TestUnknownCommandIsUsage(t *testing.T) {
	code, _, stderr := runCmd(t, "nosuch")
	if code != exitUsage || !strings.Contains(stderr, `unknown command "nosuch"`) {
		t.Errorf("exit %d, stderr %q; want %d and the command named", code, stderr, exitUsage)
	}
}

// pflag takes a back-quoted word in a flag's help as its value's name:
// `ls` once made the help read "--offset ls".
func TestCatHelpNamesOffsetValue(t *testing.T) {
	code, stdout, _ := runCmd(t, "cat", "--help")
	if code != 0 || !strings.Contains(stdout, "--offset N ") || strings.Contains(stdout, "--offset ls") {
		t.Errorf("exit %d, help:\n%s", code, stdout)
	}
}

// warcio's example-space-in-url.arc is valid (PROVENANCE.md); its last
// record stops 12 bytes short, which verify calls a warning. ls exited 1 on it.
func TestLsWarnsOnShortLastARCRecord(t *testing.T) {
	f := corpus(t, "warcio/test/data/example-space-in-url.arc")
	code, stdout, stderr := runCmd(t, "ls", f)
	if code != 0 || !strings.Contains(stdout, "FuseAction=Email") || !strings.Contains(stderr, "warning") {
		t.Errorf("ls: exit %d, stdout %q, stderr %q; want 0, the record listed, a warning", code, stdout, stderr)
	}
	if code, _, _ := runCmd(t, "verify", f); code != 0 {
		t.Errorf("verify: exit %d, want 0", code)
	}
	if code, _, _ := runCmd(t, "--strict", "ls", f); code != 1 {
		t.Errorf("ls --strict: exit %d, want 1", code)
	}
}
