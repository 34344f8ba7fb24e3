package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/extract"
	"github.com/warcbox/warcbox/shard"
	"github.com/warcbox/warcbox/warc"
)

// shardCollection copies a few corpus WARCs of several producers, without
// revisits whose original is in another file, into one folder.
func shardCollection(t *testing.T, withRevisits bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "coll")
	os.MkdirAll(dir, 0o755)
	files := []string{
		"pywb/sample_archive/warcs/iana.warc.gz",
		"pywb/sample_archive/warcs/example2.warc.gz",
		"pywb/sample_archive/warcs/example-wget-1-14.warc.gz",
		"pywb/sample_archive/warcs/example-wpull.warc.gz",
		"whirlwind-python/whirlwind.warc.gz",
		"warcio/test/data/example-iana.org-chunked.warc",
	}
	if withRevisits {
		// Revisits whose originals are in the same file.
		files = append(files, "pywb/sample_archive/warcs/dupes.warc.gz", "pywb/sample_archive/warcs/example.warc.gz")
	}
	for _, rel := range files {
		b, err := os.ReadFile(corpus(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(rel)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := runCmd(t, args...)
	if code != 0 {
		t.Fatalf("warcbox %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// selectionFiles writes the rows of a CDXJ index as Common Crawl's CDX API
// JSON lines, as cc-index-table CSV and as cc-index-table Parquet.
func selectionFiles(t *testing.T, index string) (jsonl, csvPath, pq string) {
	t.Helper()
	dir := t.TempDir()
	type row struct {
		URL    string `parquet:"url"`
		File   string `parquet:"warc_filename"`
		Offset int32  `parquet:"warc_record_offset"`
		Length int32  `parquet:"warc_record_length"`
	}
	var rows []row
	var js bytes.Buffer
	var cs bytes.Buffer
	cw := csv.NewWriter(&cs)
	cw.Write([]string{"url", "warc_filename", "warc_record_offset", "warc_record_length"})
	for _, l := range lines(index) {
		cl, err := cdxj.Parse([]byte(l))
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row{cl.URL, cl.Filename, int32(cl.Offset), int32(cl.Length)})
		b, _ := json.Marshal(map[string]string{"urlkey": cl.Key, "url": cl.URL, "filename": cl.Filename,
			"offset": strconv.FormatInt(cl.Offset, 10), "length": strconv.FormatInt(cl.Length, 10)})
		js.Write(append(b, '\n'))
		cw.Write([]string{cl.URL, cl.Filename, strconv.FormatInt(cl.Offset, 10), strconv.FormatInt(cl.Length, 10)})
	}
	cw.Flush()
	jsonl, csvPath, pq = filepath.Join(dir, "sel.json"), filepath.Join(dir, "sel.csv"), filepath.Join(dir, "sel.parquet")
	os.WriteFile(jsonl, js.Bytes(), 0o644)
	os.WriteFile(csvPath, cs.Bytes(), 0o644)
	f, err := os.Create(pq)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[row](f)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	w.Close()
	f.Close()
	return jsonl, csvPath, pq
}

// extract --records over an index of whole files gives, byte for byte, what
// extracting the files gives, from every kind of records file.
func TestExtractRecordsMatchesFiles(t *testing.T) {
	dir := shardCollection(t, false)
	want := mustRun(t, "extract", "-q", "--no-fallback", dir)
	if len(lines(want)) < 15 {
		t.Fatalf("only %d pages in the collection", len(lines(want)))
	}
	// File names in the index are relative: --base resolves them.
	index := filepath.Join(t.TempDir(), "coll.cdxj")
	mustRun(t, "index", "-q", "-o", index, dir)
	idx, _ := os.ReadFile(index)
	jsonl, csvPath, pq := selectionFiles(t, string(idx))
	for _, sel := range []string{index, jsonl, csvPath, pq} {
		got := mustRun(t, "extract", "-q", "--no-fallback", "--records", sel, "--base", dir)
		if got != want {
			t.Errorf("extract --records %s differs from extract of the files:\n%s", filepath.Base(sel), firstDiff(got, want))
		}
	}
	// Sharded by rows: the union of the shards is the whole.
	var union []string
	for i := range 3 {
		union = append(union, lines(mustRun(t, "extract", "-q", "--no-fallback", "--records", pq, "--base", dir, "--shard", fmt.Sprintf("%d/3", i)))...)
	}
	slices.Sort(union)
	all := lines(want)
	slices.Sort(all)
	if !slices.Equal(union, all) {
		t.Errorf("union of 3 row shards: %d lines, whole run %d", len(union), len(all))
	}
}

func firstDiff(a, b string) string {
	la, lb := lines(a), lines(b)
	for i := range max(len(la), len(lb)) {
		if i >= len(la) || i >= len(lb) || la[i] != lb[i] {
			g, w := "<none>", "<none>"
			if i < len(la) {
				g = la[i]
			}
			if i < len(lb) {
				w = lb[i]
			}
			return fmt.Sprintf("line %d:\n got %.300s\nwant %.300s", i+1, g, w)
		}
	}
	return "no line differs"
}

// A row with a bad offset, one past the end of its file and one naming a
// missing file each get an error naming file and offset; the other rows
// are extracted and the exit status is 1.
func TestExtractRecordsBadRows(t *testing.T) {
	dir := shardCollection(t, false)
	index := mustRun(t, "index", "-q", filepath.Join(dir, "iana.warc.gz"))
	ls := lines(index)
	cl, _ := cdxj.Parse([]byte(ls[0]))
	bad := []string{
		fmt.Sprintf(`{"filename": "iana.warc.gz", "offset": %d, "length": %d}`, cl.Offset+3, cl.Length),
		`{"filename": "iana.warc.gz", "offset": 99999999, "length": 10}`,
		`{"filename": "gone.warc.gz", "offset": 0, "length": 10}`,
		`{"filename": "iana.warc.gz", "offset": "x", "length": 10}`,
	}
	sel := filepath.Join(t.TempDir(), "sel.cdxj")
	os.WriteFile(sel, []byte(strings.Join(append(bad, ls...), "\n")), 0o644)
	code, out, errs := runCmd(t, "extract", "--no-fallback", "--records", sel, "--base", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	want := mustRun(t, "extract", "-q", "--no-fallback", filepath.Join(dir, "iana.warc.gz"))
	if out != want {
		t.Errorf("good rows not all extracted:\n%s", firstDiff(out, want))
	}
	for _, s := range []string{
		fmt.Sprintf("iana.warc.gz: offset %d:", cl.Offset+3),
		"iana.warc.gz: offset 99999999: range beyond the end of the file",
		"gone.warc.gz: offset 0:",
		"sel.cdxj: row 4:",
		"4 of " + strconv.Itoa(len(ls)+4) + " selected rows failed",
	} {
		if !strings.Contains(errs, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errs)
		}
	}
}

// cat --records prints the selected records as one WARC file.
func TestCatRecords(t *testing.T) {
	dir := shardCollection(t, false)
	index := filepath.Join(t.TempDir(), "iana.cdxj")
	mustRun(t, "index", "-q", "-o", index, filepath.Join(dir, "iana.warc.gz"))
	out := mustRun(t, "cat", "--records", index, "--base", dir)
	w := filepath.Join(t.TempDir(), "sel.warc")
	os.WriteFile(w, []byte(out), 0o644)
	if code, rep, _ := runCmd(t, "verify", w); code != 0 {
		t.Errorf("cat --records output does not verify:\n%s", rep)
	}
	// Its index lists the same captures as the source's.
	re := mustRun(t, "index", "-q", w)
	strip := func(s string) []string {
		var out []string
		for _, l := range lines(s) {
			c, _ := cdxj.Parse([]byte(l))
			out = append(out, c.Key+" "+c.Timestamp+" "+c.URL+" "+c.Digest+" "+c.Status)
		}
		slices.Sort(out)
		return out
	}
	src, _ := os.ReadFile(index)
	if !slices.Equal(strip(re), strip(string(src))) {
		t.Errorf("records printed differ from those selected")
	}
}

// Shards by file cover every input once, and -o DIR/ parts are resumable:
// a rerun skips complete parts, a removed part is made again, a failed
// input leaves no part, and nothing but complete parts is left visible.
func TestExtractPartsResumable(t *testing.T) {
	dir := shardCollection(t, true)
	want := lines(mustRun(t, "extract", "-q", "--no-fallback", dir))
	out := filepath.Join(t.TempDir(), "out") + "/"
	for i := range 3 {
		mustRun(t, "extract", "-q", "--no-fallback", "--shard", fmt.Sprintf("%d/3", i), "-o", out, dir)
	}
	ents, _ := os.ReadDir(out)
	if len(ents) != 8 {
		t.Fatalf("%d parts for 8 inputs: %v", len(ents), ents)
	}
	var union []string
	stamps := map[string]time.Time{}
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(out, e.Name()))
		union = append(union, lines(string(b))...)
		fi, _ := e.Info()
		stamps[e.Name()] = fi.ModTime()
	}
	slices.Sort(union)
	slices.Sort(want)
	if !slices.Equal(union, want) {
		t.Fatalf("union of parts (%d lines) differs from one run (%d lines)", len(union), len(want))
	}
	os.Remove(filepath.Join(out, "iana.jsonl"))
	_, _, errs := runCmd(t, "extract", "--no-fallback", "-o", out, dir)
	if n := strings.Count(errs, "part already complete, skipped"); n != 7 {
		t.Errorf("rerun skipped %d parts, want 7:\n%s", n, errs)
	}
	for name, ts := range stamps {
		fi, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if name != "iana.jsonl" && !fi.ModTime().Equal(ts) {
			t.Errorf("complete part %s rewritten", name)
		}
	}
	b, _ := os.ReadFile(filepath.Join(out, "iana.jsonl"))
	if len(lines(string(b))) != 16 {
		t.Errorf("remade part has %d lines", len(lines(string(b))))
	}

	// An input that fails: its part is not written, the others are.
	out2 := t.TempDir()
	var stdout, stderr bytes.Buffer
	g := &globalOptions{stdout: &stdout, stderr: &stderr}
	opts := &extractOptions{Format: "jsonl", MaxBytes: extract.DefaultMaxBytes}
	inputs := []warc.Input{
		{Name: filepath.Join(dir, "missing.warc.gz"), Path: filepath.Join(dir, "missing.warc.gz")},
		{Name: filepath.Join(dir, "example2.warc.gz"), Path: filepath.Join(dir, "example2.warc.gz")},
	}
	err := runExtractParts(context.Background(), opts, g, shard.Spec{}, inputs, shard.Dir{Path: out2}, nil)
	if err == nil || !strings.Contains(err.Error(), "missing.warc.gz") {
		t.Errorf("failed input not reported: %v", err)
	}
	ents, _ = os.ReadDir(out2)
	if len(ents) != 1 || ents[0].Name() != "example2.jsonl" {
		t.Errorf("parts after a failed input: %v", ents)
	}
}

// --records with -o DIR/ writes one part per shard; a shard with a failed
// row is not renamed as complete.
func TestExtractRecordsParts(t *testing.T) {
	dir := shardCollection(t, false)
	index := filepath.Join(t.TempDir(), "sel.cdxj")
	mustRun(t, "index", "-q", "-o", index, dir)
	out := t.TempDir()
	for i := range 2 {
		mustRun(t, "extract", "-q", "--no-fallback", "--records", index, "--base", dir, "--shard", fmt.Sprintf("%d/2", i), "-o", out)
	}
	for _, n := range []string{"sel-0-of-2.jsonl", "sel-1-of-2.jsonl"} {
		if _, err := os.Stat(filepath.Join(out, n)); err != nil {
			t.Errorf("part %s: %v", n, err)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.cdxj")
	b, _ := os.ReadFile(index)
	os.WriteFile(bad, append([]byte(`{"filename": "iana.warc.gz", "offset": 5, "length": 100}`+"\n"), b...), 0o644)
	if code, _, _ := runCmd(t, "extract", "-q", "--no-fallback", "--records", bad, "--base", dir, "-o", out); code != 1 {
		t.Errorf("exit %d with a bad row", code)
	}
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "bad") || strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("failed shard left %s", e.Name())
		}
	}
}

// index parts per input, from several shards, merge into what indexing
// everything at once writes, byte for byte.
func TestIndexPartsMerge(t *testing.T) {
	dir := shardCollection(t, true)
	want := mustRun(t, "index", "-q", dir)
	parts := filepath.Join(t.TempDir(), "parts") + "/"
	for i := range 3 {
		mustRun(t, "index", "-q", "--shard", fmt.Sprintf("%d/3", i), "-o", parts, dir)
	}
	if got := mustRun(t, "index", "--merge", parts); got != want {
		t.Errorf("merged parts differ from one index:\n%s", firstDiff(got, want))
	}
	merged := filepath.Join(t.TempDir(), "all.cdxj")
	mustRun(t, "index", "--merge", "-o", merged, parts)
	b, _ := os.ReadFile(merged)
	if string(b) != want {
		t.Errorf("merge -o differs")
	}
	// Stdin paths keep working with parts (Spark's RDD.pipe, Hadoop streaming).
	var paths bytes.Buffer
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		fmt.Fprintln(&paths, filepath.Join(dir, e.Name()))
	}
	out := t.TempDir()
	var so, se bytes.Buffer
	if code := run([]string{"extract", "-q", "--no-fallback", "-o", out, "-"}, bufio.NewReader(&paths), &so, &se); code != 0 {
		t.Fatalf("extract - : exit %d %s", code, se.String())
	}
	if got, _ := os.ReadDir(out); len(got) != len(ents) {
		t.Errorf("%d parts from %d paths on stdin", len(got), len(ents))
	}
}
