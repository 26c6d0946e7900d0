package discover

import "testing"

// TestPublishedOrModified: a link's date is marked as a modification time
// when it is one (a sitemap's lastmod, an Atom entry's updated), so that the
// crawler hands only publication dates to the parser as hints.
func TestPublishedOrModified(t *testing.T) {
	const base = "https://news.example.co.kr/"
	sm, err := ParseSitemap([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example.co.kr/a/1</loc><lastmod>2024-05-03T10:00:00+09:00</lastmod>
 <news:news><news:publication_date>2024-05-02T08:10:00+09:00</news:publication_date><news:title>가</news:title></news:news></url>
<url><loc>https://news.example.co.kr/a/2</loc><lastmod>2024-05-03T10:00:00+09:00</lastmod></url>
<url><loc>https://news.example.co.kr/a/3</loc></url>
</urlset>`), base+"sitemap.xml")
	if err != nil {
		t.Fatal(err)
	}
	idx, err := ParseSitemap([]byte(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example.co.kr/s/1.xml</loc><lastmod>2024-05-03</lastmod></sitemap></sitemapindex>`), base+"index.xml")
	if err != nil {
		t.Fatal(err)
	}
	rss, err := Feed([]byte(`<rss version="2.0"><channel><title>t</title>
<item><title>나</title><link>https://news.example.co.kr/a/4</link><pubDate>Thu, 02 May 2024 08:10:00 +0900</pubDate></item>
</channel></rss>`), base+"rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	atom, err := Feed([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>다</title><link href="https://news.example.co.kr/a/5"/><updated>2024-05-03T10:00:00+09:00</updated></entry>
<entry><title>라</title><link href="https://news.example.co.kr/a/6"/><published>2024-05-02T08:10:00+09:00</published><updated>2024-05-03T10:00:00+09:00</updated></entry>
</feed>`), base+"atom.xml")
	if err != nil {
		t.Fatal(err)
	}
	links := append(append(append(sm.URLs, idx.Sitemaps...), rss...), atom...)
	want := map[string]bool{ // URL → Modified
		"https://news.example.co.kr/a/1": false, "https://news.example.co.kr/a/2": true, "https://news.example.co.kr/a/3": false,
		"https://news.example.co.kr/s/1.xml": true, "https://news.example.co.kr/a/4": false,
		"https://news.example.co.kr/a/5": true, "https://news.example.co.kr/a/6": false,
	}
	if len(links) != len(want) {
		t.Fatalf("%d links, want %d: %+v", len(links), len(want), links)
	}
	for _, l := range links {
		if m, ok := want[l.URL]; !ok || l.Modified != m {
			t.Errorf("%s: Modified = %v, want %v (published %v)", l.URL, l.Modified, m, l.Published)
		}
		if l.URL == "https://news.example.co.kr/a/1" && l.Published.Day() != 2 {
			t.Errorf("%s: published %v, want news:publication_date", l.URL, l.Published)
		}
	}
}
