package parser_test

import (
	"fmt"

	"github.com/PuerkitoBio/goquery"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/parser"
)

func Example() {
	p, err := parser.New(parser.Options{})
	if err != nil {
		panic(err)
	}
	page := `<html><head><meta charset="utf-8"><meta property="og:type" content="article">
<title>항구에 새 등대 - 예시일보</title></head><body><h1>항구에 새 등대</h1>
<div class="info">입력 2024.03.01 오전 9:05</div>
<div class="article"><p>(부산=예시일보) 김한솔 기자 = 부산항에 새 등대가 불을 밝혔다. 낡은 등대를 대신한다.</p>
<p>해양수산부는 등대가 밤바다의 안전을 지킬 것이라고 밝혔다. 공사는 2년 걸렸다.</p>
<p>ⓒ 예시일보, 무단 전재 및 재배포 금지</p></div></body></html>`
	a, err := p.Parse(article.Page{URL: "https://news.example.com/1", Body: []byte(page)})
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Title)
	fmt.Println(a.Reporters[0].Name, a.Reporters[0].Role)
	fmt.Println(a.PublishedAt.Format("2006-01-02T15:04:05Z07:00"))
	fmt.Println(a.Body)
	fmt.Println(a.Copyright)
	// Output:
	// 항구에 새 등대
	// 김한솔 기자
	// 2024-03-01T09:05:00+09:00
	// 부산항에 새 등대가 불을 밝혔다. 낡은 등대를 대신한다.
	//
	// 해양수산부는 등대가 밤바다의 안전을 지킬 것이라고 밝혔다. 공사는 2년 걸렸다.
	// ⓒ 예시일보, 무단 전재 및 재배포 금지
}

// A hook is Go code for an outlet whose pages need more than selectors:
// here the section is only in an attribute of <body>. The hook runs after
// the layers and the profile, on the pages of the outlet it is registered
// for, and the fields it changes are recorded as its.
func ExampleHook() {
	profiles, err := parser.NewProfiles(&parser.Profile{ID: "yeosi", Name: "예시일보", Hosts: []string{"news.example.com"}})
	if err != nil {
		panic(err)
	}
	p, err := parser.New(parser.Options{
		Profiles: profiles,
		Hooks: map[string]parser.Hook{
			"yeosi": func(doc *goquery.Document, a *article.Article) error {
				if s, ok := doc.Find("body").Attr("data-section"); ok {
					a.Section = s
				}
				return nil
			},
		},
	})
	if err != nil {
		panic(err)
	}
	page := `<html><head><meta charset="utf-8"><meta property="og:type" content="article">
<title>항구에 새 등대 - 예시일보</title></head><body data-section="사회"><h1>항구에 새 등대</h1>
<div class="article"><p>부산항에 새 등대가 불을 밝혔다. 낡은 등대를 대신한다.</p>
<p>해양수산부는 등대가 밤바다의 안전을 지킬 것이라고 밝혔다.</p></div></body></html>`
	a, err := p.Parse(article.Page{URL: "https://news.example.com/2", Body: []byte(page)})
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Outlet.ID, a.Title)
	fmt.Println(a.Section, a.Extraction.Sources["section"])
	// Output:
	// yeosi 항구에 새 등대
	// 사회 hook
}
