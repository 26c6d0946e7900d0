package parser

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
)

// Date rules for the text of Korean news pages: the visible datelines
// ("입력 2023.04.07 (08:26) 수정 …") and the machine values of meta tags,
// JSON-LD and data attributes. Every function here is pure and safe for
// concurrent use.

// numDateRe matches a numeric date with an optional time, the forms Korean
// pages print: "2023.11.21 09:30", "2023-11-21 10:00:01",
// "2023.06.14. 오전 9:44", "2023년 04월 07일 18시 36분",
// "2026/09/22 19:19", "2023.04.07 (08:26)", "2018. 05. 16. 16:23",
// "2024.01.29(월) 15:17", "2011-06-29". It runs on normalized text (single
// ASCII spaces) and is anchored: scanDates runs it where a year starts.
// Groups: 1 year, 2 month, 3 day, 4 오전/오후/AM/PM,
// 5 hour, 6 minute (colon form), 7 second (colon form), 8 minute (시 form),
// 9 second (시 form), 10 trailing AM/PM.
var numDateRe = lazy.NewRegexp(
	`^((?:19|20|21)\d{2}) ?(?:[.\-/]|년) ?(\d{1,2}) ?(?:[.\-/]|월) ?(\d{1,2})(?: ?(?:일|\.))?` +
		`(?: ?[(（] ?(?:[월화수목금토일月火水木金土日](?:요일)?|(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?) ?[)）]| ?[월화수목금토일]요일,?)?` +
		`(?:(?: ?[(\[]? ?|T)(?:(오전|오후|AM|PM|am|pm) ?)?(\d{1,2})` +
		`(?: ?: ?(\d{2})(?: ?: ?(\d{2})(?:[.,]\d{1,9})?)?|시(?: ?(\d{1,2}) ?분(?: ?(\d{1,2}) ?초)?)?)` +
		`(?: ?(AM|PM|am|pm|a\.m\.|p\.m\.))?)?`)

// engDateRe matches the English forms of Korean outlets' English services:
// "15:34 April 19, 2023", "April 19, 2023 15:34", "Apr. 19, 2023",
// "19 April 2023". Groups: 1 hour, 2 minute, 3 second, 4 am/pm (time
// before); 5 month, 6 day, 7 year (month first); 8 day, 9 month, 10 year
// (day first); 11 hour, 12 minute, 13 second, 14 am/pm (time after).
var engDateRe = lazy.NewRegexp(`(?i)(?:\b(\d{1,2}):(\d{2})(?::(\d{2}))? ?(am|pm|a\.m\.|p\.m\.)?,? )?` +
	`(?:\b(` + monthAlt + `)\.? ?(\d{1,2})(?:st|nd|rd|th)?,? ?((?:19|20|21)\d{2})\b|` +
	`\b(\d{1,2}) (` + monthAlt + `)\.?,? ((?:19|20|21)\d{2})\b)` +
	`(?:(?:,? (?:at )?| ?[-–] ?)(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?(am|pm|a\.m\.|p\.m\.))?)?`)

const monthAlt = `january|february|march|april|may|june|july|august|september|october|november|december|` +
	`jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`

var monthNames = map[string]time.Month{
	"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April,
	"may": time.May, "jun": time.June, "jul": time.July, "aug": time.August,
	"sep": time.September, "oct": time.October, "nov": time.November, "dec": time.December,
}

// dateSpan is one date expression found in a text: its byte range in the
// normalized text and its value.
type dateSpan struct {
	start, end int
	t          time.Time
	hasTime    bool // a clock time was given, not only the day
	labeled    bool // findDateSpans: a label (입력, 수정, 송고, 12면 …) named it
}

// parseDate returns the first date/time expression in s, in KST
// (article.KST): "2023.11.21 09:30", "2023-11-21 10:00:01",
// "2023.06.14. 오전 9:44", "2023년 04월 07일 18시 36분", "2026/09/22 19:19 송고",
// "2023.04.07 (08:26)", "[ 2018-08-25 15:24 ]", "2018. 05. 16. 16:23",
// "15:34 April 19, 2023", "2011-06-29". A date without a time is midnight.
// An impossible expression ("2023.13.45", "2023.11.21 25:00") is skipped,
// not repaired; false means s holds no valid one.
func parseDate(s string) (time.Time, bool) {
	s = normalizeSpace(s)
	var found dateSpan
	ok := false
	scanDates(s, func(d dateSpan) bool {
		found, ok = d, true
		return false
	})
	return found.t, ok
}

// scanDates calls fn for every valid date expression of the normalized text
// s in order of position, until fn returns false. It looks for years (four
// digits from 1900 to 2199 standing alone) with a byte loop and runs the
// regexps only there, so a long page text costs little and parseDate
// stops at the first date.
func scanDates(s string, fn func(dateSpan) bool) {
	if len(s) < 8 {
		return
	}
	pos := 0 // end of the last date reported
	for i := 0; i+4 <= len(s); i++ {
		c := s[i]
		if c != '1' && c != '2' {
			continue
		}
		if i > 0 && isDigit(s[i-1]) || !isDigit(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) ||
			i+4 < len(s) && isDigit(s[i+4]) {
			continue
		}
		if y := s[i : i+2]; y != "19" && y != "20" && y != "21" {
			continue
		}
		if i < pos {
			continue
		}
		d, ok := dateAt(s, i)
		if !ok || d.start < pos {
			continue
		}
		if !fn(d) {
			return
		}
		pos = d.end
		i = d.end - 1
	}
}

// mayNumDate reports whether numDateRe could match s, which starts with a
// year's four digits: only when a separator (".", "-", "/" or 년), maybe
// after one space, follows them. Many years in a page's text are not
// dates ("Copyright 2024", "2024 시즌", "(2024)"), and starting the
// regexp's machine costs more than this.
func mayNumDate(s string) bool {
	j := 4
	if j < len(s) && s[j] == ' ' {
		j++
	}
	if j >= len(s) {
		return false
	}
	switch s[j] {
	case '.', '-', '/':
		return true
	}
	return strings.HasPrefix(s[j:], "년")
}

// dateAt reads the date whose year starts at s[i].
func dateAt(s string, i int) (dateSpan, bool) {
	end := min(len(s), i+100)
	if mayNumDate(s[i:end]) {
		if m := numDateRe.FindStringSubmatchIndex(s[i:end]); m != nil {
			shift(m, i)
			if d, ok := numDate(s, m); ok {
				return zoneAfter(s, d), true
			}
		}
	}
	// English dates put the month, the day and maybe a time before the
	// year: "15:34 April 19, 2023", "19 April 2023".
	if i < 5 || (s[i-1] != ' ' && s[i-1] != ',') || !hasASCIILetter(s[max(0, i-12):i]) {
		return dateSpan{}, false
	}
	start := max(0, i-48)
	for start < i && !utf8.RuneStart(s[start]) {
		start++
	}
	for _, m := range engDateRe.FindAllStringSubmatchIndex(s[start:end], -1) {
		shift(m, start)
		if m[14] == i || m[20] == i { // the year group of either order
			d, ok := engDate(s, m)
			if ok {
				d = zoneAfter(s, d)
			}
			return d, ok
		}
	}
	return dateSpan{}, false
}

// zoneRe matches the zone written right after a visible time: an ISO
// offset ("Z", "+00:00", "-0500") joined to it, or a zone name, maybe with
// an offset ("UTC", "(GMT)", "GMT+9", "UTC+09:00", "KST").
var zoneRe = lazy.NewRegexp(`^(?:(Z)|([+-])(\d{2}):?(\d{2})|[ (]?(UTC|GMT|KST|JST)(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\)?)(?:$|[^A-Za-z0-9])`)

// zoneAfter reads the zone written after d's time and moves d to it; a
// visible time with no zone is KST, as parsed.
func zoneAfter(s string, d dateSpan) dateSpan {
	if !d.hasTime || d.end >= len(s) {
		return d
	}
	rest := s[d.end:min(len(s), d.end+16)]
	m := zoneRe.FindStringSubmatch(rest)
	if m == nil {
		return d
	}
	off := 0
	switch {
	case m[1] != "":
	case m[2] != "":
		off = atoi(m[3])*3600 + atoi(m[4])*60
		if m[2] == "-" {
			off = -off
		}
	default:
		if m[5] == "KST" || m[5] == "JST" {
			off = 9 * 3600
		}
		if m[6] != "" {
			off = atoi(m[7])*3600 + atoiOr(m[8], 0)*60
			if m[6] == "-" {
				off = -off
			}
		}
	}
	if !realOffset(off) {
		return d // not a zone: "-0001" after a time is no place's offset
	}
	t := d.t
	z := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone("", off))
	d.t = z.In(zoneFor(off))
	return d
}

func shift(m []int, by int) {
	for k := range m {
		if m[k] >= 0 {
			m[k] += by
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func numDate(s string, m []int) (dateSpan, bool) {
	g := func(k int) string {
		if m[2*k] < 0 {
			return ""
		}
		return s[m[2*k]:m[2*k+1]]
	}
	y, mo, d := atoi(g(1)), atoi(g(2)), atoi(g(3))
	h, mi, sec := 0, 0, 0
	if g(5) != "" {
		h = atoi(g(5))
		switch {
		case g(6) != "":
			mi, sec = atoi(g(6)), atoiOr(g(7), 0)
		case g(8) != "":
			mi, sec = atoi(g(8)), atoiOr(g(9), 0)
		}
		var ok bool
		if h, ok = applyMeridiem(h, g(4), g(10)); !ok {
			return dateSpan{}, false
		}
	}
	t, ok := makeKST(y, mo, d, h, mi, sec)
	return dateSpan{start: m[0], end: m[1], t: t, hasTime: g(5) != ""}, ok
}

func engDate(s string, m []int) (dateSpan, bool) {
	g := func(k int) string {
		if m[2*k] < 0 {
			return ""
		}
		return s[m[2*k]:m[2*k+1]]
	}
	var mon, day, year string
	if g(5) != "" {
		mon, day, year = g(5), g(6), g(7)
	} else {
		day, mon, year = g(8), g(9), g(10)
	}
	if len(mon) < 3 {
		return dateSpan{}, false
	}
	mo, ok := monthNames[strings.ToLower(mon[:3])]
	if !ok {
		return dateSpan{}, false
	}
	h, mi, sec, ap := 0, 0, 0, ""
	switch {
	case g(1) != "":
		h, mi, sec, ap = atoi(g(1)), atoi(g(2)), atoiOr(g(3), 0), g(4)
	case g(11) != "":
		h, mi, sec, ap = atoi(g(11)), atoi(g(12)), atoiOr(g(13), 0), g(14)
	}
	if h, ok = applyMeridiem(h, ap, ""); !ok {
		return dateSpan{}, false
	}
	t, ok := makeKST(atoi(year), int(mo), atoi(day), h, mi, sec)
	return dateSpan{start: m[0], end: m[1], t: t, hasTime: g(1) != "" || g(11) != ""}, ok
}

// applyMeridiem turns a 12-hour clock reading into 24-hour: 오후 3 → 15,
// 오전 12 → 0. An hour already past 12 is kept as written.
func applyMeridiem(h int, before, after string) (int, bool) {
	ap := before
	if ap == "" {
		ap = after
	}
	switch strings.ToLower(ap) {
	case "오후", "pm", "p.m.":
		if h > 12 && h < 24 {
			return h, true
		}
		if h < 1 || h > 12 {
			return 0, false
		}
		if h < 12 {
			h += 12
		}
	case "오전", "am", "a.m.":
		if h > 12 {
			return 0, false
		}
		if h == 12 {
			h = 0
		}
	}
	return h, true
}

// makeKST builds a KST time, rejecting fields out of range instead of
// letting time.Date normalize them.
func makeKST(y, mo, d, h, mi, s int) (time.Time, bool) {
	if y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) ||
		h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, 0, article.KST), true
}

func daysIn(y, mo int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// isoRe matches ISO-8601-like machine times: "2023-04-07T08:26:22+09:00",
// "2023-04-05T02:52:50.165Z", "2025-05-15T20:00:52.000+0900",
// "2023-04-07 08:26:22", "20180516162312", "2011-06-29".
var isoRe = lazy.NewRegexp(`^((?:19|20|21)\d{2})(-?)(\d{2})(?:-?)(\d{2})` +
	`(?:[Tt ]?(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,12}))?)?)?` +
	` ?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$`)

// rfcZones are the zone abbreviations accepted in RFC 1123/822 values; any
// other abbreviation is refused rather than guessed.
var rfcZones = map[string]int{
	"GMT": 0, "UT": 0, "UTC": 0, "Z": 0,
	"KST": 9 * 3600, "JST": 9 * 3600,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
}

var rfcLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04 -0700",
	"Mon Jan 2 15:04:05 -0700 2006",
}

// parseMachineTime parses a time from JSON-LD, meta tags and data
// attributes. A value with a non-zero offset keeps it ("+09:00" is returned
// in article.KST); "Z", a zero offset and values without an offset are
// returned in article.KST (offset-less values are read as KST). Accepted:
// RFC 3339 with or without fractional seconds, offsets "+09:00", "+0900",
// "+09", offset-less "2023-04-07 08:26:22" and "2023-04-07T08:26:22",
// compact "20180516162312" / "201805161623" / "20180516", RFC 1123/822
// with a numeric or well-known zone, Unix seconds/milliseconds, and as a
// last resort the visible forms parseDate reads.
func parseMachineTime(s string) (time.Time, bool) {
	s = normalizeSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if len(s) > 64 {
		return parseDate(s)
	}
	if m := isoRe.FindStringSubmatch(s); m != nil {
		return isoTime(m)
	}
	if allDigits(s) && (len(s) == 10 || len(s) == 13) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err == nil {
			var t time.Time
			if len(s) == 13 {
				t = time.UnixMilli(n)
			} else {
				t = time.Unix(n, 0)
			}
			t = t.In(article.KST)
			if y := t.Year(); y >= 1990 && y < 2200 {
				return t, true
			}
		}
		return time.Time{}, false
	}
	t, ok, refused := parseRFC(s)
	if ok || refused {
		return t, ok
	}
	return parseDate(s)
}

func isoTime(m []string) (time.Time, bool) {
	y, mo, d := atoi(m[1]), atoi(m[3]), atoi(m[4])
	h, mi, sec := atoiOr(m[5], 0), atoiOr(m[6], 0), atoiOr(m[7], 0)
	if sec == 60 { // leap second: clamp rather than reject
		sec = 59
	}
	t, ok := makeKST(y, mo, d, h, mi, sec)
	if !ok {
		return time.Time{}, false
	}
	if frac := m[8]; frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		ns := atoi(frac)
		for i := len(frac); i < 9; i++ {
			ns *= 10
		}
		t = t.Add(time.Duration(ns))
	}
	switch {
	case m[9] != "": // Z
		z := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		return z.In(article.KST), true
	case m[10] != "":
		oh, om := atoi(m[11]), atoiOr(m[12], 0)
		if oh > 18 || om > 59 {
			return time.Time{}, false
		}
		off := oh*3600 + om*60
		if m[10] == "-" {
			off = -off
		}
		z := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone("", off))
		return z.In(zoneFor(off)), true
	}
	return t, true
}

// zoneFor returns the location a time with the given offset is shown in:
// article.KST for +09:00 and for zero (UTC values of Korean pages are shown
// in Korean time), otherwise a fixed zone without a name.
func zoneFor(off int) *time.Location {
	if off == 9*3600 || off == 0 || !realOffset(off) {
		return article.KST
	}
	return time.FixedZone("", off)
}

// realOffset reports whether off (seconds east of UTC) is one a place
// uses: within ±14 hours, in quarter hours (+05:45, +09:30).
func realOffset(off int) bool {
	return off >= -14*3600 && off <= 14*3600 && off%(15*60) == 0
}

// parseRFC parses RFC 1123/822 forms. refused reports a value with a zone
// abbreviation it does not know, which must not be guessed at.
func parseRFC(s string) (t time.Time, ok, refused bool) {
	if len(s) < 15 || !hasASCIILetter(s) {
		return time.Time{}, false, false
	}
	// Replace a trailing zone abbreviation by its numeric offset, so that
	// the result never depends on the machine's local zone.
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		if off, ok := rfcZones[strings.ToUpper(s[i+1:])]; ok {
			sign := byte('+')
			if off < 0 {
				sign, off = '-', -off
			}
			s = s[:i+1] + string(sign) + twoDigits(off/3600) + twoDigits(off%3600/60)
		} else if zoneAbbrevRe.MatchString(s) {
			return time.Time{}, false, true
		}
	}
	for _, layout := range rfcLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if y := t.Year(); y < 1900 || y > 2199 {
			return time.Time{}, false, true
		}
		_, off := t.Zone()
		return t.In(zoneFor(off)), true, false
	}
	return time.Time{}, false, false
}

// zoneAbbrevRe matches a clock time followed by a zone abbreviation.
var zoneAbbrevRe = lazy.NewRegexp(`\d:\d{2}(?::\d{2})? [A-Za-z]{1,5}$`)

// Label words of visible datelines. A date directly preceded by one of them
// (after separators such as ":", "[", "(") takes its meaning.
var (
	updatedLabels = []string{"최종수정", "최종 수정", "수정", "업데이트", "갱신", "updated", "modified", "last updated"}
	publishLabels = []string{"기사입력", "최초입력", "입력", "등록", "작성", "송고", "게재", "발행",
		"승인", "출고", "전송", "published", "posted", "first published"}
	// labelTails may sit between a label and its date: "송고시간", "입력시간",
	// "게재 일자", "등록일시", "Posted on".
	labelTails = []string{"시간", "일시", "일자", "시각", "날짜", "일", " on", " at", " date", " time"}
)

// findDates reads a visible dateline text such as
// "입력 2025.05.15 20:00 수정 2025.05.15 20:57 4면" or
// "기사입력 2023-04-04 19:01 l 최종수정 2023-04-04 19:56". A date preceded
// by 입력/기사입력/최초입력/등록/작성/송고(시간)/게재/발행/승인/Published/
// Posted is the publication time, one preceded by 수정/최종수정/업데이트/
// Updated the last modification; the first of each kind wins. A date
// followed by 송고 ("2026/09/22 19:19 송고", Yonhap) is published too. A
// text holding a single date and no label gives that date as published.
// Absent times are zero.
//
// text may be a whole page's text: the registration dates of page footers
// ("등록일 : 2012년 11월 06일", "등록(발행)일자 : 2009.11.30") are not
// taken, and unlabeled dates count only when there is one.
func findDates(text string) (published, updated time.Time) {
	pub, upd := findDateSpans(text)
	return pub.t, upd.t
}

// findDateSpans is findDates keeping whether each date gave a clock time.
func findDateSpans(text string) (published, updated dateSpan) {
	return findDateSpansFolded(normalizeSpace(text))
}

// findDateSpansFolded is findDateSpans on a text whose white space is
// already folded (normalizeSpace or appendFolded).
func findDateSpansFolded(s string) (published, updated dateSpan) {
	var unlabeled, press dateSpan
	dates := 0
	prevEnd := 0
	// updBefore: the updated date took a 수정 written between it and the
	// next date ("A 수정 B"), which may be B's label instead.
	updBefore := false
	scanDates(s, func(d dateSpan) bool {
		dates++
		kind := dateLabel(s[prevEnd:d.start])
		if kind < 0 && d.hasTime {
			kind = 1 // "등록일 2023.04.07 08:26" is an article's, not a footer's
		}
		consumed := 0
		if kind == 0 {
			kind, consumed = labelAfter(s[d.end:], d.hasTime)
			if kind == 2 && updated.t.IsZero() {
				next := strings.TrimLeft(s[d.end+consumed:], " ")
				updBefore = next != "" && next[0] >= '0' && next[0] <= '9'
			}
		}
		if kind == 0 && !d.hasTime && press.t.IsZero() && pressBeforeRe.MatchString(s[max(prevEnd, d.start-40):d.start]) {
			// An archive's issue line ("[조선일보] 2011-03-05", "한겨레
			// 2011년 03월 05일 (토)"): the print date when nothing is
			// labeled, and never enough to overrule a structured time.
			press = d
			kind = 3
		}
		d.labeled = kind == 1 || kind == 2
		switch {
		case kind == 1 && published.t.IsZero():
			published = d
		case kind == 2 && updated.t.IsZero():
			updated = d
		case kind == 0 && unlabeled.t.IsZero():
			unlabeled = d
		case kind < 0:
			dates-- // a footer's registration date is nobody's article date
		}
		prevEnd = d.end + consumed // a label after this date is not the next one's
		return true
	})
	if published.t.IsZero() && !press.t.IsZero() {
		return press, updated
	}
	if published.t.IsZero() && dates == 1 {
		published = unlabeled
	}
	if published.t.IsZero() && !unlabeled.t.IsZero() && !updated.t.IsZero() && !updated.t.Equal(unlabeled.t) {
		switch {
		case unlabeled.end <= updated.start && updated.start-unlabeled.end <= 24 && updated.t.After(unlabeled.t):
			// "2024.12.03 10:21 (수정 2024.12.03 11:05)": a date with no
			// label right before the labeled update, and earlier, is the
			// publication's.
			published = unlabeled
		case updBefore && updated.end <= unlabeled.start && unlabeled.start-updated.end <= 24 && unlabeled.t.After(updated.t):
			// "2024.12.03 10:21 수정 2024.12.03 11:05" with nothing
			// labeled as published: 수정 labels the later date.
			published, updated = updated, unlabeled
			published.labeled, updated.labeled = false, true
		}
	}
	return published, updated
}

// labelAfter reads a label written after its date, as some outlets do
// ("2026/09/22 19:19 송고", "2024.01.31 08:26 입력 | 2024.02.01 09:10
// 수정"): the kind (1 published, 2 updated, 0 none) and how many bytes of
// after the label takes. Only a date with a time takes one, and only a
// whole word ("2024년 1월 31일 수정된 법안" is prose): 송고 is Yonhap's own and
// safe either way.
func labelAfter(after string, hasTime bool) (kind, consumed int) {
	t := strings.TrimLeft(after, " )]）")
	skip := len(after) - len(t)
	// A newspaper's page or issue right after a date makes it the print
	// date: "[조선일보] 2011-03-05 A12면", "2011년 03월 05일 (토) 제21234호".
	if m := printMarkRe.FindString(t); m != "" {
		return 1, skip + len(m)
	}
	for _, l := range afterLabels {
		rest, ok := strings.CutPrefix(t, l.word)
		if !ok || (!hasTime && l.word != "송고") {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(rest); rest != "" && !strings.ContainsRune(" |/)]）,·:", r) {
			continue // "수정된", "입력한": a word, not a label
		}
		return l.kind, skip + len(l.word)
	}
	return 0, 0
}

// pressBeforeRe matches a newspaper's name right before a day-only date:
// bracketed ("[조선일보] ", "【한겨레】"), or a name ending as papers' do.
var pressBeforeRe = lazy.NewRegexp(`(?:[\[【〔][^\]】〕\d]{2,12}[\]】〕]|[가-힣]{0,8}(?:일보|신문|한겨레|타임스|헤럴드)) ?$`)

// printMarkRe matches a newspaper page ("A12면", "27면", "12 면") or issue
// number ("제21234호", "제 21,234 호") as a whole word.
var printMarkRe = lazy.NewRegexp(`^(?:[A-Z]{0,2}\d{1,3} ?면|제 ?[\d,]{1,9} ?호)(?:$|[ |/,·)\]])`)

var afterLabels = []struct {
	word string
	kind int
}{{"송고", 1}, {"최종수정", 2}, {"수정", 2}, {"업데이트", 2}, {"기사입력", 1}, {"입력", 1}, {"등록", 1}, {"작성", 1}}

// footerLabels name the dates of a newspaper's registration in page
// footers ("등록일 : 2012년 11월 06일", "[ 등록년월일 : 2012년 11월 06일 ]");
// such a date counts only when it gives a time.
var footerLabels = []string{"등록일", "등록일자", "등록년월일", "등록연월일", "발행일", "발행일자", "발행년월일",
	"등록(발행)일자", "창간", "창간일", "생년월일"}

// dateLabel reports what the text right before a date says of it: 1
// published, 2 updated, 0 nothing, -1 a date that is not the article's.
func dateLabel(before string) int {
	b := strings.TrimRight(before, " :：[(（<〈|-=")
	if b == "" {
		return 0
	}
	if len(b) > 48 { // labels are short; look at the end only
		i := len(b) - 48
		for i < len(b) && !utf8.RuneStart(b[i]) {
			i++
		}
		b = b[i:]
	}
	for _, l := range footerLabels {
		if strings.HasSuffix(b, l) {
			return -1
		}
	}
	b = strings.ToLower(b)
	tail := ""
	for _, t := range labelTails {
		if strings.HasSuffix(b, t) {
			tail = t
			b = strings.TrimRight(b[:len(b)-len(t)], " :：")
			break
		}
	}
	for _, l := range updatedLabels {
		if strings.HasSuffix(b, l) {
			return 2
		}
	}
	for _, l := range publishLabels {
		if strings.HasSuffix(b, l) {
			if (tail == "일" || tail == "일자") && (l == "등록" || l == "발행") {
				return -1
			}
			return 1
		}
	}
	return 0
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		if n > 1e8 {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func atoiOr(s string, def int) int {
	if s == "" {
		return def
	}
	return atoi(s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// hasDigitRun reports whether s holds n consecutive ASCII digits.
func hasDigitRun(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func hasASCIILetter(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10%10), byte('0' + n%10)})
}

// appendFolded appends s to dst with every run of white space (ASCII, NBSP,
// U+3000, the U+2000 spaces and zero-width characters) folded into one
// ASCII space, continuing the run dst ends with. It is normalizeSpace for
// texts built piece by piece, working on bytes.
func appendFolded(dst []byte, s string) []byte {
	space := len(dst) > 0 && dst[len(dst)-1] == ' '
	for i := 0; i < len(s); {
		c := s[i]
		n := 0 // bytes of a white-space character at i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			n = 1
		case c == 0xC2 && i+1 < len(s) && (s[i+1] == 0xA0 || s[i+1] == 0x85):
			n = 2
		case c == 0xE3 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x80:
			n = 3
		case c == 0xE2 && i+2 < len(s) && (s[i+1] == 0x80 && (s[i+2] <= 0x8D || s[i+2] == 0xA8 || s[i+2] == 0xA9 || s[i+2] == 0xAF) ||
			s[i+1] == 0x81 && (s[i+2] == 0x9F || s[i+2] == 0xA0)):
			n = 3
		case c == 0xEF && i+2 < len(s) && s[i+1] == 0xBB && s[i+2] == 0xBF:
			n = 3
		}
		if n > 0 {
			space = true
			i += n
			continue
		}
		if space && len(dst) > 0 && dst[len(dst)-1] != ' ' {
			dst = append(dst, ' ')
		}
		space = false
		// Copy the run up to the next byte that may start white space.
		j := i + 1
		for j < len(s) && !maySpace(s[j]) {
			j++
		}
		dst = append(dst, s[i:j]...)
		i = j
	}
	if space && len(dst) > 0 && dst[len(dst)-1] != ' ' {
		dst = append(dst, ' ')
	}
	return dst
}

// maySpace reports whether c may start a white-space character that
// appendFolded folds.
func maySpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', 0xC2, 0xE2, 0xE3, 0xEF:
		return true
	}
	return false
}
