package index

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/internal/testneed"
)

func corpusDir(t testing.TB) string { return testcorpus.Dir(t) }

// indexSorted indexes one file as `warcbox index` does.
func indexSorted(t testing.TB, path string) []byte {
	t.Helper()
	var out bytes.Buffer
	sw := cdxj.NewSortedWriter(&out, cdxj.SortOptions{})
	_, err := BuildFile(context.Background(), path, Options{}, func(l *cdxj.Line) error { return sw.Add(l) })
	if err != nil {
		t.Fatalf("index %s: %v", path, err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func goldenFiles(t *testing.T) []string {
	b, err := os.ReadFile(filepath.Join("testdata", "warciojs", "FILES"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

// TestMatchesWarcioJSGolden: every corpus file warcio.js indexes correctly
// gives the same bytes.
func TestMatchesWarcioJSGolden(t *testing.T) {
	dir := corpusDir(t)
	files := goldenFiles(t)
	if len(files) < 80 {
		t.Fatalf("only %d golden files", len(files))
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", "warciojs", strings.ReplaceAll(f, "/", "__")+".cdxj"))
			if err != nil {
				t.Fatal(err)
			}
			got := indexSorted(t, filepath.Join(dir, f))
			if !bytes.Equal(got, want) {
				t.Errorf("index differs from warcio.js:\n got: %s\nwant: %s", firstDiff(got, want), firstDiff(want, got))
			}
		})
	}
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range al {
		if i >= len(bl) || al[i] != bl[i] {
			return al[i]
		}
	}
	return "(prefix)"
}

// TestMatchesWarcioJSLive runs the installed warcio.js (CI installs it in
// .ci/node) on the golden files again, so the goldens cannot go stale.
func TestMatchesWarcioJSLive(t *testing.T) {
	bin := filepath.Join("..", ".ci", "node", "node_modules", ".bin", "warcio")
	if _, err := os.Stat(bin); err != nil {
		testneed.Missing(t, "warcio.js not installed at %s; run: npm install --prefix .ci/node warcio@2.4.11", bin)
	}
	dir := corpusDir(t)
	for _, f := range goldenFiles(t)[:20] {
		out, err := exec.Command(bin, "cdx-index", filepath.Join(dir, f)).Output()
		if err != nil {
			t.Fatalf("warcio.js on %s: %v", f, err)
		}
		var lines []string
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		want := sortedLines(lines)
		if got := string(indexSorted(t, filepath.Join(dir, f))); got != want {
			t.Errorf("%s: index differs from live warcio.js", f)
		}
	}
}

func sortedLines(lines []string) string {
	var b bytes.Buffer
	sw := cdxj.NewSortedWriter(&b, cdxj.SortOptions{})
	for _, l := range lines {
		sw.AddBytes([]byte(l))
	}
	sw.Close()
	return b.String()
}

// TestWhereWarcioJSIsWrong pins warcbox's answers on files warcio.js gets
// wrong, so a change there is a decision, not an accident.
func TestWhereWarcioJSIsWrong(t *testing.T) {
	dir := corpusDir(t)
	cases := []struct {
		file, want string
	}{
		// warcio.js cannot read CR CR LF heads and loses the status; pywb reads 302.
		{"pywb/sample_archive/warcs/missing-status-text.warc", `org,iana)/bads 20140127171238 {"url":"http://iana.org/bads","status":"302",`},
		// warcio.js reads no ARC files ("undefined" keys); pywb indexes them with the payload's sha1.
		{"warcio/test/data/example.arc", `com,example)/ 20140216050221 {"url":"http://example.com/","mime":"text/html","status":"200","digest":"B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A","length":"1656","offset":"151","filename":"example.arc"}`},
		{"warcio/test/data/example.arc.gz", `com,example)/ 20140216050221 {"url":"http://example.com/","mime":"text/html","status":"200","digest":"B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A","length":"856","offset":"171","filename":"example.arc.gz"}`},
	}
	for _, c := range cases {
		got := string(indexSorted(t, filepath.Join(dir, c.file)))
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%s:\n got %s\nwant %s…", c.file, got, c.want)
		}
	}
	// Records without a target URI: warcio.js keys them "undefined".
	if got := indexSorted(t, filepath.Join(dir, "jwat/jwat-warc/src/test/resources/invalid-warcfile-lonely-monkeys.warc")); len(got) != 0 {
		t.Errorf("records without WARC-Target-URI indexed: %s", got)
	}
	// Whole-file gzip: warcio.js writes offsets that all point at the one
	// member; warcbox leaves such records out rather than write lies.
	got := indexSorted(t, filepath.Join(dir, "internetarchive-gowarc/testdata/warcs/good.warc.gz.open"))
	if n := bytes.Count(got, []byte("\n")); n != 1 {
		t.Errorf("whole-file gzip gave %d lines, want only the first record's", n)
	}
}

// TestParallelIndexIsSequentialIndex cuts a file of many gzip members into
// pieces and checks the lines are exactly those of the sequential pass.
func TestParallelIndexIsSequentialIndex(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpusDir(t), "pywb/sample_archive/warcs/iana.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	// 24 copies: 19 MB, 8,232 records, above the size at which files are cut.
	path := filepath.Join(t.TempDir(), "iana-x24.warc.gz")
	f, _ := os.Create(path)
	for i := 0; i < 24; i++ {
		f.Write(src)
	}
	f.Close()
	var seq, par bytes.Buffer
	collect := func(buf *bytes.Buffer) func(*cdxj.Line) error {
		return func(l *cdxj.Line) error {
			buf.WriteString(l.String())
			buf.WriteByte('\n')
			return nil
		}
	}
	st1, err := BuildFile(context.Background(), path, Options{}, collect(&seq))
	if err != nil {
		t.Fatal(err)
	}
	st2, err := BuildFileParallel(context.Background(), path, Options{}, 2, collect(&par))
	if err != nil {
		t.Fatal(err)
	}
	if st1.Lines != 24*171 || st2 != st1 {
		t.Errorf("stats: sequential %+v, parallel %+v", st1, st2)
	}
	if !bytes.Equal(seq.Bytes(), par.Bytes()) {
		t.Errorf("parallel lines differ from sequential:\n%s", firstDiff(par.Bytes(), seq.Bytes()))
	}
	f2, _ := os.Open(path)
	defer f2.Close()
	fi, _ := f2.Stat()
	if cuts := findCuts(f2, fi.Size(), minChunk); len(cuts) == 0 {
		t.Error("no cut found in a 19 MB per-record-gzip file")
	}
}
