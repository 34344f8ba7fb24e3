package extract

import (
	"fmt"
	"log/slog"

	"github.com/warcbox/warcbox/warc"
)

// ExtractRecord extracts the page one record holds, as Run does for each
// record of an input, for records read one at a time by their offset
// (warcbox extract --records). It returns nil, nil when the record is no
// HTML page to extract (requests, metadata, images, non-200 responses
// unless opts.AllStatuses). A revisit's payload is in another record: it
// is read through opts.Original and extracted with the revisit's own URL,
// date and status, as Run does for an original in an earlier input;
// without opts.Original revisits are skipped (logged at debug level).
// opts.Workers, Dedup and Progress do not apply: the caller runs records
// at once and drops duplicates as it sees fit.
func ExtractRecord(rec *warc.Record, opts RunOptions) (*Article, error) {
	if opts.Extractor == nil {
		opts.Extractor = New(DefaultOptions())
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	in := warc.Input{Name: rec.File}
	idx := &fileIndex{byID: map[string]int64{}, byDigest: map[string]int64{}}
	j, err := recordJob(rec, in, &source{}, opts.Extractor.opts.MaxBytes, opts, log, idx)
	if err != nil || j == nil {
		return nil, err
	}
	if j.revisit != nil {
		if opts.Original == nil {
			log.Debug("extract: revisit skipped, its original was not selected", "file", rec.File, "offset", rec.Offset,
				"refers_to", j.revisit.refersTo)
			return nil, nil
		}
		orig, closer, err := opts.Original(rec)
		if err != nil {
			return nil, fmt.Errorf("revisit: %w", err)
		}
		ref := j.revisit
		j, err = j.fromRecord(orig, true, ref.status, ref.ctype, ref.date, opts.Extractor.opts.MaxBytes, opts, log)
		closer.Close()
		if err != nil || j == nil {
			return nil, err
		}
	}
	if j.skip != "" {
		j.art.Error = j.skip
		j.art.normalize()
		return &j.art, nil
	}
	a, _ := opts.Extractor.Extract(j.page)
	mergeProvenance(&a, j.art)
	return &a, nil
}
