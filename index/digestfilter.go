package index

import (
	"bytes"
	"context"
	"errors"
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
// All of a collection's filters, those being built included, share one
// budget (filterBudget): an index for which it has no room is scanned, as
// before there were filters.
type digestFilter struct {
	mu     sync.Mutex
	budget *filterBudget
	state  filterState
	fps    []uint32 // sorted, once ready
	// need is the room a build must find free: one that ran out of its
	// share of the budget raises it past what it had, so that the file
	// is not read to its end again for a filter that cannot fit.
	need int
	// dropped: the collection no longer has this index; its share of the
	// budget is given back, and a build ending now keeps nothing.
	dropped bool
}

type filterState int

const (
	filterNone     filterState = iota // not built: the next scan builds it, if the budget has room
	filterBuilding                    // a scan is building it: others scan plainly
	filterReady                       // fps holds every digest of the file
	filterTooLarge                    // more than maxFilterDigests: always scanned
)

// maxFilterDigests bounds one file's filter (64 MiB): an index with more
// non-revisit captures is scanned for every distinct missing digest, as
// before there were filters.
const maxFilterDigests = 16 << 20

// maxFilterTotal bounds the fingerprints of all of one collection's
// filters (256 MiB), builds in progress included: past it, an index gets
// no filter (and is scanned) until the filters of indexes the collection
// no longer has give their room back.
const maxFilterTotal = 64 << 20

// filterBudget is the room left for a collection's digest filters, in
// fingerprints. A build takes its largest possible share when it begins
// and gives back what the finished filter does not hold.
type filterBudget struct {
	mu   sync.Mutex
	free int
}

// take reserves up to want fingerprints, or none when fewer than least
// are free.
func (b *filterBudget) take(least, want int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.free < least {
		return 0
	}
	n := min(want, b.free)
	b.free -= n
	return n
}

func (b *filterBudget) give(n int) {
	b.mu.Lock()
	b.free += n
	b.mu.Unlock()
}

// digestSeed is the fingerprints' hash seed: filters live as long as the
// process, never written anywhere.
var digestSeed = maphash.MakeSeed()

func fingerprint(h uint64) uint32 { return uint32(h) ^ uint32(h>>32) }

func fingerprintOf(d string) uint32 { return fingerprint(maphash.String(digestSeed, d)) }

// begin says what a ByDigest for d does with the filter's file: skip it
// (the filter is ready and lacks d), or scan it, and build the filter
// while scanning when b is not nil (no one built it yet and the budget
// has room; finish or abort must follow).
func (f *digestFilter) begin(d string) (skip bool, b *filterBuilder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch f.state {
	case filterReady:
		_, found := slices.BinarySearch(f.fps, fingerprintOf(d))
		return !found, nil
	case filterNone:
		if f.dropped {
			return false, nil
		}
		limit := f.budget.take(max(f.need, 1), maxFilterDigests)
		if limit == 0 {
			return false, nil // no room: scanned plainly
		}
		f.state = filterBuilding
		return false, &filterBuilder{limit: limit}
	}
	return false, nil
}

// finish makes the filter ready with the fingerprints b's whole scan
// found, or gives up when they were more than b's share of the budget.
func (f *digestFilter) finish(b *filterBuilder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.dropped:
		f.state = filterNone
		f.budget.give(b.limit)
	case b.tooMany && b.limit >= maxFilterDigests:
		f.state = filterTooLarge
		f.budget.give(b.limit)
	case b.tooMany:
		f.state, f.need = filterNone, b.limit+1
		f.budget.give(b.limit)
	default:
		slices.Sort(b.fps)
		// A copy of exactly the size kept: the builder's array may be
		// larger, and the budget counts what is held.
		fps := slices.Clone(slices.Compact(b.fps))
		f.fps, f.state = fps, filterReady
		f.budget.give(b.limit - len(fps))
	}
}

// abort gives up a build whose scan did not read the whole file (an
// error, a cancelled request): the next scan tries again.
func (f *digestFilter) abort(b *filterBuilder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state = filterNone
	f.budget.give(b.limit)
}

// drop gives the filter's room back: its index is gone. A build in
// progress gives its share back when it ends.
func (f *digestFilter) drop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dropped = true
	if f.state == filterReady {
		f.budget.give(len(f.fps))
		f.fps, f.state = nil, filterNone
	}
}

// held is how many fingerprints the filter holds.
func (f *digestFilter) held() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.fps)
}

// filterBuilder collects the fingerprints of one build, at most limit.
type filterBuilder struct {
	limit   int
	fps     []uint32
	tooMany bool
	// failed: a line or block could not be read, so the scan did not see
	// every digest (a package's lines naming WARCs it does not hold are
	// errors too, but were read: they do not count).
	failed bool
	brief  cdxj.Brief
}

// addLine adds a raw index line's digest, if it is a non-revisit's, and
// says whether the line parsed (a header does). A line that does not is
// no capture ByDigest could return, and no digest of the filter: the scan
// parses it too, to report it with its file and offset.
func (b *filterBuilder) addLine(line []byte) bool {
	err := cdxj.ParseBrief(line, &b.brief)
	if err == nil && !b.brief.IsRevisit() {
		b.add(maphash.Bytes(digestSeed, b.brief.Digest))
	}
	return err == nil || errors.Is(err, cdxj.ErrHeader)
}

func (b *filterBuilder) addCapture(c *Capture) {
	if !c.IsRevisit() {
		b.add(maphash.String(digestSeed, c.Digest))
	}
}

func (b *filterBuilder) add(h uint64) {
	if len(b.fps) >= b.limit {
		b.tooMany = true
		return
	}
	if len(b.fps) == cap(b.fps) {
		// Grown by hand so that the array never exceeds the share taken.
		fps := make([]uint32, len(b.fps), min(max(2*cap(b.fps), 1024), b.limit))
		copy(fps, b.fps)
		b.fps = fps
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
		if b != nil && !b.addLine(line) {
			return true // reported by the scan
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
// marks b (when not nil) failed. A line that does not parse was read: it
// is reported, and the filter is built without it.
func rawCaptures(lines iter.Seq2[cdxj.Line, error], b *filterBuilder) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		for l, err := range lines {
			if err != nil {
				if b != nil && !errors.Is(err, cdxj.ErrSyntax) {
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
