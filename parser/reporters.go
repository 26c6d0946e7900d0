package parser

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
)

// The byline-element layer: reporters named outside the body text, in an
// element whose class or id names a byline role (".byline", ".reporter",
// ".writer", ".author", ".journalist", ".name" …), as Korean outlets print
// them under the headline ("홍길동 기자 hong@…") or in a box after the
// article. The candidates are gathered by the page's single walk
// (page.collect); which of them belong to the article is decided once the
// body is known.

// srcBylineEl is the layer name of reporters read from such elements.
const srcBylineEl = "byline-element"

// maxBylineEls caps the candidates one page keeps.
const maxBylineEls = 48

// bylineEl is a candidate byline element: strong when its class or id
// names the role itself (byline, reporter, writer, author, journalist),
// weak when it only says "name" or "editor" (then its text must hold a
// role or an address to count).
type bylineEl struct {
	node   *html.Node
	strong bool
}

// Class and id words, lower case, matched as substrings.
var (
	bylineStrongWords = []string{"byline", "reporter", "journalist", "writer", "author", "kija", "gija", "wrt_"}
	bylineWeakWords   = []string{"name", "editor"}
	// Comment and reaction areas name their own writers; share and
	// subscribe widgets name nobody.
	// subscribe widgets name nobody; lists of the reporter's other or
	// popular articles hold headlines.
	bylineExcludeWords = []string{"comment", "cmt", "reply", "replies", "review", "share", "sns", "subscribe", "like", "logo",
		"more", "other", "relat", "recommend", "popular", "rank", "best"}
)

// bylineClass classifies an element by its class and id: 0 not a byline
// candidate, 1 weak, 2 strong.
func bylineClass(n *html.Node) int8 {
	// Class and id values, lower-cased once; most elements have one or two.
	var buf [4]string
	vals := buf[:0]
	for _, a := range n.Attr {
		if (a.Key == "class" || a.Key == "id") && a.Val != "" {
			vals = append(vals, lowerASCII(a.Val))
		}
	}
	// Strong anywhere makes it strong, else weak anywhere weak; an
	// excluded word anywhere makes it none, so it is only looked for when
	// there is a role word (most elements have none).
	var kind int8
	for _, v := range vals {
		for _, w := range bylineStrongWords {
			if strings.Contains(v, w) {
				kind = 2
			}
		}
		if kind == 0 {
			for _, w := range bylineWeakWords {
				if strings.Contains(v, w) {
					kind = 1
				}
			}
		}
	}
	if kind == 0 {
		return 0
	}
	for _, v := range vals {
		for _, w := range bylineExcludeWords {
			if strings.Contains(v, w) {
				return 0
			}
		}
	}
	return kind
}

// lowerASCII lowers the ASCII letters of s, returning s itself (no
// allocation) when it has none in upper case, as class names mostly do.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return asciiLower(s)
		}
	}
	return s
}

// smallText reports whether the text under n is at most max bytes, reading
// no further than that.
func smallText(n *html.Node, max int) bool {
	size := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.TextNode {
			size += len(n.Data)
			return size <= max
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	return walk(n)
}

// maxTitleEls caps the headline-class elements one page keeps.
const maxTitleEls = 16

// titleClass reports an element whose class or id names a headline:
// "tit" (title, view_tit, art_tit), "headline", "subject", or a class that
// is a heading's name ("h1", "h2", "h3").
func titleClass(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" || a.Val == "" {
			continue
		}
		v := a.Val
		if lv := lowerASCII(v); strings.Contains(lv, "tit") || strings.Contains(lv, "headline") || strings.Contains(lv, "subject") {
			return true
		}
		// A class that is a heading's name: "h1", "h2", "h3".
		for i := 0; i+1 < len(v); i++ {
			if (v[i] == 'h' || v[i] == 'H') && v[i+1] >= '1' && v[i+1] <= '3' &&
				(i == 0 || v[i-1] == ' ') && (i+2 == len(v) || v[i+2] == ' ') {
				return true
			}
		}
	}
	return false
}

// outsideArticle reports an element whose subtree is page furniture, never
// an article's byline: navigation, side columns, forms.
func outsideArticle(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Form, atom.Select, atom.Button:
		return true
	}
	return false
}

// elementReporters reads the reporters of the byline elements that belong
// to the article: inside the smallest element holding both the headline
// and the body, or within two levels above the body (a byline box right
// after it). Names without a role or an address count only in a strong
// element, and only when they look like a full name.
func (pg *page) elementReporters(title string, body *html.Node) []article.Reporter {
	if len(pg.bylineEls) == 0 {
		return nil
	}
	var regions []*html.Node
	head := pg.headlineNode(title)
	if body != nil {
		regions = append(regions, ancestorUpTo(body, 2))
		if head != nil {
			regions = append(regions, commonAncestor(head, body))
		}
	} else if head != nil {
		regions = append(regions, ancestorUpTo(head, 2))
	}
	if len(regions) == 0 {
		return nil
	}
	var out []article.Reporter
	for _, c := range pg.bylineEls {
		if !insideAny(c.node, regions) || inCaption(c.node) || !smallText(c.node, 600) {
			continue
		}
		text := textOf(c.node)
		if text == "" || utf8.RuneCountInString(text) > 120 {
			continue // empty, or a container: a profile card, a list
		}
		for _, r := range reportersFromNode(c.node, nil) {
			if r.Name == "" {
				continue
			}
			if pg.isOutletName(r.Name) {
				continue
			}
			if r.Role == "" && r.Email == "" && (!c.strong || !fullName(r.Name) || !onlyByline(text)) {
				continue
			}
			out = mergeReporters(out, []article.Reporter{r})
		}
		if len(out) >= 8 {
			break
		}
	}
	return out
}

// onlyByline reports a text made of byline words alone: names, roles,
// addresses, credits, outlets, places — no other word. A name with no
// role counts only in such a text ("박서연", "By Max Lee"), never in a
// headline ("경기도 내달 여주에 …").
func onlyByline(text string) bool {
	text = normalizeSpace(text)
	if utf8.RuneCountInString(text) > 50 {
		return false
	}
	sc := scanByline(text, true)
	for _, t := range sc.toks {
		switch t.kind {
		case tkName:
			if !t.used {
				return false
			}
		case tkWord, tkTitle:
			return false
		}
	}
	return len(sc.reps) > 0
}

// fullName reports a name that stands on its own without a role: three or
// more Hangul syllables ("박서연"; "정치", "사회" are not), or an English
// name of two or more words.
func fullName(s string) bool {
	if isHangulName(s) {
		return utf8.RuneCountInString(s) >= 3 && hasSurname(s)
	}
	return strings.Contains(s, " ")
}

// headlineNode returns the first collected heading whose text is the
// title, or nil.
func (pg *page) headlineNode(title string) *html.Node {
	want := skeleton(title)
	if want == "" {
		return nil
	}
	for _, h := range pg.headings() {
		if h.skel == want {
			return h.node
		}
	}
	// A headline in no heading element (<div>, <strong>): the element
	// whose text reads as the title.
	if pg.root == nil {
		return nil
	}
	// The title's first two letters stand together in any text that reads
	// as it: a quick test before the exact one, as in textReading.
	lead := want
	if _, n := utf8.DecodeRuneInString(want); n < len(want) {
		_, m := utf8.DecodeRuneInString(want[n:])
		lead = want[:n+m]
	}
	reads := func(s string) bool {
		return len(s) >= len(want) && len(s) <= 3*len(want)+200 && strings.Contains(s, lead) && skeleton(s) == want
	}
	if t := findTextNode(pg.root, reads); t != nil {
		return t.Parent
	}
	return nil
}

// ancestorUpTo returns n's ancestor k levels up, stopping below <body>.
func ancestorUpTo(n *html.Node, k int) *html.Node {
	for ; k > 0 && n.Parent != nil && n.Parent.Type == html.ElementNode && n.Parent.DataAtom != atom.Body && n.Parent.DataAtom != atom.Html; k-- {
		n = n.Parent
	}
	return n
}

// commonAncestor returns the smallest element holding both a and b.
func commonAncestor(a, b *html.Node) *html.Node {
	for x := a; x != nil; x = x.Parent {
		if contains(x, b) {
			return x
		}
	}
	return nil
}

func insideAny(n *html.Node, regions []*html.Node) bool {
	for _, r := range regions {
		if r != nil && contains(r, n) {
			return true
		}
	}
	return false
}

// closingReporters reads a closing byline the body extractor left out
// (a line whose address is a link reads as link text): the last
// paragraphs of the body element and the first ones of the three elements
// after it. Only lines that are bylines with a role or an address count.
// It walks only that part of the tree, and only when no other visible
// byline was found.
func closingReporters(body *html.Node, parse bylineParser) []article.Reporter {
	if body == nil {
		return nil
	}
	paras := paragraphs(body, nil)
	paras = paras[max(0, len(paras)-15):]
	n := 0
	for x := body.NextSibling; x != nil && n < 3; x = x.NextSibling {
		if x.Type != html.ElementNode {
			continue
		}
		n++
		paras = append(paras, paragraphsUpTo(x, nil, false, 6)...)
	}
	return lineReporters(paras, parse, false)
}

// bylineParser is parseBylineLine or a page's memo of it (page.bylineLine).
type bylineParser func(string) ([]article.Reporter, bool)

// lineReporters reads the byline lines among lines: the people they name
// with a role or an address, and with labels, also those after an author's
// label ("By Lee Haye-ah", "작성자 : 홍길동"). Labels count only above the
// body: below it, the same lines name the authors of other articles'
// cards and of comments.
func lineReporters(lines []string, parse bylineParser, labels bool) []article.Reporter {
	var out []article.Reporter
	for _, l := range lines {
		rs, ok := parse(l)
		if !ok {
			continue
		}
		labeled := labels && authorLabelRe.MatchString(l)
		for _, r := range rs {
			if r.Name != "" && (r.Role != "" || r.Email != "" || labeled) {
				out = mergeReporters(out, []article.Reporter{r})
			}
		}
	}
	return out
}

// authorLabelRe opens a line that names the author by a label.
var authorLabelRe = lazy.NewRegexp(`^(?:(?i:by|written by|reporters?|writer) ?:? |(?:기자명|작성자|글쓴이|필자|기고자) ?[:：]? ?)`)

// headerLineCut ends the byline part of a header line: a " l " or "|"
// separator ("안진우 기자 l 기사입력 …"), a date label or a date.
var headerLineCut = lazy.NewRegexp(`\s+[lI|ㅣ/]\s+|\s*[|ㅣ]\s*|(?:기사)?입력|최종\s*수정|수정|등록|승인|송고|업데이트|\d{4}\s*[.\-/년]`)

// headerReporters reads the byline lines that stand between the headline
// and the body with no byline class to mark them ("홍길동 기자 입력
// 2024.03.05", "글=김민지 객원기자"). Only lines that are bylines with a role
// or an address count. It reads only the part of the tree between the
// two, and only when no other visible byline was found.
func headerReporters(head, body *html.Node, parse bylineParser) []article.Reporter {
	if head == nil || body == nil || !precedes(head, body) {
		return nil
	}
	var lines []string
	full := func() bool { return len(lines) >= 30 }
	// before adds the text of n's subtree that comes before body.
	var before func(n *html.Node)
	before = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !full(); c = c.NextSibling {
			if contains(c, body) {
				before(c)
				return
			}
			lines = append(lines, paragraphs(c, nil)...)
		}
	}
	lca := commonAncestor(head, body)
	for x := head; x != nil && x != lca && !full(); x = x.Parent {
		for sib := x.NextSibling; sib != nil && !full(); sib = sib.NextSibling {
			if contains(sib, body) {
				before(sib)
				x = lca // done
				break
			}
			lines = append(lines, paragraphs(sib, nil)...)
		}
		if x == lca {
			break
		}
	}
	cut := lines[:0]
	for _, l := range lines {
		if utf8.RuneCountInString(l) > 100 {
			continue
		}
		if loc := headerLineCut.FindStringIndex(l); loc != nil && loc[0] > 0 {
			l = strings.TrimSpace(l[:loc[0]])
		}
		cut = append(cut, l)
	}
	return lineReporters(cut, parse, true)
}

// chooseReporters decides the reporter field when neither a profile nor
// structured data (JSON-LD, app JSON) gave it: the page's visible byline
// (byline elements, else the body's byline lines) wins over meta tags,
// which often hold a desk or the outlet. When the elements and the body
// text name the same people, one list is kept (the body's when it names
// more of them) and filled from the other.
func chooseReporters(elements, text, meta []article.Reporter) ([]article.Reporter, string) {
	switch {
	case len(elements) > 0 && len(text) > len(elements) && namesWithin(elements, text):
		// The header names the first reporters, the body all of them.
		return text, srcByline
	case len(elements) > 0:
		return elements, srcBylineEl
	case len(text) > 0:
		return text, srcByline
	case len(meta) > 0:
		return meta, srcMeta
	}
	return nil, ""
}

// namesWithin reports whether every named reporter of a is in b.
func namesWithin(a, b []article.Reporter) bool {
	for _, r := range a {
		found := false
		for _, t := range b {
			if t.Name == r.Name {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// complete reports a non-empty list whose every reporter has a name, an
// e-mail address and a role.
func complete(rs []article.Reporter) bool {
	for _, r := range rs {
		if r.Name == "" || r.Email == "" || r.Role == "" {
			return false
		}
	}
	return len(rs) > 0
}

// fillReporters completes the chosen reporters' e-mail and role from the
// other sources that name the same person.
func fillReporters(rs []article.Reporter, from ...[]article.Reporter) {
	for i := range rs {
		r := &rs[i]
		for _, list := range from {
			for _, t := range list {
				if t.Name != r.Name || t.Name == "" {
					continue
				}
				if r.Email == "" {
					r.Email = t.Email
				}
				if r.Role == "" {
					r.Role = t.Role
				}
			}
		}
	}
}
