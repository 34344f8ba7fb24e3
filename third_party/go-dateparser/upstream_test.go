package dateparser

import (
	"bytes"
	"os"
	"path/filepath"
	stdregexp "regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	upstream "github.com/markusmobius/go-dateparser"
	"golang.org/x/net/html"

	"github.com/warcbox/warcbox/bench/evalset"
)

// Written strings in many languages and scripts, dates and not dates.
var writtenDates = []string{
	"12 March 2021", "March 12, 2021", "2021-03-12", "2021-03-12T08:15:00+02:00", "12/03/2021", "03/12/2021",
	"Friday, 12 March 2021 08:15", "Mar 12 2021 8:15 PM EST", "12.03.2021 20:15 CET", "2021/3/12", "yesterday",
	"3 days ago", "in 2 weeks", "last month", "12 mars 2021", "vendredi 12 mars 2021 à 20h15", "le 1er avril 2019",
	"12. März 2021", "Freitag, 12. März 2021, 20:15 Uhr", "vor 3 Tagen", "12 de marzo de 2021", "hace 2 días",
	"12 marzo 2021", "venerdì 12 marzo 2021", "12 de março de 2021", "há 3 dias", "12 maart 2021", "12 mars 2021 kl. 20.15",
	"12. marts 2021", "12. mars 2021", "12 maaliskuuta 2021", "12 marca 2021", "12. března 2021", "12. marca 2021",
	"2021. március 12.", "12 martie 2021", "12 март 2021 г.", "12 марта 2021 года", "3 дня назад", "12 березня 2021",
	"12 Μαρτίου 2021", "12 Mart 2021", "12 Mart 2021 Cuma", "١٢ مارس ٢٠٢١", "12 مارس 2021", "۱۲ مارس ۲۰۲۱", "12 במרץ 2021",
	"2021年3月12日", "2021年3月12日 20:15", "3月12日", "2021년 3월 12일", "12 มีนาคม 2564", "12 tháng 3 năm 2021",
	"12 Maret 2021", "12 Mac 2021", "12 Marso 2021", "12 मार्च 2021", "১২ মার্চ ২০২১", "12 மார்ச் 2021", "12 ಮಾರ್ಚ್ 2021",
	"12 Machi 2021", "12 Maart 2021", "12 Mawrth 2021", "12 Márta 2021", "12 martxoa 2021", "12 de març de 2021",
	"12 ožujka 2021", "12. marec 2021", "12 kovo 2021", "2021. gada 12. marts", "12. märts 2021", "12 марта 2021",
	"12 მარტი 2021", "12 մարտի 2021", "12 Mart 2021-ci il", "12 наурыз 2021", "Sun, 06 Nov 1994 08:49:37 GMT",
	"Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "1994-11-06T08:49:37Z", "20210312", "1615580100",
	"Posted on March 12, 2021 by admin", "Updated: 2021-03-12 08:15", "© 2004 - 2020", "Durée : 3 minutes", "page 12 of 30",
	"Tel. 030 12345678", "Mo-Fr 9:00-18:00", "12:30", "March 2021", "2021", "Q1 2021", "12th of March, 2021", "the 3rd",
	"31 February 2021", "29 Feb 2020", "29 Feb 2021", "00/00/0000", "99.99.9999", "", " ", "2021-13-45", "noon", "midnight",
}

// The patched go-dateparser (third_party/go-dateparser, PATCHES.md) must
// answer as upstream go-dateparser: the written strings above and strings
// read from evaluation pages (text of <time>, datetime attributes, date
// meta tags, short texts with a digit), parsed with the default parser and
// with go-htmldate's (custom formats and absolute times, strict, past).
func TestPatchedDateparserIsUpstream(t *testing.T) {
	strs := slices.Clone(writtenDates)
	strs = append(strs, pageDateStrings(t)...)
	if len(strs) < 240 {
		t.Fatalf("only %d strings", len(strs))
	}
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	type setup struct {
		name string
		p    *Parser
		up   *upstream.Parser
		cfg  Configuration
		ucfg upstream.Configuration
	}
	setups := []setup{
		{"default", &Parser{}, &upstream.Parser{}, Configuration{CurrentTime: now}, upstream.Configuration{CurrentTime: now}},
		{"htmldate", &Parser{ParserTypes: []ParserType{CustomFormat, AbsoluteTime}},
			&upstream.Parser{ParserTypes: []upstream.ParserType{upstream.CustomFormat, upstream.AbsoluteTime}},
			Configuration{CurrentTime: now, PreferredDateSource: Past, StrictParsing: true},
			upstream.Configuration{CurrentTime: now, PreferredDateSource: upstream.Past, StrictParsing: true}},
	}
	dates := 0
	for _, su := range setups {
		for _, s := range strs {
			got, gerr := su.p.Parse(&su.cfg, s)
			want, werr := su.up.Parse(&su.ucfg, s)
			if (gerr == nil) != (werr == nil) || got.Locale != want.Locale || uint8(got.Period) != uint8(want.Period) ||
				!got.Time.Equal(want.Time) || got.Time.String() != want.Time.String() {
				t.Errorf("%s %q: patched %v %v %v (%v), upstream %v %v %v (%v)", su.name, s,
					got.Locale, got.Period, got.Time, gerr, want.Locale, want.Period, want.Time, werr)
			}
			if gerr == nil && !got.IsZero() {
				dates++
			}
		}
	}
	if dates < 100 {
		t.Fatalf("only %d strings read as dates: the comparison is too weak", dates)
	}
	t.Logf("%d strings, %d answers that are dates", len(strs), dates)
}

// pageDateStrings reads candidate date strings from every 40th page of the
// htmldate and trafilatura evaluation sets.
func pageDateStrings(t *testing.T) []string {
	t.Helper()
	root := evalset.DefaultDir()
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		n := utf8.RuneCountInString(s)
		// A year keeps most strings dates: go-dateparser tries all its
		// locales before it gives up on a string, which costs ~15 ms.
		if n < 6 || n > 48 || seen[s] || !rxYear.MatchString(s) {
			return
		}
		seen[s] = true
		out = append(out, s)
	}
	for _, set := range []string{"htmldate", "trafilatura"} {
		dir := filepath.Join(root, set)
		files, err := filepath.Glob(filepath.Join(dir, "tests", "eval", "*.gz"))
		if err != nil || len(files) == 0 {
			skipOrFail(t, "%s: no evaluation pages (%v)", dir, err)
		}
		slices.Sort(files)
		for i, f := range files {
			if i%40 != 0 {
				continue
			}
			b, err := evalset.ReadPage(dir, strings.TrimSuffix(filepath.Base(f), ".gz"))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := html.Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			perPage := 0
			var walk func(*html.Node)
			walk = func(n *html.Node) {
				if perPage >= 5 {
					return
				}
				before := len(out)
				switch {
				case n.Type == html.ElementNode && n.Data == "time":
					for _, a := range n.Attr {
						if a.Key == "datetime" {
							add(a.Val)
						}
					}
				case n.Type == html.ElementNode && n.Data == "meta":
					var name, content string
					for _, a := range n.Attr {
						switch a.Key {
						case "name", "property", "itemprop":
							name = strings.ToLower(a.Val)
						case "content":
							content = a.Val
						}
					}
					if strings.Contains(name, "date") || strings.Contains(name, "time") {
						add(content)
					}
				case n.Type == html.TextNode && n.Parent != nil && n.Parent.Data != "script" && n.Parent.Data != "style":
					add(n.Data)
				}
				perPage += len(out) - before
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
		}
	}
	return out
}

func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if strings.EqualFold(getenv("CI"), "true") {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

var (
	getenv = os.Getenv
	rxYear = stdregexp.MustCompile(`(^|\D)(19|20)\d\d(\D|$)`)
)
