package parser

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
)

// selNodes returns the nodes of the first selector that matches any.
func (pg *page) selNodes(sels []selector) []*html.Node {
	for _, s := range sels {
		if ns := pg.selectAll(s); len(ns) > 0 {
			return ns
		}
	}
	return nil
}

// selValues returns the values (text, or the attribute named by
// "selector@attr") of the first selector that yields a non-empty one,
// narrowed by the profile's match expression for field.
func (pg *page) selValues(field string, sels []selector) []string {
	var re *regexp.Regexp
	if pg.prof != nil {
		re = pg.prof.code().match[field]
	}
	for _, s := range sels {
		var vals []string
		for _, n := range pg.selectAll(s) {
			v := ""
			if s.attr != "" {
				v = unescapeText(attr(n, s.attr))
			} else {
				v = textOf(n)
			}
			if v != "" {
				v = narrow(re, v)
			}
			if v != "" {
				vals = append(vals, v)
			}
		}
		if len(vals) > 0 {
			return vals
		}
	}
	return nil
}

// narrow applies a profile's match expression to a selected value: the
// first group, or the whole match, trimmed; "" when it does not match. A nil
// expression keeps v.
func narrow(re *regexp.Regexp, v string) string {
	if re == nil {
		return v
	}
	m := re.FindStringSubmatch(v)
	switch {
	case m == nil:
		return ""
	case len(m) > 1:
		return strings.TrimSpace(m[1])
	}
	return strings.TrimSpace(m[0])
}

// selText returns the first value of sels, "" when none matches.
func (pg *page) selText(field string, sels []selector) string {
	if vs := pg.selValues(field, sels); len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// selLines returns the paragraphs of the first matching element joined by
// newlines (multi-line subtitles).
func (pg *page) selLines(field string, sels []selector) string {
	for _, s := range sels {
		if s.attr != "" || pg.prof != nil && pg.prof.code().match[field] != nil {
			if v := pg.selText(field, []selector{s}); v != "" {
				return v
			}
			continue
		}
		if ns := pg.selectAll(s); len(ns) > 0 {
			if ps := paragraphs(ns[0], nil); len(ps) > 0 {
				return strings.Join(ps, "\n")
			}
		}
	}
	return ""
}

// dropSet returns the nodes the profile drops from the body.
func (pg *page) dropSet(scopes []*html.Node) map[*html.Node]bool {
	if pg.prof == nil || len(pg.prof.code().sel.drop) == 0 {
		return nil
	}
	set := map[*html.Node]bool{}
	in := pg.doc.FindNodes(scopes...)
	for _, s := range pg.prof.code().sel.drop {
		for _, n := range in.FindMatcher(s.sel).Nodes {
			set[n] = true
		}
	}
	return set
}

// reportersFromNode reads reporters from a byline element: its text, and
// e-mail addresses in mailto links.
// match, when not nil, narrows the text first (see Extract.Match).
func reportersFromNode(n *html.Node, match *regexp.Regexp) []article.Reporter {
	text := narrow(match, textOf(n))
	if text == "" {
		return nil
	}
	rs := parseReporters(text)
	var mails []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			h := attr(n, "href")
			if strings.HasPrefix(strings.ToLower(h), "mailto:") {
				mails = append(mails, strings.TrimSpace(h[len("mailto:"):]))
			} else if u, err := url.Parse(h); err == nil {
				// Reporter pages often carry the address as a parameter.
				if e := u.Query().Get("email"); strings.Contains(e, "@") {
					mails = append(mails, e)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	for i := range rs {
		if rs[i].Email == "" && i < len(mails) && len(mails) == len(rs) {
			rs[i].Email = mails[i]
		}
	}
	return rs
}

// mergeReporters appends the reporters of b not already in a (by name; an
// entry with the same name fills in a missing email or role).
func mergeReporters(a, b []article.Reporter) []article.Reporter {
next:
	for _, r := range b {
		for i := range a {
			if a[i].Name == r.Name {
				if a[i].Email == "" {
					a[i].Email = r.Email
				}
				if a[i].Role == "" {
					a[i].Role = r.Role
				}
				continue next
			}
		}
		a = append(a, r)
	}
	return a
}

// linksIn returns the links inside n (n itself when it is a link).
func linksIn(n *html.Node) []relLink {
	var out []relLink
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			if h := attr(n, "href"); h != "" {
				t := anchorTitle(n)
				if t == "" {
					t = normalizeSpace(attr(n, "title"))
				}
				out = append(out, relLink{Title: t, URL: h})
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// anchorTitle is the headline a link shows: its text, each element's text
// apart from the next ("<strong>제목</strong><span>2024.12.02</span>" is
// not "제목2024.12.02"), without the date, time or count set beside it,
// nor the summary sentence under it.
func anchorTitle(a *html.Node) string {
	if c := a.FirstChild; c != nil && c.NextSibling == nil && c.Type == html.TextNode {
		return normalizeSpace(c.Data) // most links: one text
	}
	var pieces []string
	var cur strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				cur.WriteString(c.Data)
			case html.ElementNode:
				if skipElement(c) {
					continue
				}
				if c.DataAtom == atom.Br || c.FirstChild == nil {
					cur.WriteByte(' ')
					continue
				}
				if t := normalizeSpace(cur.String()); t != "" {
					pieces = append(pieces, t)
				}
				cur.Reset()
				walk(c)
				if t := normalizeSpace(cur.String()); t != "" {
					pieces = append(pieces, t)
				}
				cur.Reset()
			}
		}
	}
	walk(a)
	if t := normalizeSpace(cur.String()); t != "" {
		pieces = append(pieces, t)
	}
	if len(pieces) <= 1 {
		return strings.Join(pieces, "")
	}
	kept := pieces[:0:0]
	headline := false
	for _, p := range pieces {
		switch {
		case linkStampRe.MatchString(p):
			continue // "2024.12.02", "3시간 전", "14:05", "댓글 3"
		case headline && endsSentence(p) && utf8.RuneCountInString(p) >= 20:
			continue // the summary under the headline
		}
		kept = append(kept, p)
		if utf8.RuneCountInString(p) >= 8 {
			headline = true
		}
	}
	if len(kept) == 0 || len(kept) == len(pieces) {
		// Nothing to drop: the link's text as written ("삼성<b>전자</b>"
		// stays one word).
		return textOf(a)
	}
	return strings.Join(kept, " ")
}

// linkStampRe is a piece of a link that dates or counts it: a date, a
// time, a relative time, a view or comment count.
var linkStampRe = lazy.NewRegexp(`^(?:[\[(]?(?:19|20)\d{2}[.\-/]\d{1,2}[.\-/]\d{1,2}\.?(?: ?\d{1,2}:\d{2}(?::\d{2})?)?[\])]?|\d{1,2}:\d{2}|\d{1,2}[.\-/]\d{1,2}\.?|\d+ ?(?:초|분|시간|일|주|개월|달|년) ?전|(?:댓글|조회|추천|공감)(?:수)? ?:? ?[\d,]+|[\d,]+)$`)

// inCaption reports whether n sits inside a figure caption.
func inCaption(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.DataAtom == atom.Figcaption {
			return true
		}
	}
	return false
}

// headlinesAfter finds a list of headlines placed right after the article
// body (the way Pressian ends its articles): among the next few elements
// after the body (or after its parent), one that is mostly links, with at
// least three links whose text reads like a headline.
func headlinesAfter(body *html.Node) (*html.Node, []relLink) {
	for n, hops := body, 0; n != nil && hops < 2; n, hops = n.Parent, hops+1 {
		seen := 0
		for sib := n.NextSibling; sib != nil && seen < 3; sib = sib.NextSibling {
			if sib.Type != html.ElementNode || skipElement(sib) {
				continue
			}
			text := textOf(sib)
			if text == "" {
				continue
			}
			seen++
			links := linksIn(sib)
			var good []relLink
			linkText := 0
			for _, l := range links {
				linkText += len(l.Title)
				if utf8.RuneCountInString(l.Title) >= 8 {
					good = append(good, l)
				}
			}
			if len(good) >= 3 && len(links) <= 30 && linkText*10 >= len(text)*7 {
				return sib, good
			}
		}
	}
	return nil, nil
}

// siteURL is the URL that names the page's site: its own, else its <base
// href> (a page read from a file); nil when it has neither.
func (pg *page) siteURL() *url.URL {
	for _, u := range []*url.URL{pg.base, pg.ref} {
		if u != nil && u.Host != "" {
			return u
		}
	}
	return nil
}

// articleLinks keeps the links that look like other articles of the same
// site: same registrable domain, and an article URL of the outlet's profile
// or, without one, a path with an article-like ID or slug. Used for related
// links found by layout rather than named by a profile.
func (pg *page) articleLinks(in []relLink) []relLink {
	var out []relLink
	for _, l := range in {
		u, err := url.Parse(pg.resolve(l.URL))
		if err != nil || u.Host == "" {
			continue
		}
		if site := pg.siteURL(); site != nil && siteDomain(u.Hostname()) != siteDomain(site.Hostname()) {
			continue
		}
		if pg.prof != nil && len(pg.prof.code().patterns) > 0 {
			if pg.prof.IsArticleURL(u.String()) {
				out = append(out, l)
			}
			continue
		}
		if articleLikePath.MatchString(u.Path + "?" + u.RawQuery) {
			out = append(out, l)
		}
	}
	return out
}

// articleLikePath: a run of five or more digits (article numbers, dates),
// a slug of four or more words, a date path ("/2023/04/05/") or a long
// upper-case story ID (Arc's "RNGKBEZYJJBWVLQZFEK4M6FMZQ").
var articleLikePath = lazy.NewRegexp(`\d{5,}|[a-z0-9]+(?:-[a-z0-9]+){3,}|/(?:19|20)\d{2}/[01]?\d/[0-3]?\d/|/[A-Z0-9]{16,}(?:/|$|\?)`)

// siteDomain approximates the registrable domain of a host: its last two
// labels, three under second-level registries such as .co.kr.
func siteDomain(host string) string {
	labels := strings.Split(strings.TrimSuffix(strings.ToLower(host), "."), ".")
	n := 2
	if len(labels) >= 3 {
		switch labels[len(labels)-2] {
		case "co", "or", "ne", "go", "ac", "re", "pe", "com", "net", "org", "gov", "edu":
			n = 3
		}
	}
	if len(labels) < n {
		return host
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

func contains(anc, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == anc {
			return true
		}
	}
	return false
}

// cleanRelated resolves, de-duplicates and filters related links: no link
// to the article itself, none without a title, none that is not http(s).
func (pg *page) cleanRelated(in []relLink, a *article.Article) []article.Link {
	seen := map[string]bool{}
	self := map[string]bool{}
	for _, u := range []string{a.URL, a.CanonicalURL} {
		if u != "" {
			self[linkKey(u)] = true
		}
	}
	var out []article.Link
	for _, l := range in {
		u := stripTracking(pg.resolve(l.URL))
		t := normalizeSpace(strings.TrimLeft(normalizeSpace(l.Title), "▲▶·-•◆■ "))
		if u == "" || t == "" {
			continue
		}
		k := linkKey(u)
		if seen[k] || self[k] {
			continue
		}
		seen[k] = true
		out = append(out, article.Link{Title: t, URL: u})
	}
	return out
}

// trackingParams are query parameters that only say where a click came
// from; article identifiers (ncd, news_id, no, idxno, arcid, …) are kept.
var trackingParams = map[string]bool{
	"ref": true, "fbclid": true, "gclid": true, "cds": true, "plink": true, "cooper": true,
	"influxdiv": true, "outurl": true, "mc": true, "rc": true, "from": true, "_fr": true,
}

// stripTracking removes utm_* and other tracking parameters from a URL.
func stripTracking(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return raw
	}
	q := u.Query()
	changed := false
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			q.Del(k)
			changed = true
		}
	}
	if !changed {
		return raw
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func linkKey(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return strings.TrimSuffix(u, "/")
}

// findCopyright returns the page's copyright notice when the body held none.
func (pg *page) findCopyright() string {
	found := ""
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.TextNode {
			t := n.Data
			if len(t) < 400 && (strings.Contains(t, "ⓒ") || strings.Contains(t, "©") || strings.Contains(t, "Copyright") || strings.Contains(t, "저작권")) {
				p := normalizeSpace(t)
				if classifyLine(p) == lineCopyright {
					if c := copyrightText(p); len([]rune(c)) > len("Copyright") {
						found = c
					}
				}
			}
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(pg.root)
	return found
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:10])
}
