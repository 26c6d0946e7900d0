package crawler_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/fixture"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
)

// recorder is an Observer that counts what it hears.
type recorder struct {
	mu        sync.Mutex
	status    map[int]int
	bytes     int
	stored    map[crawler.Saved]int
	parseFail int
	robots    int
	retries   int
	depth     map[string]bool
	checked   int
	missing   map[string]int
	found     map[string]int // discovered, by outlet
	failed    map[string]int // by reason
}

func newRecorder() *recorder {
	return &recorder{status: map[int]int{}, stored: map[crawler.Saved]int{}, depth: map[string]bool{}, missing: map[string]int{}, found: map[string]int{}, failed: map[string]int{}}
}

func (r *recorder) Discovered(outlet string, n int) { r.mu.Lock(); r.found[outlet] += n; r.mu.Unlock() }
func (r *recorder) Failed(_, reason string)         { r.mu.Lock(); r.failed[reason]++; r.mu.Unlock() }
func (r *recorder) Fetched(_ string, status, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status[status]++
	r.bytes += n
}
func (r *recorder) Stored(_ string, s crawler.Saved) { r.mu.Lock(); r.stored[s]++; r.mu.Unlock() }
func (r *recorder) ParseFailed(string)               { r.mu.Lock(); r.parseFail++; r.mu.Unlock() }
func (r *recorder) RobotsSkipped(string)             { r.mu.Lock(); r.robots++; r.mu.Unlock() }
func (r *recorder) Retried(string)                   { r.mu.Lock(); r.retries++; r.mu.Unlock() }
func (r *recorder) QueueDepth(host string, _ int)    { r.mu.Lock(); r.depth[host] = true; r.mu.Unlock() }
func (r *recorder) Extracted(_ string, m crawler.Missing) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checked++
	for name, miss := range map[string]bool{"title": m.Title, "body": m.Body, "reporters": m.Reporters, "published": m.Published} {
		if miss {
			r.missing[name]++
		}
	}
}

// The observer hears the run as the summary counts it: fetches, stored
// articles, robots skips, retries, and the fields of each new record.
func TestObserverHearsTheRun(t *testing.T) {
	e := newEnv(t, fixture.Options{SlowDelay: time.Millisecond, BigSize: 3 << 20})
	cfg := e.config()
	cfg.Delay, cfg.Outlets[0].Delay = 0, 0
	rec := newRecorder()
	cfg.Observer = rec
	sum := e.crawl(t, cfg)
	tot := sum.Total()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.status[200] != tot.Fetched {
		t.Errorf("observer heard %d 200s, summary fetched %d", rec.status[200], tot.Fetched)
	}
	if rec.bytes == 0 {
		t.Error("observer heard no bytes")
	}
	if rec.stored[crawler.SavedNew] != tot.New || rec.stored[crawler.SavedNew] == 0 {
		t.Errorf("observer heard %d new, summary %d", rec.stored[crawler.SavedNew], tot.New)
	}
	if rec.robots != tot.Robots || rec.robots == 0 {
		t.Errorf("observer heard %d robots skips, summary %d", rec.robots, tot.Robots)
	}
	if rec.retries != tot.Retries {
		t.Errorf("observer heard %d retries, summary %d", rec.retries, tot.Retries)
	}
	if rec.checked != tot.New {
		t.Errorf("extraction checked on %d records, want one per new record (%d)", rec.checked, tot.New)
	}
	for id, c := range sum.Outlets {
		if rec.found[id] != c.Discovered {
			t.Errorf("observer heard %d discovered for %s, summary %d", rec.found[id], id, c.Discovered)
		}
	}
	if len(tot.Failed) == 0 || tot.Discovered == 0 {
		t.Errorf("the fixture's crawl should discover URLs and fail some: %+v", tot)
	}
	for reason, n := range tot.Failed {
		if rec.failed[reason] != n {
			t.Errorf("observer heard %d failures for %q, summary %d", rec.failed[reason], reason, n)
		}
	}
	if len(rec.failed) != len(tot.Failed) {
		t.Errorf("observer heard failures %v, summary %v", rec.failed, tot.Failed)
	}
	if !rec.depth[e.site.Host()] {
		t.Errorf("no queue depth sampled for %s: %v", e.site.Host(), rec.depth)
	}
}

// With SharedFrontier, URLs of hosts no selected outlet owns are another
// run's: they stay queued, untouched, instead of being ended as out of
// scope.
func TestSharedFrontierLeavesOtherOutletsQueued(t *testing.T) {
	for _, shared := range []bool{false, true} {
		t.Run(map[bool]string{false: "private", true: "shared"}[shared], func(t *testing.T) {
			e := newEnv(t, fixture.Options{SlowDelay: time.Millisecond, BigSize: 3 << 20})
			front, err := frontier.Open(filepath.Join(e.dir, ".gisa"), frontier.Options{})
			if err != nil {
				t.Fatal(err)
			}
			other := frontier.Item{URL: "http://other.invalid/news/1", Outlet: "other", Kind: frontier.KindArticle}
			if n, err := front.Add(other); err != nil || n != 1 {
				t.Fatalf("add: %d, %v", n, err)
			}
			disk, err := storage.NewDisk(e.dir)
			if err != nil {
				t.Fatal(err)
			}
			defer disk.Close()
			p, err := parser.New(parser.Options{Profiles: e.set})
			if err != nil {
				t.Fatal(err)
			}
			cfg := e.config()
			cfg.SharedFrontier = shared
			cfg.Delay, cfg.Outlets[0].Delay = 0, 0
			c, err := crawler.New(cfg, p, front, sink{storage.NewArchive(disk)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			sum, err := c.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			st, err := front.Stats()
			front.Close()
			if err != nil {
				t.Fatal(err)
			}
			out := sum.Outlets["other"]
			if shared {
				if st.Queued != 1 || st.Leased != 0 || out != nil && out.OutOfScope != 0 {
					t.Errorf("shared: other outlet's URL not left queued: %+v, counts %+v", st, out)
				}
			} else if st.Queued != 0 || out == nil || out.OutOfScope != 1 {
				t.Errorf("private: other host's URL not ended as out of scope: %+v, counts %+v", st, out)
			}
		})
	}
}
