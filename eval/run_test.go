package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
)

// corpus writes a corpus into a temp dir: html/NAME.html (a page naming
// itself, so fake parsers can tell pages apart) and truth/NAME.json for each
// truth, and manifest.tsv when manifest is not "".
func corpus(t *testing.T, truths map[string]string, manifest string) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"html", "truth"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, js := range truths {
		write(t, filepath.Join(dir, "html", name+".html"), "<html>"+name+"</html>")
		write(t, filepath.Join(dir, "truth", name+".json"), js)
	}
	if manifest != "" {
		write(t, filepath.Join(dir, "manifest.tsv"), manifest)
	}
	return dir
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pageName is the name corpus wrote into a page.
func pageName(p article.Page) string {
	return strings.TrimSuffix(strings.TrimPrefix(string(p.Body), "<html>"), "</html>")
}

// fakeParse answers from a table of results by page name.
func fakeParse(results map[string]article.Article, errs map[string]error) ParseFunc {
	return func(p article.Page) (article.Article, error) {
		name := pageName(p)
		return results[name], errs[name]
	}
}

func ptime(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const body2 = "첫째 문단의 내용은 이렇게 여러 낱말로 길게 이어진다.\n\n둘째 문단도 마찬가지로 네 낱말 이상으로 되어 있다."

// Three Korean pages in two groups and one benchmark page, with their truth
// as articles (what a perfect parser returns).
var (
	kbs1 = article.Article{
		Title: "남북 통신선 종일 불통", Subtitle: "통신선 이틀째", Outlet: article.Outlet{Name: "KBS"}, Body: body2,
		Reporters:   []article.Reporter{{Name: "이동환", Role: "기자"}},
		PublishedAt: ptime("2023-04-07T08:26:22+09:00"), UpdatedAt: ptime("2023-04-07T08:26:57+09:00"),
		Related: []article.Link{{Title: "a", URL: "https://news.kbs.co.kr/a"}},
	}
	kbs2 = article.Article{
		Title: "제목 둘", Outlet: article.Outlet{Name: "KBS"}, Body: "하나 둘 셋 넷 다섯 여섯",
		Reporters:   []article.Reporter{},
		PublishedAt: ptime("2023-04-07T19:00:00+09:00"),
		Related:     []article.Link{},
	}
	ytn1 = article.Article{
		Title: "단독 보도", Outlet: article.Outlet{Name: "YTN"}, Body: "가 나 다 라 마 바 사",
		Reporters:   []article.Reporter{{Name: "김철수"}, {Name: "박영희"}},
		PublishedAt: ptime("2023-04-07T18:36:00+09:00"), UpdatedAt: ptime("2023-04-07T18:40:00+09:00"),
		Related: []article.Link{{URL: "https://www.ytn.co.kr/_ln/1"}, {URL: "https://www.ytn.co.kr/_ln/2"}},
	}
	aebBody = "New electric vehicles are among the new models on display this week at the show."
)

// gisaTruth is a's truth file in gisa's layout.
func gisaTruth(t *testing.T, a article.Article, url string) string {
	t.Helper()
	ts := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.Format(time.RFC3339)
	}
	return mustJSON(t, map[string]any{
		"url": url, "outlet": a.Outlet.Name, "title": a.Title, "subtitle": a.Subtitle,
		"reporters": a.Reporters, "published_at": ts(a.PublishedAt), "updated_at": ts(a.UpdatedAt),
		"body": a.Body, "related": a.Related, "notes": "",
	})
}

func mixedCorpus(t *testing.T) string {
	return corpus(t, map[string]string{
		"kbs_1":    gisaTruth(t, kbs1, "https://news.kbs.co.kr/1"),
		"kbs_2":    gisaTruth(t, kbs2, "https://news.kbs.co.kr/2"),
		"ytn_1":    gisaTruth(t, ytn1, "https://www.ytn.co.kr/1"),
		"0a1b2c3d": mustJSON(t, map[string]string{"articleBody": aebBody, "url": "https://example.com/ev"}),
	}, "")
}

func perfect() map[string]article.Article {
	return map[string]article.Article{
		"kbs_1": kbs1, "kbs_2": kbs2, "ytn_1": ytn1,
		"0a1b2c3d": {Body: aebBody},
	}
}

func groupNamed(t *testing.T, r *Report, name string) Group {
	t.Helper()
	if name == OverallGroup {
		return r.Overall
	}
	for _, g := range r.Groups {
		if g.Name == name {
			return g
		}
	}
	t.Fatalf("no group %q in %v", name, r.Groups)
	return Group{}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestRunPerfect(t *testing.T) {
	r, err := Run(mixedCorpus(t), fakeParse(perfect(), nil))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range r.Groups {
		names = append(names, g.Name)
	}
	if want := []string{"aeb", "kbs", "ytn"}; !slices.Equal(names, want) {
		t.Fatalf("groups %v, want %v", names, want)
	}
	for _, tc := range []struct {
		group                          string
		pages, judged, reporters, rels int
	}{
		{"kbs", 2, 2, 2, 2},
		{"ytn", 1, 1, 1, 1},
		{"aeb", 1, 0, 0, 0},
		{OverallGroup, 4, 3, 3, 3},
	} {
		g := groupNamed(t, r, tc.group)
		if g.Pages != tc.pages || g.Errors != 0 {
			t.Errorf("%s: pages %d errors %d, want %d 0", tc.group, g.Pages, g.Errors, tc.pages)
		}
		if g.Body != (Body{1, 1, 1}) {
			t.Errorf("%s: body %+v, want all 1", tc.group, g.Body)
		}
		for field, c := range map[string]Count{"title": g.Title, "reporters": g.Reporters, "published": g.Published, "updated": g.Updated} {
			want := Count{Correct: tc.judged, Total: tc.judged}
			if tc.judged > 0 {
				want.Rate = 1
			}
			if c != want {
				t.Errorf("%s %s: %+v, want %+v", tc.group, field, c, want)
			}
		}
		if g.Related.Pages != tc.rels {
			t.Errorf("%s: related pages %d, want %d", tc.group, g.Related.Pages, tc.rels)
		}
		if tc.rels > 0 && (g.Related.Recall != 1 || g.Related.Precision != 1) {
			t.Errorf("%s: related %+v, want recall and precision 1", tc.group, g.Related)
		}
	}
	for _, p := range r.Pages {
		if len(p.Misses) != 0 || p.Error != "" {
			t.Errorf("%s: misses %v error %q, want none", p.Name, p.Misses, p.Error)
		}
	}
	if r.Pages[0].Layout != LayoutBenchmark || r.Pages[0].Group != "aeb" || r.Pages[0].URL != "https://example.com/ev" {
		t.Errorf("benchmark page %+v", r.Pages[0])
	}
	// The aeb page has no title, reporters or date: health shows them empty.
	if e := groupNamed(t, r, "aeb").Empty; e != (Empty{Title: 1, Body: 0, Reporters: 1, PublishedAt: 1}) {
		t.Errorf("aeb empty %+v", e)
	}
	if e := groupNamed(t, r, "kbs").Empty; e != (Empty{Reporters: 0.5}) {
		t.Errorf("kbs empty %+v", e)
	}
}

func TestRunEmptyPrediction(t *testing.T) {
	r, err := Run(mixedCorpus(t), fakeParse(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	o := r.Overall
	if o.Body.F1 != 0 || o.Title.Correct != 0 {
		t.Errorf("body %+v title %+v, want 0", o.Body, o.Title)
	}
	// kbs_2 has no reporters, no update time and no related links: an empty
	// prediction is right on those.
	want := map[string]Count{
		"reporters": {Correct: 1, Total: 3, Rate: 1.0 / 3},
		"published": {Correct: 0, Total: 3},
		"updated":   {Correct: 1, Total: 3, Rate: 1.0 / 3},
	}
	for field, c := range map[string]Count{"reporters": o.Reporters, "published": o.Published, "updated": o.Updated} {
		if c.Correct != want[field].Correct || c.Total != want[field].Total || !near(c.Rate, want[field].Rate) {
			t.Errorf("%s: %+v, want %+v", field, c, want[field])
		}
	}
	if rel := o.Related; rel.Truth != 3 || rel.Predicted != 0 || rel.Recall != 0 || rel.Precision != 0 {
		t.Errorf("related %+v", rel)
	}
	if o.Empty != (Empty{1, 1, 1, 1}) {
		t.Errorf("empty %+v, want all 1", o.Empty)
	}
}

func TestRunParseError(t *testing.T) {
	errNo := errors.New("not an article")
	errs := map[string]error{"kbs_1": errNo, "kbs_2": errNo, "ytn_1": errNo, "0a1b2c3d": errNo}
	// A parser may return a partial article with its error: it is ignored.
	r, err := Run(mixedCorpus(t), fakeParse(perfect(), errs))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range append(r.Groups, r.Overall) {
		if g.Errors != g.Pages {
			t.Errorf("%s: %d errors of %d pages", g.Name, g.Errors, g.Pages)
		}
		for field, c := range map[string]Count{"title": g.Title, "reporters": g.Reporters, "published": g.Published, "updated": g.Updated} {
			if c.Correct != 0 || c.Rate != 0 {
				t.Errorf("%s %s: %+v, want a miss on every page (kbs_2's empty truths included)", g.Name, field, c)
			}
		}
		if g.Body.F1 != 0 || g.Related.Recall != 0 || g.Related.Precision != 0 {
			t.Errorf("%s: body %+v related %+v, want 0", g.Name, g.Body, g.Related)
		}
		if g.Empty != (Empty{1, 1, 1, 1}) {
			t.Errorf("%s: empty %+v", g.Name, g.Empty)
		}
	}
	for _, p := range r.Pages {
		if p.Error != "not an article" || len(p.Misses) != 0 {
			t.Errorf("%s: error %q misses %v", p.Name, p.Error, p.Misses)
		}
	}
	var b bytes.Buffer
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "parse errors on 4 of 4 pages: not an article (4)") {
		t.Errorf("table lacks the error summary:\n%s", b.String())
	}
}

// one runs a one-page corpus (name kbs_1) with the given truth fields on top
// of kbs1's, and a prediction.
func one(t *testing.T, truth map[string]any, pred article.Article) *Report {
	t.Helper()
	base := map[string]any{}
	if err := json.Unmarshal([]byte(gisaTruth(t, kbs1, "https://news.kbs.co.kr/1")), &base); err != nil {
		t.Fatal(err)
	}
	for k, v := range truth {
		if v == nil {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	dir := corpus(t, map[string]string{"kbs_1": mustJSON(t, base)}, "")
	r, err := Run(dir, fakeParse(map[string]article.Article{"kbs_1": pred}, nil))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFields(t *testing.T) {
	with := func(f func(a *article.Article)) article.Article {
		a := kbs1
		f(&a)
		return a
	}
	type field int
	const (
		title field = iota
		reporters
		published
		updated
	)
	get := func(g Group, f field) Count {
		return [...]Count{g.Title, g.Reporters, g.Published, g.Updated}[f]
	}
	for _, tc := range []struct {
		name  string
		truth map[string]any
		pred  article.Article
		field field
		total int // pages judged (0 when the truth lacks the field)
		right bool
	}{
		{"title white space folded", nil, with(func(a *article.Article) { a.Title = "  남북  통신선\n종일 불통 " }), title, 1, true},
		{"title differs", nil, with(func(a *article.Article) { a.Title = "남북 통신선 종일 불통 - KBS" }), title, 1, false},
		{"title absent from truth", map[string]any{"title": nil}, with(func(a *article.Article) { a.Title = "x" }), title, 0, false},

		{"reporters as a set", map[string]any{"reporters": []map[string]string{{"name": "김철수"}, {"name": "박영희"}}},
			with(func(a *article.Article) {
				a.Reporters = []article.Reporter{{Name: "박영희 ", Email: "p@x"}, {Name: "김철수"}, {Name: "김철수"}}
			}), reporters, 1, true},
		{"reporters one missing", map[string]any{"reporters": []map[string]string{{"name": "김철수"}, {"name": "박영희"}}},
			with(func(a *article.Article) { a.Reporters = []article.Reporter{{Name: "김철수"}} }), reporters, 1, false},
		{"reporters none and none", map[string]any{"reporters": []any{}},
			with(func(a *article.Article) { a.Reporters = nil }), reporters, 1, true},
		{"reporters none but some", map[string]any{"reporters": []any{}}, kbs1, reporters, 1, false},

		{"published same minute, other seconds", nil,
			with(func(a *article.Article) { a.PublishedAt = ptime("2023-04-07T08:26:59+09:00") }), published, 1, true},
		{"published same minute, other zone", nil,
			with(func(a *article.Article) { a.PublishedAt = ptime("2023-04-06T23:26:00Z") }), published, 1, true},
		{"published next minute", nil,
			with(func(a *article.Article) { a.PublishedAt = ptime("2023-04-07T08:27:00+09:00") }), published, 1, false},
		{"published an hour off (zone lost)", nil,
			with(func(a *article.Article) { a.PublishedAt = ptime("2023-04-07T08:26:22Z") }), published, 1, false},
		{"published null", nil, with(func(a *article.Article) { a.PublishedAt = nil }), published, 1, false},

		{"updated empty, predicted null", map[string]any{"updated_at": ""},
			with(func(a *article.Article) { a.UpdatedAt = nil }), updated, 1, true},
		{"updated empty, predicted a time", map[string]any{"updated_at": ""}, kbs1, updated, 1, false},
		{"updated a time, predicted null", nil, with(func(a *article.Article) { a.UpdatedAt = nil }), updated, 1, false},
		{"updated absent from truth", map[string]any{"updated_at": nil}, kbs1, updated, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := one(t, tc.truth, tc.pred)
			c := get(r.Overall, tc.field)
			want := Count{Total: tc.total}
			if tc.right {
				want.Correct, want.Rate = 1, 1
			}
			if c != want {
				t.Errorf("got %+v, want %+v (misses %v)", c, want, r.Pages[0].Misses)
			}
			if missed := len(r.Pages[0].Misses) > 0; tc.total > 0 && missed == tc.right {
				t.Errorf("misses %v, right %v", r.Pages[0].Misses, tc.right)
			}
		})
	}
}

func TestRelated(t *testing.T) {
	links := func(urls ...string) []article.Link {
		out := []article.Link{}
		for _, u := range urls {
			out = append(out, article.Link{Title: "t", URL: u})
		}
		return out
	}
	for _, tc := range []struct {
		name                      string
		truth, pred               []article.Link
		matched                   int
		recall, precision         float64
		wantMissing, wantExtraURL string
	}{
		{"normalized match",
			links("https://News.kbs.co.kr/news/view.do?ncd=1", "http://www.ytn.co.kr/a/", "https://x.com/b#top"),
			links("http://news.kbs.co.kr/news/view.do?ncd=1#c", "https://www.ytn.co.kr/a", "https://x.com/b/"),
			3, 1, 1, "", ""},
		{"query matters",
			links("https://x.com/view?id=1"), links("https://x.com/view?id=2"),
			0, 0, 0, "https://x.com/view?id=1", "https://x.com/view?id=2"},
		{"each link once",
			links("https://x.com/1", "https://x.com/2"), links("https://x.com/1", "https://x.com/1", "https://x.com/3"),
			1, 0.5, 1.0 / 3, "https://x.com/2", "https://x.com/1 https://x.com/3"},
		{"none and none", links(), links(), 0, 1, 1, "", ""},
		{"none but some", links(), links("https://x.com/1"), 0, 0, 0, "", "https://x.com/1"},
		{"some but none", links("https://x.com/1"), nil, 0, 0, 0, "https://x.com/1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pred := kbs1
			pred.Related = tc.pred
			r := one(t, map[string]any{"related": tc.truth}, pred)
			rel := r.Overall.Related
			if rel.Pages != 1 || rel.Truth != len(tc.truth) || rel.Predicted != len(tc.pred) || rel.Matched != tc.matched ||
				!near(rel.Recall, tc.recall) || !near(rel.Precision, tc.precision) {
				t.Errorf("got %+v, want matched %d recall %.3f precision %.3f", rel, tc.matched, tc.recall, tc.precision)
			}
			var m *Miss
			for i := range r.Pages[0].Misses {
				if r.Pages[0].Misses[i].Field == "related" {
					m = &r.Pages[0].Misses[i]
				}
			}
			switch {
			case m == nil && (tc.wantMissing != "" || tc.wantExtraURL != ""):
				t.Errorf("no related miss recorded")
			case m != nil && (m.Expected != tc.wantMissing || m.Got != tc.wantExtraURL):
				t.Errorf("miss %+v, want missing %q extra %q", *m, tc.wantMissing, tc.wantExtraURL)
			}
		})
	}
}

// Related links are micro-averaged over a group's pages; pages without truth
// links add nothing to recall but their predictions count against precision,
// and pages whose truth has no related list are not judged on them.
func TestRelatedMicro(t *testing.T) {
	a := article.Article{Body: "x", Related: []article.Link{{URL: "https://x.com/1"}, {URL: "https://x.com/2"}}}
	b := article.Article{Body: "y", Related: []article.Link{}}
	dir := corpus(t, map[string]string{
		"s_1": gisaTruth(t, a, ""),
		"s_2": gisaTruth(t, b, ""),
		"abc": mustJSON(t, map[string]string{"articleBody": "z", "url": ""}),
	}, "")
	pred := map[string]article.Article{
		"s_1": {Related: []article.Link{{URL: "https://x.com/1"}, {URL: "https://x.com/9"}}},
		"s_2": {Related: []article.Link{{URL: "https://x.com/8"}}},
		"abc": {Related: []article.Link{{URL: "https://x.com/7"}}},
	}
	r, err := Run(dir, fakeParse(pred, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Related{Pages: 2, Truth: 2, Predicted: 3, Matched: 1, Recall: 0.5, Precision: 1.0 / 3}
	for _, g := range []Group{groupNamed(t, r, "s"), r.Overall} {
		if got := g.Related; got.Pages != want.Pages || got.Truth != want.Truth || got.Predicted != want.Predicted ||
			got.Matched != want.Matched || !near(got.Recall, want.Recall) || !near(got.Precision, want.Precision) {
			t.Errorf("%s: %+v, want %+v", g.Name, got, want)
		}
	}
	if rel := groupNamed(t, r, "aeb").Related; rel != (Related{}) {
		t.Errorf("aeb related %+v, want nothing judged", rel)
	}
}

func TestBodyScore(t *testing.T) {
	half := "첫째 문단의 내용은 이렇게 여러 낱말로 길게 이어진다."
	noisy := body2 + "\n\n저작권자 무단 전재 및 재배포 금지 합니다"
	pred := map[string]article.Article{"kbs_1": {Body: half}, "kbs_2": {Body: "무관한 글 하나 둘 셋"}, "ytn_1": {Body: noisy}}
	dir := corpus(t, map[string]string{
		"kbs_1": gisaTruth(t, kbs1, ""), "kbs_2": gisaTruth(t, kbs2, ""), "ytn_1": gisaTruth(t, article.Article{Body: body2}, ""),
	}, "")
	r, err := Run(dir, fakeParse(pred, nil))
	if err != nil {
		t.Fatal(err)
	}
	f1, p, rc := BodyF1([]Shingles{MatchShingles(kbs1.Body, half), MatchShingles(kbs2.Body, "무관한 글 하나 둘 셋")})
	if g := groupNamed(t, r, "kbs").Body; !near(g.F1, f1) || !near(g.Precision, p) || !near(g.Recall, rc) {
		t.Errorf("kbs body %+v, want f1 %.3f p %.3f r %.3f", g, f1, p, rc)
	}
	if f1 <= 0 || f1 >= 1 {
		t.Fatalf("test data gives f1 %v; want a partial score", f1)
	}
	ytn := r.Pages[2]
	if ytn.BodyRecall != 1 || ytn.BodyPrecision >= 1 {
		t.Errorf("ytn_1 body p %.3f r %.3f, want p < 1, r 1", ytn.BodyPrecision, ytn.BodyRecall)
	}
	var m Miss
	for _, x := range ytn.Misses {
		if x.Field == "body" {
			m = x
		}
	}
	if m.Expected != "" || m.Got != "저작권자 무단 전재 및 재배포 금지 합니다" || !strings.Contains(m.Detail, "recall 1.000") {
		t.Errorf("body miss %+v, want the extra paragraph", m)
	}
}

func TestManifest(t *testing.T) {
	dir := corpus(t, map[string]string{
		"a_1": gisaTruth(t, kbs2, "https://truth.example/a1"),
		"a_2": gisaTruth(t, kbs2, "https://truth.example/a2"),
		"a_3": gisaTruth(t, kbs2, "https://truth.example/a3"),
		"a_4": gisaTruth(t, kbs2, "https://truth.example/a4"),
	}, "name\toutlet\tarticle_url\tdeclared_charset\r\n"+
		"a_1\tX\thttps://manifest.example/a1\teuc-kr (recorded)\r\n"+
		"a_2\tX\thttps://manifest.example/a2\t\r\n"+
		"\n"+
		"a_3\tX\t\tUTF-8\n")
	type seen struct{ url, ct string }
	got := map[string]seen{}
	parse := func(p article.Page) (article.Article, error) {
		got[pageName(p)] = seen{p.URL, p.ContentType}
		return article.Article{}, nil
	}
	r, err := Run(dir, parse)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]seen{
		"a_1": {"https://manifest.example/a1", "text/html; charset=euc-kr"},
		"a_2": {"https://manifest.example/a2", ""},
		"a_3": {"https://truth.example/a3", "text/html; charset=UTF-8"},
		"a_4": {"https://truth.example/a4", ""},
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: page %+v, want %+v", name, got[name], w)
		}
	}
	if r.Pages[0].URL != "https://manifest.example/a1" {
		t.Errorf("result URL %q", r.Pages[0].URL)
	}
}

func TestRunCorpusErrors(t *testing.T) {
	good := gisaTruth(t, kbs1, "")
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) string
		want  string
	}{
		{"missing dir", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope") }, "nope"},
		{"no pages", func(t *testing.T) string { return corpus(t, nil, "") }, "no pages"},
		{"html without truth", func(t *testing.T) string {
			dir := corpus(t, map[string]string{"a_1": good}, "")
			write(t, filepath.Join(dir, "html", "a_2.html"), "x")
			return dir
		}, "html/a_2.html has no truth/a_2.json"},
		{"truth without html", func(t *testing.T) string {
			dir := corpus(t, map[string]string{"a_1": good}, "")
			write(t, filepath.Join(dir, "truth", "a_2.json"), good)
			return dir
		}, "truth/a_2.json has no html/a_2.html"},
		{"unknown layout", func(t *testing.T) string {
			return corpus(t, map[string]string{"a_1": `{"text": "x"}`}, "")
		}, "truth/a_1.json: neither body"},
		{"bad json", func(t *testing.T) string { return corpus(t, map[string]string{"a_1": `{`}, "") }, "truth/a_1.json"},
		{"bad time", func(t *testing.T) string {
			return corpus(t, map[string]string{"a_1": `{"body": "x", "published_at": "2023-04-07 08:26"}`}, "")
		}, "truth/a_1.json: published_at"},
		{"manifest without name column", func(t *testing.T) string {
			return corpus(t, map[string]string{"a_1": good}, "file\turl\n")
		}, "no name column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.setup(t)
			_, err := Run(dir, fakeParse(nil, nil))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), dir) {
				t.Errorf("error %q, want it to name %s and say %q", err, dir, tc.want)
			}
		})
	}
}

func TestGroupOf(t *testing.T) {
	for name, want := range map[string]string{
		"chosun_11": "chosun", "chosun_1": "chosun", "naver_sports_2": "naver_sports",
		"kbs": "kbs", "mk_1a": "mk_1a", "_3": "_3",
	} {
		if got := groupOf(name); got != want {
			t.Errorf("groupOf(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestWriteTable(t *testing.T) {
	pred := perfect()
	wrongTitle := kbs1
	wrongTitle.Title = strings.Repeat("가", 100)
	wrongTitle.Outlet.Name = "KBS뉴스"
	pred["kbs_1"] = wrongTitle
	r, err := Run(mixedCorpus(t), fakeParse(pred, nil))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := []string{
		"group   pages  title subtitle outlet body_f1 reporters published updated rel_recall rel_prec  empty%(t/b/r/p)",
		"aeb         1      -        -      -   1.000         -         -       -          -        -  100/0/100/100",
		"kbs         2  0.500    1.000  0.500   1.000     1.000     1.000   1.000      1.000    1.000  0/0/50/0",
		"ytn         1  1.000    1.000  1.000   1.000     1.000     1.000   1.000      1.000    1.000  0/0/0/0",
		"OVERALL     4  0.667    1.000  0.667   1.000     1.000     1.000   1.000      1.000    1.000  25/0/50/25",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), strings.Join(want, "\n"))
	}
	b.Reset()
	if err := r.WriteMisses(&b); err != nil {
		t.Fatal(err)
	}
	wantMiss := `kbs_1: title: expected "남북 통신선 종일 불통" got "` + strings.Repeat("가", 79) + `…"` + "\n" +
		`kbs_1: outlet: expected "KBS" got "KBS뉴스"` + "\n"
	if b.String() != wantMiss {
		t.Errorf("misses:\n%s\nwant:\n%s", b.String(), wantMiss)
	}
}

func TestReportJSON(t *testing.T) {
	r, err := Run(mixedCorpus(t), fakeParse(perfect(), nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	overall, _ := m["overall"].(map[string]any)
	body, _ := overall["body"].(map[string]any)
	empty, _ := overall["empty"].(map[string]any)
	title, _ := overall["title"].(map[string]any)
	if body["f1"] != 1.0 || empty["published_at"] != 0.25 || title["rate"] != 1.0 || overall["pages"] != 4.0 {
		t.Errorf("overall JSON: %s", b)
	}
	pages, _ := m["pages"].([]any)
	if len(pages) != 4 {
		t.Fatalf("pages JSON: %s", b)
	}
	if p, _ := pages[1].(map[string]any); p["name"] != "kbs_1" || p["body_precision"] != 1.0 {
		t.Errorf("page JSON: %v", p)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil || back.Overall.Title != r.Overall.Title {
		t.Errorf("round trip: %v, %+v", err, back.Overall.Title)
	}
}

// A group whose truth has no related links scores 1 for predicting none, but
// not when no page of it parsed.
func TestRelatedNoLinks(t *testing.T) {
	dir := corpus(t, map[string]string{"s_1": gisaTruth(t, kbs2, "")}, "")
	for _, tc := range []struct {
		name string
		err  error
		want float64
	}{
		{"parsed", nil, 1},
		{"failed", errors.New("boom"), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Run(dir, fakeParse(nil, map[string]error{"s_1": tc.err}))
			if err != nil {
				t.Fatal(err)
			}
			if rel := r.Overall.Related; rel.Pages != 1 || rel.Recall != tc.want || rel.Precision != tc.want {
				t.Errorf("related %+v, want recall and precision %v", rel, tc.want)
			}
		})
	}
}
