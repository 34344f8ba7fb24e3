package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/warcbox/warcbox/internal/tests3"
)

// dedupCollection is shardCollection with copies of three WARCs under
// other names, sorting before and after their originals: every page of a
// copy repeats a payload of another file (and iana.warc.gz holds revisits
// of its own pages, which carry their originals' digests).
func dedupCollection(t *testing.T) string {
	t.Helper()
	dir := shardCollection(t, false)
	for from, to := range map[string]string{"example2.warc.gz": "aa-example2-copy.warc.gz",
		"example-iana.org-chunked.warc": "zz-chunked-copy.warc", "whirlwind.warc.gz": "zz-whirlwind-copy.warc.gz"} {
		b, err := os.ReadFile(filepath.Join(dir, from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// digests returns the payload digests of JSON lines, and whether one
// repeats.
func digests(t *testing.T, out []string) (ds []string, repeated bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, l := range out {
		var a struct {
			PayloadDigest string `json:"payload_digest"`
		}
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatal(err)
		}
		if a.PayloadDigest != "" && seen[a.PayloadDigest] {
			repeated = true
		}
		seen[a.PayloadDigest] = true
		ds = append(ds, a.PayloadDigest)
	}
	return ds, repeated
}

func sortedLines(s string) []string {
	l := lines(s)
	slices.Sort(l)
	return l
}

// shardUnion runs extract once per shard with args, to stdout and to
// parts in a folder, and returns both unions, sorted.
func shardUnion(t *testing.T, n int, args ...string) (stdout, parts []string) {
	t.Helper()
	out := t.TempDir() + "/"
	for i := range n {
		a := append(slices.Clone(args), "--shard", fmt.Sprintf("%d/%d", i, n))
		stdout = append(stdout, lines(mustRun(t, append([]string{"extract", "-q", "--no-body"}, a...)...))...)
		mustRun(t, append([]string{"extract", "-q", "--no-body", "-o", out}, a...)...)
	}
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, lines(string(b))...)
	}
	slices.Sort(stdout)
	slices.Sort(parts)
	return stdout, parts
}

// --dedup across shards, whole files: with --dedup-index (a CDXJ of the
// collection), each shard keeps a page only if it is the first record of
// its payload digest in input order, then offset, so N shards (to stdout
// or to parts) output exactly what one run with --dedup outputs.
func TestExtractDedupAcrossShards(t *testing.T) {
	dir := dedupCollection(t)
	all := lines(mustRun(t, "extract", "-q", "--no-body", dir))
	one := mustRun(t, "extract", "-q", "--no-body", "--dedup", dir)
	ds, rep := digests(t, lines(one))
	if rep || len(ds) > len(all)-3 {
		t.Fatalf("one run with --dedup: %d pages of %d, a digest repeated: %v", len(ds), len(all), rep)
	}
	idx := filepath.Join(t.TempDir(), "coll.cdxj")
	mustRun(t, "index", "-q", "--no-search", "-o", idx, dir)
	if got := mustRun(t, "extract", "-q", "--no-body", "--dedup-index", idx, dir); got != one {
		t.Errorf("one run with --dedup-index differs from --dedup:\n%s", firstDiff(got, one))
	}
	// A gzipped index is known by its bytes, not its name.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(mustReadFile(t, idx)))
	zw.Close()
	gzIdx := filepath.Join(t.TempDir(), "coll-index")
	if err := os.WriteFile(gzIdx, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := mustRun(t, "extract", "-q", "--no-body", "--dedup-index", gzIdx, dir); got != one {
		t.Errorf("--dedup-index gzipped under a name without .gz:\n%s", firstDiff(got, one))
	}
	want := sortedLines(one)
	// Without the index, --dedup works within a part only: the copies
	// come out again.
	_, plain := shardUnion(t, 3, "--dedup", dir)
	if len(plain) <= len(want) {
		t.Errorf("--dedup without an index across 3 shards: %d pages, one run %d (copies should repeat)", len(plain), len(want))
	}
	for _, n := range []int{2, 3} {
		stdout, parts := shardUnion(t, n, "--dedup-index", idx, dir)
		if !slices.Equal(stdout, want) {
			t.Errorf("%d shards to stdout: %d pages, one run %d", n, len(stdout), len(want))
		}
		if !slices.Equal(parts, want) {
			t.Errorf("%d shards to parts: %d pages, one run %d", n, len(parts), len(want))
		}
	}
	// A bad line in the index is named and skipped; the rest is used.
	b, _ := os.ReadFile(idx)
	bad := filepath.Join(t.TempDir(), "bad.cdxj")
	os.WriteFile(bad, append([]byte("not an index line\n"), b...), 0o644)
	code, got, errs := runCmd(t, "extract", "--no-body", "--dedup-index", bad, dir)
	if code != 0 || got != one || !strings.Contains(errs, "dedup index line skipped") || !strings.Contains(errs, "offset=0") {
		t.Errorf("bad index line: exit %d, %d lines\n%s", code, len(lines(got)), errs)
	}
	// A missing index is an error naming it.
	if code, _, errs := runCmd(t, "extract", "--dedup-index", filepath.Join(dir, "none.cdxj"), dir); code == 0 || !strings.Contains(errs, "none.cdxj") {
		t.Errorf("missing index: exit %d\n%s", code, errs)
	}
}

// --dedup across shards with --records: rows carry digests, the first row
// of a digest in the records file wins whatever the shard, and the union of
// the shards is one run's output; the repeated rows are not fetched.
func TestExtractRecordsDedupAcrossShards(t *testing.T) {
	dir := dedupCollection(t)
	idx := filepath.Join(t.TempDir(), "coll.cdxj")
	mustRun(t, "index", "-q", "--no-search", "-o", idx, dir)
	all := lines(mustRun(t, "extract", "-q", "--no-body", "--records", idx, "--base", dir))
	_, errs := mustRunErr(t, "extract", "--no-body", "--dedup", "--records", idx, "--base", dir)
	if !strings.Contains(errs, "repeated_digests=") || strings.Contains(errs, "repeated_digests=0 ") {
		t.Errorf("no repeated rows counted:\n%s", errs)
	}
	one := mustRun(t, "extract", "-q", "--no-body", "--dedup", "--records", idx, "--base", dir)
	ds, rep := digests(t, lines(one))
	if rep || len(ds) > len(all)-3 {
		t.Fatalf("one run with --dedup: %d pages of %d, a digest repeated: %v", len(ds), len(all), rep)
	}
	want := sortedLines(one)
	jsonl, _, _ := selectionFiles(t, mustReadFile(t, idx))
	for _, n := range []int{2, 3} {
		stdout, parts := shardUnion(t, n, "--dedup", "--records", idx, "--base", dir)
		if !slices.Equal(stdout, want) || !slices.Equal(parts, want) {
			t.Errorf("%d row shards: %d and %d pages, one run %d", n, len(stdout), len(parts), len(want))
		}
	}
	// Rows without digests (this JSON has none) fall back to dedup within
	// the part, as before.
	if got := lines(mustRun(t, "extract", "-q", "--no-body", "--dedup", "--records", jsonl, "--base", dir)); len(got) != len(want) {
		t.Errorf("rows without digests, one run: %d pages, want %d", len(got), len(want))
	}
	if code, _, errs := runCmd(t, "extract", "--records", idx, "--dedup-index", idx); code != 2 || !strings.Contains(errs, "--dedup-index is for whole files") {
		t.Errorf("--records with --dedup-index: exit %d\n%s", code, errs)
	}
}

// The same from a real S3 server: the collection, the index and the
// records in a bucket.
func TestExtractDedupAcrossShardsS3(t *testing.T) {
	dir := dedupCollection(t)
	idx := filepath.Join(t.TempDir(), "coll.cdxj")
	mustRun(t, "index", "-q", "--no-search", "-o", idx, dir)
	srv := tests3.Start(t)
	srv.Bucket(t, "crawl")
	srv.PutDir(t, "crawl", "coll", dir)
	// -o s3://bucket/name.cdxj is one object, uploaded when complete.
	mustRun(t, "index", "-q", "--no-search", "-o", "s3://crawl/coll.cdxj", "s3://crawl/coll/")
	if got, want := len(lines(getObject(t, srv, "crawl", "coll.cdxj"))), len(lines(mustReadFile(t, idx))); got != want || got == 0 {
		t.Fatalf("index -o s3://crawl/coll.cdxj: %d lines, local index %d", got, want)
	}
	local := func(s string) []string {
		return sortedLines(strings.ReplaceAll(s, dir+"/", "s3://crawl/coll/"))
	}
	want := local(mustRun(t, "extract", "-q", "--no-body", "--dedup", dir))
	mustRun(t, "extract", "-q", "--no-body", "--dedup", "-o", "s3://crawl/pages.jsonl", "s3://crawl/coll/")
	if got := sortedLines(getObject(t, srv, "crawl", "pages.jsonl")); !slices.Equal(got, want) {
		t.Errorf("extract -o s3://crawl/pages.jsonl: %d lines, local %d", len(got), len(want))
	}
	stdout, parts := shardUnion(t, 3, "--dedup-index", "s3://crawl/coll.cdxj", "s3://crawl/coll/")
	if !slices.Equal(stdout, want) || !slices.Equal(parts, want) {
		t.Errorf("3 shards over S3: %d and %d pages, one local run %d", len(stdout), len(parts), len(want))
	}
	srv.PutFile(t, "crawl", "coll.cdxj", idx) // names relative to the folder, as --base wants
	want = local(mustRun(t, "extract", "-q", "--no-body", "--dedup", "--records", idx, "--base", dir))
	stdout, parts = shardUnion(t, 3, "--dedup", "--records", "s3://crawl/coll.cdxj", "--base", "s3://crawl/coll/")
	if !slices.Equal(stdout, want) || !slices.Equal(parts, want) {
		t.Errorf("3 row shards over S3: %d and %d pages, one local run %d", len(stdout), len(parts), len(want))
	}
}

func mustRunErr(t *testing.T, args ...string) (string, string) {
	t.Helper()
	code, out, errs := runCmd(t, args...)
	if code != 0 {
		t.Fatalf("warcbox %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out, errs
}

func mustReadFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func getObject(t *testing.T, srv *tests3.Server, bucket, key string) string {
	t.Helper()
	obj, err := srv.Client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		t.Fatalf("s3://%s/%s: %v", bucket, key, err)
	}
	defer obj.Body.Close()
	b, err := io.ReadAll(obj.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// An -o s3:// object that cannot be uploaded fails the command, naming
// it, for whole files and for --records alike; nothing says success.
func TestExtractOutputUploadFails(t *testing.T) {
	dir := shardCollection(t, false)
	idx := filepath.Join(t.TempDir(), "coll.cdxj")
	mustRun(t, "index", "-q", "--no-search", "-o", idx, dir)
	srv := tests3.Start(t)
	srv.Bucket(t, "crawl")
	for name, args := range map[string][]string{
		"files":   {dir},
		"records": {"--records", idx, "--base", dir},
	} {
		out := "s3://no-such-bucket/" + name + ".jsonl"
		code, _, errs := runCmd(t, append([]string{"extract", "-q", "--no-body", "-o", out}, args...)...)
		if code == 0 || !strings.Contains(errs, "no-such-bucket") {
			t.Errorf("%s: -o %s into a missing bucket: exit %d\n%s", name, out, code, errs)
		}
	}
}
