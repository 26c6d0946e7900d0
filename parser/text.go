package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// normalizeSpace folds every run of white space (including NBSP, U+3000 and
// zero-width characters) into one ASCII space and trims the ends; control
// characters and U+FFFD (and invalid bytes) are dropped. Text that needs no
// change is returned as it is, without a copy.
func normalizeSpace(s string) string {
	if spaceNormal(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || '\t' <= c && c <= '\r':
				space = true
				continue
			case c < 0x20 || c == 0x7f:
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(c)
			continue
		}
		size := 3
		if !plainHangul(s, i) {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if isSpace(r) {
				space = true
				i += size
				continue
			}
			if r == utf8.RuneError || unicode.IsControl(r) {
				i += size
				continue
			}
		}
		i += size
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(s[i-size : i])
	}
	return b.String()
}

// normalizeSpaceBytes is normalizeSpace(string(b)) for a paragraph being
// built in a reused buffer: the ASCII white space at its ends, which
// normalizeSpace drops, is cut before the copy, so a paragraph of white
// space only (the new lines between blocks) costs no allocation and most
// others one, of their own size.
func normalizeSpaceBytes(b []byte) string {
	i, j := 0, len(b)
	for i < j && asciiSpace(b[i]) {
		i++
	}
	for j > i && asciiSpace(b[j-1]) {
		j--
	}
	if i == j {
		return ""
	}
	return normalizeSpace(string(b[i:j]))
}

// asciiSpace reports the ASCII white space of normalizeSpace.
func asciiSpace(c byte) bool { return c == ' ' || '\t' <= c && c <= '\r' }

// spaceNormal reports whether normalizeSpace would return s unchanged: no
// white space but single ASCII spaces between other characters, no control
// character, no U+FFFD, valid UTF-8.
func spaceNormal(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' {
				if prevSpace {
					return false
				}
				prevSpace = true
				continue
			}
			if c < 0x20 || c == 0x7f {
				return false
			}
			prevSpace = false
			continue
		}
		prevSpace = false
		if plainHangul(s, i) {
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError || isSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func isSpace(r rune) bool {
	switch r {
	case '\u00a0', '\u3000', '\u200b', '\u200c', '\u200d', '\ufeff', '\u2060':
		return true
	}
	return unicode.IsSpace(r)
}

// skipElement lists elements whose text is never article text.
func skipElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Iframe, atom.Button, atom.Form,
		atom.Select, atom.Textarea, atom.Template, atom.Svg, atom.Object, atom.Embed,
		atom.Video, atom.Audio, atom.Canvas, atom.Head, atom.Input, atom.Figcaption:
		return true
	}
	if n.Type == html.ElementNode && n.DataAtom == 0 && (n.Data == "custom-ad" || n.Data == "ins") {
		return true
	}
	return hiddenByAttr(n)
}

// collapsedPanel reports whether n is the panel of a collapsed disclosure
// widget: the element right after a button marked aria-expanded="false"
// (WAI-ARIA's disclosure pattern), which the page shows only when the
// button is pressed. Article pages put their tool layers there (font size,
// text-to-speech, share menus, a portal's automatic summary). Prose
// behind a button that follows prose is the article's rest, which a mobile
// page cuts short before "기사 더보기", and is read. The page's walk
// (page.collect) marks such a panel hidden, once, so that skipElement
// passes over it in every later walk.
func collapsedPanel(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	p := n.PrevSibling
	for p != nil && p.Type != html.ElementNode {
		if p.Type == html.TextNode && !allSpace(p.Data) {
			return false
		}
		p = p.PrevSibling
	}
	if p == nil || len(p.Attr) == 0 {
		return false
	}
	switch p.DataAtom {
	case atom.Button, atom.A, atom.Div, atom.Span:
		// The elements a page makes its toggles of.
	default:
		return false
	}
	expanded, button := false, p.DataAtom == atom.Button
	for _, a := range p.Attr {
		switch a.Key {
		case "aria-expanded":
			expanded = a.Val == "false"
		case "role":
			button = button || a.Val == "button"
		}
	}
	if !expanded || !button {
		return false
	}
	// A mobile page may cut its article short and put the rest behind a
	// "기사 더보기" button: prose after prose is the article's, not a tool.
	return !(proseAfterProse(p) && isProse(n))
}

// hiddenRest reports whether n is the rest of the article that a page
// hides until a "more" toggle beside it is pressed: an element hidden by
// its style or the hidden attribute, holding prose, right before or after
// a short toggle ("기사 더보기", "본문 더보기", "Read more"), with prose
// before it in its parent. Such a page cuts the article short; the text
// is its own.
func hiddenRest(n *html.Node) bool {
	if n.Type != html.ElementNode || !hiddenByAttr(n) {
		return false
	}
	toggle := func(s *html.Node, next bool) *html.Node {
		for s != nil && (s.Type != html.ElementNode || s.DataAtom == atom.Br) {
			if s.Type == html.TextNode && !allSpace(s.Data) {
				return nil
			}
			if next {
				s = s.NextSibling
			} else {
				s = s.PrevSibling
			}
		}
		return s
	}
	isMore := func(t *html.Node) bool {
		if t == nil || !smallText(t, 60) {
			return false
		}
		raw := textAll(t)
		if utf8.RuneCountInString(raw) > 14 {
			return false
		}
		var b strings.Builder
		for _, r := range strings.ToLower(raw) {
			switch r {
			case ' ', '+', '▼', '∨', '↓', '.', '…':
			default:
				b.WriteRune(r)
			}
		}
		v := b.String()
		return strings.HasSuffix(v, "더보기") || v == "펼치기" || v == "펼쳐보기" || v == "계속읽기" ||
			v == "전체보기" || v == "전문보기" || v == "readmore" || v == "more"
	}
	if !isMore(toggle(n.PrevSibling, false)) && !isMore(toggle(n.NextSibling, true)) {
		return false
	}
	t := textAll(n)
	return utf8.RuneCountInString(t) >= 100 && strings.Count(t, "다.") >= 2 && proseAfterProse(n)
}

// zeroFontSize reports a style (lower case, no spaces) that sets the font
// size to zero: text no reader sees, which some pages slip into an
// article's lines to mark copies ("font-size:0", "font-size:0px").
func zeroFontSize(style string) bool {
	for rest := style; ; {
		i := strings.Index(rest, "font-size:0")
		if i < 0 {
			return false
		}
		rest = rest[i+len("font-size:0"):]
		j := 0
		for j < len(rest) && rest[j] == '0' {
			j++
		}
		unit := rest[j:]
		if unit == "" || unit[0] == ';' || unit[0] == '!' || strings.HasPrefix(unit, "px") || strings.HasPrefix(unit, "pt") ||
			strings.HasPrefix(unit, "em") || strings.HasPrefix(unit, "rem") || strings.HasPrefix(unit, "%") {
			return true
		}
	}
}

// hiddenByAttr reports an element hidden by its own attributes (hidden,
// or a style of display:none, visibility:hidden or a zero font size).
func hiddenByAttr(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "style":
			v := strings.ReplaceAll(strings.ToLower(a.Val), " ", "")
			if strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") || zeroFontSize(v) {
				return true
			}
		}
	}
	return false
}

// reveal drops the attributes that hide n (see hiddenByAttr).
func reveal(n *html.Node) {
	attrs := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != "hidden" && a.Key != "style" {
			attrs = append(attrs, a)
		}
	}
	n.Attr = attrs
}

// textAll is the text under n, n's own hidden state aside (textOf reads
// nothing of a hidden element).
func textAll(n *html.Node) string {
	var parts []string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			parts = append(parts, c.Data)
		} else if t := textOf(c); t != "" {
			parts = append(parts, t)
		}
	}
	return normalizeSpace(strings.Join(parts, " "))
}

// isProse reports whether n holds article sentences: two or more that
// end with 다. in 100 characters or more.
func isProse(n *html.Node) bool {
	t := textOf(n)
	return utf8.RuneCountInString(t) >= 100 && strings.Count(t, "다.") >= 2
}

// proseAfterProse reports whether an article sentence stands among the
// elements before the toggle b, in its parent.
func proseAfterProse(b *html.Node) bool {
	for s, k := b.PrevSibling, 0; s != nil && k < 8; s, k = s.PrevSibling, k+1 {
		var t string
		switch s.Type {
		case html.TextNode:
			t = normalizeSpace(s.Data)
		case html.ElementNode:
			t = textOf(s)
		}
		if utf8.RuneCountInString(t) >= 40 && strings.Contains(t, "다.") {
			return true
		}
	}
	return false
}

// allSpace reports whether s is white space only.
func allSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if !asciiSpace(s[i]) {
			return false
		}
	}
	return true
}

// brokenFlow reports whether leaving out n, a skipped or dropped element,
// still ends the paragraph before it: n is a block the page shows (an ad
// box, a recommendation box, a form), not one it hides, which leaves the
// text around it one line.
func brokenFlow(n *html.Node) bool {
	return (isBlock(n) || n.DataAtom == atom.Form || n.DataAtom == atom.Figcaption) && !hiddenByAttr(n)
}

// isBlock reports whether an element breaks the flow of text into a new
// paragraph.
func isBlock(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Table, atom.Tr,
		atom.Td, atom.Th, atom.Tbody, atom.Thead, atom.Blockquote, atom.Section,
		atom.Article, atom.Header, atom.Footer, atom.Aside, atom.Nav, atom.Figure,
		atom.Pre, atom.Hr, atom.Main, atom.Address, atom.Caption, atom.Br:
		return true
	}
	return false
}

// wrapsBlock reports whether n, an inline element, wraps a block of its
// own (<span class=photo><div><img></div><em>caption</em></span>): a
// layout box that pages style as a block, whose text, a photo's caption
// most often, is not the first line of the text after it.
func wrapsBlock(n *html.Node) bool {
	if n.Type != html.ElementNode || n.DataAtom == atom.A {
		return false // a link wrapping a card is read as its text
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom != atom.Br && isBlock(c) && holdsAnything(c) {
			return true
		}
	}
	return false
}

// holdsAnything reports whether n holds an element or a text that is not
// white space: an empty spacer (<div class="height-spacer"></div>) holds
// nothing.
func holdsAnything(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode || c.Type == html.TextNode && !allSpace(c.Data) {
			return true
		}
	}
	return false
}

// boldLines reports whether n is a <strong> or <b> whose lines a <br>
// of its own breaks.
func boldLines(n *html.Node) bool {
	if n.DataAtom != atom.Strong && n.DataAtom != atom.B {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Br {
			return true
		}
	}
	return false
}

// paragraphs returns the text of n as paragraphs: every block element and
// every <br> ends one. Elements that never hold article text (scripts, forms,
// hidden elements, captions) are skipped; skip, when not nil, drops more.
func paragraphs(n *html.Node, skip func(*html.Node) bool) []string {
	return paragraphsMode(n, skip, false)
}

// paragraphsMode is paragraphs with a choice for single <br>s: with
// brSpace, a lone <br> is a space and only two in a row end a paragraph.
func paragraphsMode(n *html.Node, skip func(*html.Node) bool, brSpace bool) []string {
	return paragraphsUpTo(n, skip, brSpace, 0)
}

// paragraphsUpTo is paragraphsMode stopping once it has limit paragraphs
// (no limit when 0): the first ones of an element, without walking the
// rest of it.
func paragraphsUpTo(n *html.Node, skip func(*html.Node) bool, brSpace bool, limit int) []string {
	var out []string
	var cur []byte // reused by every paragraph
	pendingBr := false
	flush := func() {
		if t := normalizeSpaceBytes(cur); t != "" {
			out = append(out, t)
		}
		cur = cur[:0]
		pendingBr = false
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if pendingBr && strings.TrimSpace(n.Data) != "" {
				pendingBr = false
			}
			cur = append(cur, n.Data...)
			return
		case html.CommentNode, html.DoctypeNode:
			return
		case html.ElementNode:
			if skipElement(n) || (skip != nil && skip(n)) {
				if brokenFlow(n) {
					flush() // an ad box between two runs of text parts them
				}
				return
			}
			if brSpace && n.DataAtom == atom.Br {
				if pendingBr {
					flush()
				} else {
					cur = append(cur, ' ')
					pendingBr = true
				}
				return
			}
		}
		// A bold box of lines opening the text ("<strong>line<br>line
		// </strong>" then the article: a portal's summary) is a block of
		// its own, though its tag is inline.
		block := n.Type == html.ElementNode && (isBlock(n) || wrapsBlock(n) || boldLines(n) && len(out) == 0 && allSpace(string(cur)))
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil && (limit == 0 || len(out) < limit); c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(n)
	flush()
	return out
}

// textOf is the normalized text of n, all of it in one line.
func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	return strings.Join(paragraphs(n, nil), " ")
}

// attr returns the value of the attribute key of n, "" when absent.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// validNFC returns s as valid UTF-8 (each run of invalid bytes U+FFFD, as
// strings.ToValidUTF8 does) in Unicode NFC, as norm.NFC.String does. It
// reads ASCII and precomposed Hangul syllables, most of a Korean page,
// without decoding them or running the normalizer's checks over them: both
// are starters that never combine with what precedes them, so s is NFC when
// every run of other characters, taken with the character before it, is.
func validNFC(s string) string {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		if syllableAt(s, i) {
			i += 3
			continue
		}
		_, before := utf8.DecodeLastRuneInString(s[:i])
		k := i
		for k < len(s) && s[k] >= utf8.RuneSelf && !syllableAt(s, k) {
			r, size := utf8.DecodeRuneInString(s[k:])
			if r == utf8.RuneError && size == 1 {
				return validNFC(strings.ToValidUTF8(s, "\uFFFD"))
			}
			k += size
		}
		if !norm.NFC.IsNormalString(s[i-before : k]) {
			return norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
		}
		i = k
	}
	return s
}

// syllableAt reports whether s[i:] starts with the UTF-8 encoding of a
// precomposed Hangul syllable, U+AC00 (EA B0 80) to U+D7A3 (ED 9E A3).
func syllableAt(s string, i int) bool {
	if i+2 >= len(s) {
		return false
	}
	c, c1, c2 := s[i], s[i+1], s[i+2]
	if c1&0xC0 != 0x80 || c2&0xC0 != 0x80 {
		return false
	}
	switch c {
	case 0xEA:
		return c1 >= 0xB0
	case 0xEB, 0xEC:
		return true
	case 0xED:
		return c1 < 0x9E || c1 == 0x9E && c2 <= 0xA3
	}
	return false
}

// hangulSyllable reports a precomposed Hangul syllable (가–힣).
func hangulSyllable(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// plainHangul reports whether s[i:] starts with a well-formed three-byte
// character from U+A000 to U+D7FF (Hangul syllables and jamo extensions,
// Yi, …): none is white space, a control character or U+FFFD, so the
// character passes through the white-space and garbage checks untouched.
func plainHangul(s string, i int) bool {
	if i+2 >= len(s) {
		return false
	}
	c, c1, c2 := s[i], s[i+1], s[i+2]
	return (c >= 0xEA && c <= 0xEC && c1 >= 0x80 && c1 <= 0xBF || c == 0xED && c1 >= 0x80 && c1 <= 0x9F) && c2 >= 0x80 && c2 <= 0xBF
}
