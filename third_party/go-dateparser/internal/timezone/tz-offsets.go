package timezone

import (
	"fmt"
	"sort"
	"strings"

	"github.com/warcbox/warcbox/third_party/go-dateparser/internal/regexp"
)

type OffsetData struct {
	Name   string
	Regex  *regexp.Regexp
	Offset int
}

func (tod OffsetData) IsZero() bool {
	return tod.Name == "" && tod.Regex == nil && tod.Offset == 0
}

var timezoneOffsets, rxSearch, rxSearchIgnoreCase, rxTimezoneToken = func() ([]OffsetData, *regexp.Regexp, *regexp.Regexp, *regexp.Regexp) {
	// Process timezone info list
	offsets := []OffsetData{}
	regexPatterns := map[string]struct{}{}
	searchPatterns := map[string]struct{}{}

	for _, tzInfo := range timezoneInfoList {
		// warcbox patch: names and alternative patterns in a fixed order,
		// not Go's random map order: PopTzOffset returns the first entry
		// that matches, so a string naming two zones ("9:00 ET/PT") gave
		// either one's offset, from one run to the next.
		tzNames := sortedTimezoneNames(tzInfo.Timezones)
		alternatives := sortedAlternatives(tzInfo.AlternativePatterns)
		for _, pattern := range tzInfo.RegexPatterns {
			// Main pattern
			for _, tzName := range tzNames { // warcbox patch: was a range over the map
				offset := tzInfo.Timezones[tzName]
				searchPattern := regexp.QuoteMeta(tzName)
				regexPattern := fmt.Sprintf(pattern, searchPattern)
				if _, exist := regexPatterns[regexPattern]; exist {
					continue
				}

				searchPatterns[searchPattern] = struct{}{}
				offsets = append(offsets, OffsetData{
					Name:   tzName,
					Regex:  regexp.MustCompile(`(?i)` + regexPattern),
					Offset: offset,
				})
			}

			// Alternative patterns
			for _, alt := range alternatives { // warcbox patch: was a range over the map
				replacer, replacement := alt.replacer, alt.replacement
				for _, tzName := range tzNames { // warcbox patch: was a range over the map
					offset := tzInfo.Timezones[tzName]
					searchPattern := regexp.QuoteMeta(tzName)
					searchPattern = replacer.ReplaceAllString(searchPattern, replacement)
					regexPattern := fmt.Sprintf(pattern, searchPattern)
					if _, exist := regexPatterns[regexPattern]; exist {
						continue
					}

					searchPatterns[searchPattern] = struct{}{}
					offsets = append(offsets, OffsetData{
						Name:   tzName,
						Regex:  regexp.MustCompile(`(?i)` + regexPattern),
						Offset: offset,
					})
				}
			}
		}
	}

	// Generate regex for searching
	var patterns []string
	for pattern := range searchPatterns {
		patterns = append(patterns, pattern)
	}

	sort.Strings(patterns)
	strSearchPatterns := strings.Join(patterns, "|")

	rxSearch := regexp.MustCompile(strSearchPatterns)
	rxSearchIgnoreCase := regexp.MustCompile("(?i)" + strSearchPatterns)
	return offsets, rxSearch, rxSearchIgnoreCase, regexp.MustCompile("(?i)^(?:" + strSearchPatterns + ")$")
}()

// warcbox patch: sortedTimezoneNames and sortedAlternatives give the
// order the offsets are tried in. Sorted names are the order the data
// file lists them in (and Python's dateparser, whose lists keep their
// order, tries them) but for a few non-ASCII names; the first list, of
// UTC±hh:mm names written by offset, has no string two of its patterns
// match.
func sortedTimezoneNames(timezones map[string]int) []string {
	names := make([]string, 0, len(timezones))
	for name := range timezones {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

type alternativePattern struct {
	replacer    *regexp.Regexp
	replacement string
}

func sortedAlternatives(patterns map[*regexp.Regexp]string) []alternativePattern {
	alternatives := make([]alternativePattern, 0, len(patterns))
	for replacer, replacement := range patterns {
		alternatives = append(alternatives, alternativePattern{replacer, replacement})
	}
	sort.Slice(alternatives, func(i, j int) bool {
		a, b := alternatives[i], alternatives[j]
		if a.replacer.String() != b.replacer.String() {
			return a.replacer.String() < b.replacer.String()
		}
		return a.replacement < b.replacement
	})
	return alternatives
}
