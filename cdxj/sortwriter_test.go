package cdxj

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func randomLines(r *rand.Rand, n int) []string {
	alphabet := []byte("abc,)/ ?=&{}\"09\x7f\xc3\xa9~")
	var lines []string
	for i := 0; i < n; i++ {
		b := make([]byte, 1+r.IntN(40))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		lines = append(lines, string(b))
		if r.IntN(10) == 0 {
			lines = append(lines, string(b)) // duplicates stay
		}
		if r.IntN(10) == 0 && len(b) > 2 {
			lines = append(lines, string(b[:len(b)/2])) // prefixes sort first
		}
	}
	return lines
}

func TestSortedWriterSpillsAndMerges(t *testing.T) {
	// 8 KiB gives a few runs merged once; 300 bytes gives hundreds, which
	// are merged in levels of mergeFanIn.
	for _, limit := range []int64{8 << 10, 300} {
		testSortedWriter(t, limit)
	}
}

func testSortedWriter(t *testing.T, limit int64) {
	r := rand.New(rand.NewPCG(1, 2))
	lines := randomLines(r, 5000)
	tmp := t.TempDir()
	var out bytes.Buffer
	w := NewSortedWriter(&out, SortOptions{MemoryLimit: limit, TempDir: tmp})
	for _, l := range lines {
		if err := w.AddBytes([]byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	if w.Runs() < 5 || (limit < 1000 && w.Runs() < 2*mergeFanIn) {
		t.Errorf("only %d runs spilled under a %d-byte limit", w.Runs(), limit)
	}
	if len(w.runs) > 2*mergeFanIn {
		t.Errorf("%d runs left unmerged", len(w.runs))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(lines)
	slices.Sort(want) // Go string order is byte order
	if got := out.String(); got != strings.Join(want, "\n")+"\n" {
		t.Fatalf("merged output differs from sorted input (%d vs %d bytes)", len(got), len(strings.Join(want, "\n"))+1)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("%d temporary files left behind", len(ents))
	}

	// The same order as the C locale sort(1) that pywb's docs ask for.
	sortBin, err := exec.LookPath("sort")
	if err != nil {
		t.Log("no sort(1); skipped the comparison with it")
		return
	}
	cmd := exec.Command(sortBin)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	sorted, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sorted, out.Bytes()) {
		t.Error("SortedWriter order differs from LC_ALL=C sort")
	}
}

func TestSortedWriterInMemoryAndRefusals(t *testing.T) {
	var out bytes.Buffer
	w := NewSortedWriter(&out, SortOptions{})
	for _, l := range []*Line{
		{Key: "org,iana)/", Timestamp: "20140126200624", URL: "http://www.iana.org/", Length: 1, Offset: 2},
		{Key: "com,example)/", Timestamp: "20140127171200", URL: "http://example.com", Length: 3, Offset: 4},
	} {
		if err := w.Add(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddBytes([]byte("a\nb")); err == nil {
		t.Error("a line with a newline was accepted")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := `com,example)/ 20140127171200 {"url":"http://example.com","length":"3","offset":"4"}` + "\n" +
		`org,iana)/ 20140126200624 {"url":"http://www.iana.org/","length":"1","offset":"2"}` + "\n"
	if out.String() != want {
		t.Errorf("got\n%s", out.String())
	}
	if err := w.AddBytes([]byte("x")); err == nil {
		t.Error("Add after Close succeeded")
	}
}

func BenchmarkSortedWriter(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	lines := randomLines(r, 100000)
	tmp := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		var out bytes.Buffer
		w := NewSortedWriter(&out, SortOptions{MemoryLimit: 1 << 20, TempDir: tmp})
		for _, l := range lines {
			w.AddBytes([]byte(l))
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(lines)), "lines/op")
}
