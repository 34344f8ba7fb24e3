package shard

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// -o names parts (a folder, a prefix) or one output, as the commands
// take it.
func TestOutputParts(t *testing.T) {
	dir := t.TempDir()
	o := Output{}
	for _, tc := range []struct {
		out  string
		want string // "dir", "objects" or "" (one output)
	}{
		{"", ""}, {"-", ""}, {dir, "dir"}, {dir + "/new/", "dir"}, {filepath.Join(dir, "x.jsonl"), ""},
		{"s3://b/p/", "objects"}, {"s3://b/p", "objects"}, {"s3://b/all.cdxj", ""}, {"s3://b/p/pages.JSONL", ""}, {"s3://b/x.parquet/", "objects"},
	} {
		got := ""
		switch o.Parts(tc.out).(type) {
		case Dir:
			got = "dir"
		case Objects:
			got = "objects"
		}
		if got != tc.want {
			t.Errorf("Parts(%q) = %q, want %q", tc.out, got, tc.want)
		}
	}
}

// One local output: written, kept on Commit; an https:// name is refused.
func TestOutputCreate(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.jsonl")
	o := Output{}
	w, err := o.Create(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("x\n"))
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "x\n" {
		t.Errorf("%q %v", b, err)
	}
	if _, err := o.Create(context.Background(), "https://h/x.jsonl"); err == nil {
		t.Errorf("an https:// output was accepted")
	}
}
