package index

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"iter"
	"slices"
	"sync"

	"github.com/warcbox/warcbox/cdxj"
)

// digestFilter is a side index of the payload digests of one index
// file's non-revisit captures, built by the first ByDigest scan that
// reads the whole file: a sorted list of 32-bit fingerprints (4 bytes a
// capture, at most maxFilterDigests of them). A digest whose fingerprint
// is absent is not in the file, so a revisit whose original is nowhere
// costs a binary search per index file instead of a scan of each; a
// fingerprint present (the digest, or about one chance in 2^32/n another)
// still scans the file, and the answer is remembered with the others.
type digestFilter struct {
	mu    sync.Mutex
	state filterState
	fps   []uint32 // sorted, once ready
}

type filterState int

const (
	filterNone     filterState = iota // not built: the next scan builds it
	filterBuilding                    // a scan is building it: others scan plainly
	filterReady                       // fps holds every digest of the file
	filterTooLarge                    // more than maxFilterDigests: always scanned
)

// maxFilterDigests bounds one file's filter (64 MiB): an index with more
// non-revisit captures is scanned for every distinct missing digest, as
// before there were filters.
const maxFilterDigests = 16 << 20

// digestSeed is the fingerprints' hash seed: filters live as long as the
// process, never written anywhere.
var digestSeed = maphash.MakeSeed()

func fingerprint(h uint64) uint32 { return uint32(h) ^ uint32(h>>32) }

func fingerprintOf(d string) uint32 { return fingerprint(maphash.String(digestSeed, d)) }

// begin says what a ByDigest for d does with the filter's file: skip it
// (the filter is ready and lacks d), scan it, and build the filter while
// scanning (no one built it yet; finish or abort must follow).
func (f *digestFilter) begin(d string) (skip, build bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch f.state {
	case filterReady:
		_, found := slices.BinarySearch(f.fps, fingerprintOf(d))
		return !found, false
	case filterNone:
		f.state = filterBuilding
		return false, true
	}
	return false, false
}

// finish makes the filter ready with the fingerprints a whole scan found
// (or too large, when it found more than the bound).
func (f *digestFilter) finish(fps []uint32, tooMany bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if tooMany {
		f.state = filterTooLarge
		return
	}
	slices.Sort(fps)
	f.fps, f.state = slices.Clip(slices.Compact(fps)), filterReady
}

// abort gives up a build whose scan did not read the whole file (an
// error, a cancelled request): the next scan tries again.
func (f *digestFilter) abort() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state = filterNone
}

// filterBuilder collects the fingerprints of one build.
type filterBuilder struct {
	fps     []uint32
	tooMany bool
	// failed: a line or block could not be read, so the scan did not see
	// every digest (a package's lines naming WARCs it does not hold are
	// errors too, but were read: they do not count).
	failed bool
	brief  cdxj.Brief
}

// addLine adds a raw index line's digest, if it is a non-revisit's. A
// line that does not parse is no capture ByDigest could return.
func (b *filterBuilder) addLine(line []byte) {
	if cdxj.ParseBrief(line, &b.brief) == nil && !b.brief.IsRevisit() {
		b.add(maphash.Bytes(digestSeed, b.brief.Digest))
	}
}

func (b *filterBuilder) addCapture(c *Capture) {
	if !c.IsRevisit() {
		b.add(maphash.String(digestSeed, c.Digest))
	}
}

func (b *filterBuilder) add(h uint64) {
	if len(b.fps) >= maxFilterDigests {
		b.tooMany = true
		return
	}
	b.fps = append(b.fps, fingerprint(h))
}

// digestScan yields the captures of src that may have payload digest
// want (its bytes without the "sha1:" label): only the lines holding them
// are parsed when the index can be scanned raw, else every capture. With
// a builder, every line's digest is added to it as the scan passes.
func digestScan(ctx context.Context, src Source, want string, b *filterBuilder) iter.Seq2[Capture, error] {
	w := []byte(want)
	keep := func(line []byte) bool {
		if b != nil {
			b.addLine(line)
		}
		return bytes.Contains(line, w)
	}
	switch x := src.(type) {
	case heldPackage:
		if rs, ok := x.x.idx.(rawScanner); ok {
			return func(yield func(Capture, error) bool) { x.x.captures(rawCaptures(rs.Scan(ctx, keep), b), yield) }
		}
		return allCaptures(ctx, x, b)
	case *CDXJFile:
		return rawCaptures(x.idx.Scan(ctx, keep), b)
	}
	return allCaptures(ctx, src, b)
}

// rawCaptures turns the lines of a raw scan into captures; a read error
// marks b (when not nil) failed.
func rawCaptures(lines iter.Seq2[cdxj.Line, error], b *filterBuilder) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		for l, err := range lines {
			if err != nil {
				if b != nil {
					b.failed = true
				}
				if !yield(Capture{}, fmt.Errorf("index: %w", err)) {
					return
				}
				continue
			}
			if !yield(FromLine(l), nil) {
				return
			}
		}
	}
}

// allCaptures is every capture of src, each added to b when not nil.
func allCaptures(ctx context.Context, src Source, b *filterBuilder) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		for c, err := range src.Lookup(ctx, Query{MatchType: cdxj.MatchPrefix}) {
			if b != nil {
				if err != nil {
					b.failed = true
				} else {
					b.addCapture(&c)
				}
			}
			if !yield(c, err) {
				return
			}
		}
	}
}
