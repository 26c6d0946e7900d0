package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gisa-news/gisa/article"
)

// TestReparseKeepsDiscoveryDate: a page dated only by its feed keeps that
// date through gisa reparse, although the WARC holds only the page: the
// record's discovery-feed source tells reparse to hand the date back.
func TestReparseKeepsDiscoveryDate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case "/rss.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>예시뉴스</title>
<item><title>1</title><link>http://%s/news/1</link><pubDate>Thu, 02 May 2024 08:10:00 +0900</pubDate></item>
</channel></rss>`, r.Host)
		case "/news/1":
			fmt.Fprint(w, `<!doctype html><html><head><meta charset="utf-8"><title>동네 장터 연다 - 예시뉴스</title>
<meta property="og:type" content="article"></head><body><article><h1>동네 장터 연다</h1>
<div class="article-body"><p>구청은 이번 주말 도서관 앞 광장에서 주민 장터를 연다고 밝혔다. 장터에는 마을 공방 서른 곳이 참여한다.</p>
<p>행사 수익금은 지역 아동센터에 기부되며, 구청은 내년부터 장터를 매달 열 계획이다.</p></div></article></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive")
	writeFile(t, dir, "hint.yaml", fmt.Sprintf("id: hint\nname: 예시뉴스\nname_en: Example\nhosts: ['127.0.0.1']\nlanguage: ko\nverified: false\narticle_patterns:\n  - '/news/\\d+'\nfeeds:\n  - '%s/rss.xml'\n", srv.URL))
	conf := writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: `+archive+`
profiles: [hint.yaml]
fetch_timeout: 2s
retry_base: 10ms
max_attempts: 2
outlets:
  - id: hint
    delay: 0s
`)
	if code, out, errs := runCmd(t, "", "crawl", "--config", conf, "--log-level", "error"); code != exitOK {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
	}
	read := func() article.Article {
		t.Helper()
		var found []article.Article
		filepath.WalkDir(filepath.Join(archive, "articles"), func(p string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".json") {
				b, _ := os.ReadFile(p)
				var a article.Article
				if json.Unmarshal(b, &a) == nil {
					found = append(found, a)
				}
			}
			return nil
		})
		if len(found) != 1 {
			t.Fatalf("%d articles archived, want 1", len(found))
		}
		return found[0]
	}
	before := read()
	if src := before.Extraction.Sources["published_at"]; src != "discovery-feed" || before.PublishedAt == nil {
		t.Fatalf("crawled record: published %v from %q, want the feed's date", before.PublishedAt, src)
	}
	code, out, errs := runCmd(t, "", "reparse", "--config", conf, "--log-level", "error")
	if code != exitOK {
		t.Fatalf("reparse: exit %d\n%s\n%s", code, out, errs)
	}
	if !regexp.MustCompile(`(?m)^reparsed.* 0$`).MatchString(out) {
		t.Errorf("reparse replaced the record:\n%s", out)
	}
	after := read()
	if after.PublishedAt == nil || !after.PublishedAt.Equal(*before.PublishedAt) || after.Extraction.Sources["published_at"] != "discovery-feed" {
		t.Errorf("after reparse: published %v from %q, want %v from discovery-feed", after.PublishedAt, after.Extraction.Sources["published_at"], before.PublishedAt)
	}
}
