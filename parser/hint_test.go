package parser

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
)

// TestPublishedHint: discovery's publication time is used only when the
// page states none, is recorded as its source, and never makes a page an
// article by itself.
func TestPublishedHint(t *testing.T) {
	hint := time.Date(2024, 5, 2, 8, 10, 0, 0, article.KST)
	page := func(dateline string) []byte {
		return []byte(`<!doctype html><html><head><meta charset="utf-8"><title>` + stateTitle + ` - 예시뉴스</title>
<meta property="og:type" content="article"></head><body>
<article><h1>` + stateTitle + `</h1>` + dateline + `<div class="article-body"><p>` + strings.Join(statePars, "</p><p>") + `</p>
<p>` + strings.Repeat("구청은 정원 관리를 맡을 주민 봉사단도 모집한다. ", 8) + `</p></div></article></body></html>`)
	}
	tests := []struct {
		name     string
		body     []byte
		hint     time.Time
		from     string
		want     time.Time
		wantSrc  string
		wantFail bool
	}{
		{"undated page, feed date", page(""), hint, "feed", hint, "discovery-feed", false},
		{"undated page, sitemap date", page(""), hint, "sitemap", hint, "discovery-sitemap", false},
		{"dated page wins over the feed", page(`<p class="date">입력 2024.05.03 11:20</p>`), hint, "feed",
			time.Date(2024, 5, 3, 11, 20, 0, 0, article.KST), srcText, false},
		{"undated page, no hint", page(""), time.Time{}, "", time.Time{}, "", false},
		{"a short index page is no article for a hint", []byte(`<html><head><title>사회 - 예시뉴스</title></head><body><ul><li><a href="/a/1">정원 개장</a></li></ul><div class="intro"><p>사회면은 지역과 생활의 새 소식을 모아 전합니다. 구청과 시청의 행정 소식, 학교와 마을의 이야기, 시민들이 보내 온 제보를 매일 아침 정리해 올립니다. 궁금한 점은 편집국으로 알려 주십시오.</p></div></body></html>`),
			hint, "feed", time.Time{}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bothModes(t, article.Page{URL: "https://news.example.co.kr/a/1", Body: tc.body, PublishedHint: tc.hint, HintFrom: tc.from},
				func(t *testing.T, a article.Article, err error) {
					if tc.wantFail {
						if !errors.Is(err, ErrNotArticle) {
							t.Errorf("err = %v, want ErrNotArticle", err)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					switch {
					case tc.want.IsZero() && a.PublishedAt != nil:
						t.Errorf("published = %v, want none", a.PublishedAt)
					case !tc.want.IsZero() && (a.PublishedAt == nil || !a.PublishedAt.Equal(tc.want)):
						t.Errorf("published = %v, want %v", a.PublishedAt, tc.want)
					}
					if got := a.Extraction.Sources["published_at"]; got != tc.wantSrc {
						t.Errorf("source = %q, want %q", got, tc.wantSrc)
					}
				})
		})
	}
}
