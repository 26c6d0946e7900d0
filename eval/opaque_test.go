package eval_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/gisa-news/gisa/eval"
)

func TestOpaqueNames(t *testing.T) {
	in := `<!doctype html><html><head><meta charset="euc-kr"><title>제목</title>
<script>var s = '<div class="byline">';</script><!-- class="comment" --></head>
<body><DIV Class="article_body  byline" ID="articleBody" data-id="7"><p class=byline>홍길동 기자</p>` +
		"<span>\xc8\xab\xb1\xe6\xb5\xbf</span>" + // 홍길동 in EUC-KR
		`<img src="a.jpg" alt="사진" class="caption"/><br></DIV><p>본문 &amp; 끝</p></body></html>`
	out := string(eval.OpaqueNames([]byte(in)))

	for _, name := range []string{`Class="article_body`, `<p class=byline`, `ID="articleBody"`, `class="caption"`} {
		if strings.Contains(out, name) {
			t.Errorf("output keeps %s:\n%s", name, out)
		}
	}
	// What is not a class or id is kept byte for byte: text in any
	// charset, scripts, comments, other attributes, tags without names.
	for _, keep := range []string{`var s = '<div class="byline">';`, `<!-- class="comment" -->`, "\xc8\xab\xb1\xe6\xb5\xbf",
		`data-id="7"`, `src="a.jpg"`, `alt="사진"`, `<p>본문 &amp; 끝</p>`, `<meta charset="euc-kr">`, "<br>"} {
		if !strings.Contains(out, keep) {
			t.Errorf("output lost %q:\n%s", keep, out)
		}
	}
	// Equal names stay equal: the byline class word of the div and the
	// p's class are one token.
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	classes := map[string]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "class" {
				classes[n.Data] = a.Val
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	token := regexp.MustCompile(`^x[0-9a-f]{8}$`)
	div := strings.Fields(classes["div"])
	if len(div) != 2 || !token.MatchString(div[0]) || !token.MatchString(div[1]) || div[1] != classes["p"] || div[0] == div[1] {
		t.Errorf("class tokens: div %q, p %q", classes["div"], classes["p"])
	}

	// A page with no class or id comes back as it was.
	plain := []byte("<html><body><p>본문</p><img src=a.jpg></body></html>")
	if got := eval.OpaqueNames(plain); !bytes.Equal(got, plain) {
		t.Errorf("page without names changed:\n%s", got)
	}
}

func FuzzOpaqueNames(f *testing.F) {
	f.Add([]byte(`<div class="a b" id=c><p class=a>x</p></div>`))
	f.Add([]byte(`<div class="`))
	f.Add([]byte("<p>\xff\xfe<script>class=</script>"))
	f.Add([]byte(`<svg><g class="a"/></svg><table id=t class='x y'><tr class=r>`))
	token := regexp.MustCompile(`^x[0-9a-f]{8}$`)
	f.Fuzz(func(t *testing.T, page []byte) {
		doc, err := html.Parse(bytes.NewReader(eval.OpaqueNames(page)))
		if err != nil {
			return
		}
		// Every class word and id the parser reads is a token.
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			for _, a := range n.Attr {
				if a.Namespace != "" || a.Key != "class" && a.Key != "id" {
					continue
				}
				for _, w := range strings.Fields(a.Val) {
					if !token.MatchString(w) {
						t.Fatalf("%s %q left in %q", a.Key, a.Val, page)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	})
}
