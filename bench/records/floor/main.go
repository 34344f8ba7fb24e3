// Command floor measures what `warcbox extract --records` cannot go
// below: the same records read the same way (selection.Each, local files,
// 8 requests in flight, warcbox extract's GOGC), then only parsed, or
// parsed and given to go-trafilatura alone with the options warcbox calls
// it with. bench/records/run.sh runs each stage as its own process beside
// `warcbox extract --records`, so that its CPU time per record is measured
// the same way, in the same run.
//
//	go run ./bench/records/floor -stage read|parse|trafilatura -base DIR/ DIR/selection.parquet
//
// Stages (each includes the ones before it):
//
//	read         fetch each record's range, parse the WARC and HTTP heads,
//	             read the decoded payload (what every mode of warcbox does)
//	parse        plus x/net/html's parse of the payload (warcbox parses once)
//	trafilatura  plus go-trafilatura's ExtractDocument on that tree, with
//	             warcbox's options (comments excluded, its date search off,
//	             the page's URL given): go-trafilatura alone
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
	"runtime/debug"
	"sync/atomic"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/warcbox/warcbox/extract"
	"github.com/warcbox/warcbox/selection"
	"github.com/warcbox/warcbox/warc"
)

func main() {
	stage := flag.String("stage", "trafilatura", "read, parse or trafilatura")
	base := flag.String("base", "", "folder the records file's names are relative to")
	requests := flag.Int("requests", selection.DefaultRequests, "byte ranges read at once")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: floor -stage read|parse|trafilatura -base DIR/ RECORDS")
	}
	switch *stage {
	case "read", "parse", "trafilatura":
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
	var bodies atomic.Int64
	recs := 0
	st, err := selection.Each(context.Background(), selection.Read(f, fi.Size(), flag.Arg(0), *base),
		selection.Options{Requests: *requests},
		func(_ selection.Ref, rec *warc.Record) (int, error) {
			b, u, err := payload(rec)
			if err != nil || *stage == "read" {
				return len(b), err
			}
			doc, err := html.Parse(bytes.NewReader(b))
			if err != nil || *stage == "parse" {
				return len(b), err
			}
			opts := trafilatura.Options{ExcludeComments: true, HtmlDateMode: trafilatura.Disabled}
			if pu, err := url.Parse(u); err == nil && pu.IsAbs() {
				opts.OriginalURL = pu
			}
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
