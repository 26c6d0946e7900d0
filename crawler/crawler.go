// Package crawler finds new articles on the chosen outlets, fetches each
// politely and exactly once (and again only when it changed), parses it and
// hands the record to a sink.
//
// One scheduler goroutine owns politeness: robots.txt (with Crawl-delay),
// the per-host spacing and concurrency, and Retry-After. Workers fetch
// through colly, parse, save, and record the outcome in the frontier, a
// crash-safe store of queued URLs and of what is known about fetched ones.
// A crawl killed at any moment resumes from the frontier: leased URLs go
// back to the queue, and the sink's idempotent saves keep the archive free
// of duplicates.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
)

// Frontier holds the URLs waiting to be fetched and what is known about the
// fetched ones. Implementations are safe for concurrent use and durable:
// what a call has returned from survives a crash. Add skips URLs already
// queued, and article URLs already fetched unless Item.Recheck is set.
// Lease hands out ready items of one host and marks them in flight until
// Done, Retry or Release; a restart returns in-flight items to the queue.
// Done, Retry and Release are idempotent. Record reports false when the URL
// was never fetched.
type Frontier interface {
	Add(items ...frontier.Item) (int, error)
	Lease(host string, now time.Time, n int) (items []frontier.Item, wait time.Time, err error)
	Hosts() ([]string, error)
	Done(it frontier.Item, rec *frontier.Record) error
	Retry(it frontier.Item, notBefore time.Time) error
	Release(items ...frontier.Item) error
	Record(url string) (frontier.Record, bool, error)
	Recent(since time.Time, fn func(frontier.Record) error) error
}

var _ Frontier = (*frontier.Store)(nil)

// Saved says what a Sink did with an article.
type Saved int

const (
	SavedNew       Saved = iota + 1 // first copy of the article
	SavedUpdated                    // the article changed: a new revision
	SavedUnchanged                  // same as the copy already kept
)

// Sink keeps parsed articles. Save is idempotent (saving the same article
// again returns SavedUnchanged), atomic (a crash leaves the old copy or the
// new one) and safe for concurrent use. page is the fetch the article came
// from, for raw archives. An error wrapping storage.ErrPermanent (the
// archive refuses writes) ends the run at once; any other error is retried
// like a failed fetch.
type Sink interface {
	Save(ctx context.Context, a *article.Article, page *article.Page) (Saved, error)
}

// Priorities in the frontier: discovery documents first, so the newest
// articles are known before articles are fetched; re-checks last.
const (
	prioSeed    = 0 // feeds, sitemaps, search results
	prioList    = 1 // section and archive list pages
	prioArchive = 2 // backfill date-archive pages
	prioArticle = 3
	prioRecheck = 4
)

// leaseBatch is how many ready items of a host the scheduler holds at once.
const leaseBatch = 8

// addChunk is how many URLs go into the frontier per transaction.
const addChunk = 1000

// ErrUnreachable is wrapped by the error of a run in which no host answered
// a single request (refused connections, DNS failures, timeouts): a cron
// job must tell it from a quiet hour. The error names the hosts and why.
var ErrUnreachable = errors.New("no host answered")

// Crawler runs crawls. Build it with New; Run may be called again after it
// returns.
type Crawler struct {
	cfg      Config
	parser   *parser.Parser
	front    Frontier
	sink     Sink
	log      *slog.Logger
	outlets  map[string]*Outlet // by profile ID
	byHost   map[string]*Outlet // profile host → outlet
	profiles *parser.Profiles   // for search results; nil: selected outlets only
	ignore   map[string]bool    // hosts whose robots.txt is ignored
	obs      Observer           // never nil
}

// New returns a Crawler. p parses pages; it must know the outlets'
// profiles. profiles, when not nil, resolves search results from outlets
// that were not selected: with no outlet selected, any outlet it knows is in
// scope for them.
func New(cfg Config, p *parser.Parser, f Frontier, sink Sink, profiles *parser.Profiles) (*Crawler, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("crawl config: %w", err)
	}
	if p == nil || f == nil || sink == nil {
		return nil, errors.New("crawler: parser, frontier and sink are required")
	}
	c := &Crawler{cfg: cfg, parser: p, front: f, sink: sink, log: cfg.Logger, outlets: map[string]*Outlet{}, byHost: map[string]*Outlet{}, profiles: profiles, ignore: map[string]bool{}}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.obs = cfg.Observer
	if c.obs == nil {
		c.obs = nopObserver{}
	}
	for i := range cfg.Outlets {
		o := &c.cfg.Outlets[i]
		c.outlets[o.Profile.ID] = o
		for _, h := range o.Profile.Hosts {
			c.byHost[strings.ToLower(h)] = o
		}
	}
	// A discovery source on another host (a feedburner feed, a CDN
	// sitemap) is in scope too, for its outlet.
	for i := range cfg.Outlets {
		o := &c.cfg.Outlets[i]
		p := o.Profile
		for _, list := range [][]string{p.Feeds, p.Sitemaps, p.Sections, p.Archives} {
			for _, s := range list {
				if u, err := url.Parse(s); err == nil && u.Host != "" {
					if h := strings.ToLower(u.Hostname()); c.outletFor(h) == nil {
						c.byHost[h] = o
					}
				}
			}
		}
	}
	for _, h := range cfg.IgnoreRobots {
		c.ignore[strings.ToLower(strings.TrimSpace(h))] = true
	}
	return c, nil
}

// outletFor returns the selected outlet owning host (a host matches its
// subdomains), or nil.
func (c *Crawler) outletFor(host string) *Outlet {
	h := strings.TrimSuffix(strings.ToLower(hostname(host)), ".")
	for h != "" {
		if o, ok := c.byHost[h]; ok {
			return o
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return nil
}

func hostname(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// run is the state of one Run.
type run struct {
	*Crawler
	ctx     context.Context
	cancel  context.CancelFunc // ends the run (see abort)
	fetch   *fetcher
	sum     *Summary
	started time.Time

	mu         sync.Mutex
	listed     map[string]bool    // discovery URLs queued in this run
	redirected map[string]bool    // URLs that answered with a redirect in this run
	extra      map[string]*Outlet // outlets of search results, by ID
	saved      int                // new + updated articles
	reserved   int                // saved + saves in flight that may count (MaxArticles)
	naverEnd   string             // host of the search API
	fatal      error              // why the run was ended early (see abort)
	noAnswer   map[string]string  // host → why a request to it got no answer
	answered   atomic.Int64       // requests (robots.txt too) that got an HTTP answer
}

// abort ends the run because of err (the first one wins): in-flight
// requests are cancelled and their URLs requeued, and Run returns err.
func (r *run) abort(err error) {
	r.mu.Lock()
	if r.fatal == nil {
		r.fatal = err
	}
	r.mu.Unlock()
	r.cancel()
}

// heard records the outcome of one request to host: an answer (err nil,
// or a failure that needed one: too large, a redirect refused) or none
// (refused, reset, timed out, unresolvable). A cancelled request is
// neither.
func (r *run) heard(host string, err error) {
	var fe *fetchError
	if err != nil && errors.As(err, &fe) {
		switch fe.reason {
		case "interrupted":
			return
		case "too large", "redirect loop", "too many redirects", "redirect out of scope":
			err = nil // the host did answer
		}
	}
	if err == nil {
		r.answered.Add(1)
		return
	}
	r.mu.Lock()
	if _, ok := r.noAnswer[host]; !ok {
		r.noAnswer[host] = err.Error()
	}
	r.mu.Unlock()
}

// unreachable returns an error wrapping ErrUnreachable when requests were
// made and none was answered, else nil.
func (r *run) unreachable() error {
	if r.answered.Load() > 0 {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.noAnswer) == 0 {
		return nil
	}
	hosts := slices.Sorted(maps.Keys(r.noAnswer))
	const show = 5
	var parts []string
	for _, h := range hosts[:min(len(hosts), show)] {
		parts = append(parts, h+" ("+r.noAnswer[h]+")")
	}
	if len(hosts) > show {
		parts = append(parts, fmt.Sprintf("and %d more", len(hosts)-show))
	}
	return fmt.Errorf("%w: %s", ErrUnreachable, strings.Join(parts, "; "))
}

// reserve takes one of the MaxArticles slots for a save about to be made,
// or reports false when saves done or in flight have taken them all.
func (r *run) reserve() bool {
	if r.cfg.MaxArticles <= 0 {
		return true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reserved >= r.cfg.MaxArticles {
		return false
	}
	r.reserved++
	return true
}

// slotsTaken reports whether saves in flight hold every MaxArticles slot
// left: no new page should be fetched until one of them ends (and either
// reaches the limit or gives its slot back).
func (r *run) slotsTaken() bool {
	if r.cfg.MaxArticles <= 0 {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reserved >= r.cfg.MaxArticles && r.saved < r.cfg.MaxArticles
}

// saveDone settles a slot taken by reserve: a new or updated article keeps
// it, anything else gives it back.
func (r *run) saveDone(saved Saved, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	counts := err == nil && (saved == SavedNew || saved == SavedUpdated)
	if counts {
		r.saved++
	} else if r.cfg.MaxArticles > 0 {
		r.reserved--
	}
}

// isPermanent reports whether a sink's error says the archive refuses
// writes: the run cannot keep anything more.
func isPermanent(err error) bool { return errors.Is(err, storage.ErrPermanent) }

// Run crawls until the frontier has nothing ready, ctx ends, or a limit is
// reached, and returns what happened. On cancellation, in-flight requests
// are aborted and their URLs requeued, so the next Run continues.
//
// Run returns an error, with the summary, when the archive refuses writes
// (the Sink's error wraps storage.ErrPermanent: the run stops at the first
// one, its URLs requeued) and when no host answered any request (wrapping
// ErrUnreachable).
func (c *Crawler) Run(ctx context.Context) (*Summary, error) {
	now := c.cfg.Now()
	if c.cfg.MaxDuration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.MaxDuration)
		defer cancel()
	}
	outer := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &run{Crawler: c, ctx: ctx, cancel: cancel, sum: newSummary(now), started: now, listed: map[string]bool{}, redirected: map[string]bool{}, extra: map[string]*Outlet{}, noAnswer: map[string]string{}}
	r.fetch = newFetcher(ctx, &c.cfg, r.inScope)
	defer r.fetch.close()
	err := r.seed(now)
	switch {
	case err != nil && ctx.Err() == nil:
		return r.sum, err
	case err != nil:
		err = nil // interrupted while seeding: nothing is lost, the next run seeds again
	default:
		err = r.schedule()
	}
	r.sum.Finished = c.cfg.Now()
	r.mu.Lock()
	fatal := r.fatal
	r.mu.Unlock()
	ctx = outer
	switch {
	case fatal != nil:
		r.sum.Stopped = "error"
		err = errors.Join(fatal, err)
	case r.sum.Stopped != "":
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		r.sum.Stopped = "max-duration"
	case ctx.Err() != nil:
		r.sum.Stopped = "interrupted"
	default:
		r.sum.Stopped = "done"
		if uerr := r.unreachable(); uerr != nil {
			err = errors.Join(uerr, err)
		}
	}
	return r.sum, err
}

// inScope reports whether gisa may request host in this run.
func (r *run) inScope(host string) bool {
	if r.outletFor(host) != nil || host == r.naverEnd {
		return true
	}
	_, ok := r.searchOutlet(host)
	return ok
}

// searchOutlet resolves the outlet of a search result's host.
func (r *run) searchOutlet(host string) (*Outlet, bool) {
	if o := r.outletFor(host); o != nil {
		return o, true
	}
	if r.profiles == nil || len(r.cfg.Outlets) > 0 {
		return nil, false
	}
	p := r.profiles.ForURL("http://" + host + "/")
	if p == nil {
		return nil, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.extra[p.ID]
	if !ok {
		o = &Outlet{Profile: p, Delay: -1}
		r.extra[p.ID] = o
	}
	return o, true
}

// seed queues this run's discovery documents and re-checks.
func (r *run) seed(now time.Time) error {
	var items []frontier.Item
	for _, o := range r.cfg.Outlets {
		p := o.Profile
		for _, u := range p.Sitemaps {
			items = append(items, frontier.Item{URL: u, Outlet: p.ID, Kind: frontier.KindSitemap, Priority: prioSeed})
		}
		// Backfill reads what is dated: sitemaps (entries in the range)
		// and date-archive pages. Feeds and section pages show only the
		// latest articles, so they serve incremental crawls.
		if r.backfill() {
			urls, err := discoverArchives(p.Archives, r.cfg.Since, r.until())
			if err != nil {
				return fmt.Errorf("outlet %s: %w", p.ID, err)
			}
			for _, u := range urls {
				items = append(items, frontier.Item{URL: u, Outlet: p.ID, Kind: frontier.KindSection, Priority: prioArchive})
			}
		} else {
			for _, u := range p.Feeds {
				items = append(items, frontier.Item{URL: u, Outlet: p.ID, Kind: frontier.KindFeed, Priority: prioSeed})
			}
			for _, u := range p.Sections {
				items = append(items, frontier.Item{URL: u, Outlet: p.ID, Kind: frontier.KindSection, Priority: prioList})
			}
		}
	}
	if len(r.cfg.NaverQueries) > 0 {
		end := r.cfg.NaverEndpoint
		if end == "" {
			end = naverEndpoint
		}
		u, err := url.Parse(end)
		if err != nil || u.Host == "" {
			return fmt.Errorf("naver endpoint %q: not a URL", end)
		}
		r.naverEnd = strings.ToLower(u.Host)
		if n, err := frontier.Normalize(end); err == nil {
			r.naverEnd = hostFromURL(n) // as the queued URLs spell it (no default port)
		}
		for _, q := range r.cfg.NaverQueries {
			items = append(items, frontier.Item{URL: naverURL(end, q, 1, r.naverPage()), Outlet: "naver-search", Kind: frontier.KindSearch, Priority: prioSeed})
		}
	}
	if _, err := r.addDiscovery(items...); err != nil {
		return err
	}
	if r.cfg.RecheckWindow > 0 && !r.backfill() {
		var re []frontier.Item
		since := now.Add(-r.cfg.RecheckWindow)
		err := r.front.Recent(since, func(rec frontier.Record) error {
			if err := r.ctx.Err(); err != nil {
				return err // a long walk sees the deadline and the signal
			}
			if rec.Kind != frontier.KindArticle || now.Sub(rec.LastFetched) < r.cfg.RecheckInterval || r.outlets[rec.Outlet] == nil {
				return nil
			}
			re = append(re, frontier.Item{URL: rec.URL, Outlet: rec.Outlet, Kind: frontier.KindArticle, Priority: prioRecheck, Published: rec.Published, PublishedFrom: rec.PublishedFrom, Recheck: true})
			return nil
		})
		if err != nil {
			return fmt.Errorf("re-checks: %w", err)
		}
		if _, err := r.front.Add(re...); err != nil {
			return fmt.Errorf("queue re-checks: %w", err)
		}
	}
	return nil
}

func (r *run) backfill() bool { return !r.cfg.Since.IsZero() }

func (r *run) until() time.Time {
	if r.cfg.Until.IsZero() {
		return r.cfg.Now()
	}
	return r.cfg.Until
}

func (r *run) naverPage() int {
	if r.cfg.NaverMax > 0 && r.cfg.NaverMax < 100 {
		return r.cfg.NaverMax
	}
	return 100
}

// addDiscovery queues discovery documents not yet queued in this run.
// Across runs they are fetched again (conditionally): that is how new
// articles are found.
func (r *run) addDiscovery(items ...frontier.Item) (int, error) {
	keep := items[:0:0]
	r.mu.Lock()
	for _, it := range items {
		n, err := frontier.Normalize(it.URL)
		if err != nil {
			r.log.Warn("discovery URL skipped", "err", err) // err names the URL, its password masked
			continue
		}
		if !r.listed[n] {
			r.listed[n] = true
			it.URL = n
			keep = append(keep, it)
		}
	}
	r.mu.Unlock()
	if len(keep) == 0 {
		return 0, nil
	}
	n, err := r.front.Add(keep...)
	if err != nil {
		return 0, fmt.Errorf("queue discovery: %w", err)
	}
	return n, nil
}

// addArticles queues candidate article URLs of outlet o (nil: resolve each
// link's outlet by its host) and counts the new ones as discovered. Links
// must match the outlet's article patterns, unless listed says the source
// lists articles only (a feed: its redirector and short links are followed,
// and the parser tells articles from other pages). Items go into the
// frontier addChunk at a time, each chunk of one outlet (the count of new
// URLs is per outlet), and only one chunk's items are in memory at once: a
// 50,000-URL sitemap in one transaction would hold all its dirty pages in
// memory, and its 50,000 items beside its links cost 10 MB per worker.
func (r *run) addArticles(o *Outlet, links []discovered, listed bool) (int, error) {
	total := 0
	items := make([]frontier.Item, 0, min(len(links), addChunk))
	flush := func() error {
		rest := items
		for len(rest) > 0 {
			k := 1
			for k < len(rest) && rest[k].Outlet == rest[0].Outlet {
				k++
			}
			chunk := rest[:k]
			n, err := r.front.Add(chunk...)
			if err != nil {
				return fmt.Errorf("queue articles: %w", err)
			}
			if n > 0 {
				r.sum.count(chunk[0].Outlet, func(c *Counts) { c.Discovered += n })
				r.obs.Discovered(chunk[0].Outlet, n)
			}
			total += n
			rest = rest[k:]
		}
		items = items[:0]
		return nil
	}
	for _, l := range links {
		n, err := frontier.Normalize(l.URL)
		if err != nil {
			continue
		}
		out := o
		if out == nil {
			var ok bool
			if out, ok = r.searchOutlet(hostFromURL(n)); !ok {
				r.sum.count(l.via, func(c *Counts) { c.OutOfScope++ })
				continue
			}
		} else if r.outletFor(hostFromURL(n)) != out {
			continue // a link to another site
		}
		if !listed && len(out.Profile.ArticlePatterns) > 0 && !out.Profile.IsArticleURL(n) && !out.Profile.IsArticleURL(l.URL) {
			continue
		}
		if len(items) == addChunk {
			if err := flush(); err != nil {
				return total, err
			}
		}
		items = append(items, frontier.Item{URL: n, Outlet: out.Profile.ID, Kind: frontier.KindArticle, Priority: prioArticle, Published: l.Published, PublishedFrom: l.from})
	}
	return total, flush()
}

func hostFromURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// backoff is the wait before another try: RetryBase doubled per attempt,
// with full jitter in its upper half, capped at RetryMax; a longer
// Retry-After wins (capped too).
func (c *Crawler) backoff(attempt int, retryAfter time.Duration) time.Duration {
	d := c.cfg.RetryBase
	for i := 1; i < attempt && d < c.cfg.RetryMax; i++ {
		d *= 2
	}
	if d > c.cfg.RetryMax {
		d = c.cfg.RetryMax
	}
	if d > 0 {
		d = d/2 + rand.N(d/2+1)
	}
	if retryAfter > d {
		d = min(retryAfter, c.cfg.RetryMax)
	}
	return d
}

// conditional returns the If-None-Match / If-Modified-Since headers for a
// URL fetched before.
func conditional(rec frontier.Record) http.Header {
	h := http.Header{}
	if rec.ETag != "" {
		h.Set("If-None-Match", rec.ETag)
	}
	if rec.LastModified != "" {
		h.Set("If-Modified-Since", rec.LastModified)
	}
	return h
}
