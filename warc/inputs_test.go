package warc

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writePackage writes a WACZ-shaped zip with the given members stored.
func writePackage(t *testing.T, path string, members ...string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, m := range members {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("WARC/1.1\r\n"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func names(in []Input) []string {
	var out []string
	for _, i := range in {
		out = append(out, i.Name)
	}
	return out
}

func TestIsArchiveFile(t *testing.T) {
	for name, want := range map[string]bool{
		"a.warc": true, "a.WARC.GZ": true, "a.warc.zst": true, "a.arc": true, "a.arc.gz": true,
		"a.warc.gz.open": true, "a.warc.open": true, "a.warc.zst.open": true,
		"a.cdxj": false, "a.wacz": false, "a.open": false, "warc": false, "a.warc.gz.bak": false,
	} {
		if got := IsArchiveFile(name); got != want {
			t.Errorf("IsArchiveFile(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestExpandFolder(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b/2.warc.gz", "a.warc", "c.arc.gz", "z.warc.zst", "w.warc.gz.open", "notes.txt", "a.cdxj"} {
		writeFile(t, filepath.Join(dir, n), "x")
	}
	writePackage(t, filepath.Join(dir, "p.wacz"), "archive/y.warc.gz", "archive/x.warc", "pages/pages.jsonl", "archive/readme.txt")
	got, err := Expand([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.warc", "b/2.warc.gz", "c.arc.gz", "p.wacz#archive/x.warc", "p.wacz#archive/y.warc.gz", "w.warc.gz.open", "z.warc.zst"}
	for i := range want {
		want[i] = filepath.Join(dir, want[i])
	}
	if g := names(got); !slices.Equal(g, want) {
		t.Fatalf("Expand(dir) = %q\nwant %q", g, want)
	}
	m := got[3]
	if m.Path != filepath.Join(dir, "p.wacz") || m.Member != "archive/x.warc" || m.Size != int64(len("WARC/1.1\r\n")) {
		t.Errorf("member input = %+v", m)
	}
	if got[0].Size != 1 || got[0].Member != "" || got[0].Path != got[0].Name {
		t.Errorf("file input = %+v", got[0])
	}
}

func TestExpandArgsGlobStdinAndOrder(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"1.warc.gz", "2.warc.gz", "3.warc.gz", "odd-name.bin"} {
		writeFile(t, filepath.Join(dir, n), "x")
	}
	stdin := strings.NewReader(filepath.Join(dir, "3.warc.gz") + "\n\n  " + filepath.Join(dir, "odd-name.bin") + "\n")
	got, err := Expand([]string{filepath.Join(dir, "[12].warc.gz"), "-", "-"}, stdin)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1.warc.gz", "2.warc.gz", "3.warc.gz", "odd-name.bin"}
	for i := range want {
		want[i] = filepath.Join(dir, want[i])
	}
	// A file named explicitly is read whatever its name; "-" twice reads stdin once.
	if g := names(got); !slices.Equal(g, want) {
		t.Fatalf("Expand = %q, want %q", g, want)
	}
}

// A path that cannot be used is reported by name and the others are kept:
// a looping link in a folder used to fail `index DIR` and `extract DIR`
// with nothing read.
func TestExpandKeepsGoodInputsPastBadOnes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "good.warc.gz"), "x")
	loop := filepath.Join(dir, "loop.warc.gz")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "gone.warc"), filepath.Join(dir, "broken.warc")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "bad.wacz"), "not a zip")
	missing := filepath.Join(dir, "missing.warc.gz")
	got, err := Expand([]string{dir, missing, filepath.Join(dir, "*.nothing")}, nil)
	if g := names(got); !slices.Equal(g, []string{filepath.Join(dir, "good.warc.gz")}) {
		t.Fatalf("inputs = %q, want only good.warc.gz", g)
	}
	if err == nil {
		t.Fatal("no error for the bad paths")
	}
	var bad []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ie *InputError
		if !errors.As(e, &ie) {
			t.Fatalf("problem %v is not an *InputError", e)
		}
		bad = append(bad, filepath.Base(ie.Path))
	}
	slices.Sort(bad)
	if want := []string{"*.nothing", "bad.wacz", "broken.warc", "loop.warc.gz", "missing.warc.gz"}; !slices.Equal(bad, want) {
		t.Errorf("reported %q, want %q (err: %v)", bad, want, err)
	}
	if errors.Is(err, ErrNoInputs) {
		t.Error("ErrNoInputs with an input found")
	}
	if _, err := Expand([]string{missing}, nil); !errors.Is(err, ErrNoInputs) || !strings.Contains(err.Error(), "missing.warc.gz") {
		t.Errorf("Expand(missing) = %v, want ErrNoInputs naming the path", err)
	}
}

func TestExpandNamedMember(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "p.wacz")
	writePackage(t, pkg, "archive/a.warc", "archive/b.warc")
	got, err := Expand([]string{pkg + "#archive/b.warc"}, nil)
	if err != nil || len(got) != 1 || got[0].Member != "archive/b.warc" || got[0].Path != pkg {
		t.Fatalf("Expand(member) = %+v, %v", got, err)
	}
	if _, err := Expand([]string{pkg + "#archive/c.warc"}, nil); err == nil || !strings.Contains(err.Error(), "no WARC archive/c.warc") {
		t.Errorf("missing member: %v", err)
	}
}
