package warc

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func record(id string, extra string) string {
	body := "hello"
	return fmt.Sprintf("WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:%s>\r\n%sContent-Length: %d\r\n\r\n%s\r\n\r\n",
		id, extra, len(body), body)
}

// A header longer than the read buffer used to overwrite the version line
// (it was a slice of the buffer): cat printed garbage and verify said OK.
func TestLongHeaderKeepsVersion(t *testing.T) {
	for _, n := range []int{10 << 10, 20 << 10, 300 << 10} {
		long := "X-Long: " + strings.Repeat("a", n) + "\r\n"
		in := record("1", long) + record("2", "")
		r := NewReader(strings.NewReader(in), Options{})
		var got []*Record
		for rec, err := range r.Records() {
			if err != nil {
				t.Fatalf("%d: %v", n, err)
			}
			got = append(got, rec)
		}
		if len(got) != 2 {
			t.Fatalf("%d: %d records", n, len(got))
		}
		for _, rec := range got {
			if rec.Version != "WARC/1.0" {
				t.Errorf("header of %d bytes: version %q", n, rec.Version[:min(40, len(rec.Version))])
			}
		}
		if v := got[0].Header.Get("X-Long"); len(v) != n {
			t.Errorf("X-Long has %d bytes, want %d", len(v), n)
		}
	}
}

// A header past maxHeader (many lines, each short) is an error naming the
// record, and the record after it is still read.
func TestHeaderBound(t *testing.T) {
	var many bytes.Buffer
	for i := 0; many.Len() <= maxHeader; i++ {
		fmt.Fprintf(&many, "X-F%d: %s\r\n", i, strings.Repeat("b", 1000))
	}
	in := record("1", many.String()) + record("2", "")
	r := NewReader(strings.NewReader(in), Options{})
	var ids []string
	var errs []error
	for rec, err := range r.Records() {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, rec.ID())
	}
	var re *RecordError
	if len(errs) == 0 || !errors.As(errs[0], &re) || !errors.Is(errs[0], ErrHeaderTooLong) || re.Offset != 0 {
		t.Fatalf("errors %v, want ErrHeaderTooLong at offset 0", errs)
	}
	if len(ids) != 1 || ids[0] != "<urn:uuid:2>" {
		t.Errorf("records after the long header: %q", ids)
	}
}
