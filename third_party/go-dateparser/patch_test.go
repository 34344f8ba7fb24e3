package dateparser

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/warcbox/warcbox/third_party/go-dateparser/internal/regexp"
	"github.com/warcbox/warcbox/third_party/go-dateparser/internal/timezone"
	// The packages whose MustCompile patterns are checked, besides those this
	// package imports already.
	"github.com/warcbox/warcbox/third_party/go-dateparser/internal/data"
)

// The warcbox patch of internal/regexp compiles a MustCompile pattern on
// first use, so a bad pattern would panic in the middle of a parse instead
// of at start-up. Every pattern the packages register at initialisation
// must compile.
func TestPatchedRegexpPatternsAllCompile(t *testing.T) {
	data.GetLocaleData("en") // the locales' data, and patterns, are built on first use (patch 4)
	patterns := regexp.Patterns()
	if len(patterns) < 4575 { // internal/data alone registers 4,575
		t.Fatalf("only %d patterns registered", len(patterns))
	}
	t.Logf("%d patterns", len(patterns))
	if errs := regexp.CompileAll(); len(errs) > 0 {
		for _, err := range errs {
			t.Error(err)
		}
	}
}

// ambiguousZones name two time zones each: the offset found is the first
// of the timezone list's entries that matches.
var ambiguousZones = []string{"9:00 ET/PT", "10:00 EST / 7:00 PST", "12:00 CET (11:00 WET)", "8:00 AEST, 6:00 AWST", "3:00 IST or BST"}

// The warcbox patch of internal/timezone tries the zones in a fixed order.
// Upstream built its list in Go's map order, which changes from one
// process to the next, so a string naming two zones got either offset.
// The test runs itself in 4 processes, each printing what the strings
// above give, and wants the same answers from all (before the patch, "9:00
// ET/PT" alone gave ET -18000 or PT -28800 about half the time each).
func TestPatchedTimezoneOrderSameEveryRun(t *testing.T) {
	if os.Getenv("WARCBOX_TZ_ORDER_CHILD") == "1" {
		for _, s := range ambiguousZones {
			rest, tz := timezone.PopTzOffset(s)
			fmt.Printf("%q -> %q %s %d\n", s, rest, tz.Name, tz.Offset)
		}
		return
	}
	var first string
	for i := 0; i < 4; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPatchedTimezoneOrderSameEveryRun$", "-test.count=1")
		cmd.Env = append(os.Environ(), "WARCBOX_TZ_ORDER_CHILD=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, out)
		}
		got := string(out)
		if i == 0 {
			first = got
			if !strings.Contains(got, `"9:00 ET/PT" -> "9:00 PT" ET -18000`) {
				t.Errorf("run 1: ET/PT not taken as ET, the first of the list in its order:\n%s", got)
			}
			continue
		}
		if got != first {
			t.Fatalf("run %d answered otherwise than run 1:\n%s\nrun 1:\n%s", i+1, got, first)
		}
	}
	t.Logf("4 runs, the same answers:\n%s", first)
}

// The warcbox patch of internal/timezone reads a zone stated twice, by its
// abbreviation and its offset ("EST (GMT-5)"), or an offset in
// parentheses, as the offset's zone. Upstream took "GMT" alone in
// "(GMT-5)" as GMT+0 (leaving "(5)"), or popped "EST" and left "(GMT-5)",
// on which the date failed to parse: go-htmldate found no date in such
// bylines.
func TestPatchedStatedOffset(t *testing.T) {
	for _, c := range []struct {
		in, rest string
		offset   int
	}{
		{"EST (GMT-5)", "", -18000},
		{"10:00 pm EST (GMT-5)", "10:00 pm ", -18000},
		{"10:00 pm (GMT-5)", "10:00 pm ", -18000},
		{"March 3, 2020 11:30 pm IST (UTC+5:30)", "March 3, 2020 11:30 pm ", 19800},
		{"March 3, 2020 11:30 pm EST GMT-0500", "March 3, 2020 11:30 pm ", -18000}, // braces stripped
		// Not stated twice: upstream's answers.
		{"10:00 pm GMT-5", "10:00 pm ", -18000},
		{"March 3, 2020 10:00 pm EST", "March 3, 2020 10:00 pm ", -18000},
		{"10:00 (GMT+25)", "10:00 (25)", 0}, // no such offset: as upstream
	} {
		rest, tz := timezone.PopTzOffset(c.in)
		if rest != c.rest || tz.Offset != c.offset {
			t.Errorf("PopTzOffset(%q) = %q, %s %d; want %q, %d", c.in, rest, tz.Name, tz.Offset, c.rest, c.offset)
		}
	}
	// go-htmldate's parser (custom formats and absolute times, strict).
	p := &Parser{ParserTypes: []ParserType{CustomFormat, AbsoluteTime}}
	cfg := &Configuration{PreferredDateSource: Past, StrictParsing: true, CurrentTime: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)}
	for in, want := range map[string]string{
		"March 3, 2020 10:00 pm EST (GMT-5)":  "2020-03-03T22:00:00-05:00",
		"3 March 2020 22:00 EST (GMT-5)":      "2020-03-03T22:00:00-05:00",
		"March 3, 2020, 10:00 PM EST (UTC-5)": "2020-03-03T22:00:00-05:00",
	} {
		d, err := p.Parse(cfg, in)
		if got := d.Time.Format(time.RFC3339); err != nil || got != want {
			t.Errorf("Parse(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
}

// FuzzPatchedPopTzOffset: no panic; an offset within a day, and the
// string never grows.
func FuzzPatchedPopTzOffset(f *testing.F) {
	for _, s := range []string{"10:00 pm EST (GMT-5)", "EST (GMT-5", "(UTC+5:30)", "x GMT-99", "EST GMT+0530)", "9:00 ET/PT", "(gmt - 1)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rest, tz := timezone.PopTzOffset(s)
		if len(rest) > len(s) || tz.Offset < -16*3600 || tz.Offset > 16*3600 {
			t.Fatalf("PopTzOffset(%q) = %q, %d", s, rest, tz.Offset)
		}
	})
}

// BenchmarkParseWithHTMLDateConfig measures a parse as go-htmldate asks for
// it (custom formats and absolute times, strict, past), for strings that
// are dates and strings that are not: with no language given, a string
// no locale reads is checked against every locale (hygiene, stop 9:
// measured, not changed; see PATCHES.md).
func BenchmarkParseWithHTMLDateConfig(b *testing.B) {
	p := &Parser{ParserTypes: []ParserType{CustomFormat, AbsoluteTime}}
	cfg := &Configuration{PreferredDateSource: Past, StrictParsing: true, CurrentTime: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)}
	for _, s := range []string{"2020-03-03", "March 3, 2020 10:00 pm", "3. März 2020", "March 3, 2020 10:00 pm EST (GMT-5)",
		"Subscribe to our newsletter 2020", "Posted by admin in Uncategorized"} {
		p.Parse(cfg, s) // the locales' patterns compiled once, as in a long run
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				p.Parse(cfg, s)
			}
		})
	}
}
