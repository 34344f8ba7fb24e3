// Package search is the full-text index of a collection's pages: the title
// and visible text of every HTML page captured with status 200, kept in one
// SQLite file (FTS5, through the pure-Go modernc.org/sqlite) beside the
// collection's CDXJ, and queried by words for links to the captures.
//
// The index is built file by file: each WARC is recorded with its size and
// modification time, so a WARC indexed before is skipped and a grown one
// replaced, and a crash part-way leaves the file unrecorded (indexed again
// next time) rather than half in the index.
package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/internal/htmlpage"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Page is one capture to index: where its record is and what the index
// line says of it.
type Page struct {
	URL, Timestamp, Status, Mime string
	// Filename and Offset locate the record (as in a CDXJ line); Length,
	// if known, is its stored size (one Range request for a remote one).
	Filename       string
	Offset, Length int64
}

// Indexable reports whether a capture is a page the search index holds:
// an HTML (or XHTML) 200 response fetched with GET.
func Indexable(status, mime, method string) bool {
	return status == "200" && (mime == "text/html" || mime == "application/xhtml+xml") &&
		(method == "" || strings.EqualFold(method, "GET"))
}

// PageOf returns the page an index line stands for, and whether it is one
// the search index holds.
func PageOf(l *cdxj.Line) (Page, bool) {
	if !Indexable(l.Status, l.Mime, l.Method) {
		return Page{}, false
	}
	return Page{URL: l.URL, Timestamp: l.Timestamp, Status: l.Status, Mime: l.Mime, Filename: l.Filename, Offset: l.Offset, Length: l.Length}, true
}

// Stamp identifies a version of a WARC file: a file whose stamp changed is
// indexed again.
type Stamp struct {
	Size    int64
	ModTime time.Time
}

// Options tune an Index. The zero value is usable.
type Options struct {
	// MaxText is how many bytes of a page's text are indexed; if zero,
	// DefaultMaxText.
	MaxText int
	// CacheKiB bounds SQLite's page cache per connection; if zero, 8192.
	CacheKiB int
	// Logger receives pages that could not be read; if nil, discarded.
	Logger *slog.Logger
	// Store reaches the http(s):// and s3:// WARCs AddWARC is given; if
	// nil, one with default options.
	Store *storage.Store
}

// DefaultMaxText is the text indexed per page: the article and its
// surroundings on nearly every page, and a bound on the index's growth.
const DefaultMaxText = 64 << 10

// maxPayload bounds the decoded bytes read from one record, so a gzip bomb
// costs a bounded read.
const maxPayload = 8 << 20

// batchSize is how many pages are inserted per transaction: each batch's
// text (≤ batchSize × MaxText) is all the build holds in memory.
const batchSize = 64

// Index is an open search index.
type Index struct {
	db   *sql.DB
	opt  Options
	log  *slog.Logger
	wmu  sync.Mutex // one writer at a time; SQLite serialises them anyway
	path string
}

// Open opens (creating if needed) the search index in the file path.
func Open(ctx context.Context, path string, opt Options) (*Index, error) {
	if opt.MaxText <= 0 {
		opt.MaxText = DefaultMaxText
	}
	if opt.CacheKiB <= 0 {
		opt.CacheKiB = 8192
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// synchronous OFF: the index is derived data, rebuilt from the WARCs,
	// so it is not worth an fsync per batch (4× slower builds); WAL keeps
	// it consistent if the process dies.
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(OFF)",
		fmt.Sprintf("cache_size(-%d)", opt.CacheKiB), "temp_store(FILE)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("search: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	ix := &Index{db: db, opt: opt, log: log, path: path}
	if err := ix.init(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("search: open %s: %w", path, err)
	}
	return ix, nil
}

// schemaVersion changes when the tables do; an index of another version
// is rebuilt from scratch.
const schemaVersion = "1"

func (ix *Index) init(ctx context.Context) error {
	var v string
	err := ix.db.QueryRowContext(ctx, `SELECT v FROM meta WHERE k = 'version'`).Scan(&v)
	if err == nil && v == schemaVersion {
		return nil
	}
	stmts := []string{
		`DROP TABLE IF EXISTS pages_fts`, `DROP TABLE IF EXISTS pages`,
		`DROP TABLE IF EXISTS files`, `DROP TABLE IF EXISTS meta`,
		`CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT)`,
		`CREATE TABLE files(name TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, pages INTEGER)`,
		`CREATE TABLE pages(id INTEGER PRIMARY KEY, file TEXT NOT NULL, off INTEGER NOT NULL,
			url TEXT NOT NULL, ts TEXT NOT NULL, status TEXT, mime TEXT, title TEXT)`,
		`CREATE INDEX pages_file ON pages(file)`,
		// Diacritics folded so "cafe" finds "café"; no stemmer, since a
		// collection holds pages in any language.
		`CREATE VIRTUAL TABLE pages_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')`,
		// A word in the title counts ten times one in the body: navigation
		// repeats the same words on every page of a site.
		`INSERT INTO pages_fts(pages_fts, rank) VALUES('rank', 'bm25(10.0, 1.0)')`,
		`INSERT INTO meta VALUES('version', '` + schemaVersion + `')`,
	}
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("creating tables: %w", err)
		}
	}
	return tx.Commit()
}

// Counts reports how many files and pages the index holds.
func (ix *Index) Counts(ctx context.Context) (files, pages int, err error) {
	err = ix.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM pages)`).Scan(&files, &pages)
	if err != nil {
		err = fmt.Errorf("search: %s: %w", ix.path, err)
	}
	return files, pages, err
}

// Path is the index's file.
func (ix *Index) Path() string { return ix.path }

// Close closes the index.
func (ix *Index) Close() error { return ix.db.Close() }

// Indexed reports whether file was indexed with this stamp.
func (ix *Index) Indexed(ctx context.Context, file string, st Stamp) bool {
	var size, mtime int64
	err := ix.db.QueryRowContext(ctx, `SELECT size, mtime FROM files WHERE name = ?`, file).Scan(&size, &mtime)
	return err == nil && size == st.Size && mtime == st.ModTime.UnixNano()
}

// RecordReader reads the record a page's capture points at.
type RecordReader func(p Page) (*warc.Record, error)

// AddFile indexes the pages of one WARC file (pages not Indexable are
// passed over), replacing whatever was indexed for it before, and records
// it with st. read reads each page's record; pages that cannot be read are
// logged and left out. It returns how many pages were indexed; they are
// searchable when it returns.
func (ix *Index) AddFile(ctx context.Context, file string, st Stamp, pages []Page, read RecordReader) (int, error) {
	w := ix.NewWriter()
	n, err := w.AddFile(ctx, file, st, pages, read)
	if ferr := w.Flush(ctx); err == nil {
		err = ferr
	}
	return n, err
}

// Writer adds the pages of many files to an index in few transactions, one
// per batchSize pages rather than one (or more) per file: 5,000 one-page
// WARCs cost 5,000 commits. It is safe for concurrent use; pages are
// searchable once a batch is committed, and all of them after Flush.
type Writer struct {
	ix   *Index
	mu   sync.Mutex
	pend []part // in the order they came
	docs int    // pages in pend
	err  error  // a failed commit: the pending pages are lost
}

// part is some of a file's pages; first parts replace what the file had,
// last parts record the file as complete.
type part struct {
	file        string
	st          Stamp
	docs        []doc
	first, last bool
	n           int // the file's pages, in the last part
}

// NewWriter returns a Writer adding to ix.
func (ix *Index) NewWriter() *Writer { return &Writer{ix: ix} }

// AddFile is Index.AddFile, but the pages wait for the next batch.
func (w *Writer) AddFile(ctx context.Context, file string, st Stamp, pages []Page, read RecordReader) (int, error) {
	// Text is read before the writer is locked, a batch at a time, so
	// several files are read at once while one commits.
	n := 0
	first := true
	var docs []doc
	for _, p := range pages {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if !Indexable(p.Status, p.Mime, "") {
			continue
		}
		title, text, err := readText(p, read, w.ix.opt.MaxText)
		if err != nil {
			w.ix.log.Warn("search: page not indexed", "file", p.Filename, "offset", p.Offset, "url", p.URL, "err", err)
			continue
		}
		docs = append(docs, doc{Page: p, title: title, text: text})
		n++
		if len(docs) == batchSize {
			if err := w.add(ctx, part{file: file, st: st, docs: docs, first: first}); err != nil {
				return n, fmt.Errorf("search: index %s: %w", file, err)
			}
			docs, first = nil, false
		}
	}
	if err := w.add(ctx, part{file: file, st: st, docs: docs, first: first, last: true, n: n}); err != nil {
		return n, fmt.Errorf("search: index %s: %w", file, err)
	}
	return n, nil
}

func (w *Writer) add(ctx context.Context, p part) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	w.pend = append(w.pend, p)
	w.docs += len(p.docs)
	if w.docs < batchSize {
		return nil
	}
	return w.commit(ctx)
}

// Flush commits the pending pages.
func (w *Writer) Flush(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if len(w.pend) == 0 {
		return nil
	}
	return w.commit(ctx)
}

func (w *Writer) commit(ctx context.Context) error {
	pend := w.pend
	w.pend, w.docs = nil, 0
	if err := w.ix.write(ctx, pend); err != nil {
		w.err = fmt.Errorf("search: %w", err)
		return w.err
	}
	return nil
}

// write commits parts in one transaction.
func (ix *Index) write(ctx context.Context, parts []part) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	insPage, err := tx.PrepareContext(ctx, `INSERT INTO pages(file, off, url, ts, status, mime, title) VALUES(?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer insPage.Close()
	insText, err := tx.PrepareContext(ctx, `INSERT INTO pages_fts(rowid, title, body) VALUES(?,?,?)`)
	if err != nil {
		return err
	}
	defer insText.Close()
	// Most files are new to the index: one indexed lookup instead of
	// three deletes (each a statement to prepare) took the per-file cost
	// of a commit from 0.5 ms to a few µs.
	known, err := tx.PrepareContext(ctx, `SELECT EXISTS(SELECT 1 FROM pages WHERE file = ?1) OR EXISTS(SELECT 1 FROM files WHERE name = ?1)`)
	if err != nil {
		return err
	}
	defer known.Close()
	for _, p := range parts {
		if p.first {
			var had bool
			if err := known.QueryRowContext(ctx, p.file).Scan(&had); err != nil {
				return err
			}
			if had {
				if err := deleteFile(ctx, tx, p.file); err != nil {
					return err
				}
			}
		}
		for _, d := range p.docs {
			res, err := insPage.ExecContext(ctx, p.file, d.Offset, d.URL, d.Timestamp, d.Status, d.Mime, d.title)
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if _, err := insText.ExecContext(ctx, id, d.title, d.text); err != nil {
				return err
			}
		}
		if p.last {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO files(name, size, mtime, pages) VALUES(?,?,?,?)`,
				p.file, p.st.Size, p.st.ModTime.UnixNano(), p.n); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// RemoveFile takes a file's pages out of the index.
func (ix *Index) RemoveFile(ctx context.Context, file string) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("search: remove %s: %w", file, err)
	}
	defer tx.Rollback()
	if err := deleteFile(ctx, tx, file); err != nil {
		return fmt.Errorf("search: remove %s: %w", file, err)
	}
	return tx.Commit()
}

func deleteFile(ctx context.Context, tx *sql.Tx, file string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM pages_fts WHERE rowid IN (SELECT id FROM pages WHERE file = ?)`, file); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pages WHERE file = ?`, file); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM files WHERE name = ?`, file)
	return err
}

type doc struct {
	Page
	title, text string
}

// readText reads a page's title and text in its own charset.
func readText(p Page, read RecordReader, maxText int) (title, text string, err error) {
	rec, err := read(p)
	if err != nil {
		return "", "", err
	}
	m, err := rec.HTTP()
	if err != nil {
		return "", "", err
	}
	if m.IsRequest {
		return "", "", errors.New("record holds a request, not a response")
	}
	body, err := m.Decoded()
	if err != nil {
		return "", "", err
	}
	title, text = htmlpage.Summary(io.LimitReader(body, maxPayload), m.Header.Get("Content-Type"), maxText)
	// The private-use marks delimit matches in snippets: a page's own
	// are dropped so they cannot fake a highlight.
	return stripMarks(title), stripMarks(text), nil
}

const markOpen, markClose = "\uE000", "\uE001"

var markStripper = strings.NewReplacer(markOpen, "", markClose, "")

func stripMarks(s string) string {
	if !strings.ContainsAny(s, markOpen+markClose) {
		return s
	}
	return markStripper.Replace(s)
}

// AddWARC indexes the pages of the WARC file at path (a file, or a member
// of a WACZ package as warc.OpenFile names it), which the pages' Filename
// calls name, unless it was indexed before unchanged (then it returns 0 and
// skipped true).
func (ix *Index) AddWARC(ctx context.Context, path, name string, pages []Page) (n int, skipped bool, err error) {
	w := ix.NewWriter()
	n, skipped, err = w.AddWARC(ctx, path, name, pages)
	if ferr := w.Flush(ctx); err == nil {
		err = ferr
	}
	return n, skipped, err
}

// AddWARC is Index.AddWARC, but the pages wait for the next batch.
func (w *Writer) AddWARC(ctx context.Context, path, name string, pages []Page) (n int, skipped bool, err error) {
	stampOf := path
	if pkg, _, ok := warc.SplitMember(path); ok {
		stampOf = pkg
	}
	var st Stamp
	wopt := warc.Options{Logger: w.ix.log, Store: w.ix.opt.Store}
	if storage.IsRemote(stampOf) {
		store := w.ix.opt.Store
		if store == nil {
			store = storage.New(storage.Options{Logger: w.ix.log})
			defer store.Close()
			wopt.Store = store
		}
		info, err := store.Stat(ctx, stampOf)
		if err != nil {
			return 0, false, fmt.Errorf("search: %w", err)
		}
		st = Stamp{Size: info.Size, ModTime: info.ModTime}
	} else {
		fi, err := os.Stat(stampOf)
		if err != nil {
			return 0, false, fmt.Errorf("search: %w", err)
		}
		st = Stamp{Size: fi.Size(), ModTime: fi.ModTime()}
	}
	if w.ix.Indexed(ctx, name, st) {
		return 0, true, nil
	}
	ra, closer, err := warc.OpenFileContext(ctx, path, wopt)
	if err != nil {
		return 0, false, fmt.Errorf("search: %w", err)
	}
	defer closer.Close()
	n, err = w.AddFile(ctx, name, st, pages, func(p Page) (*warc.Record, error) {
		if pf, ok := ra.(warc.Prefetcher); ok && p.Length > 0 {
			// one Range request for a remote record
			if err := pf.Prefetch(ctx, p.Offset, p.Length); err != nil {
				return nil, err
			}
		}
		return warc.ReadAtFile(ra, p.Offset, storage.Redact(path))
	})
	return n, false, err
}

// AddIndex copies into ix the files src holds that ix does not hold with
// the same stamp (replacing older versions), with their pages' text: parts
// written per input by `warcbox index -o DIR/` become one index, ranked
// with one set of statistics. It returns how many files were copied.
func (ix *Index) AddIndex(ctx context.Context, src *Index) (int, error) {
	type file struct {
		name  string
		st    Stamp
		pages int
	}
	rows, err := src.db.QueryContext(ctx, `SELECT name, size, mtime, pages FROM files ORDER BY name`)
	if err != nil {
		return 0, fmt.Errorf("search: %s: %w", src.path, err)
	}
	var files []file
	for rows.Next() {
		var f file
		var mtime int64
		if err := rows.Scan(&f.name, &f.st.Size, &mtime, &f.pages); err != nil {
			rows.Close()
			return 0, fmt.Errorf("search: %s: %w", src.path, err)
		}
		f.st.ModTime = time.Unix(0, mtime)
		files = append(files, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("search: %s: %w", src.path, err)
	}
	w := ix.NewWriter()
	copied := 0
	for _, f := range files {
		if ix.Indexed(ctx, f.name, f.st) {
			continue
		}
		// The text is copied as stored, a batch of pages at a time; only
		// complete files are in src's files table.
		p := part{file: f.name, st: f.st, first: true}
		prows, err := src.db.QueryContext(ctx, `SELECT p.off, p.url, p.ts, p.status, p.mime, p.title, t.body
			FROM pages p JOIN pages_fts t ON t.rowid = p.id WHERE p.file = ? ORDER BY p.id`, f.name)
		if err != nil {
			return copied, fmt.Errorf("search: %s: %w", src.path, err)
		}
		for prows.Next() {
			var d doc
			var status, mime, title sql.NullString
			if err := prows.Scan(&d.Offset, &d.URL, &d.Timestamp, &status, &mime, &title, &d.text); err != nil {
				prows.Close()
				return copied, fmt.Errorf("search: %s: %w", src.path, err)
			}
			d.Filename, d.Status, d.Mime, d.title = f.name, status.String, mime.String, title.String
			p.docs = append(p.docs, d)
			p.n++
			if len(p.docs) == batchSize {
				if err := w.add(ctx, p); err != nil {
					prows.Close()
					return copied, err
				}
				p = part{file: f.name, st: f.st, n: p.n}
			}
		}
		prows.Close()
		if err := prows.Err(); err != nil {
			return copied, fmt.Errorf("search: %s: %w", src.path, err)
		}
		p.last = true
		if err := w.add(ctx, p); err != nil {
			return copied, err
		}
		copied++
	}
	return copied, w.Flush(ctx)
}
