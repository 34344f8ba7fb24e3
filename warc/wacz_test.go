package warc

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSplitMember(t *testing.T) {
	dir := t.TempDir()
	// A file whose name merely looks like a member stays a file.
	literal := filepath.Join(dir, "odd.wacz#archive/x.warc")
	os.MkdirAll(filepath.Dir(literal), 0o755)
	if err := os.WriteFile(literal, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, pkg, member string
		ok                bool
	}{
		{"a/b.wacz#archive/c.warc.gz", "a/b.wacz", "archive/c.warc.gz", true},
		{"a/B.WACZ#archive/sub/c.warc", "a/B.WACZ", "archive/sub/c.warc", true},
		{"a/b.warc.gz#archive/c.warc.gz", "", "", false},
		{"a/b.wacz#indexes/index.cdxj", "", "", false},
		{"page#1.warc", "", "", false},
		{literal, "", "", false},
	} {
		pkg, member, ok := SplitMember(tc.name)
		if pkg != tc.pkg || member != tc.member || ok != tc.ok {
			t.Errorf("SplitMember(%q) = %q, %q, %v; want %q, %q, %v", tc.name, pkg, member, ok, tc.pkg, tc.member, tc.ok)
		}
	}
	if _, err := Open("missing.wacz#archive/x.warc", Options{}); err == nil {
		t.Error("Open of a member of a missing package succeeded")
	}
}
