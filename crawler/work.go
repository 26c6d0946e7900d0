package crawler

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/crawler/discover"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/parser"
)

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// redirect queues the target of a redirect as the next hop of the same
// item. A hop beyond MaxRedirects, a target already redirected from in
// this run (a loop), and a target off the crawl's hosts fail the item.
func (r *run) redirect(it frontier.Item, resp *response) error {
	loc := resp.header.Get("Location")
	base, err := url.Parse(resp.url)
	if err != nil || loc == "" {
		return &fetchError{reason: "bad redirect", err: fmt.Errorf("fetch %s: status %d without a usable Location", it.URL, resp.status)}
	}
	ref, err := url.Parse(strings.TrimSpace(loc))
	if err != nil {
		return &fetchError{reason: "bad redirect", err: fmt.Errorf("fetch %s: Location %q: %v", it.URL, loc, err)}
	}
	target, err := frontier.Normalize(base.ResolveReference(ref).String())
	if err != nil {
		return &fetchError{reason: "bad redirect", err: fmt.Errorf("fetch %s: Location %q: %v", it.URL, loc, err)}
	}
	r.mu.Lock()
	r.redirected[it.URL] = true
	loop := r.redirected[target] || target == it.URL
	r.mu.Unlock()
	host := hostFromURL(target)
	switch {
	case loop:
		return &fetchError{reason: "redirect loop", err: fmt.Errorf("fetch %s: %w at %s", it.URL, ErrRedirectLoop, target)}
	case it.Kind == frontier.KindArticle && it.Depth >= r.cfg.MaxRedirects:
		return &fetchError{reason: "too many redirects", err: fmt.Errorf("fetch %s: %w (%d)", it.URL, ErrRedirects, it.Depth+1)}
	case !r.inScope(host):
		return &fetchError{reason: "redirect out of scope", err: fmt.Errorf("fetch %s: %w: %s", it.URL, ErrRedirectScope, target)}
	}
	next := it
	next.URL, next.Host, next.Attempts, next.NotBefore = target, "", 0, time.Time{}
	next.Depth++ // an article's depth counts its redirect hops
	if o := r.outletFor(host); o != nil {
		next.Outlet = o.Profile.ID
	}
	if _, err := r.front.Add(next); err != nil {
		return &fetchError{reason: "frontier", retryable: true, err: err}
	}
	return nil
}

// maxSitemapDepth is the deepest sitemap whose children are read: the
// sitemaps a profile or robots.txt names are at depth 0, so an index may
// list indexes (depth 1) which list sitemaps (depth 2), one level more
// than the protocol allows; an index at depth 2 is not followed.
const maxSitemapDepth = 2

// discovered is a candidate article URL and where it came from.
type discovered struct {
	discover.Link
	via string // outlet ID counted for out-of-scope links
	// from names the document ("feed", "sitemap") whose date for the link
	// is the page's publication time, handed to the parser as a hint; ""
	// for other documents and for modification times.
	from string
}

// publishedFrom returns the hint source of a link found in a document of
// kind k: feeds' and sitemaps' publication dates are hints; a lastmod, a
// date printed beside a link on a list page or a search result's are not.
func publishedFrom(k frontier.Kind, l discover.Link) string {
	if l.Published.IsZero() || l.Modified {
		return ""
	}
	switch k {
	case frontier.KindFeed:
		return "feed"
	case frontier.KindSitemap:
		return "sitemap"
	}
	return ""
}

// robotsTTL is how long a robots.txt answer is shared through
// Config.Robots: Google caches robots.txt for up to a day.
const robotsTTL = 24 * time.Hour

// cachedRobots returns host's robots.txt answer from Config.Robots, if
// there is one.
func (r *run) cachedRobots(host string) (status int, body []byte, ok bool) {
	if r.cfg.Robots == nil {
		return 0, nil, false
	}
	status, body, ok, err := r.cfg.Robots.Robots(r.ctx, host)
	if err != nil {
		r.log.Warn("robots.txt cache: fetching the file instead", "host", host, "err", err)
		return 0, nil, false
	}
	return status, body, ok
}

// work performs one job and records its outcome in the frontier.
func (r *run) work(j job) result {
	res := result{host: j.it.Host}
	if j.robots {
		status, body, ok := r.cachedRobots(j.it.Host)
		if !ok {
			release, err := j.gate.Wait(r.ctx)
			if err != nil {
				res.robotsErr = err
				return res
			}
			resp, err := r.fetch.get(r.ctx, j.it.URL, nil, r.fetch.maxBody)
			release()
			r.heard(j.it.Host, err)
			if err != nil {
				res.robotsErr = err
				return res
			}
			status, body = resp.status, resp.body
		}
		res.robots, res.robotsErr = parseRobots(status, body)
		if !ok && res.robots != nil && r.cfg.Robots != nil {
			// A definite answer (a file, or none): the other workers
			// read it from the cache instead of asking the host.
			if err := r.cfg.Robots.PutRobots(r.ctx, j.it.Host, status, body, robotsTTL); err != nil {
				r.log.Warn("robots.txt cache", "host", j.it.Host, "err", err)
			}
		}
		if res.robots != nil && len(res.robots.sitemaps) > 0 && j.outlet != nil && j.outlet.Profile.ID == j.it.Outlet {
			r.robotsSitemaps(j.outlet, res.robots.sitemaps)
		}
		return res
	}
	it := j.it
	log := r.log.With("url", it.URL, "site", it.Outlet)
	var hdr http.Header
	prev, known, err := r.front.Record(it.URL)
	if err != nil {
		log.Error("frontier record", "err", err)
	}
	if known && (it.Recheck || it.Kind != frontier.KindArticle) {
		hdr = conditional(prev)
	}
	// The API's credentials go to the API's host only: a search URL that
	// a redirect moved to another host keeps its kind, not the secret.
	if it.Kind == frontier.KindSearch && hostFromURL(it.URL) == r.naverEnd {
		if hdr == nil {
			hdr = http.Header{}
		}
		hdr.Set("X-Naver-Client-Id", r.cfg.NaverID)
		hdr.Set("X-Naver-Client-Secret", string(r.cfg.NaverSecret))
		hdr.Set("Accept", "application/json")
	}
	limit := r.fetch.maxBody
	if it.Kind != frontier.KindArticle {
		limit = r.fetch.maxDoc
	}
	// The gate is taken last, right before sending: a slow frontier read
	// between the two would shorten the gap at the wire.
	release, err := j.gate.Wait(r.ctx)
	if err != nil {
		if r.ctx.Err() == nil {
			log.Error("host gate", "err", err)
		}
		if err := r.front.Release(it); err != nil {
			log.Error("requeue", "err", err)
		}
		return res
	}
	resp, err := r.fetch.get(r.ctx, it.URL, hdr, limit)
	release()
	r.heard(it.Host, err)
	if err == nil {
		r.obs.Fetched(it.Outlet, resp.status, len(resp.body))
	}
	if fe := (*fetchError)(nil); err == nil || !errors.As(err, &fe) || fe.reason != "interrupted" {
		// One request counts once, whatever becomes of it.
		r.sum.count(it.Outlet, func(c *Counts) { c.Requests++ })
	}
	if err == nil && isRedirect(resp.status) {
		err = r.redirect(it, resp)
		if err == nil {
			r.sum.count(it.Outlet, func(c *Counts) { c.Redirects++ })
			r.done(it, &frontier.Record{URL: it.URL, Outlet: it.Outlet, Kind: frontier.KindRedirect, Status: resp.status, FirstFetched: resp.fetchedAt, LastFetched: resp.fetchedAt}, log)
			return res
		}
	}
	if err == nil && resp.status != http.StatusOK && resp.status != http.StatusNotModified {
		if resp.status >= 200 && resp.status < 300 {
			err = &fetchError{reason: fmt.Sprintf("http %d", resp.status), err: fmt.Errorf("fetch %s: http status %d", it.URL, resp.status)}
		} else {
			err = statusError(resp, r.cfg.Now())
		}
	}
	if err != nil {
		var fe *fetchError
		if !errors.As(err, &fe) {
			fe = &fetchError{reason: "error", err: err}
		}
		res.retryAfter = fe.retryAfter
		if fe.retryAfter > 0 && fe.retryAfter <= r.cfg.RetryMax {
			// Shut the host's gate at once, not when the scheduler hears
			// of it: another worker may be about to take the gate.
			if err := j.gate.Hold(r.ctx, r.cfg.Now().Add(fe.retryAfter)); err != nil {
				log.Error("holding the host's gate for its Retry-After", "err", err)
			}
		}
		r.fail(it, fe, log)
		return res
	}
	rec := &frontier.Record{
		URL: it.URL, Outlet: it.Outlet, Kind: it.Kind, Status: resp.status,
		ETag: resp.header.Get("ETag"), LastModified: resp.header.Get("Last-Modified"),
		FirstFetched: resp.fetchedAt, LastFetched: resp.fetchedAt, Published: it.Published, PublishedFrom: it.PublishedFrom,
	}
	if known {
		rec.FirstFetched, rec.ContentHash, rec.ArticleID, rec.Revisions = prev.FirstFetched, prev.ContentHash, prev.ArticleID, prev.Revisions
		if !prev.Published.IsZero() {
			rec.Published, rec.PublishedFrom = prev.Published, prev.PublishedFrom
		}
	}
	if resp.status == http.StatusNotModified {
		if rec.ETag == "" {
			rec.ETag = prev.ETag
		}
		if rec.LastModified == "" {
			rec.LastModified = prev.LastModified
		}
		r.sum.count(it.Outlet, func(c *Counts) { c.NotModified++ })
		r.done(it, rec, log)
		return res
	}
	r.sum.count(it.Outlet, func(c *Counts) { c.Fetched++ })
	switch it.Kind {
	case frontier.KindArticle:
		if err := r.article(it, j.outlet, resp, rec, log); err != nil {
			r.fail(it, err, log)
			return res
		}
	default:
		if err := r.discover(it, j.outlet, resp); err != nil {
			r.fail(it, err, log)
			return res
		}
	}
	r.done(it, rec, log)
	return res
}

// article parses and saves one article page.
func (r *run) article(it frontier.Item, o *Outlet, resp *response, rec *frontier.Record, log *slog.Logger) *fetchError {
	page := article.Page{
		URL: resp.url, ContentType: resp.header.Get("Content-Type"), Body: resp.body, FetchedAt: resp.fetchedAt,
		Status: resp.status, Header: resp.header, RequestHeader: resp.reqHeader, Payload: resp.payload,
	}
	if it.PublishedFrom != "" {
		page.PublishedHint, page.HintFrom = it.Published, it.PublishedFrom
	}
	if o != nil {
		page.Outlet = o.Profile.ID
	}
	a, err := r.parser.Parse(page)
	switch {
	case errors.Is(err, parser.ErrNotArticle):
		r.sum.count(it.Outlet, func(c *Counts) { c.NotArticle++ })
		return nil
	case err != nil:
		r.obs.ParseFailed(it.Outlet)
		return &fetchError{reason: "parse", err: fmt.Errorf("parse %s: %w", resp.url, err)}
	}
	if !r.reserve() {
		// Saves in flight may reach MaxArticles: this one waits for the
		// next run (or for a slot given back).
		return &fetchError{reason: "interrupted", retryable: true, err: fmt.Errorf("save %s: max articles reached", a.ID)}
	}
	saved, err := r.sink.Save(r.ctx, &a, &page)
	r.saveDone(saved, err)
	if err != nil {
		if isPermanent(err) {
			// The archive refuses writes: nothing more can be kept, so
			// stop now rather than fetch pages to throw away.
			r.abort(fmt.Errorf("archive refuses writes: save %s (%s): %w", a.ID, it.URL, err))
			return &fetchError{reason: "interrupted", retryable: true, err: err}
		}
		if r.ctx.Err() != nil {
			return &fetchError{reason: "interrupted", retryable: true, err: err}
		}
		return &fetchError{reason: "store", retryable: true, err: fmt.Errorf("save %s: %w", a.ID, err)}
	}
	rec.ContentHash, rec.ArticleID = a.ContentHash, a.ID
	if a.PublishedAt != nil {
		rec.Published, rec.PublishedFrom = *a.PublishedAt, ""
		if from, ok := strings.CutPrefix(a.Extraction.Sources["published_at"], "discovery-"); ok {
			rec.PublishedFrom = from
		}
	} else if saved != SavedUnchanged {
		// Filed under its fetch day, as before, but counted: an undated
		// record is visible in the summary, not silent. (An unchanged
		// one keeps the record already stored, and its date if it has
		// one.)
		r.sum.count(it.Outlet, func(c *Counts) { c.Undated++ })
	}
	r.obs.Stored(it.Outlet, saved)
	switch saved {
	case SavedNew:
		r.obs.Extracted(it.Outlet, Missing{Title: a.Title == "", Body: a.Body == "", Reporters: len(a.Reporters) == 0, Published: a.PublishedAt == nil})
		r.sum.count(it.Outlet, func(c *Counts) { c.New++ })
	case SavedUpdated:
		rec.Revisions++
		r.sum.count(it.Outlet, func(c *Counts) { c.Updated++ })
		log.Info("article changed: new revision", "id", a.ID)
	default:
		r.sum.count(it.Outlet, func(c *Counts) { c.Unchanged++ })
	}
	return nil
}

// discover reads a feed, sitemap, list page or search result page and
// queues what it names.
func (r *run) discover(it frontier.Item, o *Outlet, resp *response) *fetchError {
	bad := func(err error) *fetchError {
		return &fetchError{reason: "bad " + string(it.Kind), err: err}
	}
	var links []discovered
	add := func(ls []discover.Link) {
		for _, l := range ls {
			links = append(links, discovered{Link: l, via: it.Outlet, from: publishedFrom(it.Kind, l)})
		}
	}
	switch it.Kind {
	case frontier.KindFeed:
		ls, err := discover.Feed(resp.body, resp.url)
		if err != nil {
			return bad(err)
		}
		add(ls)
	case frontier.KindSitemap:
		sm, err := discover.ParseSitemap(resp.body, resp.url)
		if err != nil {
			return bad(err)
		}
		if sm.Cut > 0 {
			r.sum.count(it.Outlet, func(c *Counts) { c.limit(limitSitemapURLs, sm.Cut) })
			r.log.Warn("sitemap lists more entries than the protocol allows: the rest ignored", "url", it.URL, "kept", discover.MaxSitemapURLs, "ignored", sm.Cut)
		}
		if len(sm.Sitemaps) > 0 && it.Depth >= maxSitemapDepth {
			// The protocol's indexes list sitemaps, not indexes: a deeper
			// chain is a trap (or a mistake), not more articles.
			r.sum.count(it.Outlet, func(c *Counts) { c.limit(limitSitemapDepth, len(sm.Sitemaps)) })
			r.log.Warn("sitemap index nested too deep: its sitemaps ignored", "url", it.URL, "depth", it.Depth, "max_depth", maxSitemapDepth, "ignored", len(sm.Sitemaps))
			sm.Sitemaps = nil
		}
		var children []frontier.Item
		for _, l := range sm.Sitemaps {
			if r.followSitemap(l) {
				children = append(children, frontier.Item{URL: l.URL, Outlet: it.Outlet, Kind: frontier.KindSitemap, Priority: prioSeed, Published: l.Published, Depth: it.Depth + 1})
			}
		}
		if _, err := r.addDiscovery(children...); err != nil {
			return &fetchError{reason: "frontier", retryable: true, err: err}
		}
		// A window of links at a time: a 50,000-URL sitemap's links are
		// not copied whole beside its parse (see addArticles).
		links = make([]discovered, 0, min(len(sm.URLs), addChunk))
		for start := 0; start < len(sm.URLs); start += addChunk {
			links = links[:0]
			for _, l := range sm.URLs[start:min(start+addChunk, len(sm.URLs))] {
				if r.inWindow(l.Published) {
					links = append(links, discovered{Link: l, via: it.Outlet, from: publishedFrom(it.Kind, l)})
				}
			}
			if _, err := r.addArticles(o, links, false); err != nil {
				return &fetchError{reason: "frontier", retryable: true, err: err}
			}
		}
		return nil
	case frontier.KindSearch:
		ls, total, err := discover.NaverSearch(resp.body)
		if err != nil {
			return bad(err)
		}
		add(ls)
		n, err := r.addArticles(nil, links, false)
		if err != nil {
			return &fetchError{reason: "frontier", retryable: true, err: err}
		}
		if next := naverNext(it.URL, total, r.cfg.NaverMax); next != "" && n > 0 {
			if _, err := r.addDiscovery(frontier.Item{URL: next, Outlet: it.Outlet, Kind: frontier.KindSearch, Priority: prioSeed, Depth: it.Depth + 1}); err != nil {
				return &fetchError{reason: "frontier", retryable: true, err: err}
			}
		}
		return nil
	default: // section and archive list pages
		if o == nil {
			return nil
		}
		accept := func(u string) bool {
			if r.outletFor(hostFromURL(u)) != o {
				return false
			}
			return len(o.Profile.ArticlePatterns) == 0 || o.Profile.IsArticleURL(u)
		}
		ls, next, err := discover.Page(resp.body, resp.header.Get("Content-Type"), resp.url, accept)
		if err != nil {
			return bad(err)
		}
		add(ls)
		n, err := r.addArticles(o, links, false)
		if err != nil {
			return &fetchError{reason: "frontier", retryable: true, err: err}
		}
		// Incremental crawls stop paginating at the first page that
		// brings nothing new; backfill goes on while pages list articles.
		follow := n > 0 || (it.Priority == prioArchive && len(ls) > 0)
		if follow && it.Depth+1 < r.cfg.MaxPages {
			var pages []frontier.Item
			for _, u := range next {
				pages = append(pages, frontier.Item{URL: u, Outlet: it.Outlet, Kind: frontier.KindSection, Priority: it.Priority, Depth: it.Depth + 1})
			}
			if _, err := r.addDiscovery(pages...); err != nil {
				return &fetchError{reason: "frontier", retryable: true, err: err}
			}
		}
		return nil
	}
	if _, err := r.addArticles(o, links, it.Kind == frontier.KindFeed); err != nil {
		return &fetchError{reason: "frontier", retryable: true, err: err}
	}
	return nil
}

// robotsSitemaps queues the sitemaps a robots.txt names, for outlets whose
// profile names none.
func (r *run) robotsSitemaps(o *Outlet, urls []string) {
	if len(o.Profile.Sitemaps) > 0 {
		return
	}
	var items []frontier.Item
	for _, u := range urls {
		if r.outletFor(hostFromURL(u)) == o {
			items = append(items, frontier.Item{URL: u, Outlet: o.Profile.ID, Kind: frontier.KindSitemap, Priority: prioSeed})
		}
	}
	if _, err := r.addDiscovery(items...); err != nil {
		r.log.Error("queue robots.txt sitemaps", "site", o.Profile.ID, "err", err)
	}
}

// followSitemap decides whether a child of a sitemap index is read: in
// backfill, those that may cover the range; otherwise every child except
// those whose lastmod says they have not changed since gisa last read them
// (a large archive's index lists hundreds of monthly sitemaps: after the
// first run only the current ones are fetched, and those conditionally).
func (r *run) followSitemap(l discover.Link) bool {
	if r.backfill() {
		in, known := discover.SitemapInRange(l, r.cfg.Since, r.until())
		return in || !known
	}
	if l.Published.IsZero() {
		return true
	}
	u, err := frontier.Normalize(l.URL)
	if err != nil {
		return false
	}
	rec, ok, err := r.front.Record(u)
	return err != nil || !ok || l.Published.After(rec.LastFetched)
}

// inWindow decides whether a dated sitemap entry is wanted: in backfill,
// only those within the range; otherwise all of them (the frontier skips
// those already fetched, and leases the newest first).
func (r *run) inWindow(t time.Time) bool {
	if t.IsZero() || !r.backfill() {
		return true
	}
	day := t.In(article.KST).Format(time.DateOnly)
	return day >= r.cfg.Since.In(article.KST).Format(time.DateOnly) && day <= r.until().In(article.KST).Format(time.DateOnly)
}

// done records a finished item.
func (r *run) done(it frontier.Item, rec *frontier.Record, log *slog.Logger) {
	if err := r.front.Done(it, rec); err != nil {
		log.Error("frontier done", "err", err)
	}
}

// fail retries a retryable failure with backoff, or ends the item for this
// run (it has no record, so a later run that finds it again tries again).
func (r *run) fail(it frontier.Item, fe *fetchError, log *slog.Logger) {
	if fe.reason == "interrupted" {
		if err := r.front.Release(it); err != nil {
			log.Error("requeue", "err", err)
		}
		return
	}
	if fe.retryAfter > r.cfg.RetryMax {
		// The host is closed for this run (see settle): the URL waits,
		// its attempts unspent, for the next one.
		if err := r.front.Release(it); err != nil {
			log.Error("requeue", "err", err)
		}
		return
	}
	if fe.retryable && it.Attempts+1 < r.cfg.MaxAttempts {
		wait := r.backoff(it.Attempts+1, fe.retryAfter)
		r.sum.count(it.Outlet, func(c *Counts) { c.Retries++ })
		r.obs.Retried(it.Outlet)
		log.Info("retry", "reason", fe.reason, "attempt", it.Attempts+1, "wait", wait, "err", fe.err)
		if err := r.front.Retry(it, r.cfg.Now().Add(wait)); err != nil {
			log.Error("frontier retry", "err", err)
		}
		return
	}
	r.sum.count(it.Outlet, func(c *Counts) {
		if c.Failed == nil {
			c.Failed = map[string]int{}
		}
		c.Failed[fe.reason]++
	})
	r.obs.Failed(it.Outlet, fe.reason)
	log.Warn("fetch failed", "reason", fe.reason, "attempts", it.Attempts+1, "err", fe.err)
	if err := r.front.Done(it, nil); err != nil {
		log.Error("frontier done", "err", err)
	}
}

// discoverArchives expands date-archive templates for backfill.
func discoverArchives(templates []string, since, until time.Time) ([]string, error) {
	if len(templates) == 0 {
		return nil, nil
	}
	return discover.ArchiveURLs(templates, since, until)
}

const naverEndpoint = discover.NaverSearchEndpoint

func naverURL(endpoint, query string, start, display int) string {
	return discover.NaverSearchURL(endpoint, query, start, display)
}

// naverNext returns the next result page of a search URL, or "" at the end
// (the API serves results up to start 1000).
func naverNext(u string, total, max int) string {
	q, start, display, endpoint, ok := parseNaverURL(u)
	if !ok {
		return ""
	}
	next := start + display
	if next > 1000 || next > total || (max > 0 && next > max) {
		return ""
	}
	return naverURL(endpoint, q, next, display)
}

func parseNaverURL(raw string) (query string, start, display int, endpoint string, ok bool) {
	i := strings.IndexByte(raw, '?')
	if i < 0 {
		return "", 0, 0, "", false
	}
	endpoint = raw[:i]
	vals, err := url.ParseQuery(raw[i+1:])
	if err != nil {
		return "", 0, 0, "", false
	}
	query = vals.Get("query")
	if _, err := fmt.Sscan(vals.Get("start"), &start); err != nil {
		start = 1
	}
	if _, err := fmt.Sscan(vals.Get("display"), &display); err != nil || display <= 0 {
		display = 10
	}
	return query, start, display, endpoint, query != ""
}
