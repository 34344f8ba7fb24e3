package replay

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/search"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// Full-text search is built in the background, never before serving: a
// collection's first request starts its build, which reads the title and
// text of every HTML 200 page its indexes list (warcbox's own, pywb's,
// cdxj-indexer's; local, remote or in a WACZ) and is searchable batch by
// batch while it runs; files indexed later are added as they come. See
// docs/replay.md, "Full-text search".

// searchIndexName is the file replay writes the full-text index of a pywb
// collection to, in its indexes folder; warcbox index -o indexes/NAME.cdxj
// writes NAME.search.sqlite there, which replay then uses too.
const searchIndexName = "index.search.sqlite"

// Bounds on what one collection's search index takes in (Config).
const (
	DefaultSearchMaxPages = 200_000
	DefaultSearchMaxBytes = 2 << 30
)

// searchStatus says how far a collection's full-text index is: the search
// API returns it with every answer.
type searchStatus struct {
	// State is "pending" (not started), "building", "ready", "partial"
	// (a bound was reached: search covers Pages of the collection) or
	// "off" (Reason says why).
	State string `json:"state"`
	// Files are the archive files with pages to index; FilesDone those
	// read (or found indexed) so far.
	Files     int `json:"files"`
	FilesDone int `json:"files_done"`
	// Pages are the pages searchable now; PagesLeftOut those past the
	// bounds.
	Pages        int    `json:"pages"`
	PagesLeftOut int    `json:"pages_left_out,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// collSearch is a collection's full-text index and its builder.
type collSearch struct {
	start sync.Once
	// kick wakes the builder: files were indexed since its last pass.
	kick chan struct{}

	mu      sync.Mutex
	own     *search.Index   // the index the builder adds to, once made
	ownPath string          // where it goes ("": a temporary folder)
	others  []*search.Index // indexes made by warcbox index, searched too
	tmp     string          // a temporary folder to remove with them
	status  searchStatus
	// started: the builder runs, so the Indexed hook queues the pages of
	// files indexed since (by file, at most a collection's page bound;
	// past it overflow makes the next pass list every page again).
	started  bool
	pending  []func(context.Context) iter.Seq[index.Capture]
	overflow bool
}

// searchState returns the full-text state of collection ic, made on first
// use: the Indexed hook runs while collections are being opened, before the
// server's own collection values exist.
func (s *Server) searchState(ic *index.Collection) *collSearch {
	s.searchMu.Lock()
	defer s.searchMu.Unlock()
	if s.searches == nil {
		s.searches = map[*index.Collection]*collSearch{}
	}
	cs, ok := s.searches[ic]
	if !ok {
		cs = &collSearch{kick: make(chan struct{}, 1), status: searchStatus{State: "pending"}}
		s.searches[ic] = cs
	}
	return cs
}

// startSearch starts the collection's search build in the background, once.
func (s *Server) startSearch(c *collection) {
	cs := s.searchState(c.Collection)
	cs.start.Do(func() {
		s.searchMu.Lock()
		defer s.searchMu.Unlock()
		if s.bgCtx.Err() != nil {
			return // closed
		}
		s.bg.Add(1)
		go func() {
			defer s.bg.Done()
			s.buildSearch(s.bgCtx, c, cs)
		}()
	})
}

// snapshot returns the indexes to search and the build's status.
func (cs *collSearch) snapshot() ([]*search.Index, searchStatus) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	var ixs []*search.Index
	if cs.own != nil {
		ixs = append(ixs, cs.own)
	}
	return append(ixs, cs.others...), cs.status
}

func (cs *collSearch) update(f func(st *searchStatus)) {
	cs.mu.Lock()
	f(&cs.status)
	cs.mu.Unlock()
}

func (cs *collSearch) off(reason string) {
	cs.update(func(st *searchStatus) { st.State, st.Reason = "off", reason })
}

// buildSearch opens the collection's search indexes, adds the pages they
// lack, then waits for files indexed later, until ctx ends.
func (s *Server) buildSearch(ctx context.Context, c *collection, cs *collSearch) {
	if s.cfg.SearchMaxPages < 0 {
		cs.off("full-text search is turned off")
		return
	}
	if s.cfg.CDXServer != "" && c.name == s.cfg.Name {
		// Its pages cannot be listed: a CDX server answers per URL.
		cs.off("the collection's index is a CDX server")
		return
	}
	if err := s.openSearch(ctx, c, cs); err != nil {
		s.log.Warn("replay: full-text search off", "collection", c.name, "err", err)
		cs.off("the search index cannot be opened")
		return
	}
	cs.mu.Lock()
	cs.started = true
	cs.mu.Unlock()
	// The first pass lists every page of the collection's indexes; later
	// ones take the pages of the files indexed since (a growing WARC being
	// captured into would otherwise cost a listing of the whole collection
	// per poll).
	listAll := true
	for {
		select {
		case <-cs.kick:
		default:
		}
		cs.mu.Lock()
		pending := cs.pending
		listAll = listAll || cs.overflow
		cs.pending, cs.overflow = nil, false
		cs.mu.Unlock()
		var queued map[string][]search.Page
		if !listAll {
			var ok bool
			if queued, ok = pendingPages(ctx, pending, s.searchMaxPages()); !ok {
				queued = nil // more than a collection's bound: list them all
			}
		}
		s.searchPass(ctx, c, cs, queued)
		listAll = false
		if s.searchDone != nil {
			s.searchDone(c.name)
		}
		select {
		case <-ctx.Done():
			return
		case <-cs.kick:
		}
	}
}

// openSearch opens the indexes of a collection: those in its indexes
// folder (the first is added to, if the folder is writable), else one in
// Config.SearchCache named after the collection and its paths, else one in
// a temporary folder. The index added to is made only once there are pages
// to put in it (openOwn).
func (s *Server) openSearch(ctx context.Context, c *collection, cs *collSearch) error {
	var own string
	var others []string
	if dir := c.IndexDir(); dir != "" && !storage.IsRemote(dir) {
		found, _ := filepath.Glob(filepath.Join(dir, "*.search.sqlite"))
		sort.Strings(found)
		if writable(dir) {
			own = filepath.Join(dir, searchIndexName)
			if len(found) > 0 {
				own, found = found[0], found[1:]
			}
		}
		others = found
	}
	if own == "" && s.cfg.SearchCache != "" {
		own = filepath.Join(s.cfg.SearchCache, s.searchCacheName(c))
	}
	opt := search.Options{Logger: s.log}
	var open []*search.Index
	for _, p := range others {
		o, err := search.Open(ctx, p, opt)
		if err != nil {
			s.log.Warn("replay: search index not usable, skipped", "file", p, "err", err)
			continue
		}
		open = append(open, o)
	}
	cs.mu.Lock()
	cs.ownPath, cs.others = own, open
	cs.mu.Unlock()
	if _, err := os.Stat(own); own != "" && err == nil {
		return s.openOwn(ctx, c, cs)
	}
	return nil
}

// openOwn opens (making it) the index the builder adds to.
func (s *Server) openOwn(ctx context.Context, c *collection, cs *collSearch) error {
	cs.mu.Lock()
	path, have := cs.ownPath, cs.own
	cs.mu.Unlock()
	if have != nil {
		return nil
	}
	var tmp string
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			s.log.Warn("replay: search cache folder not usable, using a temporary one", "dir", filepath.Dir(path), "err", err)
			path = ""
		}
	}
	if path == "" {
		dir, err := os.MkdirTemp("", "warcbox-search-*")
		if err != nil {
			return err
		}
		tmp = dir
		path = filepath.Join(dir, s.searchCacheName(c))
	}
	ix, err := search.Open(ctx, path, search.Options{Logger: s.log})
	if err != nil {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
		return err
	}
	cs.mu.Lock()
	cs.own, cs.tmp = ix, tmp
	cs.mu.Unlock()
	return nil
}

// searchCacheName names a collection's index in the cache folder after the
// collection and the paths replay was given, so the next run with the same
// arguments finds it.
func (s *Server) searchCacheName(c *collection) string {
	h := sha256.New()
	io.WriteString(h, c.name)
	paths := append([]string(nil), s.cfg.Paths...)
	for i, p := range paths {
		if !storage.IsRemote(p) {
			if abs, err := filepath.Abs(p); err == nil {
				paths[i] = abs
			}
		} else {
			paths[i] = storage.Redact(p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		io.WriteString(h, "\x00"+p)
	}
	return fmt.Sprintf("%s-%x.search.sqlite", c.name, h.Sum(nil)[:8])
}

// writable reports whether files can be made in dir (made if missing, as
// the collection's sidecar CDXJ files are: pywb's autoindex writes there too).
func writable(dir string) bool {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false
	}
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// searchPages adds up the pages the collection's search indexes hold. An
// index that cannot be counted is logged and counts as empty, so the page
// bound may then let in more pages than it should; the pass goes on, since
// search is a convenience and not the record of the collection.
func (s *Server) searchPages(ctx context.Context, c *collection, ixs []*search.Index) int {
	have := 0
	for _, ix := range ixs {
		_, n, err := ix.Counts(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("replay: search index cannot be counted", "collection", c.name, "err", err)
			}
			continue
		}
		have += n
	}
	return have
}

// searchPass adds to the collection's search index the pages of every file
// it does not hold yet (or holds an older version of), within the bounds:
// those of queued (files indexed since the last pass), or, if queued is
// nil, of every page the collection's indexes list.
func (s *Server) searchPass(ctx context.Context, c *collection, cs *collSearch, queued map[string][]search.Page) {
	maxPages := s.searchMaxPages()
	maxBytes := s.cfg.SearchMaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultSearchMaxBytes
	}
	ixs, _ := cs.snapshot()
	have := s.searchPages(ctx, c, ixs)
	byFile := queued
	kept, leftOut := 0, 0
	if byFile != nil {
		cs.update(func(st *searchStatus) { st.State, st.Pages = "building", have })
	} else {
		cs.update(func(st *searchStatus) {
			st.State, st.Pages, st.FilesDone, st.Files, st.PagesLeftOut = "building", have, 0, 0, 0
		})
		byFile = map[string][]search.Page{}
	}
	// Every page the collection's indexes list, by file: one pass over
	// them, index by index and streamed (an index searched in place is
	// read block by block, never held whole), keeping at most maxPages.
	// A page two indexes list (a file indexed again) is kept once.
	if queued == nil {
		seen := map[pageAt]bool{}
		var firstErr error
		errs := 0
		for cp, err := range c.Captures(ctx) {
			if err != nil {
				if ctx.Err() != nil {
					break
				}
				if errs++; firstErr == nil {
					firstErr = err
				}
				continue
			}
			p, ok := search.PageOf(&cp.Line)
			if !ok || seen[pageAt{p.Filename, p.Offset}] {
				continue
			}
			if kept >= maxPages {
				leftOut++
				continue
			}
			seen[pageAt{p.Filename, p.Offset}] = true
			byFile[p.Filename] = append(byFile[p.Filename], p)
			kept++
		}
		if firstErr != nil {
			s.log.Warn("replay: index lines or blocks left out of full-text search", "collection", c.name, "errors", errs, "first", firstErr)
		}
	}
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)
	// Files counts the files listed for search since start-up.
	cs.update(func(st *searchStatus) { st.Files += len(files); st.PagesLeftOut += leftOut })
	room := maxPages - have // for queued files, which the listing did not bound
	var own *search.Index
	var w *search.Writer
	stamps := map[string]search.Stamp{}
	full := false
	for _, f := range files {
		if ctx.Err() != nil {
			return
		}
		st, err := s.searchStamp(ctx, c, f, stamps)
		if err != nil {
			s.log.Warn("replay: pages left out of full-text search", "collection", c.name, "file", f, "err", err)
			cs.update(func(st *searchStatus) { st.FilesDone++; st.PagesLeftOut += len(byFile[f]) })
			continue
		}
		if indexedIn(ctx, ixs, f, st) {
			cs.update(func(st *searchStatus) { st.FilesDone++ })
			continue
		}
		if full || (queued != nil && len(byFile[f]) > room) {
			cs.update(func(st *searchStatus) { st.FilesDone++; st.PagesLeftOut += len(byFile[f]) })
			continue
		}
		room -= len(byFile[f])
		if own == nil {
			if err := s.openOwn(ctx, c, cs); err != nil {
				s.log.Warn("replay: full-text search off", "collection", c.name, "err", err)
				cs.off("the search index cannot be made")
				return
			}
			ixs, _ = cs.snapshot()
			own = ixs[0]
			w = own.NewWriter()
		}
		if s.searchHook != nil {
			s.searchHook(c.name, f)
		}
		// The archive stays open for this file's pages, not the build's.
		fctx, release := s.files.holdFiles(ctx)
		n, err := w.AddFile(fctx, f, st, byFile[f], func(p search.Page) (*warc.Record, error) {
			var cp index.Capture
			cp.Filename, cp.Offset, cp.Length = p.Filename, p.Offset, p.Length
			return s.readRecord(fctx, c.Collection, cp)
		})
		release()
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("replay: pages left out of full-text search", "collection", c.name, "file", f, "err", err)
			}
			continue
		}
		cs.update(func(st *searchStatus) { st.FilesDone++; st.Pages += n })
		if dbSize(own.Path()) > maxBytes {
			full = true
			s.log.Warn("replay: full-text search index reached its size bound; later files left out",
				"collection", c.name, "bytes", maxBytes)
		}
	}
	if w != nil {
		if err := w.Flush(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("replay: pages left out of full-text search", "collection", c.name, "err", err)
		}
	}
	if ctx.Err() != nil {
		return
	}
	have = s.searchPages(ctx, c, ixs)
	cs.update(func(st *searchStatus) {
		st.Pages = have
		st.State = "ready"
		if st.PagesLeftOut > 0 {
			st.State = "partial"
			st.Reason = fmt.Sprintf("search holds at most %d pages and %d MiB per collection", maxPages, maxBytes>>20)
		}
	})
	s.log.Info("replay: full-text search ready", "collection", c.name, "files", len(files), "pages", have, "left_out", leftOut, "listed", queued == nil)
}

// pageAt is where a page's record is.
type pageAt struct {
	file string
	off  int64
}

// searchMaxPages is Config.SearchMaxPages, or its default.
func (s *Server) searchMaxPages() int {
	if s.cfg.SearchMaxPages <= 0 {
		return DefaultSearchMaxPages
	}
	return s.cfg.SearchMaxPages
}

// searchStamp is the size and time of the file holding a capture's
// Filename (the package, for a WARC inside a WACZ), cached per path.
func (s *Server) searchStamp(ctx context.Context, c *collection, name string, cache map[string]search.Stamp) (search.Stamp, error) {
	loc, err := c.Locate(name)
	if err != nil {
		return search.Stamp{}, err
	}
	if st, ok := cache[loc.Path]; ok {
		return st, nil
	}
	var st search.Stamp
	if storage.IsRemote(loc.Path) {
		info, err := s.store().Stat(ctx, loc.Path)
		if err != nil {
			return st, err
		}
		st = search.Stamp{Size: info.Size, ModTime: info.ModTime}
	} else {
		fi, err := os.Stat(loc.Path)
		if err != nil {
			return st, err
		}
		st = search.Stamp{Size: fi.Size(), ModTime: fi.ModTime()}
	}
	cache[loc.Path] = st
	return st, nil
}

func indexedIn(ctx context.Context, ixs []*search.Index, file string, st search.Stamp) bool {
	for _, ix := range ixs {
		if ix.Indexed(ctx, file, st) {
			return true
		}
	}
	return false
}

// dbSize is the bytes of an SQLite database with its write-ahead log.
func dbSize(path string) int64 {
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// closeSearches stops the search builders, closes the indexes and removes
// the temporary ones.
func (s *Server) closeSearches() {
	s.searchMu.Lock()
	s.bgCancel()
	s.searchMu.Unlock()
	s.bg.Wait()
	s.searchMu.Lock()
	defer s.searchMu.Unlock()
	for _, cs := range s.searches {
		cs.mu.Lock()
		for _, ix := range append([]*search.Index{cs.own}, cs.others...) {
			if ix != nil {
				ix.Close()
			}
		}
		cs.own, cs.others = nil, nil
		if cs.tmp != "" {
			os.RemoveAll(cs.tmp)
			cs.tmp = ""
		}
		cs.mu.Unlock()
	}
}

// addToSearch is the collections' Indexed hook: files were indexed, so
// the collection's search builder (if started) makes another pass. Their
// captures are read by the builder, not here: a package searched in
// place lists them from its index, block by block.
func (s *Server) addToSearch(ctx context.Context, ic *index.Collection, caps func(context.Context) iter.Seq[index.Capture], size int64, mtime time.Time) {
	cs := s.searchState(ic)
	cs.mu.Lock()
	switch {
	case !cs.started:
		// the builder's first pass lists it
	case cs.overflow || len(cs.pending) >= maxPendingFiles:
		cs.overflow, cs.pending = true, nil
	default:
		cs.pending = append(cs.pending, caps)
	}
	cs.mu.Unlock()
	select {
	case cs.kick <- struct{}{}:
	default:
	}
}

// maxPendingFiles bounds the files indexed since the builder's last pass
// that it lists one by one; past it, the pass lists the whole collection.
const maxPendingFiles = 10000

// pendingPages lists the pages of the files indexed since the last pass,
// by file (a file indexed again brings all its pages), and reports false
// when there are more than maxPages of them: the pass then lists every
// page of the collection instead.
func pendingPages(ctx context.Context, pending []func(context.Context) iter.Seq[index.Capture], maxPages int) (map[string][]search.Page, bool) {
	byFile := map[string][]search.Page{}
	for _, caps := range pending {
		fresh := map[string][]search.Page{}
		n := 0
		for cp := range caps(ctx) {
			if p, ok := search.PageOf(&cp.Line); ok {
				fresh[p.Filename] = append(fresh[p.Filename], p)
				if n++; n > maxPages {
					return nil, false
				}
			}
		}
		for f, pages := range fresh {
			byFile[f] = pages
		}
	}
	total := 0
	for _, pages := range byFile {
		total += len(pages)
	}
	return byFile, total <= maxPages
}

// writeJSON sends v as the answer of a JSON API.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// apiCollection finds the collection an API request names.
func (s *Server) apiCollection(w http.ResponseWriter, r *http.Request) *collection {
	name := r.FormValue("coll")
	c := (*collection)(nil)
	if index.ValidCollectionName(name) {
		c = s.collection(name)
	}
	if c == nil {
		jsonError(w, http.StatusNotFound, "no such collection: "+strconv.Quote(name))
		return nil
	}
	s.startSearch(c)
	return c
}

// handleSearchAPI serves /_/api/search?coll=NAME&q=WORDS[&limit=N&offset=N]:
// the pages holding every word, best first, one per URL, each with the
// capture to open.
func (s *Server) handleSearchAPI(w http.ResponseWriter, r *http.Request) {
	c := s.apiCollection(w, r)
	if c == nil {
		return
	}
	res, status, err := s.fullText(r.Context(), c, r.FormValue("q"), r.FormValue("limit"), r.FormValue("offset"))
	if err != nil {
		jsonError(w, status, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// searchAnswer is a search's results with the links to their captures,
// and how far the collection's search index is.
type searchAnswer struct {
	search.Results
	Coll  string       `json:"coll"`
	Hits  []searchLink `json:"hits"`
	Index searchStatus `json:"index"`
}

type searchLink struct {
	search.Hit
	// Replay is the capture's replay path; When its time, in UTC.
	Replay string `json:"replay"`
	When   string `json:"when"`
}

func (s *Server) fullText(ctx context.Context, c *collection, q, limit, offset string) (searchAnswer, int, error) {
	ans := searchAnswer{Coll: c.name, Hits: []searchLink{}}
	cs := s.searchState(c.Collection)
	s.startSearch(c)
	ixs, status := cs.snapshot()
	ans.Index = status
	lim, _ := strconv.Atoi(limit)
	off, _ := strconv.Atoi(offset)
	off = min(max(off, 0), maxSearchOffset)
	query := search.Query{Text: strings.TrimSpace(q), Limit: lim, Offset: off}
	res, err := search.SearchAll(ctx, ixs, query)
	if err != nil {
		if errors.Is(err, search.ErrBadQuery) {
			return ans, http.StatusBadRequest, err
		}
		s.log.Error("replay: search", "collection", c.name, "q", q, "err", err)
		return ans, http.StatusInternalServerError, errors.New("search failed")
	}
	ans.Results = res
	for _, h := range res.Hits {
		ans.Hits = append(ans.Hits, searchLink{Hit: h, Replay: "/" + c.name + "/" + h.Timestamp + "/" + h.URL, When: utcTime(h.Timestamp)})
	}
	return ans, http.StatusOK, nil
}

// maxSearchOffset bounds paging through results.
const maxSearchOffset = 1000

// maxTimeline bounds the captures of one URL listed in the timeline.
const maxTimeline = 2000

// capturesAnswer is the timeline of one URL.
type capturesAnswer struct {
	Coll     string        `json:"coll"`
	URL      string        `json:"url"`
	Captures []captureItem `json:"captures"`
	More     bool          `json:"more"`
}

type captureItem struct {
	Timestamp string `json:"timestamp"`
	URL       string `json:"url"`
	Status    string `json:"status"`
	Mime      string `json:"mime"`
	When      string `json:"when"`
	Replay    string `json:"replay"`
	// Truncated is the record's WARC-Truncated reason (the body was cut:
	// "length" by --max-size, "disconnect", "time"), in the timeline.
	Truncated string `json:"truncated,omitempty"`
}

// handleCapturesAPI serves /_/api/captures?coll=NAME&url=URL: every
// capture of URL (http/https and www. alike), oldest first, with status
// and media type: the top frame's timeline.
func (s *Server) handleCapturesAPI(w http.ResponseWriter, r *http.Request) {
	c := s.apiCollection(w, r)
	if c == nil {
		return
	}
	target, ok := normaliseURL(r.FormValue("url"))
	if !ok {
		jsonError(w, http.StatusBadRequest, "not a web URL")
		return
	}
	ans, err := s.timeline(r.Context(), c, target)
	if err != nil {
		jsonError(w, http.StatusInternalServerError, "lookup failed")
		s.log.Error("replay: captures", "collection", c.name, "url", target, "err", err)
		return
	}
	writeJSON(w, http.StatusOK, ans)
}

// maxTruncationReads bounds the records a timeline reads to say which
// captures were cut (each read once, then remembered).
const maxTruncationReads = 200

func (s *Server) timeline(ctx context.Context, c *collection, target string) (capturesAnswer, error) {
	ans := capturesAnswer{Coll: c.name, URL: target, Captures: []captureItem{}}
	q := index.Query{Key: cdxj.Key(target), URL: target, Limit: maxTimeline + 1}
	for cp, err := range c.source().Lookup(ctx, q) {
		if err != nil {
			return ans, err
		}
		if cp.Method != "" && !strings.EqualFold(cp.Method, "GET") {
			continue // a POST's answer is not a capture of the page
		}
		if !s.isAnswer(ctx, c, cp) {
			continue
		}
		if len(ans.Captures) == maxTimeline {
			ans.More = true
			break
		}
		item := captureItem{Timestamp: cp.Timestamp, URL: cp.URL, Status: cp.Status,
			Mime: cp.Mime, When: utcTime(cp.Timestamp), Replay: "/" + c.name + "/" + cp.Timestamp + "/" + cp.URL}
		if len(ans.Captures) < maxTruncationReads {
			item.Truncated = s.truncation(ctx, c, cp)
		}
		ans.Captures = append(ans.Captures, item)
	}
	sort.SliceStable(ans.Captures, func(i, j int) bool { return ans.Captures[i].Timestamp < ans.Captures[j].Timestamp })
	return ans, nil
}

// utcTime formats a 14-digit timestamp for people, saying it is UTC.
func utcTime(ts string) string {
	return tsTime(ts).Format("2006-01-02 15:04:05") + " UTC"
}
