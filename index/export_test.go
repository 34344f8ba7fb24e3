package index

import (
	"archive/zip"
	"context"
	"io"
	"log/slog"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
)

// Hooks for the external tests (package index_test), which import wacz:
// wacz imports index, so they cannot be in package index.

type Section = section

// Range is where the WARC lies in the package.
func (s section) Range() (path string, off, size int64) { return s.path, s.off, s.size }

var (
	IndexWACZ      = indexWACZ
	ReadCapturesAt = readCapturesAt
)

const MaxPageTitle = maxPageTitle

// EmbeddedIndex reads every capture of a package's own index (ra holds
// the package), those searched in place included.
func EmbeddedIndex(ctx context.Context, ra io.ReaderAt, zr *zip.Reader, name string, secs map[string]section) ([]Capture, error) {
	pk, err := embeddedIndex(ctx, ra, zr, name, name, secs, maxWholeIndex, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	caps := pk.caps
	for _, s := range pk.srcs {
		for c, err := range s.Lookup(ctx, Query{MatchType: cdxj.MatchPrefix}) {
			if err != nil {
				return nil, err
			}
			caps = append(caps, c)
		}
	}
	return caps, nil
}

// IndexWACZIn is indexWACZIn: captures read whole, and the sources
// searched in place.
func IndexWACZIn(ctx context.Context, st *storage.Store, p, name string, log *slog.Logger) ([]Capture, []*PackageIndex, error) {
	pk, err := indexWACZIn(ctx, st, p, name, log)
	return pk.caps, pk.srcs, err
}
