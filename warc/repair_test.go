package warc

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writtenFile writes what a capture writes: a warcinfo, then request and
// response pairs in gzip members, and returns the
// finished file.
func writtenFile(t *testing.T) string {
	t.Helper()
	w, err := NewWriter(WriterOptions{Dir: t.TempDir(), Hostname: "h", Warcinfo: func() []byte { return []byte("software: test\r\n") }})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/a.png", "/b.png"} {
		if _, err := w.WriteGroup(pair("http://x"+p, 3000)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.Files()[0]
}

// pair is a request and its response of n body bytes, as capture writes them.
func pair(uri string, n int) []*OutRecord {
	req, resp := NewRecordID(), NewRecordID()
	reqBody := "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
	respBody := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", n) + strings.Repeat("<p>filler</p>", n/13) + strings.Repeat("r", n%13)
	date := "2024-01-01T00:00:00.000000Z"
	return []*OutRecord{
		{Type: "request", ID: req, Fields: Header{{"WARC-Target-URI", uri}, {"WARC-Date", date}, {"WARC-Concurrent-To", resp}, {"Content-Type", "application/http;msgtype=request"},
			{"WARC-Block-Digest", SHA256.Of([]byte(reqBody))}},
			Body: strings.NewReader(reqBody), Length: int64(len(reqBody))},
		{Type: "response", ID: resp, Fields: Header{{"WARC-Target-URI", uri}, {"WARC-Date", date}, {"WARC-Concurrent-To", req}, {"Content-Type", "application/http;msgtype=response"},
			{"WARC-Block-Digest", SHA256.Of([]byte(respBody))}},
			Body: strings.NewReader(respBody), Length: int64(len(respBody))},
	}
}

func TestRepairCutTail(t *testing.T) {
	for _, tc := range []struct {
		name string
		cut  int64 // bytes removed from the end
	}{{"mid-member", 100}, {"one byte", 1}, {"member header", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			src := writtenFile(t)
			whole, _ := os.ReadFile(src)
			// What a kill -9 leaves: the file still .open, its last member cut.
			open := src + ".open"
			os.Rename(src, open)
			data := whole[:int64(len(whole))-tc.cut]
			if tc.cut == 0 {
				data = append(append([]byte{}, whole...), 0x1f, 0x8b, 0x08, 0, 0) // a member begun, nothing more
			}
			os.WriteFile(open, data, 0o644)

			rep, err := Verify(context.Background(), open, Options{})
			if err == nil && rep.OK() && tc.cut != 0 {
				t.Fatal("Verify finds nothing wrong with a cut file")
			}
			dry, err := Repair(open, true)
			if err != nil || !dry.Trimmed() {
				t.Fatalf("dry run: %+v %v", dry, err)
			}
			if b, _ := os.ReadFile(open); !bytes.Equal(b, data) {
				t.Fatal("dry run changed the file")
			}
			res, err := Repair(open, false)
			if err != nil {
				t.Fatal(err)
			}
			if res.Renamed != src || res.Reason == "" {
				t.Errorf("result %+v", res)
			}
			fixed, _ := os.ReadFile(src)
			tail, _ := os.ReadFile(res.TailFile)
			if !bytes.Equal(append(fixed, tail...), data) {
				t.Error("file plus saved tail is not the original: data lost")
			}
			if tc.cut == 0 && !bytes.Equal(fixed, whole) {
				t.Error("whole records were cut")
			}
			// No findings at all: not even a request left without its response.
			if rep, err := Verify(context.Background(), src, Options{}); err != nil || len(rep.Findings) > 0 {
				t.Errorf("repaired file does not verify cleanly: %v %+v", err, rep)
			}
			again, err := Repair(src, false)
			if err != nil || again.Trimmed() {
				t.Errorf("second repair: %+v %v", again, err)
			}
		})
	}
}

func TestRepairRefusesMiddleDamage(t *testing.T) {
	src := writtenFile(t)
	b, _ := os.ReadFile(src)
	// Damage a byte in the middle of the second gzip member.
	second := bytes.Index(b[10:], []byte{0x1f, 0x8b, 0x08}) + 10
	b[second+40] ^= 0xff
	os.WriteFile(src, b, 0o644)
	if _, err := Repair(src, false); err == nil || !strings.Contains(err.Error(), "not a cut tail") {
		t.Fatalf("want refusal, got %v", err)
	}
	if after, _ := os.ReadFile(src); !bytes.Equal(after, b) {
		t.Error("refused repair changed the file")
	}
}

func TestRepairPlainWARC(t *testing.T) {
	dir := t.TempDir()
	rec := "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n"
	p := filepath.Join(dir, "x.warc")
	os.WriteFile(p, []byte(rec+rec+rec[:30]), 0o644)
	res, err := Repair(p, false)
	if err != nil || res.Records != 2 || res.Cut != int64(2*len(rec)) {
		t.Fatalf("%+v %v", res, err)
	}
	if b, _ := os.ReadFile(p); string(b) != rec+rec {
		t.Errorf("repaired to %q", b)
	}
}

// TestRepairKeepsPairsWhole: when the response of the last pair is cut,
// its request goes too.
func TestRepairKeepsPairsWhole(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(WriterOptions{Dir: dir, Hostname: "h"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := w.WriteGroup(pair("http://x/1", 500))
	if err != nil {
		t.Fatal(err)
	}
	second, err := w.WriteGroup(pair("http://x/2", 500))
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	p := w.Files()[0]
	st, _ := os.Stat(p)
	os.Truncate(p, st.Size()-20) // inside the last response
	res, err := Repair(p, false)
	if err != nil {
		t.Fatal(err)
	}
	wantCut := second[0].Offset // the second request's member
	if res.Cut != wantCut || res.Records != 3 || !strings.Contains(res.Reason, "request") {
		t.Errorf("repair %+v, want cut at %d (after warcinfo and the first pair ending at %d)", res, wantCut, first[1].Offset+first[1].Size)
	}
	if st, _ := os.Stat(p); st.Size() != wantCut {
		t.Errorf("file is %d bytes, want %d", st.Size(), wantCut)
	}
	// A file ending on a request alone (the crash fell between the two
	// members) loses that request too.
	kept, _ := os.ReadFile(p)
	tail, _ := os.ReadFile(res.TailFile)
	os.Remove(res.TailFile)
	os.WriteFile(p, append(kept, tail...)[:second[1].Offset], 0o644)
	res, err = Repair(p, false)
	if err != nil || res.Cut != wantCut || res.Reason != "request without its response" {
		t.Errorf("file ending on a request: %+v %v", res, err)
	}
}

// TestRepairEveryCut cuts a written file at every byte and checks that
// repair keeps exactly the whole groups before the cut: the warcinfo and
// each request with its response, nothing less, nothing more.
func TestRepairEveryCut(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(WriterOptions{Dir: dir, Hostname: "h"})
	if err != nil {
		t.Fatal(err)
	}
	var bounds []int64 // where a whole group ends
	for i := range 3 {
		ws, err := w.WriteGroup(pair(fmt.Sprintf("http://x/%d", i), 200+i*700))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			bounds = append(bounds, ws[0].Offset) // the end of the warcinfo
		}
		bounds = append(bounds, ws[1].Offset+ws[1].Size)
	}
	w.Close()
	whole, _ := os.ReadFile(w.Files()[0])
	p := filepath.Join(dir, "cut.warc.gz")
	near := func(n int64) bool {
		for _, b := range bounds {
			if n >= b-30 && n <= b+30 {
				return true
			}
		}
		return false
	}
	for n := int64(0); n <= int64(len(whole)); n++ {
		// Every byte around the boundaries, a sample elsewhere: a second.
		if !near(n) && n%23 != 0 {
			continue
		}
		os.WriteFile(p, whole[:n], 0o644)
		res, err := Repair(p, true)
		if err != nil {
			t.Fatalf("cut at %d: %v", n, err)
		}
		want := int64(0)
		for _, b := range bounds {
			if b <= n {
				want = b
			}
		}
		if res.Cut != want || (res.Cut < n) != (res.Reason != "") {
			t.Fatalf("file cut at %d of %d: repair keeps %d bytes (%q), want %d", n, len(whole), res.Cut, res.Reason, want)
		}
	}
}
