package parser

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
)

// Layer names recorded in Article.Extraction.Sources.
const (
	srcProfile = "profile"
	srcJSONLD  = "json-ld"
	srcMeta    = "meta"
	srcApp     = "app-json"
	srcByline  = "byline-text"
	srcText    = "page-text"
	srcGeneric = "generic"
	srcURL     = "url"
	srcCaption = "caption" // a photo article's caption as its body
)

// page is one document being parsed: the tree, parsed once, and what a
// single walk over it collected for every layer to share.
type page struct {
	in   article.Page
	root *html.Node
	// doc is root as a goquery document, for the CSS selectors of
	// profiles and hooks; built once over the same tree, never re-parsed.
	doc   *goquery.Document
	hooks map[string]Hook // the Parser's, by outlet ID
	// index holds the elements the profile's selectors need, filed by
	// the walk; nil when the profile was not known before it.
	index *selIndex
	imgs  []*html.Node // the page's <img> elements, in order (at most maxImages)
	base  *url.URL     // the page's URL
	// ref is what relative references resolve against: the first <base
	// href>, itself resolved against the page's URL, else the page's URL.
	ref       *url.URL
	baseHref  string
	sawBase   bool
	prof      *Profile
	meta      map[string]string // name/property/itemprop (lower case) → content
	titleTag  string
	lang      string
	canonical string
	ldScripts []string
	appScript []string
	h1s       []*html.Node // h1, h2 and h3 elements, in page order
	// bylineEls are the elements whose class or id names a byline role,
	// outside navigation and side areas (see reporters.go); outside counts
	// the walk's open nav/aside/form elements.
	bylineEls []bylineEl
	outside   int
	// mailtos are the <a href="mailto:…"> outside navigation and side
	// areas (at most maxMailtos): where a byline gives a reporter's
	// address only as a link ("<a href=mailto:…>홍길동 기자</a>").
	mailtos []*html.Node
	// timeAttr is the datetime of the page's first <time datetime> outside
	// navigation and side areas: the article's time when no dateline in
	// the text says it ("<time datetime=…>3시간 전</time>").
	timeAttr string
	// titleEls are elements whose class or id names a headline ("tit",
	// "headline", "subject", a class "h1"/"h2"/"h3"): where a visible
	// headline stands when it is not a heading element.
	titleEls []*html.Node
	// heads are h1s then titleEls with their text, read once when first
	// needed (see headings).
	heads []heading
	// titles memoizes cleanTitle once the page is collected,
	// when it is called on the same few strings (the <title>, og:title)
	// several times per page.
	titles    map[string]string
	collected bool
	// relLabels are the elements holding a related label's text, relBoxes
	// the elements named as related boxes (see related.go); hidden counts
	// the skipped elements the walk is inside.
	relLabels []*html.Node
	relBoxes  []*html.Node
	hidden    int
	// text is the page's visible text outside its chrome (navigation, and
	// headers and footers that do not hold the headline), for the dates.
	text []byte
	// titleKey is the start of the headline's letters, for holdsTitleText.
	titleKey     string
	titleKeyDone bool
	// stateScripts are the scripts that look like app state (see
	// appstate.go).
	stateScripts []stateScript
	// elements counts the page's elements (what genericContent sizes its
	// records by).
	elements int
	// lines memoizes classifyLine (see lineKind).
	lines map[string]lineKind
	// bylines memoizes parseBylineLine (see bylineLine).
	bylines map[string]bylineResult
}

// lineKind is classifyLine, memoized for the page: the body cleaning and
// the search for trailing related links classify some of the same lines.
func (pg *page) lineKind(p string) lineKind {
	if k, ok := pg.lines[p]; ok {
		return k
	}
	k := classifyLine(p)
	if pg.lines == nil {
		pg.lines = map[string]lineKind{}
	}
	pg.lines[p] = k
	return k
}

// bylineResult is what parseBylineLine returned for a line.
type bylineResult struct {
	reps []article.Reporter
	ok   bool
}

// bylineLine is parseBylineLine, memoized for the page: the body cleaning
// and the search for a closing byline read many of the same paragraphs.
// The reporters returned are shared; callers must not modify them.
func (pg *page) bylineLine(p string) ([]article.Reporter, bool) {
	if r, ok := pg.bylines[p]; ok {
		return r.reps, r.ok
	}
	reps, ok := parseBylineLine(p)
	if pg.bylines == nil {
		pg.bylines = map[string]bylineResult{}
	}
	pg.bylines[p] = bylineResult{reps, ok}
	return reps, ok
}

// heading is a heading or headline element with its text and skeleton.
type heading struct {
	node       *html.Node
	text, skel string
}

// headings returns the page's headings (h1–h3, in page order) and then its
// headline-class elements, each with its text, reading them only once.
func (pg *page) headings() []heading {
	if pg.heads == nil {
		pg.heads = make([]heading, 0, len(pg.h1s)+len(pg.titleEls))
		for i, list := range [][]*html.Node{pg.h1s, pg.titleEls} {
			for _, n := range list {
				v := ""
				// A headline-class container (a whole header block) is no
				// headline; its text is not read.
				if i == 0 || smallText(n, 600) {
					v = textOf(n)
				}
				pg.heads = append(pg.heads, heading{node: n, text: v, skel: skeleton(v)})
			}
		}
	}
	return pg.heads
}

// maxGarbledPercent is the share of undecodable (U+FFFD) and control
// characters from which a page is taken for binary data, not text. Text,
// markup included, has next to none; random bytes decode to about 12% or
// more, whatever the charset they are read in.
const maxGarbledPercent = 5

// garbled counts the characters of decoded text (valid UTF-8, as decode
// gives) that no text has: U+FFFD (bytes the charset could not decode) and
// control characters (C0 but tab, newline, form feed and carriage return;
// DEL; C1). n is the number of characters, counted only when bad > 0 (0
// otherwise): only then is the share read. Each kind is searched for by
// itself, C0 and DEL eight bytes at a time, so that the bytes of a page,
// nearly always clean, are never decoded.
func garbled(text []byte) (bad, n int) {
	const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
	i := 0
	for ; i+8 <= len(text); i += 8 {
		w := binary.LittleEndian.Uint64(text[i:])
		// The high bit of each byte below 0x20 (lt), from 0x09 to 0x0d
		// (ws: tab to carriage return), equal to 0x0b and to 0x7f (vt,
		// del); no carry crosses a byte.
		x := w & lows
		lt := ^((x + 0x60*ones) | w) & highs
		ws := (x + 0x77*ones) &^ (x + 0x72*ones) & highs
		zv, zd := w^0x0b*ones, w^0x7f*ones
		vt := ^((zv&lows + lows) | zv) & highs
		del := ^((zd&lows + lows) | zd) & highs
		if lt&^ws|vt|del != 0 {
			for _, c := range text[i : i+8] {
				bad += int(badByte[c])
			}
		}
	}
	for _, c := range text[i:] {
		bad += int(badByte[c])
	}
	for j := 0; ; {
		k := bytes.IndexByte(text[j:], 0xC2)
		if k < 0 || j+k+1 >= len(text) {
			break
		}
		j += k + 1
		if text[j] < 0xA0 {
			bad++ // U+0080–U+009F
		}
	}
	bad += bytes.Count(text, []byte("\uFFFD"))
	if bad > 0 {
		n = utf8.RuneCount(text)
	}
	return bad, n
}

// badByte marks the single bytes garbled counts: C0 controls but white
// space, and DEL.
var badByte = func() (t [256]uint8) {
	for c := range 0x20 {
		t[c] = 1
	}
	for _, c := range []byte{'\t', '\n', '\f', '\r'} {
		t[c] = 0
	}
	t[0x7f] = 1
	return t
}()

// maxPageText caps the page text read for dates.
const maxPageText = 200_000

// Parse extracts the article of page. It returns ErrNotArticle when the page
// has no article, and an error naming the problem when the page cannot be
// read (too large, undecodable).
func (p *Parser) Parse(in article.Page) (article.Article, error) {
	if len(in.Body) > p.maxBytes {
		return article.Article{}, fmt.Errorf("%w: %d bytes, the cap is %d", ErrTooLarge, len(in.Body), p.maxBytes)
	}
	if len(bytes.TrimSpace(in.Body)) == 0 {
		return article.Article{}, fmt.Errorf("%w: empty page", ErrNotArticle)
	}
	text, _, err := decode(in.Body, in.ContentType)
	if err != nil {
		return article.Article{}, err
	}
	if bad, n := garbled(text); bad*100 >= n*maxGarbledPercent && bad > 0 {
		// Binary bytes served as text/html (an image, an archive, noise):
		// there is no text to extract, only garbage to archive.
		return article.Article{}, fmt.Errorf("%w: not text: %d of its %d characters are undecodable or control characters", ErrNotArticle, bad, n)
	}
	root, err := html.Parse(bytes.NewReader(text))
	if err != nil {
		// html.Parse refuses only a tree nested deeper than 512 elements
		// (it reads from memory): a page browsers show, whose widgets never
		// close their <div>s. Its deepest tags are left out and it is read
		// again.
		if root, err = html.Parse(bytes.NewReader(flattenDeep(text))); err != nil {
			return article.Article{}, fmt.Errorf("parse html: %w", err)
		}
	}
	pg := &page{in: in, root: root, doc: goquery.NewDocumentFromNode(root), hooks: p.hooks, meta: make(map[string]string, 32)}
	pg.base, _ = url.Parse(strings.TrimSpace(in.URL))
	var prof *Profile
	switch {
	case in.Outlet != "":
		prof = p.profiles.ByID(in.Outlet)
		if prof == nil {
			return article.Article{}, fmt.Errorf("unknown outlet %q", in.Outlet)
		}
	case in.URL != "":
		prof = p.profiles.ForURL(in.URL)
	}
	if prof != nil && prof.code().keys != nil {
		// The walk files the elements the profile's selectors look for.
		pg.index = newSelIndex(prof.code().keys)
	}
	pg.collect(root)
	pg.ref = pg.base
	if pg.baseHref != "" {
		if u, err := url.Parse(pg.baseHref); err == nil {
			if pg.base != nil && pg.base.Scheme != "" {
				u = pg.base.ResolveReference(u)
			}
			if u.Scheme == "http" || u.Scheme == "https" {
				pg.ref = u
			}
		}
	}
	pg.prof = prof
	if pg.prof == nil {
		pg.prof = p.profiles.forDocument(pg.doc)
	}
	pg.collected = true
	return pg.extract()
}

// collect walks the tree once, gathering meta tags, scripts, the title and
// the related-box candidates.
func (pg *page) collect(n *html.Node) {
	out := false
	if pg.hidden == 0 {
		pg.noteRelated(n)
		if n.Type == html.TextNode && len(pg.text) < maxPageText && (n.Parent == nil || n.Parent.DataAtom != atom.Title) {
			pg.text = appendFolded(pg.text, n.Data)
			if len(pg.text) > 0 && pg.text[len(pg.text)-1] != ' ' {
				pg.text = append(pg.text, ' ')
			}
		}
	}
	if n.Type == html.ElementNode {
		pg.elements++
		if pg.index != nil {
			pg.index.note(n)
		}
		if len(n.Attr) > 0 && (n.DataAtom == atom.A || n.DataAtom == atom.Span) {
			decodeCFEmail(n) // the two elements Cloudflare's obfuscation writes
		}
		if out = outsideArticle(n); out {
			pg.outside++
		} else if pg.outside == 0 && len(n.Attr) > 0 && len(pg.bylineEls) < maxBylineEls {
			if k := bylineClass(n); k > 0 {
				pg.bylineEls = append(pg.bylineEls, bylineEl{node: n, strong: k == 2})
			}
		}
		if pg.outside == 0 && len(n.Attr) > 0 && len(pg.titleEls) < maxTitleEls && titleClass(n) {
			pg.titleEls = append(pg.titleEls, n)
		}
		if len(n.Attr) >= 2 && n.DataAtom != atom.Meta {
			pg.noteMicrodata(n) // itemprop and its value
		}
		switch n.DataAtom {
		case atom.Html:
			pg.lang = attr(n, "lang")
		case atom.Meta:
			content, hasContent := "", false
			for _, a := range n.Attr {
				if a.Key == "content" {
					content, hasContent = a.Val, true
				}
			}
			if hasContent {
				for _, k := range []string{"property", "name", "itemprop"} {
					if key := strings.ToLower(strings.TrimSpace(attr(n, k))); key != "" {
						if _, seen := pg.meta[key]; !seen || pg.meta[key] == "" {
							pg.meta[key] = strings.TrimSpace(content)
						}
					}
				}
			}
		case atom.Title:
			if pg.titleTag == "" && n.FirstChild != nil {
				pg.titleTag = unescapeText(n.FirstChild.Data)
			}
		case atom.Base:
			// The first <base> with an href is the document's base URL.
			if href := strings.TrimSpace(attr(n, "href")); !pg.sawBase && href != "" {
				pg.sawBase, pg.baseHref = true, href
			}
		case atom.Link:
			if pg.canonical == "" && strings.EqualFold(attr(n, "rel"), "canonical") {
				pg.canonical = strings.TrimSpace(attr(n, "href"))
			}
		case atom.Script:
			if n.FirstChild != nil {
				t := strings.ToLower(attr(n, "type"))
				switch {
				case strings.Contains(t, "ld+json"):
					pg.ldScripts = append(pg.ldScripts, n.FirstChild.Data)
				case strings.Contains(n.FirstChild.Data, "Fusion.globalContent") || strings.Contains(n.FirstChild.Data, "Fusion.contentCache"):
					pg.appScript = append(pg.appScript, n.FirstChild.Data)
				case stateScriptKind(n, n.FirstChild.Data):
					pg.stateScripts = append(pg.stateScripts, stateScript{id: attr(n, "id"), text: n.FirstChild.Data})
				}
			}
			return
		case atom.Time:
			if pg.timeAttr == "" && pg.outside == 0 && pg.hidden == 0 {
				pg.timeAttr = strings.TrimSpace(attr(n, "datetime"))
			}
		case atom.A:
			if pg.outside == 0 && pg.hidden == 0 && len(pg.mailtos) < maxMailtos && mailtoAddress(n) != "" {
				pg.mailtos = append(pg.mailtos, n)
			}
		case atom.H1, atom.H2, atom.H3:
			if len(pg.h1s) < 16 {
				pg.h1s = append(pg.h1s, n)
			}
		case atom.Img:
			if len(pg.imgs) < maxImages {
				pg.imgs = append(pg.imgs, n)
			}
		}
	}
	if collapsedPanel(n) {
		n.Attr = append(n.Attr, html.Attribute{Key: "hidden"})
	} else if pg.hidden == 0 && len(n.Attr) > 0 && hiddenRest(n) {
		reveal(n) // the rest of a cut-short article, for every later walk
	}
	skipped := n.Type == html.ElementNode && n.DataAtom != atom.Head && skipElement(n)
	if skipped {
		pg.hidden++
	}
	chrome := n.Type == html.ElementNode && pg.hidden == 0 && chromeElement(n)
	start, heads := len(pg.text), len(pg.h1s)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		pg.collect(c)
	}
	if out {
		pg.outside--
	}
	if chrome && !pg.holdsHeadline(pg.h1s[heads:]) && !(headerElement(n) && pg.holdsTitleText(pg.text[start:])) {
		// A site-wide ticker ("최종업데이트 …") is not the article's.
		pg.text = pg.text[:start]
	}
	if skipped {
		pg.hidden--
	}
}

// withSubheads adds to paragraphs a selector picked one by one
// ("#article_body p[data-divno]") the headings standing between them in
// their container: an article's in-body subheadings are its text, and
// outlets mark them apart from the paragraphs (<h2> in a subheading box,
// <h3 class="sub_title">). A heading counts only when the element around
// it, up to the container, holds nothing else: no links (a related box's
// title), no other text (a photo's or an ad's). Headings inside dropped
// elements, captions or hidden parts stay out.
func withSubheads(nodes []*html.Node, drop map[*html.Node]bool) []*html.Node {
	if len(nodes) < 2 {
		return nodes
	}
	top := ancestorOfAll(nodes)
	sel := make(map[*html.Node]bool, len(nodes))
	holds := make(map[*html.Node]bool, 2*len(nodes)) // the selected nodes and their ancestors below top
	for _, n := range nodes {
		if n.DataAtom != atom.P {
			return nodes
		}
		sel[n] = true
		for p := n; p != nil && p != top && !holds[p]; p = p.Parent {
			holds[p] = true
		}
	}
	out := make([]*html.Node, 0, len(nodes)+4)
	left := len(nodes) // selected nodes not reached yet
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && left > 0; c = c.NextSibling {
			if c.Type != html.ElementNode || drop[c] || skipElement(c) {
				continue
			}
			switch {
			case sel[c]:
				out = append(out, c)
				left--
			case holds[c]:
				walk(c)
			case len(out) > 0:
				if h := loneHeading(c); h != nil {
					out = append(out, h)
				}
			}
		}
	}
	walk(top)
	if left > 0 {
		return nodes
	}
	return out
}

// loneHeading returns the heading (h2–h6) that box is or holds with no
// link and no other text beside it, else nil.
func loneHeading(box *html.Node) *html.Node {
	if !smallText(box, 300) || inCaption(box) {
		return nil
	}
	var h *html.Node
	ok := true
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.DataAtom {
		case atom.A, atom.Img, atom.Iframe, atom.Video:
			ok = false
			return
		case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			if h != nil {
				ok = false
			}
			h = n
			return
		}
		for c := n.FirstChild; c != nil && ok; c = c.NextSibling {
			if c.Type == html.ElementNode && !skipElement(c) {
				walk(c)
			}
		}
	}
	walk(box)
	if !ok || h == nil || h.Type != html.ElementNode {
		return nil
	}
	if t := textOf(h); t == "" || t != textOf(box) {
		return nil
	}
	return h
}

// noteMicrodata files an element's microdata date (<time
// itemprop="datePublished" datetime=…>, <span itemprop="dateModified"
// content=…>) with the meta tags, under its lower-case property, unless
// a meta tag gave that property first.
func (pg *page) noteMicrodata(n *html.Node) {
	prop, val := "", ""
	for _, a := range n.Attr {
		switch a.Key {
		case "itemprop":
			prop = a.Val
		case "datetime", "content":
			if val == "" {
				val = a.Val
			}
		}
	}
	if prop == "" || val == "" {
		return
	}
	if k := strings.ToLower(strings.TrimSpace(prop)); k == "datepublished" || k == "datemodified" {
		if pg.meta[k] == "" {
			pg.meta[k] = strings.TrimSpace(val)
		}
	}
}

// chromeElement reports whether n is page chrome whose dates are the
// site's, not the article's: navigation, a header or footer outside the
// article, an element with the id "header" or named gnb, lnb or ticker.
func chromeElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Menu:
		return true
	case atom.Header, atom.Footer:
		return !inArticle(n)
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "id":
			if v := strings.ToLower(a.Val); v == "header" || v == "footer" || v == "gnb" {
				return !inArticle(n)
			}
		case "class":
			if !strings.Contains(a.Val, "nb") && !strings.Contains(a.Val, "NB") && !strings.Contains(a.Val, "icker") {
				continue
			}
			chrome := false
			genTokens(a.Val, func(tok []byte) {
				switch string(tok) {
				case "gnb", "lnb", "ticker":
					chrome = true
				}
			})
			if chrome {
				return true
			}
		}
	}
	return false
}

// headerElement reports whether n is a page or article header (<header>,
// id="header"), the one kind of chrome that may hold the headline.
func headerElement(n *html.Node) bool {
	return n.DataAtom == atom.Header || strings.EqualFold(attr(n, "id"), "header")
}

// holdsTitleText reports whether the text of a chrome element holds the
// start of the page's title (an article header whose headline is an <h3>
// or a <div>): the first twelve letters of og:title or <title>.
func (pg *page) holdsTitleText(text []byte) bool {
	if len(text) > 4000 {
		return false // a header that long is the site's, menus and all
	}
	if !pg.titleKeyDone {
		pg.titleKeyDone = true
		key := []rune(skeleton(firstNonEmpty(pg.cleanTitle(pg.meta["og:title"]), stripTitleTail(pg.cleanTitle(pg.titleTag)))))
		if len(key) >= 6 {
			pg.titleKey = string(key[:min(12, len(key))])
		}
	}
	return pg.titleKey != "" && strings.Contains(skeleton(string(text)), pg.titleKey)
}

// holdsHeadline reports whether one of the headings hs is the page's
// headline (the <title> or og:title holds its text).
func (pg *page) holdsHeadline(hs []*html.Node) bool {
	for _, h := range hs {
		v := skeleton(textOf(h))
		n := utf8.RuneCountInString(v)
		if n < 4 {
			continue
		}
		// The headline is most of the title; a logo's site name is not.
		for _, t := range []string{pg.titleTag, pg.meta["og:title"]} {
			if st := skeleton(t); st != "" && strings.Contains(st, v) && 2*n >= utf8.RuneCountInString(st) {
				return true
			}
		}
	}
	return false
}

// fields gathers each field with the layer that gave it.
type fields struct {
	a       article.Article
	sources map[string]string
	// bodyParas are the candidate body paragraphs before cleaning.
	bodyParas []string
	bodyNode  *html.Node
	// bodyRoot is the element holding all of a profile's body nodes (for
	// the photos among them); nil when the body is bodyNode's alone.
	bodyRoot  *html.Node
	published time.Time
	updated   time.Time
	related   []relLink
	reporters []article.Reporter
	// metaReporters are the people the meta tags name; they are used
	// only when the page shows no byline (see chooseReporters).
	metaReporters []article.Reporter
}

func (f *fields) setText(field string, dst *string, v, src string) {
	if *dst == "" && v != "" {
		*dst = v
		f.sources[field] = src
	}
}

// setTime keeps the first layer's time, except that a later layer giving
// the same minute with seconds refines it (visible dates often show only
// minutes; structured data has the seconds).
func (f *fields) setTime(field string, dst *time.Time, v time.Time, src string) {
	switch {
	case v.IsZero():
	case dst.IsZero():
		*dst = v
		f.sources[field] = src
	case dst.Second() == 0 && v.Second() != 0 && dst.Truncate(time.Minute).Equal(v.Truncate(time.Minute)):
		*dst = v.In(dst.Location())
	}
}

func (f *fields) setReporters(rs []article.Reporter, src string) {
	if len(f.reporters) == 0 && len(rs) > 0 {
		f.reporters = rs
		f.sources["reporters"] = src
	}
}

func (pg *page) extract() (article.Article, error) {
	f := &fields{sources: map[string]string{}}
	a := &f.a
	a.URL = pg.in.URL
	if !pg.in.FetchedAt.IsZero() {
		t := pg.in.FetchedAt
		a.FetchedAt = &t
	}

	pg.fromProfile(f)
	ld, hasLD := parseJSONLD(pg.ldScripts, pg.in.URL, pg.resolve(pg.canonical), pg.resolve(pg.meta["og:url"]))
	if hasLD {
		pg.fromJSONLD(f, ld)
	}
	var app *appArticle
	if len(pg.appScript) > 0 {
		if app, _ = parseFusion(pg.appScript); app != nil {
			pg.fromApp(f, app)
		}
	}
	if app == nil && len(pg.stateScripts) > 0 {
		if app = parseAppState(pg.stateScripts, pg.stateTitles()); app != nil {
			pg.fromApp(f, app)
		}
	}
	pg.fromMeta(f)

	// The body: profile, app JSON, else the generic extractor; JSON-LD's
	// articleBody when the page's own text is much shorter.
	teasers := 0 // the teasers of a list page the generic extractor took for a body
	if len(f.bodyParas) == 0 {
		node, paras := genericContentSized(pg.root, pg.elements)
		if teasers = teaserList(node); pg.isRelatedBlock(node) || teasers > 0 {
			// The page's article container is empty; its neighbour, a
			// related list with summaries, is not its body. Nor is a
			// section's, a search's or a reporter's list of teasers.
			node, paras = nil, nil
		}
		if len(paras) == 0 && teasers == 0 {
			// Too little prose for the generic measure: a 속보 of a sentence
			// or two, read from the lines after the headline.
			node, paras = pg.shortBody(a.Title)
		}
		f.bodyNode, f.bodyParas = node, paras
		if len(paras) > 0 {
			f.sources["body"] = srcGeneric
		}
		if hasLD && len(ld.Body) > 2*paraLen(paras)+200 {
			f.bodyParas = splitBodyText(ld.Body)
			f.bodyNode = nil
			f.sources["body"] = srcJSONLD
		}
		if app != nil && app.BodyWeak && paraLen(app.Paragraphs) > 2*paraLen(f.bodyParas)+200 {
			f.bodyParas, f.bodyNode = app.Paragraphs, nil
			f.sources["body"] = srcApp
		}
	}
	// An archive viewer's <title> names only the site, a small CMS's names
	// the kind of page ("기사보기 - 예시일보", "뉴스 상세"): the headline is
	// the heading nearest the body.
	if src := f.sources["title"]; (src == srcGeneric || src == srcMeta) && (pg.isSiteTitle(a.Title) || pg.pageLabelTitle(a.Title)) {
		if h := pg.headingNearBody(f.bodyNode); h != "" {
			a.Title = h
			f.sources["title"] = srcGeneric
		}
	}
	pg.cleanBody(f)
	if strings.TrimSpace(a.Body) == "" {
		pg.photoBody(f)
	}

	pg.fromPageText(f)
	pg.fromHint(f)
	pg.finish(f)
	hookErr := pg.runHook(a)
	pg.seal(a)
	if hookErr != nil {
		return *a, hookErr
	}
	if strings.TrimSpace(a.Body) == "" {
		if teasers > 0 {
			return *a, fmt.Errorf("%w: a list of %d other articles' teasers (a section, search or reporter page), no article body", ErrNotArticle, teasers)
		}
		return *a, fmt.Errorf("%w: no article body found", ErrNotArticle)
	}
	if !pg.looksLikeArticle(f, hasLD) {
		return *a, fmt.Errorf("%w: no article signals and a short body (%d characters)", ErrNotArticle, len([]rune(a.Body)))
	}
	return *a, nil
}

func paraLen(ps []string) int {
	n := 0
	for _, p := range ps {
		n += len(p)
	}
	return n
}

// splitBodyText splits a plain-text body (JSON-LD articleBody) into
// paragraphs at line breaks.
func splitBodyText(s string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		if t := normalizeSpace(line); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// looksLikeArticle tells an article from an index or error page: an article
// has a date, a structured-data article, an og:type of article or an article
// URL of its outlet; lacking all of these it needs a substantial body.
func (pg *page) looksLikeArticle(f *fields, hasLD bool) bool {
	if hasLD || f.pageDated() || strings.EqualFold(pg.meta["og:type"], "article") {
		return true
	}
	if pg.prof != nil && pg.prof.IsArticleURL(pg.in.URL) {
		return true
	}
	return len([]rune(f.a.Body)) >= 500
}

// ---- layers ----

func (pg *page) fromProfile(f *fields) {
	p := pg.prof
	if p == nil {
		return
	}
	a := &f.a
	a.Extraction.Profile = p.ID
	a.Outlet = article.Outlet{ID: p.ID, Name: p.Name}
	s := &p.code().sel
	f.setText("title", &a.Title, pg.selText("title", s.title), srcProfile)
	if v := pg.selLines("subtitle", s.subtitle); v != "" {
		f.setText("subtitle", &a.Subtitle, v, srcProfile)
	}
	f.setText("section", &a.Section, pg.selText("section", s.section), srcProfile)
	if name := pg.selText("outlet", s.outlet); name != "" {
		a.Outlet.Name = name
		f.sources["outlet"] = srcProfile
	}
	for _, sel := range s.body {
		nodes := pg.selectAll(sel)
		drop := pg.dropSet(nodes)
		// A selected node can itself be dropped, and captions stay out
		// even when a selector picks the paragraphs inside them.
		nodes = slices.DeleteFunc(nodes, func(n *html.Node) bool { return drop[n] || inCaption(n) })
		if len(nodes) == 0 {
			continue
		}
		nodes = withSubheads(nodes, drop)
		var paras []string
		for _, n := range nodes {
			paras = append(paras, paragraphsMode(n, func(x *html.Node) bool { return drop[x] }, p.Extract.Breaks == "space")...)
		}
		if len(paras) > 0 {
			f.bodyParas, f.bodyNode = paras, nodes[0]
			f.bodyRoot = ancestorOfAll(nodes)
			f.sources["body"] = srcProfile
			break
		}
	}
	if by := pg.selNodes(s.byline); len(by) > 0 {
		var rs []article.Reporter
		for _, n := range by {
			rs = mergeReporters(rs, reportersFromNode(n, p.code().match["byline"]))
		}
		f.setReporters(rs, srcProfile)
	}
	for _, v := range pg.selValues("published", s.published) {
		if t, ok := anyTime(v); ok {
			f.setTime("published_at", &f.published, t, srcProfile)
			break
		}
	}
	for _, v := range pg.selValues("updated", s.updated) {
		if t, ok := anyTime(v); ok {
			f.setTime("updated_at", &f.updated, t, srcProfile)
			break
		}
	}
	for _, v := range pg.selValues("dates", s.dates) {
		pub, upd := findDates(v)
		f.setTime("published_at", &f.published, pub, srcProfile)
		f.setTime("updated_at", &f.updated, upd, srcProfile)
	}
	// The first related selector that yields links wins (an empty,
	// script-filled box falls through to the next).
	for _, sel := range s.related {
		for _, n := range pg.selectAll(sel) {
			f.related = append(f.related, linksIn(n)...)
		}
		if len(f.related) > 0 {
			break
		}
	}
	if len(f.related) > 0 {
		f.sources["related"] = srcProfile
	}
	if p.Portal != "" {
		a.Portal = &article.Portal{Name: p.Portal}
		a.Portal.PressCode, a.Portal.ArticleCode = portalCodes(p.Portal, pg.in.URL)
		for _, v := range pg.selValues("original", s.original) {
			if u := pg.resolve(v); u != "" {
				a.Portal.OriginalURL = u
				break
			}
		}
	}
}

var (
	naverPath = lazy.NewRegexp(`/article/(?:newspaper/)?(\d{3})/(\d{10})`)
	daumPath  = lazy.NewRegexp(`/v/([0-9A-Za-z]+)`)
)

// portalCodes reads the press and article codes of a portal copy from its
// URL: Naver's oid/aid (path or query form), Daum's article id.
func portalCodes(portal, raw string) (press, code string) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", ""
	}
	switch portal {
	case "naver":
		if m := naverPath.FindStringSubmatch(u.Path); m != nil {
			return m[1], m[2]
		}
		q := u.Query()
		return q.Get("oid"), q.Get("aid")
	case "daum":
		if m := daumPath.FindStringSubmatch(u.Path); m != nil {
			return "", m[1]
		}
	}
	return "", ""
}

func anyTime(v string) (time.Time, bool) {
	if t, ok := parseMachineTime(v); ok {
		return t, true
	}
	return parseDate(v)
}

func (pg *page) fromJSONLD(f *fields, ld *ldArticle) {
	a := &f.a
	f.setText("title", &a.Title, ld.Headline, srcJSONLD)
	f.setText("section", &a.Section, ld.Section, srcJSONLD)
	f.setText("canonical_url", &a.CanonicalURL, pg.resolve(ld.URL), srcJSONLD)
	if t, ok := parseMachineTime(ld.Published); ok {
		f.setTime("published_at", &f.published, t, srcJSONLD)
	}
	if t, ok := parseMachineTime(ld.Modified); ok {
		pub, _ := parseMachineTime(ld.Published)
		// A dateModified that only repeats datePublished, on a page whose
		// modified-time meta is present but empty, says "never modified".
		if !(t.Equal(pub) && pg.emptyMeta("article:modified", "article:modified_time")) {
			f.setTime("updated_at", &f.updated, t, srcJSONLD)
		}
	}
	var rs []article.Reporter
	for _, p := range ld.Authors {
		if p.Org || strings.HasPrefix(strings.TrimSpace(p.Name), "http") || pg.isOutletName(p.Name) ||
			ld.Publisher != "" && normalizeSpace(p.Name) == normalizeSpace(ld.Publisher) {
			continue
		}
		for _, r := range parseReporters(p.Name) {
			if r.Email == "" {
				r.Email = p.Email
			}
			if r.Role == "" {
				r.Role = cleanRole(p.Role)
			}
			rs = mergeReporters(rs, []article.Reporter{r})
		}
	}
	f.setReporters(rs, srcJSONLD)
	if a.Outlet.Name == "" && ld.Publisher != "" {
		a.Outlet.Name = ld.Publisher
	}
	if len(a.Tags) == 0 {
		a.Tags = ld.Keywords
	}
	f.setText("language", &a.Language, ld.Language, srcJSONLD)
	for _, im := range ld.Images {
		a.Images = appendImage(a.Images, article.Image{URL: pg.resolve(im)})
	}
}

// emptyMeta reports whether one of the meta keys is present with no content.
func (pg *page) emptyMeta(keys ...string) bool {
	for _, k := range keys {
		if v, ok := pg.meta[k]; ok && v == "" {
			return true
		}
	}
	return false
}

// cleanRole keeps a JSON-LD jobTitle only when it is a reporter's role.
func cleanRole(s string) string {
	s = normalizeSpace(s)
	if s == "" || len([]rune(s)) > 8 {
		return ""
	}
	return s
}

func (pg *page) fromApp(f *fields, app *appArticle) {
	a := &f.a
	f.setText("title", &a.Title, app.Title, srcApp)
	f.setText("subtitle", &a.Subtitle, app.Subtitle, srcApp)
	f.setText("section", &a.Section, app.Section, srcApp)
	f.setText("canonical_url", &a.CanonicalURL, pg.resolve(app.URL), srcApp)
	if t, ok := parseMachineTime(app.Published); ok {
		f.setTime("published_at", &f.published, t, srcApp)
	}
	if t, ok := parseMachineTime(app.Modified); ok {
		f.setTime("updated_at", &f.updated, t, srcApp)
	}
	var rs []article.Reporter
	for _, p := range app.Reporters {
		for _, r := range parseReporters(p.Name) {
			if r.Email == "" {
				r.Email = p.Email
			}
			rs = mergeReporters(rs, []article.Reporter{r})
		}
	}
	f.setReporters(rs, srcApp)
	if len(f.bodyParas) == 0 && len(app.Paragraphs) > 0 && !app.BodyWeak {
		f.bodyParas = app.Paragraphs
		f.sources["body"] = srcApp
	}
	if len(f.related) == 0 && len(app.Related) > 0 {
		f.related = app.Related
		f.sources["related"] = srcApp
	}
	for _, im := range app.Images {
		a.Images = appendImage(a.Images, article.Image{URL: pg.resolve(im.URL), Caption: im.Caption})
	}
}

// Meta keys, best first.
var (
	metaTitle     = []string{"og:title", "twitter:title", "title", "headline", "dc.title"}
	metaPublished = []string{"article:published_time", "og:article:published_time", "datepublished", "og:regdate", "dd:published_time", "pubdate", "publishdate", "article:published", "date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date"}
	metaUpdated   = []string{"article:modified_time", "og:article:modified_time", "datemodified", "og:updated_time", "article:modified", "dd:modified_time", "lastmod", "dcterms.modified"}
	metaAuthor    = []string{"author", "article:author", "og:article:author", "dable:author", "byl", "byline", "dc.creator", "sailthru.author", "parsely-author"}
	metaSection   = []string{"article:section", "og:article:section", "section", "dable:item_section", "articlesection"}
	metaSite      = []string{"og:site_name", "application-name", "twitter:site"}
)

func (pg *page) metaFirst(keys []string) (string, string) {
	for _, k := range keys {
		if v := pg.meta[k]; v != "" {
			return v, k
		}
	}
	return "", ""
}

func (pg *page) fromMeta(f *fields) {
	a := &f.a
	for _, k := range metaTitle {
		v := pg.cleanTitle(unescapeText(pg.meta[k]))
		if v == "" {
			continue
		}
		// A plain "title" meta sometimes holds only the site name: trust it
		// only when the <title> carries it too.
		if !strings.Contains(k, ":") && pg.titleTag != "" && !strings.Contains(skeleton(pg.titleTag), skeleton(v)) {
			continue
		}
		f.setText("title", &a.Title, v, srcMeta)
		break
	}
	if v, _ := pg.metaFirst(metaSection); v != "" {
		f.setText("section", &a.Section, unescapeText(v), srcMeta)
	}
	for _, k := range metaPublished {
		if t, ok := parseMachineTime(pg.meta[k]); ok {
			f.setTime("published_at", &f.published, t, srcMeta)
			break
		}
	}
	for _, k := range metaUpdated {
		if t, ok := parseMachineTime(pg.meta[k]); ok {
			f.setTime("updated_at", &f.updated, t, srcMeta)
			break
		}
	}
	for _, k := range metaAuthor {
		v := unescapeText(pg.meta[k])
		if v == "" || strings.HasPrefix(v, "http") || pg.isOutletName(v) {
			continue
		}
		v = strings.TrimPrefix(strings.TrimPrefix(v, "By "), "by ")
		if rs := parseReporters(v); len(rs) > 0 {
			f.metaReporters = rs
			break
		}
	}
	if a.Outlet.Name == "" {
		if v, _ := pg.metaFirst(metaSite); v != "" {
			a.Outlet.Name = unescapeText(v)
		}
	}
	if a.Language == "" {
		a.Language = firstNonEmpty(pg.meta["og:locale"], pg.meta["inlanguage"], pg.meta["content-language"], pg.lang)
	}
	if len(a.Tags) == 0 {
		if v := firstNonEmpty(pg.meta["news_keywords"], pg.meta["keywords"]); v != "" {
			for _, w := range strings.Split(unescapeText(v), ",") {
				if w = strings.TrimSpace(w); w != "" {
					a.Tags = append(a.Tags, w)
				}
			}
		}
	}
	if v := firstNonEmpty(pg.meta["og:image"], pg.meta["twitter:image"]); v != "" {
		a.Images = appendImage(a.Images, article.Image{URL: pg.resolve(unescapeText(v))})
	}
	f.setText("canonical_url", &a.CanonicalURL, pg.resolve(pg.canonical), srcMeta)
	f.setText("canonical_url", &a.CanonicalURL, pg.resolve(pg.meta["og:url"]), srcMeta)
	if a.Title == "" {
		// An <h1> that the <title> repeats is the headline; one it does not
		// is usually the site's logo.
		tt := skeleton(pg.titleTag)
		for _, h := range pg.h1s {
			if v := textOf(h); h.DataAtom == atom.H1 && v != "" && (tt == "" || strings.Contains(tt, skeleton(v))) {
				f.setText("title", &a.Title, v, srcGeneric)
			}
		}
		f.setText("title", &a.Title, stripTitleTail(pg.cleanTitle(pg.titleTag)), srcGeneric)
	} else if f.sources["title"] != srcProfile {
		// Structured titles sometimes lose quotes or use look-alike marks
		// (″ for "); the visible headline is the one readers see.
		if v := pg.visibleTitle(a.Title); v != "" {
			a.Title = v
		} else if st := skeleton(a.Title); st == "" || strings.Contains(skeleton(pg.titleTag), st) || pg.showsHeadline(pg.cleanTitle(a.Title)) {
			// The <title> holds the structured title, or the page shows
			// it: nothing to compare.
		} else if v := pg.titleTagHeading(); v != "" && skeleton(v) != skeleton(pg.cleanTitle(a.Title)) {
			// The <title> and the visible headline agree, the structured
			// title says something else (a shortened or tagged og:title:
			// "반도체 예산 2조 편성", "[포토] …"): the headline readers see.
			a.Title = v
			f.sources["title"] = srcGeneric
		}
	}
}

// titleTagHeading returns the page's visible heading that reads as its
// <title> (the site's name cut off), "" when none does or the <title> is
// only the site's name.
func (pg *page) titleTagHeading() string {
	t := pg.cleanTitle(pg.titleTag)
	want := skeleton(t)
	if utf8.RuneCountInString(want) < 8 || pg.isSiteTitle(t) {
		return ""
	}
	for _, h := range pg.headings() {
		if h.skel == want {
			return h.text
		}
	}
	return ""
}

// fromPageText reads the visible datelines (입력 …, 수정 …) of the page's
// text outside its chrome. They fill the times no structured source gave,
// and a structured time (meta, JSON-LD, app data) that contradicts the
// labeled visible one loses to it: a page shows readers its own dates,
// while its meta tags are often a CMS default, a wrong zone or the
// section's. Only when the text outside the chrome holds no date is the
// whole page's text read.
func (pg *page) fromPageText(f *fields) {
	text := strings.TrimSpace(string(pg.text))
	pub, upd := findDateSpansFolded(text)
	if (pub.t.IsZero() || !pub.labeled && !pub.hasTime) && f.published.IsZero() {
		// No date is labeled as the publication's, and more than one has
		// no label, or the one found has no time (a masthead's "예시일보
		// 2024년 12월 5일 목요일" above the article's "2024.12.03 10:21"):
		// the one date with a time above the article's text is its
		// publication.
		if d, ok := timedDateAbove(text, f.a.Body); ok && (upd.t.IsZero() || !upd.t.Before(d.t)) {
			pub = d
		}
	}
	if pub.t.IsZero() && upd.t.IsZero() {
		if !f.published.IsZero() && !f.updated.IsZero() {
			return
		}
		// A <time> element whose text is no date ("3시간 전"), then the
		// whole page, chrome included: they may fill a missing publication
		// time, never overrule or fill beside a structured one.
		if t, ok := parseMachineTime(pg.timeAttr); ok && f.published.IsZero() {
			f.setTime("published_at", &f.published, t, srcGeneric)
			return
		}
		if t, ok := shortYearDate(text); ok && f.published.IsZero() {
			f.setTime("published_at", &f.published, t, srcText)
			return
		}
		pub, _ = findDateSpans(pg.allText())
		if f.published.IsZero() {
			f.setTime("published_at", &f.published, pub.t, srcText)
		}
		return
	}
	// A dateline far below the article (a comment's 등록 time) may fill a
	// missing time but not overrule one.
	limit := bodyEnd(text, f.a.Body) + 400
	for _, c := range []struct {
		field string
		dst   *time.Time
		vis   dateSpan
	}{{"published_at", &f.published, pub}, {"updated_at", &f.updated, upd}} {
		if c.vis.labeled && c.vis.start <= limit && !c.dst.IsZero() && f.sources[c.field] != srcProfile && contradicts(*c.dst, c.vis) {
			*c.dst = time.Time{}
		}
	}
	if f.published.IsZero() {
		f.setTime("published_at", &f.published, pub.t, srcText)
	}
	if !f.published.IsZero() && !upd.t.Before(f.published) {
		f.setTime("updated_at", &f.updated, upd.t, srcText)
	}
}

// timedDateAbove returns the date with a time that stands in text before
// the body's first paragraph, when exactly one does and it is not labeled
// as an update or a footer's.
func timedDateAbove(text, body string) (dateSpan, bool) {
	first := body
	if i := strings.Index(first, "\n\n"); i >= 0 {
		first = first[:i]
	}
	key := runePrefix(first, 30)
	if len(key) < 10 {
		return dateSpan{}, false
	}
	end := strings.Index(text, key)
	if end <= 0 {
		return dateSpan{}, false
	}
	var found dateSpan
	n, prevEnd := 0, 0
	scanDates(text[:end], func(d dateSpan) bool {
		kind := dateLabel(text[prevEnd:d.start])
		prevEnd = d.end
		if d.hasTime && kind != 2 && kind >= 0 {
			n++
			found = d
		}
		return n <= 1
	})
	return found, n == 1
}

// bodyEnd returns where the body's last paragraph ends in the page text,
// len(text) when it cannot be found there (a body from structured data).
func bodyEnd(text, body string) int {
	last := body
	if i := strings.LastIndex(body, "\n\n"); i >= 0 {
		last = body[i+2:]
	}
	key := last
	if len(key) > 60 {
		n := 60
		for n > 0 && !utf8.RuneStart(key[n]) {
			n--
		}
		key = key[:n]
	}
	if key == "" {
		return len(text)
	}
	i := strings.LastIndex(text, key)
	if i < 0 {
		return len(text)
	}
	return i + len(last)
}

// contradicts reports whether a structured time disagrees with the visible
// one: a different day when the page shows only the day, else more than
// five minutes apart (pages show minutes, structured data seconds, and
// some CMSs stamp the minute the page was built).
func contradicts(structured time.Time, vis dateSpan) bool {
	if !vis.hasTime {
		a, b := structured.In(article.KST), vis.t.In(article.KST)
		return a.YearDay() != b.YearDay() || a.Year() != b.Year()
	}
	d := structured.Sub(vis.t)
	return d > 5*time.Minute || d < -5*time.Minute
}

// allText is the page's whole visible text, chrome included.
func (pg *page) allText() string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if b.Len() > maxPageText {
			return
		}
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			b.WriteByte(' ')
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
	walk(pg.root)
	return b.String()
}

// ---- body cleaning ----

// cleanBody applies the Korean rules to the candidate body paragraphs:
// dateline prefixes, byline and sign-off lines, copyright, promo, tip and
// credit lines leave the body; the reporters they name are kept.
func (pg *page) cleanBody(f *fields) {
	a := &f.a
	paras := f.bodyParas
	var kept []string
	var fromText []article.Reporter
	copyright := ""
	title := normalizeSpace(a.Title)
	subtitle := skeleton(a.Subtitle)
	var lead []string // short paragraphs kept before the first sentence
	end := -1         // len(kept) at the last closing byline, copyright or end mark
	qa := isInterview(paras)
	for i, p := range paras {
		if i == 0 || len(kept) == 0 || i <= 3 && len(kept) == len(lead) {
			rs, rest := splitDateline(p)
			if len(rs) > 0 || rest != p {
				if len(kept) > 0 {
					// A wire dateline starts the article: the short lines
					// before it are the sub-headline or lead box.
					if a.Subtitle == "" {
						a.Subtitle = strings.Join(kept, "\n")
						f.sources["subtitle"] = srcGeneric
					}
					kept, lead = kept[:0], lead[:0]
				}
				fromText = mergeReporters(fromText, rs)
				p = strings.TrimSpace(rest)
				if p == "" {
					continue
				}
			}
		}
		if len(kept) == len(lead) && (p == title || pg.inSubtitle(p, subtitle)) {
			continue
		}
		if pg.prof != nil && matchAny(pg.prof.code().boilerplate, p) {
			continue
		}
		switch pg.lineKind(p) {
		case lineCopyright:
			if copyright == "" {
				copyright = copyrightText(p)
			}
			end = len(kept)
			continue
		case lineEnd:
			end = len(kept)
			continue
		case linePromo:
			// An interview's answers are ▶ lines: "-예산이 늘었나." "▶늘었다."
			if !qa || !answerLine(p) {
				continue
			}
		case lineTip, lineCredit, lineNotice, lineDate:
			continue
		}
		if rs, ok := pg.bylineLine(p); ok {
			if len(kept) > 0 && slices.ContainsFunc(rs, func(r article.Reporter) bool { return r.Name != "" }) {
				end = len(kept)
			}
			for _, r := range rs {
				// An e-mail alone on its line belongs to the reporter named
				// before it, when only one was.
				if n := len(fromText); r.Name == "" && n == 1 && fromText[0].Name != "" && fromText[0].Email == "" {
					fromText[0].Email = r.Email
					continue
				}
				fromText = mergeReporters(fromText, []article.Reporter{r})
			}
			continue
		}
		if len(kept) == len(lead) && utf8.RuneCountInString(p) <= 120 && !endsSentence(p) {
			lead = append(lead, p)
		}
		kept = append(kept, p)
	}
	// Short lines opening the body that the page's description repeats
	// are its sub-headline, set off by a class gisa does not know.
	if a.Subtitle == "" && len(lead) > 0 && len(kept) > len(lead) {
		n := pg.describedLines(lead)
		if n == 0 {
			n = leadBlockLines(f.bodyNode, lead)
		}
		if n > 0 {
			a.Subtitle = strings.Join(lead[:n], "\n")
			f.sources["subtitle"] = srcGeneric
			kept = kept[n:]
		}
	}
	// A block named as the sub-headline ("subtitle", "sub_tt", "mid_title",
	// "summary") opening the body's element, or standing right before it,
	// whose lines the generic extractor left out of the body.
	if a.Subtitle == "" && f.sources["body"] == srcGeneric {
		if lines := namedLead(f.bodyNode, a.Title, kept); len(lines) > 0 {
			a.Subtitle = strings.Join(lines, "\n")
			f.sources["subtitle"] = srcGeneric
			if len(kept) > len(lines) && slices.Equal(kept[:len(lines)], lines) {
				kept = kept[len(lines):]
			}
		}
	}
	// Readers' comments printed after the article's end (its closing
	// byline, copyright or end mark): lines stamped with a time, each a
	// comment's ("나그네 2024.12.03 11:00"). Two stamps make a thread; text
	// after the end with none (a sidebar story) stays.
	if end > 0 && end < len(kept) && stampLines(kept[end:]) >= 2 {
		kept = kept[:end]
	}
	// A source credit alone on the last line ("삼성전자 제공") belongs to
	// a photo, not to the text.
	for len(kept) > 1 && trailingCreditRe.MatchString(kept[len(kept)-1]) {
		kept = kept[:len(kept)-1]
	}
	// A byline glued after the last sentence ("…권고했다. /김태연 기자").
	if n := len(kept); n > 1 {
		if head, rs, ok := cutTrailingByline(kept[n-1]); ok {
			kept[n-1] = head
			fromText = mergeReporters(fromText, rs)
		}
	}
	a.Body = strings.Join(kept, "\n\n")
	if copyright != "" {
		a.Copyright = copyright
	}
	// Byline elements choose the reporters or complete them; a complete
	// list does not need them read.
	var elements []article.Reporter
	if !complete(f.reporters) {
		elements = pg.elementReporters(a.Title, f.bodyNode)
	}
	if len(f.reporters) == 0 {
		var named []article.Reporter
		for _, r := range fromText {
			if r.Name != "" {
				named = append(named, r)
			}
		}
		if len(elements) == 0 && len(named) == 0 {
			named = headerReporters(pg.headlineNode(a.Title), f.bodyNode, pg.bylineLine)
		}
		if len(elements) == 0 && len(named) == 0 {
			named = closingReporters(f.bodyNode, pg.bylineLine)
		}
		f.setReporters(chooseReporters(elements, named, f.metaReporters))
		// A TV transcript may name its reporter only in the anchor's
		// hand-off, which stays in the text.
		if r, ok := handOffReporter(kept); ok && len(f.reporters) == 0 {
			f.setReporters([]article.Reporter{r}, srcGeneric)
		}
	}
	fillReporters(f.reporters, elements, f.metaReporters)
	// Fill emails and roles from the body's bylines; an e-mail with no name
	// goes to a lone reporter.
	for i := range f.reporters {
		r := &f.reporters[i]
		for _, t := range fromText {
			if t.Name == r.Name || t.Name == "" && len(f.reporters) == 1 {
				if r.Email == "" {
					r.Email = t.Email
				}
				if r.Role == "" && t.Name != "" {
					r.Role = t.Role
				}
			}
		}
		if r.Email == "" {
			r.Email = pg.mailtoOf(r.Name)
		}
	}
}

// maxMailtos bounds the mailto links a page's walk keeps.
const maxMailtos = 16

// mailtoAddress returns the address of a mailto link, "" when a is none
// or its address is not one.
func mailtoAddress(a *html.Node) string {
	h := attr(a, "href")
	if len(h) < 10 || h[0] != 'm' && h[0] != 'M' && h[0] != ' ' {
		return "" // most links: no need to trim them
	}
	if h = strings.TrimSpace(h); len(h) < 10 || !strings.EqualFold(h[:7], "mailto:") {
		return ""
	}
	addr, _, _ := strings.Cut(h[7:], "?")
	addr = strings.TrimSpace(addr)
	if m := emailRe.FindString(addr); m != "" && m == addr {
		return addr
	}
	return ""
}

// mailtoOf returns the address of the mailto link that names the
// reporter name: in its own text ("<a href=mailto:…>홍길동 기자</a>") or in
// the short line around it ("홍길동 기자 <a href=mailto:…>메일</a>"). ""
// when no link, or links to different addresses, name them.
func (pg *page) mailtoOf(name string) string {
	if name == "" {
		return ""
	}
	found := ""
	for _, a := range pg.mailtos {
		line := a
		for up := 0; up < 2 && line.Parent != nil && !strings.Contains(textOf(line), name); up++ {
			line = line.Parent
		}
		t := textOf(line)
		if !strings.Contains(t, name) || utf8.RuneCountInString(t) > 80 {
			continue
		}
		if addr := mailtoAddress(a); found == "" {
			found = addr
		} else if !strings.EqualFold(found, addr) {
			return ""
		}
	}
	return found
}

// describedLines returns how many of the short lines opening the body
// (lines) are the page's sub-headline by its description: Korean outlets
// write the sub-headline's lines into <meta name="description"> (or og:
// or twitter:description), joined with spaces or " / ". The lines counted
// must each appear in the description, and together make most (80 %) of
// it: a description that is the article's first sentences, cut short,
// does not make the lines before them a sub-headline. Lines with little
// Hangul are left to the body: an English page's standfirst is read as
// the start of its text.
func (pg *page) describedLines(lines []string) int {
	desc := skeleton(firstNonEmpty(pg.meta["description"], pg.meta["og:description"], pg.meta["twitter:description"]))
	if utf8.RuneCountInString(desc) < 12 {
		return 0
	}
	n, covered := 0, 0
	for _, l := range lines {
		s := skeleton(l)
		if utf8.RuneCountInString(s) < 4 || !strings.Contains(desc, s) || hangulShare(l) < 0.3 {
			break
		}
		n++
		covered += len(s)
	}
	if n == 0 || covered*10 < len(desc)*8 {
		return 0
	}
	return n
}

// leadBlockLines returns how many of the lines opening the body (lead)
// are its sub-headline by their markup: Korean outlets set the
// sub-headline as the first block of the article's element, a heading or
// a bold block whose short lines <br> divides ("<h2>…<br>…</h2>", "<strong
// class=…>…<br>…</strong>" on portals). The block must hold the body's
// first text, be a block of its own (not a bold word opening a
// paragraph), and hold one to six Hangul lines, none of them a sentence,
// a byline or a speaker's label; its lines must be the lead's first ones.
// (English pages' first headings are left to the body, as the aeb
// benchmark counts them.)
func leadBlockLines(body *html.Node, lead []string) int {
	if body == nil {
		return 0
	}
	// The text the lead's first line is: the body's first text, or, when
	// the body's element is wider than the article (its first text a
	// breadcrumb the extractor left out), the first text that reads so.
	first := firstTextNode(body)
	searched := false
	if first != nil && normalizeSpace(first.Data) != lead[0] {
		first, searched = textNodeReading(body, lead[0]), true
	}
	if first == nil {
		return 0
	}
	var block *html.Node
	for n := first.Parent; n != nil && n != body; n = n.Parent {
		switch n.DataAtom {
		case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Strong, atom.B:
			block = n
		}
	}
	if block == nil {
		return 0
	}
	// A bold word opening a paragraph is not a block of its own; bold
	// lines broken by <br> are.
	if !isBlock(block) && !boldLines(block) && continuesInline(block) {
		return 0
	}
	lines := paragraphs(block, nil)
	if len(lines) == 0 || len(lines) > 6 || len(lines) > len(lead) || searched && len(lines) < 2 {
		return 0 // found by searching, only a box of lines is sure to be the lead
	}
	for i, l := range lines {
		if l != lead[i] || utf8.RuneCountInString(l) > 80 || endsSentence(l) || isWrapped(l) || hangulShare(l) < 0.3 {
			return 0
		}
		if _, ok := parseBylineLine(l); ok {
			return 0
		}
	}
	return len(lines)
}

// isInterview reports whether paras read as an interview written in
// questions and ▶ answers: two lines or more opening with a dash (the
// interviewer's questions, "-예산이 늘었나요?", "― 얼마나 늘었나."), and
// two or more ▶ answers that are sentences.
func isInterview(paras []string) bool {
	q, a := 0, 0
	for _, p := range paras {
		p = strings.TrimSpace(p)
		switch r, _ := utf8.DecodeRuneInString(p); r {
		case '-', '―', '—', '–':
			if len(p) > 3 && len(p) < 800 {
				q++
			}
		case '▶':
			if answerLine(p) {
				a++
			}
		}
	}
	return q >= 2 && a >= 2
}

// answerLine reports a ▶ line that reads as an interview's answer: a
// sentence ("▶늘었다.", "▶네, 맞습니다.") with no word of a promo.
func answerLine(p string) bool {
	p = strings.TrimSpace(p)
	return strings.HasPrefix(p, "▶") && endsSentence(p) && !promoWordRe.MatchString(p)
}

// shortYearRe is a date with a two-digit year and a time, as bulletin-board
// systems print it after a posting label: "작성일 24-12-03 10:21", "등록일 :
// 24.12.03 10:21".
var shortYearRe = lazy.NewRegexp(`^\s*[:：]?\s*(\d{2})[-.](\d{2})[-.](\d{2})\.?\s+(\d{1,2}):(\d{2})`)

// shortYearDate reads the first shortYearRe date after a posting label
// (작성일, 등록일, 게시일, 입력, 등록, 작성) in text, in KST, when its
// parts make a real date of this century.
func shortYearDate(text string) (time.Time, bool) {
	var m []string
	for _, label := range []string{"작성", "등록", "게시일", "입력"} {
		for from, tries := 0, 0; m == nil && tries < 8; tries++ {
			i := strings.Index(text[from:], label)
			if i < 0 {
				break
			}
			from += i + len(label)
			rest := strings.TrimPrefix(text[from:], "일")
			m = shortYearRe.FindStringSubmatch(rest[:min(len(rest), 40)])
		}
	}
	if m == nil {
		return time.Time{}, false
	}
	var n [5]int
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	t := time.Date(2000+n[0], time.Month(n[1]), n[2], n[3], n[4], 0, 0, article.KST)
	if t.Month() != time.Month(n[1]) || t.Day() != n[2] || n[3] > 23 || n[4] > 59 {
		return time.Time{}, false
	}
	return t, true
}

// teaserList returns how many teasers node, the element the generic
// extractor chose, holds when it is a list of other articles' teasers (a
// section, search or reporter page) rather than an article, else 0: under
// one element of it, five items or more that each open with a link reading
// as a headline and go on with a summary, most of them dated, holding most
// (70 %) of node's text. A roundup article ("10 things in tech you need to
// know today") opens its items with linked headlines too, but dates none
// of them.
func teaserList(node *html.Node) int {
	if node == nil || linkCount(node, 5) < 5 {
		return 0 // five teasers have five links
	}
	most, mostText := 0, 0
	var visit func(p *html.Node, depth int)
	visit = func(p *html.Node, depth int) {
		n, dated, text := 0, 0, 0
		kids := 0
		for c := p.FirstChild; c != nil && kids < 5; c = c.NextSibling {
			if c.Type == html.ElementNode {
				kids++
			}
		}
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skipElement(c) {
				continue
			}
			if kids < 5 {
				// Too few items to be a list: only look below.
			} else if t, ok := teaserItem(c); ok {
				n++
				text += t
				if _, ok := parseDate(textOf(c)); ok {
					dated++
				}
			}
			if depth < 3 {
				visit(c, depth+1)
			}
		}
		if dated*2 < n {
			n = 0 // a roundup article's items carry no dates of their own
		}
		if n > most {
			most, mostText = n, text
		}
	}
	visit(node, 0)
	if most < 5 || mostText*10 < utf8.RuneCountInString(textOf(node))*7 {
		return 0
	}
	return most
}

// teaserItem reports whether n opens with a link whose text reads as a
// headline (8 characters or more) and goes on with a summary (20 more
// characters or more), and returns its text's length.
func teaserItem(n *html.Node) (int, bool) {
	var link *html.Node
	var find func(*html.Node) bool
	find = func(x *html.Node) bool {
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skipElement(c) {
				continue
			}
			if c.DataAtom == atom.A && attr(c, "href") != "" && textOf(c) != "" {
				link = c
				return true
			}
			if find(c) {
				return true
			}
		}
		return false
	}
	if !find(n) {
		return 0, false
	}
	t, lt := textOf(n), textOf(link)
	size, head := utf8.RuneCountInString(t), utf8.RuneCountInString(lt)
	return size, head >= 8 && strings.HasPrefix(t, lt) && size-head >= 20
}

// stampLines counts the lines that are a time stamp, a date with its
// time and at most a short name or a few marks beside it ("2024.12.03
// 11:00", "행인 2024-12-03 11:05", "나그네 | 2024.12.03 11:00").
func stampLines(lines []string) int {
	n := 0
	for _, l := range lines {
		if len(l) > 120 {
			continue
		}
		stamped := false
		scanDates(l, func(d dateSpan) bool {
			if d.hasTime {
				rest := strings.Trim(l[:d.start]+" "+l[d.end:], " |·-/()[]")
				stamped = utf8.RuneCountInString(rest) <= 15 && !endsSentence(rest)
			}
			return false
		})
		if stamped {
			n++
		}
	}
	return n
}

// namedLead returns the lines of the element named as a sub-headline that
// opens body (its first text is in it) or stands right before it (the
// nearest preceding sibling with text), when they read as a sub-headline
// (one to six lines of Korean, each at most 120 characters, no title,
// byline or sentence) and the body's paragraphs (kept) either hold none of
// them or open with all of them.
func namedLead(body *html.Node, title string, kept []string) []string {
	if body == nil {
		return nil
	}
	var block *html.Node
	if first := firstTextNode(body); first != nil {
		for n := first.Parent; n != nil && n != body; n = n.Parent {
			if namesSubtitle(n) {
				block = n
			}
		}
	}
	if block == nil {
		for s := body.PrevSibling; s != nil; s = s.PrevSibling {
			if s.Type == html.TextNode && !allSpace(s.Data) {
				break
			}
			if s.Type != html.ElementNode || skipElement(s) || firstTextNode(s) == nil {
				continue
			}
			// The sibling, or the element its text starts in ("<div
			// class=mid_title><div class=midtitle_text>…").
			if namesSubtitle(s) {
				block = s
			} else if t := firstTextNode(s); t != nil {
				for n := t.Parent; n != nil && n != s; n = n.Parent {
					if namesSubtitle(n) {
						block = n
					}
				}
			}
			break
		}
	}
	if block == nil || linkCount(block, 0) > 0 {
		return nil
	}
	lines := paragraphs(block, nil)
	if len(lines) == 0 || len(lines) > 6 {
		return nil
	}
	st := skeleton(title)
	opens := len(kept) > len(lines) && slices.Equal(kept[:len(lines)], lines)
	for _, l := range lines {
		if utf8.RuneCountInString(l) > 120 || hangulShare(l) < 0.3 || !opens && slices.Contains(kept, l) || skeleton(l) == st {
			return nil
		}
		if _, ok := parseBylineLine(l); ok || classifyLine(l) != lineText {
			return nil
		}
		// A summary of sentences ("…했다."), or one under a label ("AI
		// 요약", "3줄 요약"), is a summary box, not the sub-headline.
		if strings.HasSuffix(l, ".") && endsSentence(l) || utf8.RuneCountInString(l) <= 8 && strings.Contains(l, "요약") {
			return nil
		}
	}
	return lines
}

// namesSubtitle reports whether an element's class or id names a
// sub-headline: "subtitle", "sub_title", "sub-tit", "subhead", "sub_tt",
// "mid_title", "tit_sub", "summary", "standfirst".
func namesSubtitle(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		v := strings.ToLower(a.Val)
		if !containsAny(v, "sub", "summary", "standfirst", "mid") {
			continue
		}
		v = strings.NewReplacer("-", "", "_", "").Replace(v)
		if containsAny(v, "subtit", "subhead", "subtt", "midtit", "titsub", "summary", "standfirst") {
			return true
		}
	}
	return false
}

// textNodeReading returns the first text node under n, among those
// paragraphs would read, whose text is line; nil when none is.
func textNodeReading(n *html.Node, line string) *html.Node {
	return findTextNode(n, func(s string) bool { return len(s) >= len(line) && normalizeSpace(s) == line })
}

// firstTextNode returns the first text node under n that holds more than
// space and that paragraphs would read (skipElement passes over the rest).
func firstTextNode(n *html.Node) *html.Node {
	return findTextNode(n, func(s string) bool { return !allSpace(s) })
}

// findTextNode returns the first text node under n, among those paragraphs
// would read, whose text passes ok; nil when none does.
func findTextNode(n *html.Node, ok func(string) bool) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if ok(c.Data) {
				return c
			}
		case html.ElementNode:
			if skipElement(c) {
				continue
			}
			if t := findTextNode(c, ok); t != nil {
				return t
			}
		}
	}
	return nil
}

// continuesInline reports whether text follows the inline element n in
// its line: a word or an inline element with text before the next block
// or <br>.
func continuesInline(n *html.Node) bool {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		switch s.Type {
		case html.TextNode:
			if !allSpace(s.Data) {
				return true
			}
		case html.ElementNode:
			if isBlock(s) {
				return false
			}
			if !skipElement(s) && firstTextNode(s) != nil {
				return true
			}
		}
	}
	return false
}

// trailingCreditRe is a photo's source credit: "삼성전자 제공", "[사진
// 제공=홍길동]", "자료사진", "Getty Images".
var trailingCreditRe = lazy.NewRegexp(`^[\[(<]?(?:[^ ]{1,12}(?: [^ ]{1,12})? ?(?:제공|자료사진|캡처|DB)|자료 ?사진|(?i:getty ?images|photo ?credit[^ ]*))[\])>]?$`)

// inSubtitle reports whether the paragraph p repeats the subtitle (its
// letters and digits, sub): the whole of it, one of its lines, or a
// paragraph holding it and little more.
func (pg *page) inSubtitle(p, sub string) bool {
	if sub == "" {
		return false
	}
	sp := skeleton(p)
	if utf8.RuneCountInString(sp) < 6 {
		return sp != "" && sp == sub
	}
	return strings.Contains(sub, sp) || strings.Contains(sp, sub) && len(sp) <= len(sub)+30
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// photoBody gives a photo article (포토뉴스), whose text is the caption
// under its photo, that caption as its body: the captions of the page's
// photos that hold a sentence of Hangul, credit cut off. Photos in links
// to elsewhere and in navigation are not read (bodyImages).
func (pg *page) photoBody(f *fields) {
	a := &f.a
	var paras []string
	for _, im := range pg.bodyImages(pg.root, a.Title) {
		c := im.Caption
		if utf8.RuneCountInString(c) >= 20 && hangulShare(c) >= 0.3 && strings.ContainsAny(c, ".다") {
			paras = append(paras, c)
		}
	}
	if len(paras) == 0 || len(paras) > 3 {
		return // no caption, or a gallery: not one photo's article
	}
	a.Body = strings.Join(paras, "\n\n")
	f.sources["body"] = srcCaption
}

// outletName is the name the page gives its press, when no profile names
// it: og:site_name (or JSON-LD's publisher) without a slogan after it
// ("예시일보 - 빛나는 뉴스") and unless it is a host name or a handle, a
// Korean (korean: the page's language) broadcaster's news site by the
// broadcaster; else the site name the <title> ends with ("… - 예시일보");
// else the one its copyright line names ("Copyright © 예시신문.").
func (pg *page) outletName(a *article.Article, korean bool) string {
	name := normalizeSpace(a.Outlet.Name)
	if l := strings.ToLower(name); strings.Contains(l, "://") || strings.HasPrefix(l, "www.") || strings.HasSuffix(l, ".kr") || strings.HasPrefix(l, "@") {
		name = "" // "www.example.co.kr", "@ExampleNews": not a name ("Example.com" is one)
	}
	if loc := firstTitleSep(name); loc != nil {
		if head := strings.TrimSpace(name[:loc[0]]); siteLabel(head, true) {
			name = head
		}
	}
	if name != "" {
		if korean {
			name = pressOfNews(name) // a Korean broadcaster's news site
		}
	} else if t := normalizeSpace(pg.titleTag); t != "" {
		if locs := titleSeps(t); len(locs) > 0 {
			last := locs[len(locs)-1]
			if tail := strings.TrimSpace(t[last[1]:]); tail != "" && siteLabel(tail, true) {
				name = tail
			}
		}
	}
	if name == "" {
		if m := copyrightNameRe.FindStringSubmatch(a.Copyright); m != nil && siteLabel(m[1], true) {
			name = m[1]
		}
	}
	if press := pg.copiedPress(name); korean && press != "" {
		return press
	}
	return name
}

// copiedPress returns the press a portal's copy of an article names as its
// author, "" when the page is no such copy: the author meta tag holds the
// press beside the portal, the site ("뉴시스 | 네이버" on a page of 네이버
// 뉴스), or names a press other than the site (author 뉴시스 under the site
// name 다음뉴스). The press must read as one (a known outlet, or a name with
// a press suffix: 일보, 뉴스, 신문 …), never a person or a desk.
func (pg *page) copiedPress(site string) string {
	if site == "" {
		return ""
	}
	ss := skeleton(site)
	for _, k := range []string{"og:article:author", "article:author"} {
		v := normalizeSpace(unescapeText(pg.meta[k]))
		if v == "" || strings.Contains(v, "://") {
			continue
		}
		parts := strings.Split(v, "|")
		if len(parts) > 2 {
			continue
		}
		var press []string
		portal := false
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if sp := skeleton(p); sp == "" || strings.Contains(ss, sp) || strings.Contains(sp, ss) {
				portal = true // the site itself
				continue
			}
			press = append(press, p)
		}
		if len(press) == 1 && (portal || len(parts) == 1) && siteLabel(press[0], true) {
			return press[0]
		}
	}
	return ""
}

// pressOfNews names a broadcaster's news site by the broadcaster, as the
// press names itself in its credits: "KBS뉴스", "SBS 뉴스", "MBC NEWS" are
// KBS, SBS and MBC. A name that is a word before 뉴스 ("연합뉴스",
// "노컷뉴스") is kept whole.
func pressOfNews(name string) string {
	for _, suf := range []string{" 뉴스", "뉴스", " NEWS"} {
		head, ok := strings.CutSuffix(name, suf)
		if !ok {
			continue
		}
		if n := len(head); n >= 2 && n <= 6 && isUpperASCII(head) {
			return head
		}
	}
	return name
}

// isUpperASCII reports capital letters and digits only, one letter at
// least ("KBS", "OBS", "KNN").
func isUpperASCII(s string) bool {
	letter := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z':
			letter = true
		case c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return letter
}

// copyrightNameRe reads the name after a copyright mark: "Copyright ©
// 예시신문.", "ⓒ 예시일보 무단전재 …", "<저작권자 © 예시뉴스, …>", past a
// slogan in quotes ("<저작권자 © '돈이 보이는 뉴스' 예시투데이. …>", "ⓒ
// '문화 전문가그룹' 예시미디어(www.…)").
var copyrightNameRe = lazy.NewRegexp(`(?:ⓒ|©|Ⓒ|\([cC]\))\s*(?:\d{4}(?:-\d{4})?\s*)?(?:['‘’"“”][^'‘’"“”]{1,40}['‘’"“”]\s*)?([^\s.,<>\[\]()&'‘’"“”]{2,20})`)

// ---- finishing ----

// finish assembles the record from the fields the layers gave.
func (pg *page) finish(f *fields) {
	a := &f.a
	if !f.published.IsZero() {
		t := f.published
		a.PublishedAt = &t
	}
	if !f.updated.IsZero() {
		t := f.updated
		a.UpdatedAt = &t
	}
	a.Reporters = f.reporters
	a.Title = pg.cleanTitle(a.Title)
	if a.Copyright == "" {
		a.Copyright = pg.findCopyright()
	}
	if len(f.related) == 0 {
		last := a.Body
		if i := strings.LastIndex(last, "\n\n"); i >= 0 {
			last = last[i+2:]
		}
		f.related = pg.relatedFromPage(f.bodyNode, last)
		if len(f.related) > 0 {
			f.sources["related"] = srcGeneric
		}
	}
	a.Related = pg.cleanRelated(f.related, a)
	root := f.bodyRoot
	if root == nil {
		root = f.bodyNode
	}
	for _, im := range pg.bodyImages(root, a.Title) {
		a.Images = appendImage(a.Images, im)
	}
	if a.CanonicalURL == "" {
		a.CanonicalURL = a.URL
	}
	a.Language = normalizeLanguage(a.Language)
	if a.Language == "" && hangulShare(a.Body) > 0.3 {
		a.Language = "ko"
	}
	korean := a.Language == "ko"
	if f.sources["outlet"] != srcProfile {
		a.Outlet.Name = pg.outletName(a, korean)
	}
	for k, v := range f.sources {
		if a.Extraction.Sources == nil {
			a.Extraction.Sources = map[string]string{}
		}
		a.Extraction.Sources[k] = v
	}
}

// seal completes a record once its fields are final (after the outlet's
// hook): its ID, valid NFC text, the parser version and the content hash.
func (pg *page) seal(a *article.Article) {
	a.ID = pg.articleID(a)
	// Every text field is valid, NFC UTF-8.
	for _, s := range []*string{&a.Title, &a.Subtitle, &a.Body, &a.Section, &a.Copyright, &a.Outlet.Name} {
		*s = validNFC(*s)
	}
	for i := range a.Reporters {
		a.Reporters[i].Name = validNFC(a.Reporters[i].Name)
	}
	a.ParserVersion = Version
	a.Normalize()
}

func (pg *page) articleID(a *article.Article) string {
	outlet := a.Outlet.ID
	if outlet == "" {
		if pg.base != nil {
			outlet = strings.TrimPrefix(strings.ToLower(pg.base.Hostname()), "www.")
		}
		if outlet == "" {
			outlet = "unknown"
		}
	}
	key := ""
	if pg.prof != nil {
		key = pg.prof.ArticleKey(a.URL)
		if key == "" {
			key = pg.prof.ArticleKey(a.CanonicalURL)
		}
	}
	if key == "" {
		src := firstNonEmpty(a.CanonicalURL, a.URL)
		if src == "" {
			src = a.Title + "\x00" + a.ContentHash
			if a.ContentHash == "" {
				src = a.Title + "\x00" + article.ContentHash(a.Body)
			}
		}
		key = shortHash(src)
	}
	return article.MakeID(outlet, key)
}

// visibleTitle returns the page's visible headline when it is the same
// headline as t but for punctuation, "" otherwise: an <h1>-<h3> or an
// element named as a headline, else any text of the page's body that
// reads as t does (a headline in a <div> whose class says nothing).
func (pg *page) visibleTitle(t string) string {
	want := skeleton(pg.cleanTitle(t))
	if want == "" {
		return ""
	}
	matched := false
	for _, h := range pg.headings() {
		if h.skel == want {
			if h.text != t {
				return h.text
			}
			matched = true
		}
	}
	if !matched {
		// A structured title cut short ("정부, 내년 반도체 지원 예산…"): the
		// heading it begins.
		if head, ok := cutShort(t); ok {
			if ws := skeleton(pg.cleanTitle(head)); utf8.RuneCountInString(ws) >= 8 {
				for _, h := range pg.headings() {
					if len(h.skel) > len(ws) && strings.HasPrefix(h.skel, ws) {
						return h.text
					}
				}
			}
		}
		if v := pg.textReading(want); v != t {
			return v
		}
	}
	return ""
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// cutShort returns a title without the ellipsis that ends it, when one
// does ("…", "..."), and whether one did.
func cutShort(t string) (string, bool) {
	t = strings.TrimSpace(t)
	for _, e := range []string{"…", "..."} {
		if head, ok := strings.CutSuffix(t, e); ok {
			return head, true
		}
	}
	return t, false
}

// textReading returns the first text of the page's body, one text node,
// whose letters and digits are skel; "" when none is.
func (pg *page) textReading(skel string) string {
	// The first two letters of the title stand together in any text that
	// reads as it: a quick test before the exact one.
	lead := skel
	if _, n := utf8.DecodeRuneInString(skel); n < len(skel) {
		_, m := utf8.DecodeRuneInString(skel[n:])
		lead = skel[:n+m]
	}
	found := ""
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && found == ""; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				// Only a text of about the title's length can read as it.
				if l := len(c.Data); l >= len(skel) && l <= 3*len(skel)+200 && strings.Contains(c.Data, lead) {
					if v := normalizeSpace(c.Data); skeleton(v) == skel {
						found = v
					}
				}
			case html.ElementNode:
				if c.DataAtom != atom.Head && c.DataAtom != atom.Title && !skipElement(c) {
					walk(c)
				}
			}
		}
	}
	if pg.root != nil {
		walk(pg.root)
	}
	return found
}

// skeleton keeps only the letters and digits of s. One allocation: it is
// called on every heading, title and candidate line of a page.
func skeleton(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if hangulSyllable(r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Title suffixes: " - 매일경제", " | YTN", " : 사회 : 뉴스 : 한겨레".
// Also " :: " and " · " (spaced: "한·미" is not a separator). A separator
// is what the expression
//
//	\s+(?:::|[-|:ㅣ–—<>·])\s+|\s*(?:::|[|ㅣ])\s*
//
// matches, leftmost first (\s is tab, newline, form feed, carriage return
// and space): one of - | : :: ㅣ – — < > · with spaces on both sides, or a
// bar (|, ㅣ) or a :: with or without them. titleSepAt matches it with byte
// tests: three times as fast as the expression run from titleSepStart
// (BenchmarkTitleSeps), and nothing to compile in a one-page process.
// TestTitleSepsMatchExpression and FuzzTitleSeps hold it to the expression.

// titleSepAt returns the end of the separator that starts at t[i], or -1
// when none does.
func titleSepAt(t string, i int) int {
	j := skipRESpace(t, i)
	if j == len(t) {
		return -1
	}
	// The separator's spaces can only end where it does: a separator
	// character is never a space, so the greedy \s+ and \s* take all.
	n := 0 // the length of the separator at t[j]
	bar := false
	switch c := t[j]; {
	case c == ':' && strings.HasPrefix(t[j:], "::"):
		n, bar = 2, true
	case c == '|':
		n, bar = 1, true
	case c == '-' || c == ':' || c == '<' || c == '>':
		n = 1
	case strings.HasPrefix(t[j:], "ㅣ"):
		n, bar = len("ㅣ"), true
	case strings.HasPrefix(t[j:], "–") || strings.HasPrefix(t[j:], "—"):
		n = len("–")
	case strings.HasPrefix(t[j:], "·"):
		n = len("·")
	default:
		return -1
	}
	end := skipRESpace(t, j+n)
	if j > i && end > j+n {
		return end // spaced on both sides: the first alternative
	}
	if bar {
		return end // a bar or "::" needs no spaces
	}
	return -1
}

// skipRESpace returns the index of the first byte at or after i that is not
// a \s space.
func skipRESpace(t string, i int) int {
	for i < len(t) {
		switch t[i] {
		case '\t', '\n', '\f', '\r', ' ':
			i++
		default:
			return i
		}
	}
	return i
}

// titleSepStart returns where the first separator can start at the
// earliest, -1 when t has none: every one holds a separator character with
// only spaces before it. Most of a title, the headline, is read only by
// indexTitleSepChar.
func titleSepStart(t string) int {
	i := indexTitleSepChar(t)
	if i < 0 {
		return -1
	}
	for i > 0 && strings.IndexByte("\t\n\f\r ", t[i-1]) >= 0 {
		i--
	}
	return i
}

// indexTitleSepChar is strings.IndexAny(t, ":|-<>·ㅣ–—"), reading bytes:
// the lead bytes of the non-ASCII ones (· C2 B7, ㅣ E3 85 A3, – E2 80 93,
// — E2 80 94) never continue another character, so a byte match is a
// character match.
func indexTitleSepChar(t string) int {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case ':', '|', '-', '<', '>':
			return i
		case 0xC2:
			if strings.HasPrefix(t[i:], "·") {
				return i
			}
		case 0xE3:
			if strings.HasPrefix(t[i:], "ㅣ") {
				return i
			}
		case 0xE2:
			if strings.HasPrefix(t[i:], "–") || strings.HasPrefix(t[i:], "—") {
				return i
			}
		}
	}
	return -1
}

// titleSeps returns the separators of t, each as its start and end, in
// order (as FindAllStringIndex would).
func titleSeps(t string) [][]int {
	i := titleSepStart(t)
	if i < 0 {
		return nil
	}
	var locs [][]int
	for i < len(t) {
		if e := titleSepAt(t, i); e >= 0 {
			locs = append(locs, []int{i, e})
			i = e
			continue
		}
		i = nextSepTry(t, i)
	}
	return locs
}

// firstTitleSep returns the first separator of t, as its start and end, or
// nil.
func firstTitleSep(t string) []int {
	i := titleSepStart(t)
	if i < 0 {
		return nil
	}
	for i < len(t) {
		if e := titleSepAt(t, i); e >= 0 {
			return []int{i, e}
		}
		i = nextSepTry(t, i)
	}
	return nil
}

// nextSepTry is where to look for a separator after none started at t[i]:
// past the spaces that begin there, since none can start inside them (each
// would meet the same character after them, with fewer spaces before), so
// that a long run of spaces is read once and not once per space.
func nextSepTry(t string, i int) int {
	return max(i+1, skipRESpace(t, i))
}

// siteNames are the names the page gives its site.
func (pg *page) siteNames() []string {
	names := []string{}
	if pg.prof != nil {
		names = append(names, pg.prof.Name, pg.prof.NameEn)
	}
	return append(names, pg.meta["og:site_name"], pg.meta["application-name"], "네이버 뉴스", "다음뉴스", "Daum")
}

// cleanTitle removes the site name a <title> or og:title adds, at its end
// ("… - 예시일보", "… | 예시일보") or at its start ("예시일보 모바일 :: …"). An
// end or a start is a site name when it is one of the site's names, or,
// shorter than the rest, has the shape of one (press words and qualifiers:
// "예시경제신문", "대전MBC 모바일") or leaves the headline the page shows;
// "[속보] …" is never one.
func (pg *page) cleanTitle(t string) string {
	if !pg.collected { // during collect: the meta tags, headings and profile are not all known
		return pg.cleanTitleOnce(t)
	}
	if c, ok := pg.titles[t]; ok {
		return c
	}
	c := pg.cleanTitleOnce(t)
	if pg.titles == nil {
		pg.titles = map[string]string{}
	}
	pg.titles[t] = c
	return c
}

// cleanTitleOnce is cleanTitle, not memoized. It reads only what does not
// change once the page is collected and its profile chosen: the profile,
// the meta tags and the headings.
func (pg *page) cleanTitleOnce(t string) string {
	t = normalizeSpace(t)
	if t == "" {
		return t
	}
	names := pg.siteNames()
	t = cutCrumbs(t)
	t = cutBracketedSite(t, names)
	for {
		locs := titleSeps(t)
		if len(locs) == 0 {
			break
		}
		last := locs[len(locs)-1]
		head, tail := strings.TrimSpace(t[:last[0]]), strings.TrimSpace(t[last[1]:])
		if tail == "" || !(isSiteName(tail, names) || latinSiteName(head, tail) && !pg.showsHeadline(t) ||
			utf8.RuneCountInString(tail) < utf8.RuneCountInString(head) && (siteLabel(tail, true) || pg.showsHeadline(head))) {
			break
		}
		t = head
	}
	for range 2 {
		loc := firstTitleSep(t)
		if loc == nil {
			break
		}
		head, rest := strings.TrimSpace(t[:loc[0]]), strings.TrimSpace(t[loc[1]:])
		// A site's name is shorter than the headline it precedes
		// ("… view on Hong Kong | Editorial" keeps its start).
		if head == "" || utf8.RuneCountInString(rest) <= utf8.RuneCountInString(head) ||
			!(isSiteName(head, names) || siteLabel(head, true) || pg.showsHeadline(rest)) {
			break
		}
		t = rest
	}
	return t
}

// cutCrumbs removes the breadcrumb the ND-soft CMS, which many Korean
// outlets run on, writes into its <title>: "헤드라인 < 경제 < 기사본문 -
// 예시일보" keeps "헤드라인 - 예시일보" (the site name goes next). The
// crumbs are section names, each short.
func cutCrumbs(t string) string {
	i := strings.Index(t, " < 기사본문")
	if i < 0 {
		return t
	}
	rest := strings.TrimSpace(t[i+len(" < 기사본문"):])
	head := t[:i]
	for {
		j := strings.LastIndex(head, " < ")
		if j < 0 || utf8.RuneCountInString(head[j+3:]) > 12 {
			break
		}
		head = head[:j]
	}
	if head = strings.TrimSpace(head); head == "" {
		return t
	}
	if rest != "" {
		return head + " " + rest
	}
	return head
}

// cutBracketedSite removes a site's name written in brackets at the
// title's end or start: "헤드라인 [예시일보]", "[예시일보] 헤드라인", one of
// the site's names or a press's (a known outlet, or a newspaper's name:
// Hangul ending in 일보, 신문, 통신 or 방송). A bracketed tag ("[단독]",
// "[사설]", "[자막뉴스]", "[SC현장]") is not a site name and stays.
func cutBracketedSite(t string, names []string) string {
	site := func(s string) bool {
		// Not "…뉴스": it also names formats ("[자막뉴스]", "[카드뉴스]").
		return isSiteName(s, names) || pressName(s, "일보", "신문", "통신", "방송")
	}
	if strings.HasSuffix(t, "]") {
		if i := strings.LastIndex(t, "["); i > 0 && site(t[i+1:len(t)-1]) {
			return strings.TrimSpace(t[:i])
		}
	}
	if strings.HasPrefix(t, "[") {
		if i := strings.Index(t, "]"); i > 0 && i+1 < len(t) && site(t[1:i]) {
			return strings.TrimSpace(t[i+1:])
		}
	}
	return t
}

// latinSiteName reports a Hangul headline's tail that is a site's English
// name: "… | Example Daily", "… - The Example Times". Capitalized Latin
// words, at most five, after a headline that is mostly Hangul.
func latinSiteName(head, tail string) bool {
	words := strings.Fields(tail)
	if len(words) == 0 || len(words) > 5 || len(tail) > 40 || utf8.RuneCountInString(head) < 8 || hangulShare(head) < 0.5 {
		return false
	}
	for _, w := range words {
		if w[0] < 'A' || w[0] > 'Z' {
			return false
		}
		for i := 0; i < len(w); i++ {
			if c := w[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '.' || c == '&' || c == '\'') {
				return false
			}
		}
	}
	return true
}

// siteQualifiers follow a site's name in a title prefix: "… 모바일 ::".
var siteQualifiers = map[string]bool{"모바일": true, "인터넷": true, "웹": true, "홈": true, "뉴스": true,
	"mobile": true, "Mobile": true, "MOBILE": true, "m": true, "M": true, "PC": true, "News": true, "NEWS": true}

// pressSuffixes end the names of news sites (not of ministries, desks or
// foundations: "기획재정부", "사회부", "언론재단").
var pressSuffixes = []string{"일보", "신문", "뉴스", "방송", "닷컴", "미디어", "데일리", "투데이", "타임스", "타임즈",
	"저널", "경제", "통신", "포스트", "프레스", "매거진", "위클리"}

// siteLabel reports a text shaped like a site's name: press words
// ("예시경제신문", "KBS", "대전MBC") with at most qualifiers ("모바일"). With
// press, an organization word ("…재단", "…부") is not enough: a title's
// start or end may name a ministry, never the whole title.
func siteLabel(s string, press bool) bool {
	toks := tokenize(normalizeSpace(s))
	outlet := false
	for _, t := range toks {
		switch {
		case t.kind == tkOutlet && (!press || isPressWord(t.text)):
			outlet = true
		case siteQualifiers[t.text]:
		default:
			return false
		}
	}
	return outlet
}

// isPressWord reports an outlet word that names a press: a known one, a
// Latin name (KBS, 대전MBC), or one with a press suffix.
func isPressWord(w string) bool {
	if outletNames[w] || !isHangulOnly(w) {
		return true
	}
	for _, suf := range pressSuffixes {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

func isHangulOnly(w string) bool {
	for _, r := range w {
		if r < 0xAC00 || r > 0xD7A3 {
			return false
		}
	}
	return true
}

// showsHeadline reports whether a heading or headline element of the page
// reads t.
func (pg *page) showsHeadline(t string) bool {
	want := skeleton(t)
	if want == "" {
		return false
	}
	for _, h := range pg.headings() {
		if h.skel == want {
			return true
		}
	}
	return false
}

// isSiteTitle reports a title that is only the site's name, as archive
// viewers' <title>s are ("예시언론재단").
func (pg *page) isSiteTitle(t string) bool {
	t = normalizeSpace(t)
	if t == "" {
		return false
	}
	return pg.isOutletName(t) || firstTitleSep(t) == nil && siteLabel(t, false)
}

// headingNearBody returns the visible headline of a page whose <title>
// names only the site: the first heading (h1–h3) inside the body element,
// else the last one before it; headings that are the site's name, or too
// short to be a headline, are passed over.
func (pg *page) headingNearBody(body *html.Node) string {
	heads := pg.headings()
	var before string
	for _, hd := range heads[:len(pg.h1s)] {
		h, v := hd.node, hd.text
		if utf8.RuneCountInString(v) < 4 || pg.isSiteTitle(v) {
			continue
		}
		switch {
		case body == nil:
			return v
		case contains(body, h):
			return v
		case precedes(h, body):
			before = v
		}
	}
	if before != "" || body == nil {
		return before
	}
	// No heading element: a headline-class element before the body
	// (<div class="view_tit">), of a headline's length.
	for _, hd := range heads[len(pg.h1s):] {
		if v := hd.text; utf8.RuneCountInString(v) >= 8 && strings.Count(v, " ") >= 1 && !pg.isSiteTitle(v) &&
			!isRelatedLabel(v) && precedes(hd.node, body) {
			before = v
		}
	}
	return before
}

// pageLabelTitle reports a title read from the <title> alone (no
// og:title or twitter:title) of a page label's length (at most 12
// characters: "기사보기 - 예시일보", "Article View", too short for most
// headlines) that the page shows nowhere.
func (pg *page) pageLabelTitle(t string) bool {
	return pg.meta["og:title"] == "" && pg.meta["twitter:title"] == "" && utf8.RuneCountInString(t) <= 12 && !pg.titleShown(t)
}

// titleShown reports whether the page shows the title t outside its head:
// as a heading, or as a text that reads as it.
func (pg *page) titleShown(t string) bool {
	if pg.showsHeadline(t) {
		return true
	}
	skel := skeleton(t)
	return skel != "" && pg.textReading(skel) != ""
}

// precedes reports whether a comes before b in document order (and is not
// its ancestor).
func precedes(a, b *html.Node) bool {
	if contains(a, b) {
		return false
	}
	var pathB []*html.Node
	for x := b; x != nil; x = x.Parent {
		pathB = append(pathB, x)
	}
	for x := a; x != nil; x = x.Parent {
		for i, y := range pathB {
			if y != x || i == 0 {
				continue
			}
			// x is the common ancestor: compare the children on each path.
			cb := pathB[i-1]
			for c := x.FirstChild; c != nil; c = c.NextSibling {
				if c == cb {
					return false
				}
				if contains(c, a) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// stripTitleTail drops a short last " - …" or " | …" segment of a <title>,
// the site name of sites gisa has no name for.
func stripTitleTail(t string) string {
	locs := titleSeps(t)
	if len(locs) == 0 {
		return t
	}
	last := locs[len(locs)-1]
	head, tail := strings.TrimSpace(t[:last[0]]), strings.TrimSpace(t[last[1]:])
	if n := len([]rune(tail)); n > 0 && n <= 25 && len([]rune(head)) >= 2*n {
		return head
	}
	return t
}

// isOutletName reports a value that is one of the site's own names
// (siteNames), spaces and case aside: a byline "예시신문" or "Example Daily
// News" is no person, a <title> "예시아카이브" no headline.
func (pg *page) isOutletName(s string) bool {
	s = normalizeSpace(s)
	for _, n := range pg.siteNames() {
		if sameName(s, n) {
			return true
		}
	}
	return false
}

// sameName reports whether a and b are one name once their ASCII spaces
// are dropped and their letters lowered: strings.ToLower of each with " "
// removed, equal and not empty, compared without building them (the
// page's names are compared with many strings).
func sameName(a, b string) bool {
	i, j, seen := 0, 0, false
	for {
		i, j = skipSpaces(a, i), skipSpaces(b, j)
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b) && seen
		}
		var ra, rb rune
		ra, i = nameRune(a, i)
		rb, j = nameRune(b, j)
		if ra != rb && unicode.ToLower(ra) != unicode.ToLower(rb) {
			return false
		}
		seen = true
	}
}

// skipSpaces returns the index of the first byte at or after i that is not
// an ASCII space.
func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// nameRune decodes the character at s[i], not a space, as it reads once
// the spaces are dropped (a space between the bytes of one character joins
// them), and returns it and the index after it.
func nameRune(s string, i int) (rune, int) {
	if s[i] < utf8.RuneSelf {
		return rune(s[i]), i + 1
	}
	// A character that decodes where it stands has no space inside it.
	if r, size := utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || size > 1 {
		return r, i + size
	}
	var buf [utf8.UTFMax]byte
	var end [utf8.UTFMax]int // end[k]: the index after the byte in buf[k]
	n := 0
	for k := i; k < len(s) && n < len(buf); k++ {
		if s[k] != ' ' {
			buf[n], end[n] = s[k], k+1
			n++
		}
	}
	r, size := utf8.DecodeRune(buf[:n])
	return r, end[size-1]
}

func isSiteName(s string, names []string) bool {
	ls := strings.ToLower(strings.ReplaceAll(s, " ", ""))
	for _, n := range names {
		n = strings.ToLower(strings.ReplaceAll(n, " ", ""))
		if n == "" {
			continue
		}
		if ls == n || strings.Contains(ls, n) && len(ls) <= len(n)+12 || strings.Contains(n, ls) && len(ls) >= 2 {
			return true
		}
	}
	return false
}

func (pg *page) resolve(ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "javascript:") || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "mailto:") {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	// An absolute reference resolves to itself, its dot segments removed:
	// most are absolute and have none.
	if pg.ref != nil && pg.ref.Scheme != "" && (u.Scheme == "" || strings.Contains(u.Path, "/.") || u.Opaque != "") {
		u = pg.ref.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

func appendImage(list []article.Image, im article.Image) []article.Image {
	if im.URL == "" {
		return list
	}
	for i, x := range list {
		if x.URL == im.URL {
			if list[i].Caption == "" {
				list[i].Caption = im.Caption
			}
			if list[i].Credit == "" {
				list[i].Credit = im.Credit
			}
			return list
		}
	}
	return append(list, im)
}

func normalizeLanguage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "_", "-")
	if i := strings.IndexByte(s, '-'); i > 0 {
		s = s[:i]
	}
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	return s
}

func hangulShare(s string) float64 {
	var h, all int
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			h++
		}
		if !isSpace(r) {
			all++
		}
	}
	if all == 0 {
		return 0
	}
	return float64(h) / float64(all)
}
