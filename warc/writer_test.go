package warc

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriterRenamesOpenFiles(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(WriterOptions{Dir: dir, Hostname: "h.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteGroup([]*OutRecord{{Type: "resource", ID: NewRecordID(), Fields: Header{{"WARC-Target-URI", "urn:x"}, {"WARC-Date", "2020-01-01T00:00:00Z"}}, Body: strings.NewReader("x"), Length: 1}}); err != nil {
		t.Fatal(err)
	}
	open, _ := filepath.Glob(filepath.Join(dir, "*.open"))
	if len(open) != 1 {
		t.Fatalf("want one .open file while writing, got %v", open)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 || strings.HasSuffix(files[0], ".open") || !strings.HasSuffix(files[0], "-00000-h.warc.gz") {
		t.Fatalf("after close: %v", files)
	}
	if _, err := os.Stat(files[0]); err != nil {
		t.Fatal(err)
	}
	// A body shorter than announced is an error, not a silently short record.
	w2, _ := NewWriter(WriterOptions{Dir: dir})
	defer w2.Close()
	if _, err := w2.WriteGroup([]*OutRecord{{Type: "resource", ID: NewRecordID(), Body: strings.NewReader("x"), Length: 5}}); err == nil {
		t.Error("short body accepted")
	}
}

// TestWriterGroupsAndRollover: a group never spans two files, each file
// opens with its warcinfo, and what the writer reports is where the
// records are.
func TestWriterGroupsAndRollover(t *testing.T) {
	dir := t.TempDir()
	var closed []string
	w, err := NewWriter(WriterOptions{Dir: dir, Hostname: "h", MaxSize: 4 << 10, Digest: SHA1,
		Warcinfo: func() []byte { return []byte("software: test\r\n") },
		OnClose:  func(p string) { closed = append(closed, p) }})
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("incompressible? no, but big enough "), 100)
	var all []Written
	for i := 0; i < 6; i++ {
		ws, err := w.WriteGroup([]*OutRecord{
			{Type: "resource", ID: NewRecordID(), Fields: Header{{"WARC-Target-URI", "urn:a"}}, Body: bytes.NewReader(body), Length: int64(len(body))},
			{Type: "metadata", ID: NewRecordID(), Fields: Header{{"WARC-Target-URI", "urn:a"}, {"Warc-Odd-Name", "kept"}}, Body: strings.NewReader("x: y\r\n"), Length: 6},
		})
		if err != nil {
			t.Fatal(err)
		}
		if ws[0].File != ws[1].File {
			t.Fatalf("group split across %s and %s", ws[0].File, ws[1].File)
		}
		all = append(all, ws...)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(w.Files()) < 2 || len(closed) != len(w.Files()) {
		t.Fatalf("files %v, OnClose saw %v", w.Files(), closed)
	}
	// Where the writer says each record is, a reader finds it, whole.
	type place struct {
		file      string
		off, size int64
	}
	found := map[string]place{}
	for _, f := range w.Files() {
		r, err := Open(f, Options{Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		var recs []*Record
		for rec, err := range r.Records() {
			if err != nil {
				t.Fatal(err)
			}
			if rec.Type() == "metadata" && rec.Header.Get("Warc-Odd-Name") != "kept" {
				t.Errorf("field spelling lost: %v", rec.Header)
			}
			recs = append(recs, rec)
		}
		for _, rec := range recs {
			found[rec.ID()] = place{filepath.Base(f), rec.Offset, rec.Size}
		}
		r.Close()
	}
	for _, wr := range all {
		if got := found[wr.ID]; got != (place{wr.File, wr.Offset, wr.Size}) {
			t.Errorf("record %s: written at %s:%d+%d, read at %+v", wr.ID, wr.File, wr.Offset, wr.Size, got)
		}
	}
	for _, f := range w.Files() {
		r, _ := Open(f, Options{Strict: true})
		first, err := r.Next()
		if err != nil || first.Type() != "warcinfo" || !strings.HasPrefix(first.Header.Get(FieldBlockDigest), "sha1:") {
			t.Errorf("%s does not open with a sha1-digested warcinfo: %+v %v", f, first, err)
		}
		r.Close()
	}
	if _, err := NewWriter(WriterOptions{Dir: dir, Digest: "md5"}); err == nil {
		t.Error("unknown digest algorithm accepted")
	}
}
