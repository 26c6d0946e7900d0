package parser

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gisa-news/gisa/article"
)

// noProfiles is a parser with no outlet profile: the generic layers alone,
// as an outlet gisa has never seen gets them.
func noProfiles(t testing.TB) *Parser {
	t.Helper()
	profs, err := NewProfiles()
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Options{Profiles: profs})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// bothModes parses page with the built-in profiles and with none.
func bothModes(t *testing.T, page article.Page, check func(t *testing.T, a article.Article, err error)) {
	t.Helper()
	for _, m := range []struct {
		name string
		p    *Parser
	}{{"profiles", newParser(t)}, {"no-profiles", noProfiles(t)}} {
		t.Run(m.name, func(t *testing.T) {
			a, err := m.p.Parse(page)
			check(t, a, err)
		})
	}
}

// articlePage wraps an invented article body and the markup around it.
func articlePage(before, after string) string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>시장 금리 석 달 만에 최고 - 예시일보</title>
<meta property="og:type" content="article"></head><body>
<header><nav><a href="/">홈</a> <a href="/economy">경제</a></nav></header>` + before + `
<article><h1>시장 금리 석 달 만에 최고</h1><div class="info">입력 2024.03.05 09:30</div>
<div id="article-body">
<p>국고채 3년물 금리가 5일 석 달 만에 최고치로 올랐다. 미국 물가 지표가 예상보다 높게 나오면서 채권 매도세가 이어졌다.</p>
<p>시장에서는 한국은행이 상반기 중 금리를 내리기 어렵다는 관측이 힘을 얻고 있다. 외국인 투자자들은 국채 선물을 대거 팔았다.</p>
<p>전문가들은 당분간 변동성이 클 것이라며 이달 발표될 고용 지표를 주시해야 한다고 말했다.</p>
</div>` + after + `</article>
<footer><a href="/company">회사소개</a></footer></body></html>`
}

const relURL = "https://news.example.co.kr/news/articleView.html?idxno=500100"

func TestRelatedForms(t *testing.T) {
	three := `<li><a href="/news/articleView.html?idxno=500091">국채 금리 이틀째 상승세 이어가</a></li>
<li><a href="/news/articleView.html?idxno=500092">한은 총재 "물가 경로 더 지켜봐야"</a></li>
<li><a href="/news/articleView.html?idxno=500093">외국인 국채 선물 순매도 확대</a></li>`
	wantThree := []string{"idxno=500091", "idxno=500092", "idxno=500093"}
	// filler keeps a box out of reach of the headlines-after-the-body rule,
	// so that the box's own form is what finds it.
	const filler = `<div class="tool">공유하기</div><div class="tagbox">#금리 #국채</div><div class="writer">홍길동 기자</div>`
	for _, tc := range []struct {
		name          string
		before, after string
		want          []string // URL suffixes, in order; nil: none
	}{
		{"h3 관련기사 box after the body", "", filler + `<div class="box"><h3>관련기사</h3><ul>` + three + `</ul></div>`, wantThree},
		{"dt 관련 뉴스 with dashes", "", filler + `<div class="news_info"><dl><dt>관련 뉴스</dt>
<dd>- <a href="/news/articleView.html?idxno=500091">국채 금리 이틀째 상승세 이어가</a></dd>
<dd>- <a href="/news/articleView.html?idxno=500092">한은 총재 "물가 경로 더 지켜봐야"</a></dd></dl></div>`, wantThree[:2]},
		{"label split over spans (기자의 다른기사)", "", filler + `<div class="tbl"><div class="row"><strong>기자의 <span>다른기사</span></strong></div>
<div class="row"><ul>` + three + `</ul></div></div>`, wantThree},
		{"함께 본 기사", "", filler + `<section><h4>이 기사와 함께 본 기사</h4><ol>` + three + `</ol></section>`, wantThree},
		{"bracketed [관련기사] line inside the body", "", `<p>[관련기사] <a href="/news/articleView.html?idxno=500091">국채 금리 이틀째 상승세 이어가</a></p>`, wantThree[:1]},
		{"English label", "", filler + `<div><h2>Related Articles</h2><ul>` + three + `</ul></div>`, wantThree},
		{"box named relation, no label", "", filler + `<div class="relation_news"><ul>` + three + `</ul></div>`, wantThree},
		{"box named by a compound id (journalistMorenews)", "", filler + `<div id="journalistMorenews"><ul>` + three + `</ul></div>`, wantThree},
		{"box named together", "", filler + `<div class="art_together"><ul>` + three + `</ul></div>`, wantThree},
		{"other sites' links in a related box are ads", "", filler + `<div class="related"><ul>` + three +
			`<li><a href="https://ads.example.net/click/123456">광고 상품 지금 바로 확인하세요</a></li></ul></div>`, wantThree},
		{"label drawn as an image", "", filler + `<div class="rbox"><p><img src="/img/tit_relnews.gif" alt="관련기사"></p><ul>` + three + `</ul></div>`, wantThree},
		{"named reporter's other articles, with a count", "", filler + `<div class="rbox"><h4>홍길동 기자의 다른 기사 (3)</h4><ul>` + three + `</ul></div>`, wantThree},
		{"read together with this article (함께 많이 본)", "", filler + `<div class="rbox"><h4>이 기사와 함께 많이 본 뉴스</h4><ul>` + three + `</ul></div>`, wantThree},
		{"English 'More from this reporter'", "", filler + `<div class="box"><h3>More from this reporter</h3><ul>` + three + `</ul></div>`, wantThree},
		{"English label alone", "", filler + `<aside><h3>Related</h3><ul>` + three + `</ul></aside>`, wantThree},
		{"date-path and story-ID URLs", "", filler + `<div class="box"><h3>관련 기사</h3><ul>
<li><a href="/national/2024/03/01/ABCDEFGHIJKLMNOPQRSTUV/">국채 금리 이틀째 상승세 이어가</a></li>
<li><a href="/economy/2024/03/02/">한은 총재 "물가 경로 더 지켜봐야"</a></li></ul></div>`, []string{"/2024/03/01/ABCDEFGHIJKLMNOPQRSTUV/", "/economy/2024/03/02/"}},
		{"related wrapper around a ranking list", "", filler + `<div class="related_wrap"><div class="rank_news"><ul>` + three + `</ul></div></div>`, nil},
		{"most-read box is not related", "", `<div class="box"><h3>많이 본 뉴스</h3><ul>` + three + `</ul></div>`, nil},
		{"related-named box in a ranking strip", "", `<div class="popular_area"><div class="related_list"><ul>` + three + `</ul></div></div>`, nil},
		{"related box in the page header", `<header class="top"><div class="related"><ul>` + three + `</ul></div></header>`, "", nil},
		{"headlines right after the body", "", `<ul class="list">` + three + `</ul>`, wantThree},
		{"headlines after the body headed as another section", "", `<div class="plist"><h3>포토</h3><ul>` + three + `</ul></div>`, nil},
		{"headlines after the body in a ranking list", "", `<div><ul class="most_read">` + three + `</ul></div>`, nil},
		// Sidebars and strips titled with a span, strong or div, not a
		// heading, and whose class names say nothing (an outlet gisa has
		// never seen may name them anything).
		{"sidebar whose second list is titled as a ranking (span titles)", "", `<div class="c1"><section class="c2"><div class="c3"><span class="c4">Issue Keywords</span></div><ul class="c5"></ul></section>` +
			`<section class="c6"><div class="c3"><span class="c4">Most Liked</span></div><ul class="c7">` + three + `</ul></section></div>`, nil},
		{"box whose second list has a ranking title split over tags", "", `<div class="s1"><ul>` + three + `</ul><div class="s3"><strong>실시간</strong> <em>인기기사</em></div><ol>` +
			strings.ReplaceAll(three, "5000", "5001") + `</ol></div>`, nil},
		{"English ranking title in bold words", "", `<aside><div><b>Most</b> <b>Read</b></div><ol>` + three + `</ol></aside>`, nil},
		{"the section's latest headlines, titled with the section's name", "", `<div class="m1"><span style="color:#1C9DE9">사회</span><span class="m2"><a href="/news/list.php?mcd=0103">기사목록 전체보기</a></span><ul>` + three + `</ul></div>`, wantThree},
		{"headline lines led by a bullet stay related", "", `<div class="m3"><p>▶ <a href="/news/articleView.html?idxno=500091">국채 금리 이틀째 상승세 이어가</a></p><p>▶ <a href="/news/articleView.html?idxno=500092">한은 총재 "물가 경로 더 지켜봐야"</a></p><p>▶ <a href="/news/articleView.html?idxno=500093">외국인 국채 선물 순매도 확대</a></p></div>`, wantThree},
		{"headlines after the body that include the page itself", "", `<ul class="list">` + three +
			`<li><a href="/news/articleView.html?idxno=500100">시장 금리 석 달 만에 최고</a></li></ul>`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := article.Page{URL: relURL, Body: []byte(articlePage(tc.before, tc.after))}
			bothModes(t, page, func(t *testing.T, a article.Article, err error) {
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, l := range a.Related {
					got = append(got, l.URL)
				}
				ok := len(got) == len(tc.want)
				for i := 0; ok && i < len(got); i++ {
					ok = strings.HasSuffix(got[i], tc.want[i])
				}
				if !ok {
					t.Errorf("related = %q, want URLs ending %q", got, tc.want)
				}
				if slices.ContainsFunc(a.Related, func(l article.Link) bool { return l.Title == "" }) {
					t.Errorf("a related link has no title: %+v", a.Related)
				}
				if strings.Contains(a.Body, "국채 금리 이틀째") {
					t.Errorf("body keeps a related headline: %q", a.Body)
				}
			})
		})
	}
}

// TestRelatedLabelInBody: a related label on its own line inside the
// article's element heads the lines of links after it (an outlet that puts
// its 관련기사 list inside the article's container); the label and the
// links leave the body, the text after them stays.
func TestRelatedLabelInBody(t *testing.T) {
	links := func(wrap func(href, title string) string) string {
		return wrap("/news/articleView.html?idxno=500091", "국채 금리 이틀째 상승세 이어가") +
			wrap("/news/articleView.html?idxno=500092", `한은 총재 "물가 경로 더 지켜봐야"`)
	}
	li := func(h, t string) string { return `<li><a href="` + h + `">` + t + `</a></li>` }
	para := func(h, t string) string { return `<p>▶ <a href="` + h + `">` + t + `</a></p>` }
	div := func(h, t string) string { return `<div>· <a href="` + h + `">` + t + `</a></div>` }
	for name, tail := range map[string]string{
		"h2 label, list":               `<h2>관련기사</h2><ul>` + links(li) + `</ul>`,
		"bold label in a paragraph":    `<p><strong>관련 뉴스</strong></p><ul>` + links(li) + `</ul>`,
		"label with a count, ▶ lines":  `<p>관련기사 2건</p>` + links(para),
		"keyword label, dotted divs":   `<div>#국채 관련 뉴스</div>` + links(div),
		"label, links, then more text": `<h3>[관련기사]</h3><ul>` + links(li) + `</ul><p>한편 정부는 다음 주 국고채 발행 계획을 발표한다.</p>`,
		"square label and link lines":  `<p>■ 관련기사</p>` + links(para),
	} {
		page := `<!doctype html><html><head><meta charset="utf-8"><title>시장 금리 석 달 만에 최고 - 예시일보</title></head><body>
<div class="x1"><h1>시장 금리 석 달 만에 최고</h1><p class="x2">입력 2024.03.05 09:30</p>
<div class="x3"><p>국고채 3년물 금리가 5일 석 달 만에 최고치로 올랐다. 미국 물가 지표가 예상보다 높게 나오면서 채권 매도세가 이어졌다.</p>
<p>시장에서는 한국은행이 상반기 중 금리를 내리기 어렵다는 관측이 힘을 얻고 있다. 외국인 투자자들은 국채 선물을 대거 팔았다.</p>
` + tail + `</div></div></body></html>`
		t.Run(name, func(t *testing.T) {
			bothModes(t, article.Page{URL: relURL, Body: []byte(page)}, func(t *testing.T, a article.Article, err error) {
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, l := range a.Related {
					got = append(got, l.Title)
				}
				if want := []string{"국채 금리 이틀째 상승세 이어가", `한은 총재 "물가 경로 더 지켜봐야"`}; !slices.Equal(got, want) {
					t.Errorf("related = %q, want %q", got, want)
				}
				if strings.Contains(a.Body, "관련") || strings.Contains(a.Body, "이틀째") || !strings.Contains(a.Body, "대거 팔았다") {
					t.Errorf("body = %q", a.Body)
				}
				if strings.Contains(tail, "한편 정부는") && !strings.Contains(a.Body, "한편 정부는") {
					t.Errorf("the text after the list left the body: %q", a.Body)
				}
			})
		})
	}
}

// TestRelatedTrailingLinks: headlines standing alone at the end of the
// article's own container, after its text, are its related articles when
// they are the site's articles.
func TestRelatedTrailingLinks(t *testing.T) {
	body := func(tail string) string {
		return `<!doctype html><html><head><meta charset="utf-8"><title>시장 금리 석 달 만에 최고 - 예시일보</title></head><body>
<div class="wrap"><h1>시장 금리 석 달 만에 최고</h1><p class="d">입력 2024.03.05 09:30</p>
<div class="view_txt">국고채 3년물 금리가 5일 석 달 만에 최고치로 올랐다. 미국 물가 지표가 예상보다 높게 나오면서 채권 매도세가 이어졌다.<br><br>
시장에서는 한국은행이 상반기 중 금리를 내리기 어렵다는 관측이 힘을 얻고 있다. 외국인 투자자들은 국채 선물을 대거 팔았다.<br><br>` + tail + `</div></div></body></html>`
	}
	for _, tc := range []struct {
		name, tail string
		want       int
	}{
		{"bold headline links, then the copyright line", `<a href="/news/articleView.html?idxno=500091"><strong>국채 금리 이틀째 상승세 이어가</strong></a><br><br>
<a href="/news/articleView.html?idxno=500092"><strong>한은 총재 "물가 경로 더 지켜봐야"</strong></a><br><br>&lt;저작권자 ⓒ 예시일보 무단전재 및 재배포 금지&gt;`, 2},
		{"▶ headline lines", `<p>▶ <a href="/news/articleView.html?idxno=500091">국채 금리 이틀째 상승세 이어가</a></p>
<p>▶ <a href="/news/articleView.html?idxno=500092">한은 총재 "물가 경로 더 지켜봐야"</a></p>`, 2},
		{"links to other sites are not the outlet's", `<a href="https://shop.example.net/item/1234567">봄맞이 특가 상품 모음전 안내</a><br>
<a href="https://shop.example.net/item/1234568">인기 상품 한정 수량 할인 안내</a>`, 0},
		{"a link inside a sentence is not a list", `전문가들은 <a href="/news/articleView.html?idxno=500091">지난 기사</a>에서 지적한 대로 변동성이 클 것이라고 말했다.`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := article.Page{URL: relURL, Body: []byte(body(tc.tail))}
			bothModes(t, page, func(t *testing.T, a article.Article, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if len(a.Related) != tc.want {
					t.Errorf("related = %+v, want %d links", a.Related, tc.want)
				}
				if strings.Contains(a.Body, "이틀째") {
					t.Errorf("body keeps a related headline: %q", a.Body)
				}
			})
		})
	}
}

// TestRelatedInsideWideBody: when the element the body was read from also
// holds what follows the text (a sub-headline beside the text made the
// extractor take their common container), the list after the text's last
// paragraph is still found; a share bar there, whose links go to other
// sites, is not related even when the page's URL is unknown.
func TestRelatedInsideWideBody(t *testing.T) {
	three := `<li><a href="https://news.example.co.kr/news/articleView.html?idxno=500091">국채 금리 이틀째 상승세 이어가</a></li>
<li><a href="https://news.example.co.kr/news/articleView.html?idxno=500092">한은 총재 "물가 경로 더 지켜봐야"</a></li>
<li><a href="https://news.example.co.kr/news/articleView.html?idxno=500093">외국인 국채 선물 순매도 확대</a></li>`
	share := `<li><a href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fnews.example.co.kr%2F500100">페이스북으로 공유하기 링크</a></li>
<li><a href="https://twitter.com/intent/tweet?url=https%3A%2F%2Fnews.example.co.kr%2F500100&id=1234567">엑스(트위터)로 공유하기 링크</a></li>
<li><a href="https://band.us/plugin/share?body=500100&route=news.example.co.kr">네이버 밴드로 공유하기 링크</a></li>`
	for _, c := range []struct {
		name, url, after, outside string
		want                      int
	}{
		{"the section's latest, after the text inside its container", relURL, `<div class="k1"><span class="k2">경제</span><ul class="k3">` + three + `</ul></div>`, "", 3},
		{"the same without the page's URL", "", `<div class="k1"><span class="k2">경제</span><ul class="k3">` + three + `</ul></div>`, "", 3},
		{"a share bar inside, without the page's URL", "", `<div class="k1"><ul class="k3">` + share + `</ul></div>`, "", 0},
		{"a share bar after the body, without the page's URL", "", "", `<div class="k1"><ul class="k3">` + share + `</ul></div>`, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := `<!doctype html><html><head><meta charset="utf-8"><title>시장 금리 석 달 만에 최고 - 예시일보</title>
<meta property="og:type" content="article"></head><body><div class="a1">
<h1>시장 금리 석 달 만에 최고</h1><div class="a2">입력 2024.03.05 09:30</div>
<div class="a3"><div class="a4">국고채 3년물 석 달 만에 최고<br>외국인 국채 선물 매도</div>
<div class="a5"><p>국고채 3년물 금리가 5일 석 달 만에 최고치로 올랐다. 미국 물가 지표가 예상보다 높게 나오면서 채권 매도세가 이어졌다.</p>
<p>시장에서는 한국은행이 상반기 중 금리를 내리기 어렵다는 관측이 힘을 얻고 있다. 외국인 투자자들은 국채 선물을 대거 팔았다.</p>
<p>전문가들은 당분간 변동성이 클 것이라며 이달 발표될 고용 지표를 주시해야 한다고 말했다.</p>` + c.after + `</div>` + c.outside + `</div></div></body></html>`
			bothModes(t, article.Page{URL: c.url, Body: []byte(page)}, func(t *testing.T, a article.Article, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if len(a.Related) != c.want {
					t.Errorf("related = %+v, want %d links", a.Related, c.want)
				}
			})
		})
	}
}

// TestRelatedLabelUnderHeadline: a link to the reporter's other articles
// under the headline ("홍길동 기자 <a>다른기사 보기</a>") is no label for
// the block after it: that block is the article's text, not a related
// list. The page was refused as having no body.
func TestRelatedLabelUnderHeadline(t *testing.T) {
	for _, header := range []string{
		`<div class="x9">한지수 기자 <a href="/reporter/7">다른기사 보기</a></div>`,
		`<div class="x9"><a href="/reporter/7">한지수 기자의 다른 기사</a></div>`,
	} {
		page := reporterPage("", header, "", "", "")
		for mode, p := range parserModes(t) {
			t.Run(mode+"/"+header, func(t *testing.T) {
				a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page)})
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(a.Body, "시내버스 노선 열두 개") {
					t.Errorf("body = %q", a.Body)
				}
			})
		}
	}
}

// TestRelatedListAtBodyTop: a related list, or a byline with a link to
// the reporter's other articles, at the top of the article's element does
// not make that element a related list: the text after it is the body.
func TestRelatedListAtBodyTop(t *testing.T) {
	for name, top := range map[string]string{
		"related list": `<div class="x7"><h3>관련기사</h3><ul><li><a href="/article/2024030500001">버스 업계, 증차 앞서 처우 개선 요구</a></li><li><a href="/article/2024030500002">신도시 주민 설명회 열려</a></li></ul></div>`,
		"byline link":  `<div class="x7">한지수 기자 <a href="/reporter/7">다른기사 보기</a></div>`,
	} {
		page := `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>시내버스 노선 전면 개편 - 예시일보</title></head><body>
<div class="x0"><h1>시내버스 노선 전면 개편</h1><p class="x2">입력 2024.03.05 09:10</p>
<div class="x3">` + top + inventedBody + `</div></div></body></html>`
		for mode, p := range parserModes(t) {
			t.Run(mode+"/"+name, func(t *testing.T) {
				a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page)})
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(a.Body, "시내버스 노선 열두 개") || !strings.Contains(a.Body, "시민 의견을 더 듣겠다") {
					t.Errorf("body = %q", a.Body)
				}
			})
		}
	}
}

// TestAnchorTitle: a related link's title is its headline, without the
// date, time or count beside it or the summary under it.
func TestAnchorTitle(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`<a href="/1">버스 노선 개편</a>`, "버스 노선 개편"},
		{`<a href="/1"><strong>버스 노선 전면 개편</strong><span>2024.12.02</span></a>`, "버스 노선 전면 개편"},
		{`<a href="/1"><span class="t">버스 노선 전면 개편</span><em>3시간 전</em></a>`, "버스 노선 전면 개편"},
		{`<a href="/1"><b>[단독]</b> 버스 노선 전면 개편</a>`, "[단독] 버스 노선 전면 개편"},
		{`<a href="/1"><strong>버스 노선 전면 개편</strong><p>시는 노선 열두 개를 새로 짜고 배차 간격을 줄이기로 했다.</p></a>`, "버스 노선 전면 개편"},
		{`<a href="/1"><img src="/t.jpg" alt="">버스 노선 전면 개편 <span>댓글 3</span></a>`, "버스 노선 전면 개편"},
		{`<a href="/1">2024 버스 노선 전면 개편</a>`, "2024 버스 노선 전면 개편"},
		{`<a href="/1"><span>2024.12.02</span></a>`, "2024.12.02"},
		{`<a href="/1">삼성<b>전자</b>, 버스 노선에 투자</a>`, "삼성전자, 버스 노선에 투자"}, // highlight markup inside a word
	} {
		doc, err := html.Parse(strings.NewReader(c.in))
		if err != nil {
			t.Fatal(err)
		}
		var a *html.Node
		var find func(*html.Node)
		find = func(n *html.Node) {
			if n.Type == html.ElementNode && n.DataAtom == atom.A && a == nil {
				a = n
			}
			for k := n.FirstChild; k != nil; k = k.NextSibling {
				find(k)
			}
		}
		find(doc)
		if got := anchorTitle(a); got != c.want {
			t.Errorf("anchorTitle(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestBaseHref: relative links resolve against the page's <base href>
// (the first one with an href), itself relative to the page's URL; with
// no page URL (a saved file), the base names the site.
func TestBaseHref(t *testing.T) {
	paras := strings.Repeat("<p>정부가 내년 반도체 산업 지원 예산을 2조원 규모로 편성했다고 3일 밝혔다. 올해보다 30% 늘어난 규모다.</p>", 4)
	for _, c := range []struct{ name, base, url, want string }{
		{"absolute base", `<base href="https://www.example.co.kr/">`, "https://www.example.co.kr/news/articleView.html?idxno=123460", "https://www.example.co.kr/news/articleView.html?idxno=123450"},
		{"relative base", `<base href="/">`, "https://www.example.co.kr/news/articleView.html?idxno=123460", "https://www.example.co.kr/news/articleView.html?idxno=123450"},
		{"no page URL", `<base href="https://www.example.co.kr/">`, "", "https://www.example.co.kr/news/articleView.html?idxno=123450"},
		{"only the first base counts", `<base target="_blank"><base href="https://www.example.co.kr/"><base href="https://other.example.com/">`, "", "https://www.example.co.kr/news/articleView.html?idxno=123450"},
	} {
		page := `<html lang="ko"><head><meta charset="utf-8">` + c.base + `<title>정부, 반도체 예산 2조 편성</title></head><body>
<h1>정부, 반도체 예산 2조 편성</h1><p>입력 2024.12.03 10:21</p><div class="article_body">` + paras + `<p>홍길동 기자</p></div>
<div class="related"><h3>관련기사</h3><ul><li><a href="news/articleView.html?idxno=123450">반도체 업계, 정부 지원 확대 환영</a></li><li><a href="news/articleView.html?idxno=123451">팹리스 지원 1천억 신설</a></li></ul></div></body></html>`
		for mode, p := range parserModes(t) {
			a, err := p.Parse(article.Page{URL: c.url, Body: []byte(page)})
			if err != nil {
				t.Fatalf("%s/%s: %v", mode, c.name, err)
			}
			if len(a.Related) != 2 || a.Related[0].URL != c.want {
				t.Errorf("%s/%s: related %v, want the first at %s", mode, c.name, a.Related, c.want)
			}
		}
	}
}
