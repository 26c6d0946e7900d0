package discover

import (
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets check the package's promises on any input: no panic,
// every URL absolute http(s), every title valid UTF-8.

func FuzzFeed(f *testing.F) {
	for _, s := range []string{rss2, atomFeed, rdfFeed, "", "<rss>", "<feed><entry><link href='//x'/></entry></feed>",
		"<?xml version='1.0' encoding='euc-kr'?><rss><channel><item><title>\xb1\xb9</title><link>/a</link></item></channel></rss>",
		`{"version":"https://jsonfeed.org/version/1","items":[{"url":"/a","title":"t"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		links, err := Feed(body, "https://www.example.co.kr/rss/allArticle.xml")
		if err != nil {
			checkError(t, err)
			return
		}
		checkLinks(t, links)
	})
}

func FuzzParseSitemap(f *testing.F) {
	for _, s := range []string{sitemapIndex, newsSitemap, gz(f, sitemapIndex), "https://a.example/1\n/b\n", "", "<urlset><url><loc>",
		"<sitemapindex><sitemap><loc>//x/s.xml</loc><lastmod>2024-13</lastmod></sitemap></sitemapindex>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sm, err := ParseSitemap(body, "https://www.example.co.kr/sitemap.xml")
		if err != nil {
			checkError(t, err)
		}
		checkLinks(t, sm.Sitemaps)
		checkLinks(t, sm.URLs)
		since, until := kst(2024, 1, 1, 0, 0, 0), kst(2024, 1, 31, 0, 0, 0)
		for _, l := range sm.Sitemaps {
			SitemapInRange(l, since, until)
		}
	})
}

func FuzzPage(f *testing.F) {
	for _, s := range []string{ndsoftList, wordpressList, pagingEUCKR, "", "<a href='?page=2'>2</a><a href='?page=99999999999'>»</a>",
		"<base href='javascript:x'><a href=' /a\t/b '>x</a>", "<a href='http://[::1]:80/a'>x</a><time datetime='2024-01-31'>"} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte(pagingEUCKR), "text/html; charset=euc-kr")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		links, next, err := Page(body, contentType, "https://www.example.co.kr/news/articleList.html?page=1&sc=S1", nil)
		if err != nil {
			checkError(t, err)
			return
		}
		checkLinks(t, links)
		checkURLs(t, next)
		if len(next) > maxNext {
			t.Fatalf("%d next links", len(next))
		}
	})
}

func FuzzNaverSearch(f *testing.F) {
	for _, s := range []string{naverBody, `{"errorMessage":"x","errorCode":"SE01"}`, `{"total":"12","items":[{"link":"//x"}]}`, "", "null"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		links, total, err := NaverSearch(body)
		if err != nil {
			checkError(t, err)
			return
		}
		if total < 0 {
			t.Fatalf("total %d", total)
		}
		checkLinks(t, links)
		checkError(t, NaverError(400, body))
	})
}

// FuzzParseDate checks the date reader the others share: no panic, and a
// date it accepts is in KST with a plausible year.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-01-31 09:00:00", "Wed, 31 Jan 2024 09:00:00 KST", "2024년 1월 31일 오후 3시 4분", "2024-01-31T09:00:00.1+09:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseDate(s)
		if !ok {
			return
		}
		if d.Location() != kst(2024, 1, 1, 0, 0, 0).Location() || d.Year() < 1899 || d.Year() > 2200 {
			t.Fatalf("parseDate(%q) = %v", s, d)
		}
		_ = d.Format(time.RFC3339)
	})
}

func checkError(t *testing.T, err error) {
	t.Helper()
	if msg := err.Error(); msg == "" || !utf8.ValidString(msg) {
		t.Fatalf("error message %q is empty or not valid UTF-8", msg)
	}
}
