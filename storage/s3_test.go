package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/tests3"
)

func TestS3(t *testing.T) {
	srv := tests3.Start(t)
	srv.Bucket(t, "coll")
	data := testData(2<<20 + 77)
	srv.Put(t, "coll", "archive/b.warc.gz", data)
	srv.Put(t, "coll", "archive/a.warc.gz", []byte("small"))
	srv.Put(t, "coll", "archive/sub/c.warc", []byte("c"))
	srv.Put(t, "coll", "indexes/index.cdxj", []byte("x"))
	srv.Put(t, "coll", "archived.txt", []byte("not under archive/"))

	var logs bytes.Buffer
	s := New(Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Backoff: 1})
	ctx := context.Background()

	info, err := s.Stat(ctx, "s3://coll/archive/b.warc.gz")
	if err != nil || info.Size != int64(len(data)) {
		t.Fatalf("stat: %+v, %v", info, err)
	}
	list, err := s.List(ctx, "s3://coll/archive/")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, i := range list {
		names = append(names, i.Name)
	}
	if want := "s3://coll/archive/a.warc.gz s3://coll/archive/b.warc.gz s3://coll/archive/sub/c.warc"; strings.Join(names, " ") != want {
		t.Errorf("list = %v, want %s", names, want)
	}

	rd, err := s.NewReader(ctx, "s3://coll/archive/b.warc.gz", 1000)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rd)
	rd.Close()
	if err != nil || !bytes.Equal(got, data[1000:]) {
		t.Fatalf("stream: %d bytes, %v", len(got), err)
	}

	o, err := s.Open(ctx, "s3://coll/archive/b.warc.gz")
	if err != nil {
		t.Fatal(err)
	}
	p := make([]byte, 5000)
	if _, err := o.ReadAt(p, 1<<20); err != nil || !bytes.Equal(p, data[1<<20:1<<20+5000]) {
		t.Fatalf("ReadAt: %v", err)
	}
	if err := o.Prefetch(ctx, int64(len(data))-10, 100); !errors.Is(err, ErrShort) {
		t.Errorf("prefetch past the end: %v", err)
	}
	// A suffix Range opens it and reads its end at once.
	s2 := New(Options{})
	ot, err := s2.OpenTail(ctx, "s3://coll/archive/b.warc.gz", 100000)
	if err != nil || ot.Size() != int64(len(data)) {
		t.Fatalf("OpenTail: %v", err)
	}
	if _, err := ot.ReadAt(p, int64(len(data))-5000); err != nil || !bytes.Equal(p, data[len(data)-5000:]) {
		t.Errorf("ReadAt of the tail: %v", err)
	}

	// Bad input: each error names the URL, the offset and the reason.
	for _, tc := range []struct {
		name string
		want error
		text string
	}{
		{"s3://coll/archive/missing.warc.gz", ErrNotFound, "NoSuchKey"},
		{"s3://no-such-bucket/x.warc.gz", ErrNoBucket, "NoSuchBucket"},
	} {
		_, err := s.NewReader(ctx, tc.name, 42)
		t.Log(err)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), "offset 42") || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("read %s: %v; want %v naming URL, offset and %s", tc.name, err, tc.want, tc.text)
		}
		_, err = s.Stat(ctx, tc.name)
		if !errors.Is(err, tc.want) {
			t.Errorf("stat %s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := s.List(ctx, "s3://no-such-bucket/"); !errors.Is(err, ErrNoBucket) {
		t.Errorf("list of a missing bucket: %v", err)
	}
	if strings.Contains(logs.String(), srv.Secret) {
		t.Errorf("the secret key is in the log")
	}
}

func TestS3Credentials(t *testing.T) {
	srv := tests3.Start(t)
	srv.Bucket(t, "coll")
	srv.Put(t, "coll", "a.warc.gz", []byte("data"))
	ctx := context.Background()

	t.Run("wrong", func(t *testing.T) {
		t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret-must-not-show")
		s := New(Options{Backoff: 1})
		_, err := s.NewReader(ctx, "s3://coll/a.warc.gz", 0)
		t.Log(err)
		if !errors.Is(err, ErrNoCreds) || !strings.Contains(err.Error(), "s3://coll/a.warc.gz") {
			t.Errorf("wrong secret: %v, want ErrNoCreds naming the URL", err)
		}
		if err != nil && strings.Contains(err.Error(), "wrong-secret") {
			t.Errorf("error shows the secret: %v", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		tests3.NoCredentials(t)
		s := New(Options{Backoff: 1})
		_, err := s.NewReader(ctx, "s3://coll/a.warc.gz", 0)
		t.Log(err)
		if !errors.Is(err, ErrNoCreds) || !strings.Contains(err.Error(), "no credentials") {
			t.Errorf("no credentials: %v, want ErrNoCreds saying so", err)
		}
	})
	t.Run("endpoint option", func(t *testing.T) {
		t.Setenv("AWS_ENDPOINT_URL", "")
		s := New(Options{S3Endpoint: srv.Endpoint})
		if info, err := s.Stat(ctx, "s3://coll/a.warc.gz"); err != nil || info.Size != 4 {
			t.Errorf("stat with S3Endpoint: %+v, %v", info, err)
		}
	})
}
