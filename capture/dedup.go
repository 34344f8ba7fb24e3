package capture

import (
	"bufio"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/warc"
)

// dedupRef is the original capture a revisit points to.
type dedupRef struct {
	URI  string
	Date time.Time
	ID   string // WARC-Record-ID; empty until resolved for index entries

	// Where an index entry's record lies, to read its WARC-Record-ID
	// (CDXJ does not carry it) when a revisit first refers to it.
	file   string
	offset int64
	dirs   []string
}

// resolveID finds the record ID of an index entry by reading the record
// from its WARC, looked for beside the index and in ../archive. An original
// that cannot be read leaves the ID empty: WARC-Refers-To is optional, the
// target URI and date still identify it.
func (r *dedupRef) resolveID() {
	if r.ID != "" || r.file == "" {
		return
	}
	for _, d := range r.dirs {
		f, err := os.Open(filepath.Join(d, r.file))
		if err != nil {
			continue
		}
		rec, err := warc.ReadAt(f, r.offset)
		if err == nil && rec.TargetURI() == r.URI {
			r.ID = rec.ID()
		}
		f.Close()
		return
	}
}

// dedupStore maps payload digests to their first capture.
type dedupStore struct {
	alg warc.DigestAlgorithm
	mu  sync.Mutex
	m   map[string]dedupRef
}

func newDedupStore(alg warc.DigestAlgorithm) *dedupStore {
	return &dedupStore{alg: alg, m: map[string]dedupRef{}}
}

// lookupOrAdd returns the earlier capture of digest (true), or records ref
// as its first capture (false). Checking and adding under one lock makes
// two workers fetching the same payload agree on which one is the original.
func (d *dedupStore) lookupOrAdd(digest string, ref dedupRef) (dedupRef, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r, ok := d.m[digest]; ok {
		if r.ID == "" && r.file != "" {
			r.resolveID()
			r.file = "" // one attempt per original
			d.m[digest] = r
		}
		return r, true
	}
	d.m[digest] = ref
	return ref, false
}

// load reads a CDXJ index of earlier captures. Lines that are not response
// captures with a digest in this capture's algorithm are skipped; malformed
// lines are logged with file and line number and skipped.
func (d *dedupStore) load(path string, log *slog.Logger) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("dedup index: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	n, lineNo := 0, 0
	dirs := []string{filepath.Dir(path), filepath.Join(filepath.Dir(path), "..", "archive")}
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "!") {
			continue
		}
		ref, digest, err := parseDedupLine(line, d.alg)
		ref.dirs = dirs
		if err != nil {
			log.Warn("dedup index: skipped line", "file", path, "line", lineNo, "err", err)
			continue
		}
		if digest == "" {
			continue
		}
		d.mu.Lock()
		if _, ok := d.m[digest]; !ok {
			d.m[digest] = ref
			n++
		}
		d.mu.Unlock()
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("dedup index %s: line %d: %w", path, lineNo+1, err)
	}
	return n, nil
}

// parseDedupLine reads one CDXJ line; digest is "" for lines that cannot
// serve as a revisit's original (revisits, non-2xx, other algorithms).
func parseDedupLine(line string, alg warc.DigestAlgorithm) (dedupRef, string, error) {
	l, err := cdxj.Parse([]byte(line))
	if err != nil {
		return dedupRef{}, "", err
	}
	ts, err := l.Time()
	if err != nil {
		return dedupRef{}, "", err
	}
	if l.Mime == "warc/revisit" || l.URL == "" || l.Digest == "" {
		return dedupRef{}, "", nil
	}
	if l.Status != "" && !strings.HasPrefix(l.Status, "2") {
		return dedupRef{}, "", nil
	}
	a, v, ok := strings.Cut(l.Digest, ":")
	if !ok {
		// warcio.js and pywb drop the label: tell the algorithm by form.
		v = l.Digest
		switch len(v) {
		case 32:
			a = "sha1"
		case 64:
			a = "sha256"
		default:
			return dedupRef{}, "", nil
		}
	}
	a = strings.ToLower(strings.ReplaceAll(a, "-", ""))
	if a != string(alg) {
		return dedupRef{}, "", nil
	}
	if alg == warc.SHA1 {
		v = strings.ToUpper(v)
	} else {
		v = strings.ToLower(v)
	}
	var id string
	for _, f := range l.Extra {
		if f.Name == "id" {
			id = strings.Trim(string(f.Value), `"`)
		}
	}
	return dedupRef{URI: l.URL, Date: ts, ID: id, file: l.Filename, offset: l.Offset}, a + ":" + v, nil
}
