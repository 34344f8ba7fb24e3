package capture

import (
	"strings"
	"testing"
)

// googlePath takes the path, params and query of a URL string as Google's
// robots.txt tests give it (no parsing or escaping: the tests pass URLs
// whose non-ASCII octets are meant to stay unescaped).
func googlePath(u string) string {
	start := 0
	if strings.HasPrefix(u, "//") {
		start = 2
	}
	rest := u[start:]
	if i := strings.Index(rest, "://"); i >= 0 && !strings.ContainsAny(rest[:i], "/?;") {
		rest = rest[i+3:]
	}
	i := strings.IndexAny(rest, "/?;")
	if i < 0 {
		return "/"
	}
	if h := strings.IndexByte(rest, '#'); h >= 0 {
		if h < i {
			return "/"
		}
		rest = rest[:h]
	}
	p := rest[i:]
	if p[0] != '/' {
		p = "/" + p
	}
	return p
}

func googleAllowed(robotstxt, agent, url string) bool {
	return parseRobots([]byte(robotstxt), agent).Allowed(googlePath(url))
}

type robotsCase struct {
	agent, url string
	want       bool
}

// TestRobotsGoogleCases runs the cases of Google's robots.txt parser tests
// (google/robotstxt, robots_test.cc: each block names its TEST) against
// warcbox's parser. Two are left out on purpose, said where they stand.
func TestRobotsGoogleCases(t *testing.T) {
	long := func(prefix, fill string, room int) string {
		s := prefix
		for len(s) < room {
			s += fill
		}
		return s
	}
	const maxLine = 2083 * 8
	longA := long("/x/", "a", maxLine-len("/x/")-len("disallow: ")+1)
	longAllowA := long("/x/", "a", maxLine-len("/x/")-len("allow: ")+1)
	longAllowB := "/x/" + strings.Repeat("b", len(longAllowA)-3)

	suites := []struct {
		test, robots string
		cases        []robotsCase
	}{
		{"GoogleOnly_SystemTest", "", []robotsCase{{"FooBot", "", true}, {"", "", true}}},
		// Left out: an empty URL is "implicitly disallowed" there; warcbox
		// always asks with a request target, never an empty one.
		{"GoogleOnly_SystemTest", "user-agent: FooBot\ndisallow: /\n", []robotsCase{{"", "", true}}},
		{"ID_LineSyntax_Line", "user-agent: FooBot\ndisallow: /\n", []robotsCase{{"FooBot", "http://foo.bar/x/y", false}}},
		{"ID_LineSyntax_Line", "foo: FooBot\nbar: /\n", []robotsCase{{"FooBot", "http://foo.bar/x/y", true}}},
		{"ID_LineSyntax_Line", "user-agent FooBot\ndisallow /\n", []robotsCase{{"FooBot", "http://foo.bar/x/y", false}}},
		{"ID_LineSyntax_Groups", "allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\nuser-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\nuser-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n",
			[]robotsCase{
				{"FooBot", "http://foo.bar/x/b", true}, {"FooBot", "http://foo.bar/z/d", true}, {"FooBot", "http://foo.bar/y/c", false},
				{"BarBot", "http://foo.bar/y/c", true}, {"BarBot", "http://foo.bar/w/a", true}, {"BarBot", "http://foo.bar/z/d", false},
				{"BazBot", "http://foo.bar/z/d", true},
				{"FooBot", "http://foo.bar/foo/bar/", false}, {"BarBot", "http://foo.bar/foo/bar/", false}, {"BazBot", "http://foo.bar/foo/bar/", false},
			}},
		{"ID_LineSyntax_Groups_OtherRules", "User-agent: BarBot\nSitemap: https://foo.bar/sitemap\nUser-agent: *\nDisallow: /\n",
			[]robotsCase{{"FooBot", "http://foo.bar/", false}, {"BarBot", "http://foo.bar/", false}}},
		{"ID_LineSyntax_Groups_OtherRules", "User-agent: FooBot\nInvalid-Unknown-Line: unknown\nUser-agent: *\nDisallow: /\n",
			[]robotsCase{{"FooBot", "http://foo.bar/", false}, {"BarBot", "http://foo.bar/", false}}},
	}
	for _, txt := range []string{"USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n", "user-agent: FooBot\nallow: /x/\ndisallow: /\n", "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n"} {
		suites = append(suites, struct {
			test, robots string
			cases        []robotsCase
		}{"ID_REPLineNamesCaseInsensitive", txt, []robotsCase{{"FooBot", "http://foo.bar/x/y", true}, {"FooBot", "http://foo.bar/a/b", false}}})
	}
	for _, txt := range []string{"User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n", "User-Agent: foo bar\nAllow: /x/\nDisallow: /\n", "User-Agent: FoO bAr\nAllow: /x/\nDisallow: /\n"} {
		suites = append(suites, struct {
			test, robots string
			cases        []robotsCase
		}{"ID_UserAgentValueCaseInsensitive", txt, []robotsCase{
			{"Foo", "http://foo.bar/x/y", true}, {"Foo", "http://foo.bar/a/b", false},
			{"foo", "http://foo.bar/x/y", true}, {"foo", "http://foo.bar/a/b", false},
		}})
	}
	type suite = struct {
		test, robots string
		cases        []robotsCase
	}
	fish := func(rule string, cases ...robotsCase) suite {
		return suite{"GoogleOnly_DocumentationChecks", "user-agent: FooBot\ndisallow: /\nallow: " + rule + "\n", cases}
	}
	c := func(url string, want bool) robotsCase { return robotsCase{"FooBot", url, want} }
	suites = append(suites,
		// Left out of GoogleOnly_AcceptUserAgentUpToFirstSpace: asking as
		// "Foo Bar" must not match a group "Foo Bar" there. warcbox is given
		// a whole User-Agent header and asks with its product token ("Foo").
		suite{"GoogleOnly_AcceptUserAgentUpToFirstSpace", "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n", []robotsCase{{"Foo", "http://foo.bar/x/y", true}}},
		suite{"ID_GlobalGroups_Secondary", "", []robotsCase{{"FooBot", "http://foo.bar/x/y", true}}},
		suite{"ID_GlobalGroups_Secondary", "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n", []robotsCase{{"FooBot", "http://foo.bar/x/y", false}, {"BarBot", "http://foo.bar/x/y", true}}},
		suite{"ID_GlobalGroups_Secondary", "user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n", []robotsCase{{"QuxBot", "http://foo.bar/x/y", true}}},
		suite{"ID_AllowDisallow_Value_CaseSensitive", "user-agent: FooBot\ndisallow: /x/\n", []robotsCase{c("http://foo.bar/x/y", false)}},
		suite{"ID_AllowDisallow_Value_CaseSensitive", "user-agent: FooBot\ndisallow: /X/\n", []robotsCase{c("http://foo.bar/x/y", true)}},
		suite{"ID_LongestMatch", "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n", []robotsCase{c("http://foo.bar/x/page.html", false)}},
		suite{"ID_LongestMatch", "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", []robotsCase{c("http://foo.bar/x/page.html", true), c("http://foo.bar/x/", false)}},
		suite{"ID_LongestMatch", "user-agent: FooBot\ndisallow: \nallow: \n", []robotsCase{c("http://foo.bar/x/page.html", true)}},
		suite{"ID_LongestMatch", "user-agent: FooBot\ndisallow: /\nallow: /\n", []robotsCase{c("http://foo.bar/x/page.html", true)}},
		suite{"ID_LongestMatch", "user-agent: FooBot\ndisallow: /x\nallow: /x/\n", []robotsCase{c("http://foo.bar/x", false), c("http://foo.bar/x/", true)}},
		suite{"ID_LongestMatch", "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n", []robotsCase{c("http://foo.bar/x/page.html", true)}},
		suite{"ID_LongestMatch", "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", []robotsCase{c("http://foo.bar/page.html", false), c("http://foo.bar/page", true)}},
		suite{"ID_LongestMatch", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", []robotsCase{c("http://foo.bar/x/page.html", true), c("http://foo.bar/x/y.html", false)}},
		suite{"ID_LongestMatch", "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n", []robotsCase{c("http://foo.bar/x/page", true), c("http://foo.bar/y/page", false)}},
		suite{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n", []robotsCase{c("http://foo.bar/foo/bar?qux=taz&baz=http://foo.bar?tar&par", true)}},
		suite{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n", []robotsCase{c("http://foo.bar/foo/bar/%E3%83%84", true), c("http://foo.bar/foo/bar/ツ", false)}},
		suite{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", []robotsCase{c("http://foo.bar/foo/bar/%E3%83%84", true), c("http://foo.bar/foo/bar/ツ", false)}},
		suite{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", []robotsCase{c("http://foo.bar/foo/bar/baz", false), c("http://foo.bar/foo/bar/%62%61%7A", true)}},
		suite{"ID_SpecialCharacters", "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", []robotsCase{
			c("http://foo.bar/foo/bar/quz", false), c("http://foo.bar/foo/quz", true), c("http://foo.bar/foo//quz", true), c("http://foo.bar/foo/bax/quz", true)}},
		suite{"ID_SpecialCharacters", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", []robotsCase{
			c("http://foo.bar/foo/bar", false), c("http://foo.bar/foo/bar/qux", true), c("http://foo.bar/foo/bar/", true), c("http://foo.bar/foo/bar/baz", true)}},
		suite{"ID_SpecialCharacters", "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", []robotsCase{c("http://foo.bar/foo/bar", true), c("http://foo.bar/foo/quz", false)}},
		suite{"GoogleOnly_IndexHTMLisDirectory", "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n", []robotsCase{
			{"foobot", "http://foo.com/allowed-slash/", true}, {"foobot", "http://foo.com/allowed-slash/index.htm", false},
			{"foobot", "http://foo.com/allowed-slash/index.html", true}, {"foobot", "http://foo.com/anyother-url", false}}},
		suite{"GoogleOnly_LineTooLong", "user-agent: FooBot\ndisallow: " + longA + "/qux\n", []robotsCase{c("http://foo.bar/fux", true), c("http://foo.bar"+longA+"/fux", false)}},
		suite{"GoogleOnly_LineTooLong", "user-agent: FooBot\ndisallow: /\nallow: " + longAllowA + "/qux\nallow: " + longAllowB + "/qux\n", []robotsCase{
			c("http://foo.bar/", false), c("http://foo.bar"+longAllowA+"/qux", true), c("http://foo.bar"+longAllowB+"/fux", true)}},
		fish("/fish", c("http://foo.bar/bar", false), c("http://foo.bar/fish", true), c("http://foo.bar/fish.html", true), c("http://foo.bar/fish/salmon.html", true),
			c("http://foo.bar/fishheads", true), c("http://foo.bar/fishheads/yummy.html", true), c("http://foo.bar/fish.html?id=anything", true),
			c("http://foo.bar/Fish.asp", false), c("http://foo.bar/catfish", false), c("http://foo.bar/?id=fish", false)),
		fish("/fish*", c("http://foo.bar/bar", false), c("http://foo.bar/fish", true), c("http://foo.bar/fish.html", true), c("http://foo.bar/fish/salmon.html", true),
			c("http://foo.bar/fishheads", true), c("http://foo.bar/fishheads/yummy.html", true), c("http://foo.bar/fish.html?id=anything", true),
			c("http://foo.bar/Fish.bar", false), c("http://foo.bar/catfish", false), c("http://foo.bar/?id=fish", false)),
		fish("/fish/", c("http://foo.bar/bar", false), c("http://foo.bar/fish/", true), c("http://foo.bar/fish/salmon", true), c("http://foo.bar/fish/?salmon", true),
			c("http://foo.bar/fish/salmon.html", true), c("http://foo.bar/fish/?id=anything", true),
			c("http://foo.bar/fish", false), c("http://foo.bar/fish.html", false), c("http://foo.bar/Fish/Salmon.html", false)),
		fish("/*.php", c("http://foo.bar/bar", false), c("http://foo.bar/filename.php", true), c("http://foo.bar/folder/filename.php", true),
			c("http://foo.bar/folder/filename.php?parameters", true), c("http://foo.bar//folder/any.php.file.html", true), c("http://foo.bar/filename.php/", true),
			c("http://foo.bar/index?f=filename.php/", true), c("http://foo.bar/php/", false), c("http://foo.bar/index?php", false), c("http://foo.bar/windows.PHP", false)),
		fish("/*.php$", c("http://foo.bar/bar", false), c("http://foo.bar/filename.php", true), c("http://foo.bar/folder/filename.php", true),
			c("http://foo.bar/filename.php?parameters", false), c("http://foo.bar/filename.php/", false), c("http://foo.bar/filename.php5", false),
			c("http://foo.bar/php/", false), c("http://foo.bar/filename?php", false), c("http://foo.bar/aaaphpaaa", false), c("http://foo.bar//windows.PHP", false)),
		fish("/fish*.php", c("http://foo.bar/bar", false), c("http://foo.bar/fish.php", true), c("http://foo.bar/fishheads/catfish.php?parameters", true), c("http://foo.bar/Fish.PHP", false)),
		suite{"GoogleOnly_DocumentationChecks", "user-agent: FooBot\nallow: /p\ndisallow: /\n", []robotsCase{c("http://example.com/page", true)}},
		suite{"GoogleOnly_DocumentationChecks", "user-agent: FooBot\nallow: /folder\ndisallow: /folder\n", []robotsCase{c("http://example.com/folder/page", true)}},
		suite{"GoogleOnly_DocumentationChecks", "user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n", []robotsCase{c("http://example.com/page.htm", false)}},
		suite{"GoogleOnly_DocumentationChecks", "user-agent: FooBot\nallow: /$\ndisallow: /\n", []robotsCase{c("http://example.com/", true), c("http://example.com/page.html", false)}},
	)
	// ID_LinesNumbersAreCountedCorrectly: the same file with every kind of
	// line end parses to the same rules (there counted by a reporter; here
	// seen in what is allowed).
	for _, eol := range []string{"\n", "\r\n", "\r"} {
		txt := strings.Join([]string{"User-Agent: foo", "Allow: /some/path", "User-Agent: bar", "", "", "Disallow: /"}, eol)
		suites = append(suites, suite{"ID_LinesNumbersAreCountedCorrectly", txt, []robotsCase{
			{"foo", "http://x/some/path", true}, {"bar", "http://x/some/path", false}, {"bar", "http://x/", false}}})
	}
	suites = append(suites, suite{"ID_LinesNumbersAreCountedCorrectly", "User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\nDisallow: /",
		[]robotsCase{{"bar", "http://x/", false}}})
	// ID_UTF8ByteOrderMarkIsSkipped: a whole or partial BOM at the start is
	// skipped; a broken one spoils the first line; one mid-file spoils its line.
	for _, bom := range []string{"\xEF\xBB\xBF", "\xEF\xBB", "\xEF"} {
		suites = append(suites, suite{"ID_UTF8ByteOrderMarkIsSkipped", bom + "User-Agent: foo\nDisallow: /AnyValue\n", []robotsCase{{"foo", "http://x/AnyValue", false}}})
	}
	suites = append(suites,
		suite{"ID_UTF8ByteOrderMarkIsSkipped", "\xEF\x11\xBFUser-Agent: foo\nDisallow: /AnyValue\n", []robotsCase{{"foo", "http://x/AnyValue", true}}},
		suite{"ID_UTF8ByteOrderMarkIsSkipped", "User-Agent: foo\n\xEF\xBB\xBFDisallow: /AnyValue\n", []robotsCase{{"foo", "http://x/AnyValue", true}}},
	)

	for _, s := range suites {
		for _, tc := range s.cases {
			if got := googleAllowed(s.robots, tc.agent, tc.url); got != tc.want {
				robots := s.robots
				if len(robots) > 200 {
					robots = robots[:200] + "…"
				}
				t.Errorf("%s: %q for %q = %v, want %v\nrobots.txt:\n%s", s.test, tc.url, tc.agent, got, tc.want, robots)
			}
		}
	}
}

func TestRobotsGooglePathAndEscape(t *testing.T) {
	// TestGetPathParamsQuery's cases, for the test helper above.
	for in, want := range map[string]string{
		"": "/", "http://www.example.com": "/", "http://www.example.com/": "/", "http://www.example.com/a": "/a",
		"http://www.example.com/a/": "/a/", "http://www.example.com/a/b?c=http://d.e/": "/a/b?c=http://d.e/",
		"http://www.example.com/a/b?c=d&e=f#fragment": "/a/b?c=d&e=f", "example.com": "/", "example.com/": "/",
		"example.com/a": "/a", "example.com/a/": "/a/", "example.com/a/b?c=d&e=f#fragment": "/a/b?c=d&e=f",
		"a": "/", "a/": "/", "/a": "/a", "a/b": "/b", "example.com?a": "/?a", "example.com/a;b#c": "/a;b", "//a/b/c": "/b/c",
	} {
		if got := googlePath(in); got != want {
			t.Errorf("googlePath(%q) = %q, want %q", in, got, want)
		}
	}
	// TestMaybeEscapePattern's cases.
	for in, want := range map[string]string{"http://www.example.com": "http://www.example.com", "/a/b/c": "/a/b/c", "á": "%C3%A1", "%aa": "%AA"} {
		if got := escapePattern(in); got != want {
			t.Errorf("escapePattern(%q) = %q, want %q", in, got, want)
		}
	}
}
