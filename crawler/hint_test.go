package crawler_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

// hintPage is an invented article page; dateline "" leaves it undated.
func hintPage(n int, dateline string) string {
	return hintPageMore(n, dateline, "")
}

// hintPageMore is hintPage with one more paragraph (a correction, say).
func hintPageMore(n int, dateline, more string) string {
	return fmt.Sprintf(`<!doctype html><html><head><meta charset="utf-8"><title>동네 소식 %d호 - 예시뉴스</title>
<meta property="og:type" content="article"></head><body><article><h1>동네 소식 %d호</h1>%s
<div class="article-body"><p>구청은 이번 주말 도서관 앞 광장에서 주민 장터를 연다고 밝혔다. 장터에는 마을 공방 서른 곳이 참여한다.</p>
<p>행사 수익금은 지역 아동센터에 기부되며, 구청은 내년부터 장터를 매달 열 계획이다.</p>%s</div></article></body></html>`, n, n, dateline, more)
}

// TestCrawlDiscoveryDates: a feed's pubDate and a sitemap's
// news:publication_date date the pages that state none, recorded as the
// field's source; a page's own date wins over its feed's; a lastmod is no
// publication date; and the summary counts the records left undated. A
// later run's re-check of a changed page dated by its feed keeps the date.
func TestCrawlDiscoveryDates(t *testing.T) {
	var changed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case "/rss.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>예시뉴스</title>
<item><title>1</title><link>http://%[1]s/news/1</link><pubDate>Thu, 02 May 2024 08:10:00 +0900</pubDate></item>
<item><title>2</title><link>http://%[1]s/news/2</link><pubDate>Thu, 02 May 2024 09:00:00 +0900</pubDate></item>
</channel></rss>`, r.Host)
		case "/sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://%[1]s/news/3</loc><news:news><news:publication_date>2024-05-01T07:00:00+09:00</news:publication_date></news:news></url>
<url><loc>http://%[1]s/news/4</loc><lastmod>2024-05-04T12:00:00+09:00</lastmod></url>
</urlset>`, r.Host)
		case "/news/2":
			fmt.Fprint(w, hintPage(2, `<p class="date">입력 2024.05.03 11:20</p>`))
		case "/news/1":
			more := ""
			if changed.Load() {
				more = "<p>바로잡습니다: 장터는 토요일에만 열립니다.</p>"
			}
			fmt.Fprint(w, hintPageMore(1, "", more))
		case "/news/3", "/news/4":
			var n int
			fmt.Sscanf(r.URL.Path, "/news/%d", &n)
			fmt.Fprint(w, hintPage(n, ""))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	e := profileEnv(t, "hint", fmt.Sprintf("id: hint\nname: 예시뉴스\nname_en: Example\nhosts: ['127.0.0.1']\nlanguage: ko\nverified: false\narticle_patterns:\n  - '/news/\\d+'\nfeeds:\n  - '%[1]s/rss.xml'\nsitemaps:\n  - '%[1]s/sitemap.xml'\n", srv.URL))
	cfg := e.config()
	cfg.Delay, cfg.Outlets[0].Delay = 0, 0
	d, err := storage.NewDisk(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sum, err, _ := e.crawlInto(t, cfg, d)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	_, arts := archived(t, e.dir)
	got := map[string]article.Article{}
	for _, a := range arts {
		got[a.URL[strings.LastIndex(a.URL, "/")+1:]] = a
	}
	want := []struct {
		page string
		at   time.Time
		src  string
	}{
		{"1", time.Date(2024, 5, 2, 8, 10, 0, 0, article.KST), "discovery-feed"},
		{"2", time.Date(2024, 5, 3, 11, 20, 0, 0, article.KST), "page-text"},
		{"3", time.Date(2024, 5, 1, 7, 0, 0, 0, article.KST), "discovery-sitemap"},
		{"4", time.Time{}, ""},
	}
	for _, w := range want {
		a, ok := got[w.page]
		if !ok {
			t.Errorf("page %s not archived", w.page)
			continue
		}
		switch {
		case w.at.IsZero() && a.PublishedAt != nil:
			t.Errorf("page %s: published %v, want none (a lastmod is no publication date)", w.page, a.PublishedAt)
		case !w.at.IsZero() && (a.PublishedAt == nil || !a.PublishedAt.Equal(w.at)):
			t.Errorf("page %s: published %v, want %v", w.page, a.PublishedAt, w.at)
		}
		if src := a.Extraction.Sources["published_at"]; src != w.src {
			t.Errorf("page %s: published_at source %q, want %q", w.page, src, w.src)
		}
	}
	if n := sum.Outlets["hint"].Undated; n != 1 {
		t.Errorf("summary counts %d undated, want 1", n)
	}
	var b strings.Builder
	sum.WriteTable(&b)
	if !strings.Contains(b.String(), "undated") {
		t.Errorf("summary table without the undated column:\n%s", b.String())
	}

	changed.Store(true)
	sum, err, _ = e.crawlInto(t, cfg, d)
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if c := sum.Outlets["hint"]; c.Updated != 1 || c.New != 0 {
		t.Fatalf("second run: %d updated, %d new; want page 1 re-checked and changed, and no copy filed anew", c.Updated, c.New)
	}
	_, arts = archived(t, e.dir)
	for _, a := range arts {
		if strings.HasSuffix(a.URL, "/news/1") && (a.PublishedAt == nil || !a.PublishedAt.Equal(want[0].at) || a.Extraction.Sources["published_at"] != "discovery-feed") {
			t.Errorf("page 1 after its re-check: published %v from %q, want %v from discovery-feed", a.PublishedAt, a.Extraction.Sources["published_at"], want[0].at)
		}
	}
}
