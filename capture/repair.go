package capture

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
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
	n, cut, reason, orphan, err := scanGroups(f)
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

// countingReader counts bytes handed out, so that with a bufio.Reader on
// top the position of the next unread byte is n - Buffered().
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// scanRecords returns how many whole records r holds, where the first
// damaged one starts, and why. err is only for I/O failures.
func scanRecords(r io.Reader) (records int, cut int64, reason string, err error) {
	records, cut, reason, _, err = scanGroups(r)
	return
}

// scanGroups is scanRecords that also returns the start of a request left
// last without its response (-1 if none): capture writes a request just
// before its response, so a request closing the file is half of a cut pair.
func scanGroups(r io.Reader) (records int, cut int64, reason string, orphan int64, err error) {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	pos := func() int64 { return cr.n - int64(br.Buffered()) }
	magic, perr := br.Peek(2)
	gz := perr == nil && magic[0] == 0x1f && magic[1] == 0x8b
	var zr *gzip.Reader
	orphan = -1
	for {
		start := pos()
		if _, perr := br.Peek(1); perr == io.EOF {
			return records, start, "", orphan, nil
		}
		var why string
		var info recordInfo
		if gz {
			if zr == nil {
				zr, err = gzip.NewReader(br)
			} else {
				err = zr.Reset(br)
			}
			if err != nil {
				return records, start, "gzip member header: " + err.Error(), orphan, nil
			}
			zr.Multistream(false)
			rbr := bufio.NewReader(zr)
			if why, info = checkRecord(rbr); why != "" {
				return records, start, why, orphan, nil
			}
			// The member must end right after the record, checksum intact.
			if _, err := io.Copy(io.Discard, rbr); err != nil {
				return records, start, "gzip member: " + err.Error(), orphan, nil
			}
			if extra := rbr.Buffered(); extra > 0 {
				return records, start, "bytes after the record inside its gzip member", orphan, nil
			}
		} else if why, info = checkRecord(br); why != "" {
			return records, start, why, orphan, nil
		}
		records++
		switch {
		case strings.EqualFold(info.typ, "request"):
			orphan = start
		default:
			orphan = -1 // its response or revisit (written right after it) followed
		}
	}
}

// recordInfo is what repair needs of a record's header.
type recordInfo struct {
	typ string
}

// checkRecord reads one WARC record from br, returning why it is not whole.
func checkRecord(br *bufio.Reader) (string, recordInfo) {
	var info recordInfo
	why := checkRecordInto(br, &info)
	return why, info
}

func checkRecordInto(br *bufio.Reader, info *recordInfo) string {
	line, err := br.ReadString('\n')
	if err != nil {
		return "record cut in its version line"
	}
	if !strings.HasPrefix(line, "WARC/") {
		return fmt.Sprintf("no WARC version line (found %q)", truncateStr(line, 20))
	}
	cl := int64(-1)
	hdr := 0
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return "record cut in its header"
		}
		hdr += len(line)
		if hdr > 1<<20 {
			return "record header longer than 1 MiB"
		}
		if line == "\r\n" || line == "\n" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "content-length":
			cl, err = strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil || cl < 0 {
				return fmt.Sprintf("bad Content-Length %q", strings.TrimSpace(v))
			}
		case "warc-type":
			info.typ = strings.TrimSpace(v)
		}
	}
	if cl < 0 {
		return "record without Content-Length"
	}
	n, err := io.CopyN(io.Discard, br, cl)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Sprintf("block cut after %d of %d bytes", n, cl)
		}
		return "block: " + err.Error()
	}
	end := make([]byte, 4)
	if m, err := io.ReadFull(br, end); err != nil {
		return fmt.Sprintf("record end marker cut after %d of 4 bytes", m)
	}
	if !bytes.Equal(end, []byte("\r\n\r\n")) {
		return fmt.Sprintf("record does not end with CRLF CRLF (found %q)", end)
	}
	return ""
}

func truncateStr(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
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
		if n, _, _, err := scanRecords(bytes.NewReader(b[i:])); err == nil && n > 0 {
			return off + i, true
		}
	}
	return 0, false
}
