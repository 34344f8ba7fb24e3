package timezone

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/warcbox/warcbox/third_party/go-dateparser/internal/regexp"
)

var timezoneWords = func() map[string]struct{} {
	words := map[string]struct{}{}
	for _, info := range timezoneInfoList {
		for name := range info.Timezones {
			if !strings.ContainsAny(name, "+-") {
				words[strings.ToUpper(name)] = struct{}{}
			}
		}
	}
	return words
}()

func IsTimezoneToken(token string) bool {
	return rxTimezoneToken.MatchString(strings.TrimSpace(token))
}

// PopTzOffset extracts timezone data from str then return the
// str with the timezone code removed.
func PopTzOffset(str string) (string, OffsetData) {
	// warcbox patch: a zone named twice, by its abbreviation and its
	// offset ("10:00 pm EST (GMT-5)", braces stripped or not), or an
	// offset in parentheses, is one zone: the offset's. Upstream took
	// "GMT" alone in "(GMT-5)" as GMT+0 and left "(5)", or popped the
	// abbreviation and left the offset, and the date failed to parse.
	if rest, tz, ok := popStatedOffset(str); ok {
		return rest, tz
	}
	if couldContainTimezone(str) && rxSearchIgnoreCase.MatchString(str) {
		for _, offsetData := range timezoneOffsets {
			idxs := offsetData.Regex.FindStringIndex(str)
			if len(idxs) == 0 {
				continue
			}

			str = str[:idxs[0]+1] + str[idxs[1]:]
			return str, offsetData
		}
	}

	return str, OffsetData{}
}

func couldContainTimezone(input string) bool {
	var word [16]byte
	for index := 0; index < len(input); index++ {
		character := input[index]
		if character >= utf8.RuneSelf || character == '+' || character == '-' {
			return true
		}
		if !isASCIITimezoneLetter(character) || (index > 0 && isASCIITimezoneLetter(input[index-1])) {
			continue
		}
		end := index
		for end < len(input) {
			character = input[end]
			if !isASCIITimezoneLetter(character) && (character < '0' || character > '9') && character != '_' {
				break
			}
			if end-index == len(word) {
				return true
			}
			if character >= 'a' && character <= 'z' {
				character -= 'a' - 'A'
			}
			word[end-index] = character
			end++
		}
		if _, exists := timezoneWords[string(word[:end-index])]; exists {
			return true
		}
	}
	return false
}

func isASCIITimezoneLetter(character byte) bool {
	character |= 'a' - 'A'
	return character >= 'a' && character <= 'z'
}

// WordIsTz check if the specified word is a timezone code.
func WordIsTz(word string) bool {
	return rxSearch.MatchString(word)
}

// warcbox patch: rxStatedOffset is a UTC/GMT offset with a zone
// abbreviation before it or parentheses around it: "EST (GMT-5)", "EST
// GMT-05:00", "(UTC+5:30)". Groups: abbreviation, "(", sign, hours,
// minutes, ")".
var rxStatedOffset = regexp.MustCompile(`(?i)(?:(?:^|[\s,])([a-z]{2,5})\s*)?(\()?\s*(?:utc|gmt)\s?([+-])\s?(\d{1,2})(?::?(\d{2}))?\s*(\))?`)

// popStatedOffset pops a zone stated as rxStatedOffset's: the offset
// decides; the abbreviation before it, if a zone's, goes with it.
func popStatedOffset(str string) (string, OffsetData, bool) {
	if !strings.ContainsAny(str, "+-") {
		return str, OffsetData{}, false
	}
	for _, m := range rxStatedOffset.FindAllStringSubmatchIndex(str, -1) {
		abbr := m[2] >= 0
		if abbr {
			if _, known := timezoneWords[strings.ToUpper(str[m[2]:m[3]])]; !known {
				abbr = false
			}
		}
		paren := m[4] >= 0 && m[12] >= 0
		if !abbr && !paren {
			continue
		}
		hours, _ := strconv.Atoi(str[m[8]:m[9]])
		minutes := 0
		if m[10] >= 0 {
			minutes, _ = strconv.Atoi(str[m[10]:m[11]])
		}
		if hours > 14 || minutes > 59 {
			continue
		}
		offset := hours*3600 + minutes*60
		sign := str[m[6]:m[7]]
		if sign == "-" {
			offset = -offset
		}
		start := m[4] // the "("
		if abbr {
			start = m[2]
		}
		name := fmt.Sprintf("UTC%s%02d:%02d", sign, hours, minutes)
		return str[:start] + str[m[1]:], OffsetData{Name: name, Offset: offset}, true
	}
	return str, OffsetData{}, false
}
