package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/gisa-news/gisa/table"
)

// ParseFunc parses one page; (*parser.Parser).Parse is one. Run calls it
// once per page, one page at a time.
type ParseFunc func(article.Page) (article.Article, error)

// Layout names the format of a truth file.
type Layout string

// The truth layouts Run reads, detected per file.
const (
	// LayoutGisa is gisa's truth format (title, subtitle, reporters,
	// published_at, updated_at, body, related, url, outlet), see
	// shared/corpus/ko/README.md.
	LayoutGisa Layout = "gisa"
	// LayoutBenchmark is the article-extraction benchmark's (articleBody,
	// url). Its pages all go into the group BenchmarkGroup.
	LayoutBenchmark Layout = "benchmark"
)

// BenchmarkGroup is the group of every page whose truth is in
// LayoutBenchmark.
const BenchmarkGroup = "aeb"

// OverallGroup is the name of Report.Overall.
const OverallGroup = "OVERALL"

// Mode names how the parser measured by a Run was set up; Run does not set
// it (it only sees a ParseFunc), the caller that made the parser does.
type Mode string

// The parser set-ups gisa measures.
const (
	// ModeProfiles is the parser with its outlet profiles, as gisa runs.
	ModeProfiles Mode = "profiles"
	// ModeNoProfiles is the parser with no outlet profile at all: the
	// generic layers alone, as an outlet gisa has never seen (or one that
	// redesigned its pages) gets them.
	ModeNoProfiles Mode = "no-profiles"
)

// Report is the result of one Run: scores per group of pages and over all
// pages, and what each page got wrong.
type Report struct {
	Dir     string       `json:"dir"`
	Mode    Mode         `json:"mode,omitempty"`
	Groups  []Group      `json:"groups"`  // sorted by name
	Overall Group        `json:"overall"` // over every page of Dir
	Pages   []PageResult `json:"pages"`   // sorted by name
}

// Group holds the scores of a set of pages: those of one outlet (the file
// name without its trailing _N, "chosun" for chosun_11), or all of them.
type Group struct {
	Name   string `json:"name"`
	Pages  int    `json:"pages"`
	Errors int    `json:"errors"` // pages whose parse returned an error
	// Title is exact match after folding white space, over pages whose
	// truth has a title; Subtitle and Outlet (the outlet's name) likewise.
	Title    Count `json:"title"`
	Subtitle Count `json:"subtitle"`
	Outlet   Count `json:"outlet"`
	// Body is the benchmark's shingle score over all pages.
	Body Body `json:"body"`
	// Reporters is the set of reporter names being exactly the truth's,
	// over pages whose truth lists reporters (an empty list included).
	Reporters Count `json:"reporters"`
	// Published and Updated are the time being right to the minute (or
	// null where the truth has ""), over pages whose truth has the field.
	Published Count `json:"published"`
	Updated   Count `json:"updated"`
	// Related is links matched by URL, over pages whose truth has a related
	// list.
	Related Related `json:"related"`
	// Empty is the share of pages where a field came out empty, whatever the
	// truth: a jump here is the sign of a changed page layout.
	Empty Empty `json:"empty"`
}

// Count is how many of Total judged pages were right. Rate is
// Correct/Total, or 0 when Total is 0 (nothing judged).
type Count struct {
	Correct int     `json:"correct"`
	Total   int     `json:"total"`
	Rate    float64 `json:"rate"`
}

// Body is the benchmark's body score: precision and recall averaged over
// pages, F1 their harmonic mean (see BodyF1).
type Body struct {
	F1        float64 `json:"f1"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

// Related counts related links over the pages judged on them, micro-averaged:
// Recall is Matched/Truth, Precision Matched/Predicted. When there are neither
// truth nor predicted links both are 1 (0 if every page judged failed to
// parse); a ratio with a zero denominator is otherwise 0 (the benchmark's
// convention). Links are matched by URL with
// the scheme (http or https), a trailing slash and the fragment ignored.
type Related struct {
	Pages     int     `json:"pages"` // pages judged; 0 means no figures
	Truth     int     `json:"truth"`
	Predicted int     `json:"predicted"`
	Matched   int     `json:"matched"`
	Recall    float64 `json:"recall"`
	Precision float64 `json:"precision"`
}

// Empty holds the shares (0 to 1) of a group's pages where a field came out
// empty; a page whose parse failed is empty on all of them.
type Empty struct {
	Title       float64 `json:"title"`
	Body        float64 `json:"body"`
	Reporters   float64 `json:"reporters"`
	PublishedAt float64 `json:"published_at"`
}

// PageResult is how one page fared.
type PageResult struct {
	Name   string `json:"name"` // the file's base name, e.g. "chosun_11"
	Group  string `json:"group"`
	Layout Layout `json:"layout"`
	URL    string `json:"url"` // the URL given to the parser
	// Error is the parse error; such a page counts as a miss on every field.
	Error         string  `json:"error,omitempty"`
	BodyPrecision float64 `json:"body_precision"`
	BodyRecall    float64 `json:"body_recall"`
	Misses        []Miss  `json:"misses"` // empty when Error is set
}

// Miss is a field of a page that did not match the truth.
type Miss struct {
	Field string `json:"field"` // "title", "subtitle", "outlet", "body", "reporters", "published_at", "updated_at", "related"
	// Expected and Got are the values as text. For the body they are the
	// first paragraph that differs (cut short); for related links, the truth
	// URLs not found and the predicted URLs not in the truth.
	Expected string `json:"expected"`
	Got      string `json:"got"`
	Detail   string `json:"detail,omitempty"`
}

// Run parses every page of the corpus in dir and scores it against its
// truth. The corpus is dir/html/NAME.html with dir/truth/NAME.json; every
// page must have its truth and every truth its page. When dir/manifest.tsv
// exists (columns name, outlet, article_url, declared_charset), a page's
// article_url is its Page.URL (else the truth's url) and its declared
// charset becomes Page.ContentType. A parse error is recorded in the page's
// result, not returned; Run's own errors are about reading the corpus.
func Run(dir string, parse ParseFunc) (*Report, error) {
	r, err := run(dir, parse)
	if err != nil {
		return nil, fmt.Errorf("eval %s: %w", dir, err)
	}
	return r, nil
}

func run(dir string, parse ParseFunc) (*Report, error) {
	htmlDir, truthDir := filepath.Join(dir, "html"), filepath.Join(dir, "truth")
	pages, err := baseNames(htmlDir, ".html")
	if err != nil {
		return nil, err
	}
	truths, err := baseNames(truthDir, ".json")
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("no pages in %s", htmlDir)
	}
	for _, name := range truths {
		if _, found := slices.BinarySearch(pages, name); !found {
			return nil, fmt.Errorf("truth/%s.json has no html/%s.html", name, name)
		}
	}
	manifest, err := readManifest(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		return nil, err
	}

	rep := &Report{Dir: dir, Overall: Group{Name: OverallGroup}}
	var all []score
	for _, name := range pages {
		tpath := filepath.Join(truthDir, name+".json")
		raw, err := os.ReadFile(tpath)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("html/%s.html has no truth/%s.json", name, name)
		}
		if err != nil {
			return nil, err
		}
		tr, err := decodeTruth(raw)
		if err != nil {
			return nil, fmt.Errorf("truth/%s.json: %w", name, err)
		}
		body, err := os.ReadFile(filepath.Join(htmlDir, name+".html"))
		if err != nil {
			return nil, err
		}
		page := article.Page{URL: tr.url, Body: body}
		if m, ok := manifest[name]; ok {
			if m.url != "" {
				page.URL = m.url
			}
			if m.charset != "" {
				page.ContentType = "text/html; charset=" + m.charset
			}
		}
		group := groupOf(name)
		if tr.layout == LayoutBenchmark {
			group = BenchmarkGroup
		}
		pred, perr := parse(page)
		s, res := judge(tr, pred, perr)
		res.Name, res.Group, res.Layout, res.URL = name, group, tr.layout, page.URL
		s.group = group
		all = append(all, s)
		rep.Pages = append(rep.Pages, res)
	}

	groups := map[string][]score{}
	for _, s := range all {
		groups[s.group] = append(groups[s.group], s)
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	slices.Sort(names)
	for _, g := range names {
		rep.Groups = append(rep.Groups, aggregate(g, groups[g]))
	}
	rep.Overall = aggregate(OverallGroup, all)
	return rep, nil
}

// baseNames lists the names of dir's files ending in ext, without it, sorted.
func baseNames(dir, ext string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ext) {
			names = append(names, strings.TrimSuffix(e.Name(), ext))
		}
	}
	slices.Sort(names)
	return names, nil
}

var numberSuffix = lazy.NewRegexp(`_[0-9]+$`)

// groupOf is a page's group: its name without a trailing _N.
func groupOf(name string) string {
	if g := numberSuffix.ReplaceAllString(name, ""); g != "" {
		return g
	}
	return name
}

type manifestRow struct{ url, charset string }

// readManifest reads a manifest.tsv: a header row naming the columns, then
// one row per page. A missing file is an empty manifest.
func readManifest(path string) (map[string]manifestRow, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	col := map[string]int{}
	for i, h := range strings.Split(strings.TrimSuffix(lines[0], "\r"), "\t") {
		col[strings.TrimSpace(h)] = i
	}
	if _, ok := col["name"]; !ok {
		return nil, fmt.Errorf("%s: header has no name column", path)
	}
	field := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	rows := map[string]manifestRow{}
	for n, line := range lines[1:] {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		rec := strings.Split(line, "\t")
		name := field(rec, "name")
		if _, dup := rows[name]; dup {
			return nil, fmt.Errorf("%s:%d: %q listed twice", path, n+2, name)
		}
		// "utf-8 (recorded)": the charset is the first word.
		var charset string
		if f := strings.Fields(field(rec, "declared_charset")); len(f) > 0 {
			charset = f[0]
		}
		rows[name] = manifestRow{url: field(rec, "article_url"), charset: charset}
	}
	return rows, nil
}

// truth is one page's truth in either layout; a nil pointer is a field the
// truth does not have.
type truth struct {
	layout      Layout
	url         string
	title       *string
	subtitle    *string
	outlet      *string
	body        string
	reporters   *[]article.Reporter
	published   *string
	updated     *string
	related     *[]article.Link
	publishedAt *time.Time // parsed published, nil for ""
	updatedAt   *time.Time
}

func decodeTruth(raw []byte) (truth, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return truth{}, err
	}
	if _, ok := keys["articleBody"]; ok {
		var b struct {
			ArticleBody string `json:"articleBody"`
			URL         string `json:"url"`
		}
		if err := json.Unmarshal(raw, &b); err != nil {
			return truth{}, err
		}
		return truth{layout: LayoutBenchmark, url: b.URL, body: b.ArticleBody}, nil
	}
	if _, ok := keys["body"]; !ok {
		return truth{}, errors.New("neither body (gisa) nor articleBody (benchmark)")
	}
	var g struct {
		URL         string              `json:"url"`
		Title       *string             `json:"title"`
		Subtitle    *string             `json:"subtitle"`
		Outlet      *string             `json:"outlet"`
		Body        string              `json:"body"`
		Reporters   *[]article.Reporter `json:"reporters"`
		PublishedAt *string             `json:"published_at"`
		UpdatedAt   *string             `json:"updated_at"`
		Related     *[]article.Link     `json:"related"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return truth{}, err
	}
	t := truth{
		layout: LayoutGisa, url: g.URL, title: g.Title, subtitle: g.Subtitle, outlet: g.Outlet, body: g.Body,
		reporters: g.Reporters, published: g.PublishedAt, updated: g.UpdatedAt,
		related: g.Related,
	}
	var err error
	if t.publishedAt, err = truthTime(g.PublishedAt); err != nil {
		return truth{}, fmt.Errorf("published_at: %w", err)
	}
	if t.updatedAt, err = truthTime(g.UpdatedAt); err != nil {
		return truth{}, fmt.Errorf("updated_at: %w", err)
	}
	return t, nil
}

func truthTime(s *string) (*time.Time, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// outcome of one field on one page.
type outcome int8

const (
	unjudged outcome = iota
	right
	wrong
)

// score is one page's contribution to its group.
type score struct {
	group                          string
	failed                         bool
	shingles                       Shingles
	title, subtitle, outlet        outcome
	reporters, published, updated  outcome
	relJudged                      bool
	relTruth, relPred, relMatched  int
	emptyTitle, emptyBody          bool
	emptyReporters, emptyPublished bool
}

// judge scores a prediction (or a parse error) against the truth.
func judge(t truth, pred article.Article, perr error) (score, PageResult) {
	var s score
	var res PageResult
	if perr != nil {
		s.failed = true
		res.Error = perr.Error()
		pred = article.Article{}
	}
	miss := func(field, expected, got, detail string) {
		if !s.failed {
			res.Misses = append(res.Misses, Miss{Field: field, Expected: expected, Got: got, Detail: detail})
		}
	}
	check := func(ok bool) outcome {
		if ok && !s.failed {
			return right
		}
		return wrong
	}

	s.emptyTitle = strings.TrimSpace(pred.Title) == ""
	s.emptyBody = strings.TrimSpace(pred.Body) == ""
	s.emptyReporters = len(pred.Reporters) == 0
	s.emptyPublished = pred.PublishedAt == nil

	if t.title != nil {
		s.title = check(fold(*t.title) == fold(pred.Title))
		if s.title == wrong {
			miss("title", *t.title, pred.Title, "")
		}
	}
	if t.subtitle != nil {
		s.subtitle = check(fold(*t.subtitle) == fold(pred.Subtitle))
		if s.subtitle == wrong {
			miss("subtitle", *t.subtitle, pred.Subtitle, "")
		}
	}
	if t.outlet != nil {
		s.outlet = check(fold(*t.outlet) == fold(pred.Outlet.Name))
		if s.outlet == wrong {
			miss("outlet", *t.outlet, pred.Outlet.Name, "")
		}
	}

	s.shingles = MatchShingles(t.body, pred.Body)
	res.BodyPrecision, res.BodyRecall = s.shingles.Precision(), s.shingles.Recall()
	if res.BodyPrecision < 1 || res.BodyRecall < 1 {
		exp, got := firstDifference(t.body, pred.Body)
		miss("body", exp, got, fmt.Sprintf("precision %.3f recall %.3f", res.BodyPrecision, res.BodyRecall))
	}

	if t.reporters != nil {
		s.reporters = check(slices.Equal(nameSet(*t.reporters), nameSet(pred.Reporters)))
		if s.reporters == wrong {
			miss("reporters", strings.Join(nameSet(*t.reporters), ", "), strings.Join(nameSet(pred.Reporters), ", "), "")
		}
	}
	if t.published != nil {
		s.published = check(sameMinute(t.publishedAt, pred.PublishedAt))
		if s.published == wrong {
			miss("published_at", *t.published, formatTime(pred.PublishedAt), "")
		}
	}
	if t.updated != nil {
		s.updated = check(sameMinute(t.updatedAt, pred.UpdatedAt))
		if s.updated == wrong {
			miss("updated_at", *t.updated, formatTime(pred.UpdatedAt), "")
		}
	}

	if t.related != nil {
		s.relJudged = true
		var missing, extra []string
		s.relTruth, s.relPred, s.relMatched, missing, extra = matchLinks(*t.related, pred.Related)
		if len(missing) > 0 || len(extra) > 0 {
			miss("related", strings.Join(missing, " "), strings.Join(extra, " "),
				fmt.Sprintf("%d of %d found, %d extra", s.relMatched, s.relTruth, len(extra)))
		}
	}
	if res.Misses == nil {
		res.Misses = []Miss{}
	}
	return s, res
}

// fold folds runs of white space into one space and trims the ends.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// nameSet is the sorted set of reporters' names, white space folded.
func nameSet(rs []article.Reporter) []string {
	names := make([]string, 0, len(rs))
	for _, r := range rs {
		if n := fold(r.Name); n != "" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// sameMinute reports whether a prediction is right for a truth time: both
// absent, or both present and the same instant once cut to the minute.
func sameMinute(want, got *time.Time) bool {
	if want == nil || got == nil {
		return want == nil && got == nil
	}
	return want.Truncate(time.Minute).Equal(got.Truncate(time.Minute))
}

func formatTime(t *time.Time) string {
	if t == nil {
		return "null"
	}
	return t.Format(time.RFC3339)
}

// linkKey is the form in which related URLs are compared: no scheme (when
// http or https), no fragment, no trailing slash, host lower-cased.
func linkKey(raw string) string {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	if sch := strings.ToLower(u.Scheme); sch == "http" || sch == "https" {
		u.Scheme = ""
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = strings.TrimSuffix(u.RawPath, "/")
	return u.String()
}

// matchLinks matches predicted links to truth links by linkKey, each link
// used once, and returns the counts with the truth URLs not found and the
// predicted URLs that match none.
func matchLinks(want, got []article.Link) (nTruth, nPred, matched int, missing, extra []string) {
	left := map[string]int{}
	for _, l := range want {
		left[linkKey(l.URL)]++
	}
	for _, l := range got {
		k := linkKey(l.URL)
		if left[k] > 0 {
			left[k]--
			matched++
		} else {
			extra = append(extra, l.URL)
		}
	}
	for _, l := range want {
		k := linkKey(l.URL)
		if left[k] > 0 {
			left[k]--
			missing = append(missing, l.URL)
		}
	}
	return len(want), len(got), matched, missing, extra
}

// firstDifference returns the first paragraph (white space folded) where two
// bodies differ, each cut to a readable length.
func firstDifference(want, got string) (string, string) {
	w, g := paragraphs(want), paragraphs(got)
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return cut(a, 200), cut(b, 200)
		}
	}
	return "", ""
}

func paragraphs(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, "\n") {
		if p = fold(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// cut shortens s to at most n runes, marking the cut with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for range n - 1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// aggregate sums page scores into a group.
func aggregate(name string, pages []score) Group {
	g := Group{Name: name, Pages: len(pages)}
	sh := make([]Shingles, 0, len(pages))
	var empty [4]int
	relParsed := 0
	for _, s := range pages {
		if s.failed {
			g.Errors++
		}
		sh = append(sh, s.shingles)
		g.Title.add(s.title)
		g.Subtitle.add(s.subtitle)
		g.Outlet.add(s.outlet)
		g.Reporters.add(s.reporters)
		g.Published.add(s.published)
		g.Updated.add(s.updated)
		if s.relJudged {
			g.Related.Pages++
			g.Related.Truth += s.relTruth
			g.Related.Predicted += s.relPred
			g.Related.Matched += s.relMatched
			if !s.failed {
				relParsed++
			}
		}
		for i, e := range []bool{s.emptyTitle, s.emptyBody, s.emptyReporters, s.emptyPublished} {
			if e {
				empty[i]++
			}
		}
	}
	g.Body.F1, g.Body.Precision, g.Body.Recall = BodyF1(sh)
	for _, c := range []*Count{&g.Title, &g.Subtitle, &g.Outlet, &g.Reporters, &g.Published, &g.Updated} {
		if c.Total > 0 {
			c.Rate = float64(c.Correct) / float64(c.Total)
		}
	}
	r := &g.Related
	switch {
	case r.Pages == 0:
	case r.Truth == 0 && r.Predicted == 0:
		// Nothing to find and nothing found is right, unless no page was
		// parsed at all.
		if relParsed > 0 {
			r.Recall, r.Precision = 1, 1
		}
	default:
		if r.Truth > 0 {
			r.Recall = float64(r.Matched) / float64(r.Truth)
		}
		if r.Predicted > 0 {
			r.Precision = float64(r.Matched) / float64(r.Predicted)
		}
	}
	if n := float64(len(pages)); n > 0 {
		g.Empty = Empty{
			Title: float64(empty[0]) / n, Body: float64(empty[1]) / n,
			Reporters: float64(empty[2]) / n, PublishedAt: float64(empty[3]) / n,
		}
	}
	return g
}

func (c *Count) add(o outcome) {
	if o == unjudged {
		return
	}
	c.Total++
	if o == right {
		c.Correct++
	}
}

// WriteTable writes the report as a fixed-width table, one row per group and
// an OVERALL row, followed by a summary of parse errors if any. A figure with
// nothing judged is "-"; empty% is the share of pages where title, body,
// reporters and published_at came out empty.
func (r *Report) WriteTable(w io.Writer) error {
	var b bytes.Buffer
	width := len("group") // in terminal columns: a Hangul group name takes two a syllable
	for _, g := range append(slices.Clone(r.Groups), r.Overall) {
		width = max(width, table.Width(g.Name))
	}
	fmt.Fprintf(&b, "%s %5s %6s %8s %6s %7s %9s %9s %7s %10s %8s  %s\n",
		table.PadRight("group", width), "pages", "title", "subtitle", "outlet", "body_f1", "reporters", "published", "updated",
		"rel_recall", "rel_prec", "empty%(t/b/r/p)")
	row := func(g Group) {
		rel := func(v float64) string {
			if g.Related.Pages == 0 {
				return "-"
			}
			return fmt.Sprintf("%.3f", v)
		}
		fmt.Fprintf(&b, "%s %5d %6s %8s %6s %7.3f %9s %9s %7s %10s %8s  %.0f/%.0f/%.0f/%.0f\n",
			table.PadRight(g.Name, width), g.Pages, g.Title.String(), g.Subtitle.String(), g.Outlet.String(), g.Body.F1, g.Reporters.String(),
			g.Published.String(), g.Updated.String(), rel(g.Related.Recall), rel(g.Related.Precision),
			100*g.Empty.Title, 100*g.Empty.Body, 100*g.Empty.Reporters, 100*g.Empty.PublishedAt)
	}
	for _, g := range r.Groups {
		row(g)
	}
	row(r.Overall)
	if r.Overall.Errors > 0 {
		fmt.Fprintf(&b, "parse errors on %d of %d pages:", r.Overall.Errors, r.Overall.Pages)
		counts := map[string]int{}
		for _, p := range r.Pages {
			if p.Error != "" {
				counts[p.Error]++
			}
		}
		msgs := make([]string, 0, len(counts))
		for m := range counts {
			msgs = append(msgs, m)
		}
		slices.Sort(msgs)
		for _, m := range msgs {
			fmt.Fprintf(&b, " %s (%d);", cut(m, 80), counts[m])
		}
		b.Truncate(b.Len() - 1)
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// String is the rate with three decimals, or "-" when nothing was judged.
func (c Count) String() string {
	if c.Total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", c.Rate)
}

// WriteMisses writes, one a line, what every page got wrong: its parse error,
// or each field that missed with the expected and predicted values cut to 80
// characters.
func (r *Report) WriteMisses(w io.Writer) error {
	var b bytes.Buffer
	for _, p := range r.Pages {
		if p.Error != "" {
			fmt.Fprintf(&b, "%s: error: %s\n", p.Name, cut(p.Error, 80))
		}
		for _, m := range p.Misses {
			fmt.Fprintf(&b, "%s: %s: expected %q got %q", p.Name, m.Field, cut(m.Expected, 80), cut(m.Got, 80))
			if m.Detail != "" {
				fmt.Fprintf(&b, " (%s)", m.Detail)
			}
			b.WriteByte('\n')
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}
