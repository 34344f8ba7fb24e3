package extract

import (
	"runtime"
	"testing"
	"time"

	htmldate "github.com/warcbox/warcbox/third_party/go-htmldate"
	trafilatura "github.com/warcbox/warcbox/third_party/go-trafilatura"
	"golang.org/x/net/html"
)

// BenchmarkStages splits the cost of one page's record into the stages of
// Extract, on the first 100 pages of the trafilatura set, one page at a
// time (so cpu-ms/page adds up across stages, garbage collection
// included): where the CPU goes, for BENCHMARKS.md ("extract: where the
// time goes"). The whole record is the last sub-benchmark.
func BenchmarkStages(b *testing.B) {
	pages := evalPages(b, benchPages)
	ex := New(DefaultOptions())
	docs := make([]*html.Node, len(pages))
	states := make([]*state, len(pages))
	for i, p := range pages {
		st, err := ex.prepare(p)
		if err != nil {
			b.Fatal(err)
		}
		docs[i], states[i] = st.doc, st
	}
	perPage := func(b *testing.B, f func(i int, p Page)) {
		runtime.GC()
		b.ResetTimer()
		cpu0 := cpuTime()
		n := 0
		for b.Loop() {
			for i, p := range pages {
				f(i, p)
				n++
			}
		}
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(n), "cpu-ms/page")
	}
	b.Run("decode-parse", func(b *testing.B) {
		perPage(b, func(_ int, p Page) { decodeHTML(p.HTML, p.ContentType) })
	})
	b.Run("prepare", func(b *testing.B) { // decode-parse plus the structured sources
		perPage(b, func(_ int, p Page) { ex.prepare(p) })
	})
	b.Run("go-trafilatura", func(b *testing.B) { // on the parsed tree, as body() runs it
		perPage(b, func(i int, _ Page) {
			trafilatura.ExtractDocument(docs[i], trafilatura.Options{OriginalURL: states[i].base, ExcludeComments: true, HtmlDateMode: trafilatura.Disabled})
		})
	})
	// As htmldate() runs it, on every page, but without the Extractor's
	// ParseCache: the loop reads the same pages again, which the cache would
	// answer; without it each string costs what it costs the first time.
	b.Run("go-htmldate", func(b *testing.B) {
		perPage(b, func(i int, p Page) {
			htmldate.FromDocument(docs[i], htmldate.Options{ExtractTime: true, UseOriginalDate: true, URL: p.URL,
				MaxDate: time.Now(), DeferUrlExtractor: true})
		})
	})
	b.Run("fallbacks", func(b *testing.B) { // readability and DOM Distiller, on every page
		perPage(b, func(i int, _ Page) { fallbacks(docs[i], states[i].base) })
	})
	b.Run("no-body", func(b *testing.B) {
		nb := ex.WithoutBody()
		perPage(b, func(_ int, p Page) { nb.Extract(p) })
	})
	b.Run("whole", func(b *testing.B) {
		perPage(b, func(_ int, p Page) { ex.Extract(p) })
	})
}
