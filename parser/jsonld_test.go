package parser

import (
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
)

// TestJSONLDOwnArticle: a page that describes its related articles in
// JSON-LD too (a script per article, or several in one @graph) takes the
// object that names the page itself (url, @id or mainEntityOfPage), not
// the first; with none naming it, the first as before.
func TestJSONLDOwnArticle(t *testing.T) {
	const pageURL = "https://news.example.com/article/1234"
	other := `{"@context":"https://schema.org","@type":"NewsArticle","url":"https://news.example.com/article/1200","headline":"다른 기사의 제목","datePublished":"2024-11-01T08:00:00+09:00","articleBody":"다른 기사의 본문입니다. 이 글은 이 페이지의 기사가 아니다."}`
	own := func(id string) string {
		return `{"@context":"https://schema.org","@type":"NewsArticle",` + id + `,"headline":"정부, 반도체 예산 2조 편성","datePublished":"2024-12-03T10:21:00+09:00"}`
	}
	for _, c := range []struct{ name, scripts, want string }{
		{"own after another, by url", `<script type="application/ld+json">` + other + `</script><script type="application/ld+json">` + own(`"url":"`+pageURL+`"`) + `</script>`, "2024-12-03T10:21"},
		{"own in a @graph, by @id with a fragment", `<script type="application/ld+json">{"@graph":[` + other + `,` + own(`"@id":"`+pageURL+`#article"`) + `]}</script>`, "2024-12-03T10:21"},
		{"own by mainEntityOfPage", `<script type="application/ld+json">[` + other + `,` + own(`"mainEntityOfPage":{"@type":"WebPage","@id":"`+pageURL+`"}`) + `]</script>`, "2024-12-03T10:21"},
		{"none names the page: the first", `<script type="application/ld+json">` + own(`"url":"https://elsewhere.example.com/9"`) + `</script>`, "2024-12-03T10:21"},
	} {
		page := `<html lang="ko"><head><meta charset="utf-8"><title>정부, 반도체 예산 2조 편성</title>` + c.scripts + `</head><body>
<h1>정부, 반도체 예산 2조 편성</h1><div class="article_body">` + strings.Repeat("<p>정부가 내년 반도체 산업 지원 예산을 2조원 규모로 편성했다. 올해보다 30% 늘어난 규모다.</p>", 4) + `</div></body></html>`
		for mode, p := range parserModes(t) {
			a, err := p.Parse(article.Page{URL: pageURL, Body: []byte(page)})
			if err != nil {
				t.Fatalf("%s/%s: %v", mode, c.name, err)
			}
			got := ""
			if a.PublishedAt != nil {
				got = a.PublishedAt.In(time.FixedZone("KST", 9*3600)).Format("2006-01-02T15:04")
			}
			if got != c.want || strings.Contains(a.Body, "다른 기사") {
				t.Errorf("%s/%s: published %s, want %s; body %q", mode, c.name, got, c.want, a.Body)
			}
		}
	}
}
