package warc

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
)

// A WACZ package keeps its WARC files under archive/ in a zip. A WARC in
// one is named "<package>.wacz#archive/<file>" by every warcbox command,
// as extract's warc_file and replay's captures name it; offsets are then
// counted from the start of that WARC, as in the package's own index.

// MemberSep separates a WACZ package's path from a member's name.
const MemberSep = "#"

// SplitMember splits "x.wacz#archive/y.warc.gz" into the package path and
// the member name. A name that is a file on disk, or whose first part is
// not a .wacz, is not a member, whatever '#' it holds.
func SplitMember(name string) (pkg, member string, ok bool) {
	i := strings.LastIndex(name, MemberSep+"archive/")
	if i < 0 || !strings.HasSuffix(strings.ToLower(name[:i]), ".wacz") {
		return "", "", false
	}
	if _, err := os.Stat(name); err == nil {
		return "", "", false
	}
	return name[:i], name[i+len(MemberSep):], true
}

// WACZMember is a WARC file stored in a WACZ package.
type WACZMember struct {
	Name string // "archive/x.warc.gz"
	// Stored members (the spec asks for STORE) are a byte range of the
	// package, Offset and Size, readable in place.
	Stored       bool
	Offset, Size int64
	file         *zip.File
}

// WACZMembers lists the WARC files of a WACZ package, sorted by name.
func WACZMembers(ra io.ReaderAt, size int64) ([]WACZMember, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("not a WACZ (zip) package: %w", err)
	}
	return ZipMembers(zr), nil
}

// ZipMembers lists the WARC files of an opened WACZ package, sorted by
// name, for callers that read its other files too.
func ZipMembers(zr *zip.Reader) []WACZMember {
	var out []WACZMember
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "archive/") || !IsArchiveFile(path.Base(f.Name)) {
			continue
		}
		m := WACZMember{Name: f.Name, Size: int64(f.CompressedSize64), file: f}
		if f.Method == zip.Store {
			if off, err := f.DataOffset(); err == nil {
				m.Stored, m.Offset = true, off
			}
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Open returns the member for sequential reading, from ra (the package)
// in place when stored, else decompressed by the zip reader.
func (m WACZMember) Open(ra io.ReaderAt) (io.ReadCloser, error) {
	if m.Stored {
		return io.NopCloser(io.NewSectionReader(ra, m.Offset, m.Size)), nil
	}
	return m.file.Open()
}

// OpenFile opens a WARC file or a WACZ member ("x.wacz#archive/y.warc.gz")
// for random access: a member must be stored (uncompressed) in the package.
// Offsets count from the start of the WARC.
func OpenFile(name string) (io.ReaderAt, io.Closer, error) {
	return OpenFileContext(context.Background(), name, Options{})
}

// OpenMember opens the package pkg and finds its WARC member; the caller
// closes the file.
func OpenMember(pkg, member string) (*os.File, WACZMember, error) {
	f, err := os.Open(pkg)
	if err != nil {
		return nil, WACZMember{}, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, WACZMember{}, err
	}
	members, err := WACZMembers(f, st.Size())
	if err != nil {
		f.Close()
		return nil, WACZMember{}, fmt.Errorf("%s: %w", pkg, err)
	}
	for _, m := range members {
		if m.Name == member {
			return f, m, nil
		}
	}
	f.Close()
	return nil, WACZMember{}, fmt.Errorf("%s: no WARC %s in the package", pkg, member)
}
