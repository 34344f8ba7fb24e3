package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

type httpBackend struct {
	client *http.Client
}

// Bounds on an https directory listing, which a hostile server could make
// endless.
const (
	maxListDepth   = 8
	maxListEntries = 200000
	maxListPage    = 16 << 20
)

func (h *httpBackend) do(ctx context.Context, method, name string, hdr http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, name, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errPermanent, redactErr(err, name))
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := h.client.Do(req)
	if err != nil {
		// url.Error repeats the URL, credentials included: keep the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, ue.Err
		}
		return nil, err
	}
	return resp, nil
}

// redactErr removes a URL's credentials from an error's text.
func redactErr(err error, name string) error {
	if r := Redact(name); r != name {
		return errors.New(strings.ReplaceAll(err.Error(), name, r))
	}
	return err
}

func httpStatus(resp *http.Response) error {
	se := &statusError{code: resp.StatusCode, msg: http.StatusText(resp.StatusCode), cause: statusCause(resp.StatusCode)}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if s, err := strconv.Atoi(ra); err == nil {
			se.after = time.Duration(s) * time.Second
		}
	}
	return se
}

func (h *httpBackend) stat(ctx context.Context, name string) (Info, error) {
	resp, err := h.do(ctx, http.MethodHead, name, nil)
	if err != nil {
		return Info{}, err
	}
	resp.Body.Close()
	info := Info{Name: name, Size: -1}
	if t, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		info.ModTime = t
	}
	if resp.StatusCode == http.StatusOK && resp.ContentLength >= 0 {
		info.Size = resp.ContentLength
		return info, nil
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusMethodNotAllowed && resp.StatusCode != http.StatusNotImplemented {
		return Info{}, httpStatus(resp)
	}
	// No HEAD or no length: ask for one byte and read the total from
	// Content-Range.
	body, size, err := h.get(ctx, name, 0, 1)
	if err != nil {
		return Info{}, err
	}
	body.Close()
	info.Size = size
	if size < 0 {
		return Info{}, fmt.Errorf("%w: the server gives no size", errPermanent)
	}
	return info, nil
}

func (h *httpBackend) get(ctx context.Context, name string, off, end int64) (io.ReadCloser, int64, error) {
	hdr := http.Header{}
	if off > 0 || end >= 0 {
		r := fmt.Sprintf("bytes=%d-", off)
		if end >= 0 {
			r += strconv.FormatInt(end-1, 10)
		}
		hdr.Set("Range", r)
	}
	resp, err := h.do(ctx, http.MethodGet, name, hdr)
	if err != nil {
		return nil, -1, err
	}
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != off {
			resp.Body.Close()
			return nil, -1, fmt.Errorf("%w: Content-Range %q for a request from %d", errPermanent, resp.Header.Get("Content-Range"), off)
		}
		return resp.Body, total, nil
	case http.StatusOK:
		// The server ignores Range: skip to off. Correct, if slow.
		total := resp.ContentLength
		if off > 0 {
			if _, err := io.CopyN(io.Discard, resp.Body, off); err != nil {
				resp.Body.Close()
				return nil, -1, fmt.Errorf("skip to %d (server ignores Range): %w", off, err)
			}
		}
		return resp.Body, total, nil
	case http.StatusRequestedRangeNotSatisfiable:
		resp.Body.Close()
		total := int64(-1)
		if cr := resp.Header.Get("Content-Range"); strings.HasPrefix(cr, "bytes */") {
			total, _ = strconv.ParseInt(cr[len("bytes */"):], 10, 64)
		}
		if total >= 0 && off >= total {
			return io.NopCloser(strings.NewReader("")), total, nil
		}
		return nil, total, httpStatus(resp)
	}
	resp.Body.Close()
	return nil, -1, httpStatus(resp)
}

func (h *httpBackend) tail(ctx context.Context, name string, n int64) (io.ReadCloser, int64, int64, error) {
	resp, err := h.do(ctx, http.MethodGet, name, http.Header{"Range": {fmt.Sprintf("bytes=-%d", n)}})
	if err != nil {
		return nil, 0, 0, err
	}
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || total < 0 {
			resp.Body.Close()
			return nil, 0, 0, fmt.Errorf("%w: Content-Range %q for a suffix request", errPermanent, resp.Header.Get("Content-Range"))
		}
		return resp.Body, start, total, nil
	case http.StatusOK:
		return resp.Body, 0, resp.ContentLength, nil
	}
	resp.Body.Close()
	return nil, 0, 0, httpStatus(resp)
}

// parseContentRange reads "bytes a-b/total" (total may be "*"); a range
// that is not well formed (negative, reversed, past the total) is refused.
func parseContentRange(s string) (start, total int64, ok bool) {
	s, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, false
	}
	rng, tot, found := strings.Cut(s, "/")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, false
	}
	first, err1 := strconv.ParseUint(a, 10, 63)
	last, err2 := strconv.ParseUint(b, 10, 63)
	if err1 != nil || err2 != nil || last < first {
		return 0, 0, false
	}
	if tot == "*" {
		return int64(first), -1, true
	}
	t, err := strconv.ParseUint(tot, 10, 63)
	if err != nil || last >= t {
		return 0, 0, false
	}
	return int64(first), int64(t), true
}

// list reads an HTML directory listing (Apache, nginx autoindex, python
// http.server) and follows links to sub-folders below the base.
func (h *httpBackend) list(ctx context.Context, name string) ([]Info, error) {
	base, err := url.Parse(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errPermanent, redactErr(err, name))
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	var out []Info
	seen := map[string]bool{}
	var walk func(u *url.URL, depth int) error
	walk = func(u *url.URL, depth int) error {
		if depth > maxListDepth {
			return nil
		}
		links, err := h.links(ctx, u)
		if err != nil {
			return err
		}
		for _, l := range links {
			if l.Host != base.Host || l.Scheme != base.Scheme || !strings.HasPrefix(l.Path, base.Path) || len(l.Path) <= len(u.Path) || !strings.HasPrefix(l.Path, u.Path) {
				continue // parent, sibling, elsewhere, sort links (?C=M)
			}
			l.RawQuery, l.Fragment = "", ""
			s := l.String()
			if seen[s] {
				continue
			}
			seen[s] = true
			if len(out) >= maxListEntries {
				return fmt.Errorf("%w: more than %d entries", errPermanent, maxListEntries)
			}
			if strings.HasSuffix(l.Path, "/") {
				if err := walk(l, depth+1); err != nil {
					return err
				}
				continue
			}
			out = append(out, Info{Name: s, Size: -1})
		}
		return nil
	}
	if err := walk(base, 0); err != nil {
		return nil, err
	}
	return out, nil
}

func (h *httpBackend) links(ctx context.Context, u *url.URL) ([]*url.URL, error) {
	resp, err := h.do(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, httpStatus(resp)
	}
	z := html.NewTokenizer(io.LimitReader(resp.Body, maxListPage))
	var out []*url.URL
	for {
		switch z.Next() {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return nil, err
			}
			return out, nil
		case html.StartTagToken:
			t := z.Token()
			if t.Data != "a" {
				continue
			}
			for _, a := range t.Attr {
				if a.Key != "href" {
					continue
				}
				if ref, err := u.Parse(a.Val); err == nil {
					out = append(out, ref)
				}
			}
		}
	}
}
