package shard

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Store holds the output parts of a run: a local folder (Dir) or, once the
// remote layer provides one, an object-store prefix.
type Store interface {
	// Done reports whether the part is complete (it exists under its name).
	Done(ctx context.Context, name string) (bool, error)
	// Create starts writing a part; nothing appears under its name until
	// Commit.
	Create(ctx context.Context, name string) (Part, error)
}

// Part is an output part being written.
type Part interface {
	io.Writer
	// Commit makes the part appear, complete, under its name.
	Commit() error
	// Abort discards what was written; the part stays absent.
	Abort() error
}

// Dir is a local folder of parts. A part is written to a hidden temporary
// file in the same folder (".NAME.HOST~PID~RAND.tmp": Spark, Hadoop and
// Dask readers skip names starting with "."), synced, then renamed, which
// is atomic. Creating a part first removes the temporaries of that part
// that a killed run left: those whose process on this host is gone, and
// those not written to for StaleAfter (if > 0; for workers on other hosts
// sharing the folder). A temporary of a live process is left alone: a slow
// duplicate of the task may still be writing it.
type Dir struct {
	Path       string
	StaleAfter time.Duration
	Logger     *slog.Logger // stale temporaries removed; nil: not logged
}

var _ Store = Dir{}

// Done reports whether NAME exists in the folder.
func (d Dir) Done(_ context.Context, name string) (bool, error) {
	_, err := os.Stat(filepath.Join(d.Path, name))
	if err == nil {
		return true, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return false, fmt.Errorf("part %s: %w", name, err)
}

// Create creates the folder if need be and a temporary file for the part.
func (d Dir) Create(_ context.Context, name string) (Part, error) {
	if err := os.MkdirAll(d.Path, 0o755); err != nil {
		return nil, fmt.Errorf("part %s: %w", name, err)
	}
	removeStale(d.Path, ".", name, d.StaleAfter, logger(d.Logger))
	f, err := os.CreateTemp(d.Path, self().tempPattern(".", name))
	if err != nil {
		return nil, fmt.Errorf("part %s: %w", name, err)
	}
	// CreateTemp makes the file private; a part is an ordinary output file.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("part %s: %w", name, err)
	}
	return &filePart{f: f, final: filepath.Join(d.Path, name)}, nil
}

type filePart struct {
	f     *os.File
	final string
	done  bool
}

func (p *filePart) Write(b []byte) (int, error) { return p.f.Write(b) }

// Commit syncs before the rename so that after a crash the name never
// points at a file whose bytes did not reach the disk.
func (p *filePart) Commit() error {
	if p.done {
		return nil
	}
	p.done = true
	tmp := p.f.Name()
	err := p.f.Sync()
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, p.final)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("part %s: %w", filepath.Base(p.final), err)
	}
	if dir, err := os.Open(filepath.Dir(p.final)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return nil
}

func (p *filePart) Abort() error {
	if p.done {
		return nil
	}
	p.done = true
	p.f.Close()
	if err := os.Remove(p.f.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("part %s: %w", filepath.Base(p.final), err)
	}
	return nil
}

// archiveSuffixes are stripped from input names to name their parts.
var archiveSuffixes = []string{".warc.gz", ".warc", ".arc.gz", ".arc", ".wacz", ".gz"}

// PartNames names the part of each input (paths, URLs, or WACZ members
// "x.wacz#archive/y.warc.gz") after its file name without the archive
// suffix, plus ext: "CC-MAIN-…-00000.warc.gz" → "CC-MAIN-…-00000.jsonl",
// "x.wacz#archive/y.warc.gz" → "x-y.jsonl". Inputs whose names collide get
// 8 hex digits of the SHA-1 of their whole name appended, so every part
// name is unique in the list; the names depend on the list alone.
func PartNames(inputs []string, ext string) []string {
	base := make([]string, len(inputs))
	count := map[string]int{}
	for i, in := range inputs {
		base[i] = stem(in)
		count[base[i]]++
	}
	out := make([]string, len(inputs))
	for i, in := range inputs {
		name := base[i]
		if count[name] > 1 {
			sum := sha1.Sum([]byte(in))
			name += "-" + hex.EncodeToString(sum[:4])
		}
		out[i] = name + ext
	}
	return out
}

// stem is an input's file name without folders and archive suffix; a WACZ
// member is named after the package and the member.
func stem(in string) string {
	in = strings.TrimRight(in, "/")
	pkg, member, isMember := strings.Cut(in, "#")
	name := trimArchiveSuffix(path.Base(filepath.ToSlash(pkg)))
	if isMember {
		name += "-" + trimArchiveSuffix(path.Base(member))
	}
	name = strings.Map(func(r rune) rune {
		// Keep part names plain file names everywhere, object stores included.
		if r < 0x20 || r == '/' || r == '\\' || r == 0x7f {
			return '_'
		}
		return r
	}, name)
	// Spark, Hadoop and Dask skip names starting with "." or "_".
	if name == "" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		name = "part-" + name
	}
	return name
}

func trimArchiveSuffix(name string) string {
	low := strings.ToLower(name)
	for _, s := range archiveSuffixes {
		if strings.HasSuffix(low, s) && len(name) > len(s) {
			return name[:len(name)-len(s)]
		}
	}
	return name
}

// recordsSuffixes are stripped from a records file's name to name its parts.
var recordsSuffixes = []string{".gz", ".parquet", ".csv", ".cdxj", ".cdx", ".jsonl", ".json", ".txt"}

// RecordsPartName names the part of a run over a records file: the file's
// name without its suffixes, the shard ("-I-of-N") when sharded, then ext:
// "sel.parquet" with shard 3/8 → "sel-3-of-8.jsonl".
func RecordsPartName(records string, s Spec, ext string) string {
	name := path.Base(filepath.ToSlash(strings.TrimRight(records, "/")))
	for trimmed := true; trimmed; {
		trimmed = false
		for _, suf := range recordsSuffixes {
			if low := strings.ToLower(name); strings.HasSuffix(low, suf) && len(name) > len(suf) {
				name, trimmed = name[:len(name)-len(suf)], true
			}
		}
	}
	name = stem(name)
	if !s.All() {
		name += fmt.Sprintf("-%d-of-%d", s.I, s.N)
	}
	return name + ext
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
