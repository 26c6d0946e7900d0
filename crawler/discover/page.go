package discover

import (
	"bytes"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/gisa-news/gisa/parser"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxNext is how many pagination links Page returns at most.
const maxNext = 3

// maxPageJump bounds how far ahead a link is taken as the list's next page
// on its URL alone (no rel, no "다음", no page-number text).
const maxPageJump = 20

// Page reads an HTML list page (a section, "latest" or date-archive page)
// fetched from base (required) with the given Content-Type.
//
// links are the <a href> targets that accept approves (accept gets the
// absolute URL; nil accepts every http(s) link), deduplicated, with the
// anchor text (else its title or image alt) as Title. When the list shows
// a date beside a link (in the list item that holds that link and no
// other: a <time datetime>, or text like 2024-01-31 09:00, 2024.01.31 or
// 2024년 1월 31일) it becomes Published, and dated links come first, newest
// first, the undated after them in document order; otherwise the order is
// the document's.
//
// next are at most three links to the following pages of the same list, on
// the same host, nearest page first: rel="next"; anchors reading "다음",
// "다음 페이지", "next", "›", "»", ">" (also as title, aria-label, image alt,
// or a class naming "next"); anchors whose text is a page number greater
// than the current one; and URLs that differ from base only in a page-like
// query parameter (page, pg, p, pageNo, pageIndex, cpage, nPage, page_no,
// …; extra parameters such as ND-Soft's total= allowed) or a /page/N path
// segment, with a larger number. The current page is base's own page
// number, else 1. Links that accept approves are never pagination.
func Page(body []byte, contentType, base string, accept func(url string) bool) (links []Link, next []string, err error) {
	bu, err := parseBase(base)
	if err != nil {
		return nil, nil, fmt.Errorf("page %s: %w", base, err)
	}
	if bu == nil {
		return nil, nil, fmt.Errorf("page: base URL required")
	}
	text, _, err := parser.Decode(body, contentType)
	if err != nil {
		return nil, nil, fmt.Errorf("page %s: %w", base, err)
	}
	root, err := html.Parse(bytes.NewReader(text))
	if err != nil {
		return nil, nil, fmt.Errorf("page %s: parse HTML: %w", base, err)
	}
	w := pageWalker{base: bu, accept: accept}
	w.findBase(root)
	w.walk(root, -1)
	links = w.articleLinks()
	next = w.nextPages()
	return links, next, nil
}

// pnode is an element in document order.
type pnode struct {
	n      *html.Node
	parent int
	// mark is the accepted URL (index into urls) that is the only one in
	// the subtree, -1 for none, -2 for several.
	mark int
}

// anchor is an <a> or <link> with an http(s) href.
type anchor struct {
	node     int
	url      string
	text     string // visible text
	label    string // title, aria-label, or image alt
	rel      string
	class    string
	accepted int // index into urls; -1 when not accepted
}

type pageWalker struct {
	base    *url.URL
	docBase *url.URL // <base href>, else base
	accept  func(string) bool
	nodes   []pnode
	anchors []anchor
	urls    []string
	urlIdx  map[string]int
}

// findBase honours <base href> in the head.
func (w *pageWalker) findBase(root *html.Node) {
	w.docBase = w.base
	var find func(n *html.Node, depth int) bool
	find = func(n *html.Node, depth int) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Base {
			if u, ok := resolve(w.base, attr(n, "href")); ok {
				if p, err := url.Parse(u); err == nil {
					w.docBase = p
				}
			}
			return true
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body || depth > 3 {
			return false
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if find(c, depth+1) {
				return true
			}
		}
		return false
	}
	find(root, 0)
}

func (w *pageWalker) walk(n *html.Node, parent int) {
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template:
			return
		}
		idx := len(w.nodes)
		w.nodes = append(w.nodes, pnode{n: n, parent: parent, mark: -1})
		if (n.DataAtom == atom.A || n.DataAtom == atom.Area || n.DataAtom == atom.Link) && hasAttr(n, "href") {
			w.addAnchor(n, idx)
		}
		parent = idx
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, parent)
	}
}

func (w *pageWalker) addAnchor(n *html.Node, idx int) {
	u, ok := resolve(w.docBase, attr(n, "href"))
	if !ok {
		return
	}
	a := anchor{node: idx, url: u, rel: strings.ToLower(attr(n, "rel")), class: strings.ToLower(attr(n, "class")), accepted: -1}
	if n.DataAtom == atom.Link {
		if !hasToken(a.rel, "next") {
			return
		}
		w.anchors = append(w.anchors, a)
		return
	}
	a.text = cleanText(nodeText(n, 2000))
	a.label = cleanText(attr(n, "title"))
	if a.label == "" {
		a.label = cleanText(attr(n, "aria-label"))
	}
	if a.label == "" {
		a.label = cleanText(imageAlt(n))
	}
	if w.accept == nil || w.accept(u) {
		if w.urlIdx == nil {
			w.urlIdx = make(map[string]int)
		}
		k, ok := w.urlIdx[u]
		if !ok {
			k = len(w.urls)
			w.urls = append(w.urls, u)
			w.urlIdx[u] = k
		}
		a.accepted = k
		// Mark the ancestors: each knows whether one accepted URL, or
		// several, lie below it.
		for j := idx; j >= 0; j = w.nodes[j].parent {
			switch w.nodes[j].mark {
			case -1:
				w.nodes[j].mark = k
				continue
			case k:
			default:
				for ; j >= 0 && w.nodes[j].mark != -2; j = w.nodes[j].parent {
					w.nodes[j].mark = -2
				}
			}
			break
		}
	}
	w.anchors = append(w.anchors, a)
}

// articleLinks returns the accepted links, dated ones first. A link's
// title is its first anchor text; an image's alt or a title attribute
// only when no anchor to that URL has text.
func (w *pageWalker) articleLinks() []Link {
	links := make([]Link, 0, len(w.urls))
	fromText := make([]bool, 0, len(w.urls))
	// Look for a date beside the first few anchors of each URL only: a page
	// of thousands of anchors to one URL must not cost thousands of looks.
	looked := make([]int8, len(w.urls))
	for _, a := range w.anchors {
		if a.accepted < 0 {
			continue
		}
		if a.accepted == len(links) {
			links = append(links, Link{URL: a.url, Title: a.label})
			fromText = append(fromText, false)
		}
		l := &links[a.accepted]
		if a.text != "" && !fromText[a.accepted] {
			l.Title, fromText[a.accepted] = a.text, true
		}
		if l.Published.IsZero() && looked[a.accepted] < 3 {
			looked[a.accepted]++
			l.Published = w.dateBeside(a)
		}
	}
	sort.SliceStable(links, func(i, j int) bool {
		ti, tj := links[i].Published, links[j].Published
		if ti.IsZero() || tj.IsZero() {
			return !ti.IsZero() && tj.IsZero()
		}
		return ti.After(tj)
	})
	return links
}

// dateBeside finds a date in the list item that holds the anchor: the
// largest ancestor (up to a few levels) with no other accepted URL in it.
func (w *pageWalker) dateBeside(a anchor) time.Time {
	k := a.accepted
	c := a.node
	for steps := 0; steps < 6; steps++ {
		p := w.nodes[c].parent
		if p < 0 || w.nodes[p].mark != k {
			break
		}
		switch w.nodes[p].n.DataAtom {
		case atom.Body, atom.Html, atom.Main:
			steps = 6
			continue
		}
		c = p
	}
	n := w.nodes[c].n
	if t, ok := timeElement(n); ok {
		return t
	}
	return findDate(nodeText(n, 1000))
}

// timeElement reads the first <time datetime> in n.
func timeElement(n *html.Node) (time.Time, bool) {
	if n.Type == html.ElementNode && n.DataAtom == atom.Time {
		if t, ok := parseDate(attr(n, "datetime")); ok {
			return t, true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if t, ok := timeElement(c); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

var (
	textDateRe = lazy.NewRegexp(`((?:19|20)\d{2})\s*([-./])\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?` +
		`(?:\s*(?:\(\S\)\s*)?(?:(오전|오후)\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?)?`)
	textKoreanDateRe = lazy.NewRegexp(`((?:19|20)\d{2})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일` +
		`(?:\s*(?:\(\S\)\s*)?(?:(오전|오후)\s*)?(\d{1,2})\s*[:시]\s*(\d{1,2}))?`)
)

// findDate returns the first date in a list item's text, or zero.
func findDate(s string) time.Time {
	if m := textDateRe.FindStringSubmatch(s); m != nil {
		if t, ok := buildDate(m[1], m[3], m[4], m[5], m[6], m[7], m[8], "", ""); ok {
			return t
		}
	}
	if m := textKoreanDateRe.FindStringSubmatch(s); m != nil {
		if t, ok := buildDate(m[1], m[2], m[3], m[4], m[5], m[6], "", "", ""); ok {
			return t
		}
	}
	return time.Time{}
}

// nextWords are anchor texts (lower case, spaces collapsed) that lead to the
// next page or block of pages.
var nextWords = map[string]bool{
	"다음": true, "다음 페이지": true, "다음페이지": true, "다음 목록": true, "다음목록": true, "다음 page": true,
	"다음 ›": true, "다음 >": true, "다음 »": true, "다음 ▶": true, "다음▶": true, "다음 >>": true,
	"next": true, "next page": true, "next ›": true, "next >": true, "next »": true, "next>": true,
	"›": true, "»": true, ">": true, ">>": true, "≫": true, "▶": true, "▷": true, "〉": true, "→": true,
}

// notNext are anchor texts that never lead forward.
var notNext = []string{"이전", "prev", "처음", "맨앞", "first", "마지막", "끝", "맨끝", "맨뒤", "last", "«", "‹", "<"}

// candidate is a pagination link.
type candidate struct {
	url   string
	page  int // its page number, 0 when unknown
	rank  int // 0 rel=next, 1 "다음", 2 number or URL form
	order int
}

func (w *pageWalker) nextPages() []string {
	cur, _ := pageNumber(w.base)
	if cur < 1 {
		cur = 1
	}
	baseURL := w.base.String()
	var cands []candidate
	for i, a := range w.anchors {
		if a.accepted >= 0 && w.accept != nil || a.url == baseURL {
			continue
		}
		cu, err := url.Parse(a.url)
		if err != nil || !sameHost(cu, w.base) {
			continue
		}
		page, _ := pageNumber(cu)
		sameList := w.sameList(cu)
		if !sameList {
			page = 0
		}
		word := strings.ToLower(a.text)
		if word == "" {
			word = strings.ToLower(a.label)
		}
		c := candidate{url: a.url, page: page, rank: -1, order: i}
		switch {
		case hasToken(a.rel, "next"):
			c.rank = 0
		case hasToken(a.rel, "prev") || hasToken(a.rel, "previous") || isNotNext(word):
			continue
		case nextWords[word] || nextWords[strings.ToLower(a.label)] || classSaysNext(a.class):
			c.rank = 1
		case isPageNumber(word):
			// A page number: the URL must carry it, as this list's page
			// parameter when it has one (not another section's page 2).
			n, _ := strconv.Atoi(word)
			if n <= cur || !containsNumber(a.url, word) {
				continue
			}
			if p, ok := pageNumber(cu); ok && (!sameList || p != n) {
				continue
			}
			c.page = n
			c.rank = 2
		case sameList && page > cur && page <= cur+maxPageJump:
			// The URL alone says "page": only near pages, since a bare
			// p= is also WordPress's post id.
			c.rank = 2
		default:
			continue
		}
		if c.page != 0 && c.page <= cur {
			continue
		}
		cands = append(cands, c)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		pi, pj := cands[i].page, cands[j].page
		if pi == 0 {
			pi = int(^uint(0) >> 1)
		}
		if pj == 0 {
			pj = int(^uint(0) >> 1)
		}
		if pi != pj {
			return pi < pj
		}
		if cands[i].rank != cands[j].rank {
			return cands[i].rank < cands[j].rank
		}
		return cands[i].order < cands[j].order
	})
	var next []string
	seen := map[string]bool{}
	for _, c := range cands {
		if seen[c.url] {
			continue
		}
		seen[c.url] = true
		next = append(next, c.url)
		if len(next) == maxNext {
			break
		}
	}
	return next
}

func isNotNext(word string) bool {
	for _, w := range notNext {
		if word == w || strings.HasPrefix(word, w) && w != "<" {
			return true
		}
	}
	return false
}

func classSaysNext(class string) bool {
	for _, c := range strings.Fields(class) {
		if strings.Contains(c, "next") && !strings.Contains(c, "last") && !strings.Contains(c, "end") {
			return true
		}
	}
	return false
}

func isPageNumber(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[0] != '0'
}

// containsNumber reports whether num appears in u as a whole digit run.
func containsNumber(u, num string) bool {
	for i := 0; ; {
		j := strings.Index(u[i:], num)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(num)
		if (j == 0 || !isDigit(u[j-1])) && (end == len(u) || !isDigit(u[end])) {
			return true
		}
		i = j + 1
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// pageParams are the query parameters (lower case) that number the pages of
// a list, in the order they are looked for.
var pageParams = []string{"page", "pg", "p", "pageno", "page_no", "pageindex", "page_index", "cpage", "npage",
	"curpage", "currpage", "currentpage", "pagenum", "pagenumber", "page_num", "pn", "gotopage"}

func isPageParam(name string) bool {
	name = strings.ToLower(name)
	for _, p := range pageParams {
		if name == p {
			return true
		}
	}
	return false
}

// pageNumber reads a URL's page number from a page-like query parameter or
// a /page/N path segment.
func pageNumber(u *url.URL) (int, bool) {
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys) // "Page" before "page": the same answer every time
	for _, p := range pageParams {
		for _, k := range keys {
			if strings.ToLower(k) != p {
				continue
			}
			if n, err := strconv.Atoi(strings.TrimSpace(q[k][0])); err == nil && n > 0 && n < 1e6 {
				return n, true
			}
		}
	}
	if m := pagePathRe.FindStringSubmatch(u.EscapedPath()); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			return n, true
		}
	}
	return 0, false
}

var pagePathRe = lazy.NewRegexp(`(?i)/page/(\d{1,6})(?:/|$)`)

// sameList reports whether u is base with another page number: the same
// path once a /page/N segment is removed, and every non-page query
// parameter of base present in u with the same value (u may add more;
// empty values count as absent).
func (w *pageWalker) sameList(u *url.URL) bool {
	if !strings.EqualFold(strings.TrimSuffix(stripPagePath(u.EscapedPath()), "/"),
		strings.TrimSuffix(stripPagePath(w.base.EscapedPath()), "/")) {
		return false
	}
	bq, uq := w.base.Query(), u.Query()
	for k, vs := range bq {
		if isPageParam(k) || len(vs) == 0 || vs[0] == "" {
			continue
		}
		if uq.Get(k) != vs[0] {
			return false
		}
	}
	n, ok := pageNumber(u)
	return ok && n > 0
}

func stripPagePath(p string) string {
	return pagePathRe.ReplaceAllString(p, "/")
}

// sameHost compares hosts ignoring case and a leading "www.".
func sameHost(a, b *url.URL) bool {
	ha := strings.TrimPrefix(strings.ToLower(a.Hostname()), "www.")
	hb := strings.TrimPrefix(strings.ToLower(b.Hostname()), "www.")
	return ha == hb
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if f == tok {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}

// imageAlt is the alt text of the first image inside n.
func imageAlt(n *html.Node) string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.Img {
			if alt := attr(c, "alt"); alt != "" {
				return alt
			}
		}
		if alt := imageAlt(c); alt != "" {
			return alt
		}
	}
	return ""
}

// nodeText is the text under n (scripts and styles skipped), cut after
// about max bytes. Block elements and the spans list items put dates in
// are separated by a space; inline markup such as <b> is not.
func nodeText(n *html.Node, max int) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if b.Len() >= max {
			return
		}
		sep := false
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			case atom.Br, atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dd, atom.Dt, atom.Td, atom.Th,
				atom.Tr, atom.Table, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Section,
				atom.Article, atom.Header, atom.Footer, atom.Span, atom.Em, atom.Time, atom.Img:
				sep = true
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if sep {
			b.WriteByte(' ')
		}
	}
	walk(n)
	return b.String()
}
