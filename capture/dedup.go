package capture

import (
	"bufio"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
)

// dedupRef is the original capture a revisit points to.
type dedupRef struct {
	URI  string
	Date time.Time
	ID   string // WARC-Record-ID; empty when an earlier index did not say
}

// dedupStore maps payload digests to their first capture.
type dedupStore struct {
	alg string
	mu  sync.Mutex
	m   map[string]dedupRef
}

func newDedupStore(alg string) *dedupStore {
	return &dedupStore{alg: alg, m: map[string]dedupRef{}}
}

// lookupOrAdd returns the earlier capture of digest (true), or records ref
// as its first capture (false). Checking and adding under one lock makes
// two workers fetching the same payload agree on which one is the original.
func (d *dedupStore) lookupOrAdd(digest string, ref dedupRef) (dedupRef, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r, ok := d.m[digest]; ok {
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
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "!") {
			continue
		}
		ref, digest, err := parseDedupLine(line, d.alg)
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

// parseDedupLine reads `<surt> <timestamp> {json}`; digest is "" for lines
// that cannot serve as a revisit's original.
func parseDedupLine(line, alg string) (dedupRef, string, error) {
	parts := strings.SplitN(line, " ", 3)
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "{") {
		return dedupRef{}, "", fmt.Errorf("not a CDXJ line")
	}
	ts, err := parseTimestamp14(parts[1])
	if err != nil {
		return dedupRef{}, "", err
	}
	var j map[string]any
	if err := json.Unmarshal([]byte(parts[2]), &j); err != nil {
		return dedupRef{}, "", fmt.Errorf("json block: %w", err)
	}
	str := func(k string) string { s, _ := j[k].(string); return s }
	if str("mime") == "warc/revisit" || str("url") == "" {
		return dedupRef{}, "", nil
	}
	if st := str("status"); st != "" && !strings.HasPrefix(st, "2") {
		return dedupRef{}, "", nil
	}
	dg := str("digest")
	if dg == "" {
		return dedupRef{}, "", nil
	}
	if !strings.Contains(dg, ":") {
		dg = "sha1:" + dg // pywb writes sha1 bare
	}
	a, v, _ := strings.Cut(dg, ":")
	a = strings.ToLower(strings.ReplaceAll(a, "-", ""))
	if a != alg {
		return dedupRef{}, "", nil
	}
	if alg == "sha1" {
		v = strings.ToUpper(v)
	} else {
		v = strings.ToLower(v)
	}
	return dedupRef{URI: str("url"), Date: ts, ID: str("id")}, a + ":" + v, nil
}

func parseTimestamp14(s string) (time.Time, error) {
	if len(s) < 14 {
		s += "00000000000000"[:14-len(s)]
	}
	t, err := time.Parse(fileTimeFormat, s[:14])
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q: %w", s, err)
	}
	return t, nil
}
