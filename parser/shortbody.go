package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxShortBlocks bounds the elements shortBody reads after the headline.
const maxShortBlocks = 12

// shortBody reads an article too short for the generic extractor's
// measure of prose (a 속보, a notice of a sentence or two) from the page's
// lines after its headline, in page order: the dateline and byline lines
// there, and the statements (see statement), up to the first other line
// once one was read. Elements that are mostly links (menus, lists of other
// articles), page furniture and hidden parts are passed over. It returns
// nothing unless a statement of ten characters or more was read with a
// dateline or a byline among those lines: a page's own notices after a
// headline ("나눔고딕 폰트가 설치되어있지 않습니다.", on a page cut short) are
// no article.
func (pg *page) shortBody(title string) (*html.Node, []string) {
	head := pg.headlineNode(title)
	if head == nil {
		return nil, nil
	}
	var paras []string
	var node *html.Node
	sentences, blocks := 0, 0
	signed := false // a dateline or a byline among the lines read
	for n := nextAfter(head); n != nil && blocks < maxShortBlocks; n = nextAfter(n) {
		if n.Type != html.ElementNode || skipElement(n) || outsideArticle(n) || chromeElement(n) {
			continue
		}
		blocks++
		if linkCount(n, 3) >= 3 {
			if sentences > 0 {
				break
			}
			continue
		}
		stop := false
		for _, p := range paragraphsUpTo(n, nil, false, 8) {
			switch {
			case statement(p) && utf8.RuneCountInString(p) >= 10 && pg.lineKind(p) == lineText:
				if rs, ok := pg.bylineLine(p); ok && len(rs) > 0 {
					paras = append(paras, p) // "… 홍길동 기자입니다."
					signed = true
					continue
				}
				if node == nil {
					node = n
				}
				paras = append(paras, p)
				sentences++
			case pg.lineKind(p) != lineText:
				paras = append(paras, p) // a dateline, a copyright: cleaning drops it
				signed = signed || pg.lineKind(p) == lineDate
				if sentences > 0 && pg.lineKind(p) == lineCopyright {
					stop = true
				}
			default:
				if rs, ok := pg.bylineLine(p); ok {
					paras = append(paras, p)
					signed = signed || len(rs) > 0
					continue
				}
				if sentences == 0 && datedLine(p) {
					// "홍길동 기자 | 입력 2024.11.28 10:05": a header line,
					// read for its byline by the header rule, not text.
					signed = true
					continue
				}
				if sentences > 0 {
					stop = true
				}
			}
			if stop {
				break
			}
		}
		if stop {
			break
		}
	}
	if sentences == 0 || !signed {
		return nil, nil
	}
	return node, paras
}

// datedLine reports a short line holding a date (a header's byline and
// dateline in one: "홍길동 기자 | 입력 2024.11.28 10:05").
func datedLine(p string) bool {
	if utf8.RuneCountInString(p) > 100 {
		return false
	}
	pub, upd := findDateSpans(p)
	return !pub.t.IsZero() || !upd.t.IsZero()
}

// statement reports a line that ends a statement with its period, as a
// news sentence does ("…동결했다.", "…밝혔습니다.", "…said."): questions,
// exclamations and a page's own prompts ("저장하시겠습니까?", "…지킨다!")
// are not an article's text.
func statement(p string) bool {
	s := strings.TrimRight(p, "\"'”’) ")
	if !strings.HasSuffix(s, ".") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, "."))
	return r == '다' || r == '요' || r == '죠' || unicode.IsLetter(r) && r < utf8.RuneSelf || unicode.IsDigit(r)
}

// nextAfter returns the element or text after n in page order, not
// descending into n: its next sibling, else its nearest ancestor's, below
// <body>.
func nextAfter(n *html.Node) *html.Node {
	for ; n != nil; n = n.Parent {
		if n.DataAtom == atom.Body || n.DataAtom == atom.Html {
			return nil
		}
		if n.NextSibling != nil {
			return n.NextSibling
		}
	}
	return nil
}
