package parser

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gisa-news/gisa/internal/lazy"
)

// Related articles are found from the page's structure, for any outlet:
//
//   - a box headed by a related label (관련기사, 관련 뉴스, 함께 본 기사,
//     이 기사와 함께 …, 기자의 다른 기사, "Related articles"): the smallest
//     element around the label that holds links, or, for a label on its
//     own line inside the article's element, the lines of links after it;
//   - a box whose class or id names it (related, relation, rel_, together,
//     morenews, othernews …);
//   - failing both, headlines standing alone at the end of the body's own
//     element, or a list of headlines placed right after the body.
//
// A site-wide headline strip is not related: a box inside the page's
// header, navigation or footer, one named or headed as a ranking (많이 본,
// 인기, 랭킹, 실시간, popular, most, best, headline), and an unlabeled box
// that links to the page itself. Only links that look like articles of the
// same site are kept (see articleLinks).
//
// The label and box candidates are gathered by the page's single walk
// (page.collect); this file only climbs from them.

// relatedLabel is the whole text of a label heading a related box.
var relatedLabel = lazy.NewRegexp(`^[\[<【〔■□▶▷◆◇●○★☞\s]*(?:` +
	`관련\s*기사|관련\s*뉴스|연관\s*기사|연관\s*뉴스|관련\s*보도|` +
	`함께\s*(?:보면\s*좋은|볼만한|읽으면\s*좋은|본|읽은|많이\s*본)\s*(?:기사|뉴스)|` +
	`이\s*기사와\s*(?:관련된|함께\s*(?:본|읽은|많이\s*본))\s*(?:기사|뉴스)|이\s*기사와\s*함께|` +
	`\S*\s*관련\s*(?:기사|뉴스)|(?:[가-힣]{2,4}\s*)?(?:이\s*)?기자의?\s*(?:다른|최신|최근)\s*(?:기사|뉴스)|` +
	`(?i:related(?:\s+(?:articles?|stories|story|news|content|coverage|posts?|reading))?|more\s+(?:from|on)\s+(?:this|the)\s+(?:topic|reporter|author|writer|story))` +
	`)(?:\s*(?:목록|리스트|보기))?[\]>】〕:：\s]*(?:\(\s*\d+\s*\)|\d+\s*[건개])?\s*(?:더\s*보기|more|\+)?\s*$`)

// labelPiece reports whether t, a piece of a label split over elements,
// holds one of the words isRelatedLabel requires of a whole label: 관련,
// 연관, 함께, 기자 and 다른, 최신 or 최근 (one piece each), related or more.
func labelPiece(t string) bool {
	if containsAny(t, "관련", "연관", "함께", "기자", "다른", "최신", "최근") {
		return true
	}
	l := lowerASCII(t)
	return strings.Contains(l, "related") || strings.Contains(l, "more")
}

// isRelatedLabel is relatedLabel.MatchString, run only on texts holding
// the words some form of the label has (most short texts of a page hold
// none): 관련, 연관 or 함께 (이 기사와 관련된 …, 이 기사와 함께), 기자 with
// 다른, 최신 or 최근 (기자의 다른 기사), else "related" or "more". Texts
// that merely hold 기사 or 뉴스 ("연합뉴스", "기사입력") are no label.
func isRelatedLabel(s string) bool {
	if !containsAny(s, "관련", "연관", "함께") && !(strings.Contains(s, "기자") && containsAny(s, "다른", "최신", "최근")) {
		if l := lowerASCII(s); !strings.Contains(l, "related") && !strings.Contains(l, "more") {
			return false
		}
	}
	return relatedLabel.MatchString(s)
}

// rankingWords in a box's label or first line mark a site-wide list, not
// one related to the article.
var rankingWords = lazy.NewRegexp(`많이\s*본|인기|랭킹|실시간|주요\s*뉴스|헤드라인|(?i:most\s+(?:read|viewed|popular|liked|shared)|popular|trending|top\s+(?:news|stories))`)

// isRanking reports whether s names a ranking list; "함께 많이 본" (read
// together with this article) is not one.
func isRanking(s string) bool {
	if strings.Contains(s, "함께") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "함께 많이 본", "함께 본"), "함께많이본", "함께본")
	}
	return rankingWords.MatchString(s)
}

// relatedNameWords are class/id words (or word prefixes) naming a related
// box; siteWideNameWords name a ranking or headline strip.
var (
	relatedNameWords  = []string{"related", "relation", "relate", "together", "morenews", "othernews", "morearticle", "otherarticle", "rel", "relnews", "relart"}
	siteWideNameWords = []string{"popular", "ranking", "rank", "most", "best", "hot", "trending", "headline", "headlines", "topnews", "toparticle", "breaking", "ticker", "gnb", "lnb"}
)

// relatedName reports whether a class or id value names a related box.
func relatedName(v string) bool {
	if !mayNameRelated(v) {
		return false
	}
	found := false
	genTokens(v, func(tok []byte) {
		t := string(tok)
		for _, w := range relatedNameWords {
			switch {
			case t == w:
				found = true
			case len(w) >= 6 && strings.HasPrefix(t, w):
				// "relatedlist", "relationnews"
				found = true
			case len(w) >= 6 && strings.HasSuffix(t, w):
				// "journalistmorenews", "artrelated"
				found = true
			}
		}
	})
	return found
}

// siteWideName reports whether a class or id value names a ranking or
// headline strip.
func siteWideName(v string) bool {
	found := false
	genTokens(v, func(tok []byte) {
		t := string(tok)
		for _, w := range siteWideNameWords {
			if t == w || len(w) >= 6 && (strings.HasPrefix(t, w) || strings.HasSuffix(t, w)) {
				found = true
			}
		}
	})
	return found
}

// noteRelated records, during the page's single walk, a text node that is
// a related label or an element named as a related box.
func (pg *page) noteRelated(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if len(n.Data) > 240 || n.Parent == nil {
			return
		}
		t := strings.TrimSpace(n.Data)
		if t == "" || len(t) > 120 || !mayLabel(t) || utf8.RuneCountInString(t) > 30 {
			return
		}
		if isRelatedLabel(normalizeSpace(t)) {
			pg.relLabels = append(pg.relLabels, n.Parent)
			return
		}
		// A label split over elements: "기자의 <span>다른기사</span>". Its
		// pieces are short and never links (menus and headlines are), and
		// one of them holds a word every form of the label has (see
		// isRelatedLabel): the walk up starts only from such a piece.
		if utf8.RuneCountInString(t) > 12 || n.Parent.DataAtom == atom.A || n.Parent.Parent != nil && n.Parent.Parent.DataAtom == atom.A ||
			!labelPiece(t) {
			return
		}
		for p, up := n.Parent, 0; p != nil && up < 2 && p.DataAtom != atom.Body; p, up = p.Parent, up+1 {
			if v, ok := shortText(p, 120); ok && utf8.RuneCountInString(v) <= 30 && isRelatedLabel(v) {
				if !slices.Contains(pg.relLabels, p) {
					pg.relLabels = append(pg.relLabels, p)
				}
				return
			}
		}
	case html.ElementNode:
		if n.DataAtom == atom.Img {
			// A label drawn as an image: <img alt="관련기사">.
			if v := normalizeSpace(attr(n, "alt")); v != "" && len(v) <= 90 && isRelatedLabel(v) {
				pg.relLabels = append(pg.relLabels, n)
			}
			return
		}
		for _, a := range n.Attr {
			if (a.Key == "class" || a.Key == "id") && relatedName(a.Val) {
				pg.relBoxes = append(pg.relBoxes, n)
				return
			}
		}
	}
}

// labelText is the text of the element a label was found in, climbing to
// a parent while the text stays short (a label split over two spans:
// "기자의 <span>다른기사</span>").
func labelElement(l *html.Node) *html.Node {
	for p := l.Parent; p != nil && p.DataAtom != atom.Body; p = p.Parent {
		if linkCount(p, 1) > 0 {
			break
		}
		if utf8.RuneCountInString(textOf(p)) > 30 {
			break
		}
		l = p
	}
	return l
}

// linkCount counts the <a href> under n, stopping once it passes max.
func linkCount(n *html.Node, max int) int {
	c := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if c > max {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A && attr(n, "href") != "" {
			c++
			return
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(n)
	return c
}

// relatedFromPage returns the related links the page's structure shows
// around body (the article's container, nil when unknown); lastPara is the
// article's last paragraph, "" when unknown.
func (pg *page) relatedFromPage(body *html.Node, lastPara string) []relLink {
	var out []relLink
	var used []*html.Node
	inUsed := func(n *html.Node) bool {
		for _, u := range used {
			if contains(u, n) || contains(n, u) {
				return true
			}
		}
		return false
	}
	for _, l := range pg.relLabels {
		if pg.siteWide(l, false) {
			continue
		}
		if isRanking(textOf(labelElement(l))) {
			continue
		}
		// Climb to the smallest ancestor that holds links besides the label.
		for anc := l; anc != nil && anc.DataAtom != atom.Body; anc = anc.Parent {
			links := linksIn(anc)
			if len(links) > 40 {
				break
			}
			good := titled(pg.articleLinks(links))
			if len(good) == 0 {
				continue
			}
			if (body == nil || !contains(anc, body)) && !inUsed(anc) && !pg.siteWide(anc, false) {
				out = append(out, good...)
				used = append(used, anc)
			}
			break
		}
	}
	// A label on its own line inside the article's element ("<h2>관련기사
	// </h2><ul>…", "<p><b>관련기사</b></p><p><a>…"): its box is the
	// article's element, so the links are the lines of links after it.
	if len(out) == 0 && body != nil {
		for _, l := range pg.relLabels {
			if !contains(body, l) || pg.siteWide(l, false) || isRanking(textOf(labelElement(l))) {
				continue
			}
			if good := titled(pg.articleLinks(linksAfterLabel(body, l))); len(good) > 0 {
				out = append(out, good...)
			}
		}
	}
	for _, b := range pg.relBoxes {
		if inUsed(b) || body != nil && contains(b, body) || pg.siteWide(b, false) {
			continue
		}
		links := linksIn(b)
		if len(links) > 40 || holdsSiteWide(b) {
			continue
		}
		if good := titled(pg.articleLinks(links)); len(good) > 0 {
			out = append(out, good...)
			used = append(used, b)
		}
	}
	if len(out) == 0 && body != nil {
		if ls := titled(pg.articleLinks(trailingLinks(body, pg.lineKind))); len(ls) >= 2 && !pg.linksSelf(ls) {
			return ls
		}
		// The list may follow the body's element, or, when that element
		// is a wider container (a sub-headline beside the text made it so),
		// the element of the text's last paragraph inside it.
		if hs := pg.headlinesAfter(body); hs != nil {
			return hs
		}
		if from := paragraphElement(body, lastPara); from != nil {
			return pg.headlinesAfter(from)
		}
	}
	return out
}

// linksAfterLabel returns the links of the lines that follow the label l
// inside body, up to the first line that is not a link: l's line must be
// a child of body holding the label alone, each following one links and
// bullets only.
func linksAfterLabel(body, l *html.Node) []relLink {
	line := l
	for line.Parent != nil && line.Parent != body {
		line = line.Parent
	}
	if line == body || line.Parent != body || utf8.RuneCountInString(textOf(line)) > 30 || linkCount(line, 0) > 0 {
		return nil
	}
	var out []relLink
	for s := line.NextSibling; s != nil; s = s.NextSibling {
		var t string
		switch s.Type {
		case html.TextNode:
			t = s.Data
		case html.ElementNode:
			if s.DataAtom == atom.Br || skipElement(s) {
				continue
			}
			t = textOf(s)
		default:
			continue
		}
		t = strings.Trim(normalizeSpace(t), "▶▷·-•☞■□ ")
		if t == "" {
			continue
		}
		if s.Type == html.TextNode {
			break
		}
		links := linksIn(s)
		n := 0
		for _, k := range links {
			n += len(k.Title)
		}
		if len(links) == 0 || n*10 < len(t)*9 {
			break
		}
		out = append(out, links...)
	}
	return out
}

// headlinesAfter is headlinesAfter(from) when the list it finds is the
// article's related links: not site-wide, not titled as another section,
// at least three of the site's articles, all on one site.
func (pg *page) headlinesAfter(from *html.Node) []relLink {
	box, hs := headlinesAfter(from)
	if box == nil || pg.siteWide(box, true) || otherSection(box) {
		return nil
	}
	if hs = pg.articleLinks(hs); len(hs) >= 3 && pg.oneSite(hs) {
		return hs
	}
	return nil
}

// oneSite reports whether the links all lead to one site: an outlet's
// list of its own articles does, a share bar (Facebook, X, LinkedIn …)
// does not. articleLinks already keeps only the page's own site when the
// page's URL is known.
func (pg *page) oneSite(links []relLink) bool {
	site := ""
	for _, l := range links {
		u, err := url.Parse(pg.resolve(l.URL))
		if err != nil || u.Host == "" {
			return false
		}
		if d := siteDomain(u.Hostname()); site == "" {
			site = d
		} else if d != site {
			return false
		}
	}
	return true
}

// paragraphElement returns the element under body that holds the start
// of the paragraph para (the last text node reading as para's first
// characters), nil when none does or it is body itself.
func paragraphElement(body *html.Node, para string) *html.Node {
	key := strings.ReplaceAll(runePrefix(para, 60), " ", "")
	if utf8.RuneCountInString(key) < 8 {
		return nil
	}
	// The paragraph's first word, for a quick test of each text node
	// before the exact one.
	first, _, _ := strings.Cut(para, " ")
	// The last paragraph is near the end: search from there backwards.
	var found *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.LastChild; c != nil && found == nil; c = c.PrevSibling {
			switch c.Type {
			case html.TextNode:
				t := strings.TrimLeft(c.Data, " \t\n\r\f")
				if strings.HasPrefix(t, first) && len(t) >= len(key) && strings.HasPrefix(strings.ReplaceAll(normalizeSpace(t), " ", ""), key) {
					found = n
				}
			case html.ElementNode:
				if !skipElement(c) {
					walk(c)
				}
			}
		}
	}
	walk(body)
	if found == body {
		return nil
	}
	return found
}

// titled keeps the links whose text is long enough to be a headline.
func titled(in []relLink) []relLink {
	var out []relLink
	for _, k := range in {
		if utf8.RuneCountInString(k.Title) >= 6 {
			out = append(out, k)
		}
	}
	return out
}

// siteWide reports whether the box n is page furniture rather than a list
// related to the article: inside a header, nav or footer; named, or headed
// in its first words, as a ranking or headline strip; and, for an
// unlabeled box (unlabeled), linking to the page itself.
func (pg *page) siteWide(n *html.Node, unlabeled bool) bool {
	depth := 0
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.DataAtom {
		case atom.Nav, atom.Menu:
			return true
		case atom.Header, atom.Footer:
			// An article's own footer may hold its related list; the
			// page's does not.
			if !inArticle(p) {
				return true
			}
		}
		if depth < 4 {
			for _, a := range p.Attr {
				if (a.Key == "class" || a.Key == "id") && siteWideName(a.Val) {
					return true
				}
			}
		}
		depth++
	}
	head := []rune(textOf(n))
	if len(head) > 24 {
		head = head[:24]
	}
	if isRanking(string(head)) {
		return true
	}
	return unlabeled && pg.linksSelf(linksIn(n))
}

// linksSelf reports whether one of links points to the page itself.
func (pg *page) linksSelf(links []relLink) bool {
	self := map[string]bool{}
	for _, u := range []string{pg.in.URL, pg.resolve(pg.canonical), pg.resolve(pg.meta["og:url"])} {
		if u != "" {
			self[linkKey(stripTracking(u))] = true
		}
	}
	for _, l := range links {
		if u := pg.resolve(l.URL); u != "" && self[linkKey(stripTracking(u))] {
			return true
		}
	}
	return false
}

// inArticle reports whether n sits inside an <article> or <main>.
func inArticle(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Article || p.DataAtom == atom.Main {
			return true
		}
	}
	return false
}

// otherSection reports whether an unlabeled list of headlines is headed or
// named as some other section: its first heading (h1-h6) is not a related
// label ("섹션기사", "포토", "Most Liked"), an element in it is named as a
// ranking or headline strip, or one of its titles names a ranking. A title
// is a short text outside the list's items whose element holds no link:
// outlets title a sidebar or a strip under the article with a <span>,
// <strong> or <div> as often as with a heading, and such a box may hold
// several lists ("Issue Keywords", then "Most Liked"). A title of another
// kind ("사회" over the section's latest articles) leaves the list related.
func otherSection(box *html.Node) bool {
	found, headed := false, false
	var walk func(n *html.Node, inItem bool)
	walk = func(n *html.Node, inItem bool) {
		if found {
			return
		}
		switch n.Type {
		case html.TextNode:
			if !inItem && strings.TrimSpace(n.Data) != "" {
				if t, ok := sectionTitle(n, box); ok && isRanking(t) {
					found = true
				}
			}
			return
		case html.ElementNode, html.DocumentNode:
		default:
			return
		}
		if n != box {
			for _, a := range n.Attr {
				if (a.Key == "class" || a.Key == "id") && siteWideName(a.Val) {
					found = true
					return
				}
			}
		}
		switch n.DataAtom {
		case atom.Li, atom.Dd, atom.Tr:
			inItem = true
		case atom.Script, atom.Style, atom.Noscript, atom.Template:
			return
		}
		if !headed && genHeading(n) && linkCount(n, 0) == 0 {
			headed = true
			if t := textOf(n); t != "" && !relatedLabel.MatchString(t) {
				found = true
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inItem)
		}
	}
	walk(box, false)
	return found
}

// sectionTitle reads the text node t (inside box) as a title: the text
// of the element around it, climbing while the element holds no link and
// its text stays short, so that a title split over spans ("<b>Most</b>
// Liked") reads whole. A text whose own element holds a link ("▶ <a>…</a>")
// starts a headline line, and a long one is prose: neither is a title.
func sectionTitle(t, box *html.Node) (string, bool) {
	if t.Parent != box && linkCount(t.Parent, 0) > 0 {
		return "", false
	}
	text, ok := shortText(t, 120)
	if !ok {
		return "", false
	}
	for p := t.Parent; p != nil && p != box && p.Type == html.ElementNode && linkCount(p, 0) == 0; p = p.Parent {
		pt, ok := shortText(p, 120)
		if !ok {
			break
		}
		text = pt
	}
	return text, true
}

// mayNameRelated is a quick test, ignoring ASCII case and without
// allocating, that v holds a word relatedName looks for; most class names
// of a page fail it at once.
func mayNameRelated(v string) bool {
	for i := 0; i < len(v); i++ {
		switch v[i] | 0x20 {
		case 'r':
			if hasPrefixFold(v[i:], "rel") {
				return true
			}
		case 't':
			if hasPrefixFold(v[i:], "together") {
				return true
			}
		case 'm':
			if hasPrefixFold(v[i:], "morenews") || hasPrefixFold(v[i:], "morearticle") {
				return true
			}
		case 'o':
			if hasPrefixFold(v[i:], "othernews") || hasPrefixFold(v[i:], "otherarticle") {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold reports whether s starts with the lower-case ASCII word w,
// ignoring ASCII case.
func hasPrefixFold(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if s[j]|0x20 != w[j] {
			return false
		}
	}
	return true
}

// shortText returns the normalized text of n when it is at most max bytes,
// giving up (false) as soon as it is longer.
func shortText(n *html.Node, max int) (string, bool) {
	var buf [128]byte
	b := buf[:0]
	ok := true
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if !ok {
			return
		}
		switch n.Type {
		case html.TextNode:
			if len(b)+len(n.Data) > max {
				ok = false
				return
			}
			b = append(b, n.Data...)
			return
		case html.ElementNode:
			if skipElement(n) {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	if !ok {
		return "", false
	}
	return normalizeSpace(string(b)), true
}

// isRelatedBlock reports whether the element the generic extractor chose
// as the body is a related list instead (a page whose own article
// container is empty): it is, or sits in, a box named as related, or a
// related label heads it (first in it, or the element just before it).
func (pg *page) isRelatedBlock(node *html.Node) bool {
	if node == nil {
		return false
	}
	for _, b := range pg.relBoxes {
		if contains(b, node) {
			return true
		}
	}
	var head string
	for _, l := range pg.relLabels {
		le := labelElement(l)
		if contains(node, le) {
			if head == "" {
				head = textOf(node)
			}
			// The node opens with the label: a related list, unless text
			// stands outside the label's list (a list or a byline link at
			// the top of the article's text).
			if strings.HasPrefix(head, textOf(le)) && plainRunesOutside(node, labelBox(le, node), 100) < 100 {
				return true
			}
			continue
		}
		// The label just before the node, or before one of its two
		// nearest ancestors. A link is not one ("홍길동 기자 <a>다른기사
		// 보기</a>" under the headline leads to the reporter's page), nor
		// is a block that holds the headline.
		if insideLink(le) {
			continue
		}
		for n, up := node, 0; n != nil && up < 3; n, up = n.Parent, up+1 {
			prev := n.PrevSibling
			for prev != nil && (prev.Type != html.ElementNode || textOf(prev) == "") {
				prev = prev.PrevSibling
			}
			if prev != nil && (prev == le || contains(prev, le)) && utf8.RuneCountInString(textOf(prev)) <= 40 && !holdsH1(prev) {
				return true
			}
		}
	}
	return false
}

// labelBox is the list a related label heads: its nearest ancestor below
// node with two links or more, else the label itself.
func labelBox(le, node *html.Node) *html.Node {
	for p := le; p != nil && p != node; p = p.Parent {
		if linkCount(p, 2) >= 2 {
			return p
		}
	}
	return le
}

// plainRunesOutside counts the characters of n's text outside links and
// outside skip (but for space), stopping once it passes max.
func plainRunesOutside(n, skip *html.Node, max int) int {
	c := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for x := n.FirstChild; x != nil && c <= max; x = x.NextSibling {
			switch {
			case x == skip:
			case x.Type == html.TextNode:
				for _, r := range x.Data {
					if !isSpace(r) {
						c++
					}
				}
			case x.Type == html.ElementNode && x.DataAtom == atom.A && attr(x, "href") != "":
			case x.Type == html.ElementNode && !skipElement(x):
				walk(x)
			}
		}
	}
	walk(n)
	return c
}

// insideLink reports whether n is an <a href> or inside one.
func insideLink(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && n.DataAtom == atom.A && attr(n, "href") != "" {
			return true
		}
	}
	return false
}

// holdsH1 reports whether n is or holds an <h1>.
func holdsH1(n *html.Node) bool {
	if n.Type == html.ElementNode && n.DataAtom == atom.H1 {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if holdsH1(c) {
			return true
		}
	}
	return false
}

// holdsSiteWide reports whether an element inside box is named as a
// ranking or headline strip (a wrapper named "related" around several
// lists, one of them the most-read).
func holdsSiteWide(box *html.Node) bool {
	found := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			for _, a := range c.Attr {
				if (a.Key == "class" || a.Key == "id") && siteWideName(a.Val) {
					found = true
					return
				}
			}
			walk(c)
		}
	}
	walk(box)
	return found
}

// mayLabel is a one-pass test that t holds a word every related label
// has: 기(사), 뉴(스), 관(련), 함(께), "related" or "more ".
func mayLabel(t string) bool {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case 0xEA: // 기 EA B8 B0, 관 EA B4 80
			if i+2 < len(t) && (t[i+1] == 0xB8 && t[i+2] == 0xB0 || t[i+1] == 0xB4 && t[i+2] == 0x80) {
				return true
			}
		case 0xEB: // 뉴 EB 89 B4
			if i+2 < len(t) && t[i+1] == 0x89 && t[i+2] == 0xB4 {
				return true
			}
		case 0xED: // 함 ED 95 A8
			if i+2 < len(t) && t[i+1] == 0x95 && t[i+2] == 0xA8 {
				return true
			}
		case 'r', 'R':
			if hasPrefixFold(t[i:], "related") {
				return true
			}
		case 'm', 'M':
			if hasPrefixFold(t[i:], "more ") {
				return true
			}
		}
	}
	return false
}

// trailingLinks returns the links standing alone at the end of the body
// element, after its last paragraph of text ("…했다.<br><br><a>other
// headline</a><br><a>another</a><br>ⓒ …"): an outlet's own list of
// other articles inside the article's container. Copyright, credit and
// end lines between them are passed over.
// Lines are classified with classify: classifyLine or a page's memo of it.
func trailingLinks(body *html.Node, classify func(string) lineKind) []relLink {
	var out []relLink
	for c := body.LastChild; c != nil; c = c.PrevSibling {
		switch c.Type {
		case html.TextNode:
			t := normalizeSpace(c.Data)
			if t == "" || strings.Trim(t, "▶▷·-•") == "" {
				continue
			}
			if k := classify(t); k == lineCopyright || k == lineEnd || k == lineCredit {
				continue
			}
			return reverseLinks(out)
		case html.ElementNode:
		default:
			continue
		}
		if skipElement(c) || c.DataAtom == atom.Br {
			continue
		}
		t := textOf(c)
		if t == "" {
			continue
		}
		links := linksIn(c)
		linkText := 0
		for _, l := range links {
			linkText += len(l.Title)
		}
		if len(links) == 1 && linkText*10 >= len(strings.Trim(t, "▶▷·-• "))*9 {
			out = append(out, links[0])
			continue
		}
		if k := classify(t); k == lineCopyright || k == lineEnd || k == lineCredit {
			continue
		}
		break
	}
	return reverseLinks(out)
}

func reverseLinks(ls []relLink) []relLink {
	slices.Reverse(ls)
	return ls
}
