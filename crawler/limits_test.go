package crawler_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/fixture"
	"github.com/gisa-news/gisa/storage"
)

// TestCrawlUnreachable: a crawl in which no host answered (the site is
// down: connection refused) returns an error wrapping ErrUnreachable that
// names the host, instead of ending "done" as if it were a quiet hour; the
// URLs stay queued for the next run.
func TestCrawlUnreachable(t *testing.T) {
	e := newEnv(t, fixture.Options{})
	host := e.site.Host()
	e.site.Close() // nothing listens on its port any more
	d, err := storage.NewDisk(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_, err, stats := e.crawlInto(t, e.config(), d)
	if !errors.Is(err, crawler.ErrUnreachable) {
		t.Fatalf("Run error %v, want ErrUnreachable", err)
	}
	if !strings.Contains(err.Error(), host) || !strings.Contains(err.Error(), "refused") {
		t.Errorf("error %q does not name the host %s and why", err, host)
	}
	if stats.Queued == 0 {
		t.Errorf("nothing left queued for the next run: %+v", stats)
	}
}

// cancelFrontier cancels the run's context at the after-th Done.
type cancelFrontier struct {
	*frontier.Store
	after  int64
	n      atomic.Int64
	cancel context.CancelFunc
}

func (f *cancelFrontier) Done(it frontier.Item, rec *frontier.Record) error {
	if f.n.Add(1) == f.after {
		f.cancel()
	}
	return f.Store.Done(it, rec)
}

// TestCrawlStopsAmidSkippedURLs: with 10,000 queued URLs that are ended
// without a request (disallowed by robots.txt; on a host out of the
// crawl's scope), a cancellation (SIGTERM, --max-duration) in the middle of
// skipping them ends the run promptly: Run returns "interrupted" and most
// of them are still queued, not all walked through first.
func TestCrawlStopsAmidSkippedURLs(t *testing.T) {
	const n = 10_000
	for _, tt := range []struct {
		name string
		url  func(site *fixture.Site, i int) string
	}{
		{"disallowed by robots.txt", func(site *fixture.Site, i int) string { return fmt.Sprintf("%s/private/%d", site.URL, 900000+i) }},
		{"out of scope", func(site *fixture.Site, i int) string {
			return fmt.Sprintf("http://elsewhere.invalid/news/%d", 100000+i)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fixture.Options{})
			front, err := frontier.Open(filepath.Join(e.dir, ".gisa"), frontier.Options{NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			defer front.Close()
			items := make([]frontier.Item, n)
			for i := range items {
				// Priority 0 and added first: leased before the site's own pages.
				items[i] = frontier.Item{URL: tt.url(e.site, i), Outlet: "fixture", Kind: frontier.KindArticle}
			}
			if _, err := front.Add(items...); err != nil {
				t.Fatal(err)
			}
			d, err := storage.NewDisk(e.dir)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cf := &cancelFrontier{Store: front, after: 100, cancel: cancel}
			c := e.newCrawler(t, e.config(), cf, sink{storage.NewArchive(d)})
			sum, err := c.Run(ctx)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if sum.Stopped != "interrupted" {
				t.Errorf("stopped = %q, want interrupted", sum.Stopped)
			}
			stats, err := front.Stats()
			if err != nil {
				t.Fatal(err)
			}
			// At most one dispatch's batch of skips after the cancellation.
			if stats.Queued < n/2 || stats.Leased != 0 {
				tot := sum.Total()
				t.Errorf("after the cancellation: %+v (of %d skipped URLs), %d skipped: the run went on walking the queue", stats, n, tot.Robots+tot.OutOfScope)
			}
		})
	}
}

// TestCrawlDelayPastRetryMax: a robots.txt Crawl-delay longer than
// RetryMax skips the host for this run (its URLs kept queued, the host
// named in the summary), as an over-long Retry-After does, instead of
// holding the run for it.
func TestCrawlDelayPastRetryMax(t *testing.T) {
	e := newEnv(t, fixture.Options{CrawlDelay: 3 * time.Second})
	cfg := e.config()
	cfg.RetryMax = time.Second
	cfg.MaxDuration = 20 * time.Second // before the fix the run obeyed the delay
	d, err := storage.NewDisk(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sum, err, stats := e.crawlInto(t, cfg, d)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := sum.HostsSkipped[e.site.Host()]; got != "crawl-delay past retry_max" {
		t.Errorf("hosts skipped = %v, want the host for its Crawl-delay", sum.HostsSkipped)
	}
	for _, r := range e.site.Requests() {
		if r.Path != "/robots.txt" {
			t.Errorf("requested %s from a host whose Crawl-delay exceeds retry_max", r.Path)
		}
	}
	if stats.Queued == 0 {
		t.Errorf("the host's URLs were not kept queued: %+v", stats)
	}
	if sum.Stopped != "done" {
		t.Errorf("stopped = %q, want done", sum.Stopped)
	}
}

// TestCrawlSitemapIndexChain: a sitemap index that lists an index that
// lists an index… is followed two levels deep, then cut, counted and the
// run ends.
func TestCrawlSitemapIndexChain(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
			return
		}
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/sitemap/%d.xml", &i); err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>http://%s/sitemap/%d.xml</loc></sitemap></sitemapindex>`, r.Host, i+1)
	}))
	defer srv.Close()
	e := profileEnv(t, "chain", fmt.Sprintf("id: chain\nname: 사슬\nname_en: Chain\nhosts: ['127.0.0.1']\nlanguage: ko\nverified: false\narticle_patterns:\n  - '/news/\\d+'\nsitemaps:\n  - '%s/sitemap/0.xml'\n", srv.URL))
	cfg := e.config()
	cfg.Delay, cfg.Outlets[0].Delay = 0, 0
	cfg.MaxDuration = 20 * time.Second // before the fix the chain had no end
	d, err := storage.NewDisk(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sum, err, _ := e.crawlInto(t, cfg, d)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for i := range 3 {
		if p := fmt.Sprintf("/sitemap/%d.xml", i); hits[p] != 1 {
			t.Errorf("%s fetched %d times, want once", p, hits[p])
		}
	}
	if p := "/sitemap/3.xml"; hits[p] != 0 {
		t.Errorf("%s fetched: the chain was followed past depth 2", p)
	}
	if got := sum.Total().Limited["sitemap index too deep"]; got != 1 {
		t.Errorf("limited = %v, want the cut counted", sum.Total().Limited)
	}
	if sum.Stopped != "done" {
		t.Errorf("stopped = %q, want done", sum.Stopped)
	}
}

// holdSink holds the first Save for a second, so that the crawl goes on
// meanwhile with that save in flight.
type holdSink struct {
	inner crawler.Sink
	calls atomic.Int64
}

func (s *holdSink) Save(ctx context.Context, a *article.Article, p *article.Page) (crawler.Saved, error) {
	if s.calls.Add(1) == 1 {
		t := time.NewTimer(time.Second)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	return s.inner.Save(ctx, a, p)
}

// TestCrawlMaxArticlesExact: while a save that may reach MaxArticles is in
// flight, pages fetched meanwhile are not saved past the limit, and no page
// is fetched again and again while it waits: MaxArticles 1 stores one
// article, and no page is requested twice.
func TestCrawlMaxArticlesExact(t *testing.T) {
	e := newEnv(t, fixture.Options{})
	front, err := frontier.Open(filepath.Join(e.dir, ".gisa"), frontier.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer front.Close()
	d, err := storage.NewDisk(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	hs := &holdSink{inner: sink{storage.NewArchive(d)}}
	cfg := e.config()
	cfg.Delay, cfg.Outlets[0].Delay = 0, 0
	cfg.MaxArticles = 1
	c := e.newCrawler(t, cfg, front, hs)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sum, err := c.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	counts, _ := archived(t, e.dir)
	if len(counts) != 1 || sum.Total().New != 1 {
		t.Errorf("MaxArticles 1: %d archived, summary new %d", len(counts), sum.Total().New)
	}
	if sum.Stopped != "max-articles" {
		t.Errorf("stopped = %q, want max-articles", sum.Stopped)
	}
	hits := map[string]int{}
	for _, r := range e.site.Requests() {
		hits[r.Path+"?"+r.RawQuery]++
	}
	for p, n := range hits {
		if n > 1 {
			t.Errorf("%s requested %d times while a save held the last slot", p, n)
		}
	}
}

// recentCancelFrontier cancels the run's context at the after-th record
// Recent hands out, and counts the records handed out.
type recentCancelFrontier struct {
	*frontier.Store
	after  int
	seen   int
	cancel context.CancelFunc
}

func (f *recentCancelFrontier) Recent(since time.Time, fn func(frontier.Record) error) error {
	return f.Store.Recent(since, func(rec frontier.Record) error {
		f.seen++
		if f.seen == f.after {
			f.cancel()
		}
		return fn(rec)
	})
}

// TestCrawlStopsWhileSeedingRechecks: a cancellation while the run walks
// the fetched articles for re-checks ends the walk there: Run returns
// "interrupted" without an error and without queuing the re-checks.
func TestCrawlStopsWhileSeedingRechecks(t *testing.T) {
	const n = 600
	e := newEnv(t, fixture.Options{})
	front, err := frontier.Open(filepath.Join(e.dir, ".gisa"), frontier.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer front.Close()
	fetched := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		u := fmt.Sprintf("%s/news/%d", e.site.URL, 500000+i)
		it := frontier.Item{URL: u, Outlet: "fixture", Kind: frontier.KindArticle}
		if err := front.Done(it, &frontier.Record{Kind: frontier.KindArticle, Status: 200, FirstFetched: fetched, LastFetched: fetched}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := storage.NewDisk(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rf := &recentCancelFrontier{Store: front, after: 10, cancel: cancel}
	c := e.newCrawler(t, e.config(), rf, sink{storage.NewArchive(d)})
	sum, err := c.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if sum.Stopped != "interrupted" {
		t.Errorf("stopped = %q, want interrupted", sum.Stopped)
	}
	if rf.seen > rf.after {
		t.Errorf("the walk went on for %d records after the cancellation", rf.seen-rf.after)
	}
}

// TestCrawlAnsweredIsNotUnreachable: a host that answers, even with
// something gisa refuses (a robots.txt over the body cap), is not
// "unreachable": the run ends without ErrUnreachable.
func TestCrawlAnsweredIsNotUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, strings.Repeat("# robots.txt padding\n", 200))
	}))
	defer srv.Close()
	e := profileEnv(t, "big", fmt.Sprintf("id: big\nname: 큰\nname_en: Big\nhosts: ['127.0.0.1']\nlanguage: ko\nverified: false\nfeeds:\n  - '%s/rss.xml'\n", srv.URL))
	cfg := e.config()
	cfg.MaxBodyBytes = 1000
	d, err := storage.NewDisk(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sum, err, _ := e.crawlInto(t, cfg, d)
	if err != nil {
		t.Errorf("Run: %v, want no error: the host answered", err)
	}
	if len(sum.HostsSkipped) != 1 {
		t.Errorf("hosts skipped = %v, want the host (robots.txt unusable)", sum.HostsSkipped)
	}
}
