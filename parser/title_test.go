package parser

import (
	"testing"

	"github.com/gisa-news/gisa/article"
)

// titlePage builds an invented article page with the given head elements
// and what stands before the body inside the article.
func titlePage(head, before string) string {
	return `<!doctype html><html lang="ko"><head><meta charset="utf-8">` + head + `
<meta property="article:published_time" content="2024-03-05T09:10:00+09:00"></head><body>
<div id="gnb"><a href="/">홈</a> <a href="/news">뉴스</a></div>
<div id="container"><div class="article_view">` + before + `
<div class="article_txt">` + inventedBody + `</div></div></div></body></html>`
}

func TestTitleSiteNames(t *testing.T) {
	const headline = "시내버스 노선 전면 개편"
	for _, c := range []struct {
		name, head, before, want string
	}{
		// Site-name prefixes, as well as suffixes.
		{"mobile prefix with :: in <title>",
			`<title>대전예시일보 모바일 :: 시내버스 노선 전면 개편</title><meta property="og:site_name" content="대전예시일보">`,
			`<div class="view_tit">시내버스 노선 전면 개편</div>`, headline},
		{"site prefix with | in og:title",
			`<title>예시일보</title><meta property="og:title" content="예시일보 | 시내버스 노선 전면 개편"><meta property="og:site_name" content="예시일보">`,
			``, headline},
		{"site prefix known by its shape, no site name given",
			`<title>예시경제신문 :: 시내버스 노선 전면 개편</title>`,
			``, headline},
		{"site prefix that the visible headline confirms",
			`<title>예시포털 - 시내버스 노선 전면 개편</title>`,
			`<h2 class="subject">시내버스 노선 전면 개편</h2>`, headline},
		{"a newspaper's name in brackets, no site name given",
			`<title>[예시일보] 시내버스 노선 전면 개편</title>`,
			`<p class="x5">시내버스 노선 전면 개편</p>`, headline},
		{"a format's tag in brackets stays",
			`<title>[자막뉴스] 시내버스 노선 전면 개편</title>`,
			``, "[자막뉴스] 시내버스 노선 전면 개편"},
		{"og:title cut short: the heading it begins",
			`<title>시내버스 노선 전면 개편 - 예시일보</title><meta property="og:title" content="시내버스 노선 전면…">`,
			`<h1>시내버스 노선 전면 개편</h1>`, headline},
		{"suffix with a middle dot",
			`<title>시내버스 노선 전면 개편 · 예시타임스</title><meta property="og:site_name" content="예시타임스">`,
			``, headline},
		{"site suffix known by its shape in og:title, no site name given",
			`<title>예시</title><meta property="og:title" content="시내버스 노선 전면 개편 | 예시경제">`,
			``, headline},
		{"site suffix that the visible headline confirms",
			`<title>예시</title><meta property="og:title" content="시내버스 노선 전면 개편 - 예시포털">`,
			`<h1 class="headline">시내버스 노선 전면 개편</h1>`, headline},
		{"a ministry after the headline is not a site name",
			`<title>예시</title><meta property="og:title" content="내년 예산안 656조 확정 - 기획재정부">`,
			``, "내년 예산안 656조 확정 - 기획재정부"},
		{"a [속보] tag is not a site name",
			`<title>[속보] 시내버스 노선 전면 개편 - 예시일보</title><meta property="og:site_name" content="예시일보">`,
			``, "[속보] " + headline},
		{"a 한·미 middle dot is not a separator",
			`<title>한·미 버스 협정 - 예시일보</title><meta property="og:site_name" content="예시일보">`,
			``, "한·미 버스 협정"},
		{"a section label after the headline is not the headline",
			`<title>예시</title><meta property="og:title" content="예시 칼럼: 버스는 시민의 발이다 | 사설">`,
			`<h2 class="section_tit">사설</h2>`, "예시 칼럼: 버스는 시민의 발이다 | 사설"},
		// The ND-soft CMS's breadcrumb, a bracketed site name, an English
		// site name after a Korean headline.
		{"ND-soft breadcrumb in <title>",
			`<title>시내버스 노선 전면 개편 < 사회 < 기사본문 - 예시일보</title><meta property="og:site_name" content="예시일보">`,
			``, headline},
		{"ND-soft breadcrumb with two sections",
			`<title>시내버스 노선 전면 개편 < 교통 < 사회 < 기사본문 - 예시신문</title>`,
			``, headline},
		{"bracketed site name after the headline",
			`<title>시내버스 노선 전면 개편 [예시일보]</title><meta property="og:site_name" content="예시일보">`,
			``, headline},
		{"bracketed site name before the headline",
			`<title>[예시일보] 시내버스 노선 전면 개편</title><meta property="og:site_name" content="예시일보">`,
			``, headline},
		{"English site name after a Korean headline",
			`<title>시내버스 노선 전면 개편 | Example Daily News</title><meta property="og:site_name" content="예시일보">`,
			``, headline},
		{"English words the visible headline shows are kept",
			`<title>시내버스 노선 전면 개편 - Bus Rapid Transit</title>`,
			`<h1>시내버스 노선 전면 개편 - Bus Rapid Transit</h1>`, "시내버스 노선 전면 개편 - Bus Rapid Transit"},
		{"an English headline keeps its tail",
			`<title>Seoul redraws its bus map | Transit Weekly</title>`,
			``, "Seoul redraws its bus map | Transit Weekly"},
		// A structured title the page does not show, when the <title> and
		// the visible headline agree.
		{"og:title shortened",
			`<title>시내버스 노선 전면 개편 - 예시일보</title><meta property="og:title" content="버스 노선 개편">`,
			`<h1>시내버스 노선 전면 개편</h1>`, headline},
		{"og:title with a tag the page does not show",
			`<title>시내버스 노선 전면 개편 - 예시일보</title><meta property="og:title" content="[포토] 시내버스 노선 전면 개편">`,
			`<h2 class="x5">시내버스 노선 전면 개편</h2>`, headline},
		{"og:title kept when the <title> is only the site's name",
			`<title>예시일보</title><meta property="og:title" content="버스 노선 개편"><meta property="og:site_name" content="예시일보">`,
			`<h1>시내버스 노선 전면 개편</h1>`, "버스 노선 개편"},
		// Archive viewers whose <title> is the site's name.
		{"archive viewer: <title> is the site, headline in an h3",
			`<title>예시언론재단</title>`,
			`<h1>저장된 페이지 보기</h1><h3>시내버스 노선 전면 개편</h3>`, headline},
		{"archive viewer: <title> is og:site_name, headline in an h2",
			`<title>예시아카이브</title><meta property="og:site_name" content="예시아카이브">`,
			`<h1><img src="/logo.png" alt="예시아카이브"></h1><div class="viewer"><h2>시내버스 노선 전면 개편</h2></div>`, headline},
		// A structured title that lost its quotes: the visible headline
		// (any element whose class names a title) is the one readers see.
		{"og:title without quotes, visible headline in a div",
			`<title>관점 있는 예시 - 예시뉴스</title><meta property="og:title" content="장관 사드, 비준 필요 없다">`,
			`<div class="art_title"><div class="h2">장관 "사드, 비준 필요 없다"</div></div>`, `장관 "사드, 비준 필요 없다"`},
		// … and in an element whose class says nothing: any text of the
		// page that reads as the title but for punctuation.
		{"og:title without quotes, visible headline in an unnamed div",
			`<title>관점 있는 예시 - 예시뉴스</title><meta property="og:title" content="장관 사드, 비준 필요 없다">`,
			`<div class="x1"><div class="x2">
			장관 "사드, 비준 필요 없다"
			</div></div>`, `장관 "사드, 비준 필요 없다"`},
		{"og:title without quotes, visible headline in a strong",
			`<meta property="og:title" content="[단독] 장관 사드 비준 필요 없다">`,
			`<p class="x3"><strong>[단독] 장관 '사드' 비준 필요 없다</strong></p>`, `[단독] 장관 '사드' 비준 필요 없다`},
		{"og:title kept when no visible text reads as it",
			`<meta property="og:title" content="장관 사드, 비준 필요 없다">`,
			`<div class="x1">장관 "사드 배치, 비준 필요 없다"</div>`, `장관 사드, 비준 필요 없다`},
	} {
		page := titlePage(c.head, c.before)
		for mode, p := range parserModes(t) {
			t.Run(mode+"/"+c.name, func(t *testing.T) {
				a, err := p.Parse(article.Page{URL: "https://news.example.com/view/2024030512345", Body: []byte(page)})
				if err != nil {
					t.Fatal(err)
				}
				if a.Title != c.want {
					t.Errorf("title = %q, want %q (source %q)", a.Title, c.want, a.Extraction.Sources["title"])
				}
			})
		}
	}
}

// TestOutletName: the press's name as it names itself, with no profile:
// og:site_name without a host name, a handle or a slogan, a broadcaster's
// news site by the broadcaster; else the <title>'s site name, else the
// copyright line's.
func TestOutletName(t *testing.T) {
	for _, c := range []struct {
		name, head, foot, want string
	}{
		{"og:site_name", `<title>시내버스 노선 전면 개편</title><meta property="og:site_name" content="예시일보">`, ``, "예시일보"},
		{"a host name falls back on the title", `<title>시내버스 노선 전면 개편 - 예시일보</title><meta property="og:site_name" content="www.example.co.kr">`, ``, "예시일보"},
		{"a slogan after the name", `<title>시내버스 노선 전면 개편</title><meta property="og:site_name" content="예시일보 - 빛나는 뉴스">`, ``, "예시일보"},
		{"a handle falls back on the title", `<title>시내버스 노선 전면 개편 | 예시신문</title><meta name="twitter:site" content="@ExampleNews">`, ``, "예시신문"},
		{"the copyright line", `<title>시내버스 노선 전면 개편</title>`, `<p>Copyright © 예시신문. All rights reserved.</p>`, "예시신문"},
		{"the copyright line past a slogan in quotes", `<title>시내버스 노선 전면 개편</title>`, `<p>&lt;저작권자 © '돈이 보이는 뉴스' 예시투데이. 무단전재 및 재배포 금지&gt;</p>`, "예시투데이"},
		{"the copyright line past a slogan, the host after the name", `<title>시내버스 노선 전면 개편</title>`, `<p>ⓒ ‘문화 전문가그룹’ 예시미디어(www.example.co.kr), 무단전재 및 재배포금지</p>`, "예시미디어"},
		{"a title's site name ending in 타임즈", `<title>시내버스 노선 전면 개편 | 예시타임즈</title>`, ``, "예시타임즈"},
		{"a broadcaster's news site", `<title>시내버스 노선 전면 개편</title><meta property="og:site_name" content="OBS뉴스">`, ``, "OBS"},
		{"with a space", `<title>시내버스 노선 전면 개편</title><meta property="og:site_name" content="KNN 뉴스">`, ``, "KNN"},
		{"a name ending in 뉴스 stays whole", `<title>시내버스 노선 전면 개편</title><meta property="og:site_name" content="예시뉴스">`, ``, "예시뉴스"},
		// A portal's copy names the press that wrote the article.
		{"press beside the portal in the author tag", `<title>시내버스 노선 전면 개편 - 모아뉴스</title><meta property="og:article:author" content="예시통신 | 모아">`, ``, "예시통신"},
		{"press alone under the portal's site name", `<title>시내버스 노선 전면 개편</title><meta property="og:site_name" content="모아뉴스"><meta property="og:article:author" content="한빛일보">`, ``, "한빛일보"},
		{"the author tag names the site itself", `<title>시내버스 노선 전면 개편</title><meta property="og:site_name" content="예시일보"><meta property="article:author" content="예시일보">`, ``, "예시일보"},
		{"the author tag names a person", `<title>시내버스 노선 전면 개편</title><meta property="og:site_name" content="예시일보"><meta property="article:author" content="홍길동">`, ``, "예시일보"},
		{"the author tag names a desk", `<title>시내버스 노선 전면 개편</title><meta property="og:site_name" content="예시일보"><meta property="article:author" content="디지털뉴스부">`, ``, "예시일보"},
		{"two presses and no site among them", `<title>시내버스 노선 전면 개편</title><meta property="og:site_name" content="예시일보"><meta property="article:author" content="한빛일보 | 예시통신">`, ``, "예시일보"},
	} {
		page := `<!doctype html><html lang="ko"><head><meta charset="utf-8">` + c.head + `
<meta property="article:published_time" content="2024-03-05T09:10:00+09:00"></head><body>
<div id="container"><div class="article_view"><h1>시내버스 노선 전면 개편</h1>
<div class="article_txt">` + inventedBody + `</div></div></div><footer>` + c.foot + `</footer></body></html>`
		for mode, p := range parserModes(t) {
			t.Run(mode+"/"+c.name, func(t *testing.T) {
				a, err := p.Parse(article.Page{URL: "https://news.example.com/view/2024030512345", Body: []byte(page)})
				if err != nil {
					t.Fatal(err)
				}
				if a.Outlet.Name != c.want {
					t.Errorf("outlet = %q, want %q", a.Outlet.Name, c.want)
				}
			})
		}
	}
}

// TestPageLabelTitle: a <title> naming the kind of page rather than the
// article ("기사보기 - 예시일보", "뉴스 상세 | 예시일보", "Article View"),
// with no og:title, gives way to the headline shown before the body, in a
// heading or a headline-class element; the byline line under it is read.
func TestPageLabelTitle(t *testing.T) {
	const head = "정부, 반도체 예산 2조 편성"
	p := genericParser(t)
	for _, title := range []string{"기사보기 - 예시일보", "뉴스 상세 | 예시일보", "예시일보 - 인쇄하기", "예시일보 :: 기사 상세", "뉴스 > 정치 | 예시일보", "Article View | 예시일보"} {
		for _, h := range []string{`<h2 class="tit">` + head + `</h2>`, `<div class="view_tit">` + head + `</div>`, `<h3>` + head + `</h3>`} {
			page := `<html lang="ko"><head><meta charset="utf-8"><title>` + title + `</title></head><body>
<div class="gnb"><a href="/">홈</a><a href="/s/1">정치</a><a href="/s/2">경제</a></div>` + h + `<p class="info">홍길동 기자 | 입력 2024-12-03 10:21</p>
<div class="cont">정부가 내년 반도체 산업 지원 예산을 2조원 규모로 편성했다. 올해보다 30% 늘어난 규모다.<br><br>기획재정부는 3일 이런 내용의 예산안을 발표했다고 밝혔다. 중소 팹리스 지원이 크게 늘었다.<br><br>업계는 환영의 뜻을 밝혔다. 다만 인력 양성 예산이 부족하다는 지적도 나왔다.</div></body></html>`
			a, err := p.Parse(article.Page{URL: "https://news.example.com/view.php?no=1", Body: []byte(page)})
			if err != nil {
				t.Fatalf("%s / %s: %v", title, h, err)
			}
			if a.Title != head || len(a.Reporters) != 1 || a.Reporters[0].Name != "홍길동" {
				t.Errorf("%s / %s: title %q, reporters %v", title, h, a.Title, a.Reporters)
			}
		}
	}
}
