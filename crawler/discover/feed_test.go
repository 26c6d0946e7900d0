package discover

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/korean"
)

// eucKR encodes s as EUC-KR (CP949), the way legacy Korean servers send it.
func eucKR(t testing.TB, s string) string {
	t.Helper()
	b, err := korean.EUCKR.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("encode EUC-KR: %v", err)
	}
	return b
}

const rss2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>테스트일보</title>
<link>https://www.example.co.kr/</link>
<item>
  <title><![CDATA[[단독] 정부, <b>반도체</b> 지원 &quot;확대&quot;]]></title>
  <link>/news/articleView.html?idxno=101</link>
  <pubDate>2024-01-31 09:00:00</pubDate>
</item>
<item>
  <title>&amp;quot;이중&amp;quot; 인코딩 &lt;인터뷰&gt;</title>
  <link>https://www.example.co.kr/news/articleView.html?idxno=102#home</link>
  <pubDate>Wed, 31 Jan 2024 08:00:00 KST</pubDate>
</item>
<item>
  <title>duplicate</title>
  <link>https://www.example.co.kr/news/articleView.html?idxno=101</link>
</item>
<item>
  <title>guid only</title>
  <guid isPermaLink="true">https://www.example.co.kr/news/103</guid>
  <dc:date>2024-01-30T23:00:00Z</dc:date>
</item>
<item><title>script link</title><link>javascript:void(0)</link></item>
<item><title>no link</title></item>
<item><title>mailto</title><link>mailto:a@b.c</link></item>
<item><title>nbsp&nbsp;entity</title><link>https://www.example.co.kr/news/104</link><pubDate>Wed, 31 Jan 2024 00:00:00 +0000</pubDate></item>
</channel></rss>`

const atomFeed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom 테스트</title>
  <entry>
    <title type="html">&lt;b&gt;속보&lt;/b&gt; 지진</title>
    <link rel="alternate" href="https://news.example.com/a/1"/>
    <link rel="enclosure" href="https://news.example.com/a/1.jpg"/>
    <published>2024-01-31T09:00:00+09:00</published>
    <updated>2024-01-31T10:00:00+09:00</updated>
  </entry>
  <entry>
    <title>updated only</title>
    <link href="/a/2"/>
    <updated>2024-01-31T00:30:00Z</updated>
  </entry>
</feed>`

const rdfFeed = `<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example.com/"><title>RDF</title><link>https://rdf.example.com/</link></channel>
  <item rdf:about="https://rdf.example.com/n/1">
    <title>RDF 기사</title>
    <link>https://rdf.example.com/n/1</link>
    <dc:date>2024-01-31T09:00:00+09:00</dc:date>
  </item>
</rdf:RDF>`

func TestFeed(t *testing.T) {
	const base = "https://www.example.co.kr/rss/allArticle.xml"
	eucItem := `<item><title>국민일보 기사 똠방각하</title><link>http://news.kmib.co.kr/article/view.asp?arcid=1</link><pubDate>2024.01.31 09:00</pubDate></item>`
	tests := []struct {
		name    string
		body    string
		base    string
		want    []Link
		wantErr string
	}{
		{
			name: "rss 2.0",
			body: rss2,
			base: base,
			want: []Link{
				{URL: "https://www.example.co.kr/news/articleView.html?idxno=101", Title: `[단독] 정부, 반도체 지원 "확대"`, Published: kst(2024, 1, 31, 9, 0, 0)},
				{URL: "https://www.example.co.kr/news/articleView.html?idxno=102", Title: `"이중" 인코딩 <인터뷰>`, Published: kst(2024, 1, 31, 8, 0, 0)},
				{URL: "https://www.example.co.kr/news/103", Title: "guid only", Published: kst(2024, 1, 31, 8, 0, 0)},
				{URL: "https://www.example.co.kr/news/104", Title: "nbsp entity", Published: kst(2024, 1, 31, 9, 0, 0)},
			},
		},
		{
			name: "atom",
			body: atomFeed,
			base: "https://news.example.com/feed.atom",
			want: []Link{
				{URL: "https://news.example.com/a/1", Title: "속보 지진", Published: kst(2024, 1, 31, 9, 0, 0)},
				{URL: "https://news.example.com/a/2", Title: "updated only", Published: kst(2024, 1, 31, 9, 30, 0)},
			},
		},
		{
			name: "rdf",
			body: rdfFeed,
			base: "https://rdf.example.com/rss",
			want: []Link{{URL: "https://rdf.example.com/n/1", Title: "RDF 기사", Published: kst(2024, 1, 31, 9, 0, 0)}},
		},
		{
			name: "euc-kr declared",
			body: eucKR(t, `<?xml version="1.0" encoding="euc-kr"?><rss version="2.0"><channel><title>국민</title>`+eucItem+`</channel></rss>`),
			base: "http://rss.kmib.co.kr/data/kmibRssAll.xml",
			want: []Link{{URL: "http://news.kmib.co.kr/article/view.asp?arcid=1", Title: "국민일보 기사 똠방각하", Published: kst(2024, 1, 31, 9, 0, 0)}},
		},
		{
			name: "cp949 label",
			body: eucKR(t, `<?xml version='1.0' encoding='CP949'?><rss version="2.0"><channel><title>국민</title>`+eucItem+`</channel></rss>`),
			want: []Link{{URL: "http://news.kmib.co.kr/article/view.asp?arcid=1", Title: "국민일보 기사 똠방각하", Published: kst(2024, 1, 31, 9, 0, 0)}},
		},
		{
			name: "euc-kr declared as utf-8",
			body: eucKR(t, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>국민</title>`+eucItem+`</channel></rss>`),
			want: []Link{{URL: "http://news.kmib.co.kr/article/view.asp?arcid=1", Title: "국민일보 기사 똠방각하", Published: kst(2024, 1, 31, 9, 0, 0)}},
		},
		{
			name: "utf-8 declared as euc-kr",
			body: `<?xml version="1.0" encoding="euc-kr"?><rss version="2.0"><channel><title>국민</title>` + eucItem + `</channel></rss>`,
			want: []Link{{URL: "http://news.kmib.co.kr/article/view.asp?arcid=1", Title: "국민일보 기사 똠방각하", Published: kst(2024, 1, 31, 9, 0, 0)}},
		},
		{
			name: "bom, blank lines and a control character",
			body: "\ufeff\n\n  " + `<?xml version="1.0"?><rss version="2.0"><channel><item><title>a` + "\x0b" + `b</title><link>https://x.example/1</link></item></channel></rss>`,
			want: []Link{{URL: "https://x.example/1", Title: "ab"}},
		},
		{
			name: "long comment before the root",
			body: `<?xml version="1.0"?><!-- ` + strings.Repeat("생성 정보 ", 1000) + ` --><rss version="2.0"><channel><item><link>https://x.example/1</link></item></channel></rss>`,
			want: []Link{{URL: "https://x.example/1"}},
		},
		{
			name: "empty channel",
			body: `<rss version="2.0"><channel><title>t</title></channel></rss>`,
			want: []Link{},
		},
		{name: "html page", body: `<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>`, base: base,
			wantErr: "feed " + base + ": not RSS or Atom: root element <html>"},
		{name: "empty", body: " \n", base: base, wantErr: "feed " + base + ": empty body"},
		{name: "text", body: "just text", base: base, wantErr: "feed " + base + ": not RSS or Atom: no XML element"},
		{name: "bad base", body: rss2, base: "/relative", wantErr: `feed /relative: base URL "/relative" is not absolute http(s)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Feed([]byte(tt.body), tt.base)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Feed() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Feed() error = %v", err)
			}
			assertLinks(t, got, tt.want)
		})
	}
}

func assertLinks(t *testing.T, got, want []Link) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d links, want %d:\n%s", len(got), len(want), formatLinks(got))
		return
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.URL != w.URL || g.Title != w.Title || !g.Published.Equal(w.Published) {
			t.Errorf("link %d = %+v\n          want %+v", i, g, w)
		}
	}
}

func formatLinks(ls []Link) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString("  " + l.URL + " | " + l.Title + " | " + l.Published.Format(time.RFC3339) + "\n")
	}
	return b.String()
}
