package replay

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"strings"

	"github.com/warcbox/warcbox/index"
)

// section is where a WARC stored inside a WACZ lies in the zip file.
type section struct {
	path      string // the .wacz file
	off, size int64
}

// indexWACZ indexes the WARC files stored in a WACZ package. WACZ stores
// them uncompressed in the zip (the spec requires STORE), so each is a
// byte range of the .wacz that records can be read from directly; their
// captures are named "<wacz name>#<entry>".
func indexWACZ(ctx context.Context, p, name string, log *slog.Logger) ([]index.Capture, map[string]section, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: not a WACZ (zip) file: %w", p, err)
	}
	var caps []index.Capture
	secs := map[string]section{}
	for _, e := range zr.File {
		if !strings.HasPrefix(e.Name, "archive/") || !isArchiveFile(path.Base(e.Name)) {
			continue
		}
		if e.Method != zip.Store {
			log.Warn("replay: WARC compressed inside the WACZ, not addressable: skipped", "file", p, "entry", e.Name)
			continue
		}
		off, err := e.DataOffset()
		if err != nil {
			log.Warn("replay: WACZ entry unreadable", "file", p, "entry", e.Name, "err", err)
			continue
		}
		size := int64(e.CompressedSize64)
		entryName := name + "#" + e.Name
		c, err := index.IndexReaderAt(ctx, io.NewSectionReader(f, off, size), size, index.IndexOptions{Name: entryName, Logger: log})
		if err != nil {
			log.Warn("replay: WACZ entry not indexed", "file", p, "entry", e.Name, "err", err)
			continue
		}
		caps = append(caps, c...)
		secs[entryName] = section{path: p, off: off, size: size}
	}
	return caps, secs, nil
}
