package parser

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
	"golang.org/x/text/encoding/korean"

	"github.com/gisa-news/gisa/article"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func newParser(t testing.TB) *Parser {
	t.Helper()
	p, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func eucKR(t testing.TB, s string) []byte {
	t.Helper()
	b, err := korean.EUCKR.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	const text = "<p>한글 기사 본문입니다. 똠방각하</p>"
	utf := []byte(`<html><head><meta charset="utf-8"></head><body>` + text + `</body></html>`)
	plainEUC := append([]byte(`<html><head></head><body>`), eucKR(t, text)...)
	declEUC := append([]byte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr"></head><body>`), eucKR(t, text)...)
	utfDeclEUC := []byte(`<html><head><meta charset="euc-kr"></head><body>` + text + `</body></html>`)
	declared := func(cs string) []byte {
		return append([]byte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=`+cs+`"></head><body>`), eucKR(t, text)...)
	}
	for _, tc := range []struct {
		name, contentType string
		in                []byte
		charset           string
	}{
		{"utf-8 declared", "", utf, "utf-8"},
		{"euc-kr undeclared", "", plainEUC, "euc-kr"},
		{"euc-kr in meta", "", declEUC, "euc-kr"},
		{"euc-kr in header, meta silent", "text/html; charset=EUC-KR", plainEUC, "euc-kr"},
		{"cp949 alias in header", "text/html;charset=ks_c_5601-1987", plainEUC, "euc-kr"},
		{"header says utf-8, bytes are euc-kr", "text/html; charset=utf-8", declEUC, "euc-kr"},
		{"re-saved as utf-8, still declares euc-kr", "", utfDeclEUC, "utf-8"},
		{"header says euc-kr, bytes are utf-8", "text/html; charset=euc-kr", utf, "utf-8"},
		{"header says windows-1252, bytes are utf-8", "text/html; charset=windows-1252", utf, "utf-8"},
		{"header names no charset gisa knows, bytes are utf-8", "text/html; charset=x-nonesuch", utf, "utf-8"},
		{"utf-8 bom", "", append([]byte{0xEF, 0xBB, 0xBF}, utf...), "utf-8"},
		{"malformed header", "text/html; charset", utf, "utf-8"},
		// Names the WHATWG list does not know, in <meta>: DetermineEncoding
		// read them as windows-1252.
		{"cp949 in meta", "", declared("cp949"), "euc-kr"},
		{"ms949 in meta", "", declared("ms949"), "euc-kr"},
		{"x-windows-949 in meta", "", declared("x-windows-949"), "euc-kr"},
		{"an empty charset in meta", "", declared(""), "euc-kr"},
		// Korean bytes declared as Latin-1.
		{"iso-8859-1 in meta, bytes are euc-kr", "", declared("iso-8859-1"), "euc-kr"},
		{"iso-8859-1 in the header, bytes are euc-kr", "text/html; charset=ISO-8859-1", plainEUC, "euc-kr"},
		{"malformed header with a stray byte", "text/\x80html; ChArset=", utf, "utf-8"}, // fuzz: ToLower moved the index past the end
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, cs, err := decode(tc.in, tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if cs != tc.charset {
				t.Errorf("charset = %q, want %q", cs, tc.charset)
			}
			if !utf8.Valid(out) {
				t.Fatal("output is not valid UTF-8")
			}
			if !bytes.Contains(out, []byte("한글 기사 본문입니다. 똠방각하")) {
				t.Errorf("text lost in decoding: %.200q", out)
			}
		})
	}
}

func TestDecodeGarbage(t *testing.T) {
	garbage := []byte{0xff, 0xfe, 0x00, 0x81, 0x82, 0xc0, 0xaf, 0xed, 0xa0, 0x80}
	for _, ct := range []string{"", "text/html; charset=utf-8", "text/html; charset=euc-kr", "text/html; charset=no-such-charset"} {
		out, _, err := decode(garbage, ct)
		if err == nil && !utf8.Valid(out) {
			t.Errorf("%q: invalid UTF-8 out", ct)
		}
	}
}

// A synthetic wire article with every Korean convention the parser knows.
const wirePage = `<!doctype html><html lang="ko"><head>
<meta charset="utf-8"><title>정부, 반도체 지원책 발표 | 예시일보</title>
<meta property="og:title" content="정부, 반도체 지원책 발표 | 예시일보">
<meta property="og:site_name" content="예시일보">
<meta property="og:type" content="article">
<link rel="canonical" href="/news/12345">
</head><body>
<header><nav><a href="/">홈</a> <a href="/politics">정치</a> <a href="/economy">경제</a></nav></header>
<article>
<h1>정부, 반도체 지원책 발표</h1>
<div class="info">입력 2023.11.21 09:30 | 수정 2023.11.21 10:05</div>
<div id="article-body">
<p>(서울=연합뉴스) 홍길동 김철수 기자 = 정부가 21일 반도체 산업 지원책을 발표했다. 지원 규모는 모두 10조원에 이른다.</p>
<p>산업통상자원부는 이날 정부서울청사에서 브리핑을 열고 세부 내용을 설명했다. 업계는 환영의 뜻을 밝혔다.</p>
<p>▶ 네이버에서 예시일보 구독하기</p>
<p>전문가들은 지원책이 투자 확대로 이어질지 지켜봐야 한다고 말했다.</p>
<p>hong@example.co.kr</p>
<p>&lt;저작권자(c) 예시일보, 무단 전재-재배포, AI 학습 및 활용 금지&gt;</p>
</div>
<div class="related"><h3>관련기사</h3><ul>
<li><a href="/news/12300">반도체 수출 석 달째 증가</a></li>
<li><a href="/news/12301?utm_source=x">정부, 지원책 발표 예고</a></li>
<li><a href="/news/12345">정부, 반도체 지원책 발표</a></li>
</ul></div>
</article>
<footer>회사소개 | 개인정보처리방침</footer>
</body></html>`

func TestParseGolden(t *testing.T) {
	p := newParser(t)
	for _, tc := range []struct {
		name string
		page article.Page
	}{
		{"wire", article.Page{URL: "https://news.example.com/news/12345", Body: []byte(wirePage)}},
		{"wire-euckr", article.Page{URL: "https://news.example.com/news/12345", ContentType: "text/html; charset=euc-kr",
			Body: eucKR(t, strings.Replace(wirePage, `charset="utf-8"`, `charset="euc-kr"`, 1))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := p.Parse(tc.page)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(a, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
				t.Errorf("record differs from %s (go test -update rewrites it; review the diff):\n%s", golden, got)
			}
		})
	}
}

func TestParseWireFields(t *testing.T) {
	a, err := newParser(t).Parse(article.Page{URL: "https://news.example.com/news/12345", Body: []byte(wirePage)})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "정부, 반도체 지원책 발표" {
		t.Errorf("title = %q", a.Title)
	}
	if !strings.HasPrefix(a.Body, "정부가 21일 반도체 산업 지원책을 발표했다.") {
		t.Errorf("dateline not cut: %.80q", a.Body)
	}
	for _, bad := range []string{"▶", "저작권자", "hong@", "관련기사", "홍길동"} {
		if strings.Contains(a.Body, bad) {
			t.Errorf("body keeps %q", bad)
		}
	}
	if len(a.Reporters) != 2 || a.Reporters[0].Name != "홍길동" || a.Reporters[1].Name != "김철수" || a.Reporters[0].Role != "기자" {
		t.Errorf("reporters = %+v", a.Reporters)
	}
	if a.PublishedAt == nil || a.PublishedAt.Format("2006-01-02T15:04:05Z07:00") != "2023-11-21T09:30:00+09:00" {
		t.Errorf("published_at = %v", a.PublishedAt)
	}
	if a.UpdatedAt == nil || a.UpdatedAt.Format("15:04") != "10:05" {
		t.Errorf("updated_at = %v", a.UpdatedAt)
	}
	if !strings.Contains(a.Copyright, "무단 전재") {
		t.Errorf("copyright = %q", a.Copyright)
	}
	if a.CanonicalURL != "https://news.example.com/news/12345" {
		t.Errorf("canonical_url = %q", a.CanonicalURL)
	}
	if len(a.Related) != 2 || a.Related[0].URL != "https://news.example.com/news/12300" {
		t.Errorf("related = %+v (want 2, the self-link dropped)", a.Related)
	}
	if a.Outlet.Name != "예시일보" || a.Language != "ko" || !article.ValidID(a.ID) {
		t.Errorf("outlet %+v, language %q, id %q", a.Outlet, a.Language, a.ID)
	}
}

func TestParseBadInput(t *testing.T) {
	p, err := New(Options{MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	huge := bytes.Repeat([]byte("<p>가나다라마바사 아자차카타파하.</p>\n"), 1<<16)
	for _, tc := range []struct {
		name string
		body []byte
		want error // nil: any outcome but a panic or invalid UTF-8
	}{
		{"empty", nil, ErrNotArticle},
		{"white space", []byte(" \n\t "), ErrNotArticle},
		{"too large", huge, ErrTooLarge},
		{"binary garbage", []byte{0, 1, 2, 0xff, 0xfe, 0x80, 0x81, '<', 0, '>'}, ErrNotArticle},
		{"truncated", []byte(wirePage[:len(wirePage)/2]), nil},
		{"index page", []byte(`<html><head><title>뉴스 홈</title></head><body><ul><li><a href="/1">기사 하나</a></li><li><a href="/2">기사 둘</a></li></ul></body></html>`), ErrNotArticle},
		{"broken json-ld", []byte(strings.Replace(wirePage, "</head>", `<script type="application/ld+json">{"@type":"NewsArticle","headline":"깨진, "datePublished":</script></head>`, 1)), nil},
		{"impossible date", []byte(strings.Replace(wirePage, "2023.11.21 09:30", "2023.13.45 25:61", 1)), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := p.Parse(article.Page{URL: "https://news.example.com/news/1", Body: tc.body})
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			checkValid(t, a)
		})
	}
}

func checkValid(t testing.TB, a article.Article) {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(b) {
		t.Fatal("record is not valid UTF-8")
	}
	for _, s := range []string{a.Title, a.Subtitle, a.Body, a.Copyright, a.Section} {
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 in %q", s)
		}
	}
}

func TestUnknownOutlet(t *testing.T) {
	_, err := newParser(t).Parse(article.Page{Outlet: "no-such-outlet", Body: []byte(wirePage)})
	if err == nil || !strings.Contains(err.Error(), "no-such-outlet") {
		t.Fatalf("err = %v, want one naming the outlet", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(wirePage), "")
	f.Add([]byte(wirePage[:300]), "text/html; charset=euc-kr")
	f.Add([]byte(`<script type="application/ld+json">[{"@graph":[{"@type":"NewsArticle","author":[{"name":"홍길동 기자"}]}]}]</script>`), "")
	f.Add([]byte(`<script>Fusion.globalContent={"content_elements":[{"type":"text","content":"<b>x</b>"}]};</script>`), "")
	p, err := New(Options{MaxBytes: 1 << 20})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		a, _ := p.Parse(article.Page{URL: "https://news.example.com/news/1", ContentType: contentType, Body: body})
		checkValid(t, a)
	})
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(wirePage), "")
	f.Add([]byte{0xb0, 0xa1, 0xb3, 0xaa}, "text/html; charset=euc-kr")
	f.Add([]byte{0xfe, 0xff, 0x00, 0x41}, "")
	f.Fuzz(func(t *testing.T, in []byte, contentType string) {
		out, _, err := decode(in, contentType)
		if err == nil && !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 from %q", in)
		}
	})
}

// corpusPages reads the shared Korean corpus pages with their URLs (so
// outlet profiles apply, as in a crawl), skipping when the corpus is absent.
func corpusPages(b *testing.B) []article.Page {
	b.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "ko")
	files, _ := filepath.Glob(filepath.Join(dir, "html", "*.html"))
	if len(files) == 0 {
		b.Skip("../shared/corpus/ko is absent")
	}
	urls := map[string]string{}
	if m, err := os.ReadFile(filepath.Join(dir, "manifest.tsv")); err == nil {
		for _, line := range strings.Split(string(m), "\n") {
			if f := strings.Split(line, "\t"); len(f) >= 3 {
				urls[f[0]] = f[2]
			}
		}
	}
	var pages []article.Page
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, article.Page{URL: urls[strings.TrimSuffix(filepath.Base(f), ".html")], Body: data})
	}
	return pages
}

// BenchmarkParse and BenchmarkHTMLParseKo run over the same corpus pages:
// their ns/op ratio is the parser's cost relative to bare html.Parse.
func BenchmarkParse(b *testing.B) {
	pages := corpusPages(b)
	p := newParser(b)
	size := 0
	for _, pg := range pages {
		size += len(pg.Body)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, pg := range pages {
			_, _ = p.Parse(pg)
		}
	}
}

func BenchmarkHTMLParseKo(b *testing.B) {
	pages := corpusPages(b)
	size := 0
	for _, pg := range pages {
		size += len(pg.Body)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, pg := range pages {
			if _, err := xhtml.Parse(bytes.NewReader(pg.Body)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestSeedPressian lays the seed article's text (../shared/seed) out the
// way an article page does and checks every part the seed names: the
// bracketed byline with e-mail, the copyright line and the ten headlines
// after the article.
func TestSeedPressian(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "shared", "seed", "pressian-article.txt"))
	if err != nil {
		t.Skip("../shared/seed is absent")
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	var b strings.Builder
	b.WriteString(`<html><head><meta charset="utf-8"><title>` + html.EscapeString(lines[0]) + ` - 프레시안</title></head><body><h1>` + html.EscapeString(lines[0]) + `</h1><div class="article_body">`)
	var heads []string
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case strings.HasPrefix(l, "- "):
			heads = append(heads, strings.TrimPrefix(l, "- "))
		default:
			b.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
		}
	}
	b.WriteString(`</div><ul class="list">`)
	for i, h := range heads {
		fmt.Fprintf(&b, `<li><a href="/pages/articles/20231120%011d">%s</a></li>`, i, html.EscapeString(h))
	}
	b.WriteString(`</ul></body></html>`)
	a, err := newParser(t).Parse(article.Page{URL: "https://www.pressian.com/pages/articles/2023112109000000001", Body: []byte(b.String())})
	if err != nil {
		t.Fatal(err)
	}
	want := article.Reporter{Name: "이대희", Email: "eday@pressian.com", Role: "기자"}
	if len(a.Reporters) != 1 || a.Reporters[0] != want {
		t.Errorf("reporters = %+v, want [%+v]", a.Reporters, want)
	}
	if a.Copyright != "Copyright © 프레시안. 무단전재 및 재배포 금지." {
		t.Errorf("copyright = %q", a.Copyright)
	}
	for _, bad := range []string{"eday@", "Copyright", "홍익표"} {
		if strings.Contains(a.Body, bad) {
			t.Errorf("body keeps %q", bad)
		}
	}
	for _, sub := range []string{"MS 주가 사상 최고치…시총 1위 애플 바짝 좇아", "차세대 AI 개발 가속도 낼 듯"} {
		if !strings.Contains(a.Body, sub+"\n\n") {
			t.Errorf("subheading %q is not its own paragraph", sub)
		}
	}
	if len(a.Related) != len(heads) || len(heads) != 10 {
		t.Errorf("related: %d of %d headlines", len(a.Related), len(heads))
	}
	if a.Title != strings.TrimSpace(lines[0]) || a.Outlet.ID != "pressian" {
		t.Errorf("title %q, outlet %+v", a.Title, a.Outlet)
	}
}

// TestDecodeLatin1Stays: a page in a European language declared as
// ISO-8859-1 is read as such, not as Korean.
func TestDecodeLatin1Stays(t *testing.T) {
	fr := "<p>L'été à Séoul : la température a dépassé 35 °C, un record depuis des décennies. Élève, café, naïve, où, garçon.</p>"
	in := []byte(`<html><head><meta charset="iso-8859-1"></head><body>`)
	for _, r := range fr {
		in = append(in, byte(r)) // every rune of fr is below U+0100
	}
	in = append(in, "</body></html>"...)
	out, cs, err := decode(in, "")
	if err != nil {
		t.Fatal(err)
	}
	if cs != "windows-1252" || !bytes.Contains(out, []byte("L'été à Séoul")) {
		t.Errorf("decode = %q as %s, want the French text as windows-1252", out, cs)
	}
}
