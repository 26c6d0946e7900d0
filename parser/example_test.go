package parser_test

import (
	"fmt"

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
