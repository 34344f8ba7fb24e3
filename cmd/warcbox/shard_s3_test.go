package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/warcbox/warcbox/internal/tests3"
)

// The collection, the records file and the output parts all in a real S3
// server (versitygw): the same rows as from local files, each read with a
// Range request, and the part appears as an object once complete.
func TestExtractRecordsS3(t *testing.T) {
	dir := shardCollection(t, false)
	srv := tests3.Start(t)
	srv.Bucket(t, "crawl")
	srv.PutDir(t, "crawl", "coll", dir)
	index := filepath.Join(t.TempDir(), "sel.cdxj")
	mustRun(t, "index", "-q", "-o", index, "--no-search", dir)
	srv.PutFile(t, "crawl", "sel.cdxj", index)
	want := mustRun(t, "extract", "-q", "--no-fallback", "--records", index, "--base", dir)
	want = strings.ReplaceAll(want, dir+"/", "s3://crawl/coll/")

	got := mustRun(t, "extract", "-q", "--no-fallback", "--records", "s3://crawl/sel.cdxj", "--base", "s3://crawl/coll/")
	if got != want {
		t.Errorf("records from S3 differ from local:\n%s", firstDiff(got, want))
	}
	mustRun(t, "extract", "-q", "--no-fallback", "--records", "s3://crawl/sel.cdxj", "--base", "s3://crawl/coll/",
		"--shard", "1/2", "-o", "s3://crawl/out/")
	obj, err := srv.Client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: ptr("crawl"), Key: ptr("out/sel-1-of-2.jsonl")})
	if err != nil {
		t.Fatalf("part object: %v", err)
	}
	b, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if len(lines(string(b))) == 0 || !strings.Contains(string(b), `"warc_file":"s3://crawl/coll/`) {
		t.Errorf("part holds %d lines: %.200s", len(lines(string(b))), b)
	}
	// A rerun sees the part and skips it.
	_, _, errs := runCmd(t, "extract", "--no-fallback", "--records", "s3://crawl/sel.cdxj", "--base", "s3://crawl/coll/",
		"--shard", "1/2", "-o", "s3://crawl/out/")
	if !strings.Contains(errs, "part already complete, skipped") {
		t.Errorf("rerun did not skip the S3 part:\n%s", errs)
	}
	// A row past the end of its object is named with its URL and offset.
	bad := filepath.Join(t.TempDir(), "bad.cdxj")
	os.WriteFile(bad, []byte(`{"filename": "coll/iana.warc.gz", "offset": 99999999, "length": 10}`+"\n"), 0o644)
	code, _, errs := runCmd(t, "extract", "--records", bad, "--base", "s3://crawl/")
	if code != 1 || !strings.Contains(errs, "s3://crawl/coll/iana.warc.gz: offset 99999999") {
		t.Errorf("bad S3 row: exit %d\n%s", code, errs)
	}
	if strings.Contains(errs, srv.Secret) {
		t.Errorf("secret in the log")
	}
}

func ptr(s string) *string { return &s }

// index parts written to an s3:// prefix merge from there (and from
// https), streaming, into what indexing everything at once writes; a
// hidden temporary part beside them is left out, and a missing input is
// named by its URL.
func TestIndexMergeRemote(t *testing.T) {
	dir := shardCollection(t, true)
	want := mustRun(t, "index", "-q", "--no-search", dir)
	srv := tests3.Start(t)
	srv.Bucket(t, "idx")
	for i := range 2 {
		mustRun(t, "index", "-q", "--no-search", "--shard", fmt.Sprintf("%d/2", i), "-o", "s3://idx/parts/", dir)
	}
	srv.Put(t, "idx", "parts/.iana.cdxj.host.1.tmp", []byte("zzz half a part\n"))
	srv.Put(t, "idx", "parts/sub/other.cdxj", []byte("zzz not a part of this folder\n"))
	if got := mustRun(t, "index", "--merge", "s3://idx/parts/"); got != want {
		t.Errorf("merged s3 parts differ from one index:\n%s", firstDiff(got, want))
	}
	mustRun(t, "index", "--merge", "-o", "s3://idx/all.cdxj", "s3://idx/parts/")
	obj, err := srv.Client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: ptr("idx"), Key: ptr("all.cdxj")})
	if err != nil {
		t.Fatalf("merged object: %v", err)
	}
	b, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if string(b) != want {
		t.Errorf("merge -o s3:// differs:\n%s", firstDiff(string(b), want))
	}

	// https: one part as a URL, the others from a listing, plus a local file.
	local := filepath.Join(t.TempDir(), "parts") + "/"
	mustRun(t, "index", "-q", "--no-search", "-o", local, dir)
	ents, _ := os.ReadDir(local)
	if len(ents) < 3 {
		t.Fatalf("%d local parts", len(ents))
	}
	web := t.TempDir()
	os.MkdirAll(filepath.Join(web, "p"), 0o755)
	for _, e := range ents[1 : len(ents)-1] {
		b, _ := os.ReadFile(filepath.Join(local, e.Name()))
		os.WriteFile(filepath.Join(web, "p", e.Name()), b, 0o644)
	}
	first, _ := os.ReadFile(filepath.Join(local, ents[0].Name()))
	os.WriteFile(filepath.Join(web, ents[0].Name()), first, 0o644)
	hs := httptest.NewServer(http.FileServer(http.Dir(web)))
	defer hs.Close()
	got := mustRun(t, "index", "--merge", hs.URL+"/"+ents[0].Name(), hs.URL+"/p/", filepath.Join(local, ents[len(ents)-1].Name()))
	if got != want {
		t.Errorf("merged https + local parts differ from one index:\n%s", firstDiff(got, want))
	}

	code, _, errs := runCmd(t, "index", "--merge", "s3://idx/parts/", "s3://idx/nothere.cdxj")
	if code == 0 || !strings.Contains(errs, "s3://idx/nothere.cdxj") || strings.Contains(errs, srv.Secret) {
		t.Errorf("missing input: exit %d\n%s", code, errs)
	}
	srv.Put(t, "idx", "bad/x.cdxj", []byte("b 2020 {}\na 2020 {}\n"))
	code, _, errs = runCmd(t, "index", "--merge", "s3://idx/bad/")
	if code == 0 || !strings.Contains(errs, "s3://idx/bad/x.cdxj line 2") {
		t.Errorf("unsorted remote part: exit %d\n%s", code, errs)
	}
}
