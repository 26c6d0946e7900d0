package discover

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

func gz(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const sitemapIndex = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://www.hankyung.com/sitemap/daily-article/20240131.xml</loc><lastmod>2024-01-31T23:59:00+09:00</lastmod></sitemap>
  <sitemap><loc> /sitemap/daily-article/20240130.xml </loc><lastmod>2024-01-30</lastmod></sitemap>
  <sitemap><loc>https://www.hankyung.com/sitemap/daily-article/20240131.xml</loc></sitemap>
  <sitemap><loc>ftp://www.hankyung.com/x.xml</loc></sitemap>
  <sitemap><lastmod>2024-01-30</lastmod></sitemap>
</sitemapindex>`

const newsSitemap = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://www.donga.com/news/article/all/20240131/1</loc>
    <lastmod>2024-01-31T10:00:00+09:00</lastmod>
    <news:news>
      <news:publication><news:name>동아일보</news:name><news:language>ko</news:language></news:publication>
      <news:publication_date>2024-01-31T09:00:00+09:00</news:publication_date>
      <news:title><![CDATA[[속보] "반도체" 수출 &amp; 증가]]></news:title>
    </news:news>
    <image:image><image:loc>https://image.donga.com/1.jpg</image:loc><image:title>사진</image:title></image:image>
  </url>
  <url>
    <loc>https://www.donga.com/news/article/all/20240131/2?a=1&b=2</loc>
    <lastmod>2024-01-31 08:00</lastmod>
  </url>
  <url>
    <image:image><image:loc>https://image.donga.com/orphan.jpg</image:loc></image:image>
  </url>
  <url><loc>https://www.donga.com/news/article/all/20240131/1</loc></url>
  <url><loc>https://www.donga.com/news/&nbsp;3</loc><news:news><news:title>엔티티&nbsp;제목</news:title></news:news></url>
</urlset>`

func TestParseSitemap(t *testing.T) {
	const base = "https://www.hankyung.com/sitemap/daily-article.xml"
	wantIndex := Sitemap{Sitemaps: []Link{
		{URL: "https://www.hankyung.com/sitemap/daily-article/20240131.xml", Published: kst(2024, 1, 31, 23, 59, 0)},
		{URL: "https://www.hankyung.com/sitemap/daily-article/20240130.xml", Published: kst(2024, 1, 30, 0, 0, 0)},
	}}
	wantNews := Sitemap{URLs: []Link{
		{URL: "https://www.donga.com/news/article/all/20240131/1", Title: `[속보] "반도체" 수출 & 증가`, Published: kst(2024, 1, 31, 9, 0, 0)},
		{URL: "https://www.donga.com/news/article/all/20240131/2?a=1&b=2", Published: kst(2024, 1, 31, 8, 0, 0)},
		{URL: "https://www.donga.com/news/%C2%A03", Title: "엔티티 제목"},
	}}
	tests := []struct {
		name    string
		body    string
		want    Sitemap
		wantErr string
	}{
		{name: "index", body: sitemapIndex, want: wantIndex},
		{name: "news sitemap", body: newsSitemap, want: wantNews},
		{name: "gzip", body: gz(t, newsSitemap), want: wantNews},
		{name: "gzip twice", body: gz(t, gz(t, sitemapIndex)), want: wantIndex},
		{name: "bom and whitespace", body: "\ufeff\r\n  " + sitemapIndex, want: wantIndex},
		{
			name: "prefixed root, no namespace",
			body: `<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>https://a.example/1</sm:loc><sm:lastmod>2024-01-31</sm:lastmod></sm:url></sm:urlset>`,
			want: Sitemap{URLs: []Link{{URL: "https://a.example/1", Published: kst(2024, 1, 31, 0, 0, 0)}}},
		},
		{
			name: "euc-kr news title",
			body: eucKR(t, `<?xml version="1.0" encoding="euc-kr"?><urlset><url><loc>https://a.example/1</loc><news:news><news:title>국민일보 똠</news:title></news:news></url></urlset>`),
			want: Sitemap{URLs: []Link{{URL: "https://a.example/1", Title: "국민일보 똠"}}},
		},
		{
			name: "text",
			body: "https://www.mk.co.kr/news/politics/1\r\n\r\n# comment\nnot a url\n/relative\nhttps://www.mk.co.kr/news/politics/2\nhttps://www.mk.co.kr/news/politics/1\n",
			want: Sitemap{URLs: []Link{{URL: "https://www.mk.co.kr/news/politics/1"}, {URL: "https://www.mk.co.kr/news/politics/2"}}},
		},
		{name: "text gzip", body: gz(t, "https://a.example/1\n"), want: Sitemap{URLs: []Link{{URL: "https://a.example/1"}}}},
		{
			name: "rss as sitemap",
			body: `<rss version="2.0"><channel><item><title>t</title><link>https://a.example/1</link></item></channel></rss>`,
			want: Sitemap{URLs: []Link{{URL: "https://a.example/1", Title: "t"}}},
		},
		{
			name: "empty urlset",
			body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>`,
		},
		{name: "html", body: "<!DOCTYPE html>\n<html><body>404</body></html>", wantErr: "sitemap " + base + ": unknown root element <html>"},
		{name: "unknown root", body: `<?xml version="1.0"?><!-- c --><foo:bar/>`, wantErr: "sitemap " + base + ": unknown root element <foo:bar>"},
		{name: "empty", body: "\ufeff \n", wantErr: "sitemap " + base + ": empty body"},
		{name: "no url lines", body: "hello\nworld\n", wantErr: "sitemap " + base + ": neither XML nor a text sitemap: 2 lines, none an http(s) URL"},
		{name: "broken gzip", body: "\x1f\x8b\x08\x00garbage", wantErr: "sitemap " + base + ": gzip: unexpected EOF"},
		{name: "comment only", body: "<!-- nothing -->", wantErr: "sitemap " + base + ": no root element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSitemap([]byte(tt.body), base)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseSitemap() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSitemap() error = %v", err)
			}
			assertLinks(t, got.Sitemaps, tt.want.Sitemaps)
			assertLinks(t, got.URLs, tt.want.URLs)
		})
	}
}

func TestParseSitemapTruncated(t *testing.T) {
	body := newsSitemap[:strings.Index(newsSitemap, "<url><loc>https://www.donga.com/news/&nbsp;3")+20]
	got, err := ParseSitemap([]byte(body), "https://www.donga.com/sitemap.xml")
	if err == nil {
		t.Fatalf("ParseSitemap(truncated) error = nil")
	}
	if err.Error() != "sitemap https://www.donga.com/sitemap.xml: document ends inside <urlset>: truncated" {
		t.Errorf("error = %v", err)
	}
	if len(got.URLs) != 2 {
		t.Errorf("truncated sitemap gave %d URLs, want the 2 read before the cut", len(got.URLs))
	}
}

func TestGunzipLimit(t *testing.T) {
	big := gz(t, strings.Repeat("https://a.example/x\n", 1000)) // 20,000 bytes
	if _, err := gunzip([]byte(big), 19_999); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("gunzip over the limit: error = %v, want ErrTooLarge", err)
	}
	out, err := gunzip([]byte(big), 20_000)
	if err != nil || len(out) != 20_000 {
		t.Fatalf("gunzip at the limit = %d bytes, %v", len(out), err)
	}
	// The package limit is the sitemap protocol's.
	if MaxSitemapBytes != 52_428_800 {
		t.Errorf("MaxSitemapBytes = %d", MaxSitemapBytes)
	}
}

func TestParseSitemapBomb(t *testing.T) {
	bombs := []string{
		gz(t, strings.Repeat("https://a.example/\n", 1<<16)), // 1.1 MiB of text
		gz(t, gz(t, strings.Repeat("\x00", 1<<20))),          // 1 MiB inside two layers
	}
	for _, bomb := range bombs {
		_, err := parseSitemap([]byte(bomb), "https://a.example/s.xml.gz", 1<<19)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("parseSitemap(gzip bomb) error = %v, want ErrTooLarge", err)
		}
		if want := "sitemap https://a.example/s.xml.gz: gzip: decompressed size exceeds the limit (524288 bytes)"; err.Error() != want {
			t.Errorf("error = %q, want %q", err, want)
		}
	}
}

func TestSitemapInRange(t *testing.T) {
	since, until := kst(2024, 1, 10, 0, 0, 0), kst(2024, 1, 20, 23, 59, 0)
	tests := []struct {
		url       string
		lastmod   time.Time
		in, known bool
	}{
		{"https://www.hankyung.com/sitemap/daily-article/20240131.xml", time.Time{}, false, true},
		{"https://www.hankyung.com/sitemap/daily-article/20240115.xml", time.Time{}, true, true},
		{"https://www.hankyung.com/sitemap/daily-article/20240110.xml", time.Time{}, true, true},
		{"https://www.hankyung.com/sitemap/daily-article/20240120.xml", time.Time{}, true, true},
		{"https://www.hankyung.com/sitemap/daily-article/20240109.xml", time.Time{}, false, true},
		{"https://www.hankyung.com/sitemap/daily-article/20240121.xml", time.Time{}, false, true},
		{"https://a.example/sitemap-2024-01-31.xml", time.Time{}, false, true},
		{"https://a.example/sitemap_2024_01_15.xml", time.Time{}, true, true},
		{"https://a.example/2024/01/sitemap.xml", time.Time{}, true, true},
		{"https://a.example/2023/12/sitemap.xml", time.Time{}, false, true},
		{"https://a.example/sitemap-2023-12.xml", time.Time{}, false, true},
		{"https://a.example/sitemap.xml?date=20240112", time.Time{}, true, true},
		{"https://a.example/sitemap.xml?date=2024-02-01", time.Time{}, false, true},
		{"https://www.khan.co.kr/sitemap.html?year=2024&month=01&day=31", time.Time{}, false, true},
		{"https://www.khan.co.kr/sitemap.html?year=2024&month=1&day=12", time.Time{}, true, true},
		{"https://www.hankookilbo.com/sitemap/daily-articles/2024", time.Time{}, true, true},
		{"https://www.hankookilbo.com/sitemap/daily-articles/2023", time.Time{}, false, true},
		// No date in the URL: only an old lastmod decides.
		{"https://a.example/sitemap-3.xml", kst(2024, 1, 9, 23, 0, 0), false, true},
		{"https://a.example/sitemap-3.xml", kst(2024, 1, 25, 0, 0, 0), true, false},
		{"https://a.example/sitemap-3.xml", time.Time{}, true, false},
		// Article ids are not dates.
		{"https://a.example/sitemap-20240131000123.xml", time.Time{}, true, false},
		{"https://a.example/sitemap-2001.xml", time.Time{}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			in, known := SitemapInRange(Link{URL: tt.url, Published: tt.lastmod}, since, until)
			if in != tt.in || known != tt.known {
				t.Fatalf("SitemapInRange = %v, %v; want %v, %v", in, known, tt.in, tt.known)
			}
		})
	}
	// Open bounds.
	if in, known := SitemapInRange(Link{URL: "https://a.example/2020/01/01/s.xml"}, time.Time{}, until); !in || !known {
		t.Errorf("open since: %v, %v", in, known)
	}
	if in, known := SitemapInRange(Link{URL: "https://a.example/2020/01/01/s.xml"}, since, time.Time{}); in || !known {
		t.Errorf("open until: %v, %v", in, known)
	}
}

// newsSitemapOf builds a Google News sitemap of n URLs.
func newsSitemapOf(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">` + "\n")
	day := kst(2024, 1, 31, 23, 59, 0)
	for i := range n {
		ts := day.Add(-time.Duration(i) * time.Minute).Format(time.RFC3339)
		fmt.Fprintf(&b, "<url><loc>https://www.example.co.kr/news/articleView.html?idxno=%d</loc><lastmod>%s</lastmod>"+
			"<news:news><news:publication><news:name>예시일보</news:name><news:language>ko</news:language></news:publication>"+
			"<news:publication_date>%s</news:publication_date><news:title><![CDATA[예시 기사 제목 %d번: 정부, \"반도체\" 지원 확대]]></news:title></news:news>"+
			"<image:image><image:loc>https://img.example.co.kr/%d.jpg</image:loc></image:image></url>\n", 1000000+i, ts, ts, i, i)
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

func TestParseSitemapLarge(t *testing.T) {
	const n = 5_000 // BenchmarkParseSitemap reads 50,000
	body := newsSitemapOf(n)
	sm, err := ParseSitemap(body, "https://www.example.co.kr/sitemap.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(sm.URLs) != n {
		t.Fatalf("got %d URLs, want %d", len(sm.URLs), n)
	}
	if l := sm.URLs[n-1]; l.Title != fmt.Sprintf(`예시 기사 제목 %d번: 정부, "반도체" 지원 확대`, n-1) || l.Published.IsZero() {
		t.Errorf("last URL = %+v", l)
	}
}

// BenchmarkParseSitemap parses a 50,000-URL Google News sitemap (about
// 25 MB). The baseline is encoding/xml alone reading every token of the same
// document, so the ratio is what ParseSitemap adds on top of the decoder.
func BenchmarkParseSitemap(b *testing.B) {
	body := newsSitemapOf(50_000)
	b.Run("ParseSitemap", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := ParseSitemap(body, "https://www.example.co.kr/sitemap.xml"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline-xml-RawToken", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			d := xml.NewDecoder(bytes.NewReader(body))
			for {
				if _, err := d.RawToken(); err != nil {
					if err != io.EOF {
						b.Fatal(err)
					}
					break
				}
			}
		}
	})
}
