package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/tests3"
)

// A revisit selected by --records without its original's row (another
// shard took it, or the selection left it out) is extracted from its
// original, found through the records index (or --originals) by the
// revisit's URL and date or digest, as extracting the whole file does; a
// revisit whose original no index holds is named in the log (file,
// offset, URL, reason), counted, and not a failure. cat --records
// --payload prints the original's payload for a revisit.
func TestRecordsRevisitAcrossParts(t *testing.T) {
	dir := shardCollection(t, true)
	full := filepath.Join(t.TempDir(), "full.cdxj")
	mustRun(t, "index", "-q", "--no-search", "-o", full, dir)
	ex := filepath.Join(dir, "example.warc.gz")
	whole := mustRun(t, "extract", "-q", "--no-fallback", ex)
	var want string
	for _, l := range lines(whole) {
		if strings.Contains(l, `"warc_offset":1864`) {
			want = l + "\n"
		}
	}
	if want == "" {
		t.Fatalf("whole-file extract has no row for the revisit at 1864:\n%s", whole)
	}
	// Only the revisit's row: its original is not selected.
	var rev string
	b, _ := os.ReadFile(full)
	for _, l := range lines(string(b)) {
		if strings.Contains(l, `"offset":"1864"`) && strings.Contains(l, "example.warc.gz") {
			rev = l
		}
	}
	sel := filepath.Join(t.TempDir(), "sel.cdxj")
	os.WriteFile(sel, []byte(rev+"\n"), 0o644)

	code, out, errs := runCmd(t, "extract", "--no-fallback", "--records", sel, "--base", dir)
	if code != 0 || out != "" || !strings.Contains(errs, "revisit skipped, its original was not found") ||
		!strings.Contains(errs, "offset=1864") || !strings.Contains(errs, `url="http://example.com?example=1"`) ||
		!strings.Contains(errs, "no capture of it") || !strings.Contains(errs, "revisits_unresolved=1") {
		t.Errorf("unresolved revisit: exit %d, out %q\n%s", code, out, errs)
	}
	got := mustRun(t, "extract", "-q", "--no-fallback", "--records", sel, "--base", dir, "--originals", full)
	if got != want {
		t.Errorf("revisit from --originals differs from the whole-file row:\n%s", firstDiff(got, want))
	}

	// Shards of the full index: the union equals extracting every file,
	// revisits included, though originals and revisits fall in different
	// shards.
	all := mustRun(t, "extract", "-q", "--no-fallback", "--records", full, "--base", dir)
	var union []string
	for i := range 3 {
		union = append(union, lines(mustRun(t, "extract", "-q", "--no-fallback", "--records", full, "--base", dir, "--shard", []string{"0/3", "1/3", "2/3"}[i]))...)
	}
	slices.Sort(union)
	allLines := lines(all)
	slices.Sort(allLines)
	if !slices.Equal(union, allLines) {
		t.Errorf("shards of --records: %d rows, one run %d", len(union), len(allLines))
	}
	if !strings.Contains(all, `"warc_offset":1864`) {
		t.Errorf("the full --records run has no revisit row")
	}

	// cat --payload of the revisit row prints the original's payload.
	orig := mustRun(t, "cat", "--payload", "--offset", "333", ex)
	if got := mustRun(t, "cat", "--payload", "--records", sel, "--base", dir, "--originals", full); got != orig || len(orig) < 100 {
		t.Errorf("cat --payload of a revisit: %d bytes, original %d", len(got), len(orig))
	}
	code, _, errs = runCmd(t, "cat", "--payload", "--records", sel, "--base", dir)
	if code != 1 || !strings.Contains(errs, "example.warc.gz") || !strings.Contains(errs, "1864") || !strings.Contains(errs, "original not found") {
		t.Errorf("cat --payload of an unresolvable revisit: exit %d\n%s", code, errs)
	}

	// The same from versitygw: collection, selection and index in S3.
	srv := tests3.Start(t)
	srv.Bucket(t, "revs")
	srv.PutDir(t, "revs", "coll", dir)
	srv.PutFile(t, "revs", "full.cdxj", full)
	srv.PutFile(t, "revs", "sel.cdxj", sel)
	got = mustRun(t, "extract", "-q", "--no-fallback", "--records", "s3://revs/sel.cdxj", "--base", "s3://revs/coll/", "--originals", "s3://revs/full.cdxj")
	if w := strings.ReplaceAll(want, dir+"/", "s3://revs/coll/"); got != w {
		t.Errorf("revisit from S3 differs:\n%s", firstDiff(got, w))
	}
}
