package replay

import (
	"context"
	"embed"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/htmlpage"
	"github.com/warcbox/warcbox/replay/rewrite"
)

//go:embed templates/*.html
var templateFS embed.FS

type uiTemplates struct{ pages map[string]*template.Template }

func newUITemplates() (*uiTemplates, error) {
	t := &uiTemplates{pages: map[string]*template.Template{}}
	for _, name := range []string{"home", "collection", "captures", "urls", "notfound", "error", "frame"} {
		p, err := template.ParseFS(templateFS, "templates/base.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		t.pages[name] = p
	}
	return t, nil
}

// page is the data every template gets.
type page struct {
	Title, Coll, Query, Timestamp string
	Prefix, More                  bool
	Collections                   []collSummary
	Pages                         []capView
	Captures                      []capView
	Years                         []yearView
	URLs                          []urlView
	Nearby                        []capView
	// Search is a full-text search's answer on the collection page.
	Search *searchAnswer
	// SearchError says why a full-text search gave nothing.
	SearchError string
	// Frame is the top frame's data (frame.html).
	Frame *frameView
}

type collSummary struct {
	Name     string
	Captures string
}

type capView struct {
	index.Capture
	When, Label string
}

type yearView struct {
	Year   string
	Months []monthView
}

type monthView struct {
	Name string
	Caps []capView
}

type urlView struct {
	URL, Latest, When string
	Count             int
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.ui.pages[name].ExecuteTemplate(w, name+".html", p); err != nil {
		s.log.Debug("replay: rendering page", "template", name, "err", err)
	}
}

func view(c index.Capture) capView {
	t := tsTime(c.Timestamp)
	return capView{Capture: c, When: t.Format("2006-01-02 15:04:05") + " UTC", Label: t.Format("Jan 2 15:04:05") + " UTC"}
}

func (s *Server) renderHome(w http.ResponseWriter, r *http.Request) {
	var cs []collSummary
	for _, n := range s.Collections() {
		c := s.collection(n)
		sum := ""
		if c != nil && c.Len() > 0 {
			sum = strconv.Itoa(c.Len()) + " captures indexed at start-up"
		}
		cs = append(cs, collSummary{Name: n, Captures: sum})
	}
	s.render(w, http.StatusOK, "home", page{Title: "Collections", Collections: cs})
}

// maxListed caps the rows of the pages and URL lists.
const maxListed = 1000

// pagesScanBudget bounds how many lines of on-disk indexes the pages list
// reads, so a huge collection's front page stays fast.
const pagesScanBudget = 20_000

func (s *Server) renderCollection(w http.ResponseWriter, r *http.Request, c *collection) {
	p := page{Title: c.name, Coll: c.name}
	if q := strings.TrimSpace(r.FormValue("q")); q != "" {
		p.Title = q + " · " + c.name
		ans, _, err := s.fullText(r.Context(), c, q, r.FormValue("limit"), r.FormValue("offset"))
		if err != nil {
			p.SearchError = err.Error()
		}
		ans.Query = q
		p.Search = &ans
		s.render(w, http.StatusOK, "collection", p)
		return
	}
	p.Pages, p.More = s.collectionPages(r.Context(), c)
	s.render(w, http.StatusOK, "collection", p)
}

// handlePagesAPI serves /_/api/pages?coll=NAME: the collection's pages
// (the latest capture of each HTML 200 URL), titled ones first.
func (s *Server) handlePagesAPI(w http.ResponseWriter, r *http.Request) {
	c := s.apiCollection(w, r)
	if c == nil {
		return
	}
	pages, more := s.collectionPages(r.Context(), c)
	type item struct {
		captureItem
		Title string `json:"title"`
	}
	ans := struct {
		Coll  string `json:"coll"`
		Pages []item `json:"pages"`
		More  bool   `json:"more"`
	}{Coll: c.name, Pages: []item{}, More: more}
	for _, p := range pages {
		ans.Pages = append(ans.Pages, item{captureItem: captureItem{Timestamp: p.Timestamp, URL: p.URL, Status: p.Status, Mime: p.Mime,
			When: p.When, Replay: "/" + c.name + "/" + p.Timestamp + "/" + p.URL}, Title: p.Title})
	}
	writeJSON(w, http.StatusOK, ans)
}

// collectionPages lists the latest capture of every HTML 200 page, titled
// ones first, at most maxListed (more reports that there are others).
func (s *Server) collectionPages(ctx context.Context, c *collection) (pages []capView, more bool) {
	latest := map[string]index.Capture{}
	consider := func(cp index.Capture) {
		if cp.Status != "200" || (cp.Mime != "text/html" && cp.Mime != "application/xhtml+xml") || cp.Method != "" {
			return
		}
		if old, ok := latest[cp.Key]; !ok || cp.Timestamp > old.Timestamp || (old.Title == "" && cp.Title != "") {
			latest[cp.Key] = cp
		}
	}
	for cp := range c.Indexed() {
		consider(cp)
	}
	budget := pagesScanBudget
	for _, src := range c.IndexFiles() {
		for cp, err := range src.Lookup(ctx, index.Query{Key: "", MatchType: cdxj.MatchPrefix, Limit: budget}) {
			budget--
			if err == nil {
				consider(cp)
			}
		}
		if budget <= 0 {
			break
		}
	}
	caps := make([]index.Capture, 0, len(latest))
	for _, cp := range latest {
		caps = append(caps, cp)
	}
	sort.Slice(caps, func(i, j int) bool { return caps[i].URL < caps[j].URL })
	s.fillTitles(ctx, c, caps)
	pages = make([]capView, 0, len(caps))
	for _, cp := range caps {
		pages = append(pages, view(cp))
	}
	sort.Slice(pages, func(i, j int) bool {
		if (pages[i].Title == "") != (pages[j].Title == "") {
			return pages[i].Title != ""
		}
		return pages[i].URL < pages[j].URL
	})
	if len(pages) > maxListed {
		return pages[:maxListed], true
	}
	return pages, false
}

// maxTitleReads bounds how many pages without a title in the index (a
// pywb- or warcio-written CDXJ has none) get their <title> read for one
// pages list; titles are remembered, so the list fills in as it is visited.
const maxTitleReads = 200

// titleReadBudget bounds the time one pages list spends reading titles.
const titleReadBudget = 2 * time.Second

// fillTitles gives caps without a title the <title> of their record, read
// in the page's charset, for at most maxTitleReads of them.
func (s *Server) fillTitles(ctx context.Context, c *collection, caps []index.Capture) {
	var todo []int
	c.mu.Lock()
	for i := range caps {
		if caps[i].Title != "" {
			continue
		}
		if t, ok := c.titles[titleKey(caps[i])]; ok {
			caps[i].Title = t
		} else if len(todo) < maxTitleReads {
			todo = append(todo, i)
		}
	}
	c.mu.Unlock()
	if len(todo) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, titleReadBudget)
	defer cancel()
	found := make([]string, len(todo))
	read := make([]bool, len(todo))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for j, i := range todo {
		g.Go(func() error {
			if gctx.Err() != nil {
				return nil
			}
			ld, err := s.load(gctx, c, caps[i], false)
			if err != nil {
				return nil
			}
			found[j], _ = htmlpage.Summary(io.LimitReader(ld.body, 32<<10), ld.header.Get("Content-Type"), 0)
			read[j] = true
			return nil
		})
	}
	_ = g.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.titles == nil {
		c.titles = map[string]string{}
	}
	for j, i := range todo {
		if read[j] {
			caps[i].Title = found[j]
			c.titles[titleKey(caps[i])] = found[j]
		}
	}
}

func titleKey(c index.Capture) string { return c.Filename + "#" + strconv.FormatInt(c.Offset, 10) }

// renderCaptures serves /<coll>/*/<url> (calendar of captures) and
// /<coll>/*/<url>* (URLs with that prefix).
func (s *Server) renderCaptures(w http.ResponseWriter, r *http.Request, c *collection, from, to, urlPart string) {
	prefix := strings.HasSuffix(urlPart, "*")
	target, ok := normaliseURL(strings.TrimSuffix(urlPart, "*"))
	if !ok {
		badRequest(w, "not a web URL")
		return
	}
	p := page{Title: "Captures of " + target, Coll: c.name, Query: target, Prefix: prefix}
	q := index.Query{Key: cdxj.Key(target), URL: target, From: from, To: to}
	if prefix {
		q.MatchType = cdxj.MatchPrefix
		if !strings.HasSuffix(strings.TrimSuffix(urlPart, "*"), "/") {
			q.Key = strings.TrimSuffix(q.Key, "/")
		}
		byURL := map[string]*urlView{}
		var order []string
		for cp, err := range c.source().Lookup(r.Context(), q) {
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			u, ok := byURL[cp.Key]
			if !ok {
				if len(order) >= maxListed {
					p.More = true
					break
				}
				u = &urlView{URL: cp.URL}
				byURL[cp.Key] = u
				order = append(order, cp.Key)
			}
			u.Count++
			if cp.Timestamp > u.Latest {
				u.Latest, u.When = cp.Timestamp, view(cp).When
			}
		}
		for _, k := range order {
			p.URLs = append(p.URLs, *byURL[k])
		}
		p.Title = "URLs starting with " + target
		s.render(w, http.StatusOK, "urls", p)
		return
	}
	caps, err := exactCapturesBetween(r.Context(), c.source(), target, from, to)
	caps = s.answers(r.Context(), c, caps)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(caps) == 0 {
		s.renderNotFound(w, r, c, target, from)
		return
	}
	var years []yearView
	for _, cp := range caps {
		v := view(cp)
		p.Captures = append(p.Captures, v)
		y, m := cp.Timestamp[:4], tsTime(cp.Timestamp).Month().String()
		if len(years) == 0 || years[len(years)-1].Year != y {
			years = append(years, yearView{Year: y})
		}
		yv := &years[len(years)-1]
		if len(yv.Months) == 0 || yv.Months[len(yv.Months)-1].Name != m {
			yv.Months = append(yv.Months, monthView{Name: m})
		}
		mv := &yv.Months[len(yv.Months)-1]
		mv.Caps = append(mv.Caps, v)
	}
	p.Years = years
	s.render(w, http.StatusOK, "captures", p)
}

// renderNotFound is the helpful 404: what was asked, and captures nearby
// on the same host.
func (s *Server) renderNotFound(w http.ResponseWriter, r *http.Request, c *collection, target, ts string) {
	p := page{Title: "Not archived", Coll: c.name, Query: target, Timestamp: ts}
	// Captures on the same host (else domain), those sharing the longest
	// path prefix with the request first, pages before other resources.
	seen := map[string]bool{}
	key := cdxj.Key(target)
	var cands []index.Capture
	for _, mt := range []cdxj.MatchType{cdxj.MatchHost, cdxj.MatchDomain} {
		q := index.Query{Key: key, URL: target, MatchType: mt, Limit: 5000}
		for cp, err := range c.source().Lookup(r.Context(), q) {
			if err != nil {
				break
			}
			if seen[cp.Key] || cp.Method != "" || cp.StatusCode() >= 400 {
				// a page that was itself not found (or an error) is no
				// better than this not-found page
				continue
			}
			seen[cp.Key] = true
			cands = append(cands, cp)
		}
		if len(cands) > 0 {
			break
		}
	}
	shared := func(k string) int {
		n := 0
		for n < len(k) && n < len(key) && k[n] == key[n] {
			n++
		}
		return n
	}
	sort.SliceStable(cands, func(i, j int) bool {
		si, sj := shared(cands[i].Key), shared(cands[j].Key)
		if si != sj {
			return si > sj
		}
		return cands[i].Mime == "text/html" && cands[j].Mime != "text/html"
	})
	for _, cp := range cands[:min(len(cands), 20)] {
		p.Nearby = append(p.Nearby, view(cp))
	}
	s.render(w, http.StatusNotFound, "notfound", p)
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, title, detail string) {
	s.render(w, status, "error", page{Title: title, Query: detail})
}

// frameView is what the top frame shows before its script runs: the
// capture in the frame, and where the archived content is served from.
type frameView struct {
	URL, Timestamp, When, Status, Mime string
	// Src is the content frame's address: the capture with mp_ on the
	// archived-content origin.
	Src string
	// Config is the script's configuration, JSON that json.Marshal
	// escaped (<, >, & cannot end the script element).
	Config template.JS
}

// framed reports whether a request for a page without a modifier gets the
// top frame: a browser loading a top-level document says so in
// Sec-Fetch-Dest. A page's own frames, and clients that are not browsers
// (Memento tools, curl), get the archived content, as before framing.
func framed(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.Header.Get("Sec-Fetch-Dest") == "document"
}

// contentOrigin is the origin the collection's archived content is
// served from, for the top frame's iframe and its postMessage check; ""
// when the server runs on one origin (ServeHTTP without Serve).
func (s *Server) contentOrigin(r *http.Request, coll string) string {
	o, ok := s.ContentOrigin(r, coll)
	if !ok {
		return ""
	}
	return o
}

// frameCSP confines the top frame: its own scripts and styles only, the
// archived page only inside the frame, and never framed itself (a page
// cannot wrap the banner in a frame of its own).
func frameCSP(content string) string {
	src := "'self'"
	if content != "" {
		src = content
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"frame-src " + src + "; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
}

// renderFrame serves /<coll>/<ts>/<url> to a browser: the UI as the top
// frame (banner, address bar, timeline, pages, search) with the capture in
// an iframe on the archived-content origin, as pywb's framed replay does.
func (s *Server) renderFrame(w http.ResponseWriter, r *http.Request, c *collection, cp index.Capture, caps []index.Capture) {
	content := s.contentOrigin(r, c.name)
	cfg, _ := json.Marshal(map[string]string{
		"coll": c.name, "url": cp.URL, "ts": cp.Timestamp, "status": cp.Status, "mime": cp.Mime,
		"contentOrigin": content,
	})
	fv := &frameView{URL: cp.URL, Timestamp: cp.Timestamp, When: utcTime(cp.Timestamp), Status: cp.Status, Mime: cp.Mime,
		Src: content + "/" + c.name + "/" + cp.Timestamp + rewrite.ModFrame + "/" + cp.URL, Config: template.JS(cfg)}
	h := w.Header()
	h.Set("Content-Security-Policy", frameCSP(content))
	h.Set("X-Frame-Options", "DENY")
	h.Set("Memento-Datetime", httpDate(cp.Timestamp))
	h.Set("Link", s.mementoLinks(r, c, cp.URL, caps, &cp))
	h.Set("Cache-Control", "no-store")
	s.render(w, http.StatusOK, "frame", page{Title: cp.URL, Coll: c.name, Query: cp.URL, Timestamp: cp.Timestamp, Frame: fv})
}
