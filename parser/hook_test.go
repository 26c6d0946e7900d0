package parser_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/parser"
)

// hookPage is an invented article page of the outlet "hooked": its section
// is only in a data attribute, and its reporter only in a data-writer
// attribute the generic layers do not read.
const hookPage = `<html><head><meta charset="utf-8"><meta property="og:type" content="article">
<title>시장에 봄이 왔다 - 가상일보</title></head><body data-section="경제">
<h1>시장에 봄이 왔다</h1><div class="info">입력 2024.03.01 09:05</div>
<div class="article_body" data-writer="박봄비"><p>전통시장에 봄 손님이 늘었다. 상인들은 반가운 표정이다.</p>
<p>시장 상인회는 다음 달 봄맞이 행사를 연다고 밝혔다. 행사는 일주일 동안 이어진다.</p></div></body></html>`

// hookProfiles returns two invented outlets: "hooked" (hooked.example) and
// "plain" (plain.example).
func hookProfiles(t *testing.T) *parser.Profiles {
	t.Helper()
	ps, err := parser.NewProfiles(
		&parser.Profile{ID: "hooked", Name: "가상일보", Hosts: []string{"hooked.example"}},
		&parser.Profile{ID: "plain", Name: "보통일보", Hosts: []string{"plain.example"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestHooks checks that an outlet's hook runs on that outlet's pages only,
// after the layers, that the fields it changes are recorded as its and are
// finished (content hash, NFC), and that its errors and panics are reported
// as errors naming the outlet.
func TestHooks(t *testing.T) {
	sectionHook := func(doc *goquery.Document, a *article.Article) error {
		a.Section = doc.Find("body").AttrOr("data-section", "")
		w := doc.Find("[data-writer]").AttrOr("data-writer", "")
		// The hook also sees what the layers found.
		if a.Title != "시장에 봄이 왔다" || a.PublishedAt == nil {
			return errors.New("layers did not run before the hook")
		}
		a.Reporters = append(a.Reporters, article.Reporter{Name: w, Role: "기자"})
		a.Body += "\n\n\u1112\u1161\u11ab\u1100\u1173\u11af" // NFD 한글 must come out NFC
		return nil
	}
	errBroken := errors.New("broken layout")
	cases := []struct {
		name    string
		url     string
		hook    parser.Hook
		wantErr []error // errors.Is targets; nil: no error
		errText string  // the error must name this
		check   func(t *testing.T, a article.Article)
	}{
		{
			name: "hook fills fields", url: "https://hooked.example/news/1", hook: sectionHook,
			check: func(t *testing.T, a article.Article) {
				if a.Section != "경제" || len(a.Reporters) != 1 || a.Reporters[0].Name != "박봄비" {
					t.Errorf("section %q reporters %+v, want 경제 and 박봄비", a.Section, a.Reporters)
				}
				for _, f := range []string{"section", "reporters", "body"} {
					if got := a.Extraction.Sources[f]; got != "hook" {
						t.Errorf("source of %s = %q, want hook", f, got)
					}
				}
				if got := a.Extraction.Sources["title"]; got == "hook" {
					t.Errorf("title, unchanged by the hook, has source hook")
				}
				if !strings.HasSuffix(a.Body, "한글") {
					t.Errorf("body does not end with the hook's NFC text: %q", a.Body)
				}
				if a.ContentHash != article.ContentHash(a.Body) {
					t.Errorf("content hash %s is not the final body's", a.ContentHash)
				}
			},
		},
		{
			name: "other outlet untouched", url: "https://plain.example/news/1", hook: sectionHook,
			check: func(t *testing.T, a article.Article) {
				if a.Section != "" || a.Extraction.Sources["section"] != "" {
					t.Errorf("hook ran on another outlet's page: section %q", a.Section)
				}
			},
		},
		{
			name: "hook error", url: "https://hooked.example/news/1",
			hook:    func(*goquery.Document, *article.Article) error { return errBroken },
			wantErr: []error{parser.ErrHook, errBroken}, errText: "hooked",
		},
		{
			name: "hook says not an article", url: "https://hooked.example/news/1",
			hook:    func(*goquery.Document, *article.Article) error { return parser.ErrNotArticle },
			wantErr: []error{parser.ErrHook, parser.ErrNotArticle}, errText: "hooked",
		},
		{
			name: "hook panics", url: "https://hooked.example/news/1",
			hook: func(_ *goquery.Document, a *article.Article) error {
				_ = a.Reporters[5] // index out of range
				return nil
			},
			wantErr: []error{parser.ErrHook}, errText: "hooked",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := parser.New(parser.Options{Profiles: hookProfiles(t), Hooks: map[string]parser.Hook{"hooked": c.hook}})
			if err != nil {
				t.Fatal(err)
			}
			a, err := p.Parse(article.Page{URL: c.url, Body: []byte(hookPage)})
			if c.wantErr == nil {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				c.check(t, a)
				return
			}
			if err == nil {
				t.Fatal("Parse: no error")
			}
			for _, target := range c.wantErr {
				if !errors.Is(err, target) {
					t.Errorf("error %q is not %v", err, target)
				}
			}
			if !strings.Contains(err.Error(), c.errText) {
				t.Errorf("error %q does not name %q", err, c.errText)
			}
		})
	}
}

// TestHooksOptions checks that New refuses a hook for an outlet it has no
// profile for, and a nil hook.
func TestHooksOptions(t *testing.T) {
	ok := func(*goquery.Document, *article.Article) error { return nil }
	for _, c := range []struct {
		name  string
		hooks map[string]parser.Hook
		want  string
	}{
		{"unknown outlet", map[string]parser.Hook{"nosuch": ok}, `"nosuch"`},
		{"nil hook", map[string]parser.Hook{"hooked": nil}, `"hooked" is nil`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parser.New(parser.Options{Profiles: hookProfiles(t), Hooks: c.hooks})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("New: error %v, want one naming %s", err, c.want)
			}
		})
	}
}
