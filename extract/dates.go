package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// pageDate is a date as the page states it: how precise it is matters,
// because the output keeps the page's time and zone and never invents them.
type pageDate struct {
	T       time.Time
	HasTime bool
	HasZone bool
}

// String renders RFC 3339: full when time and zone are known, otherwise the
// parts the page gave.
func (d pageDate) String() string {
	switch {
	case d.HasTime && d.HasZone:
		return d.T.Format(time.RFC3339)
	case d.HasTime:
		return d.T.Format("2006-01-02T15:04:05")
	default:
		return d.T.Format("2006-01-02")
	}
}

var isoDateRe = regexp.MustCompile(`^(\d{4})-?(\d{1,2})-?(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?)?)?`)

var layouts = []struct {
	layout     string
	time, zone bool
}{
	{time.RFC1123Z, true, true},
	{time.RFC1123, true, true},
	{"Mon, 2 Jan 2006 15:04:05 -0700", true, true},
	{"Mon, 2 Jan 2006 15:04:05 MST", true, true},
	{"Mon, _2 Jan 2006 15:04:05 -0700", true, true},
	{time.RFC850, true, true},
	{time.ANSIC, true, false},
	{time.UnixDate, true, true},
	{"Mon Jan 2 2006 15:04:05 GMT-0700", true, true},
	{"2006/01/02 15:04:05", true, false},
	{"2006/01/02 15:04", true, false},
	{"2006/01/02", false, false},
	{"2006/1/2", false, false},
	{"02.01.2006 15:04", true, false},
	{"02.01.2006", false, false},
	{"2.1.2006", false, false},
	{"January 2, 2006 15:04", true, false},
	{"January 2, 2006", false, false},
	{"Jan 2, 2006", false, false},
	{"Jan. 2, 2006", false, false},
	{"2 January 2006", false, false},
	{"2 Jan 2006", false, false},
	{"02 Jan 2006", false, false},
	{"January 2 2006", false, false},
	{"Monday, January 2, 2006", false, false},
}

// parseDate reads a machine-readable date as found in metadata; free text
// in other languages is left to go-htmldate.
func parseDate(s string) (pageDate, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return pageDate{}, false
	}
	if m := isoDateRe.FindStringSubmatch(s); m != nil {
		// Compact forms are 8 digits alone, or ISO 8601's basic format with
		// a time after a "T" ("20200924T15:04:34Z"): a longer number, or 8
		// digits run into something else, is a timestamp or an ID.
		if len(m[1]) == 4 && s[4] != '-' && (len(m[2]) != 2 || len(m[3]) != 2 ||
			!(len(s) == 8 || len(s) > 8 && s[8] == 'T' && m[4] != "")) {
			goto layouts
		}
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if mo < 1 || mo > 12 || d < 1 || d > 31 {
			return pageDate{}, false
		}
		pd := pageDate{}
		loc := time.UTC
		hh, mm, ss := 0, 0, 0
		if m[4] != "" {
			pd.HasTime = true
			hh, _ = strconv.Atoi(m[4])
			mm, _ = strconv.Atoi(m[5])
			ss, _ = strconv.Atoi(m[6])
			if hh > 23 || mm > 59 || ss > 60 {
				return pageDate{}, false
			}
			if z := m[7]; z != "" {
				off, ok := parseOffset(z)
				if !ok {
					return pageDate{}, false
				}
				pd.HasZone = true
				if off != 0 {
					loc = time.FixedZone("", off)
				}
			}
		}
		pd.T = time.Date(y, time.Month(mo), d, hh, mm, ss, 0, loc)
		if pd.T.Day() != d {
			return pageDate{}, false // 31 February
		}
		return pd, true
	}
layouts:
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) >= 9 && len(s) <= 13 {
		if len(s) == 13 {
			n /= 1000
		}
		// Epoch seconds for years 1970–9999 only: a 12-digit ID read as a
		// timestamp lands in year 24152, which no date format holds.
		if t := time.Unix(n, 0).UTC(); t.Year() <= 9999 {
			return pageDate{T: t, HasTime: true, HasZone: true}, true
		}
		return pageDate{}, false
	}
	for _, l := range layouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			pd := pageDate{T: t, HasTime: l.time, HasZone: l.zone}
			// "MST"-style abbreviations Go does not know parse as a zero
			// offset named zone: the zone is then unknown, not UTC.
			if name, off := t.Zone(); l.zone && off == 0 && name != "UTC" && name != "GMT" && name != "" && name != "Z" {
				pd.HasZone = false
			}
			return pd, true
		}
	}
	return pageDate{}, false
}

// parseOffset reads Z, +01, +0100, +01:00, UTC, GMT+2.
func parseOffset(z string) (int, bool) {
	z = strings.TrimPrefix(strings.TrimPrefix(z, "UTC"), "GMT")
	if z == "" || z == "Z" {
		return 0, true
	}
	sign := 1
	switch z[0] {
	case '+':
	case '-':
		sign = -1
	default:
		return 0, false
	}
	z = strings.ReplaceAll(z[1:], ":", "")
	var h, m int
	switch len(z) {
	case 1, 2:
		h, _ = strconv.Atoi(z)
	case 3:
		h, _ = strconv.Atoi(z[:1])
		m, _ = strconv.Atoi(z[1:])
	case 4:
		h, _ = strconv.Atoi(z[:2])
		m, _ = strconv.Atoi(z[2:])
	default:
		return 0, false
	}
	if h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// plausible bounds a date: not before the web's early years, not after the
// capture (with a day of slack for dates without a zone).
func plausible(d pageDate, max time.Time) bool {
	if d.T.Year() < 1993 {
		return false
	}
	if max.IsZero() {
		max = time.Now()
	}
	limit := max
	if !d.HasZone {
		limit = max.Add(24 * time.Hour)
	}
	return !d.T.After(limit)
}

var urlDateRe = regexp.MustCompile(`/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)
var urlDateSepRe = regexp.MustCompile(`/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/`)

// urlDate finds a day in the URL's path (/2024/03/05/…, /20240305-…).
func urlDate(u string) (pageDate, bool) {
	for _, re := range []*regexp.Regexp{urlDateSepRe, urlDateRe} {
		if m := re.FindStringSubmatch(u); m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d {
				return pageDate{T: t}, true
			}
		}
	}
	return pageDate{}, false
}

// dottedDateRe matches a numeric date written with dots, day first wherever
// it is written so ("4. 2. 2022", "04.02.2022"; thin spaces included).
var dottedDateRe = regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})\.[\s\p{Zs}]*(\d{1,2})\.[\s\p{Zs}]*((?:19|20)\d{2})(?:\D|$)`)

// dayFirst puts back in order a date go-htmldate read month first from the
// one dotted numeric date of its source text src.
func dayFirst(d pageDate, src string) pageDate {
	ms := dottedDateRe.FindAllStringSubmatch(src, 2)
	if len(ms) != 1 {
		return d
	}
	day, _ := strconv.Atoi(ms[0][1])
	mon, _ := strconv.Atoi(ms[0][2])
	year, _ := strconv.Atoi(ms[0][3])
	// A second number past 12 is no month: the date was written month
	// first, as go-htmldate read it.
	if day == mon || day > 12 || mon > 12 || d.T.Year() != year || int(d.T.Month()) != day || d.T.Day() != mon {
		return d
	}
	t := d.T
	d.T = time.Date(year, time.Month(mon), day, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	return d
}

// htmldateDay is the date go-htmldate read from its source text src, put
// right: day first for a dotted date (dayFirst), and no date at all (the
// zero pageDate, which plausible refuses) for a year alone. go-htmldate
// falls back to a copyright notice's or a lone year as 1 January; a day and
// month no text gave would be invented.
func htmldateDay(d pageDate, src string) pageDate {
	if yearOnly(d, src) {
		return pageDate{}
	}
	return dayFirst(d, src)
}

// yearOnly reports 1 January without a time read from a text where no
// number 1 stands for the day or the month ("© 2016", "1998-2022").
func yearOnly(d pageDate, src string) bool {
	if d.HasTime || d.T.Month() != time.January || d.T.Day() != 1 {
		return false
	}
	for _, n := range digitRunRe.FindAllString(src, -1) {
		// Six digits or more are a compact date ("20160101") or a
		// timestamp: they name the day, whatever it is.
		if strings.TrimLeft(n, "0") == "1" || len(n) >= 6 {
			return false
		}
	}
	return true
}

var digitRunRe = regexp.MustCompile(`\d+`)
