package selection

import (
	"bytes"
	"context"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/internal/testcorpus"
	"github.com/warcbox/warcbox/warc"
)

func TestDigestsSpellings(t *testing.T) {
	var s Digests
	for _, d := range []string{"sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "", "-", "sha256:ABCDEF"} {
		if !s.Add(d) {
			t.Errorf("%q: not new", d)
		}
	}
	// The same SHA-1 bare, lower case; "" and "-" are never repeats.
	for _, d := range []string{"B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "sha1:b2ltwwpuoyah7uipq7zupq4vmbsvc36a", "SHA1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "sha256:abcdef"} {
		if s.Add(d) || !s.Has(d) {
			t.Errorf("%q: not seen as a repeat", d)
		}
	}
	for _, d := range []string{"", "-", "sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36B", "md5:abcdef", "ABCDEF"} {
		if !s.Add(d) {
			t.Errorf("%q: taken for a repeat", d)
		}
	}
	if SameDigest("", "") || !SameDigest("sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A") {
		t.Errorf("SameDigest")
	}
}

// Each with Dedup: the first row of a digest in file order wins whatever
// the shard, so the shards' union is the unsharded run, and repeated rows
// are not fetched.
func TestEachDedupShards(t *testing.T) {
	path := testcorpus.File(t, "pywb/sample_archive/warcs/iana.warc.gz")
	refs, _ := listing(t, path)
	var rows []Ref
	for i := 0; i < min(200, len(refs)); i++ {
		r := refs[i] // distinct ranges: Plan would merge a repeated one
		r.Row = int64(i + 1)
		r.Digest = fmt.Sprintf("sha1:D%02d", (i*13)%41) // 41 distinct, repeated in shuffled order
		if i%17 == 0 {
			r.Digest = "" // never deduplicated
		}
		rows = append(rows, r)
	}
	run := func(keep func(int64) bool) (got []int64, st *Stats) {
		st, err := Each(context.Background(), seq(rows), Options{Batch: 16, Dedup: true, Keep: keep},
			func(r Ref, rec *warc.Record) (int64, error) { return r.Row, nil },
			func(r Ref, row int64, err error) error {
				if err != nil {
					t.Errorf("row %d: %v", r.Row, err)
				}
				got = append(got, row)
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		return got, st
	}
	all, st := run(nil)
	nodigest := 0
	for _, r := range rows {
		if r.Digest == "" {
			nodigest++
		}
	}
	if len(all) != 41+nodigest || st.Repeated != int64(len(rows)-len(all)) {
		t.Fatalf("one run: %d rows read (%d repeated), want %d", len(all), st.Repeated, 41+nodigest)
	}
	slices.Sort(all)
	for _, n := range []int64{2, 3, 7} {
		var union []int64
		var repeated int64
		for i := range n {
			got, st := run(func(r int64) bool { return (r/16)%n == i })
			union = append(union, got...)
			repeated += st.Repeated
		}
		slices.Sort(union)
		if !slices.Equal(union, all) || repeated != int64(len(rows)-len(all)) {
			t.Errorf("%d shards: %d rows, %d repeated; one run %d", n, len(union), repeated, len(all))
		}
	}
}

func TestFirstCaptures(t *testing.T) {
	index := strings.Join([]string{
		`com,a)/ 20200101000000 {"url":"http://a/","digest":"sha1:AAAA","offset":"500","filename":"b.warc.gz"}`,
		`com,a)/ 20200102000000 {"url":"http://a/","digest":"AAAA","offset":"100","filename":"b.warc.gz"}`,
		`com,a)/ 20200103000000 {"url":"http://a/","digest":"sha1:AAAA","offset":"900","filename":"a.warc.gz"}`,
		`com,a)/ 20200104000000 {"url":"http://a/","mime":"warc/revisit","digest":"sha1:BBBB","offset":"10","filename":"a.warc.gz"}`,
		`com,b)/ 20200104000000 {"url":"http://b/","digest":"sha1:BBBB","offset":"700","filename":"b.warc.gz"}`,
		`com,c)/ 20200104000000 {"url":"http://c/","digest":"sha1:CCCC","offset":"1","filename":"other.warc.gz"}`,
		`not a line`,
		`com,d)/ 20200104000000 {"url":"http://d/","digest":"sha1:DDDD","offset":"5","filename":"sub/c.warc.gz"}`,
	}, "\n")
	// Input order is not name order: b before a.
	inputs := []string{"s3://bkt/coll/b.warc.gz", "/data/a.warc.gz", "/data/x/sub/c.warc.gz"}
	fc, err := LoadFirstCaptures(context.Background(), cdxj.Briefs(context.Background(), strings.NewReader(index), "i.cdxj"), inputs, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fc.Bad != 1 || fc.Used != 5 || fc.Len() != 3 {
		t.Errorf("bad %d used %d digests %d", fc.Bad, fc.Used, fc.Len())
	}
	if !fc.KeepInput("/elsewhere/a.warc.gz", 900, "sha1:AAAA") || fc.KeepInput("s3://bkt/coll/b.warc.gz", 500, "AAAA") {
		t.Errorf("KeepInput: a name that is not an input's must be kept, a later record of an input's not")
	}
	for _, tc := range []struct {
		k      int
		off    int64
		digest string
		want   bool
	}{
		{0, 100, "sha1:AAAA", true}, // the first input, lowest offset
		{0, 500, "sha1:AAAA", false},
		{1, 900, "AAAA", false},
		{1, 10, "sha1:BBBB", false}, // a revisit is never the first
		{0, 700, "sha1:BBBB", true},
		{2, 5, "DDDD", true},
		{2, 6, "sha1:DDDD", false},
		{1, 1, "sha1:CCCC", true}, // its only line names no input
		{1, 1, "", true},
	} {
		if got := fc.Keep(tc.k, tc.off, tc.digest); got != tc.want {
			t.Errorf("Keep(%d, %d, %s) = %v", tc.k, tc.off, tc.digest, got)
		}
		// By the input's name, as extract asks.
		if got := fc.KeepInput(inputs[tc.k], tc.off, tc.digest); got != tc.want {
			t.Errorf("KeepInput(%s, %d, %s) = %v", inputs[tc.k], tc.off, tc.digest, got)
		}
	}
}

// BenchmarkDigestsAdd is the per-row cost of --records --dedup.
func BenchmarkDigestsAdd(b *testing.B) {
	ds := make([]string, 1<<16)
	for i := range ds {
		var raw [20]byte
		binary.BigEndian.PutUint64(raw[:], uint64(i)*0x9E3779B97F4A7C15)
		ds[i] = "sha1:" + base32.StdEncoding.EncodeToString(raw[:])
	}
	var s Digests
	i := 0
	for b.Loop() {
		s.Add(ds[i&(len(ds)-1)])
		i++
	}
}

// BenchmarkLoadFirstCaptures reads a collection index of 100,000 lines
// over 50 inputs (a quarter of them repeats) for --dedup-index: the cost
// every shard pays once, before its first record.
func BenchmarkLoadFirstCaptures(b *testing.B) {
	var idx bytes.Buffer
	inputs := make([]string, 50)
	for k := range inputs {
		inputs[k] = fmt.Sprintf("s3://crawl/coll/CC-%05d.warc.gz", k)
	}
	for i := 0; i < 100000; i++ {
		var raw [20]byte
		binary.BigEndian.PutUint64(raw[:], uint64(i%75000)*0x9E3779B97F4A7C15)
		fmt.Fprintf(&idx, `com,example,h%d)/p/%d 20240101000000 {"url":"http://h%d.example.com/p/%d","mime":"text/html","status":"200","digest":"sha1:%s","length":"1234","offset":"%d","filename":"CC-%05d.warc.gz"}`+"\n",
			i%97, i, i%97, i, base32.StdEncoding.EncodeToString(raw[:]), i*1500, i%50)
	}
	b.SetBytes(int64(idx.Len()))
	for b.Loop() {
		fc, err := LoadFirstCaptures(context.Background(), cdxj.Briefs(context.Background(), bytes.NewReader(idx.Bytes()), "i.cdxj"), inputs, false, nil)
		if err != nil || fc.Len() != 75000 {
			b.Fatalf("%v, %d digests", err, fc.Len())
		}
	}
	b.ReportMetric(float64(b.N)*100000/b.Elapsed().Seconds(), "lines/s")
}

// FuzzFirstCaptures: any index bytes load without panicking, and of the
// records an index names with one digest, Keep picks exactly one.
func FuzzFirstCaptures(f *testing.F) {
	f.Add([]byte(`com,a)/ 20200101000000 {"url":"http://a/","digest":"sha1:AAAA","offset":"500","filename":"b.warc.gz"}` + "\n" +
		`com,a)/ 20200102000000 {"url":"http://a/","digest":"AAAA","offset":"100","filename":"b.warc.gz"}` + "\n"))
	f.Add([]byte("com,example)/ 20140127171251 http://example.com text/html 200 B2LT - - 1151 1043 a.warc.gz\n"))
	f.Add([]byte(`{"truncated` + "\n\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		inputs := []string{"/d/b.warc.gz", "/d/a.warc.gz"}
		fc, err := LoadFirstCaptures(ctx, cdxj.Briefs(ctx, bytes.NewReader(data), "f.cdxj"), inputs, false, nil)
		if err != nil {
			return
		}
		kept := map[digestKey]int{}
		seen := map[[2]int64]bool{}
		for l, err := range cdxj.Lines(ctx, bytes.NewReader(data), "f.cdxj") {
			if err != nil || l.Mime == "warc/revisit" {
				continue
			}
			k, ok := keyOf(l.Digest)
			if !ok {
				continue
			}
			in := -1
			for i, n := range inputs {
				if strings.HasSuffix(n, "/"+l.Filename) {
					in = i
				}
			}
			if in < 0 || seen[[2]int64{int64(in), l.Offset}] {
				continue
			}
			seen[[2]int64{int64(in), l.Offset}] = true
			if fc.Keep(in, l.Offset, l.Digest) {
				kept[k]++
			}
		}
		for k, n := range kept {
			if n != 1 {
				t.Errorf("digest %x: %d records kept", k, n)
			}
		}
	})
}

// A row extract may output nothing for (a revisit, a 404) does not claim
// its digest: the 200 row after it with the same payload is still read,
// in every shard alike; a revisit after the 200 row is a repeat.
func TestEachDedupClaims(t *testing.T) {
	path := testcorpus.File(t, "pywb/sample_archive/warcs/iana.warc.gz")
	refs, _ := listing(t, path)
	if len(refs) < 5 {
		t.Fatalf("%d records", len(refs))
	}
	rows := []Ref{refs[0], refs[1], refs[2], refs[3], refs[4]}
	rows[0].Revisit = true
	rows[1].Status = 404
	rows[2].Status = 200
	rows[3].Status = 0
	rows[4].Revisit = true
	for i := range rows {
		rows[i].Row, rows[i].Digest = int64(i+1), "sha1:SAME"
	}
	read := func(all bool) []int64 {
		var got []int64
		_, err := Each(context.Background(), seq(rows), Options{Batch: 16, Dedup: true, AllStatuses: all},
			func(r Ref, rec *warc.Record) (int64, error) { return r.Row, nil },
			func(r Ref, row int64, err error) error { got = append(got, row); return err })
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := read(false); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Errorf("rows read %v, want [1 2 3]: the revisit and the 404 before the 200 row claim nothing", got)
	}
	if got := read(true); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("with all statuses: rows read %v, want [1 2]: the 404 is output, so it claims", got)
	}
}

// The same in a --dedup-index: a 404 line (or a revisit) before the 200
// record of the same payload does not make that record a repeat.
func TestFirstCapturesClaims(t *testing.T) {
	index := strings.Join([]string{
		`com,e)/ 20200101000000 {"url":"http://e/","status":"404","digest":"sha1:EEEE","offset":"1","filename":"b.warc.gz"}`,
		`com,e)/ 20200102000000 {"url":"http://e/","mime":"warc/revisit","digest":"sha1:EEEE","offset":"20","filename":"b.warc.gz"}`,
		`com,f)/ 20200103000000 {"url":"http://f/","status":"200","digest":"sha1:EEEE","offset":"50","filename":"b.warc.gz"}`,
	}, "\n")
	load := func(all bool) *FirstCaptures {
		fc, err := LoadFirstCaptures(context.Background(), cdxj.Briefs(context.Background(), strings.NewReader(index), "i.cdxj"), []string{"b.warc.gz"}, all, nil)
		if err != nil {
			t.Fatal(err)
		}
		return fc
	}
	if fc := load(false); !fc.Keep(0, 50, "sha1:EEEE") || fc.Keep(0, 1, "sha1:EEEE") {
		t.Errorf("the 200 record at 50 must be the first of its payload (used %d lines)", fc.Used)
	}
	if fc := load(true); fc.Keep(0, 50, "sha1:EEEE") || !fc.Keep(0, 1, "sha1:EEEE") {
		t.Errorf("with all statuses the 404 at 1 is output, so it is the first")
	}
}

// An index line naming a file that two inputs end with names neither: it
// would otherwise make the second input's record a repeat of the first's.
func TestFirstCapturesAmbiguousName(t *testing.T) {
	index := `com,a)/ 20200101000000 {"url":"http://a/","digest":"sha1:AAAA","offset":"1","filename":"a.warc.gz"}`
	fc, err := LoadFirstCaptures(context.Background(), cdxj.Briefs(context.Background(), strings.NewReader(index), "i.cdxj"),
		[]string{"/d1/a.warc.gz", "/d2/a.warc.gz"}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fc.Used != 0 || !fc.Keep(1, 1, "sha1:AAAA") {
		t.Errorf("used %d lines; the record of /d2 must be kept", fc.Used)
	}
}
