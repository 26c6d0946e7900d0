package discover

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
)

// maxArchiveDays bounds the span ArchiveURLs expands: a hundred years.
const maxArchiveDays = 36600

// ArchiveURLs expands date-archive URL templates (a profile's archives:)
// for every KST day from since to until inclusive, newest day first, the
// templates in the given order within a day. The placeholders are {yyyy},
// {mm} and {dd} (zero-padded) and {page}, which becomes 1. A template that
// names only a year or month yields one URL for it: duplicates are dropped,
// the first (newest) kept. An unknown or unclosed placeholder, a template
// that is not an absolute http(s) URL, a zero time, or since after until is
// an error.
func ArchiveURLs(templates []string, since, until time.Time) ([]string, error) {
	if since.IsZero() || until.IsZero() {
		return nil, fmt.Errorf("archive URLs: since and until must be set")
	}
	first, last := kstDay(since), kstDay(until)
	if first.After(last) {
		return nil, fmt.Errorf("archive URLs: since %s is after until %s", first.Format(time.DateOnly), last.Format(time.DateOnly))
	}
	days := int(last.Sub(first).Hours()/24) + 1
	if days > maxArchiveDays {
		return nil, fmt.Errorf("archive URLs: %d days from %s to %s, more than %d", days,
			first.Format(time.DateOnly), last.Format(time.DateOnly), maxArchiveDays)
	}
	parsed := make([][]part, len(templates))
	for i, t := range templates {
		p, err := parseTemplate(t)
		if err != nil {
			return nil, err
		}
		parsed[i] = p
	}
	var out []string
	seen := make(map[string]bool)
	for day := last; !day.Before(first); day = day.AddDate(0, 0, -1) {
		for _, p := range parsed {
			u := expand(p, day)
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out, nil
}

// kstDay is midnight KST of t's KST date.
func kstDay(t time.Time) time.Time {
	y, m, d := t.In(article.KST).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, article.KST)
}

// part is a literal (ph == "") or a placeholder of a template.
type part struct {
	lit string
	ph  string
}

var placeholders = map[string]bool{"yyyy": true, "mm": true, "dd": true, "page": true}

func parseTemplate(t string) ([]part, error) {
	var parts []part
	rest := t
	for rest != "" {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			parts = append(parts, part{lit: rest})
			break
		}
		if rest[i] == '}' {
			return nil, fmt.Errorf("archive template %q: unmatched }", t)
		}
		if i > 0 {
			parts = append(parts, part{lit: rest[:i]})
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("archive template %q: unclosed {", t)
		}
		name := rest[i+1 : i+j]
		if !placeholders[name] {
			return nil, fmt.Errorf("archive template %q: unknown placeholder {%s} (known: {yyyy} {mm} {dd} {page})", t, name)
		}
		parts = append(parts, part{ph: name})
		rest = rest[i+j+1:]
	}
	// Check the URL with a sample date.
	u, err := url.Parse(expand(parts, time.Date(2024, 1, 31, 0, 0, 0, 0, article.KST)))
	if err != nil || !isHTTP(u) {
		return nil, fmt.Errorf("archive template %q: not an absolute http(s) URL", t)
	}
	return parts, nil
}

func expand(parts []part, day time.Time) string {
	var b strings.Builder
	for _, p := range parts {
		switch p.ph {
		case "":
			b.WriteString(p.lit)
		case "yyyy":
			fmt.Fprintf(&b, "%04d", day.Year())
		case "mm":
			fmt.Fprintf(&b, "%02d", int(day.Month()))
		case "dd":
			fmt.Fprintf(&b, "%02d", day.Day())
		case "page":
			b.WriteString("1")
		}
	}
	return b.String()
}

// Dates in sitemap URLs: a day (2024-01-31, 2024/01/31, 2024_01_31,
// 20240131), a month (2024-01, 2024/01, 202401) or a year as a whole path
// segment (/2024, /2024.xml), each between non-digits.
var (
	urlDayRe     = lazy.NewRegexp(`(?:^|[^0-9])((?:19|20|21)\d{2})[-_./]?(0[1-9]|1[0-2])[-_./]?(0[1-9]|[12]\d|3[01])(?:[^0-9]|$)`)
	urlMonthRe   = lazy.NewRegexp(`(?:^|[^0-9])((?:19|20|21)\d{2})[-_./]?(0[1-9]|1[0-2])(?:[^0-9]|$)`)
	urlYearSegRe = lazy.NewRegexp(`/((?:19|20|21)\d{2})(?:\.[A-Za-z]{2,5})?(?:/|$)`)
)

// SitemapInRange judges from a child sitemap's URL (…/sitemap-2024-01-31.xml,
// …/2024/01/…, ?date=20240131, ?year=2024&month=01&day=31, /daily-articles/2024)
// or, failing that, its lastmod whether it may list pages of days in
// [since, until] (KST days; a zero bound is open). known reports whether a
// date was found to judge by; when it is false, in is true: the crawler
// should read a sitemap it cannot judge. A lastmod can only rule a sitemap
// out (nothing in it is newer than its last change), never in.
func SitemapInRange(l Link, since, until time.Time) (in bool, known bool) {
	var lo, hi time.Time // open bounds as zero
	if !since.IsZero() {
		lo = kstDay(since)
	}
	if !until.IsZero() {
		hi = kstDay(until)
	}
	if start, end, ok := urlPeriod(l.URL); ok {
		// The period [start, end) overlaps [lo, hi+1day).
		in = (lo.IsZero() || end.After(lo)) && (hi.IsZero() || !start.After(hi))
		return in, true
	}
	if !l.Published.IsZero() && !lo.IsZero() && kstDay(l.Published).Before(lo) {
		return false, true
	}
	return true, false
}

// urlPeriod finds the day, month or year a URL names: [start, end) in KST.
func urlPeriod(raw string) (start, end time.Time, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	q := u.Query()
	if y, m, d := q.Get("year"), q.Get("month"), q.Get("day"); y != "" && m != "" {
		if t, ok := dateOf(y, m, orOne(d)); ok {
			if d == "" {
				return t, t.AddDate(0, 1, 0), true
			}
			return t, t.AddDate(0, 0, 1), true
		}
	}
	// Host names hold no dates; path and query do.
	s := u.EscapedPath() + "?" + u.RawQuery
	if m := urlDayRe.FindStringSubmatch(s); m != nil {
		if t, ok := dateOf(m[1], m[2], m[3]); ok {
			return t, t.AddDate(0, 0, 1), true
		}
	}
	if m := urlMonthRe.FindStringSubmatch(s); m != nil {
		if t, ok := dateOf(m[1], m[2], "1"); ok {
			return t, t.AddDate(0, 1, 0), true
		}
	}
	if m := urlYearSegRe.FindStringSubmatch(u.EscapedPath()); m != nil {
		if t, ok := dateOf(m[1], "1", "1"); ok {
			return t, t.AddDate(1, 0, 0), true
		}
	}
	return time.Time{}, time.Time{}, false
}

func orOne(s string) string {
	if s == "" {
		return "1"
	}
	return s
}

func dateOf(ys, ms, ds string) (time.Time, bool) {
	y, err1 := strconv.Atoi(ys)
	m, err2 := strconv.Atoi(ms)
	d, err3 := strconv.Atoi(ds)
	if err1 != nil || err2 != nil || err3 != nil || !plausibleYear(y) || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, article.KST)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}
