package shard

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path"
	"strings"
	"time"

	"github.com/warcbox/warcbox/storage"
)

// Output says where a command's -o goes: Parts are the store of one part
// per input when -o names a folder ("DIR/", an existing folder, an s3://
// prefix), nil when it names one output (Create).
type Output struct {
	Store      *storage.Store
	StaleAfter time.Duration // see Dir
	Logger     *slog.Logger  // stale temporaries removed; nil: not logged
}

// Parts returns the store of parts out names, or nil when out is one
// output file (or "", "-": standard output).
func (o Output) Parts(out string) Store {
	if out == "" || out == "-" {
		return nil
	}
	if storage.KindOf(out) == storage.S3 {
		if SingleObject(out) {
			return nil
		}
		return Objects{Store: o.Store, Prefix: out, StaleAfter: o.StaleAfter, Logger: o.Logger}
	}
	dir := Dir{Path: out, StaleAfter: o.StaleAfter, Logger: o.Logger}
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(os.PathSeparator)) {
		return dir
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return dir
	}
	return nil
}

// SingleObject reports whether an s3:// name is one object rather than a
// prefix of parts: no trailing slash, and the extension of an output
// file (s3://bucket/all.cdxj, s3://bucket/pages.jsonl).
func SingleObject(out string) bool {
	if strings.HasSuffix(out, "/") {
		return false
	}
	switch strings.ToLower(path.Ext(out)) {
	case ".cdxj", ".cdx", ".jsonl", ".json", ".csv", ".parquet", ".gz":
		return true
	}
	return false
}

// Create opens out as one output: a local file (Commit and Abort close
// it; what was written stays, as for any file a failed command wrote), or
// an s3:// object uploaded with one PutObject on Commit, absent after
// Abort.
func (o Output) Create(ctx context.Context, out string) (Part, error) {
	if storage.KindOf(out) == storage.S3 {
		i := strings.LastIndex(out, "/")
		return Objects{Store: o.Store, Prefix: out[:i+1], StaleAfter: o.StaleAfter, Logger: o.Logger}.Create(ctx, out[i+1:])
	}
	if storage.IsRemote(out) {
		return nil, fmt.Errorf("%s: only local files and s3:// objects can be written", storage.Redact(out))
	}
	f, err := os.Create(out)
	if err != nil {
		return nil, err
	}
	return &localOutput{f}, nil
}

type localOutput struct{ f *os.File }

func (l *localOutput) Write(b []byte) (int, error) { return l.f.Write(b) }
func (l *localOutput) Commit() error               { return l.f.Close() }
func (l *localOutput) Abort() error                { return l.f.Close() }
