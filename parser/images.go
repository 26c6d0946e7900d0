package parser

import (
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
)

// The photos of the article's text are read from the element the body was
// read from, for any outlet: each <img> with its caption and credit. The
// caption is the image's <figcaption>; else the paragraph right under the
// image when it is the image's caption (captionOf: its alt text again, or
// a sentence and then a photo credit); else the alt text when it is long
// enough to describe the photo and is not the headline. The credit is what
// follows the caption's last sentence when it is a photo credit ("연합뉴스",
// "/뉴시스", "사진=홍길동 기자"), or the whole caption when that is a credit
// alone. Images inside a link to another page (the thumbnails of a list
// of other articles), and icons (width or height under 100), are not the
// article's.

// lazySrcAttrs are where pages keep an image's address before a script
// loads it, best first; src last (often a placeholder then).
var lazySrcAttrs = []string{"data-org-src", "data-src", "data-original", "data-lazy-src", "data-lazy", "src"}

// maxImages bounds the images a page's walk files for bodyImages.
const maxImages = 200

// bodyImages returns the photos inside body (nil body: none), with
// captions and credits; title is the article's headline. It reads the
// images the page's walk filed, not the tree again.
func (pg *page) bodyImages(body *html.Node, title string) []article.Image {
	if body == nil {
		return nil
	}
	headline := ""
	var out []article.Image
	for _, img := range pg.imgs {
		if !contains(body, img) || !pg.articleImage(img, body) {
			continue
		}
		if headline == "" {
			headline = skeleton(title)
		}
		if im, ok := pg.bodyImage(img, headline); ok {
			out = appendImage(out, im)
		}
	}
	return out
}

// articleImage reports whether img is one of the article's photos inside
// body: not in a part of the page that is not shown or not text (a
// figcaption excepted), and not inside a link to another page. The image
// itself may be hidden: a lazily loaded one is (display: none) until a
// script shows it.
func (pg *page) articleImage(img, body *html.Node) bool {
	for p := img.Parent; p != nil; p = p.Parent {
		if p == body {
			return true
		}
		if p.Type != html.ElementNode {
			return false
		}
		if p.DataAtom == atom.A && pg.linksAway(p) || p.DataAtom != atom.Figcaption && skipElement(p) {
			return false
		}
	}
	return false // not inside body
}

// linksAway reports whether the link a leads to another page rather than
// to the photo it wraps (a larger copy, a viewer script, an anchor).
func (pg *page) linksAway(a *html.Node) bool {
	href := pg.resolve(attr(a, "href"))
	if href == "" {
		return false // javascript:, #, mailto:
	}
	u, err := url.Parse(href)
	if err != nil {
		return true
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp":
		return false
	}
	return true
}

// bodyImage reads one <img> of the body; false for one with no address or
// an icon's size.
func (pg *page) bodyImage(img *html.Node, headline string) (article.Image, bool) {
	src := ""
	for _, k := range lazySrcAttrs {
		if v := strings.TrimSpace(attr(img, k)); v != "" && !strings.HasPrefix(v, "data:") {
			src = v
			break
		}
	}
	src = pg.resolve(src)
	if src == "" {
		return article.Image{}, false
	}
	if iconImage(img) {
		return article.Image{}, false
	}
	alt := captionAlt(img)
	text := ""
	if fc := figcaptionOf(img); fc != nil {
		text = plainText(fc)
	}
	if t := tableAround(img); text == "" && t != nil && photoTable(t) {
		text = textOf(t) // the caption the photo's table lays out under it
	}
	if text == "" {
		if next := textAfter(img); next != "" && (captionOf(next, alt) || startsAsAlt(next, alt)) {
			text = next
		} else if alt != "" && skeleton(alt) != headline {
			text = alt
		}
	}
	// The caption's mark ("▲ 지난 3일 …") is not part of it.
	caption, credit := splitCredit(strings.TrimLeft(text, "▲△ "), isImageCredit)
	return article.Image{URL: src, Caption: caption, Credit: credit}, true
}

// tableAround returns the table that holds img within four levels (td,
// tr, tbody, table), nil when none does.
func tableAround(img *html.Node) *html.Node {
	for n, up := img.Parent, 0; n != nil && up < 4; n, up = n.Parent, up+1 {
		if n.DataAtom == atom.Table {
			return n
		}
	}
	return nil
}

// figcaptionOf returns the <figcaption> of the <figure> that holds img
// (within three levels), nil when there is none.
func figcaptionOf(img *html.Node) *html.Node {
	for p, depth := img.Parent, 0; p != nil && depth < 3; p, depth = p.Parent, depth+1 {
		if p.DataAtom != atom.Figure {
			continue
		}
		var found *html.Node
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			for c := n.FirstChild; c != nil && found == nil; c = c.NextSibling {
				if c.Type == html.ElementNode {
					if c.DataAtom == atom.Figcaption {
						found = c
						return
					}
					walk(c)
				}
			}
		}
		walk(p)
		return found
	}
	return nil
}

// textAfter returns the text of the first element after img, looking at
// the following siblings of img and of its ancestors (three levels): the
// block under a photo, "" when another image or nothing comes first.
func textAfter(img *html.Node) string {
	for n, depth := img, 0; n != nil && depth < 3; n, depth = n.Parent, depth+1 {
		for s := n.NextSibling; s != nil; s = s.NextSibling {
			switch s.Type {
			case html.TextNode:
				if t := normalizeSpace(s.Data); t != "" {
					return t
				}
				continue
			case html.ElementNode:
			default:
				continue
			}
			if skipElement(s) || s.DataAtom == atom.Br {
				continue
			}
			if s.DataAtom == atom.Img || holdsImage(s) {
				return ""
			}
			if t := textOf(s); t != "" {
				return t
			}
		}
	}
	return ""
}

// holdsImage reports whether n has an <img> inside.
func holdsImage(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Img || holdsImage(c)) {
			return true
		}
	}
	return false
}

// splitCredit splits a caption into its description and its photo credit:
// "… 연설하고 있다. 연합뉴스" gives ("… 연설하고 있다.", "연합뉴스"); a
// caption that is a credit alone ("사진=연합뉴스") gives ("", it). isCredit
// tells a credit (isPhotoCredit, or isImageCredit for a photo's own
// caption).
func splitCredit(s string, isCredit func(string) bool) (caption, credit string) {
	s = normalizeSpace(s)
	if s == "" {
		return "", ""
	}
	if utf8.RuneCountInString(s) <= 40 && isCredit(s) {
		return "", s
	}
	// The description ends at the last ". ", ") " or "다 " (a sentence
	// written without its period); the space is the cut.
	cut := -1
	for _, end := range []string{". ", ") ", "다 "} {
		if i := strings.LastIndex(s, end); i >= 0 && i+len(end)-1 > cut {
			cut = i + len(end) - 1
		}
	}
	// A bracketed credit glued to the description: "이라크에 주둔한
	// 미군[출처: 연합뉴스 자료사진]", "공장 전경 (사진=예시일보 DB)".
	for _, b := range [][2]string{{"[", "]"}, {"(", ")"}, {"（", "）"}} {
		if strings.HasSuffix(s, b[1]) {
			if i := strings.LastIndex(s, b[0]); i > cut {
				cut = i
			}
		}
	}
	if cut < 0 {
		return s, ""
	}
	tail := strings.TrimSpace(s[cut:])
	if tail == "" || utf8.RuneCountInString(tail) > 40 || !isCredit(tail) {
		return s, ""
	}
	return strings.TrimSpace(s[:cut]), tail
}

// isImageCredit is isPhotoCredit with the credits of Korean outlets'
// English editions and of wire photos: "(Yonhap)", "[YONHAP]", "(AP
// Photo/Ahn Young-joon)", "Photo by Kim Hae-yeon", "Courtesy of Samsung
// Electronics", "Korea Herald DB". They are read only under a photo: an
// English wire story's last paragraph ends with "(Yonhap)" too.
func isImageCredit(s string) bool {
	return isPhotoCredit(s) || englishCreditRe.MatchString(s)
}

// englishCreditRe is an English photo credit (see isImageCredit).
var englishCreditRe = lazy.NewRegexp(`^(?:[\[(] ?(?:(?i:yonhap|newsis|news1|reuters|xinhua|kyodo|bloomberg|getty images|joint press corps)|AP|AFP|EPA|UPI)(?: ?Photos?)?(?: ?[/=] ?[^\])]{1,40})? ?[\])]` +
	`|\(?(?:(?:AP|AFP|EPA|Reuters|Yonhap) )?Photo(?:graph)?s? ?(?:by|/|:) ?[^\])]{1,40}\)?` +
	`|(?:Courtesy of|Provided by|Source:) [^\])]{1,40}` +
	`|[A-Z][A-Za-z.&' -]{1,30} DB` +
	`|\[[A-Z][A-Z0-9 ,.&'/-]{2,40}\])$`)

// ancestorOfAll returns the deepest element that holds every node of
// nodes (nodes[0] itself when it is the only one).
func ancestorOfAll(nodes []*html.Node) *html.Node {
	if len(nodes) == 0 {
		return nil
	}
	anc := nodes[0]
	for _, n := range nodes[1:] {
		anc = commonAncestor(anc, n)
	}
	return anc
}

// plainText is the text under n, even where skipElement would pass over n
// itself (a <figcaption>), without its scripts and styles.
func plainText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
				b.WriteByte(' ')
			case c.Type == html.ElementNode && c.DataAtom != atom.Script && c.DataAtom != atom.Style:
				walk(c)
			}
		}
	}
	walk(n)
	return normalizeSpace(b.String())
}

// startsAsAlt reports whether text begins with the image's alt text, or
// with its first 20 characters when a site cut the alt text short
// ("… (사진 = 삼성전자) photo@ne"): the caption under the photo.
func startsAsAlt(text, alt string) bool {
	if alt == "" {
		return false
	}
	st, sa := strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(alt, " ", "")
	if strings.HasPrefix(st, sa) {
		return true
	}
	key := runePrefix(sa, 60) // some 20 Hangul syllables
	return utf8.RuneCountInString(key) >= 15 && strings.HasPrefix(st, key)
}
