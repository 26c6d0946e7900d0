package parser

import (
	"strings"
	"testing"

	"github.com/gisa-news/gisa/article"
)

// TestProfileBodyKeepsSubheads: a profile that picks an article's
// paragraphs one by one ("#article_body p[data-divno]") keeps the in-body
// subheadings between them, which outlets mark apart (a heading in a
// subheading box, <h3 class="sub_title">, <h4>), and leaves out the
// headings of boxes between them: a related list's, an ad's, a photo's.
func TestProfileBodyKeepsSubheads(t *testing.T) {
	p1 := "정부가 내년 반도체 산업 지원 예산을 2조원 규모로 편성했다. 올해보다 30% 늘어난 규모다."
	p2 := "업계는 환영의 뜻을 밝혔다. 다만 인력 양성 예산이 부족하다는 지적도 나왔다."
	p3 := "전문가들은 집행 속도가 관건이라고 입을 모았다. 예산이 제때 쓰여야 효과가 난다는 것이다."
	cases := []struct {
		name, body, sel string
		want            []string
	}{{
		name: "heading in a subheading box",
		sel:  `#article_body p[data-divno]`,
		body: `<section id="article_body"><p data-divno="1">` + p1 + `</p>
<div class="ab_sub_heading"><div class="line"><h2>업계 "환영하지만 인력이 문제"</h2></div></div>
<p data-divno="2">` + p2 + `</p><h3 class="sub_title">집행 속도가 관건</h3><p data-divno="3">` + p3 + `</p></section>`,
		want: []string{p1, `업계 "환영하지만 인력이 문제"`, p2, "집행 속도가 관건", p3},
	}, {
		name: "paragraphs nested in sections",
		sel:  `.article p.content_text`,
		body: `<div class="article"><div class="sec"><p class="content_text">` + p1 + `</p></div>
<h4>◆업계 "환영하지만 인력이 문제"</h4><div class="sec"><p class="content_text">` + p2 + `</p><p class="content_text">` + p3 + `</p></div></div>`,
		want: []string{p1, `◆업계 "환영하지만 인력이 문제"`, p2, p3},
	}, {
		name: "boxes' headings stay out",
		sel:  `#article_body p[data-divno]`,
		body: `<section id="article_body"><p data-divno="1">` + p1 + `</p>
<div class="box"><h3>많이 본 뉴스</h3><ul><li><a href="/article/1">다른 기사의 제목입니다</a></li></ul></div>
<div class="ad"><h4>AD</h4><iframe src="/ad"></iframe></div>
<div class="photo"><h4>현장 사진</h4><p>반도체 공장의 모습</p></div>
<figure><figcaption><h4>반도체 공장</h4></figcaption></figure>
<p data-divno="2">` + p2 + `</p><p data-divno="3">` + p3 + `</p></section>
<h3>이 기사를 공유하세요</h3>`,
		want: []string{p1, p2, p3},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps, err := NewProfiles(&Profile{ID: "yeosi", Name: "예시일보", Hosts: []string{"news.example.com"},
				Extract: Extract{Body: []string{c.sel}}})
			if err != nil {
				t.Fatal(err)
			}
			p, err := New(Options{Profiles: ps})
			if err != nil {
				t.Fatal(err)
			}
			page := `<html lang="ko"><head><meta charset="utf-8"><title>정부, 반도체 예산 2조 편성</title></head><body>
<h1>정부, 반도체 예산 2조 편성</h1><p class="date">입력 2024.12.03 10:21</p>` + c.body + `</body></html>`
			a, err := p.Parse(article.Page{URL: "https://news.example.com/article/1", Body: []byte(page)})
			if err != nil {
				t.Fatal(err)
			}
			if a.Extraction.Sources["body"] != "profile" {
				t.Errorf("body source %q, want the profile", a.Extraction.Sources["body"])
			}
			if got := strings.Split(a.Body, "\n\n"); strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("body\n got  %q\n want %q", got, c.want)
			}
		})
	}
}
