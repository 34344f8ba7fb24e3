package replay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/archivalurl"
	"github.com/warcbox/warcbox/replay/rewrite"
)

// maxRedirectTries bounds how many captures are examined to get past
// self-redirects (http→https, cookie checks) before giving up.
const maxRedirectTries = 10

// maxRequestBody caps POST bodies read for lookups.
const maxRequestBody = 1 << 20

// handleCollection serves everything under /<coll>/.
func (s *Server) handleCollection(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.RequestURI()
	if !strings.HasPrefix(raw, "/") {
		badRequest(w, "request target must be a path")
		return
	}
	name, rest, hasSlash := strings.Cut(raw[1:], "/")
	content, isContent := contentColl(r)
	if isContent && name != content {
		s.toUI(w, r) // says nothing here about whether name exists
		return
	}
	if !index.ValidCollectionName(name) {
		s.renderError(w, r, http.StatusNotFound, "No such collection", "")
		return
	}
	c := s.collection(name)
	if c == nil {
		s.renderError(w, r, http.StatusNotFound, "No such collection: "+name, "")
		return
	}
	s.startSearch(c) // in the background, once
	if !hasSlash {
		http.Redirect(w, r, "/"+name+"/", http.StatusMovedPermanently)
		return
	}
	isUIPage := rest == "" || strings.HasPrefix(rest, "?") || rest == "cdx" || strings.HasPrefix(rest, "cdx?") ||
		strings.HasPrefix(rest, "timemap/") || isCaptureQuery(rest)
	// A browser opening /<coll>/<ts>/<url> gets the framed UI, on the UI
	// origin, with the page in a frame from the content origin.
	topFrame := !isUIPage && framed(r) && pageModifier(rest) == rewrite.ModPage
	if isContent && (isUIPage || topFrame) {
		s.toUI(w, r)
		return
	}
	if !isContent && !isUIPage && !topFrame {
		// archived content never runs on the UI's origin
		if origin, ok := s.ContentOrigin(r, name); ok {
			redirect(w, r, origin+raw)
			return
		}
	}
	switch {
	case rest == "" || strings.HasPrefix(rest, "?"):
		s.renderCollection(w, r, c)
	case rest == "cdx" || strings.HasPrefix(rest, "cdx?"):
		s.handleCDX(w, r, c)
	case strings.HasPrefix(rest, "timemap/"):
		s.handleTimeMap(w, r, c, strings.TrimPrefix(rest, "timemap/"))
	case isCaptureQuery(rest):
		from, to, urlPart := captureQuery(rest)
		s.renderCaptures(w, r, c, from, to, urlPart)
	default:
		s.handleReplay(w, r, c, rest)
	}
}

// pageModifier is the modifier of an archival path ("" when it has none).
func pageModifier(rest string) string {
	_, mod, _, ok := archivalurl.Split(rest)
	if !ok {
		return rewrite.ModPage
	}
	return mod
}

// handleReplay serves /<coll>/[<timestamp><modifier>/]<url>.
func (s *Server) handleReplay(w http.ResponseWriter, r *http.Request, c *collection, rest string) {
	ts, mod, urlPart, ok := archivalurl.Split(rest)
	if !ok {
		ts, mod, urlPart = "", "", rest
	}
	if mod == modWebSocket {
		s.handleWebSocketMessages(w, r, c, ts, urlPart)
		return
	}
	target, ok := normaliseURL(urlPart)
	if !ok {
		badRequest(w, "not a web URL: "+urlPart)
		return
	}
	keyURL := target
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
		if err != nil {
			badRequest(w, "reading request body")
			return
		}
		keyURL = index.MethodURL(target, r.Method, r.Header.Get("Content-Type"), body)
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Allow", "GET, HEAD, POST, PUT, OPTIONS")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	ctx := r.Context()
	caps, _, err := s.captures(ctx, c, keyURL)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(caps) == 0 && keyURL != target {
		// a POST nobody recorded with this body: fall back to any capture
		caps, _, err = s.captures(ctx, c, target)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if len(caps) == 0 {
		s.renderNotFound(w, r, c, target, ts)
		return
	}
	isGet := r.Method == http.MethodGet || r.Method == http.MethodHead
	want := ts
	timegate := len(ts) < 14
	if timegate {
		switch {
		case ts != "":
			want, _ = cdxj.PadTimestamp(ts, true)
		default:
			if ad := r.Header.Get("Accept-Datetime"); ad != "" {
				t, err := http.ParseTime(ad)
				if err != nil {
					badRequest(w, "bad Accept-Datetime")
					return
				}
				want = fmtTS(t)
			}
		}
	}
	ordered := byCloseness(caps, want)
	if timegate && ts != "" {
		ordered = byPartial(caps, want)
	}
	// An embed (image, script, style, fetch…) captured in another second
	// than its page is served as the closest capture at once, saying which
	// in Content-Location and Memento-Datetime, as ReplayWeb.page does: a
	// 302 per embed doubles the requests of a page. Pages and frames are
	// still redirected, so the address shows the capture's own time; a
	// page's own frames (if_, fr_) are embeds too: no address shows them,
	// and ReplayWeb.page serves them at once.
	embed := !timegate && (!isPageMod(mod) || fetchedBySubresource(r) || mod == rewrite.ModIframe || mod == rewrite.ModFrameFr)
	var ld *loaded
	var pick index.Capture
	var fallback *loaded // a self-redirect, served if nothing better loads
	missingOriginal := false
	for i, cp := range ordered {
		if i >= maxRedirectTries {
			break
		}
		if !strings.HasPrefix(cp.Status, "3") && (timegate || cp.Timestamp != ts) && isGet && !embed {
			pick = cp
			break // a redirect to it is enough; load when it is asked for
		}
		l, err := s.load(ctx, c, cp, mod == rewrite.ModIdent)
		if err != nil {
			if errors.Is(err, errNoOriginal) {
				missingOriginal = true
			}
			s.log.Warn("replay: capture not loadable, trying the next", "url", cp.URL, "ts", cp.Timestamp, "err", err)
			continue
		}
		if l.status >= 300 && l.status < 400 {
			if loc := l.header.Get("Location"); loc != "" && sameResource(resolveRef(cp.URL, loc), index.KeyedURL(cp)) && len(ordered) > 1 {
				if fallback == nil {
					fallback = l
				} else {
					closeBody(l)
				}
				continue // self-redirect: would loop in the browser
			}
		}
		pick, ld = cp, l
		break
	}
	if pick.Timestamp == "" && fallback != nil && !missingOriginal {
		pick, ld = fallback.cap, fallback
	} else {
		closeBody(fallback)
	}
	if pick.Timestamp == "" && missingOriginal {
		// Serving the self-redirect instead would send the browser back
		// here for ever (pywb's dupes.warc.gz: iana.org → www.iana.org,
		// whose capture is a revisit of a record not in the collection).
		s.renderError(w, r, http.StatusNotFound, "Original missing: "+target,
			"This URL was archived as a revisit (the same content as an earlier capture), but the record holding that content is not in this collection. Add the WARC holding the original capture.")
		return
	}
	if pick.Timestamp == "" {
		s.renderError(w, r, http.StatusNotFound, "Archived, but no capture of "+target+" could be read", "")
		return
	}
	if isGet && (timegate || (pick.Timestamp != ts && !embed)) {
		closeBody(ld)
		s.redirectToMemento(w, r, c, pick, mod, caps, ts == "")
		return
	}
	if ld == nil {
		if ld, err = s.load(ctx, c, pick, mod == rewrite.ModIdent); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	defer closeBody(ld)
	if mod == rewrite.ModPage && framed(r) {
		s.renderFrame(w, r, c, pick, caps)
		return
	}
	if pick.Timestamp != ts {
		ld.contentLocation = "/" + c.name + "/" + pick.Timestamp + mod + "/" + pick.URL
	}
	s.respond(w, r, c, ld, mod, caps)
}

// isPageMod reports whether mod asks for a page or frame (redirected to
// the capture's exact time) rather than an embed.
// fetchedBySubresource reports whether the browser says the request is
// not a navigation (Sec-Fetch-Dest other than document, iframe or frame):
// a page's fetch() and XHR come with mp_, the page modifier, and are
// embeds all the same, to be served closest at once rather than
// redirected.
func fetchedBySubresource(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Dest") {
	case "", "document", "iframe", "frame", "embed", "object":
		return false
	}
	return true
}

func isPageMod(mod string) bool {
	switch mod {
	case rewrite.ModPage, rewrite.ModFrame, rewrite.ModIframe, rewrite.ModFrameFr:
		return true
	}
	return false
}

func closeBody(ld *loaded) {
	if ld == nil {
		return
	}
	if cl, ok := ld.body.(io.Closer); ok {
		cl.Close()
	}
}

func resolveRef(base, ref string) string {
	u := rewrite.NewURLRewriter("/", "", "", base)
	if abs, ok := u.Resolve(ref); ok {
		return abs
	}
	return ref
}

// rewriteKind is which rewriter a response goes through.
type rewriteKind int

const (
	kindRaw rewriteKind = iota
	kindHTML
	kindCSS
	kindJS
)

func kindOf(mod, mimeType string) rewriteKind {
	switch mod {
	case rewrite.ModIdent, rewrite.ModImage, rewrite.ModObjEmbd:
		return kindRaw
	case rewrite.ModJS, rewrite.ModWorker, rewrite.ModSW:
		if mimeType == "text/html" || strings.HasPrefix(mimeType, "image/") {
			return kindRaw
		}
		return kindJS
	case rewrite.ModCSS:
		return kindCSS
	}
	switch {
	case mimeType == "text/html" || mimeType == "application/xhtml+xml":
		return kindHTML
	case mimeType == "text/css":
		return kindCSS
	case strings.Contains(mimeType, "javascript") || strings.Contains(mimeType, "ecmascript"):
		return kindJS
	}
	return kindRaw
}

// respond writes a loaded capture.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, c *collection, ld *loaded, mod string, caps []index.Capture) {
	cp := ld.cap
	pageMod := mod
	switch mod {
	case rewrite.ModPage, rewrite.ModFrame, rewrite.ModIframe, rewrite.ModFrameFr:
	default:
		pageMod = rewrite.ModFrame
	}
	u := rewrite.NewURLRewriter("/"+c.name+"/", cp.Timestamp, pageMod, cp.URL)
	u.Host = r.Host
	h := w.Header()
	for k, vs := range u.Headers(ld.header) {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	if ld.encoded {
		if ce := ld.header.Get("Content-Encoding"); ce != "" && validToken(ce) {
			h.Set("Content-Encoding", ce)
		}
	}
	if ld.contentLocation != "" {
		h.Set("Content-Location", ld.contentLocation)
	}
	h.Set("Memento-Datetime", httpDate(cp.Timestamp))
	h.Set("Link", s.mementoLinks(r, c, cp.URL, caps, &cp))
	if ld.truncated != "" {
		// The record holds part of the body (cut by --max-size, a reset,
		// a timeout): say so, as the crawl log did.
		h.Set("Warc-Truncated", ld.truncated)
	}
	status := ld.status
	if status < 200 || status > 599 {
		status = http.StatusOK
	}
	ct := ld.header.Get("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	mt = strings.ToLower(mt)
	kind := kindOf(mod, mt)
	if ld.encoded && kind != kindRaw {
		kind = kindRaw // cannot rewrite what we cannot decode
	}
	noBody := r.Method == http.MethodHead || status == http.StatusNoContent || status == http.StatusNotModified
	switch kind {
	case kindRaw:
		s.serveRaw(w, r, ld, status, noBody)
	case kindHTML:
		br := bufio.NewReaderSize(ld.body, 8192)
		head, _ := br.Peek(1024)
		if bytes.HasPrefix(head, []byte{0xfe, 0xff}) || bytes.HasPrefix(head, []byte{0xff, 0xfe}) ||
			strings.HasPrefix(strings.ToLower(params["charset"]), "utf-16") {
			// A byte-oriented rewriter would corrupt UTF-16: send the page as
			// recorded and let the pageCSP keep it in the archive.
			s.serveRaw(w, r, &loaded{cap: cp, status: status, header: ld.header, body: br}, status, noBody)
			return
		}
		if params["charset"] == "" {
			if cs := metaCharset(head); cs != "" {
				// The injected script must not push <meta charset> out of the
				// browser's 1024-byte prescan: say it in the header instead.
				h.Set("Content-Type", mime.FormatMediaType(orDefault(mt, "text/html"), map[string]string{"charset": cs}))
			} else if ct == "" {
				h.Set("Content-Type", "text/html")
			}
		}
		h.Del("Content-Length")
		w.WriteHeader(status)
		if noBody {
			return
		}
		opt := rewrite.HTMLOptions{Head: s.headInsert(c, cp, pageMod, caps), JSRewrite: s.rules.JSRewriter(cp.URL)}
		if err := u.HTML(w, br, opt); err != nil {
			s.log.Debug("replay: rewriting HTML", "url", cp.URL, "err", err)
		}
	case kindCSS, kindJS:
		b, err := io.ReadAll(io.LimitReader(ld.body, maxRewriteSize+1))
		if err != nil {
			s.log.Debug("replay: reading payload", "url", cp.URL, "err", err)
		}
		if len(b) > maxRewriteSize {
			// Too big to hold in memory for rewriting: send it as recorded
			// (the pageCSP still keeps whatever it references in the archive).
			s.serveRaw(w, r, &loaded{cap: cp, status: status, header: http.Header{}, body: io.MultiReader(bytes.NewReader(b), ld.body)}, status, noBody)
			return
		}
		if kind == kindCSS {
			b = u.CSS(b)
		} else {
			if f := s.rules.JSRewriter(cp.URL); f != nil {
				b = f(b)
			}
			b = u.JS(b)
			if mod == rewrite.ModWorker || mod == rewrite.ModSW {
				b = append(append(append([]byte(nil), workerPrelude...), '\n'), b...)
			}
		}
		h.Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(status)
		if !noBody {
			w.Write(b)
		}
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func validToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// serveRaw sends a payload unchanged. Range requests on 200 responses are
// answered 206 (so archived audio and video seek): the payload is spooled
// to memory, or an unlinked temporary file when large, up to
// Config.MaxDecoded, and served with http.ServeContent; a payload larger
// than that gets a 416. HEAD reads no payload at all.
func (s *Server) serveRaw(w http.ResponseWriter, r *http.Request, ld *loaded, status int, noBody bool) {
	h := w.Header()
	sandboxRaw(h)
	h.Set("Accept-Ranges", "bytes")
	var size int64 = -1
	if ld.sized && (ld.encoded || ld.header.Get("Content-Encoding") == "") {
		// The bytes the record holds, not the archived Content-Length: a
		// body cut short (WARC-Truncated) sent with its original length
		// left every client waiting for bytes that never come.
		size = ld.payloadLen
	}
	if status == http.StatusOK && r.Method != http.MethodHead && r.Header.Get("Range") != "" {
		rs, cleanup, err := spool(r.Context(), ld.body, s.cfg.MaxDecoded)
		if errors.Is(err, errTooLarge) {
			h.Set("Content-Range", "bytes */*")
			http.Error(w, fmt.Sprintf("416 range not satisfiable: the payload decodes to more than %d bytes (--max-decoded)", s.cfg.MaxDecoded), http.StatusRequestedRangeNotSatisfiable)
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		defer cleanup()
		h.Del("Content-Length")
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/octet-stream") // ServeContent would sniff otherwise
		}
		http.ServeContent(w, r, "", time.Time{}, rs)
		return
	}
	if size < 0 && r.Method == http.MethodHead && status == http.StatusOK {
		// The length as a GET would send it, counted without keeping the
		// bytes; none past MaxDecoded.
		if n, err := io.Copy(io.Discard, &ctxReader{ctx: r.Context(), r: io.LimitReader(ld.body, s.cfg.MaxDecoded+1)}); err == nil && n <= s.cfg.MaxDecoded {
			size = n
		}
	}
	if size >= 0 {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
		w.WriteHeader(status)
		if !noBody {
			io.CopyN(w, ld.body, size)
		}
		return
	}
	w.WriteHeader(status)
	if !noBody {
		io.Copy(w, ld.body)
	}
}

// maxRewriteSize is the largest script or style sheet rewritten in memory.
const maxRewriteSize = 32 << 20

// spoolMem is the payload size kept in memory for range requests.
const spoolMem = 8 << 20

var errTooLarge = errors.New("replay: decoded payload too large")

// spool copies r into something seekable: memory up to spoolMem, then a
// temporary file unlinked as soon as it is made (so nothing is left behind
// on any path, even kill -9). It stops with errTooLarge past max bytes
// and with ctx's error when the client has gone.
func spool(ctx context.Context, r io.Reader, max int64) (io.ReadSeeker, func(), error) {
	b := bytes.NewBuffer(make([]byte, 0, 64<<10))
	n, err := io.CopyN(b, r, min(spoolMem, max)+1)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	if n <= min(spoolMem, max) {
		return bytes.NewReader(b.Bytes()), func() {}, nil
	}
	if n > max {
		return nil, nil, errTooLarge
	}
	f, err := os.CreateTemp("", "warcbox-range-*")
	if err != nil {
		return nil, nil, err
	}
	os.Remove(f.Name()) // the open descriptor keeps the data until Close
	cleanup := func() { f.Close() }
	if _, err := f.Write(b.Bytes()); err != nil {
		cleanup()
		return nil, nil, err
	}
	written := int64(b.Len())
	buf := make([]byte, 256<<10)
	for {
		if err := ctx.Err(); err != nil {
			cleanup()
			return nil, nil, err
		}
		k, rerr := r.Read(buf)
		if k > 0 {
			if written+int64(k) > max {
				cleanup()
				return nil, nil, errTooLarge
			}
			if _, err := f.Write(buf[:k]); err != nil {
				cleanup()
				return nil, nil, err
			}
			written += int64(k)
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			cleanup()
			return nil, nil, rerr
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, nil, err
	}
	return f, cleanup, nil
}

// workerPrelude goes before worker scripts: the page's client script does
// not run in workers.
var workerPrelude = func() []byte {
	b, err := staticFS.ReadFile("static/worker.js")
	if err != nil {
		panic("replay: embedded worker.js missing: " + err.Error()) // a build error, not input
	}
	return b
}()

var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)`)

// metaCharset finds a <meta charset> or http-equiv charset in the first
// bytes of a page.
func metaCharset(b []byte) string {
	m := metaCharsetRE.FindSubmatch(b)
	if m == nil {
		return ""
	}
	return strings.ToLower(string(m[1]))
}

// headInsert is what goes at the top of every rewritten page: the client
// configuration (with the neighbouring captures for the banner) and the
// client script.
func (s *Server) headInsert(c *collection, cp index.Capture, pageMod string, caps []index.Capture) string {
	cfg := map[string]string{
		"prefix": "/" + c.name + "/", "ts": cp.Timestamp, "url": cp.URL, "mod": pageMod, "coll": c.name,
	}
	for i := range caps {
		if caps[i].Timestamp == cp.Timestamp && caps[i].Offset == cp.Offset && caps[i].Filename == cp.Filename {
			if i > 0 {
				cfg["prev"] = caps[i-1].Timestamp
			}
			if i+1 < len(caps) {
				cfg["next"] = caps[i+1].Timestamp
			}
			cfg["count"] = strconv.Itoa(len(caps))
			break
		}
	}
	js, _ := json.Marshal(cfg) // escapes <, > and & so it cannot end the script
	head := `<script>window.__wb=` + string(js) + `;</script>`
	if pageMod == rewrite.ModFrame {
		// tells the top frame where the content frame went (frame.js);
		// before client.js, whose rewriting would take its src for the
		// page's own
		head += `<script src="/_/static/framed.js"></script>`
	}
	return head + `<script src="/_/static/client.js"></script>`
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return
	}
	s.log.Error("replay: serving request", "url", r.URL.String(), "err", err)
	http.Error(w, "500 internal error", http.StatusInternalServerError)
}

// sandboxRaw marks a response sent without rewriting or the client
// script: the browser must take its Content-Type as given (nosniff; and Go
// must not sniff one either), and if it renders it as a document anyway
// (HTML through oe_/id_/im_, a missing or unknown type, XML, SVG, UTF-16
// HTML, an encoding warcbox cannot decode), the document runs no script,
// opens no popup, submits no form and navigates no other window
// (pageCSP sandbox without allow-* flags). PDF is spared the sandbox, which
// would stop Chromium's viewer; nosniff keeps HTML from passing as PDF.
func sandboxRaw(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	if h.Get("Content-Type") == "" {
		h["Content-Type"] = nil
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if !strings.EqualFold(mt, "application/pdf") {
		h.Add("Content-Security-Policy", "sandbox")
	}
}

// ctxReader stops reading once ctx is done (the client has gone).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
