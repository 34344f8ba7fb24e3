package replay

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzHandler throws arbitrary request targets at the server: it must
// never panic, never answer 500, and always send the replay pageCSP.
func FuzzHandler(f *testing.F) {
	for _, seed := range []string{
		"/web/20140126200624/http://www.iana.org/", "/web/2014/http://www.iana.org/_css/*", "/web/*/iana.org*",
		"/web/cdx?url=*.iana.org&filter=!mime:css&sort=closest&closest=2014", "/web/timemap/json/http://example.com/",
		"/web/2014id_/http://www.iana.org/_img/", "/web/99999999999999999/x", "/web/%zz", "/_/static/", "/web/http:/x",
		"/web/20140126200624mp_/http://www.iana.org/about/?a=1&_=2", "/web/../../etc/passwd",
		"/web/cdx?url=iana.org&matchType=domain&reverse=1&limit=3&resolveRevisits=1&collapseTime=10&output=text&fl=urlkey,orig.offset",
		"/web/cdx?url=http://WWW.IANA.ORG./domains/root/db&closest=2014&filter=~url:.*db&filter=screen&output=link",
		"/web/2009-2015/http://www.iana.org/", "/web/-2015/https%3A//www.iana.org/", "/web/timemap/cdxj/http://www.iana.org/",
	} {
		f.Add(seed)
	}
	d := sampleDir(f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{filepath.Join(d, "iana.warc.gz"), filepath.Join(d, "dupes.warc.gz")}, PollInterval: -1})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close() // stops the search build and removes its temporary folder
	f.Fuzz(func(t *testing.T, target string) {
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \t\r\n#") {
			return // not something an HTTP client can send as a target
		}
		req, err := http.NewRequest(http.MethodGet, "http://replay.test"+target, nil)
		if err != nil {
			return
		}
		req.RequestURI = target
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%q: %d %s", target, w.Code, w.Body.String())
		}
		if w.Header().Get("Content-Security-Policy") != pageCSP {
			t.Fatalf("%q: no pageCSP", target)
		}
	})
}
