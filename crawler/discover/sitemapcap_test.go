package discover

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// urlsetOf is a plain <urlset> of n entries, https://a.example/n/<i>.
func urlsetOf(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for i := range n {
		fmt.Fprintf(&b, "<url><loc>https://a.example/n/%d</loc></url>\n", i)
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// TestParseSitemapCap: a sitemap (XML urlset, index, or text) that lists
// more than MaxSitemapURLs entries gives the first MaxSitemapURLs and
// counts the rest in Cut.
func TestParseSitemapCap(t *testing.T) {
	const extra = 7
	n := MaxSitemapURLs + extra
	var text, index bytes.Buffer
	index.WriteString(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for i := range n {
		fmt.Fprintf(&text, "https://a.example/n/%d\n", i)
		fmt.Fprintf(&index, "<sitemap><loc>https://a.example/s/%d.xml</loc></sitemap>\n", i)
	}
	index.WriteString("</sitemapindex>")
	for _, tt := range []struct {
		name  string
		body  []byte
		links func(Sitemap) []Link
		first string
	}{
		{"urlset", urlsetOf(n), func(s Sitemap) []Link { return s.URLs }, "https://a.example/n/"},
		{"text", text.Bytes(), func(s Sitemap) []Link { return s.URLs }, "https://a.example/n/"},
		{"index", index.Bytes(), func(s Sitemap) []Link { return s.Sitemaps }, "https://a.example/s/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sm, err := ParseSitemap(tt.body, "https://a.example/sitemap.xml")
			if err != nil {
				t.Fatal(err)
			}
			links := tt.links(sm)
			if len(links) != MaxSitemapURLs || sm.Cut != extra {
				t.Fatalf("kept %d, cut %d; want %d and %d", len(links), sm.Cut, MaxSitemapURLs, extra)
			}
			if !bytes.HasPrefix([]byte(links[0].URL), []byte(tt.first+"0")) || links[len(links)-1].URL != fmt.Sprintf("%s%d%s", tt.first, MaxSitemapURLs-1, map[bool]string{true: ".xml"}[tt.name == "index"]) {
				t.Errorf("kept %s … %s, want the first ones", links[0].URL, links[len(links)-1].URL)
			}
		})
	}
}

// BenchmarkParseSitemapHuge parses a 50 MB urlset of about 900,000 URLs:
// the cap keeps 50,000 of them, so the bytes allocated per parse stay close
// to those of the document's own copy, not to a million Links.
func BenchmarkParseSitemapHuge(b *testing.B) {
	body := urlsetOf(900_000)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		sm, err := ParseSitemap(body, "https://a.example/sitemap.xml")
		if err != nil {
			b.Fatal(err)
		}
		if len(sm.URLs) != MaxSitemapURLs {
			b.Fatalf("kept %d URLs", len(sm.URLs))
		}
	}
}

// TestParseSitemapCapKeepsNewest: past MaxSitemapURLs, a dated sitemap
// keeps its newest entries whatever their place in the document (an
// archive listed oldest first loses its oldest, not the news), in document
// order.
func TestParseSitemapCapKeepsNewest(t *testing.T) {
	const extra = 5
	n := MaxSitemapURLs + extra
	var b bytes.Buffer
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n { // oldest first
		fmt.Fprintf(&b, "<url><loc>https://a.example/n/%d</loc><lastmod>%s</lastmod></url>\n", i, start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339))
	}
	b.WriteString("</urlset>")
	sm, err := ParseSitemap(b.Bytes(), "https://a.example/sitemap.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(sm.URLs) != MaxSitemapURLs || sm.Cut != extra {
		t.Fatalf("kept %d, cut %d; want %d and %d", len(sm.URLs), sm.Cut, MaxSitemapURLs, extra)
	}
	for i, l := range sm.URLs {
		if want := fmt.Sprintf("https://a.example/n/%d", i+extra); l.URL != want {
			t.Fatalf("entry %d is %s, want %s: the newest, in document order", i, l.URL, want)
		}
	}
}
