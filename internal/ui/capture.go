package ui

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/tsa"
)

// CaptureResult is what `warcbox capture` reports at the end.
type CaptureResult struct {
	Summary *capture.Summary
	// Browser is set in browser mode.
	Browser *BrowserResult
	// WACZ is the package written, if one was.
	WACZ string
	// Timestamps are the RFC 3161 tokens asked for (capture --tsa), got
	// or missing.
	Timestamps []tsa.Result
}

// BrowserResult is what browser mode adds to a capture's report.
type BrowserResult struct {
	Name  string // the browser's product and version
	Pages int
}

// NewCapturePrinter returns capture's printer.
func NewCapturePrinter(t Term) Printer[CaptureResult] {
	if t.JSON {
		return captureJSON{t.Out}
	}
	return captureText{t.Out}
}

type captureText struct{ w io.Writer }

func (p captureText) Print(r CaptureResult) error {
	s := r.Summary
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Bytes) / s.Elapsed.Seconds()
	}
	w := p.w
	fmt.Fprintf(w, "captured %d URLs (%d revisits), %d failed, %d blocked, %s in %s (%s/s)\n",
		s.Fetched, s.Revisits, s.Failed, s.Blocked, Bytes(s.Bytes), s.Elapsed.Round(time.Millisecond), Bytes(int64(rate)))
	for _, f := range s.Files {
		fmt.Fprintf(w, "warc:  %s\n", f)
	}
	if s.IndexPath != "" {
		fmt.Fprintf(w, "index: %s\n", s.IndexPath)
	}
	fmt.Fprintf(w, "log:   %s\n", s.LogPath)
	if s.Canceled {
		fmt.Fprintln(w, "interrupted: the files above are complete; URLs still queued were not fetched")
	}
	if r.Browser != nil {
		fmt.Fprintf(w, "browser: %s, %d pages\n", r.Browser.Name, r.Browser.Pages)
	}
	if r.WACZ != "" {
		fmt.Fprintf(w, "wacz:  %s\n", r.WACZ)
	}
	for _, t := range r.Timestamps {
		if t.Err != nil {
			fmt.Fprintf(w, "timestamp missing: %s from %s: %v\n", t.File, t.Authority, t.Err)
			continue
		}
		fmt.Fprintf(w, "timestamp: %s  %s by %s\n", t.Path, t.Token.Time.Format(time.RFC3339), t.Token.Signer)
	}
	return nil
}

func (captureText) Close() error { return nil }

type captureJSON struct{ w io.Writer }

func (p captureJSON) Print(r CaptureResult) error {
	s := r.Summary
	m := map[string]any{
		"fetched": s.Fetched, "revisits": s.Revisits, "failed": s.Failed, "blocked": s.Blocked,
		"bytes": s.Bytes, "seconds": s.Elapsed.Seconds(), "warcs": s.Files, "index": s.IndexPath,
		"log": s.LogPath, "canceled": s.Canceled,
	}
	if len(r.Timestamps) > 0 {
		type stamp struct {
			tsa.Result
			Error string `json:"error,omitempty"`
		}
		var ts []stamp
		for _, t := range r.Timestamps {
			st := stamp{Result: t}
			if t.Err != nil {
				st.Error = t.Err.Error()
			}
			ts = append(ts, st)
		}
		m["timestamps"] = ts
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(p.w, "%s\n", b)
	return err
}

func (captureJSON) Close() error { return nil }
