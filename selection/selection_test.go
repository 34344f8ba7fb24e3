package selection

import (
	"bytes"
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/warcbox/warcbox/internal/testcorpus"
	"github.com/warcbox/warcbox/warc"
)

// collect gathers refs and row errors.
func collect(t *testing.T, seq func(func(Ref, error) bool)) (refs []Ref, rowErrs []*RowError) {
	t.Helper()
	for r, err := range seq {
		var re *RowError
		switch {
		case err == nil:
			refs = append(refs, r)
		case errors.As(err, &re):
			rowErrs = append(rowErrs, re)
		default:
			t.Fatalf("fatal error: %v", err)
		}
	}
	return refs, rowErrs
}

func TestLines(t *testing.T) {
	in := strings.Join([]string{
		` CDX N b a m s k r M S V g`, // classic CDX header: skipped
		// warcio.js / warcbox CDXJ: strings
		`org,iana)/ 20140126200624 {"url":"http://www.iana.org/","mime":"text/html","status":"200","digest":"OSSA","length":"2258","offset":"334","filename":"iana.warc.gz"}`,
		// pywb CDXJ: ", " separated, numbers
		`com,example)/ 20140127171200 {"url": "http://example.com", "length": 1046, "offset": 334, "filename": "a/example.warc.gz"}`,
		``,
		// Common Crawl's CDX API, output=json: strings, absolute path
		`{"urlkey": "org,commoncrawl)/", "timestamp": "20240220", "url": "https://commoncrawl.org/", "mime": "warc/revisit", "status": "200", "digest": "CCDIG", "length": "5910", "offset": "371386929", "filename": "crawl-data/CC-MAIN-2024-10/segments/1707947473347.0/warc/CC-MAIN-20240220211055-20240221001055-00000.warc.gz"}`,
		// classic CDX, 11 fields
		`com,example)/ 20140127171251 http://example.com text/html 200 B2LT - - 1151 1043 s3://bucket/example.warc.gz`,
		`{"filename": "/abs/x.warc.gz", "offset": 10, "length": 20, "status": 404}`,
		// bad rows
		`{"filename": "x.warc.gz", "offset": "-5", "length": "10"}`,
		`{"filename": "x.warc.gz", "offset": "abc", "length": "10"}`,
		`{"offset": 1, "length": 2}`,
		`com,example)/ 20140127171251 {"url":"http://example.com","offset":"10","filename":"x.warc.gz"}`,
		`{"filename": "x.warc.gz", "offset": 1, "length": 0}`,
		`not an index line`,
		`{"truncated": `,
	}, "\n")
	refs, bad := collect(t, Lines(strings.NewReader(in), "sel.cdxj", "s3://commoncrawl/"))
	want := []Ref{
		{File: "s3://commoncrawl/iana.warc.gz", Offset: 334, Length: 2258, Row: 2, Digest: "OSSA", Status: 200},
		{File: "s3://commoncrawl/a/example.warc.gz", Offset: 334, Length: 1046, Row: 3},
		{File: "s3://commoncrawl/crawl-data/CC-MAIN-2024-10/segments/1707947473347.0/warc/CC-MAIN-20240220211055-20240221001055-00000.warc.gz", Offset: 371386929, Length: 5910, Row: 5, Digest: "CCDIG", Status: 200, Revisit: true},
		{File: "s3://bucket/example.warc.gz", Offset: 1043, Length: 1151, Row: 6, Digest: "B2LT", Status: 200},
		{File: "/abs/x.warc.gz", Offset: 10, Length: 20, Row: 7, Status: 404},
	}
	if !slices.Equal(refs, want) {
		t.Errorf("refs:\n got %+v\nwant %+v", refs, want)
	}
	var rows []int64
	for _, e := range bad {
		rows = append(rows, e.Row)
		if !strings.Contains(e.Error(), "sel.cdxj: row ") {
			t.Errorf("row error does not name the file and row: %v", e)
		}
	}
	if !slices.Equal(rows, []int64{8, 9, 10, 11, 12, 13, 14}) {
		t.Errorf("bad rows %v", rows)
	}
}

func TestLinesLongLine(t *testing.T) {
	in := `{"filename":"a.warc.gz","offset":1,"length":2}` + "\n" + strings.Repeat("x", maxLine+10) + "\n" +
		`{"filename":"b.warc.gz","offset":1,"length":2}`
	refs, bad := collect(t, Lines(strings.NewReader(in), "s", ""))
	if len(refs) != 2 || refs[1].Row != 3 || len(bad) != 1 || bad[0].Row != 2 {
		t.Fatalf("refs %+v bad %v", refs, bad)
	}
}

func TestCSV(t *testing.T) {
	// DuckDB's COPY (SELECT url, warc_filename, … ) TO 'sel.csv' (HEADER).
	in := "url,warc_filename,warc_record_offset,warc_record_length\n" +
		"https://a/,crawl-data/x.warc.gz,100,50\n" +
		"\"https://b/,with,commas\",crawl-data/x.warc.gz,150,60\n" +
		"https://c/,crawl-data/y.warc.gz,abc,60\n" +
		"https://d/,crawl-data/y.warc.gz,7\n" +
		"https://e/,\"unterminated,1,2\n"
	refs, bad := collect(t, CSV(strings.NewReader(in), "sel.csv", "/mirror"))
	want := []Ref{
		{File: "/mirror/crawl-data/x.warc.gz", Offset: 100, Length: 50, Row: 2},
		{File: "/mirror/crawl-data/x.warc.gz", Offset: 150, Length: 60, Row: 3},
	}
	if !slices.Equal(refs, want) {
		t.Errorf("refs %+v", refs)
	}
	if len(bad) != 3 || bad[0].Row != 4 || bad[1].Row != 5 {
		t.Errorf("bad rows %v", bad)
	}
	// cc-index-table's status and mime columns, for --dedup's claims.
	refs, _ = collect(t, CSV(strings.NewReader("warc_filename,warc_record_offset,warc_record_length,fetch_status,content_mime_type\n"+
		"x.warc.gz,1,2,404,text/html\nx.warc.gz,3,4,200,warc/revisit\n"), "st.csv", ""))
	if len(refs) != 2 || refs[0].Status != 404 || refs[0].Revisit || refs[1].Status != 200 || !refs[1].Revisit {
		t.Errorf("status and mime columns: %+v", refs)
	}
	_, err := func() (Ref, error) {
		for r, err := range CSV(strings.NewReader("a,b\n1,2\n"), "x.csv", "") {
			return r, err
		}
		return Ref{}, nil
	}()
	if err == nil || !strings.Contains(err.Error(), "warc_filename") {
		t.Errorf("missing columns: %v", err)
	}
}

// ccRow has cc-index-table's flat schema for the columns that matter:
// INT32 offsets and lengths, beside others.
type ccRow struct {
	URL    string `parquet:"url"`
	File   string `parquet:"warc_filename"`
	Offset int32  `parquet:"warc_record_offset"`
	Length int32  `parquet:"warc_record_length"`
	Status int16  `parquet:"fetch_status"`
	Digest string `parquet:"content_digest"`
}

// duckRow is what DuckDB writes after a CAST to BIGINT: nullable INT64.
type duckRow struct {
	File   *string `parquet:"warc_filename,optional"`
	Offset *int64  `parquet:"warc_record_offset,optional"`
	Length *int64  `parquet:"warc_record_length,optional"`
}

func writeParquet[T any](t testing.TB, rows []T) []byte {
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParquet(t *testing.T) {
	b := writeParquet(t, []ccRow{
		{"https://a/", "crawl-data/x.warc.gz", 100, 50, 200, "AAAA"},
		{"https://b/", "crawl-data/x.warc.gz", 150, 60, 200, "BBBB"},
		{"https://c/", "", 1, 2, 200, ""},
	})
	refs, bad := collect(t, Read(bytes.NewReader(b), int64(len(b)), "sel.parquet", "https://data.example/"))
	want := []Ref{
		{File: "https://data.example/crawl-data/x.warc.gz", Offset: 100, Length: 50, Row: 1, Digest: "AAAA", Status: 200},
		{File: "https://data.example/crawl-data/x.warc.gz", Offset: 150, Length: 60, Row: 2, Digest: "BBBB", Status: 200},
	}
	if !slices.Equal(refs, want) || len(bad) != 1 || bad[0].Row != 3 {
		t.Errorf("refs %+v bad %v", refs, bad)
	}
	s, o := "y.warc.gz", int64(5)
	big := int64(3 << 30) // past INT32
	b = writeParquet(t, []duckRow{{&s, &big, &o}, {&s, &o, nil}})
	refs, bad = collect(t, Read(bytes.NewReader(b), int64(len(b)), "sel.parquet", ""))
	if len(refs) != 1 || refs[0].Offset != big || len(bad) != 1 {
		t.Errorf("refs %+v bad %v", refs, bad)
	}
	type other struct {
		X int64 `parquet:"x"`
	}
	b = writeParquet(t, []other{{1}})
	for _, err := range Read(bytes.NewReader(b), int64(len(b)), "o.parquet", "") {
		if err == nil || !strings.Contains(err.Error(), "no warc_filename column") {
			t.Errorf("missing column: %v", err)
		}
	}
}

func TestPlan(t *testing.T) {
	refs := []Ref{
		{File: "b", Offset: 0, Length: 10, Row: 1},
		{File: "a", Offset: 30, Length: 5, Row: 2},
		{File: "a", Offset: 10, Length: 20, Row: 3},
		{File: "a", Offset: 10, Length: 20, Row: 4}, // duplicate
		{File: "a", Offset: 0, Length: 10, Row: 5},
		{File: "a", Offset: 36, Length: 5, Row: 6}, // gap of one byte
		{File: "b", Offset: 10, Length: 10, Row: 7},
	}
	spans, dups := Plan(refs)
	got := ""
	for _, s := range spans {
		got += fmt.Sprintf("%s:%d+%d/%d ", s.File, s.Offset, s.Length, len(s.Refs))
	}
	if got != "a:0+35/3 a:36+5/1 b:0+20/2 " || dups != 1 {
		t.Errorf("spans %s dups %d", got, dups)
	}
}

// listing reads a WARC in order and returns a ref and the SHA-1 of the
// block of each record.
func listing(t testing.TB, path string) ([]Ref, []string) {
	t.Helper()
	rd, err := warc.Open(path, warc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var recs []*warc.Record
	var sums []string
	for rec, err := range rd.Records() {
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(rec.Body)
		recs = append(recs, rec)
		sums = append(sums, fmt.Sprintf("%s %x", rec.ID(), sha1.Sum(b)))
	}
	var refs []Ref
	for i, rec := range recs {
		if rec.Size <= 0 || !rec.Addressable {
			t.Fatalf("%s: record %d at %d has size %d", path, i, rec.Offset, rec.Size)
		}
		refs = append(refs, Ref{File: path, Offset: rec.Offset, Length: rec.Size, Row: int64(i + 1)})
	}
	return refs, sums
}

func seq(refs []Ref) func(func(Ref, error) bool) {
	return func(yield func(Ref, error) bool) {
		for _, r := range refs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Reading every record of real WARCs by offset gives what the sequential
// reader gives; records one after another in a gzip file are read with a
// single request.
func TestEachCorpus(t *testing.T) {
	dir := testcorpus.Dir(t)
	for _, rel := range []string{
		"pywb/sample_archive/warcs/iana.warc.gz",
		"pywb/sample_archive/warcs/example.warc.gz",
		"pywb/sample_archive/warcs/example.arc.gz",
		"warcio/test/data/example-iana.org-chunked.warc",
		"jwat/jwat-warc/src/test/resources/IAH-20080430204825-00000-blackbook.warc.gz",
	} {
		t.Run(filepath.Base(rel), func(t *testing.T) {
			path := filepath.Join(dir, rel)
			refs, sums := listing(t, path)
			// Shuffled rows come back in offset order.
			rows := slices.Clone(refs)
			slices.Reverse(rows)
			var got []string
			st, err := Each(context.Background(), seq(rows), Options{Batch: 7},
				func(r Ref, rec *warc.Record) (string, error) {
					b, err := io.ReadAll(rec.Body)
					return fmt.Sprintf("%s %x", rec.ID(), sha1.Sum(b)), err
				},
				func(r Ref, s string, err error) error {
					if err != nil {
						t.Errorf("row %d: %v", r.Row, err)
					}
					got = append(got, s)
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			// Batches of 7 rows are each sorted: compare as sets, then check
			// one batch-free run for order.
			if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(sums))) {
				t.Errorf("records differ from the sequential reader's:\n got %v\nwant %v", got, sums)
			}
			if st.Records != int64(len(refs)) || st.Failed != 0 {
				t.Errorf("stats %+v", st)
			}
			got = got[:0]
			st, err = Each(context.Background(), seq(rows), Options{},
				func(r Ref, rec *warc.Record) (string, error) {
					b, err := io.ReadAll(rec.Body)
					return fmt.Sprintf("%s %x", rec.ID(), sha1.Sum(b)), err
				},
				func(r Ref, s string, err error) error { got = append(got, s); return nil })
			if err != nil || !slices.Equal(got, sums) {
				t.Errorf("one batch: order differs from the file's: %v", err)
			}
			if strings.HasSuffix(rel, ".gz") && st.Requests != 1 {
				t.Errorf("%d requests for %d adjacent records", st.Requests, len(refs))
			}
			var size int64
			for _, r := range refs {
				size += r.Length
			}
			if st.Bytes != size {
				t.Errorf("fetched %d bytes, the records hold %d", st.Bytes, size)
			}
		})
	}
}

// Bad rows each get an error naming the file, the offset and the reason;
// the rows around them are read.
func TestEachBadRows(t *testing.T) {
	path := testcorpus.File(t, "pywb/sample_archive/warcs/iana.warc.gz")
	refs, _ := listing(t, path)
	st0, _ := os.Stat(path)
	good1, good2, good3 := refs[0], refs[5], refs[9]
	rows := []Ref{
		good1,
		{File: path, Offset: refs[3].Offset + 7, Length: refs[3].Length, Row: 20}, // inside a gzip member
		{File: path, Offset: refs[7].Offset, Length: refs[7].Length / 2, Row: 21}, // index says less than the record holds
		{File: path, Offset: st0.Size() - 10, Length: 100, Row: 22},               // past the end
		{File: path + ".missing", Offset: 0, Length: 100, Row: 23},                // no such file
		good2, good3,
	}
	var ok []int64
	errs := map[int64]error{}
	st, err := Each(context.Background(), func(yield func(Ref, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
		yield(Ref{Row: 24}, &RowError{Source: "sel", Row: 24, Err: ErrBadRange})
	}, Options{},
		func(r Ref, rec *warc.Record) (int, error) {
			_, err := io.Copy(io.Discard, rec.Body)
			return 0, err
		},
		func(r Ref, _ int, err error) error {
			if err != nil {
				errs[r.Row] = err
			} else {
				ok = append(ok, r.Row)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(slices.Sorted(slices.Values(ok)), []int64{good1.Row, good2.Row, good3.Row}) {
		t.Errorf("good rows read: %v", ok)
	}
	for _, row := range []int64{20, 21, 22, 23} {
		err := errs[row]
		var re *warc.RecordError
		if !errors.As(err, &re) || re.File == "" || !strings.Contains(err.Error(), "offset ") {
			t.Errorf("row %d: error %v does not name file and offset", row, err)
		}
	}
	if !errors.Is(errs[22], ErrBeyondEnd) {
		t.Errorf("row 22: %v", errs[22])
	}
	if _, ok := errs[24].(*RowError); !ok {
		t.Errorf("row 24: %v", errs[24])
	}
	if st.Failed != 5 || st.Rows != 8 {
		t.Errorf("stats %+v", st)
	}
}

// countingOpener records how many ranges are open at once.
type countingOpener struct {
	open, max atomic.Int64
	calls     atomic.Int64
}

type closeFunc struct {
	io.Reader
	close func() error
}

func (c closeFunc) Close() error { return c.close() }

func (o *countingOpener) OpenRange(ctx context.Context, file string, off, n int64) (io.ReadCloser, error) {
	o.calls.Add(1)
	cur := o.open.Add(1)
	for m := o.max.Load(); cur > m && !o.max.CompareAndSwap(m, cur); m = o.max.Load() {
	}
	rc, err := Local{}.OpenRange(ctx, file, off, n)
	if err != nil {
		o.open.Add(-1)
		return nil, err
	}
	return closeFunc{rc, func() error { o.open.Add(-1); return rc.Close() }}, nil
}

func TestEachRequestsBound(t *testing.T) {
	path := testcorpus.File(t, "pywb/sample_archive/warcs/iana.warc.gz")
	refs, _ := listing(t, path)
	// Every other record: no two adjacent, one request each.
	var rows []Ref
	for i := 0; i < len(refs); i += 2 {
		rows = append(rows, refs[i])
	}
	op := &countingOpener{}
	st, err := Each(context.Background(), seq(rows), Options{Opener: op, Requests: 3},
		func(r Ref, rec *warc.Record) (int, error) { return 0, nil },
		func(Ref, int, error) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if op.calls.Load() != int64(len(rows)) || st.Requests != int64(len(rows)) {
		t.Errorf("%d calls, %d requests for %d scattered rows", op.calls.Load(), st.Requests, len(rows))
	}
	if op.max.Load() > 3 || st.MaxInFlight > 3 {
		t.Errorf("%d ranges open at once (stats %d), limit 3", op.max.Load(), st.MaxInFlight)
	}
}
