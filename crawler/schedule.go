package crawler

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/gisa-news/gisa/frontier"
)

// host is the scheduler's state of one host. Only the scheduler goroutine
// touches it.
type host struct {
	name     string
	outlet   *Outlet
	delay    time.Duration
	conc     int
	inflight int
	next     time.Time       // earliest dispatch of the next request
	gate     Gate            // spacing at the wire, shared with workers
	robots   *robots         // nil until robots.txt is read
	pending  bool            // robots.txt being fetched
	closed   string          // why nothing more is fetched from it in this run
	buf      []frontier.Item // leased, not yet dispatched
}

// progressEvery is how often a running crawl logs its counts.
const progressEvery = 30 * time.Second

// skipBatch bounds the queued items one dispatch ends without a request
// (disallowed by robots.txt, out of scope, refused hosts) before it returns
// to the loop, which then sees the deadline, a signal and the workers'
// results before it goes on.
const skipBatch = 2048

// job is one request for a worker.
type job struct {
	it     frontier.Item
	outlet *Outlet
	gate   Gate
	robots bool // fetch robots.txt of it.Host instead
}

// result is what a worker reports back to the scheduler.
type result struct {
	host       string
	robots     *robots // for a robots job
	robotsErr  error
	retryAfter time.Duration // the host asked to wait (429/503)
}

// schedule runs the crawl loop: it leases ready items host by host, keeps
// each host's spacing and concurrency, and hands jobs to workers.
func (r *run) schedule() error {
	hosts := map[string]*host{}
	jobs := make(chan job)
	results := make(chan result, r.cfg.Workers)
	var wg sync.WaitGroup
	for range r.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- r.work(j)
			}
		}()
	}
	inflight := 0
	var loopErr error
	stop := func() bool {
		if r.ctx.Err() != nil {
			return true
		}
		if r.cfg.MaxArticles > 0 {
			r.mu.Lock()
			done := r.saved >= r.cfg.MaxArticles
			r.mu.Unlock()
			if done {
				r.sum.Stopped = "max-articles"
				return true
			}
		}
		return false
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	progress := time.NewTicker(progressEvery)
	defer progress.Stop()
	for !stop() {
		now := r.cfg.Now()
		var wake time.Time
		if !r.slotsTaken() {
			var err error
			if wake, err = r.dispatch(hosts, now, jobs, &inflight); err != nil {
				loopErr = err
				break
			}
		}
		if inflight == 0 && wake.IsZero() {
			break // nothing in flight and nothing will become ready
		}
		d := time.Hour // a result wakes the loop sooner
		if !wake.IsZero() {
			d = max(wake.Sub(r.cfg.Now()), time.Millisecond)
		}
		timer.Reset(d)
		select {
		case res := <-results:
			inflight--
			r.settle(hosts, res)
		case <-timer.C:
		case <-progress.C:
			t := r.sum.Total()
			r.log.Info("progress", "discovered", t.Discovered, "fetched", t.Fetched, "not_modified", t.NotModified,
				"new", t.New, "updated", t.Updated, "failed", t.FailedTotal(), "in_flight", inflight, "hosts", len(hosts))
		case <-r.ctx.Done():
		}
	}
	// Stop: let in-flight jobs end (a cancelled context aborts their
	// requests and requeues them), then return held items to the queue.
	close(jobs)
	for inflight > 0 {
		res := <-results
		inflight--
		r.settle(hosts, res)
	}
	wg.Wait()
	var held []frontier.Item
	for _, h := range hosts {
		held = append(held, h.buf...)
		h.buf = nil
		r.obs.QueueDepth(h.name, 0)
	}
	if len(held) > 0 {
		if err := r.front.Release(held...); err != nil {
			loopErr = errors.Join(loopErr, fmt.Errorf("requeue: %w", err))
		}
	}
	return loopErr
}

// dispatch starts every job that politeness allows now and returns when
// the next one may start (zero when no host has work).
func (r *run) dispatch(hosts map[string]*host, now time.Time, jobs chan<- job, inflight *int) (time.Time, error) {
	names, err := r.front.Hosts()
	if err != nil {
		return time.Time{}, fmt.Errorf("frontier hosts: %w", err)
	}
	for name, h := range hosts {
		if len(h.buf) > 0 && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var wake time.Time
	later := func(t time.Time) {
		if wake.IsZero() || t.Before(wake) {
			wake = t
		}
	}
	skipped := 0 // items ended without a request in this dispatch
	for _, name := range names {
		if r.ctx.Err() != nil || skipped >= skipBatch {
			later(now) // come back at once, after a look at the loop's events
			break
		}
		h := hosts[name]
		if h == nil {
			h = r.newHost(name)
			hosts[name] = h
		}
		if h.closed != "" {
			n, more, err := r.drainClosed(h, now, skipBatch-skipped)
			if err != nil {
				return wake, err
			}
			skipped += n
			if more {
				later(now)
			}
			continue
		}
		if h.pending {
			continue // woken by the robots result
		}
		for h.inflight < h.conc && *inflight < r.cfg.Workers {
			if skipped >= skipBatch || r.ctx.Err() != nil {
				later(now)
				break
			}
			if now.Before(h.next) {
				later(h.next)
				break
			}
			if len(h.buf) == 0 {
				items, wait, err := r.front.Lease(name, now, leaseBatch)
				if err != nil {
					return wake, fmt.Errorf("lease %s: %w", name, err)
				}
				h.buf = items
				r.obs.QueueDepth(name, len(items)+h.inflight)
				if len(items) == 0 {
					if !wait.IsZero() {
						later(wait)
					}
					break
				}
			}
			j := job{outlet: h.outlet, gate: h.gate}
			if h.robots == nil {
				j.robots, h.pending = true, true
				j.it = frontier.Item{URL: "http://" + name + "/robots.txt", Host: name, Outlet: h.buf[0].Outlet}
				if u, err := url.Parse(h.buf[0].URL); err == nil {
					j.it.URL = u.Scheme + "://" + name + "/robots.txt"
				}
			} else {
				j.it, h.buf = h.buf[0], h.buf[1:]
				u, err := url.Parse(j.it.URL)
				if err != nil || !h.robots.allows(u) {
					r.sum.count(j.it.Outlet, func(c *Counts) { c.Robots++ })
					r.obs.RobotsSkipped(j.it.Outlet)
					if err := r.front.Done(j.it, nil); err != nil {
						return wake, fmt.Errorf("skip %s: %w", j.it.URL, err)
					}
					skipped++
					continue
				}
			}
			h.inflight++
			*inflight++
			jobs <- j
			// Spacing counts from the hand-over, not from the top of the
			// loop: leasing may have taken a while (an fsync).
			now = r.cfg.Now()
			h.next = now.Add(h.delay)
			r.log.Debug("dispatch", "url", j.it.URL, "host", name)
			if j.robots {
				break
			}
		}
	}
	return wake, nil
}

// newHost sets up a host seen for the first time in this run.
func (r *run) newHost(name string) *host {
	h := &host{name: name, conc: r.cfg.Concurrency, delay: r.cfg.Delay}
	o := r.outletFor(name)
	if o == nil {
		o, _ = r.searchOutlet(name)
	}
	h.outlet = o
	if o != nil {
		if o.Delay >= 0 {
			h.delay = o.Delay
		}
		if o.Concurrency > 0 {
			h.conc = o.Concurrency
		}
	}
	if r.cfg.Gates != nil {
		h.gate = r.cfg.Gates(name, h.delay, h.conc)
	} else {
		h.gate = localGate{newGate(h.delay, r.cfg.Now)}
	}
	hn := hostname(name)
	switch {
	case name == r.naverEnd:
		// An API, not a website: its terms, not robots.txt, govern it.
		h.robots = &robots{ignored: true}
	case o == nil && r.cfg.SharedFrontier:
		// Another run's host: its URLs stay queued for that run.
		h.closed = closedOtherRun
	case o == nil:
		h.closed = closedOutScope
	case r.ignores(hn):
		r.log.Warn("robots.txt ignored for host by configuration", "host", name)
		h.robots = &robots{ignored: true}
	case o.Profile.Portal != "":
		// Naver's and Daum's own hosts disallow crawlers in robots.txt.
		h.closed = closedPortal
		r.sum.skipHost(name, h.closed)
		r.log.Warn("portal host refused: its robots.txt disallows crawling; name it under ignore_robots to override", "host", name, "outlet", o.Profile.ID)
	}
	return h
}

func (r *run) ignores(hostname string) bool {
	for h := hostname; h != ""; {
		if r.ignore[h] {
			return true
		}
		i := indexDot(h)
		if i < 0 {
			return false
		}
		h = h[i+1:]
	}
	return false
}

func indexDot(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

// Reasons a host is closed for the rest of a run. The first three leave
// its URLs queued for the next run; the others end them.
const (
	closedRobots   = "robots unavailable"
	closedWait     = "asked to wait past this run"
	closedDelay    = "crawl-delay past retry_max"
	closedPortal   = "portal host refused"
	closedOutScope = "out of scope"
	closedOtherRun = "another run's host" // SharedFrontier
)

// keepsQueued reports whether a host closed for why keeps its URLs queued
// for the next run.
func keepsQueued(why string) bool {
	return why == closedRobots || why == closedWait || why == closedDelay || why == closedOtherRun
}

// drainClosed ends up to max queued items of a host that is not crawled in
// this run, and reports how many it ended and whether more are left:
// refused hosts are counted as robots skips, out-of-scope ones as such; a
// host whose robots.txt was unreachable, that asked for a longer wait than
// RetryMax or whose Crawl-delay is longer, keeps its items queued for the
// next run. It stops early when the run's context ends.
func (r *run) drainClosed(h *host, now time.Time, max int) (n int, more bool, err error) {
	if keepsQueued(h.closed) {
		if len(h.buf) > 0 {
			if err := r.front.Release(h.buf...); err != nil {
				return 0, false, fmt.Errorf("requeue %s: %w", h.name, err)
			}
			h.buf = nil
		}
		return 0, false, nil // items stay queued (not leased) for the next run
	}
	for {
		if n >= max || r.ctx.Err() != nil {
			return n, true, nil
		}
		items := h.buf
		h.buf = nil
		if len(items) == 0 {
			if items, _, err = r.front.Lease(h.name, now.Add(100*365*24*time.Hour), min(256, max-n)); err != nil {
				return n, false, fmt.Errorf("lease %s: %w", h.name, err)
			}
		}
		if len(items) == 0 {
			return n, false, nil
		}
		for i, it := range items {
			if r.ctx.Err() != nil {
				if err := r.front.Release(items[i:]...); err != nil {
					return n, false, fmt.Errorf("requeue %s: %w", h.name, err)
				}
				return n, true, nil
			}
			switch h.closed {
			case closedOutScope:
				r.sum.count(it.Outlet, func(c *Counts) { c.OutOfScope++ })
			default:
				r.sum.count(it.Outlet, func(c *Counts) { c.Robots++ })
				r.obs.RobotsSkipped(it.Outlet)
			}
			if err := r.front.Done(it, nil); err != nil {
				return n, false, fmt.Errorf("skip %s: %w", it.URL, err)
			}
			n++
		}
	}
}

// settle applies a worker's result to its host.
func (r *run) settle(hosts map[string]*host, res result) {
	h := hosts[res.host]
	if h == nil {
		return
	}
	h.inflight--
	now := r.cfg.Now()
	switch {
	case res.retryAfter > r.cfg.RetryMax && h.closed == "":
		// Longer than a run should wait: leave the host alone until the
		// next run, its URLs queued.
		h.closed = closedWait
		r.sum.skipHost(h.name, h.closed)
		r.log.Warn("host asked to wait longer than retry_max: skipped for this run", "host", h.name, "retry_after", res.retryAfter)
	case res.retryAfter > 0:
		// The host asked everyone to wait: no request to it before then.
		t := now.Add(res.retryAfter)
		if t.After(h.next) {
			h.next = t
		}
		if err := h.gate.Hold(r.ctx, t); err != nil {
			r.log.Error("holding the host's gate for its Retry-After", "host", h.name, "err", err)
		}
	}
	if h.pending && (res.robots != nil || res.robotsErr != nil) {
		h.pending = false
		switch {
		case res.robots == nil:
			h.closed = closedRobots
			if len(h.buf) > 0 {
				if err := r.front.Release(h.buf...); err != nil {
					r.log.Error("requeue", "host", h.name, "err", err)
				}
				h.buf = nil
			}
			r.sum.skipHost(h.name, h.closed)
			r.log.Warn("host skipped for this run: robots.txt unavailable", "host", h.name, "err", res.robotsErr)
		default:
			h.robots = res.robots
			if res.robotsErr != nil {
				r.log.Warn("robots.txt", "host", h.name, "err", res.robotsErr)
			}
			if d := res.robots.delay; d > r.cfg.RetryMax {
				// Obeying it would hold the run, and the archive, for
				// that long: leave the host for a later run instead, its
				// URLs queued, as for an over-long Retry-After.
				h.closed = closedDelay
				if len(h.buf) > 0 {
					if err := r.front.Release(h.buf...); err != nil {
						r.log.Error("requeue", "host", h.name, "err", err)
					}
					h.buf = nil
				}
				r.sum.skipHost(h.name, h.closed)
				r.log.Warn("robots.txt Crawl-delay longer than retry_max: host skipped for this run", "host", h.name, "crawl_delay", d, "retry_max", r.cfg.RetryMax)
			} else if d > h.delay {
				r.log.Info("robots.txt Crawl-delay applies", "host", h.name, "delay", d)
				h.delay = d
				h.next = now.Add(d)
				if err := h.gate.SetDelay(r.ctx, d); err != nil {
					r.log.Error("setting the host's Crawl-delay", "host", h.name, "err", err)
				}
			}
		}
	}
}
