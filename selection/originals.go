package selection

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/warc"
)

// ErrNoOriginal reports a revisit whose original record could not be
// found; the error says why (no index, no line for its URL and date, …).
var ErrNoOriginal = errors.New("original not found")

// Originals finds the original record of a revisit read by its row
// (extract --records, cat --records), whose own payload is empty by
// design: the revisit's WARC-Refers-To-Target-URI (or its own target URI)
// and WARC-Refers-To-Date (or, without one, its payload digest) are looked
// up in a sorted CDXJ index (the records file itself when it is one, or
// another index of the collection), and the original is read by one
// Range. Common Crawl's revisits refer to captures of earlier crawls,
// which an index of one crawl does not hold: those are ErrNoOriginal.
type Originals struct {
	// Index is the sorted CDXJ searched, Name its name in messages; a nil
	// Index finds nothing (and says so).
	Index *cdxj.File
	Name  string
	// Base resolves the index's relative file names (as --base does).
	Base string
	// Opener reads the original's range; if nil, Local.
	Opener Opener
}

// Find returns where the original of the revisit rec is.
func (o *Originals) Find(ctx context.Context, rec *warc.Record) (Ref, error) {
	target := strings.TrimSpace(rec.Header.Get(warc.FieldRefersToTarget))
	if target == "" {
		target = rec.TargetURI()
	}
	digest := normDigest(rec.Header.Get(warc.FieldPayloadDigest))
	date := ""
	if d := strings.TrimSpace(rec.Header.Get(warc.FieldRefersToDate)); d != "" {
		if t, err := time.Parse(time.RFC3339Nano, d); err == nil {
			date = t.UTC().Format("20060102150405")
		}
	}
	if o == nil || o.Index == nil {
		return Ref{}, fmt.Errorf("%w: %s: no index to look it up in (select its row too, or give --originals INDEX)", ErrNoOriginal, target)
	}
	before := rec.Date().UTC().Format("20060102150405")
	var best cdxj.Line
	found := false
	for l, err := range o.Index.Lookup(ctx, cdxj.Key(target), cdxj.MatchExact) {
		if err != nil {
			var le *cdxj.LineError
			if errors.As(err, &le) {
				continue // a bad line elsewhere in the index is not this revisit's problem
			}
			return Ref{}, fmt.Errorf("revisit: look up %s in %s: %w", target, o.Name, err)
		}
		if l.Mime == "warc/revisit" || l.Filename == "" || l.Length <= 0 {
			continue
		}
		sameDigest := digest != "" && normDigest(l.Digest) == digest
		switch {
		case date != "" && l.Timestamp == date && (sameDigest || digest == "" || l.Digest == ""):
			best, found = l, true
		case date == "" && sameDigest && l.Timestamp <= before:
			best, found = l, true // the latest such capture before the revisit
		default:
			continue
		}
		if date != "" {
			break
		}
	}
	if !found {
		at := date
		if at == "" {
			at = "before " + before + " with digest " + digest
		}
		return Ref{}, fmt.Errorf("%w: %s: no capture of it at %s in %s", ErrNoOriginal, target, at, o.Name)
	}
	return Ref{File: Resolve(o.Base, best.Filename), Offset: best.Offset, Length: best.Length}, nil
}

// Read finds and reads the original of the revisit rec; close the
// returned io.Closer when done with the record.
func (o *Originals) Read(ctx context.Context, rec *warc.Record) (*warc.Record, io.Closer, error) {
	ref, err := o.Find(ctx, rec)
	if err != nil {
		return nil, nil, err
	}
	op := o.Opener
	if op == nil {
		op = Local{}
	}
	rc, err := op.OpenRange(ctx, ref.File, ref.Offset, ref.Length)
	if err != nil {
		return nil, nil, recordError(ref, fmt.Errorf("revisit original: %w", err))
	}
	orig, err := warc.ReadAtFile(&forwardReaderAt{r: io.LimitReader(rc, ref.Length), pos: ref.Offset}, ref.Offset, ref.File)
	if err != nil {
		rc.Close()
		return nil, nil, recordError(ref, fmt.Errorf("revisit original: %w", err))
	}
	return orig, rc, nil
}

// normDigest compares digests as indexes write them: without the
// algorithm prefix, upper case ("sha1:ABC" = "ABC").
func normDigest(d string) string {
	d = strings.TrimSpace(d)
	if i := strings.IndexByte(d, ':'); i >= 0 {
		d = d[i+1:]
	}
	return strings.ToUpper(d)
}
