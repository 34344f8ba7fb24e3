package cdxj

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func readJSONL[T any](t *testing.T, name string) []T {
	t.Helper()
	fh, err := os.Open(filepath.Join("testdata", "warciojs", name))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var out []T
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, v)
	}
	return out
}

// surt-random.jsonl holds warcio.js getSurt on 3000 generated URLs (see
// testdata/gen_warciojs.mjs).
func TestSURTMatchesWarcioJSRandom(t *testing.T) {
	cases := readJSONL[struct{ URL, Key string }](t, "surt-random.jsonl")
	if len(cases) < 3000 {
		t.Fatalf("%d cases", len(cases))
	}
	bad := 0
	for _, c := range cases {
		if got := Key(c.URL); got != c.Key {
			bad++
			if bad <= 20 {
				t.Errorf("SURT(%q) = %q, warcio.js %q", c.URL, got, c.Key)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d keys differ", bad, len(cases))
	}
}

// post-cases.jsonl holds warcio.js postToGetUrl and getSurt on request
// bodies of each content type.
func TestRequestQueryMatchesWarcioJS(t *testing.T) {
	type postCase struct {
		Method, ContentType, Body, InURL, URL, Key string
		OK                                         bool
		RequestBody                                *string
	}
	cases := readJSONL[postCase](t, "post-cases.jsonl")
	if len(cases) < 30 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		body, query, ok := RequestQuery(c.Method, c.ContentType, []byte(c.Body), MaxRequestQuery)
		if ok != c.OK {
			t.Errorf("%s %q: ok = %v, want %v", c.Method, c.ContentType, ok, c.OK)
			continue
		}
		if c.RequestBody != nil && body != *c.RequestBody {
			t.Errorf("%s %q %.60q: requestBody\n got %.200q\nwant %.200q", c.Method, c.ContentType, c.Body, body, *c.RequestBody)
		}
		u := AppendMethodQuery(c.InURL, c.Method, query)
		if u != c.URL {
			t.Errorf("%s %q %.60q: url\n got %.200q\nwant %.200q", c.Method, c.ContentType, c.Body, u, c.URL)
		}
		if k := Key(u); k != c.Key {
			t.Errorf("%s %q: key\n got %.200q\nwant %.200q", c.Method, c.ContentType, k, c.Key)
		}
	}
	if _, _, ok := RequestQuery("GET", "", nil, 0); ok {
		t.Error("GET folded a body")
	}
}

func TestDecodeURI(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a%20b", "a b"}, {"%3B%2F%3f%23", "%3B%2F%3f%23"}, {"%E2%98%83", "\u2603"}, {"%41%2b", "A%2b"},
	} {
		if got, err := decodeURI(c.in); err != nil || got != c.want {
			t.Errorf("decodeURI(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"%", "%E2%98", "%zz", "%C0%80", "%ED%A0%80"} {
		if got, err := decodeURI(bad); err == nil {
			t.Errorf("decodeURI(%q) = %q, want an error", bad, got)
		}
	}
}
