package cdxj

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ErrTimestamp reports a timestamp that is not 0–14 ASCII digits.
var ErrTimestamp = errors.New("cdxj: bad timestamp")

// timestampLayout is the 14-digit CDX timestamp as a time layout.
const timestampLayout = "20060102150405"

// Timestamp formats t (in UTC) as the 14-digit CDX timestamp.
func Timestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// The pads pywb uses (pywb.utils.timeutils PAD_14_DOWN / PAD_14_UP).
const (
	padEarliest = "10000101000000"
	padLatest   = "29991231235959"
)

// PadTimestamp completes a partial timestamp to 14 digits as pywb does for
// lookups: with latest the missing digits come from "29991231235959" (so
// "2030" means the end of 2030, "201002" the end of February 2010),
// otherwise from "10000101000000" (the start). Fields are then clamped to
// real values (month 1–12, day to the month's length, 23:59:59), so
// "20100231" becomes "20100228…". Digits past 14 (milliseconds) are
// dropped; an empty timestamp is the latest or earliest of all.
func PadTimestamp(ts string, latest bool) (string, error) {
	for i := 0; i < len(ts); i++ {
		if ts[i] < '0' || ts[i] > '9' {
			return "", fmt.Errorf("%w: %q", ErrTimestamp, ts)
		}
	}
	if len(ts) > 14 {
		ts = ts[:14]
	}
	pad := padEarliest
	if latest {
		pad = padLatest
	}
	full := ts + pad[len(ts):]
	num := func(i, j int) int { n, _ := strconv.Atoi(full[i:j]); return n }
	year, month, day := num(0, 4), num(4, 6), num(6, 8)
	hour, min, sec := num(8, 10), num(10, 12), num(12, 14)
	month = clamp(month, 1, 12)
	day = clamp(day, 1, daysIn(year, month))
	hour, min, sec = clamp(hour, 0, 23), clamp(min, 0, 59), clamp(sec, 0, 59)
	return fmt.Sprintf("%04d%02d%02d%02d%02d%02d", year, month, day, hour, min, sec), nil
}

// parseTimestamp parses a full or partial timestamp as the earliest
// instant it names (see PadTimestamp), in UTC.
func parseTimestamp(ts string) (time.Time, error) {
	full, err := PadTimestamp(ts, false)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(timestampLayout, full)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q: %w", ErrTimestamp, ts, err)
	}
	return t, nil
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
