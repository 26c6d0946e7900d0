package crawler_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/crawler/discover"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/faultsite"
	"github.com/gisa-news/gisa/internal/fixture"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
)

const corpusDir = "../../shared/corpus/ko"

// sink is the disk archive, as gisa crawl uses it.
type sink struct{ a *storage.Archive }

func (s sink) Save(ctx context.Context, a *article.Article, _ *article.Page) (crawler.Saved, error) {
	o, _, err := s.a.PutArticle(ctx, a)
	switch {
	case err != nil:
		return 0, err
	case o == storage.Created:
		return crawler.SavedNew, nil
	case o == storage.Updated:
		return crawler.SavedUpdated, nil
	}
	return crawler.SavedUnchanged, nil
}

type env struct {
	site    *fixture.Site
	dir     string
	profile *parser.Profile
	set     *parser.Profiles
}

func newEnv(t *testing.T, opts fixture.Options) *env {
	t.Helper()
	if _, err := os.Stat(corpusDir); err == nil && opts.CorpusDir == "" {
		opts.CorpusDir = corpusDir
	}
	site := fixture.New(opts)
	t.Cleanup(site.Close)
	ps, err := parser.DecodeProfiles("fixture.yaml", []byte(site.ProfileYAML("fixture")))
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := parser.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	set, err := builtin.With(ps...)
	if err != nil {
		t.Fatal(err)
	}
	return &env{site: site, dir: t.TempDir(), profile: set.ByID("fixture"), set: set}
}

// config is a fast but polite crawl of the fixture site.
func (e *env) config() crawler.Config {
	cfg := crawler.DefaultConfig()
	cfg.Outlets = []crawler.Outlet{{Profile: e.profile, Delay: 20 * time.Millisecond, Concurrency: 2}}
	cfg.Contact = "https://example.org/gisa-test"
	cfg.FetchTimeout = 700 * time.Millisecond
	cfg.HeaderTimeout = 700 * time.Millisecond
	cfg.MaxBodyBytes = 2 << 20
	cfg.RetryBase = 50 * time.Millisecond
	cfg.RetryMax = 3 * time.Second
	cfg.MaxAttempts = 3
	cfg.RecheckWindow = 10 * 365 * 24 * time.Hour // the fixture's articles are from 2024
	cfg.RecheckInterval = 0
	if testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return cfg
}

// newCrawler builds a crawler of the env's profiles over front and s.
func (e *env) newCrawler(t *testing.T, cfg crawler.Config, front crawler.Frontier, s crawler.Sink) *crawler.Crawler {
	t.Helper()
	p, err := parser.New(parser.Options{Profiles: e.set})
	if err != nil {
		t.Fatal(err)
	}
	c, err := crawler.New(cfg, p, front, s, e.set)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// profileEnv is an env of one outlet defined by the profile YAML, for tests
// that serve their own site.
func profileEnv(t *testing.T, id, yaml string) *env {
	t.Helper()
	ps, err := parser.DecodeProfiles(id+".yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	set, err := parser.NewProfiles(ps...)
	if err != nil {
		t.Fatal(err)
	}
	return &env{dir: t.TempDir(), profile: set.ByID(id), set: set}
}

// crawl runs one crawl over the env's archive and state.
func (e *env) crawl(t *testing.T, cfg crawler.Config) *crawler.Summary {
	t.Helper()
	front, err := frontier.Open(filepath.Join(e.dir, ".gisa"), frontier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer front.Close()
	disk, err := storage.NewDisk(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	c := e.newCrawler(t, cfg, front, sink{storage.NewArchive(disk)})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sum, err := c.Run(ctx)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	var b strings.Builder
	sum.WriteTable(&b)
	t.Logf("summary:\n%s", b.String())
	return sum
}

// archived reads every article JSON of the archive: URL (normalized) →
// how many files hold it.
func archived(t *testing.T, dir string) (map[string]int, []article.Article) {
	t.Helper()
	counts := map[string]int{}
	var all []article.Article
	root := filepath.Join(dir, "articles")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !strings.HasSuffix(path, ".json") {
			t.Errorf("stray file in the archive: %s", path)
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var a article.Article
		if err := json.Unmarshal(b, &a); err != nil {
			t.Errorf("%s: torn or invalid JSON: %v", path, err)
			return nil
		}
		n, err := frontier.Normalize(a.URL)
		if err != nil {
			t.Errorf("%s: url %q: %v", path, a.URL, err)
		}
		counts[n]++
		all = append(all, a)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return counts, all
}

func norm(t *testing.T, urls []string) []string {
	t.Helper()
	out := make([]string, len(urls))
	for i, u := range urls {
		n, err := frontier.Normalize(u)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = n
	}
	sort.Strings(out)
	return out
}

func TestCrawlFixtureSite(t *testing.T) {
	const crawlDelay = 100 * time.Millisecond
	e := newEnv(t, fixture.Options{CrawlDelay: crawlDelay, SlowDelay: 3 * time.Second, BigSize: 4 << 20})
	cfg := e.config()
	sum := e.crawl(t, cfg)
	tot := sum.Total()

	// Every allowed article archived exactly once, nothing else.
	counts, arts := archived(t, e.dir)
	want := norm(t, e.site.Allowed())
	var got []string
	for u, n := range counts {
		got = append(got, u)
		if n != 1 {
			t.Errorf("%s archived %d times", u, n)
		}
	}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("archived URLs:\n got %q\nwant %q", got, want)
	}
	if tot.New != len(want) {
		t.Errorf("summary new = %d, want %d", tot.New, len(want))
	}
	for _, a := range arts {
		if a.Title == "" || a.Body == "" || !utf8.ValidString(a.Body) || strings.ContainsRune(a.Title+a.Body, utf8.RuneError) {
			t.Errorf("%s: bad record: title %q, body %d bytes", a.URL, a.Title, len(a.Body))
		}
		if a.FetchedAt == nil {
			t.Errorf("%s: fetched_at is null", a.URL)
		}
	}

	// Nothing from disallowed paths, and robots skips are counted.
	for _, r := range e.site.Requests() {
		if strings.HasPrefix(r.Path, "/private/") {
			t.Errorf("requested a disallowed path: %s", r.Path)
		}
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "gisa/") || !strings.Contains(ua, cfg.Contact) {
			t.Errorf("User-Agent %q does not name gisa and the contact", ua)
		}
	}
	for _, u := range e.site.Disallowed() {
		if p, err := url.Parse(u); err == nil && e.site.Hits(p.Path) > 0 {
			t.Errorf("requested %s, which robots.txt disallows", p.Path)
		}
	}
	// /news/91001 (section) and /private/90001 (feed) are queued, then
	// skipped by robots.txt.
	if tot.Robots < 2 {
		t.Errorf("skipped by robots = %d, want at least 2", tot.Robots)
	}
	if e.site.Hits("/robots.txt") != 1 {
		t.Errorf("robots.txt fetched %d times, want once", e.site.Hits("/robots.txt"))
	}

	// Politeness: request starts to the host at least Crawl-delay apart.
	// Server-side timestamps carry the scheduling jitter of a loaded,
	// race-detected test run between the client's gate and the handler, so
	// half the delay is the bar; without the gate the gaps are a few ms.
	reqs := e.site.Requests()
	for i := 1; i < len(reqs); i++ {
		if gap := reqs[i].Time.Sub(reqs[i-1].Time); gap < crawlDelay/2 {
			t.Errorf("requests %d and %d (%s, %s) only %v apart, Crawl-delay is %v", i-1, i, reqs[i-1].Path, reqs[i].Path, gap, crawlDelay)
		}
	}
	// Retry-After: after the 429, nothing was asked of the host for a second.
	for i, r := range reqs {
		if r.Status == 429 && i+1 < len(reqs) {
			if gap := reqs[i+1].Time.Sub(r.Time); gap < 950*time.Millisecond {
				t.Errorf("request after the 429 came %v later, Retry-After was 1s", gap)
			}
		}
	}

	// Failures by reason; the slow and oversized pages are not archived.
	for _, reason := range []string{"timeout", "too large", "redirect loop"} {
		if tot.Failed[reason] == 0 {
			t.Errorf("no failure counted as %q: %v", reason, tot.Failed)
		}
	}
	if tot.NotArticle == 0 {
		t.Errorf("the not-article page was not counted")
	}
	if tot.Retries == 0 {
		t.Errorf("no retries counted (flaky 500s, 429)")
	}

	// Second run: only conditional GETs for what is known; the changed
	// pages become revisions, the added page is new.
	e.site.SetVersion(2)
	e.site.Reset()
	sum2 := e.crawl(t, cfg)
	tot2 := sum2.Total()
	if tot2.New != len(e.site.Added()) || tot2.Updated != len(e.site.Changed()) {
		t.Errorf("second run: new %d updated %d, want %d and %d", tot2.New, tot2.Updated, len(e.site.Added()), len(e.site.Changed()))
	}
	allowed := map[string]bool{}
	for _, u := range e.site.Allowed() {
		if p, err := url.Parse(u); err == nil {
			allowed[p.Path] = true
		}
	}
	added := map[string]bool{}
	for _, u := range e.site.Added() {
		if p, err := url.Parse(u); err == nil {
			added[p.Path] = true
		}
	}
	conditional := 0
	for _, r := range e.site.Requests() {
		if !allowed[r.Path] || added[r.Path] {
			continue
		}
		if r.Header.Get("If-None-Match") == "" && r.Header.Get("If-Modified-Since") == "" {
			t.Errorf("second run fetched known article %s without a conditional GET", r.Path)
		}
		conditional++
	}
	if conditional == 0 {
		t.Errorf("second run made no conditional GETs")
	}
	if tot2.NotModified == 0 {
		t.Errorf("second run: no 304s counted")
	}
	counts2, _ := archived(t, e.dir)
	for u, n := range counts2 {
		if n != 1 {
			t.Errorf("after the second run %s is archived %d times", u, n)
		}
	}
	revs := 0
	filepath.WalkDir(filepath.Join(e.dir, "revisions"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			revs++
		}
		return nil
	})
	if revs != len(e.site.Changed()) {
		t.Errorf("revisions = %d, want %d (one per changed page)", revs, len(e.site.Changed()))
	}

	// Third run, nothing changed: nothing new, nothing updated.
	e.site.Reset()
	sum3 := e.crawl(t, cfg)
	if tot3 := sum3.Total(); tot3.New != 0 || tot3.Updated != 0 {
		t.Errorf("third run: new %d updated %d, want 0 and 0", tot3.New, tot3.Updated)
	}
	// A sitemap whose lastmod in the index predates gisa's last read of it
	// is not fetched again.
	if n := e.site.Hits("/sitemap-old.xml.gz"); n != 0 {
		t.Errorf("third run fetched the unchanged old sitemap %d times", n)
	}
}

func TestCrawlLimitsAndStop(t *testing.T) {
	e := newEnv(t, fixture.Options{SlowDelay: time.Second, BigSize: 3 << 20})
	cfg := e.config()
	cfg.Delay, cfg.Outlets[0].Delay = 0, 0
	cfg.MaxArticles = 3
	sum := e.crawl(t, cfg)
	if sum.Stopped != "max-articles" {
		t.Errorf("stopped = %q, want max-articles", sum.Stopped)
	}
	counts, _ := archived(t, e.dir)
	if n := len(counts); n != 3 {
		t.Errorf("archived %d articles with --max-articles 3", n)
	}
	// The next run goes on from there and ends with everything once.
	cfg.MaxArticles = 0
	e.crawl(t, cfg)
	counts, _ = archived(t, e.dir)
	if len(counts) != len(e.site.Allowed()) {
		t.Errorf("after resuming: %d articles, want %d: %v", len(counts), len(e.site.Allowed()), counts)
	}
	for u, n := range counts {
		if n != 1 {
			t.Errorf("%s archived %d times", u, n)
		}
	}
}

func TestCrawlPortalRefusedUnlessOverridden(t *testing.T) {
	e := newEnv(t, fixture.Options{})
	ps, err := parser.DecodeProfiles("p.yaml", []byte(strings.Replace(e.site.ProfileYAML("fixtureportal"), "\nhosts:", "\nportal: naver\nhosts:", 1)))
	if err != nil {
		t.Fatal(err)
	}
	e.set, err = parser.NewProfiles(ps...)
	if err != nil {
		t.Fatal(err)
	}
	e.profile = e.set.ByID("fixtureportal")
	cfg := e.config()
	cfg.Delay, cfg.Outlets[0].Delay = 0, 0
	sum := e.crawl(t, cfg)
	if n := len(e.site.Requests()); n != 0 {
		t.Errorf("a refused portal host got %d requests", n)
	}
	if sum.Total().Robots == 0 || sum.HostsSkipped[e.site.Host()] != "portal host refused" {
		t.Errorf("refusals not counted: %d, %v", sum.Total().Robots, sum.HostsSkipped)
	}
	cfg.IgnoreRobots = []string{"127.0.0.1"}
	sum = e.crawl(t, cfg)
	if sum.Total().New == 0 {
		t.Errorf("with the host overridden nothing was archived")
	}
	if e.site.Hits("/robots.txt") != 0 {
		t.Errorf("robots.txt fetched for an overridden host")
	}
}

func TestCrawlNaverSearch(t *testing.T) {
	e := newEnv(t, fixture.Options{})
	cfg := e.config()
	cfg.Outlets = nil // search only: results go to any known outlet
	cfg.Delay = 0
	// The outlet's name matches every article, with or without the corpus
	// (a topic word such as 경제 is only in some corpus pages).
	cfg.NaverQueries = []string{fixture.OutletName}
	cfg.NaverID, cfg.NaverSecret = e.site.NaverID, crawler.Secret(e.site.NaverSecret)
	cfg.NaverEndpoint = e.site.NaverEndpoint()
	sum := e.crawl(t, cfg)
	if sum.Total().New == 0 {
		t.Fatalf("no article archived from search results")
	}
	searched := false
	for _, r := range e.site.Requests() {
		if strings.HasPrefix(r.Path, "/v1/search/news") {
			searched = true
			if r.Header.Get("X-Naver-Client-Id") != e.site.NaverID {
				t.Errorf("search request without credentials")
			}
		}
	}
	if !searched {
		t.Errorf("the search API was not called")
	}
	// Wrong credentials: the API's error is a failure with a reason, not a crash.
	e2 := newEnv(t, fixture.Options{})
	cfg2 := e2.config()
	cfg2.Outlets = nil
	cfg2.NaverQueries = []string{fixture.OutletName}
	cfg2.NaverID, cfg2.NaverSecret = "wrong", "wrong"
	cfg2.NaverEndpoint = e2.site.NaverEndpoint()
	sum2 := e2.crawl(t, cfg2)
	if sum2.Total().FailedTotal() == 0 {
		t.Errorf("a refused search was not counted as failed")
	}
}

func TestConfigValidate(t *testing.T) {
	p := &parser.Profile{ID: "x", Hosts: []string{"x.example"}, Feeds: []string{"ftp://x.example/rss"}}
	cases := []struct {
		name string
		edit func(*crawler.Config)
		want string
	}{
		{"no outlets", func(c *crawler.Config) { c.Outlets = nil }, "no outlets"},
		{"no contact", func(c *crawler.Config) { c.Contact = "" }, "contact"},
		{"bad feed", func(c *crawler.Config) { c.Outlets = []crawler.Outlet{{Profile: p}} }, "ftp://x.example/rss"},
		{"twice", func(c *crawler.Config) { c.Outlets = append(c.Outlets, c.Outlets[0]) }, "listed twice"},
		{"until before since", func(c *crawler.Config) {
			c.Since, c.Until = time.Date(2024, 2, 1, 0, 0, 0, 0, article.KST), time.Date(2024, 1, 1, 0, 0, 0, 0, article.KST)
		}, "before since"},
		{"naver without keys", func(c *crawler.Config) { c.NaverQueries = []string{"q"} }, "NAVER_CLIENT_ID"},
		{"negative delay", func(c *crawler.Config) { c.Delay = -time.Second }, "negative"},
		{"feed with password", func(c *crawler.Config) {
			c.Outlets = []crawler.Outlet{{Profile: &parser.Profile{ID: "x", Hosts: []string{"x.example"}, Feeds: []string{"https://u:sekret@x.example/rss"}}}}
		}, `"https://u:xxxxx@x.example/rss" has credentials in it`},
		{"bad feed with password", func(c *crawler.Config) {
			c.Outlets = []crawler.Outlet{{Profile: &parser.Profile{ID: "x", Hosts: []string{"x.example"}, Feeds: []string{"https://u:sekret@x.example:99 9/rss"}}}}
		}, `not a URL`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := crawler.DefaultConfig()
			cfg.Contact = "https://example.org/"
			cfg.Outlets = []crawler.Outlet{{Profile: &parser.Profile{ID: "ok", Hosts: []string{"ok.example"}}}}
			tc.edit(&cfg)
			err := cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want an error naming %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "sekret") {
				t.Errorf("Validate() = %v shows a password", err)
			}
		})
	}
	ok := crawler.DefaultConfig()
	ok.Contact = "ops@example.org"
	ok.Outlets = []crawler.Outlet{{Profile: &parser.Profile{ID: "ok", Hosts: []string{"ok.example"}}}}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid config refused: %v", err)
	}
}

// TestCrawlBackfill crawls one past day: its date-archive page and the
// sitemap entries dated that day, and nothing from feeds or sections.
func TestCrawlBackfill(t *testing.T) {
	e := newEnv(t, fixture.Options{})
	resp, err := http.Get(e.site.URL + "/sitemap-news.xml")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	sm, err := discover.ParseSitemap(body, e.site.URL+"/sitemap-news.xml")
	if err != nil || len(sm.URLs) < 2 {
		t.Fatalf("news sitemap: %v, %d URLs", err, len(sm.URLs))
	}
	day := sm.URLs[len(sm.URLs)-1].Published.In(article.KST)
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, article.KST)
	// Expected: the day's archive page lists exactly that day's articles.
	resp, err = http.Get(e.site.URL + "/archive/" + from.Format("20060102"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	links, _, err := discover.Page(body, resp.Header.Get("Content-Type"), resp.Request.URL.String(), e.profile.IsArticleURL)
	if err != nil || len(links) == 0 {
		t.Fatalf("archive page: %v, %d links", err, len(links))
	}
	var want []string
	for _, l := range links {
		want = append(want, l.URL)
	}
	want = norm(t, want)
	e.site.Reset()

	cfg := e.config()
	cfg.Delay, cfg.Outlets[0].Delay = 0, 0
	cfg.Since, cfg.Until = from, from.Add(24*time.Hour-time.Nanosecond)
	e.crawl(t, cfg)
	counts, _ := archived(t, e.dir)
	var got []string
	for u := range counts {
		got = append(got, u)
	}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("backfill of %s archived\n %q\nwant\n %q", from.Format(time.DateOnly), got, want)
	}
	for _, p := range []string{"/rss.xml", "/section"} {
		if e.site.Hits(p) > 0 {
			t.Errorf("backfill fetched %s", p)
		}
	}
	if e.site.Hits("/archive/"+from.Format("20060102")) != 1 {
		t.Errorf("the day's archive page was not fetched once")
	}
}

// TestCrawlRetryAfterBeyondRun: a Retry-After longer than RetryMax closes
// the host for the run, its URLs left queued (not failed), and the next run
// fetches them.
func TestCrawlRetryAfterBeyondRun(t *testing.T) {
	e := newEnv(t, fixture.Options{SlowDelay: 2 * time.Second, BigSize: 3 << 20})
	cfg := e.config()
	cfg.Delay, cfg.Outlets[0].Delay = 0, 0
	cfg.Outlets[0].Concurrency = 1
	cfg.RetryMax = 500 * time.Millisecond // the fixture's 429 asks for 1s
	sum := e.crawl(t, cfg)
	if sum.HostsSkipped[e.site.Host()] != "asked to wait past this run" {
		t.Fatalf("hosts skipped = %v", sum.HostsSkipped)
	}
	if f := sum.Total().Failed; f["http 429"] != 0 {
		t.Errorf("the URL that got 429 counted as failed: %v", f)
	}
	first, _ := archived(t, e.dir)
	if len(first) >= len(e.site.Allowed()) {
		t.Fatalf("everything archived although the host was closed: %d", len(first))
	}
	cfg.RetryMax = 3 * time.Second
	e.crawl(t, cfg)
	counts, _ := archived(t, e.dir)
	if len(counts) != len(e.site.Allowed()) {
		t.Errorf("after the next run: %d articles, want %d", len(counts), len(e.site.Allowed()))
	}
}

// TestNaverCredentialsStayWithTheAPI: the search API answers with a
// redirect to a news host; the X-Naver-Client-Id/Secret headers go to the
// API's host only, never to the news host (nor to its robots.txt).
func TestNaverCredentialsStayWithTheAPI(t *testing.T) {
	e := newEnv(t, fixture.Options{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		// Off to the news site, with the query, as a misbehaving or
		// hijacked endpoint might.
		http.Redirect(w, r, e.site.URL+"/v1/search/news.json?"+r.URL.RawQuery, http.StatusFound)
	}))
	defer api.Close()
	cfg := e.config()
	cfg.Outlets = nil
	cfg.Delay = 0
	cfg.NaverQueries = []string{fixture.OutletName}
	cfg.NaverID, cfg.NaverSecret = e.site.NaverID, crawler.Secret(e.site.NaverSecret)
	cfg.NaverEndpoint = api.URL + "/v1/search/news.json"
	e.crawl(t, cfg)
	reached := false
	for _, r := range e.site.Requests() {
		if strings.HasPrefix(r.Path, "/v1/search/") {
			reached = true
		}
		if r.Header.Get("X-Naver-Client-Id") != "" || r.Header.Get("X-Naver-Client-Secret") != "" {
			t.Errorf("%s %s on the news host carried the Naver credentials", r.Method, r.Path)
		}
	}
	if !reached {
		t.Errorf("the redirect was not followed: the test shows nothing")
	}
}

// slowRecords is a frontier whose Record is slow for every other article
// URL, as a busy bbolt file can be.
type slowRecords struct {
	crawler.Frontier
	d time.Duration
}

func (s slowRecords) Record(u string) (frontier.Record, bool, error) {
	if strings.Contains(u, "/news/") && (u[len(u)-1]-'0')%2 == 0 {
		t := time.NewTimer(s.d)
		<-t.C
	}
	return s.Frontier.Record(u)
}

// TestSpacingHoldsAtTheWire: a worker that is slow between taking the
// host's gate and sending (a slow frontier read) must not let the next
// worker's request reach the host sooner than the delay after its own.
func TestSpacingHoldsAtTheWire(t *testing.T) {
	// Before the fix, a 300 ms read after taking the gate let pairs of
	// requests arrive 100 ms apart; 3/4 of the delay leaves room for a
	// loaded machine's jitter and none for that.
	const delay = 200 * time.Millisecond
	site := faultsite.New()
	defer site.Close()
	var urls []string
	for i := 1; i <= 8; i++ {
		u := fmt.Sprintf("%s/news/%d", site.URL, i)
		site.Handle(fmt.Sprintf("/news/%d", i), faultsite.HTML(faultsite.Article(u, i, fmt.Sprintf("간격 시험 기사 %d", i))))
		urls = append(urls, u)
	}
	site.Handle("/feed.xml", faultsite.XML(faultsite.Feed(urls...)))
	ps, err := parser.DecodeProfiles("spacing.yaml", []byte(`id: spacing
name: 간격일보
hosts: [127.0.0.1]
language: ko
article_patterns: ['^http://127\.0\.0\.1:\d+/news/(\d+)$']
feeds: ['`+site.URL+`/feed.xml']
`))
	if err != nil {
		t.Fatal(err)
	}
	set, err := parser.NewProfiles(ps...)
	if err != nil {
		t.Fatal(err)
	}
	cfg := crawler.DefaultConfig()
	cfg.Contact = "https://example.org/gisa-test"
	cfg.Outlets = []crawler.Outlet{{Profile: set.ByID("spacing"), Delay: delay, Concurrency: 2}}
	dir := t.TempDir()
	front, err := frontier.Open(filepath.Join(dir, ".gisa"), frontier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer front.Close()
	disk, err := storage.NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		t.Fatal(err)
	}
	c, err := crawler.New(cfg, p, slowRecords{front, 300 * time.Millisecond}, sink{storage.NewArchive(disk)}, set)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total().New != len(urls) {
		t.Fatalf("%d articles archived, want %d", sum.Total().New, len(urls))
	}
	reqs := site.Requests()
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].Time.Before(reqs[j].Time) })
	for i := 1; i < len(reqs); i++ {
		if gap := reqs[i].Time.Sub(reqs[i-1].Time); gap < delay*3/4 {
			t.Errorf("%s and %s reached the host %v apart, want about %v", reqs[i-1].Path, reqs[i].Path, gap, delay)
		}
	}
}

// countingGate is a Gate that lets everything through and counts.
type countingGate struct {
	mu                    sync.Mutex
	waits, releases, sets int
	delays                []time.Duration
}

func (g *countingGate) Wait(context.Context) (func(), error) {
	g.mu.Lock()
	g.waits++
	g.mu.Unlock()
	return func() {
		g.mu.Lock()
		g.releases++
		g.mu.Unlock()
	}, nil
}

func (g *countingGate) Hold(context.Context, time.Time) error { return nil }

func (g *countingGate) SetDelay(_ context.Context, d time.Duration) error {
	g.mu.Lock()
	g.delays = append(g.delays, d)
	g.mu.Unlock()
	return nil
}

// TestCrawlSharedGates: with Config.Gates set, every request goes through
// the gate it makes (a shared one holds politeness across workers), each
// taken slot is released, and robots.txt's Crawl-delay is passed on to it.
func TestCrawlSharedGates(t *testing.T) {
	e := newEnv(t, fixture.Options{CrawlDelay: 30 * time.Millisecond, SlowDelay: 10 * time.Millisecond})
	cfg := e.config()
	g := &countingGate{}
	var hosts []string
	cfg.Gates = func(host string, delay time.Duration, conc int) crawler.Gate {
		hosts = append(hosts, host) // the scheduler goroutine only
		if conc != 2 || delay != 20*time.Millisecond {
			t.Errorf("gate for %s made with delay %v, concurrency %d; want the outlet's 20ms and 2", host, delay, conc)
		}
		return g
	}
	e.crawl(t, cfg)
	g.mu.Lock()
	defer g.mu.Unlock()
	if n := len(e.site.Requests()); g.waits < n || g.waits == 0 {
		t.Errorf("%d requests, %d gate waits", n, g.waits)
	}
	if g.releases != g.waits {
		t.Errorf("%d slots taken, %d released", g.waits, g.releases)
	}
	if len(hosts) == 0 {
		t.Error("no gate made")
	}
	if !slices.Contains(g.delays, 30*time.Millisecond) {
		t.Errorf("robots.txt's Crawl-delay of 30ms never reached the gate: %v", g.delays)
	}
}

// mapRobots is a RobotsCache in a map.
type mapRobots struct {
	mu   sync.Mutex
	m    map[string]string // host → status + body
	puts int
}

func (c *mapRobots) Robots(_ context.Context, host string) (int, []byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[host]
	if !ok {
		return 0, nil, false, nil
	}
	st, _ := strconv.Atoi(v[:3])
	return st, []byte(v[3:]), true, nil
}

func (c *mapRobots) PutRobots(_ context.Context, host string, status int, body []byte, ttl time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[host] = fmt.Sprintf("%03d", status) + string(body)
	c.puts++
	return nil
}

// TestCrawlSharedRobots: the first worker fetches robots.txt and shares
// it through Config.Robots; the next reads it from there, never asks the
// host, and obeys it all the same.
func TestCrawlSharedRobots(t *testing.T) {
	e := newEnv(t, fixture.Options{SlowDelay: 10 * time.Millisecond})
	cfg := e.config()
	cache := &mapRobots{m: map[string]string{}}
	cfg.Robots = cache
	e.crawl(t, cfg)
	host := strings.TrimPrefix(e.site.URL, "http://")
	if _, ok := cache.m[host]; !ok || e.site.Hits("/robots.txt") != 1 {
		t.Fatalf("first worker: robots.txt fetched %d times, cached for %q: %v", e.site.Hits("/robots.txt"), host, cache.m)
	}
	// A second worker on a fresh state, with the shared cache.
	e2 := &env{site: e.site, dir: t.TempDir(), profile: e.profile, set: e.set}
	e.site.Reset()
	e2.crawl(t, cfg)
	if n := e.site.Hits("/robots.txt"); n != 0 {
		t.Errorf("second worker fetched robots.txt %d times, want 0 (cached)", n)
	}
	for _, u := range e.site.Disallowed() {
		if p, err := url.Parse(u); err == nil && e.site.Hits(p.Path) > 0 {
			t.Errorf("second worker requested %s, which the cached robots.txt disallows", p.Path)
		}
	}
	if cache.puts != 1 {
		t.Errorf("%d puts, want 1", cache.puts)
	}
}
