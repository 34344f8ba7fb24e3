package warc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// RepairResult says what Repair found and did.
type RepairResult struct {
	File    string // the file as given
	Records int    // whole records kept
	Size    int64  // file size before
	// Cut is the offset where the damaged tail starts (== Size when whole).
	Cut    int64
	Reason string // why the tail is damaged; "" when whole
	// TailFile holds the bytes cut off (never thrown away); "" when none.
	TailFile string
	// Renamed is the new name of a ".open" file, once repaired.
	Renamed string
}

// Trimmed reports whether the file had a damaged tail.
func (r *RepairResult) Trimmed() bool { return r.Cut < r.Size }

// Repair checks a WARC file written by capture (gzip per record, or plain)
// record by record and, unless dryRun, cuts a damaged tail (what a kill -9
// leaves: a record or gzip member cut short) so the file is whole again. The
// bytes cut off are saved beside it as <file>.tail-<offset>, so nothing is
// lost. A file named *.open is renamed without the suffix once whole.
func Repair(path string, dryRun bool) (*RepairResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("repair: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("repair: %w", err)
	}
	res := &RepairResult{File: path, Size: st.Size()}
	n, cut, reason, orphan, err := scanGroups(f, 0)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("repair %s: %w", path, err)
	}
	res.Records, res.Cut, res.Reason = n, cut, reason
	if res.Trimmed() {
		if off, ok := wholeRecordAfter(path, cut); ok {
			return res, fmt.Errorf("repair %s: damaged record at offset %d (%s) is followed by a whole record at %d: not a cut tail, refusing to trim", path, cut, reason, off)
		}
	}
	if orphan >= 0 {
		// Cutting the response alone would leave its request: a pair is
		// kept whole or not at all.
		res.Records--
		res.Cut = orphan
		if res.Reason == "" {
			res.Reason = "request without its response"
		} else {
			res.Reason += "; its request cut too, to keep the pair whole"
		}
	}
	if dryRun {
		return res, nil
	}
	if res.Trimmed() {
		cut := res.Cut
		tail := fmt.Sprintf("%s.tail-%d", strings.TrimSuffix(path, ".open"), cut)
		if err := saveTail(path, tail, cut); err != nil {
			return res, fmt.Errorf("repair %s: %w", path, err)
		}
		res.TailFile = tail
		if err := os.Truncate(path, cut); err != nil {
			return res, fmt.Errorf("repair %s: truncate at %d: %w", path, cut, err)
		}
	}
	if strings.HasSuffix(path, ".open") {
		final := strings.TrimSuffix(path, ".open")
		if _, err := os.Stat(final); err == nil {
			return res, fmt.Errorf("repair %s: %s exists, not renaming", path, final)
		}
		if err := os.Rename(path, final); err != nil {
			return res, fmt.Errorf("repair %s: %w", path, err)
		}
		res.Renamed = final
	}
	return res, nil
}

func saveTail(path, tail string, off int64) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(tail, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("save cut tail: %w", err)
	}
	_, err = io.Copy(out, io.NewSectionReader(in, off, 1<<62))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// The tail must be on disk before the file loses it.
		if sf, serr := os.Open(tail); serr == nil {
			err = sf.Sync()
			sf.Close()
		}
	}
	if err != nil {
		os.Remove(tail)
		return fmt.Errorf("save cut tail: %w", err)
	}
	return nil
}

// scanGroups reads r with a strict Reader and returns how many whole
// records it holds before the first damaged one, where that one starts and
// why, and the start of a request left last without its response (-1 if
// none): capture writes a request just before its response, so a request
// closing the file is half of a cut pair. stopAfter > 0 stops once that many
// whole records are found. err is only for I/O failures.
func scanGroups(rd io.Reader, stopAfter int) (records int, cut int64, reason string, orphan int64, err error) {
	r := NewReader(rd, Options{Strict: true})
	orphan = -1
	var prev *Record
	// keep counts prev as whole: it is known once the reader has moved
	// past it (its trailer checked, its gzip member read to the end).
	keep := func() {
		records++
		if prev.Type() == "request" {
			orphan = prev.Offset
		} else {
			orphan = -1 // its response or revisit (written right after it) followed
		}
	}
	for {
		rec, nerr := r.Next()
		if prev != nil && prev.MissingTrailer {
			return records, prev.Offset, "record does not end with CRLF CRLF", orphan, nil
		}
		var re *RecordError
		switch {
		case nerr == io.EOF:
			if prev != nil {
				keep()
			}
			return records, r.raw.N, "", orphan, nil
		case errors.As(nerr, &re):
			if prev != nil && re.Offset > prev.Offset {
				keep()
			}
			return records, re.Offset, strings.TrimPrefix(re.Err.Error(), "warc: "), orphan, nil
		case nerr != nil:
			return records, 0, "", orphan, nerr
		}
		if !rec.Addressable {
			// Another record inside the gzip member of the one before:
			// capture writes one record per member.
			return records, rec.Offset, "bytes after the record inside its gzip member", orphan, nil
		}
		if prev != nil {
			keep()
			if stopAfter > 0 && records >= stopAfter {
				return records, rec.Offset, "", orphan, nil
			}
		}
		prev = rec
	}
}

// wholeRecordAfter looks for a whole record starting after off: a file
// damaged in the middle must not lose its good tail to a repair.
func wholeRecordAfter(path string, off int64) (int64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	// A cut tail is one record group; 256 MiB of it is plenty to find a
	// following record without reading a whole file into memory.
	b, _ := io.ReadAll(io.NewSectionReader(f, off, 256<<20))
	for i := int64(1); i < int64(len(b)); i++ {
		gzStart := b[i] == 0x1f && i+2 < int64(len(b)) && b[i+1] == 0x8b && b[i+2] == 8
		warcStart := b[i] == 'W' && bytes.HasPrefix(b[i:], []byte("WARC/")) && b[i-1] == '\n'
		if !gzStart && !warcStart {
			continue
		}
		if n, _, _, _, err := scanGroups(bytes.NewReader(b[i:]), 1); err == nil && n > 0 {
			return off + i, true
		}
	}
	return 0, false
}
