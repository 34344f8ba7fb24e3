package rules

import (
	"strings"
	"testing"
)

func TestDefaultCompiles(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.fuzzy) < 5 || len(s.js) < 1 {
		t.Fatalf("default rules look empty: %d fuzzy, %d js", len(s.fuzzy), len(s.js))
	}
}

func TestFuzzyKey(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	same := [][2]string{
		{"http://a.com/x.json?_=1234567&b=2", "http://a.com/x.json?b=2"},
		{"http://a.com/x?cb=99&b=2", "http://a.com/x?b=2&cb=1"},
		{"http://a.com/x?utm_source=tw&utm_medium=s&id=7", "http://a.com/x?id=7"},
		{"http://a.com/x?callback=jsonp12345", "http://a.com/x?callback=jsonp999"},
		{"http://a.com/api?cb=jQuery1234_5678&q=1", "http://a.com/api?q=1&cb=jQuery99_1"},
		{"https://player.vimeo.com/video/123?autoplay=1", "https://player.vimeo.com/video/123?title=0"},
		{"http://a.com/x?b=2&a=1", "http://a.com/x?a=1&b=2"},
		{"http://a.com/v.mp4?range=1-2", "http://a.com/v.mp4"},
	}
	for _, p := range same {
		if a, b := s.FuzzyKey(p[0]), s.FuzzyKey(p[1]); a != b {
			t.Errorf("%s and %s should match: %s vs %s", p[0], p[1], a, b)
		}
	}
	differ := [][2]string{
		{"http://a.com/x?id=1", "http://a.com/x?id=2"},
		{"http://a.com/x?_=abc", "http://a.com/x"}, // non-numeric cache buster value is content
		{"https://player.vimeo.com/video/123?a=1", "https://player.vimeo.com/video/124?a=1"},
		{"http://a.com/x?callback=foo", "http://a.com/x"},
	}
	for _, p := range differ {
		if a, b := s.FuzzyKey(p[0]), s.FuzzyKey(p[1]); a == b {
			t.Errorf("%s and %s should not match (key %s)", p[0], p[1], a)
		}
	}
}

func TestParseErrorsNameTheRule(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"fuzzy:\n  - name: broken\n    params: [x]\n    value: '('\n", `"broken"`},
		{"fuzzy:\n  - name: empty\n", `"empty"`},
		{"js:\n  - name: nomatch\n    url: '.'\n", `"nomatch"`},
		{"unknown: 1\n", "unknown"},
	} {
		_, err := Parse([]byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v, want mention of %s", tc.yaml, err, tc.want)
		}
	}
}

func TestJSRewriter(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	f := s.JSRewriter("http://example.com/app.js")
	if f == nil {
		t.Fatal("no JS rules for a generic script")
	}
	got := string(f([]byte(`navigator.serviceWorker.register("/sw.js")`)))
	if strings.Contains(got, "serviceWorker.register(") {
		t.Errorf("service worker registration not disabled: %s", got)
	}
}

func BenchmarkFuzzyKey(b *testing.B) {
	s, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s.FuzzyKey("http://example.com/path/api.json?utm_source=x&_=123456&id=42&page=2")
	}
}

// FuzzParse: any rules document either compiles or is rejected with an
// error; a compiled set must answer FuzzyKey and JSRewriter without panics.
func FuzzParse(f *testing.F) {
	f.Add(defaultYAML)
	f.Add([]byte("fuzzy:\n  - name: x\n    params: ['[']\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b)
		if err != nil {
			return
		}
		s.FuzzyKey("http://example.com/a?b=1&_=2&utm_x=3")
		if rw := s.JSRewriter("http://example.com/app.js"); rw != nil {
			rw([]byte("navigator.serviceWorker.register('x')"))
		}
	})
}
