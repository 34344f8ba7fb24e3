package replay

import (
	"context"
	"encoding/json"
	"errors"
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

// searchIndexName is the file replay writes the full-text index of a pywb
// collection to, in its indexes folder; warcbox index -o indexes/NAME.cdxj
// writes NAME.search.sqlite there, which replay then uses instead.
const searchIndexName = "index.search.sqlite"

// collSearch is a collection's full-text index, opened on first use.
type collSearch struct {
	mu     sync.Mutex
	ix     *search.Index
	tmp    string // a temporary folder to remove with it
	failed bool
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
		cs = &collSearch{}
		s.searches[ic] = cs
	}
	return cs
}

// searchIndex returns the collection's full-text index, opening it on
// first use when create is set (and nil when there is none): the first
// indexes/*.search.sqlite, else a new indexes/index.search.sqlite; for
// loose files (no indexes folder) a file in a temporary folder, made only
// once there are pages to index and removed by Close. An index that
// cannot be opened turns search off for the collection, with one warning.
func (s *Server) searchIndex(ctx context.Context, ic *index.Collection, create bool) *search.Index {
	cs := s.searchState(ic)
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.ix != nil || cs.failed {
		return cs.ix
	}
	var path string
	if dir := ic.IndexDir(); dir != "" {
		found, _ := filepath.Glob(filepath.Join(dir, "*.search.sqlite"))
		sort.Strings(found)
		if len(found) > 0 {
			path = found[0]
		} else if !create {
			return nil
		} else if err := os.MkdirAll(dir, 0o755); err == nil {
			path = filepath.Join(dir, searchIndexName)
		}
	}
	if !create && path == "" {
		return nil
	}
	if path == "" {
		dir, err := os.MkdirTemp("", "warcbox-search-*")
		if err != nil {
			cs.failed = true
			s.log.Warn("replay: full-text search off", "collection", ic.Name, "err", err)
			return nil
		}
		cs.tmp = dir
		path = filepath.Join(dir, "search.sqlite")
	}
	ix, err := search.Open(ctx, path, search.Options{Logger: s.log})
	if err != nil {
		cs.failed = true
		s.log.Warn("replay: full-text search off", "collection", ic.Name, "err", err)
		return nil
	}
	cs.ix = ix
	return ix
}

// closeSearches closes the collections' search indexes and removes the
// temporary ones.
func (s *Server) closeSearches() {
	s.searchMu.Lock()
	defer s.searchMu.Unlock()
	for _, cs := range s.searches {
		cs.mu.Lock()
		if cs.ix != nil {
			cs.ix.Close()
			cs.ix = nil
		}
		if cs.tmp != "" {
			os.RemoveAll(cs.tmp)
			cs.tmp = ""
		}
		cs.mu.Unlock()
	}
}

// addToSearch is the collections' Indexed hook: it puts the pages among a
// file's captures into the collection's search index, one WARC (or WACZ
// member) at a time, unless it is there already with the same stamp.
func (s *Server) addToSearch(ctx context.Context, ic *index.Collection, caps []index.Capture, size int64, mtime time.Time) {
	byFile := map[string][]search.Page{}
	var files []string
	for i := range caps {
		p, ok := search.PageOf(&caps[i].Line)
		if !ok {
			continue
		}
		if _, ok := byFile[p.Filename]; !ok {
			if loc, err := ic.Locate(p.Filename); err != nil || storage.IsRemote(loc.Path) {
				// reading every page of a remote archive at start-up
				// would fetch it whole: search covers local files
				byFile[p.Filename] = nil
				continue
			}
			files = append(files, p.Filename)
		} else if byFile[p.Filename] == nil {
			continue
		}
		byFile[p.Filename] = append(byFile[p.Filename], p)
	}
	if len(files) == 0 {
		return
	}
	six := s.searchIndex(ctx, ic, true)
	if six == nil {
		return
	}
	st := search.Stamp{Size: size, ModTime: mtime}
	for _, f := range files {
		if six.Indexed(ctx, f, st) {
			continue
		}
		n, err := six.AddFile(ctx, f, st, byFile[f], func(p search.Page) (*warc.Record, error) {
			var cp index.Capture
			cp.Filename, cp.Offset = p.Filename, p.Offset
			return s.readRecord(ctx, ic, cp)
		})
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("replay: pages left out of full-text search", "collection", ic.Name, "file", f, "err", err)
			}
			continue
		}
		s.log.Debug("replay: pages added to full-text search", "collection", ic.Name, "file", f, "pages", n)
	}
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
	}
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

// searchAnswer is a search's results with the links to their captures.
type searchAnswer struct {
	search.Results
	Coll string       `json:"coll"`
	Hits []searchLink `json:"hits"`
}

type searchLink struct {
	search.Hit
	// Replay is the capture's replay path; When its time, in UTC.
	Replay string `json:"replay"`
	When   string `json:"when"`
}

func (s *Server) fullText(ctx context.Context, c *collection, q, limit, offset string) (searchAnswer, int, error) {
	ans := searchAnswer{Coll: c.name, Hits: []searchLink{}}
	six := s.searchIndex(ctx, c.Collection, false)
	if six == nil {
		return ans, http.StatusOK, nil // no pages indexed (yet), or the index is a CDX server's
	}
	lim, _ := strconv.Atoi(limit)
	off, _ := strconv.Atoi(offset)
	off = min(max(off, 0), maxSearchOffset)
	res, err := six.Search(ctx, search.Query{Text: strings.TrimSpace(q), Limit: lim, Offset: off})
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
		ans.Captures = append(ans.Captures, captureItem{Timestamp: cp.Timestamp, URL: cp.URL, Status: cp.Status,
			Mime: cp.Mime, When: utcTime(cp.Timestamp), Replay: "/" + c.name + "/" + cp.Timestamp + "/" + cp.URL})
	}
	sort.SliceStable(ans.Captures, func(i, j int) bool { return ans.Captures[i].Timestamp < ans.Captures[j].Timestamp })
	return ans, nil
}

// utcTime formats a 14-digit timestamp for people, saying it is UTC.
func utcTime(ts string) string {
	return tsTime(ts).Format("2006-01-02 15:04:05") + " UTC"
}
