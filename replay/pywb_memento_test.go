package replay

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// Conformance with pywb's Memento support: tests/test_memento.py (pywb
// 2c706d1e; its TimeMaps are tested there too, pywb has no
// test_timemaps.py), cited by class and test name. warcbox's TimeGate
// redirects as pywb's "redirect classic" mode does (TestMementoRedirectClassic),
// with 302 where pywb sends 307; memento links carry no modifier.

// mementoLinks splits a Link header as memento_fixture.py get_links does.
func splitLinks(h string) []string {
	var out []string
	for _, l := range regexp.MustCompile(`, (?:\s*)<`).Split(h, -1) {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "<") {
			l = "<" + l
		}
		out = append(out, l)
	}
	return out
}

// hasLink reports whether links hold one for target whose rel includes rel
// (and datetime dt, if given).
func hasLink(links []string, target, rel, dt string) bool {
	for _, l := range links {
		if !strings.HasPrefix(l, "<"+target+">") {
			continue
		}
		m := regexp.MustCompile(`rel="([^"]*)"`).FindStringSubmatch(l)
		if m == nil || !strings.Contains(" "+m[1]+" ", " "+rel+" ") {
			continue
		}
		if dt == "" || strings.Contains(l, `datetime="`+dt+`"`) {
			return true
		}
	}
	return false
}

func TestPywbMemento(t *testing.T) {
	srv := newPywbServer(t)
	base := srv.URL + "/pywb/"
	assertMemento := func(t *testing.T, resp *http.Response, url, ts, dt string) {
		t.Helper()
		if resp.Header.Get("Memento-Datetime") != dt {
			t.Errorf("Memento-Datetime %q, want %q", resp.Header.Get("Memento-Datetime"), dt)
		}
		links := splitLinks(resp.Header.Get("Link"))
		if !hasLink(links, base+ts+"/"+url, "memento", dt) || !hasLink(links, base+url, "timegate", "") ||
			!hasLink(links, base+"timemap/link/"+url, "timemap", "") || !hasLink(links, url, "original", "") {
			t.Errorf("Link: %q", links)
		}
	}
	for _, fmod := range []string{"", "mp_"} {
		t.Run("TestMemento/test_memento_content_replay_exact"+fmod, func(t *testing.T) {
			resp, _ := get(t, base+"20140127171238"+fmod+"/http://www.iana.org/")
			if resp.StatusCode != 200 || resp.Header.Get("Vary") != "" {
				t.Errorf("%d Vary %q", resp.StatusCode, resp.Header.Get("Vary"))
			}
			assertMemento(t, resp, "http://www.iana.org/", "20140127171238", "Mon, 27 Jan 2014 17:12:38 GMT")
		})
		t.Run("TestMemento/test_302_memento"+fmod, func(t *testing.T) {
			resp, _ := get(t, base+"20140128051539"+fmod+"/http://www.iana.org/domains/example")
			if resp.StatusCode != 302 || resp.Header.Get("Vary") != "" {
				t.Errorf("%d Vary %q", resp.StatusCode, resp.Header.Get("Vary"))
			}
			assertMemento(t, resp, "http://www.iana.org/domains/example", "20140128051539", "Tue, 28 Jan 2014 05:15:39 GMT")
		})
		slash := ""
		if fmod != "" {
			slash = fmod + "/"
		}
		t.Run("TestMemento/test_memento_at_timegate_latest"+fmod, func(t *testing.T) {
			resp, _ := get(t, base+slash+"http://www.iana.org/_css/2013.1/screen.css")
			if resp.Header.Get("Vary") != "accept-datetime" || !strings.HasSuffix(resp.Header.Get("Location"), "/20140127171239"+fmod+"/http://www.iana.org/_css/2013.1/screen.css") {
				t.Errorf("Vary %q Location %q", resp.Header.Get("Vary"), resp.Header.Get("Location"))
			}
			if !hasLink(splitLinks(resp.Header.Get("Link")), base+"20140127171239/http://www.iana.org/_css/2013.1/screen.css", "memento", "Mon, 27 Jan 2014 17:12:39 GMT") {
				t.Errorf("Link %q", resp.Header.Get("Link"))
			}
		})
		t.Run("TestMemento/test_memento_at_timegate"+fmod, func(t *testing.T) {
			resp, _ := get(t, base+slash+"http://www.iana.org/_css/2013.1/screen.css", "Accept-Datetime", "Sun, 26 Jan 2014 20:08:00 GMT")
			if resp.Header.Get("Vary") != "accept-datetime" || !strings.HasSuffix(resp.Header.Get("Location"), "/20140126200804"+fmod+"/http://www.iana.org/_css/2013.1/screen.css") {
				t.Errorf("Vary %q Location %q", resp.Header.Get("Vary"), resp.Header.Get("Location"))
			}
		})
	}
	t.Run("TestMemento/test_timemap", func(t *testing.T) {
		resp, body := get(t, base+"timemap/link/http://example.com?example=1")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/link-format" {
			t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		links := splitLinks(strings.ReplaceAll(body, ",\n", ", "))
		if !hasLink(links, base+"timemap/link/http://example.com?example=1", "self", "") ||
			!strings.Contains(body, `from="Fri, 03 Jan 2014 03:03:21 GMT"`) ||
			!hasLink(links, base+"http://example.com?example=1", "timegate", "") ||
			!hasLink(links, "http://example.com?example=1", "original", "") ||
			!hasLink(links, base+"20140103030321/http://example.com?example=1", "memento", "Fri, 03 Jan 2014 03:03:21 GMT") ||
			!hasLink(links, base+"20140103030341/http://example.com?example=1", "memento", "Fri, 03 Jan 2014 03:03:41 GMT") ||
			strings.Count(body, "memento\"") != 2 {
			t.Errorf("%s", body)
		}
	})
	t.Run("TestMemento/test_timemap_cdxj", func(t *testing.T) {
		resp, body := get(t, base+"timemap/cdxj/http://example.com?example=1")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/x-cdxj" {
			t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		want := []map[string]string{
			{"urlkey": "com,example)/?example=1", "timestamp": "20140103030321", "url": "http://example.com?example=1", "mime": "text/html", "status": "200", "digest": "B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "length": "1043", "offset": "333", "filename": "example.warc.gz"},
			{"urlkey": "com,example)/?example=1", "timestamp": "20140103030341", "url": "http://example.com?example=1", "mime": "warc/revisit", "status": "-", "digest": "B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "length": "553", "offset": "1864", "filename": "example.warc.gz"},
		}
		lines := splitLines(body)
		if len(lines) != 2 {
			t.Fatalf("%q", body)
		}
		for i, l := range lines {
			m := cdxObject(t, l)
			for k, v := range want[i] {
				if m[k] != v {
					t.Errorf("line %d %s = %q, pywb %q", i, k, m[k], v)
				}
			}
		}
	})
	t.Run("TestMemento/test_timemap_2", func(t *testing.T) {
		// pywb: 7 lines (3 + 3 mementos and the final newline); its
		// sample index lists the two ARC captures of http://example.com/
		// under made-up hosts, warcbox indexes them under their own URL.
		_, body := get(t, base+"timemap/link/http://example.com")
		if n := strings.Count(body, "memento\""); n != 5 || len(strings.Split(body, "\n")) != 9 {
			t.Errorf("%d mementos: %s", n, body)
		}
	})
	t.Run("TestMemento/test_timemap_error_not_found", func(t *testing.T) {
		resp, body := get(t, base+"timemap/link/http://example.com/x-not-found")
		if resp.StatusCode != 404 || body != "" || resp.Header.Get("Link") != "" || resp.Header.Get("Vary") != "" {
			t.Errorf("%d %q", resp.StatusCode, body)
		}
	})
	t.Run("TestMemento/test_timemap_error_invalid_format", func(t *testing.T) {
		resp, body := get(t, base+"timemap/foo/http://example.com")
		if resp.StatusCode != 400 || strings.TrimSpace(body) != `{"message":"output=foo not supported"}` {
			t.Errorf("%d %q", resp.StatusCode, body)
		}
	})
	t.Run("TestMemento/test_timegate_error_not_found", func(t *testing.T) {
		resp, _ := get(t, base+"http://example.com/x-not-found")
		if resp.StatusCode != 404 || resp.Header.Get("Vary") != "" || resp.Header.Get("Memento-Datetime") != "" || resp.Header.Get("Link") != "" {
			t.Errorf("%d %v", resp.StatusCode, resp.Header)
		}
	})
	t.Run("TestMemento/test_error_bad_accept_datetime", func(t *testing.T) {
		if resp, _ := get(t, base+"http://www.iana.org/_css/2013.1/screen.css", "Accept-Datetime", "Sun"); resp.StatusCode != 400 {
			t.Errorf("%d", resp.StatusCode)
		}
	})
	t.Run("TestMementoRedirectClassic/test_memento_top_frame_timegate", func(t *testing.T) {
		for hdr, ts := range map[string]string{"": "20140127171238", "Sun, 26 Jan 2014 20:06:24 GMT": "20140126200624"} {
			var resp *http.Response
			if hdr == "" {
				resp, _ = get(t, base+"http://www.iana.org/")
			} else {
				resp, _ = get(t, base+"http://www.iana.org/", "Accept-Datetime", hdr)
			}
			if resp.StatusCode != 302 || !strings.HasSuffix(resp.Header.Get("Location"), "/"+ts+"/http://www.iana.org/") ||
				resp.Header.Get("Link") == "" || resp.Header.Get("Vary") == "" || resp.Header.Get("Memento-Datetime") != "" {
				t.Errorf("%q: %d %v", hdr, resp.StatusCode, resp.Header)
			}
		}
	})
	t.Run("TestMementoRedirectClassic/test_memento_not_time_gate", func(t *testing.T) {
		// pywb serves the memento (200); warcbox redirects to its own
		// timestamp, but the answer does not vary on Accept-Datetime.
		resp, _ := get(t, base+"2/http://www.iana.org/", "Accept-Datetime", "Sun, 26 Jan 2014 20:06:24 GMT")
		if resp.StatusCode != 302 || resp.Header.Get("Vary") != "" || !strings.HasSuffix(resp.Header.Get("Location"), "/20140127171238/http://www.iana.org/") {
			t.Errorf("%d %v", resp.StatusCode, resp.Header)
		}
	})
}
