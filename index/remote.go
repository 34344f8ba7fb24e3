package index

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/warcbox/warcbox/cdxj"
)

// Remote is a Source backed by a pywb- or OutbackCDX-compatible CDX server,
// for collections whose index outgrows one machine.
type Remote struct {
	base   *url.URL
	client *http.Client
}

var _ Source = (*Remote)(nil)

// NewRemote returns a Source querying the CDX server at endpoint (e.g.
// http://host:8080/coll/cdx or an OutbackCDX collection URL). If client
// is nil, one with a 30s timeout is used.
func NewRemote(endpoint string, client *http.Client) (*Remote, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("index: bad CDX server URL %q", endpoint)
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return &Remote{base: u, client: client}, nil
}

// Lookup asks the server and parses its answer: CDXJ lines, JSON lines
// (output=json), or classic space-separated CDX lines (OutbackCDX's
// default "urlkey timestamp url mime status digest redirect meta length
// offset filename" or the 9/11-field legacy forms).
func (r *Remote) Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		v := url.Values{}
		u := q.URL
		if u == "" {
			u = q.Key
		}
		v.Set("url", u)
		if q.MatchType != cdxj.MatchExact {
			v.Set("matchType", q.MatchType.String())
		}
		if q.From != "" {
			v.Set("from", q.From)
		}
		if q.To != "" {
			v.Set("to", q.To)
		}
		if q.Limit > 0 {
			v.Set("limit", strconv.Itoa(q.Limit))
		}
		// No output=: pywb then answers CDXJ lines and OutbackCDX classic
		// 11-field CDX, both of which cdxj.Parse reads (OutbackCDX's
		// output=json would be an array of arrays).
		ru := *r.base
		ru.RawQuery = v.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, ru.String(), nil)
		if err != nil {
			yield(Capture{}, fmt.Errorf("index: remote: %w", err))
			return
		}
		resp, err := r.client.Do(req)
		if err != nil {
			yield(Capture{}, fmt.Errorf("index: remote: %w", err))
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return // pywb answers 404 for "no captures"
		}
		if resp.StatusCode != http.StatusOK {
			yield(Capture{}, fmt.Errorf("index: remote %s: %s", r.base.Host, resp.Status))
			return
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			c, err := parseRemoteLine(line)
			if err != nil {
				if !yield(Capture{}, fmt.Errorf("index: remote %s: %w", r.base.Host, err)) {
					return
				}
				continue
			}
			if c.Key == "" {
				c.Key = cdxj.Key(c.URL)
			}
			if !yield(c, nil) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			yield(Capture{}, fmt.Errorf("index: remote %s: %w", r.base.Host, err))
		}
	}
}

func parseRemoteLine(line []byte) (Capture, error) {
	if line[0] == '{' {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			return Capture{}, err
		}
		ts, _ := m["timestamp"].(string)
		key, _ := m["urlkey"].(string)
		delete(m, "urlkey")
		delete(m, "timestamp")
		js, _ := json.Marshal(m)
		line = []byte(key + " " + ts + " " + string(js))
	}
	// CDXJ, or classic space-separated CDX as OutbackCDX serves it
	l, err := cdxj.Parse(line)
	if err != nil {
		return Capture{}, err
	}
	return FromLine(l), nil
}
