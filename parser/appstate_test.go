package parser

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
)

// Invented article text for the app-state pages: three paragraphs, none of
// them in the visible HTML.
var statePars = []string{
	"서울 도심 공원에 시민 정원이 문을 열었다. 구청은 주민들이 직접 가꾼 꽃밭 스무 곳을 이번 주말부터 공개한다고 밝혔다.",
	"정원은 버려진 주차장 부지를 고쳐 만들었으며, 조성 비용의 절반은 주민 모금으로 마련됐다.",
	"구청 관계자는 \"내년에는 학교 옥상에도 정원을 넓혀 갈 계획\"이라고 말했다.",
}

const stateTitle = "도심 주차장이 시민 정원으로 바뀌었다"

// statePage is an invented page whose visible body is empty: the article is
// only in the script (or scripts) given.
func statePage(scripts ...string) string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>` + stateTitle + ` | 예시뉴스</title>
<meta property="og:type" content="article"></head><body>
<header><nav><a href="/">홈</a> <a href="/society">사회</a></nav></header>
<div id="__next"><div class="loading"></div></div>
` + strings.Join(scripts, "\n") + `
<footer><a href="/company">회사소개</a></footer></body></html>`
}

func jsonStr(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jsLiteral writes s as the inside of a single-quoted JavaScript string.
func jsLiteral(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s)
}

func htmlBody() string {
	return "<p>" + strings.Join(statePars, "</p><p>") + "</p>"
}

func TestAppStateShapes(t *testing.T) {
	pub := "2024-05-02T08:10:00+09:00"
	wantPub := time.Date(2024, 5, 2, 8, 10, 0, 0, article.KST)
	article1 := map[string]any{
		"id": 1, "title": stateTitle, "content": htmlBody(), "publishedAt": pub,
		"updatedAt": "2024-05-02T09:00:00+09:00",
		"reporter":  map[string]any{"name": "김민수", "email": "minsu@example.co.kr"},
		"section":   map[string]any{"name": "사회"},
	}
	// A teaser of another article, longer-bodied, that is not this page's.
	decoy := map[string]any{"title": "다른 기사의 제목입니다", "content": strings.Repeat("다른 기사의 요약문이 길게 이어진다. ", 20), "publishedAt": "2024-04-01T10:00:00+09:00"}
	flightRows := "1:[\"$\",\"div\",null,{\"children\":\"x\"}]\n" +
		fmt.Sprintf("2:T%x,%s", len(htmlBody()), htmlBody()) +
		"3:" + jsonStr(t, []any{"$", "$L4", nil, map[string]any{"article": map[string]any{"headline": stateTitle, "bodyHtml": "$2", "createdAt": "2024-05-02 08:10:00", "byline": "김민수 기자"}}}) + "\n"
	half := len(flightRows) / 2
	for half > 0 && flightRows[half]&0xC0 == 0x80 {
		half--
	}
	flight := `<script>self.__next_f.push([0])</script><script>self.__next_f.push(` + jsonStr(t, []any{1, flightRows[:half]}) + `)</script>` +
		`<script>self.__next_f.push(` + jsonStr(t, []any{1, flightRows[half:]}) + `)</script>`
	// A Nuxt 3 payload: a flat array whose objects hold indexes.
	devalue := jsonStr(t, []any{
		[]any{"ShallowReactive", 1},
		map[string]any{"data": 2},
		map[string]any{"news-1": 3},
		map[string]any{"subject": 4, "contents": 5, "regDate": 6, "writer": 7},
		stateTitle,
		strings.Join(statePars, "\n"),
		[]any{"Date", pub},
		"김민수 기자",
	})
	tests := []struct {
		name, script string
		wantReporter string
		wantEmail    string
	}{
		{"next pages router, pageProps.article with an HTML body", `<script id="__NEXT_DATA__" type="application/json">` +
			jsonStr(t, map[string]any{"props": map[string]any{"pageProps": map[string]any{"article": article1, "popular": []any{decoy}}}, "page": "/article/[id]", "buildId": "x"}) + `</script>`,
			"김민수", "minsu@example.co.kr"},
		{"next pages router, pageProps.data.articleDetail with plain text and a Korean date", `<script id="__NEXT_DATA__" type="application/json">` +
			jsonStr(t, map[string]any{"props": map[string]any{"pageProps": map[string]any{"data": map[string]any{
				"articleDetail": map[string]any{"articleTitle": stateTitle, "articleContent": strings.Join(statePars, "\n\n"), "regDate": "2024.05.02 08:10", "writerName": "김민수 기자", "writerEmail": "minsu@example.co.kr"},
				"related":       []any{decoy}}}}}) + `</script>`,
			"김민수", "minsu@example.co.kr"},
		{"apollo normalized cache with references and epoch milliseconds", `<script>window.__APOLLO_STATE__ = ` +
			jsonStr(t, map[string]any{
				"ROOT_QUERY":  map[string]any{"__typename": "Query", "article({\"id\":\"123\"})": map[string]any{"__ref": "Article:123"}},
				"Article:123": map[string]any{"__typename": "Article", "headline": stateTitle, "body": htmlBody(), "firstPublishedAt": json.Number(fmt.Sprint(wantPub.UnixMilli())), "authors": []any{map[string]any{"__ref": "Author:7"}}},
				"Author:7":    map[string]any{"__typename": "Author", "name": "김민수", "email": "minsu@example.co.kr"},
				"Article:9":   map[string]any{"__typename": "Article", "headline": decoy["title"], "body": decoy["content"]},
			}) + `;</script>`,
			"김민수", "minsu@example.co.kr"},
		{"nuxt plain-JSON state with text blocks", `<script>window.__NUXT__={"layout":"default","data":[` +
			jsonStr(t, map[string]any{"news": map[string]any{"subject": stateTitle, "createdAt": pub, "author": []any{map[string]any{"name": "김민수"}},
				"contents": []any{
					map[string]any{"type": "text", "content": statePars[0]},
					map[string]any{"type": "image", "url": "https://img.example.co.kr/1.jpg", "caption": "정원"},
					map[string]any{"type": "ad", "content": "광고 문의 02-000-0000 광고 문의 02-000-0000 광고 문의 02-000-0000"},
					map[string]any{"type": "text", "content": statePars[1]},
					map[string]any{"type": "paragraph", "text": statePars[2]},
				}}}) + `]};</script>`,
			"김민수", ""},
		{"window state via JSON.parse of a single-quoted string", `<script>window.__INITIAL_STATE__ = JSON.parse('` +
			jsLiteral(jsonStr(t, map[string]any{"article": map[string]any{"title": stateTitle, "body": []any{statePars[0], statePars[1], statePars[2]}, "published_time": "20240502081000", "writer": "김민수 기자"}})) + `');</script>`,
			"김민수", ""},
		{"application/json blob with the article as an embedded JSON string", `<script type="application/json" data-app="news">` +
			jsonStr(t, map[string]any{"state": jsonStr(t, map[string]any{"articleView": map[string]any{"title": stateTitle, "contentHtml": htmlBody(), "date": pub, "reporters": []any{map[string]any{"reporterName": "김민수", "reporterEmail": "minsu@example.co.kr"}}}})}) + `</script>`,
			"김민수", "minsu@example.co.kr"},
		{"nuxt 2 state as a function call sharing values through parameters", `<script>window.__NUXT__=(function(a,b,c,d){return {layout:"default",data:[{article:{title:'` + stateTitle +
			`',contents:[{type:c,content:a},{type:"ad",content:b},{type:c,content:b},{type:c,content:'` + jsLiteral(statePars[2]) + `'}],createdAt:d,url:"https:\u002F\u002Fnews.example.co.kr\u002Farticle\u002F1",` +
			`reporter:{name:"김민수",email:"minsu@example.co.kr"},hidden:!1,views:1.5e3}}],fetch:{},error:null,state:{user:void 0,ready:!0}}}(` +
			jsonStr(t, statePars[0]) + `,'` + jsLiteral(statePars[1]) + `',"text","` + pub + `"));</script>`,
			"김민수", "minsu@example.co.kr"},
		{"next app-router flight data with a text row", flight, "김민수", ""},
		{"nuxt 3 payload (devalue)", `<script type="application/json" id="__NUXT_DATA__">` + devalue + `</script>`, "김민수", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := article.Page{URL: "https://news.example.co.kr/article/20240502001", Body: []byte(statePage(tc.script))}
			a, err := noProfiles(t).Parse(page)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if a.Title != stateTitle {
				t.Errorf("title = %q, want %q", a.Title, stateTitle)
			}
			if want := strings.Join(statePars, "\n\n"); a.Body != want {
				t.Errorf("body = %q, want %q", a.Body, want)
			}
			if a.PublishedAt == nil || !a.PublishedAt.Equal(wantPub) {
				t.Errorf("published = %v, want %v", a.PublishedAt, wantPub)
			}
			if len(a.Reporters) != 1 || a.Reporters[0].Name != tc.wantReporter || a.Reporters[0].Email != tc.wantEmail {
				t.Errorf("reporters = %+v, want %s <%s>", a.Reporters, tc.wantReporter, tc.wantEmail)
			}
			for _, f := range []string{"title", "body", "published_at", "reporters"} {
				if src := a.Extraction.Sources[f]; src != srcApp {
					t.Errorf("sources[%s] = %q, want %q", f, src, srcApp)
				}
			}
		})
	}
}

// The app-state layer takes only an object whose headline is the page's,
// and never replaces a visible body of the same length.
func TestAppStateChoosesThePagesArticle(t *testing.T) {
	other := map[string]any{"title": "전혀 다른 기사의 제목", "content": htmlBody() + htmlBody(), "publishedAt": "2020-01-01T00:00:00+09:00"}
	script := `<script id="__NEXT_DATA__" type="application/json">` + jsonStr(t, map[string]any{"props": map[string]any{"pageProps": map[string]any{"recommend": other}}}) + `</script>`
	a, err := noProfiles(t).Parse(article.Page{URL: "https://news.example.co.kr/a/1", Body: []byte(statePage(script))})
	if err == nil && a.Extraction.Sources["body"] == srcApp {
		t.Errorf("another article's app data was taken: title %q, body %q", a.Title, a.Body)
	}

	// A page that shows its body: the app copy of the same text changes
	// nothing but the layers that had no value.
	visible := `<!doctype html><html><head><meta charset="utf-8"><title>` + stateTitle + ` - 예시뉴스</title></head><body>
<article><h1>` + stateTitle + `</h1><div class="article-body"><p>` + strings.Join(statePars, "</p><p>") + `</p></div></article>` +
		`<script id="__NEXT_DATA__" type="application/json">` + jsonStr(t, map[string]any{"props": map[string]any{"pageProps": map[string]any{"article": map[string]any{"title": stateTitle, "content": htmlBody(), "publishedAt": "2024-05-02T08:10:00+09:00"}}}}) + `</script></body></html>`
	a, err = noProfiles(t).Parse(article.Page{URL: "https://news.example.co.kr/a/2", Body: []byte(visible)})
	if err != nil {
		t.Fatal(err)
	}
	if src := a.Extraction.Sources["body"]; src != srcGeneric {
		t.Errorf("body source = %q, want the visible body (%q)", src, srcGeneric)
	}
	if src := a.Extraction.Sources["published_at"]; src != srcApp {
		t.Errorf("published source = %q, want %q", src, srcApp)
	}
}

// An app object without a body gives the dates the page hides, when its
// headline is the page's; a menu item or another article's does not.
func TestAppStateWithoutBody(t *testing.T) {
	page := func(state map[string]any) string {
		return `<!doctype html><html><head><meta charset="utf-8"><title>` + stateTitle + ` - 예시뉴스</title></head><body>
<article><h1>` + stateTitle + `</h1><div class="article-body"><p>` + strings.Join(statePars, "</p><p>") + `</p></div></article>` +
			`<script>window.__APOLLO_STATE__ = ` + jsonStr(t, state) + `;</script></body></html>`
	}
	for _, tc := range []struct {
		name  string
		state map[string]any
		want  bool
	}{
		{"the page's post", map[string]any{"Post:5": map[string]any{"__typename": "Post", "title": stateTitle, "content": "", "date": "2024-05-02T08:10:00+09:00", "link": "https://news.example.co.kr/a/5"}}, true},
		{"another post", map[string]any{"Post:6": map[string]any{"__typename": "Post", "title": "다음 기사: 공원 산책로 새 단장", "date": "2024-05-09T08:10:00+09:00"}}, false},
		{"a menu item", map[string]any{"MenuItem:1": map[string]any{"__typename": "MenuItem", "title": "사회", "date": "2024-05-09T08:10:00+09:00"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := noProfiles(t).Parse(article.Page{URL: "https://news.example.co.kr/a/5", Body: []byte(page(tc.state))})
			if err != nil && !tc.want {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := a.Extraction.Sources["published_at"] == srcApp
			if got != tc.want {
				t.Errorf("published from app state = %v (%v), want %v", got, a.PublishedAt, tc.want)
			}
			if tc.want && (a.PublishedAt == nil || a.PublishedAt.Day() != 2 || a.Extraction.Sources["body"] != srcGeneric) {
				t.Errorf("published %v, body source %q", a.PublishedAt, a.Extraction.Sources["body"])
			}
		})
	}
}

func TestAppStateBounds(t *testing.T) {
	// Deep nesting, a huge script and a broken one: no panic, no article
	// from them, and the page's visible text still parsed.
	deep := strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000)
	huge := `<script type="application/json">{"x":"` + strings.Repeat("가", maxStateBytes/3+10) + `"}</script>`
	for _, s := range []string{
		`<script type="application/json">` + deep + `</script>`,
		huge,
		`<script>window.__NUXT__=(function(a,b){return {title:a,content:b}}("` + stateTitle + `","본문"));</script>`,
		`<script>self.__next_f.push([1,"1:T99999,abc"])</script>` + `<script>self.__next_f.push([1,"` + strings.Repeat("x", 300) + `"])</script>`,
		`<script id="__NUXT_DATA__" type="application/json">[{"a":0},[1,2,3],` + strings.Repeat(`"x",`, 100) + `"y"]</script>`,
	} {
		p := noProfiles(t)
		a, err := p.Parse(article.Page{URL: "https://news.example.co.kr/a/3", Body: []byte(statePage(s))})
		if err == nil && a.Extraction.Sources["body"] == srcApp {
			t.Errorf("an article from %.80q", s)
		}
	}
}

func TestJSEscapes(t *testing.T) {
	v, ok := decodeJS(`{"a":"it\'s \x41 \! <\/p>","b":"\u0042"}`)
	m, _ := v.(map[string]any)
	if !ok || m["a"] != "it's A ! </p>" || m["b"] != "B" {
		t.Errorf("decodeJS = %#v, %v", v, ok)
	}
}

func TestJSString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"a\"b"`, `a"b`},
		{`'it\'s \x41\u0042\u{43} \n'`, "it's ABC \n"},
		{`'\ud55c'`, "한"},
		{`"\ud83d\ude00"`, "😀"},
	} {
		got, ok := jsString(tc.in)
		if !ok || got != tc.want {
			t.Errorf("jsString(%s) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{``, `abc`, `"open`, `'\x4'`, `"\u{zz}"`} {
		if _, ok := jsString(bad); ok {
			t.Errorf("jsString(%s) accepted", bad)
		}
	}
}

func TestDecodeNuxtCall(t *testing.T) {
	v, ok := decodeNuxtCall(`(function(a,b,c){a.x=1;return {t:a,"k-2":[b,c,void 0,!0,-2.5e1],u:undefined}}("가",'나',null))`)
	m, _ := v.(map[string]any)
	l, _ := m["k-2"].([]any)
	if !ok || m["t"] != "가" || len(l) != 5 || l[0] != "나" || l[1] != nil || l[3] != true || l[4] != json.Number("-2.5e1") || m["u"] != nil {
		t.Errorf("decodeNuxtCall = %#v, %v", v, ok)
	}
	for _, bad := range []string{
		`(function(a){return {x:`, `(function(a){return [1,2,}(1))`, `(function(a{return {}}())`,
		`(function(a){return {x:1}`, `(function(a){return {x:'open}}(1))`, `(function(a){return {1:2}}(1,`,
		`(function(a){return {x:-}}(1))`, `(function(){return` + strings.Repeat("[", 200) + `}())`,
	} {
		if _, ok := decodeNuxtCall(bad); ok {
			t.Errorf("decodeNuxtCall(%q) accepted", bad)
		}
	}
}
