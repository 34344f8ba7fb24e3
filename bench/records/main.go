// Command records makes the collection the --records benchmark and the
// worked example of docs/scale.md read: WARC files of real article pages
// (the trafilatura evaluation set in ../shared/extract-eval), laid out as
// Common Crawl's (crawl-data/…/warc/NAME.warc.gz), and a Parquet table of
// their response records with cc-index-table's columns, as Common Crawl
// publishes it, plus a selection of records scattered over the files.
//
//	go run ./bench/records -o DIR [-files 50] [-per-file 40] [-select 1000]
//
// writes DIR/crawl-data/CC-BENCH/warc/*.warc.gz, DIR/cc-index.parquet
// (every response) and DIR/selection.parquet (-select rows, a seeded
// random choice, sorted by file and offset as a DuckDB ORDER BY gives).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"math/rand"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Row has the flat cc-index-table columns a selection uses.
type Row struct {
	URL              string `parquet:"url"`
	URLHostName      string `parquet:"url_host_name"`
	RegisteredDomain string `parquet:"url_host_registered_domain"`
	FetchStatus      int16  `parquet:"fetch_status"`
	ContentMimeType  string `parquet:"content_mime_type"`
	ContentLanguages string `parquet:"content_languages"`
	WARCFilename     string `parquet:"warc_filename"`
	WARCRecordOffset int32  `parquet:"warc_record_offset"`
	WARCRecordLength int32  `parquet:"warc_record_length"`
	Crawl            string `parquet:"crawl"`
	Subset           string `parquet:"subset"`
}

func main() {
	out := flag.String("o", "", "output folder")
	files := flag.Int("files", 50, "WARC files")
	perFile := flag.Int("per-file", 40, "pages per file")
	sel := flag.Int("select", 1000, "rows in selection.parquet")
	eval := flag.String("eval", "", "trafilatura test folder (default ../shared/extract-eval/trafilatura/tests beside the repository)")
	flag.Parse()
	if *out == "" {
		log.Fatal("-o DIR is required")
	}
	if *eval == "" {
		*eval = filepath.Join("..", "shared", "extract-eval", "trafilatura", "tests")
	}
	pages, err := loadPages(*eval)
	if err != nil {
		log.Fatal(err)
	}
	dir := filepath.Join(*out, "crawl-data", "CC-BENCH", "warc")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	var rows []Row
	n := 0
	for f := range *files {
		name := fmt.Sprintf("CC-BENCH-%05d.warc.gz", f)
		rel := "crawl-data/CC-BENCH/warc/" + name
		var buf bytes.Buffer
		buf.Write(member(warcinfo(name)))
		for range *perFile {
			p := pages[n%len(pages)]
			// Each page once per file at most, so URLs differ across files.
			u := p.url
			if n >= len(pages) {
				u += fmt.Sprintf("?copy=%d", n/len(pages))
			}
			n++
			buf.Write(member(request(u)))
			off := buf.Len()
			buf.Write(member(response(u, p.html)))
			pu, _ := url.Parse(u)
			host := ""
			if pu != nil {
				host = pu.Hostname()
			}
			rows = append(rows, Row{URL: u, URLHostName: host, RegisteredDomain: registered(host), FetchStatus: 200,
				ContentMimeType: "text/html", ContentLanguages: "eng", WARCFilename: rel,
				WARCRecordOffset: int32(off), WARCRecordLength: int32(buf.Len() - off), Crawl: "CC-BENCH", Subset: "warc"})
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	if err := writeParquet(filepath.Join(*out, "cc-index.parquet"), rows); err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewSource(11))
	pick := rng.Perm(len(rows))[:min(*sel, len(rows))]
	slices.Sort(pick) // rows are in file and offset order already
	var chosen []Row
	for _, i := range pick {
		chosen = append(chosen, rows[i])
	}
	if err := writeParquet(filepath.Join(*out, "selection.parquet"), chosen); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d files, %d responses, %d selected\n", *files, len(rows), len(chosen))
}

type page struct{ url, html string }

func loadPages(dir string) ([]page, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "evaldata.json"))
	if err != nil {
		return nil, err
	}
	var m map[string]struct {
		File string `json:"file"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	var out []page
	for _, u := range slices.Sorted(maps.Keys(m)) {
		for _, sub := range []string{"eval", "cache"} {
			f, err := os.Open(filepath.Join(dir, sub, m[u].File+".gz"))
			if err != nil {
				continue
			}
			zr, err := gzip.NewReader(f)
			if err == nil {
				if b, err := io.ReadAll(zr); err == nil && len(b) > 0 {
					out = append(out, page{u, string(b)})
				}
			}
			f.Close()
			break
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no pages in %s", dir)
	}
	return out, nil
}

func registered(host string) string {
	parts := strings.Split(host, ".")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return strings.Join(parts, ".")
}

var ids int

func record(typ, target, ctype string, block []byte) []byte {
	ids++
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\nWARC-Date: 2026-11-28T12:00:00Z\r\n", typ, ids)
	if target != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", target)
	}
	fmt.Fprintf(&b, "Content-Type: %s\r\nContent-Length: %d\r\n\r\n", ctype, len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

func warcinfo(name string) []byte {
	return record("warcinfo", "", "application/warc-fields", []byte("software: warcbox bench/records\r\nformat: WARC File Format 1.1\r\n"))
}

func request(u string) []byte {
	pu, _ := url.Parse(u)
	host, path := "", "/"
	if pu != nil {
		host, path = pu.Host, pu.RequestURI()
	}
	return record("request", u, "application/http; msgtype=request",
		[]byte(fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: warcbox-bench\r\n\r\n", path, host)))
}

func response(u, html string) []byte {
	body := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", len(html), html)
	return record("response", u, "application/http; msgtype=response", []byte(body))
}

// member gzips one record as its own member, as Common Crawl's WARCs are.
func member(rec []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(rec)
	zw.Close()
	return b.Bytes()
}

func writeParquet(path string, rows []Row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := parquet.NewGenericWriter[Row](f, parquet.Compression(&parquet.Zstd))
	if _, err := w.Write(rows); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.Close()
}
