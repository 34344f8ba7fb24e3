package capture

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/warc"
)

// capturedFile captures a small site and returns the single WARC written.
func capturedFile(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<img src="/a.png"><img src="/b.png">`+strings.Repeat("<p>filler</p>", 200)+r.URL.Path)
	}))
	t.Cleanup(s.Close)
	res := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) { o.IgnoreRobots = true })
	if res.err != nil || len(res.sum.Files) != 1 {
		t.Fatalf("capture: %v %v", res.err, res.sum.Files)
	}
	return res.sum.Files[0]
}

func TestRepairCutTail(t *testing.T) {
	for _, tc := range []struct {
		name string
		cut  int64 // bytes removed from the end
	}{{"mid-member", 100}, {"one byte", 1}, {"member header", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			src := capturedFile(t)
			whole, _ := os.ReadFile(src)
			// What a kill -9 leaves: the file still .open, its last member cut.
			open := src + ".open"
			os.Rename(src, open)
			data := whole[:int64(len(whole))-tc.cut]
			if tc.cut == 0 {
				data = append(append([]byte{}, whole...), 0x1f, 0x8b, 0x08, 0, 0) // a member begun, nothing more
			}
			os.WriteFile(open, data, 0o644)

			rep, err := warc.Verify(context.Background(), open, warc.Options{})
			if err == nil && rep.OK() && tc.cut != 0 {
				t.Fatal("warc.Verify finds nothing wrong with a cut file")
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
			if rep, err := warc.Verify(context.Background(), src, warc.Options{}); err != nil || len(rep.Findings) > 0 {
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
	src := capturedFile(t)
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
	w, err := warc.NewWriter(warc.WriterOptions{Dir: dir, Hostname: "h"})
	if err != nil {
		t.Fatal(err)
	}
	pair := func(uri string) []*warc.OutRecord {
		req, resp := warc.NewRecordID(), warc.NewRecordID()
		reqBody := "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
		respBody := "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + strings.Repeat("r", 500)
		return []*warc.OutRecord{
			{Type: "request", ID: req, Fields: []warc.Field{{Name: "WARC-Target-URI", Value: uri}, {Name: "WARC-Date", Value: "2024-01-01T00:00:00.000000Z"}, {Name: "WARC-Concurrent-To", Value: resp}, {Name: "Content-Type", Value: "application/http;msgtype=request"}},
				Body: strings.NewReader(reqBody), Length: int64(len(reqBody))},
			{Type: "response", ID: resp, Fields: []warc.Field{{Name: "WARC-Target-URI", Value: uri}, {Name: "WARC-Date", Value: "2024-01-01T00:00:00.000000Z"}, {Name: "WARC-Concurrent-To", Value: req}, {Name: "Content-Type", Value: "application/http;msgtype=response"}},
				Body: strings.NewReader(respBody), Length: int64(len(respBody))},
		}
	}
	first, err := w.WriteGroup(pair("http://x/1"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := w.WriteGroup(pair("http://x/2"))
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
