// Command floor measures what `warcbox extract --records` cannot go
// below: the same records read the same way (selection.Each, local files,
// 8 requests in flight, warcbox extract's GOGC), then only parsed, or
// parsed and given to go-trafilatura alone with the options warcbox calls
// it with. bench/records/run.sh runs each stage as its own process beside
// `warcbox extract --records`, so that its CPU time per record is measured
// the same way, in the same run.
//
//	go run ./bench/records/floor -stage read|parse|trafilatura|upstream|warcbox -base DIR/|s3://BUCKET/ DIR/selection.parquet
//
// Stages (each of the first three includes the ones before it):
//
//	read         fetch each record's range, parse the WARC and HTTP heads,
//	             read the decoded payload (what every mode of warcbox does)
//	parse        plus x/net/html's parse of the payload (warcbox parses once)
//	trafilatura  plus go-trafilatura's ExtractDocument on that tree, with
//	             warcbox's options (comments excluded, its date search off,
//	             the page's URL given): go-trafilatura alone, the patched
//	             copy warcbox builds with (third_party/go-trafilatura)
//	upstream     the same with upstream go-trafilatura, the copy's origin
//	warcbox      the whole record as warcbox extract --records does it
//	             (extract.ExtractRecord, default options)
//
// -repeat, -cpuprofile and -memprofile make it the loop to profile those
// stages on the selection's records.
//
// It prints one line: records, and how many go-trafilatura gave a body for.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync/atomic"

	upstream "github.com/markusmobius/go-trafilatura"
	trafilatura "github.com/warcbox/warcbox/third_party/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/warcbox/warcbox/extract"
	"github.com/warcbox/warcbox/selection"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

func main() {
	stage := flag.String("stage", "trafilatura", "read, parse or trafilatura")
	base := flag.String("base", "", "folder the records file's names are relative to")
	requests := flag.Int("requests", selection.DefaultRequests, "byte ranges read at once")
	repeat := flag.Int("repeat", 1, "read and process the selection this many times (for profiles)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	memprofile := flag.String("memprofile", "", "write an allocation profile to this file")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: floor -stage read|parse|trafilatura -base DIR/ RECORDS")
	}
	switch *stage {
	case "read", "parse", "trafilatura", "upstream", "warcbox":
	default:
		log.Fatalf("floor: unknown stage %q", *stage)
	}
	debug.SetGCPercent(extract.GCPercent) // as warcbox extract runs
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		log.Fatal(err)
	}
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if *memprofile != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			pf, err := os.Create(*memprofile)
			if err != nil {
				log.Fatal(err)
			}
			if err := pprof.Lookup("allocs").WriteTo(pf, 0); err != nil {
				log.Fatal(err)
			}
			pf.Close()
		}()
	}
	// Through storage as warcbox extract reads (-base s3://… reads S3 with
	// the AWS_* environment, as the command does).
	store := storage.New(storage.Options{})
	defer store.Close()
	ex := extract.New(extract.DefaultOptions())
	var bodies atomic.Int64
	recs := 0
	var st *selection.Stats
	for range *repeat {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			log.Fatal(err)
		}
		st, err = selection.Each(context.Background(), selection.Read(f, fi.Size(), flag.Arg(0), *base),
			selection.Options{Requests: *requests, Opener: selection.Ranges{Store: store}},
			func(_ selection.Ref, rec *warc.Record) (int, error) {
				if *stage == "warcbox" {
					a, err := extract.ExtractRecord(rec, extract.RunOptions{Extractor: ex})
					if err == nil && a != nil && a.Body != "" {
						bodies.Add(1)
					}
					return 0, err
				}
				b, u, err := payload(rec)
				if err != nil || *stage == "read" {
					return len(b), err
				}
				doc, err := html.Parse(bytes.NewReader(b))
				if err != nil || *stage == "parse" {
					return len(b), err
				}
				var pu *url.URL
				if p, err := url.Parse(u); err == nil && p.IsAbs() {
					pu = p
				}
				if *stage == "upstream" {
					opts := upstream.Options{ExcludeComments: true, HtmlDateMode: upstream.Disabled, OriginalURL: pu}
					if res, err := upstream.ExtractDocument(doc, opts); err == nil && res != nil && res.ContentText != "" {
						bodies.Add(1)
					}
					return len(b), nil
				}
				opts := trafilatura.Options{ExcludeComments: true, HtmlDateMode: trafilatura.Disabled, OriginalURL: pu, LazyLanguage: true, NoDomCategoriesTags: true}
				if res, err := trafilatura.ExtractDocument(doc, opts); err == nil && res != nil && res.ContentText != "" {
					bodies.Add(1)
				}
				return len(b), nil
			},
			func(_ selection.Ref, _ int, err error) error {
				if err != nil {
					return err
				}
				recs++
				return nil
			})
		if err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("stage %s: %d records, %d with a go-trafilatura body, requests=%d bytes_fetched=%d\n",
		*stage, recs, bodies.Load(), st.Requests, st.Bytes)
}

// payload reads a response record's decoded HTTP payload, capped as
// warcbox extract caps it.
func payload(rec *warc.Record) ([]byte, string, error) {
	m, err := rec.HTTP()
	if err != nil {
		return nil, "", fmt.Errorf("http: %w", err)
	}
	r, err := m.Decoded()
	if err != nil {
		r = m.Payload()
	}
	b, err := io.ReadAll(io.LimitReader(r, extract.DefaultMaxBytes+1))
	return b, rec.TargetURI(), err
}
