package parser

import (
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
)

// TestFindDatesUnseenForms: English datelines of Korean outlets' English
// services, a zone written after the time, and newspaper print dates.
func TestFindDatesUnseenForms(t *testing.T) {
	zero := time.Time{}
	for _, c := range []struct {
		in       string
		pub, upd time.Time
	}{
		{"Published : 2023-11-07 15:03 Updated : Nov. 7, 2023, 15:30", kst(2023, 11, 7, 15, 3, 0), kst(2023, 11, 7, 15, 30, 0)},
		{"Posted on Nov 7, 2023 3:03 PM", kst(2023, 11, 7, 15, 3, 0), zero},
		{"Updated : Nov. 7, 2023, 15:30", zero, kst(2023, 11, 7, 15, 30, 0)},
		{"Published: 2023-11-07T15:03:00+00:00", kst(2023, 11, 8, 0, 3, 0), zero},
		{"Posted : 2023-11-07 06:03 UTC", kst(2023, 11, 7, 15, 3, 0), zero},
		{"Published 2023-11-07 15:03 (KST)", kst(2023, 11, 7, 15, 3, 0), zero},
		{"Posted Nov 7, 2023 1:03 AM GMT-5", time.Date(2023, 11, 7, 1, 3, 0, 0, time.FixedZone("", -5*3600)), zero},
		{"입력 2023.11.07 15:03 KSTAR 발사", kst(2023, 11, 7, 15, 3, 0), zero}, // a word, not a zone
		{"[조선일보] 2011-03-05 A12면 … 2011-04-01 열람", kst(2011, 3, 5, 0, 0, 0), zero},
		{"동아일보 2011년 03월 05일 (토) 제27840호 · 인쇄 2024년 1월 2일", kst(2011, 3, 5, 0, 0, 0), zero},
		{"지면 게재일 2011.03.05 · 열람일 2024.01.02", kst(2011, 3, 5, 0, 0, 0), zero},
		{"2011.03.05 12면에 실렸다 2011.04.01", zero, zero}, // prose: 면 is not a whole word
		{"2011.03.05 12명이 2011.04.01", zero, zero},     // not a page mark
		{"[조선일보] 2011-03-05 · 열람 2024.01.02", kst(2011, 3, 5, 0, 0, 0), zero},
		{"예시신문 2011년 03월 05일 (토) · 2024년 1월 2일 인쇄", kst(2011, 3, 5, 0, 0, 0), zero},
		{"【한겨레】 2011.3.5 2011.4.1", kst(2011, 3, 5, 0, 0, 0), zero},
		{"[예시일보] 2011.3.5 입력 2024.03.05 09:30", kst(2024, 3, 5, 9, 30, 0), zero}, // a labeled date wins
		{"우리 신문은 2011년 3월 5일 창간했고 2012년 1월 1일 개편했다", zero, zero},
	} {
		t.Run(c.in, func(t *testing.T) {
			pub, upd := findDates(c.in)
			if !pub.Equal(c.pub) {
				t.Errorf("published = %v, want %v", pub, c.pub)
			}
			if !upd.Equal(c.upd) {
				t.Errorf("updated = %v, want %v", upd, c.upd)
			}
		})
	}
}

// datePage is an invented article page: head holds extra head markup,
// top sits before the article, dateline inside it.
func datePage(head, top, dateline string) string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>항만 물동량 역대 최대 - 예시일보</title>` + head + `</head><body>
` + top + `
<div id="container"><h1>항만 물동량 역대 최대</h1><div class="date">` + dateline + `</div>
<div class="news_text">
<p>지난해 전국 항만 물동량이 역대 최대를 기록했다. 해양수산부는 컨테이너 처리량이 전년보다 4% 늘었다고 밝혔다.</p>
<p>부산항은 환적 화물이 크게 늘어 증가세를 이끌었다. 정부는 올해도 신규 항로 유치에 힘쓸 계획이다.</p>
<p>업계는 해운 운임 하락이 이어지면 증가세가 둔화할 수 있다고 내다봤다.</p>
</div></div>
` + comments(dateline) + `
<div id="footer">예시일보 | 등록일 : 2005년 3월 1일</div></body></html>`
}

func TestPageDates(t *testing.T) {
	type want struct {
		pub, upd string // RFC 3339, "" for none
		pubSrc   string // Extraction.Sources["published_at"], "" to skip
	}
	const u = "https://www.example-ilbo.co.kr/news/articleView.html?idxno=778899"
	for _, tc := range []struct {
		name                string
		head, top, dateline string
		want                want
	}{
		{"site-wide ticker in <header> is not the update", "",
			`<header><a href="/">예시일보</a><span>최종업데이트 2024.03.05 11:20</span></header>`,
			`입력 2024.03.05 09:30`, want{"2024-03-05T09:30:00+09:00", "", ""}},
		{"ticker in a div#header, article updated", "",
			`<div id="header"><h1><a href="/">예시일보</a></h1><p>최종 업데이트 2024.03.05 11:20</p></div>`,
			`입력 2024.03.05 09:30 | 수정 2024.03.05 10:02`, want{"2024-03-05T09:30:00+09:00", "2024-03-05T10:02:00+09:00", ""}},
		{"ticker with a structured publication time", `<meta property="article:published_time" content="2024-03-05T09:30:00+09:00">`,
			`<nav class="gnb"><a href="/">홈</a> <span>업데이트 2024.03.05 11:20</span></nav>`,
			`2024.03.05 09:30`, want{"2024-03-05T09:30:00+09:00", "", "meta"}},
		{"meta in the wrong zone loses to the visible 입력", `<meta property="article:published_time" content="2024-03-05T09:30:00Z">`, "",
			`입력 2024.03.05 09:30`, want{"2024-03-05T09:30:00+09:00", "", "page-text"}},
		{"meta a day off loses to a visible day", `<meta property="article:published_time" content="2024-03-04T00:00:00+09:00">`, "",
			`기사입력 2024년 03월 05일`, want{"2024-03-05T00:00:00+09:00", "", "page-text"}},
		{"meta updated contradicting the visible 수정", `<meta property="article:published_time" content="2024-03-05T09:30:41+09:00">
<meta property="article:modified_time" content="2024-03-06T08:00:00+09:00">`, "",
			`입력 2024.03.05 09:30 수정 2024.03.05 10:02`, want{"2024-03-05T09:30:41+09:00", "2024-03-05T10:02:00+09:00", "meta"}},
		{"meta seconds within the visible minute are kept", `<meta property="article:published_time" content="2024-03-05T09:32:41+09:00">`, "",
			`입력 2024.03.05 09:30`, want{"2024-03-05T09:32:41+09:00", "", "meta"}},
		{"unlabeled body date does not overrule meta", `<meta property="article:published_time" content="2024-03-05T09:30:00+09:00">`, "",
			`예시일보 2023.01.01`, want{"2024-03-05T09:30:00+09:00", "", "meta"}},
		{"a comment's 등록 far below the article does not overrule meta", `<meta property="article:published_time" content="2024-03-05T09:30:00+09:00">`, "",
			`예시일보 경제부`, want{"2024-03-05T09:30:00+09:00", "", "meta"}},
		{"article header outside <article>, headline in an <h3>", `<meta property="article:published_time" content="2024-03-05T09:30:00+09:00">`,
			`<header class="view-head"><nav><a href="/">홈</a></nav><h3 class="heading">항만 물동량 역대 최대</h3><ul><li>입력 2024.03.05 09:30</li><li>수정 2024.03.05 10:02</li></ul></header>`,
			``, want{"2024-03-05T09:30:00+09:00", "2024-03-05T10:02:00+09:00", "meta"}},
		{"English dateline", "", "",
			`Published : 2023-11-07 15:03 Updated : Nov. 7, 2023, 15:30`, want{"2023-11-07T15:03:00+09:00", "2023-11-07T15:30:00+09:00", "page-text"}},
		{"a masthead's date above an unlabeled dateline", "",
			`<div class="top"><a href="/">예시일보</a> <span>2024년 3월 6일 수요일</span></div>`,
			`2024.03.05 09:30`, want{"2024-03-05T09:30:00+09:00", "", "page-text"}},
		{"a masthead's date above an unlabeled date and a labeled update", "",
			`<div class="top"><span>2024.03.06(수)</span></div>`,
			`2024.03.05 09:30 | 수정 2024.03.05 10:02`, want{"2024-03-05T09:30:00+09:00", "2024-03-05T10:02:00+09:00", "page-text"}},
		{"two timed dates above the text: no guess", `<meta property="og:type" content="article">`,
			`<div class="top"><span>2024.03.06 07:00 기준</span></div>`,
			`2024.03.05 09:30`, want{"", "", ""}},
		{"a <time> whose text is no date gives its datetime", "", "",
			`<time datetime="2024-03-05T09:30:00+09:00">3시간 전</time>`, want{"2024-03-05T09:30:00+09:00", "", "generic"}},
		{"a <time> in a side list is not the article's", "",
			`<aside><ul><li><a href="/news/articleView.html?idxno=1">다른 기사</a> <time datetime="2024-01-01T08:00:00+09:00">1월 1일</time></li></ul></aside>`,
			`입력 2024.03.05 09:30`, want{"2024-03-05T09:30:00+09:00", "", "page-text"}},
		{"a visible dateline wins over a <time>", "", "",
			`<time datetime="2024-03-04T00:00:00+09:00">어제</time> 입력 2024.03.05 09:30`, want{"2024-03-05T09:30:00+09:00", "", "page-text"}},
		{"microdata on a span and a time", "", "",
			`<span itemprop="datePublished" content="2024-03-05T09:30:00+09:00">어제</span> <time itemprop="dateModified" datetime="2024-03-06T08:00:00+09:00">오늘</time>`,
			want{"2024-03-05T09:30:00+09:00", "2024-03-06T08:00:00+09:00", "meta"}},
		{"a bulletin board's two-digit year", "", "",
			`작성일 : 24-03-05 09:30`, want{"2024-03-05T09:30:00+09:00", "", "page-text"}},
		{"a two-digit year that is no date", `<meta property="og:type" content="article">`, "",
			`작성일 : 24-13-45 09:30`, want{"", "", ""}},
		{"a weekday written out after the date", "", "",
			`2024년 3월 5일 화요일 09:30`, want{"2024-03-05T09:30:00+09:00", "", "page-text"}},
		{"archive viewer print date", "", "",
			`[예시일보] 2011-03-05 A12면 07판 경제 2,345자`, want{"2011-03-05T00:00:00+09:00", "", "page-text"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := article.Page{URL: u, Body: []byte(datePage(tc.head, tc.top, tc.dateline))}
			bothModes(t, page, func(t *testing.T, a article.Article, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if got := fmtTime(a.PublishedAt); got != tc.want.pub {
					t.Errorf("published_at = %q, want %q", got, tc.want.pub)
				}
				if got := fmtTime(a.UpdatedAt); got != tc.want.upd {
					t.Errorf("updated_at = %q, want %q", got, tc.want.upd)
				}
				if got := a.Extraction.Sources["published_at"]; tc.want.pubSrc != "" && got != tc.want.pubSrc {
					t.Errorf("published_at source = %q, want %q", got, tc.want.pubSrc)
				}
				if strings.Contains(a.Body, "업데이트") {
					t.Errorf("body keeps the ticker: %q", a.Body)
				}
			})
		})
	}
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

// TestAppendFolded: the page text built piece by piece folds white space
// the way normalizeSpace does.
func TestAppendFolded(t *testing.T) {
	for _, pieces := range [][]string{
		{"입력\u00a0:\u00a02025-06-04\u00a0", "02:37:08"},
		{"  기사입력 ", "\n\t2023.04.07 ", " (08:26)\u3000수정"},
		{"a\u200bb", "\ufeff", " c\u2003d\u202f", "e\u2028"},
		{"", "  ", "x"},
	} {
		var b []byte
		for _, p := range pieces {
			b = appendFolded(b, p)
		}
		if got, want := strings.TrimSpace(string(b)), normalizeSpace(strings.Join(pieces, "")); got != want {
			t.Errorf("appendFolded(%q) = %q, want %q", pieces, got, want)
		}
	}
}

// comments is a comment section under the article, for one case only.
func comments(dateline string) string {
	if dateline != "예시일보 경제부" {
		return ""
	}
	return `<div class="cmt_area">` + strings.Repeat(`<div class="item"><p>좋은 기사 잘 읽었습니다. 앞으로도 이런 기사 부탁드립니다. 항만 관련 후속 보도도 기대하겠습니다.</p></div>`, 6) +
		`<div class="item"><span>등록 2024.03.07 10:00</span><p>동의합니다.</p></div></div>`
}
