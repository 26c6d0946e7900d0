package parser

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// genNode is what the generic extractor knows about one element. Elements
// are numbered in document order (preorder, skipping the subtrees that
// skipElement drops), so a second walk in the same order finds an element's
// record by counting instead of through a map.
type genNode struct {
	n      *html.Node
	parent int32 // index of the parent element, -1 for the root
	end    int32 // index one past the last element of the subtree

	// Weighted character counts of the whole subtree (see runeWeight).
	text int32 // all text
	link int32 // text inside links
	good int32 // text of paragraphs that read like article prose
	// score is good text minus a share of everything else, with the good
	// text of boilerplate-looking subtrees counted as "else".
	score float32
	hint  int8 // class/id/tag hint: <0 boilerplate, >0 content
	drop  bool // pruned from the output
}

// genWalker holds the state of the measuring walk.
type genWalker struct {
	nodes []genNode
	owner int32 // element whose paragraph is being read
	inA   int   // depth of <a> elements
	seg   genSeg
	h1    string          // text of the first <h1>
	seen  map[uint64]bool // hashes of the prose paragraphs read so far
}

// genSeg is a run of text between two paragraph breaks.
type genSeg struct {
	chars, link, stops, commas int32
	hash                       uint64 // FNV-1a of the text without spaces
}

// genericContent finds the main article content of a parsed page.
// node is the element that holds the article text (nil when none found);
// paras are the article's paragraphs in order (headings inside the
// article kept as their own paragraphs; navigation, share bars, comments,
// related-article lists, captions, ads and footers dropped).
func genericContent(root *html.Node) (node *html.Node, paras []string) {
	return genericContentSized(root, 256)
}

// genericContentSized is genericContent for a tree of about elements
// elements (page.collect counts them): the walk's records are allocated
// once, at that size.
func genericContentSized(root *html.Node, elements int) (node *html.Node, paras []string) {
	if root == nil {
		return nil, nil
	}
	w := genWalker{nodes: make([]genNode, 0, max(elements, 16)), owner: -1}
	w.walk(root, -1)
	w.flush()
	if len(w.nodes) == 0 {
		return nil, nil
	}
	best := w.score()
	if best < 0 {
		return nil, nil
	}
	w.prune(best)
	paras = w.collect(best)
	if len(paras) == 0 {
		return nil, nil
	}
	return w.nodes[best].n, paras
}

// walk numbers the elements under n and measures their text.
func (w *genWalker) walk(n *html.Node, parent int32) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c, parent)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	if skipElement(n) {
		return
	}
	i := int32(len(w.nodes))
	w.nodes = append(w.nodes, genNode{n: n, parent: parent, hint: genHint(n)})
	block := isBlock(n) || wrapsBlock(n)
	saved := w.owner
	if block {
		w.flush()
		w.owner = i
	}
	if n.DataAtom == atom.A {
		w.inA++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, i)
	}
	if n.DataAtom == atom.A {
		w.inA--
	}
	if block {
		w.flush()
		w.owner = saved
	}
	w.nodes[i].end = int32(len(w.nodes))
	if n.DataAtom == atom.H1 && w.h1 == "" {
		w.h1 = textOf(n)
	}
}

// text adds the text of one text node to the current paragraph.
func (w *genWalker) text(s string) {
	w.seg.add(s, w.inA > 0)
}

// add counts the text s into the paragraph; link tells whether s is the
// text of a link.
func (seg *genSeg) add(s string, link bool) {
	var chars, stops, commas int32
	h := seg.hash
	if h == 0 {
		h = 14695981039346656037
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case ' ', '\t', '\n', '\r', '\f':
				continue
			}
			h = (h ^ uint64(c)) * 1099511628211
			switch c {
			case '.', '!', '?':
				if i == len(s) || s[i] == ' ' || s[i] == '\n' || s[i] == '"' || s[i] == '\'' {
					stops++
				}
			case ',':
				commas++
			}
			chars++
			continue
		}
		if plainHangul(s, i) {
			// A three-byte character from U+A000 to U+D7FF, Hangul
			// syllables most of all: no stop, comma or space among them.
			c1, c2 := s[i+1], s[i+2]
			h = (h ^ uint64(c)) * 1099511628211
			h = (h ^ uint64(c1)) * 1099511628211
			h = (h ^ uint64(c2)) * 1099511628211
			i += 3
			if r := rune(c&0x0f)<<12 | rune(c1&0x3f)<<6 | rune(c2&0x3f); hangulSyllable(r) {
				chars += 2
			} else {
				chars++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		for _, b := range []byte(s[i : i+size]) {
			h = (h ^ uint64(b)) * 1099511628211
		}
		i += size
		switch r {
		case '。', '！', '？':
			stops++
		case '、', '，':
			commas++
		}
		chars += runeWeight(r)
	}
	seg.hash = h
	seg.chars += chars
	seg.stops += stops
	seg.commas += commas
	if link {
		seg.link += chars
	}
}

// runeWeight counts a CJK character as two: a Korean syllable carries about
// as much text as two Latin letters, so one set of length thresholds fits
// both.
func runeWeight(r rune) int32 {
	switch {
	case r >= 0xAC00 && r <= 0xD7A3, r >= 0x1100 && r <= 0x11FF, r >= 0x3130 && r <= 0x318F,
		r >= 0x4E00 && r <= 0x9FFF, r >= 0x3040 && r <= 0x30FF:
		return 2 // none of them is white space
	case isSpace(r):
		return 0
	}
	return 1
}

// flush ends the current paragraph and credits it to its owner element.
func (w *genWalker) flush() {
	s := w.seg
	w.seg = genSeg{}
	if s.chars == 0 || w.owner < 0 {
		return
	}
	o := &w.nodes[w.owner]
	o.text += s.chars
	o.link += s.link
	if genGoodSeg(s) {
		// A paragraph seen before is a second copy of the article (a
		// print or mobile version) or a quote of it.
		if w.seen == nil {
			w.seen = make(map[uint64]bool)
		}
		if !w.seen[s.hash] {
			w.seen[s.hash] = true
			o.good += s.chars - s.link
		}
	}
}

// genGoodSeg reports whether a paragraph reads like article prose: long
// enough, mostly not links, and made of sentences.
func genGoodSeg(s genSeg) bool {
	if s.link*3 > s.chars {
		return false
	}
	switch {
	case s.chars >= 160:
		return true
	case s.chars >= 60:
		return s.stops > 0 || s.commas > 1
	}
	return false
}

// score sums the measurements up the tree and returns the index of the
// element with the best score, -1 when there is no article text.
func (w *genWalker) score() int {
	nodes := w.nodes
	// Own counts were credited by flush; add every subtree to its parent.
	// Parents precede children, so one backward pass does it.
	own := make([]int32, len(nodes))
	for i := range nodes {
		own[i] = nodes[i].good
	}
	var total int32
	for i := len(nodes) - 1; i >= 0; i-- {
		g := &nodes[i]
		if p := g.parent; p >= 0 {
			nodes[p].text += g.text
			nodes[p].link += g.link
			nodes[p].good += g.good
		} else {
			total += g.good
		}
	}
	w.markTeasers()
	// A boilerplate word (sidebar, header, widget, ad) on a wrapper that
	// holds most of the page's prose names something else than the wrapper.
	for i := range nodes {
		g := &nodes[i]
		switch {
		case g.hint == genWeak && g.good*5 > total*2, g.hint == genStrong && g.good*5 > total*3:
			g.hint = 0
		}
	}
	// good is the subtree's prose outside boilerplate.
	good := own
	for i := len(nodes) - 1; i >= 0; i-- {
		if g := &nodes[i]; g.parent >= 0 && g.hint >= 0 {
			good[g.parent] += good[i]
		}
	}
	// An element inside boilerplate is no candidate.
	inNeg := make([]bool, len(nodes))
	best, bestScore := -1, float32(0)
	for i := range nodes {
		g := &nodes[i]
		inNeg[i] = g.hint < 0 || (g.parent >= 0 && inNeg[g.parent])
		if inNeg[i] || !genCandidate(g.n) {
			continue
		}
		g.score = float32(good[i]) - 0.3*float32(g.text-good[i])
		if g.hint > 0 {
			g.score *= 1.1
		}
		if g.score > bestScore {
			best, bestScore = i, g.score
		}
	}
	if best < 0 {
		best = w.fallback(inNeg)
	}
	return best
}

// fallback picks the element for a page without a single prose paragraph
// (a one-line article, a table or list of short lines): the element named
// as content with the most text that is not links, or the deepest such
// element holding most of that text.
func (w *genWalker) fallback(inNeg []bool) int {
	nodes := w.nodes
	plain := func(g *genNode) int32 { return g.text - 2*g.link }
	best := -1
	for i := range nodes {
		g := &nodes[i]
		if g.hint <= 0 || inNeg[i] || !genCandidate(g.n) || plain(g) <= 0 {
			continue
		}
		if best < 0 || plain(g) > plain(&nodes[best]) {
			best = i
		}
	}
	if best < 0 {
		return -1
	}
	top := plain(&nodes[best])
	for i := best + 1; i < int(nodes[best].end); i++ {
		g := &nodes[i]
		if g.hint > 0 && !inNeg[i] && genCandidate(g.n) && plain(g)*10 >= top*7 {
			best = i
		}
	}
	return best
}

// markTeasers marks as boilerplate the teaser cards of other articles: a
// heading that is a link, with at most a short summary around it.
func (w *genWalker) markTeasers() {
	nodes := w.nodes
	for i := range nodes {
		h := &nodes[i]
		if !genHeading(h.n) {
			continue
		}
		if h.hint <= genStrong && genSectionHeading(h.n) {
			// A heading named as a list of other articles or comments
			// ("related-title") heads the siblings that follow it, up to
			// the next heading.
			for j := h.end; j < int32(len(nodes)) && nodes[j].parent == h.parent && !genHeading(nodes[j].n); j = nodes[j].end {
				nodes[j].hint = min(nodes[j].hint, h.hint)
			}
			continue
		}
		if h.text == 0 || h.link*2 <= h.text {
			continue
		}
		card := int32(i)
		for j := h.parent; j >= 0 && nodes[j].text <= h.text+400; j = nodes[j].parent {
			if a := nodes[j].n.DataAtom; a == atom.Body || a == atom.Html {
				break
			}
			card = j
		}
		nodes[card].hint = min(nodes[card].hint, genStrong)
	}
}

// prune marks the elements under best that are not article text.
func (w *genWalker) prune(best int) {
	nodes := w.nodes
	for i := best + 1; i < int(nodes[best].end); i++ {
		g := &nodes[i]
		if g.hint < 0 {
			g.drop = true
			continue
		}
		if g.text > 0 && g.link*2 > g.text && g.good*3 < g.text {
			switch g.n.DataAtom {
			case atom.Div, atom.Ul, atom.Ol, atom.Table, atom.Section, atom.Dl, atom.Li, atom.P, atom.Span:
				g.drop = true
			}
		}
		if (g.n.DataAtom == atom.Ul || g.n.DataAtom == atom.Ol) && g.text*2 < nodes[best].text && w.linkList(i) {
			g.drop = true
		}
	}
}

// linkList reports whether the list i is a list of links to other pages:
// every item has a link, and links are a good part of the text.
func (w *genWalker) linkList(i int) bool {
	nodes := w.nodes
	g := &nodes[i]
	if g.link*5 < g.text*2 {
		return false
	}
	items := 0
	for j := int32(i) + 1; j < g.end; j = nodes[j].end {
		if nodes[j].parent != int32(i) {
			continue
		}
		if nodes[j].n.DataAtom == atom.Li {
			items++
			if nodes[j].link == 0 {
				return false
			}
		}
	}
	return items >= 3
}

// genPara is one output paragraph with the element it belongs to.
type genPara struct {
	text    string
	owner   int32
	good    bool
	links   bool // mostly link text
	allLink bool // nothing but a link: a pointer to another page
}

// collect returns the paragraphs of the element best, skipping dropped
// elements and trimming the page furniture around the article: short
// paragraphs before the first or after the last prose paragraph are kept
// only while they sit beside the prose (inside the parent of the first or
// last prose paragraph).
func (w *genWalker) collect(best int) []string {
	var paras []genPara
	var cur []byte // reused by every paragraph
	var seg genSeg
	owner := int32(best)
	inA := 0
	// After an image, until the next paragraph: the image was read, and
	// its alt text when long enough to be its caption.
	afterImage, alt := false, ""
	flush := func() {
		t := normalizeSpaceBytes(cur)
		if t != "" && afterImage {
			if captionOf(t, alt) {
				t = ""
			}
			afterImage, alt = false, ""
		}
		if t != "" && !genAdLabel(t) && !genBareURL(t) {
			paras = append(paras, genPara{text: t, owner: owner, good: genGoodSeg(seg), links: seg.link*2 > seg.chars,
				allLink: seg.link*10 >= seg.chars*9})
		}
		cur = cur[:0]
		seg = genSeg{}
	}
	i := int32(best)
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur = append(cur, n.Data...)
			seg.add(n.Data, inA > 0)
			return
		case html.ElementNode:
		default:
			return
		}
		if skipElement(n) {
			if brokenFlow(n) {
				flush()
			}
			return
		}
		g := &w.nodes[i]
		if g.drop {
			i = g.end
			if isBlock(n) || wrapsBlock(n) {
				flush() // a dropped box still parts the text around it
			}
			return
		}
		if n.DataAtom == atom.Table && i != int32(best) && photoTable(n) {
			i = g.end
			flush() // a photo and its caption, laid out in a table
			return
		}
		self := i
		i++
		if n.DataAtom == atom.Img && inA == 0 && len(bytes.TrimSpace(cur)) == 0 {
			afterImage, alt = true, captionAlt(n)
		}
		block := isBlock(n) || wrapsBlock(n)
		// A bold box of lines opening the text ends its paragraphs (see
		// paragraphsMode); its lines stay its parent's.
		box := !block && boldLines(n) && len(paras) == 0 && allSpace(string(cur))
		saved := owner
		if block || box {
			flush()
		}
		if block {
			owner = self
		}
		if n.DataAtom == atom.A {
			inA++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.DataAtom == atom.A {
			inA--
		}
		if block || box {
			flush()
		}
		if block {
			owner = saved
		}
	}
	walk(w.nodes[best].n)
	flush()

	first, last := -1, -1
	for k, p := range paras {
		if p.good {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	if first >= 0 {
		lo := first
		for lo > 0 && !paras[lo-1].links && w.beside(paras[lo-1].owner, paras[first].owner) {
			lo--
		}
		hi := last
		for hi+1 < len(paras) && !paras[hi+1].links && w.beside(paras[hi+1].owner, paras[last].owner) {
			hi++
		}
		paras = paras[lo : hi+1]
	}
	out := make([]string, 0, len(paras))
	for k, p := range paras {
		if k == 0 && p.text == w.h1 || p.allLink {
			continue
		}
		out = append(out, p.text)
	}
	return out
}

// captionAlt is the alt text of the image n when it is long enough to be
// the photo's caption (10 characters or more), else "".
func captionAlt(n *html.Node) string {
	a := normalizeSpace(attr(n, "alt"))
	if utf8.RuneCountInString(a) < 10 {
		return ""
	}
	return a
}

// photoTable reports a table that lays out a photo and its caption, as
// older pages do (<table><tr><td><img></td></tr><tr><td>caption</td></tr>
// </table>): it holds an image that is no icon, at most one link, and no
// more text than a caption (150 characters).
func photoTable(t *html.Node) bool {
	if !smallText(t, 600) {
		return false
	}
	photo := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !photo; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Img && !iconImage(c) {
				photo = true
				return
			}
			walk(c)
		}
	}
	walk(t)
	return photo && utf8.RuneCountInString(textOf(t)) <= 150 && linkCount(t, 2) <= 1
}

// iconImage reports an image drawn smaller than 100 pixels a side by its
// width or height attribute: a bullet, a button, an icon.
func iconImage(img *html.Node) bool {
	for _, k := range []string{"width", "height"} {
		if v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(attr(img, k)), "px")); err == nil && v > 0 && v < 100 {
			return true
		}
	}
	return false
}

// captionOf reports whether the paragraph p, read right after an image
// (whose alt text is alt, "" when short), is that image's caption rather
// than article text:
//   - p is the alt text, or the alt text and at most 30 more characters
//     (many publishing systems write the caption into the alt attribute
//     too, and print it under the photo with the credit after it);
//   - or p is a caption by its form: at most 300 characters ending in a
//     sentence and then a photo credit, as Korean outlets write them
//     ("… 연설하고 있다. 연합뉴스", "… 있다. /뉴시스", "… 있다. 사진=홍길동
//     기자", "… 모습. 삼성전자 제공"). Article text never ends a paragraph
//     with a bare credit;
//   - or p opens with ▲ or △, the mark Korean outlets set before a
//     photo's caption, and is no longer than most captions (120
//     characters): a longer one is the caption glued to the article's
//     first lines ("▲ 홍길동 회장[예시뉴스=…] 홍길동 회장이 …"), which
//     stay.
//
// Spaces are ignored when comparing with the alt text: a caption is often
// wrapped differently.
func captionOf(p, alt string) bool {
	if (strings.HasPrefix(p, "▲") || strings.HasPrefix(p, "△")) && utf8.RuneCountInString(p) <= 120 {
		return true
	}
	if alt != "" {
		sp, sa := strings.ReplaceAll(p, " ", ""), strings.ReplaceAll(alt, " ", "")
		if rest, ok := strings.CutPrefix(sp, sa); ok && utf8.RuneCountInString(rest) <= 30 {
			return true
		}
	}
	if len(p) > 1200 || utf8.RuneCountInString(p) > 300 {
		return false
	}
	caption, credit := splitCredit(p, isPhotoCredit)
	return credit != "" && utf8.RuneCountInString(caption) >= 4
}

// isPhotoCredit reports whether s, the end of a caption, is a photo credit:
// a wire or stock agency ("연합뉴스", "AFP=연합뉴스", "게티이미지뱅크"), a
// labeled source ("사진=홍길동 기자", "사진 제공=OO"), a slash credit
// ("/뉴시스", "/홍길동 기자"), a provider ("삼성전자 제공", "자료사진") or a
// press's name ("예시통신", "한빛일보": a known outlet, or Hangul ending in
// 일보, 신문, 통신 or 뉴스). A bare "홍길동 기자" is not one: it also closes
// the last paragraph of some articles as their byline.
func isPhotoCredit(s string) bool {
	return agencyCreditRe.MatchString(s) || photoCreditRe.MatchString(s) || slashCreditRe.MatchString(s) ||
		trailingCreditRe.MatchString(s) || pressCredit(s)
}

// pressCredit reports a press's name alone, as a caption's credit.
func pressCredit(s string) bool {
	return pressName(s, "일보", "신문", "통신", "뉴스")
}

// pressName reports a press's name: a known outlet, or 3 to 10 Hangul
// syllables ending in one of suffixes.
func pressName(s string, suffixes ...string) bool {
	if outletNames[s] {
		return true
	}
	n := utf8.RuneCountInString(s)
	return n >= 3 && n <= 10 && isHangulOnly(s) && hasAnySuffix(s, suffixes...)
}

// beside reports whether element a sits next to the prose paragraph b: it
// is b's parent, a sibling of b, or inside a sibling list, table or
// quote.
func (w *genWalker) beside(a, b int32) bool {
	p := w.nodes[b].parent
	if a == b || a == p || p < 0 {
		return true
	}
	if a < p || a >= w.nodes[p].end {
		return false
	}
	c := a
	for w.nodes[c].parent != p {
		c = w.nodes[c].parent
	}
	if c == a {
		return true
	}
	switch w.nodes[c].n.DataAtom {
	case atom.Ul, atom.Ol, atom.Dl, atom.Blockquote, atom.P, atom.Pre:
		return true
	}
	return false
}

// genHint classifies an element by its tag, class and id: <0 for
// boilerplate (navigation, comments, share bars, related links, ads,
// footers), +1 for article text, 0 when nothing is known.
func genHint(n *html.Node) int8 {
	switch n.DataAtom {
	case atom.Html, atom.Body:
		return 0
	}
	var neg int8
	var pos, embed bool
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" && a.Key != "role" && a.Key != "itemprop" {
			continue
		}
		for name := range strings.FieldsSeq(a.Val) {
			if a.Key == "class" && genHidden[name] {
				// Text for screen readers only: a second, hidden copy of
				// labels and titles.
				return genStrong
			}
			switch h := genNameHint(name); {
			case h == genEmbed:
				embed = true
			case h < 0:
				neg = min(neg, h)
			case h > 0:
				pos = true
			}
		}
	}
	if embed {
		// A quoted post is part of the article whatever else the
		// element's names say ("social-embed", "article-widget tweet").
		return 0
	}
	switch n.DataAtom {
	case atom.Nav, atom.Menu:
		neg = min(neg, genStrong)
	case atom.Aside, atom.Footer:
		neg = min(neg, genWeak)
	case atom.Article, atom.Main:
		pos = true
		if neg == genWeak {
			neg = 0
		}
	}
	switch {
	case neg < 0:
		return neg
	case pos:
		return 1
	}
	return 0
}

// genNameHint is the hint of one class name or id: genEmbed for an
// embedded post, else the most negative of its words, else +1 for a
// content word. A name with a state word ("has-sidebar", "modal-enabled")
// describes the page, not the element.
func genNameHint(name string) int8 {
	var h int8
	var pos, state, embed bool
	genTokens(name, func(tok []byte) {
		v, ok := genWords[string(tok)]
		if !ok && len(tok) > 6 {
			v = genPrefixHint(tok)
		}
		switch {
		case v == genEmbed:
			embed = true
		case v == genState:
			state = true
		case v < 0:
			h = min(h, v)
		case v > 0:
			pos = true
		}
	})
	switch {
	case embed:
		return genEmbed
	case state:
		return 0
	case h < 0:
		return h
	case pos:
		return 1
	}
	return 0
}

// genHidden are the class names of elements shown to screen readers only.
var genHidden = map[string]bool{
	"hidden": true, "hide": true, "blind": true, "screen_out": true, "sr-only": true,
	"visually-hidden": true, "visuallyhidden": true, "screen-reader-text": true,
	"screen-reader-only": true, "offscreen": true, "invisible": true, "u-hidden": true,
}

// Hints: genStrong words name boilerplate wherever they appear; genWeak
// words are layout words that wrappers of the whole page also carry.
const (
	genComment int8 = -3 // reader comments: dropped even when longer than the article
	genStrong  int8 = -2
	genWeak    int8 = -1
	genState   int8 = 2 // a state or modifier word, not a name
	genEmbed   int8 = 3 // an embedded post (tweet, Instagram, ...)
)

// genWords are the class/id words that tell boilerplate (<0) from article
// text (+1). Compound names are split into words by genTokens.
var genWords = map[string]int8{
	"article": 1, "articlebody": 1, "content": 1, "entry": 1, "post": 1, "story": 1,
	"body": 1, "text": 1, "main": 1,

	"comment": genComment, "comments": genComment, "reply": genComment, "replies": genComment,
	"disqus": genComment, "respond": genComment, "share": genStrong, "sharing": genStrong, "social": genStrong,
	"sns": genStrong, "related": genStrong, "recommend": genStrong, "recommended": genStrong,
	"popular": genStrong, "trending": genStrong, "nav": genStrong, "navigation": genStrong,
	"menu": genStrong, "breadcrumb": genStrong, "breadcrumbs": genStrong,
	"ad": genStrong, "ads": genStrong, "advert": genStrong, "advertisement": genStrong,
	"sponsor": genStrong, "sponsored": genStrong, "promo": genStrong,
	"newsletter": genStrong, "subscribe": genStrong, "subscri": genStrong, "navbar": genStrong, "subscription": genStrong,
	"caption": genStrong, "credit": genStrong, "byline": genStrong,
	"pagination": genStrong, "pager": genStrong, "modal": genStrong, "popup": genStrong,
	"cookie": genStrong, "gdpr": genStrong, "consent": genStrong, "privacy": genStrong,
	"outbrain": genStrong, "taboola": genStrong,
	"util": genStrong, "utils": genStrong, "toolbar": genStrong, "tools": genStrong,
	"img": genStrong, "image": genStrong, "photo": genStrong, "pic": genStrong, "picture": genStrong,
	"figure": genStrong, "thumb": genStrong, "thumbnail": genStrong, "gallery": genStrong,

	"sidebar": genWeak, "aside": genWeak, "footer": genWeak, "header": genWeak,
	"masthead": genWeak, "banner": genWeak, "tags": genWeak,
	"widget": genWeak, "meta": genWeak, "author": genWeak,

	"has": genState, "with": genState, "no": genState, "is": genState, "enabled": genState,
	"open": genState, "show": genState, "margins": genState, "active": genState,
	"embed": genEmbed, "embedded": genEmbed, "tweet": genEmbed, "instagram": genEmbed,
}

// genPrefixes are the boilerplate words also recognized at the start of a
// longer word ("relatedposts", "sharebar", "commentlist").
var genPrefixes = []string{
	"comment", "related", "share", "social", "sidebar", "footer", "advert", "sponsor",
	"promo", "newsletter", "subscri", "breadcrumb", "popular", "recommend", "trending",
	"navbar", "cookie",
}

func genPrefixHint(tok []byte) int8 {
	for _, p := range genPrefixes {
		if len(tok) > len(p) && string(tok[:len(p)]) == p {
			return genWords[p]
		}
	}
	return 0
}

// genTokens calls f with each lower-case word of a class or id value,
// splitting at punctuation and at lower-to-upper case changes.
func genTokens(s string, f func([]byte)) {
	var buf [64]byte
	n := 0
	emit := func() {
		if n > 0 {
			f(buf[:n])
			n = 0
		}
	}
	var prevLower bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevLower = c >= 'a'
		case c >= 'A' && c <= 'Z':
			if prevLower {
				emit()
			}
			c += 'a' - 'A'
			prevLower = false
		default:
			emit()
			prevLower = false
			continue
		}
		if n < len(buf) {
			buf[n] = c
			n++
		}
	}
	emit()
}

// genCandidate reports whether n can hold a whole article: paragraphs,
// headings, list items and inline elements cannot.
func genCandidate(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Dt, atom.Dd,
		atom.Pre, atom.Blockquote, atom.Span, atom.A, atom.B, atom.I, atom.Em, atom.Strong,
		atom.Font, atom.Small, atom.U, atom.Tr, atom.Html:
		return false
	}
	return true
}

func genHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// genSectionHeading reports whether the class or id of the heading n names
// a section of other articles or of comments.
func genSectionHeading(n *html.Node) bool {
	found := false
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		genTokens(a.Val, func(tok []byte) {
			for _, w := range [...]string{"related", "recommend", "popular", "trending", "comment", "more"} {
				if len(tok) >= len(w) && string(tok[:len(w)]) == w {
					found = true
				}
			}
		})
	}
	return found
}

// genAdLabel reports whether a paragraph is only the label of an ad slot.
func genAdLabel(t string) bool {
	if len(t) > 20 {
		return false
	}
	switch strings.ToLower(t) {
	case "advertisement", "advert", "ad", "ads", "sponsored", "광고", "- advertisement -":
		return true
	}
	return false
}

// genBareURL reports whether a paragraph is nothing but a web address.
func genBareURL(t string) bool {
	return (strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://")) && !strings.Contains(t, " ")
}
