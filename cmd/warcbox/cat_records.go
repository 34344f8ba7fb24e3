package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/warcbox/warcbox/selection"
	"github.com/warcbox/warcbox/shard"
	"github.com/warcbox/warcbox/warc"
)

// writeRecord prints one record as cat does: the WARC header and block as
// stored, only the headers, or the payload.
func writeRecord(out io.Writer, rec *warc.Record, opts catOptions) (err error) {
	if !opts.Payload {
		fmt.Fprintf(out, "%s\r\n", rec.Version)
		for _, fl := range rec.Header {
			fmt.Fprintf(out, "%s: %s\r\n", fl.Name, fl.Value)
		}
		fmt.Fprint(out, "\r\n")
		if opts.Headers {
			if rec.IsHTTP() {
				if m, err := rec.HTTP(); err == nil {
					_, err = out.Write(m.RawHeader)
					return err
				}
			}
			return nil
		}
		_, err = io.Copy(out, rec.Body)
		return err
	}
	if !rec.IsHTTP() {
		_, err = io.Copy(out, rec.Body)
		return err
	}
	m, err := rec.HTTP()
	if err != nil {
		return fmt.Errorf("%s at %d: %w", rec.File, rec.Offset, err)
	}
	body := m.Payload()
	if !opts.Decode {
		if body, err = m.Decoded(); err != nil {
			return fmt.Errorf("%s at %d: %w (use --raw for the encoded bytes)", rec.File, rec.Offset, err)
		}
	}
	_, err = io.Copy(out, body)
	return err
}

// runCatRecords prints the records a --records file names, in file and
// offset order, each followed by the blank line that ends a WARC record.
func runCatRecords(ctx context.Context, opts catOptions, g *globalOptions) error {
	spec, err := shard.Parse(opts.Shard)
	if err != nil {
		return usageError{fmt.Errorf("cat: --shard: %w", err)}
	}
	f, refs, err := openRecords(ctx, g, opts.Records, opts.Base)
	if err != nil {
		return err
	}
	defer f.Close()
	orig, oc, err := openOriginals(ctx, g, opts.Records, opts.Originals, opts.Base)
	if err != nil {
		return err
	}
	defer oc.Close()
	log := g.logger()
	st, err := selection.Each(ctx, refs, selection.Options{Requests: opts.Requests, Keep: spec.TakesRow, Logger: log,
		Opener: selection.Ranges{Store: g.storage()}},
		func(_ selection.Ref, rec *warc.Record) (*spillBuffer, error) {
			if opts.Payload && rec.Type() == "revisit" {
				// A revisit's payload is its original's: print that, or
				// say why not, never an empty body.
				o, closer, err := orig.Read(ctx, rec)
				if err != nil {
					return nil, fmt.Errorf("revisit: %w", err)
				}
				defer closer.Close()
				rec = o
			}
			b := &spillBuffer{}
			if err := writeRecord(b, rec, opts); err != nil {
				b.Close()
				return nil, err
			}
			if !opts.Payload {
				b.Write([]byte("\r\n\r\n"))
			}
			return b, b.err
		},
		func(_ selection.Ref, b *spillBuffer, err error) error {
			if err != nil {
				if g.Strict {
					return err
				}
				log.Error("cat: record failed", "err", err)
				return nil
			}
			defer b.Close()
			return b.copyTo(g.stdout)
		})
	if err != nil {
		return fmt.Errorf("cat --records: %w", err)
	}
	log.Debug("cat: records read", "rows", st.Rows, "records", st.Records, "requests", st.Requests, "bytes_fetched", st.Bytes)
	if st.Failed > 0 {
		return fmt.Errorf("cat --records: %d of %d selected rows failed (each is logged above with its file and offset, or its row)", st.Failed, st.Rows)
	}
	return nil
}

// spillMemory is how much of one record's output is held in memory while
// it waits for the records before it; the rest goes to a temporary file, so
// a large or decompression-bomb record cannot exhaust memory.
const spillMemory = 4 << 20

// spillBuffer holds one record's output until its turn.
type spillBuffer struct {
	mem  bytes.Buffer
	file *os.File
	err  error
}

func (b *spillBuffer) Write(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.file == nil && b.mem.Len()+len(p) <= spillMemory {
		return b.mem.Write(p)
	}
	if b.file == nil {
		if b.file, b.err = os.CreateTemp("", "warcbox-cat-*"); b.err != nil {
			return 0, b.err
		}
		os.Remove(b.file.Name()) // gone with the last close, whatever happens
	}
	n, err := b.file.Write(p)
	b.err = err
	return n, err
}

// copyTo writes what was held to w.
func (b *spillBuffer) copyTo(w io.Writer) error {
	if _, err := w.Write(b.mem.Bytes()); err != nil {
		return err
	}
	if b.file != nil {
		if _, err := b.file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.Copy(w, b.file); err != nil {
			return err
		}
	}
	return nil
}

func (b *spillBuffer) Close() {
	if b.file != nil {
		b.file.Close()
		b.file = nil
	}
}
