package main

import (
	"context"
	"io"
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
