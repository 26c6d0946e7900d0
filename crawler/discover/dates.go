package discover

import (
	"strconv"
	"strings"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
)

// Dates in feeds, sitemaps and list pages come in many forms. parseDate
// reads the ones Korean outlets use; a form without a zone is KST, and
// "KST" itself means +09:00 (time.Parse would read an abbreviation it does
// not know as UTC). Results are in article.KST.

var (
	// 2024-01-31, 2024.01.31., 2024/1/31, W3C/ISO 2024-01-31T09:00:00.123+09:00,
	// Korean 2024-01-31 09:00(:00) and 2024.01.31 오후 3:04.
	numericDateRe = lazy.NewRegexp(`^((?:19|20|21)\d{2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?` +
		`(?:(?:T|\s+|\s*\(\S\)\s*)(?:(오전|오후|AM|PM|am|pm)\s*)?(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?` +
		`(?:\s*(오전|오후|AM|PM|am|pm))?)?` +
		`\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT|UT|KST)?$`)
	// 2024년 1월 31일 (수) 오후 3시 4분 / 15:04
	koreanDateRe = lazy.NewRegexp(`^((?:19|20|21)\d{2})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일` +
		`(?:\s*\(\S\))?(?:\s*(오전|오후)?\s*(\d{1,2})\s*(?:시|:)\s*(?:(\d{1,2})\s*분?)?(?::(\d{2}))?)?$`)
	// W3C datetime reduced precision (sitemaps): 2024, 2024-01.
	partialDateRe = lazy.NewRegexp(`^((?:19|20|21)\d{2})(?:-(\d{2}))?$`)
	// Compact 20240131 or 20240131093000.
	compactDateRe = lazy.NewRegexp(`^((?:19|20|21)\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$`)
)

// rfcLayouts are tried after a leading day name has been removed (feeds
// often get it wrong) and a zone name turned into an offset.
var rfcLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 January 2006 15:04:05 -0700",
	"2 Jan 06 15:04:05 -0700",
	"Jan 2 15:04:05 -0700 2006",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 January 2006 15:04:05",
	"2 Jan 2006",
	"Jan 2, 2006 15:04:05",
	"Jan 2, 2006 3:04:05 PM",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006",
}

// rfcZones are the zone names that replace a numeric offset before the RFC
// layouts are tried.
var rfcZones = map[string]string{
	"KST": "+0900", "UTC": "+0000", "GMT": "+0000", "UT": "+0000", "Z": "+0000",
}

// parseDate reads a date in one of the forms above; ok is false when it
// cannot.
func parseDate(s string) (time.Time, bool) {
	// Fast path for the W3C/RFC 3339 form of sitemaps and Atom.
	if len(s) >= 20 && len(s) <= 35 && s[10] == 'T' {
		if t, err := time.Parse(time.RFC3339, s); err == nil && plausibleYear(t.Year()) {
			return t.In(article.KST), true
		}
	}
	s = normalizeDate(s)
	if s == "" || len(s) > 80 {
		return time.Time{}, false
	}
	if m := numericDateRe.FindStringSubmatch(s); m != nil {
		meridiem := m[4]
		if meridiem == "" {
			meridiem = m[9]
		}
		return buildDate(m[1], m[2], m[3], meridiem, m[5], m[6], m[7], m[8], m[10])
	}
	if m := koreanDateRe.FindStringSubmatch(s); m != nil {
		return buildDate(m[1], m[2], m[3], m[4], m[5], m[6], m[7], "", "")
	}
	if m := partialDateRe.FindStringSubmatch(s); m != nil {
		mo := m[2]
		if mo == "" {
			mo = "1"
		}
		return buildDate(m[1], mo, "1", "", "", "", "", "", "")
	}
	if m := compactDateRe.FindStringSubmatch(s); m != nil {
		return buildDate(m[1], m[2], m[3], "", m[4], m[5], m[6], "", "")
	}
	return parseRFCDate(s)
}

func normalizeDate(s string) string {
	if isTidy(s) {
		return s
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u3000', '\t', '\n', '\r':
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func parseRFCDate(s string) (time.Time, bool) {
	// A trailing zone name we know becomes an offset; "+0900 (KST)" loses
	// its comment.
	if i := strings.LastIndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
		s = strings.TrimSpace(s[:i])
	}
	zoned := false
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		last := s[i+1:]
		if off, ok := rfcZones[strings.ToUpper(last)]; ok {
			s = s[:i] + " " + off
			zoned = true
		} else if len(last) == 5 && (last[0] == '+' || last[0] == '-') {
			zoned = true
		} else if len(last) == 6 && (last[0] == '+' || last[0] == '-') && last[3] == ':' {
			s = s[:i] + " " + last[:3] + last[4:]
			zoned = true
		}
	}
	// Day names are often wrong or missing in feeds: drop them and try
	// layouts without one.
	s = dropWeekday(s)
	for _, layout := range rfcLayouts {
		hasZone := strings.Contains(layout, "-0700")
		if hasZone != zoned {
			continue
		}
		var t time.Time
		var err error
		if hasZone {
			t, err = time.Parse(layout, s)
		} else {
			t, err = time.ParseInLocation(layout, s, article.KST)
		}
		if err == nil && plausibleYear(t.Year()) {
			return t.In(article.KST), true
		}
	}
	return time.Time{}, false
}

var weekdayRe = lazy.NewRegexp(`^(?i:mon|tue|wed|thu|fri|sat|sun)[A-Za-z]*\.?,?\s*`)

// dropWeekday removes a leading "Mon, " or "Monday " (any case).
func dropWeekday(s string) string {
	return weekdayRe.ReplaceAllString(s, "")
}

func plausibleYear(y int) bool { return y >= 1900 && y < 2200 }

// buildDate assembles the captured fields; zone "" is KST.
func buildDate(ys, mos, ds, meridiem, hs, mis, ss, frac, zone string) (time.Time, bool) {
	y, _ := strconv.Atoi(ys)
	mo, _ := strconv.Atoi(mos)
	d, _ := strconv.Atoi(ds)
	h, mi, sec := atoi0(hs), atoi0(mis), atoi0(ss)
	switch strings.ToLower(meridiem) {
	case "오후", "pm":
		if h < 1 || h > 12 {
			return time.Time{}, false
		}
		if h < 12 {
			h += 12
		}
	case "오전", "am":
		if h < 1 || h > 12 {
			return time.Time{}, false
		}
		if h == 12 {
			h = 0
		}
	}
	if !plausibleYear(y) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 60 {
		return time.Time{}, false
	}
	if h == 24 {
		if mi != 0 || sec != 0 {
			return time.Time{}, false
		}
	}
	if sec == 60 {
		sec = 59
	}
	ns := 0
	if frac != "" {
		f := (frac + "000000000")[:9]
		ns, _ = strconv.Atoi(f)
	}
	loc := article.KST
	switch zone {
	case "", "KST":
	case "Z", "UTC", "GMT", "UT":
		loc = time.UTC
	default:
		off, ok := parseOffset(zone)
		if !ok {
			return time.Time{}, false
		}
		loc = time.FixedZone("", off)
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	if t.Day() != d || t.Month() != time.Month(mo) {
		return time.Time{}, false // 2024-02-30
	}
	t = t.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute +
		time.Duration(sec)*time.Second + time.Duration(ns))
	return t.In(article.KST), true
}

// parseOffset reads +09, +0900 or +09:00.
func parseOffset(z string) (int, bool) {
	if len(z) < 3 {
		return 0, false
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	h, m := 0, 0
	switch len(digits) {
	case 2:
		h = atoi0(digits)
	case 4:
		h, m = atoi0(digits[:2]), atoi0(digits[2:])
	default:
		return 0, false
	}
	if h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

func atoi0(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// zoneRe tells whether a date string states a zone: a numeric offset, "Z"
// after a time, or an upper-case zone name at the end.
var zoneRe = lazy.NewRegexp(`(?:[+-]\d{2}:?\d{2}|\d(?:Z|z)|\b[A-Z]{1,5}(?:[+-]\d{1,4})?)\s*(?:\([^()]*\))?\s*$`)

// feedTime picks an item's time: parseDate's reading of the raw text when
// it has one; else gofeed's, with a zoneless wall clock moved to KST.
func feedTime(raw string, parsed *time.Time) time.Time {
	if t, ok := parseDate(raw); ok {
		return t
	}
	if parsed == nil || parsed.IsZero() || !plausibleYear(parsed.Year()) {
		return time.Time{}
	}
	t := *parsed
	if !zoneRe.MatchString(strings.TrimSpace(raw)) {
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), article.KST)
	}
	return t.In(article.KST)
}
