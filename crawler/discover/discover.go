// Package discover turns discovery documents (RSS and Atom feeds, sitemaps,
// HTML list pages, date-archive templates, Naver Search API answers) into
// candidate article URLs.
//
// Everything here is a pure function of its arguments: no network, no files,
// no clock. The crawler fetches the documents and decides what to follow.
// Every URL returned is absolute http(s), resolved against the document's
// own URL, without a fragment, and valid UTF-8; titles are plain text (tags
// and entities removed) and valid UTF-8; times are in article.KST, and a
// time a document states without a zone is read as KST.
package discover

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/gisa-news/gisa/internal/lazy"
)

// Link is a candidate URL found by discovery.
type Link struct {
	URL       string    // absolute http(s), resolved against the document's URL
	Title     string    // plain text; "" when the source gives none
	Published time.Time // zero when the source gives no date
	// Modified says that Published is a modification time (a sitemap's
	// <lastmod>, an Atom entry's <updated>), not the page's publication
	// (a feed item's pubDate or published, a sitemap's
	// news:publication_date).
	Modified bool
}

// parseBase parses the URL a document was fetched from. An empty base is
// allowed (relative links are then dropped); anything else must be an
// absolute http(s) URL.
func parseBase(base string) (*url.URL, error) {
	if base == "" {
		return nil, nil
	}
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil {
		return nil, fmt.Errorf("base URL: %w", err)
	}
	if !isHTTP(u) {
		return nil, fmt.Errorf("base URL %q is not absolute http(s)", base)
	}
	return u, nil
}

func isHTTP(u *url.URL) bool {
	if u == nil || u.Host == "" || u.Hostname() == "" {
		return false
	}
	s := strings.ToLower(u.Scheme)
	return s == "http" || s == "https"
}

// resolve turns a reference found in a document into an absolute http(s)
// URL string, or reports false. Whitespace around the reference, tabs and
// newlines inside it (as browsers drop them) and the fragment are removed;
// spaces, controls and invalid UTF-8 bytes are percent-encoded.
func resolve(base *url.URL, ref string) (string, bool) {
	ref = cleanRef(ref)
	if ref == "" || ref[0] == '#' {
		return "", false
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", false
	}
	if !u.IsAbs() {
		if base == nil {
			return "", false
		}
		u = base.ResolveReference(u)
	}
	if !isHTTP(u) {
		return "", false
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Fragment, u.RawFragment = "", ""
	if u.Host != strings.ToLower(u.Host) {
		u.Host = strings.ToLower(u.Host)
	}
	if u.Opaque != "" {
		// "http:foo" style: not a hierarchical URL.
		return "", false
	}
	s := u.String()
	if !utf8.ValidString(s) || strings.ContainsAny(s, " \t\r\n") {
		return "", false
	}
	return s, true
}

// cleanRef trims a raw href the way browsers do and escapes what url.Parse
// refuses or what would make the result invalid UTF-8.
func cleanRef(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r < 0x20
	})
	if s == "" {
		return ""
	}
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || c >= 0x80 || c == '"' || c == '<' || c == '>' || c == '\\' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	inPath := true
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\\' && inPath:
			// Browsers read a backslash before the query as a slash.
			b.WriteByte('/')
			i++
		case c == '\\':
			b.WriteString("%5C")
			i++
		case c == '?' || c == '#':
			inPath = false
			b.WriteByte(c)
			i++
		case c <= ' ' || c == 0x7f || c == '"' || c == '<' || c == '>':
			fmt.Fprintf(&b, "%%%02X", c)
			i++
		case c < 0x80:
			b.WriteByte(c)
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n <= 1 {
				fmt.Fprintf(&b, "%%%02X", c)
				i++
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
		}
	}
	return b.String()
}

var (
	// tagRe matches HTML tags only: a Korean "<단독>" in a headline stays.
	tagRe    = lazy.NewRegexp(`</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>`)
	entityRe = lazy.NewRegexp(`&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});`)
)

// cleanText makes a plain-text title: valid UTF-8, HTML tags removed,
// entities decoded (twice when a feed encoded them twice), control and
// zero-width characters dropped, white space collapsed.
func cleanText(s string) string {
	if isTidy(s) && strings.IndexByte(s, '<') < 0 && strings.IndexByte(s, '&') < 0 {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	for range 2 {
		s = stripTags(s)
		if strings.IndexByte(s, '&') < 0 || !entityRe.MatchString(s) {
			break
		}
		s = html.UnescapeString(s)
	}
	s = stripTags(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00ad':
			return -1
		case unicode.IsSpace(r) || unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.ToValidUTF8(s, "\uFFFD")
}

// inlineTags are removed without a trace ("<b>반도체</b>가" is one word);
// other tags (br, p, div, …) become a space.
var inlineTags = map[string]bool{"a": true, "abbr": true, "b": true, "em": true, "font": true, "i": true,
	"mark": true, "s": true, "small": true, "span": true, "strong": true, "sub": true, "sup": true, "u": true}

func stripTags(s string) string {
	if strings.IndexByte(s, '<') < 0 {
		return s
	}
	return tagRe.ReplaceAllStringFunc(s, func(tag string) string {
		name := strings.TrimPrefix(tag[1:], "/")
		if i := strings.IndexAny(name, " \t\r\n/>"); i >= 0 {
			name = name[:i]
		}
		if inlineTags[strings.ToLower(name)] {
			return ""
		}
		return " "
	})
}

// isTidy reports whether s is already valid UTF-8 with single ASCII spaces
// between words and nothing cleanText or normalizeDate would change.
func isTidy(s string) bool {
	prevSpace := true // no leading space
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case c < ' ' || c == 0x7f:
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
		prevSpace = false
		i += n
	}
	return !prevSpace || s == ""
}

// dedupe keeps the first Link for each URL, filling in a title or date that
// only a later duplicate has.
func dedupe(links []Link) []Link {
	if len(links) < 2 {
		return links
	}
	seen := make(map[string]int, len(links))
	out := links[:0]
	for _, l := range links {
		if i, ok := seen[l.URL]; ok {
			if out[i].Title == "" {
				out[i].Title = l.Title
			}
			if out[i].Published.IsZero() {
				out[i].Published, out[i].Modified = l.Published, l.Modified
			}
			continue
		}
		seen[l.URL] = len(out)
		out = append(out, l)
	}
	return out
}
