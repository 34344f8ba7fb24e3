package selection

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"path"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
)

// Deduplication that shards agree on without talking to each other: each
// decides from data every shard reads whole (the records file, or an
// index of the collection) which record of a payload digest is the one
// output, so the union of N shards is what one run outputs.

// digestKey is a payload digest in 20 bytes, so that a set of millions
// stays small: a SHA-1 in base32 ("sha1:B2LT…" or bare, as CDXJ, CDX and
// WARC headers give it) is decoded; any other is hashed.
type digestKey [20]byte

// keyOf reduces a digest; ok is false for "" and "-".
func keyOf(d string) (k digestKey, ok bool) {
	d = strings.TrimSpace(d)
	if d == "" || d == "-" {
		return k, false
	}
	body := d
	if i := strings.IndexByte(d, ':'); i >= 0 {
		if !strings.EqualFold(d[:i], "sha1") {
			sum := sha256.Sum256([]byte(strings.ToLower(d)))
			copy(k[:], sum[:])
			return k, true
		}
		body = d[i+1:]
	}
	if len(body) == 32 {
		// Upper-cased in a buffer on the stack: no allocation per row.
		var src [32]byte
		for i := 0; i < 32; i++ {
			c := body[i]
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			src[i] = c
		}
		if n, err := base32.StdEncoding.Decode(k[:], src[:]); err == nil && n == 20 {
			return k, true
		}
		k = digestKey{}
	}
	sum := sha256.Sum256([]byte("sha1:" + strings.ToUpper(body)))
	copy(k[:], sum[:])
	return k, true
}

// keyOfBytes is keyOf for a digest in an index line's bytes, without an
// allocation for a base32 SHA-1 ("sha1:B2LT…" or bare, no spaces around).
func keyOfBytes(d []byte) (k digestKey, ok bool) {
	body := d
	if len(d) == 37 && d[4] == ':' && (d[0]|0x20) == 's' && (d[1]|0x20) == 'h' && (d[2]|0x20) == 'a' && d[3] == '1' {
		body = d[5:]
	}
	if len(body) != 32 {
		return keyOf(string(d))
	}
	var src [32]byte
	for i := 0; i < 32; i++ {
		c := body[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		src[i] = c
	}
	if n, err := base32.StdEncoding.Decode(k[:], src[:]); err == nil && n == 20 {
		return k, true
	}
	return keyOf(string(d))
}

// SameDigest reports whether two payload digests are the same, however
// each is written (with or without "sha1:", any case of base32).
func SameDigest(a, b string) bool {
	ka, ok1 := keyOf(a)
	kb, ok2 := keyOf(b)
	return ok1 && ok2 && ka == kb
}

// Digests is a set of payload digests, first come first kept.
type Digests struct{ m map[digestKey]struct{} }

// Add adds d and reports whether it was new; a row without a digest ("")
// is always new.
func (s *Digests) Add(d string) bool {
	k, ok := keyOf(d)
	if !ok {
		return true
	}
	if s.m == nil {
		s.m = map[digestKey]struct{}{}
	}
	if _, dup := s.m[k]; dup {
		return false
	}
	s.m[k] = struct{}{}
	return true
}

// Has reports whether d was added.
func (s *Digests) Has(d string) bool {
	k, ok := keyOf(d)
	if !ok || s.m == nil {
		return false
	}
	_, dup := s.m[k]
	return dup
}

// FirstCaptures knows, for each payload digest of a collection's index,
// the record that one run over a list of inputs reads first: inputs in
// their order (as they expand), records in offset order within each. A
// sharded run keeps a record only when it is that one, so N shards
// together output each payload once, as one run does.
type FirstCaptures struct {
	first map[digestKey]recordAt
	// inputs: each input name (as given) → its first position
	inputs map[string]int

	// Lines counts the index lines read, Used those that name one of the
	// inputs and carry a digest (revisits are not counted: a revisit is
	// never the first of its payload), Bad those that did not parse.
	Lines, Used, Bad int64
}

type recordAt struct {
	input  int32
	offset int64
}

// LoadFirstCaptures reads an index of the collection (CDXJ or CDX lines,
// in any order: one pass, memory grows with the distinct digests, about
// 100 bytes each) and keeps, per digest, the first record by (input
// position, offset). Only the members it needs are read of each line
// (cdxj.Briefs), not the whole JSON block. inputs are the names of every
// input of the run, in order, before any shard is taken; a line names one
// by its file name as written in the index, which may be a suffix of the
// input's path ("iana.warc.gz" for "coll/archive/iana.warc.gz"). A line
// that does not parse is logged with its file and offset and skipped;
// lines naming no input are ignored, and so are lines extract outputs
// nothing for (revisits; statuses other than 200 unless allStatuses),
// which would otherwise make the record one run outputs a repeat.
func LoadFirstCaptures(ctx context.Context, lines iter.Seq2[*cdxj.Brief, error], inputs []string, allStatuses bool, log *slog.Logger) (*FirstCaptures, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(inputs) > 1<<31-1 {
		return nil, fmt.Errorf("dedup index: %d inputs, too many", len(inputs))
	}
	given := make(map[string]int, len(inputs))
	exact := map[string]int{}
	byBase := map[string][]int{}
	for k, n := range inputs {
		if _, ok := given[n]; !ok {
			given[n] = k
		}
		n = strings.ReplaceAll(n, "\\", "/")
		if _, ok := exact[n]; !ok {
			exact[n] = k
		}
		byBase[path.Base(n)] = append(byBase[path.Base(n)], k)
	}
	resolved := map[string]int{} // index file name → input, -1 for none
	find := func(fb []byte) int {
		if k, ok := resolved[string(fb)]; ok {
			return k
		}
		f := string(fb)
		k := -1
		g := strings.TrimPrefix(strings.ReplaceAll(f, "\\", "/"), "./")
		if e, ok := exact[g]; ok {
			k = e
		} else {
			for _, c := range byBase[path.Base(g)] {
				if strings.HasSuffix(strings.ReplaceAll(inputs[c], "\\", "/"), "/"+g) {
					if k >= 0 {
						// Two inputs end with the name: which one the
						// line means is unknown, so it names none.
						log.Warn("extract: dedup index names a file two inputs end with; its lines are not used", "file", f)
						k = -1
						break
					}
					k = c
				}
			}
		}
		if len(resolved) < maxResolved {
			resolved[f] = k
		}
		return k
	}
	fc := &FirstCaptures{first: map[digestKey]recordAt{}, inputs: given}
	for l, err := range lines {
		if err != nil {
			var le *cdxj.LineError
			if errors.As(err, &le) {
				fc.Bad++
				if fc.Bad <= 10 {
					log.Warn("extract: dedup index line skipped", "file", le.File, "offset", le.Offset, "reason", le.Err)
				}
				continue
			}
			return nil, fmt.Errorf("dedup index: %w", err)
		}
		fc.Lines++
		if !claims(statusOfBytes(l.Status), l.IsRevisit(), allStatuses) {
			continue
		}
		dk, ok := keyOfBytes(l.Digest)
		if !ok {
			continue
		}
		k := find(l.Filename)
		if k < 0 {
			continue
		}
		fc.Used++
		at := recordAt{int32(k), max(l.Offset, 0)}
		if old, ok := fc.first[dk]; !ok || at.input < old.input || (at.input == old.input && at.offset < old.offset) {
			fc.first[dk] = at
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return fc, nil
}

// maxResolved bounds the index file names remembered: an index naming
// millions of files the run does not read costs a lookup per line past it,
// not memory.
const maxResolved = 1 << 20

// statusOfBytes is statusOf for an index line's bytes, without an
// allocation for a three-digit status.
func statusOfBytes(b []byte) int {
	if len(b) == 3 && '0' <= b[0] && b[0] <= '9' && '0' <= b[1] && b[1] <= '9' && '0' <= b[2] && b[2] <= '9' {
		return int(b[0]-'0')*100 + int(b[1]-'0')*10 + int(b[2]-'0')
	}
	if len(b) == 0 {
		return 0
	}
	return statusOf(string(b))
}

// Keep reports whether the record at offset of input k (a position in the
// list given to LoadFirstCaptures) is the first of its payload digest; a
// record whose digest the index does not hold is kept.
func (fc *FirstCaptures) Keep(k int, offset int64, digest string) bool {
	dk, ok := keyOf(digest)
	if !ok {
		return true
	}
	at, ok := fc.first[dk]
	return !ok || (int(at.input) == k && at.offset == offset)
}

// KeepInput is Keep for a record of the input named name (as given to
// LoadFirstCaptures; the first of that name); a record of another name is
// kept.
func (fc *FirstCaptures) KeepInput(name string, offset int64, digest string) bool {
	k, ok := fc.inputs[name]
	return !ok || fc.Keep(k, offset, digest)
}

// Len is the number of distinct digests held.
func (fc *FirstCaptures) Len() int { return len(fc.first) }
