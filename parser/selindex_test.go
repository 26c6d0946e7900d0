package parser

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

func TestSelectorKeys(t *testing.T) {
	cases := []struct {
		sel  string
		want []selKey // nil: no key, the selector walks the document
	}{
		{"#articleBody", []selKey{{'#', "articleBody"}}},
		{"div.article_body p.content_text", []selKey{{'.', "content_text"}}},
		{"h1.tit.main", []selKey{{'.', "tit"}}},
		{"h3#title.x", []selKey{{'#', "title"}}},
		{"ARTICLE header H1", []selKey{{'t', "h1"}}},
		{"meta[property=\"og:title\"]", []selKey{{'t', "meta"}}},
		{"a[href*='x, y > z']", []selKey{{'t', "a"}}},
		{".view > section", []selKey{{'t', "section"}}},
		{".a + p, #b ~ .c", []selKey{{'t', "p"}, {'.', "c"}}},
		{"li:has(.icon-user-o)", []selKey{{'t', "li"}}},
		{".account:has(.name:not(:empty))", []selKey{{'.', "account"}}},
		{"ul > li:nth-child(2n+1)", []selKey{{'t', "li"}}},
		{".기사본문", []selKey{{'.', "기사본문"}}},
		{"[class*=\"ArticleDetailView_title\"]", nil},
		{".main > :not(div):not(h2.sub)", nil},
		{"*", nil},
		{"h1, [itemprop=headline]", nil},
		{".a\\:b", nil},
		{"svg|a", nil},
	}
	for _, c := range cases {
		got, ok := selectorKeys(c.sel)
		if !ok {
			got = nil
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("selectorKeys(%q) = %v; want %v", c.sel, got, c.want)
		}
	}
}

// TestSelectorIndexMatchesWalk checks that a selector tried on the elements
// the page walk filed finds exactly what a walk of the whole document finds,
// in the same order, for every selector of the built-in profiles and some
// more, on invented pages and the corpus pages.
func TestSelectorIndexMatchesWalk(t *testing.T) {
	pages := []string{
		`<html><head><meta property="og:title" content="제목"><title>t</title></head><body>
<div id="articleBody" class="article_body  view"><p class="content_text">하나</p><p class="content_text x">둘</p>
<ul><li>1</li><li class="a">2</li><li><i class="icon-user-o"></i>3</li></ul>
<section class="a"><p>a+p</p><h1 class="tit main">h</h1></section><p class="c">c</p><div class="기사본문 b">본문</div>
<article><header><h1 id="title" class="x">제목</h1></header></article><svg><a>s</a></svg></div></body></html>`,
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "ko", "html", "*.html"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(data))
	}
	var sels []selector
	for _, src := range []string{"#articleBody", "div.article_body p.content_text", "h1.tit.main", "h3#title.x",
		"ARTICLE header H1", "meta[property=\"og:title\"]", ".view > section", ".a + p, #b ~ .c", "li:has(.icon-user-o)",
		"ul > li:nth-child(2n+1)", ".기사본문", "p, .a, li", "h1, .tit", "a"} {
		s, err := compileSelector(src)
		if err != nil {
			t.Fatal(err)
		}
		sels = append(sels, s)
	}
	profiles, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range profiles.All() {
		e := &p.code().sel
		for _, list := range [][]selector{e.title, e.subtitle, e.body, e.byline, e.published, e.updated, e.dates, e.section, e.related, e.outlet, e.original} {
			sels = append(sels, list...)
		}
	}
	keys := &keySet{}
	withKeys := 0
	for _, s := range sels {
		for _, k := range s.keys {
			keys.add(k)
		}
		if s.keys != nil {
			withKeys++
		}
	}
	if withKeys*10 < len(sels)*8 {
		t.Errorf("only %d of %d selectors have keys", withKeys, len(sels))
	}
	// A selector whose keys the index does not hold walks the document.
	outside, err := compileSelector("p.content_text, li")
	if err != nil {
		t.Fatal(err)
	}
	outside.keys = append(outside.keys, selKey{'.', "not-filed"})
	sels = append(sels, outside)
	for i, src := range pages {
		root, err := html.Parse(bytes.NewReader([]byte(src)))
		if err != nil {
			t.Fatal(err)
		}
		pg := &page{root: root, doc: goquery.NewDocumentFromNode(root), meta: map[string]string{},
			index: newSelIndex(keys)}
		pg.collect(root)
		for _, s := range sels {
			got, want := pg.selectAll(s), pg.doc.FindMatcher(s.sel).Nodes
			if !slices.Equal(got, want) {
				t.Errorf("page %d: %q finds %d elements by the index, %d by a walk", i, s.src, len(got), len(want))
			}
		}
	}
}
