package warc

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// readARC turns one ARC record (a header line, then Archive-length bytes)
// into a Record with WARC-style fields, as warcio does, so that the rest of
// warcbox sees one kind of record.
func (r *Reader) readARC(start int64, line []byte) (*Record, error) {
	off, addressable := r.offsetOf(start)
	fields := strings.Fields(string(line))
	want := r.arcFields
	if len(fields) < 5 {
		return nil, &RecordError{File: r.file, Offset: off, Err: fmt.Errorf("%w: ARC header line has %d fields", ErrNotWARC, len(fields))}
	}
	if want == 0 && len(fields) >= 10 {
		want = 10
	}
	if want == 0 || len(fields) < want {
		want = 5
	}
	// URLs may hold spaces (example-space-in-url.arc): the fields after the
	// URL are fixed, so whatever is left over belongs to the URL.
	extra := len(fields) - want
	uri := strings.Join(fields[:1+extra], " ")
	rest := fields[1+extra:]
	ip, date, mime := rest[0], rest[1], rest[2]
	lengthText := rest[len(rest)-1]

	var problem error
	length, err := strconv.ParseInt(lengthText, 10, 64)
	if err != nil || length < 0 {
		problem = fmt.Errorf("%w: ARC Archive-length %q", ErrBadContentLength, lengthText)
		length = 0
	}
	h := Header{}
	recType := "response"
	if strings.HasPrefix(strings.ToLower(uri), "filedesc:") {
		recType = "warcinfo"
	}
	h = append(h, Field{FieldType, recType}, Field{FieldTargetURI, uri})
	if t, err := ParseDate(date); err == nil {
		h = append(h, Field{FieldDate, t.Format(time.RFC3339)})
	}
	h = append(h, Field{FieldIPAddress, ip}, Field{FieldContentType, mime},
		Field{FieldContentLength, strconv.FormatInt(length, 10)})
	if want == 10 && len(rest) == 9 {
		h = append(h, Field{"ARC-Status", rest[3]}, Field{"ARC-Checksum", rest[4]})
	}
	rec := &Record{File: r.file, Offset: off, Addressable: addressable, Version: "ARC", Header: h, ContentLength: length}
	lower := strings.ToLower(uri)
	rec.arcHTTP = recType == "response" && (strings.HasPrefix(lower, "http:") || strings.HasPrefix(lower, "https:"))
	if recType == "warcinfo" {
		if problem != nil {
			// A filedesc header with a bad length (bad.arc): its version
			// and field-names lines still follow; take them as its block,
			// as warcio does, up to the blank line.
			block, n := r.readUntilBlank()
			length = n
			h[len(h)-1].Value = strconv.FormatInt(n, 10)
			rec.ContentLength = n
			r.cur, r.curStart = rec, start
			r.body = &bodyReader{r: r}
			rec.Body = bytes.NewReader(block)
			r.arcFields = arcFieldsFor(block)
			r.pending = append(r.pending, &RecordError{File: r.file, Offset: off, Err: problem})
			return rec, nil
		}
		r.learnARCVersion(length)
	}
	r.attachBody(rec, start, length)
	if problem != nil {
		r.pending = append(r.pending, &RecordError{File: r.file, Offset: off, Err: problem})
	}
	return rec, nil
}

// learnARCVersion peeks at the filedesc block's first line ("1 0 …" or
// "2 0 …") to learn how many fields the record header lines carry.
func (r *Reader) learnARCVersion(length int64) {
	b, _ := r.d.Peek(int(min(length, 64)))
	r.arcFields = arcFieldsFor(b)
}

func arcFieldsFor(block []byte) int {
	if i := bytes.IndexByte(block, '\n'); i >= 0 {
		block = block[:i]
	}
	if bytes.HasPrefix(bytes.TrimSpace(block), []byte("2")) {
		return 10
	}
	return 5
}

// readUntilBlank reads lines up to and including a blank line.
func (r *Reader) readUntilBlank() ([]byte, int64) {
	var block []byte
	for {
		line, err := r.readLine()
		if len(line) == 0 || err != nil {
			return block, int64(len(block))
		}
		block = append(append(block, line...), '\n')
	}
}
