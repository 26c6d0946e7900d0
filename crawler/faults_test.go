package crawler_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/faultstore"
	"github.com/gisa-news/gisa/internal/fixture"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/s3test"
)

// crawlInto runs one crawl of the env's site into st, with the env's state
// file, and returns the summary, Run's error and the frontier's counts
// after it.
func (e *env) crawlInto(t *testing.T, cfg crawler.Config, st storage.Store) (*crawler.Summary, error, frontier.Stats) {
	t.Helper()
	front, err := frontier.Open(filepath.Join(e.dir, ".gisa"), frontier.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer front.Close()
	p, err := parser.New(parser.Options{Profiles: e.set})
	if err != nil {
		t.Fatal(err)
	}
	c, err := crawler.New(cfg, p, front, sink{storage.NewArchive(st)}, e.set)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sum, runErr := c.Run(ctx)
	var b strings.Builder
	sum.WriteTable(&b)
	t.Logf("summary:\n%serr: %v", b.String(), runErr)
	stats, err := front.Stats()
	if err != nil {
		t.Fatal(err)
	}
	return sum, runErr, stats
}

// TestCrawlStopsAtPermanentStoreError: an archive that refuses writes
// (read-only directory, a store failing every Put permanently, S3 answering
// 403 AccessDenied) ends the run at the first refusal: Run returns an error
// wrapping storage.ErrPermanent that names the object, no page is fetched
// more than once, nothing counts as failed, and the URLs stay queued for
// the next run.
func TestCrawlStopsAtPermanentStoreError(t *testing.T) {
	tests := []struct {
		name     string
		store    func(t *testing.T, dir string) storage.Store
		wantText string // in the error
	}{
		{
			name: "read-only articles directory",
			store: func(t *testing.T, dir string) storage.Store {
				d, err := storage.NewDisk(dir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				articles := filepath.Join(dir, "articles")
				if err := os.MkdirAll(articles, 0o755); err != nil {
					t.Fatal(err)
				}
				if os.Geteuid() != 0 {
					if err := os.Chmod(articles, 0o555); err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { os.Chmod(articles, 0o755) })
					return d
				}
				// Root ignores permissions; the immutable attribute holds.
				if out, err := exec.Command("chattr", "+i", articles).CombinedOutput(); err != nil {
					t.Skipf("running as root without chattr +i (%v: %s): the failing store covers this", err, out)
				}
				t.Cleanup(func() { exec.Command("chattr", "-i", articles).Run() })
				return d
			},
			wantText: "articles/",
		},
		{
			name: "store refusing every put",
			store: func(t *testing.T, dir string) storage.Store {
				d, err := storage.NewDisk(dir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				return faultstore.New(d, faultstore.Options{Permanent: true})
			},
			wantText: "read-only file system",
		},
		{
			name: "disk full",
			store: func(t *testing.T, dir string) storage.Store {
				d, err := storage.NewDisk(dir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				return faultstore.New(d, faultstore.Options{FullAfter: 1})
			},
			wantText: "no space left on device",
		},
		{
			name: "S3 403 AccessDenied to every PUT",
			store: func(t *testing.T, dir string) storage.Store {
				srv := s3test.NewServer(t, func(next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if r.Method == http.MethodPut || r.Method == http.MethodPost {
							w.Header().Set("Content-Type", "application/xml")
							w.WriteHeader(http.StatusForbidden)
							fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
							return
						}
						next.ServeHTTP(w, r)
					})
				})
				srv.CreateBucket(t, "gisa-refused")
				return srv.NewStore(t, "gisa-refused", "archive")
			},
			wantText: "gisa-refused/archive/articles/",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fixture.Options{SlowDelay: 200 * time.Millisecond, BigSize: 3 << 20})
			st := tt.store(t, e.dir)
			cfg := e.config()
			cfg.Delay, cfg.Outlets[0].Delay = 0, 0
			sum, err, stats := e.crawlInto(t, cfg, st)
			if !errors.Is(err, storage.ErrPermanent) {
				t.Fatalf("Run error %v, want one wrapping storage.ErrPermanent", err)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Run error %q does not name %q", err, tt.wantText)
			}
			if sum.Stopped != "error" {
				t.Errorf("stopped = %q, want error", sum.Stopped)
			}
			tot := sum.Total()
			if tot.New != 0 || tot.FailedTotal() != 0 {
				t.Errorf("new %d, failed %v: want nothing stored and nothing failed", tot.New, tot.Failed)
			}
			hits := map[string]int{}
			for _, r := range e.site.Requests() {
				hits[r.Path+"?"+r.RawQuery]++
			}
			for p, n := range hits {
				if n > 1 {
					t.Errorf("%s requested %d times although the archive refused writes", p, n)
				}
			}
			if stats.Leased != 0 || stats.Queued == 0 {
				t.Errorf("frontier after the run: %+v, want URLs queued and none leased", stats)
			}
		})
	}
}

// TestCrawlTransientStoreErrors: a store that fails the first saves with a
// transient error (a timeout) and then recovers: the run retries, every
// article is archived once, and Run returns no error.
func TestCrawlTransientStoreErrors(t *testing.T) {
	e := newEnv(t, fixture.Options{SlowDelay: 200 * time.Millisecond, BigSize: 3 << 20})
	d, err := storage.NewDisk(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	fs := faultstore.New(d, faultstore.Options{Transient: 2})
	cfg := e.config()
	cfg.Delay, cfg.Outlets[0].Delay = 0, 0
	var logs bytes.Buffer // JSONHandler serializes its writes
	cfg.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	sum, err, _ := e.crawlInto(t, cfg, fs)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if _, failed := fs.Puts(); failed != 2 {
		t.Errorf("%d puts failed, want the 2 injected", failed)
	}
	counts, _ := archived(t, e.dir)
	for _, u := range norm(t, e.site.Allowed()) {
		if counts[u] != 1 {
			t.Errorf("%s archived %d times, want once", u, counts[u])
		}
	}
	for u, n := range counts {
		if n != 1 {
			t.Errorf("%s archived %d times", u, n)
		}
	}
	tot := sum.Total()
	if tot.Retries < 2 || tot.Failed["store"] != 0 {
		t.Errorf("retries %d, failed %v: want the 2 failed saves retried", tot.Retries, tot.Failed)
	}
	// One HTTP request counts once in the summary, also when its page's
	// save failed and the page was fetched again.
	served := 0
	for _, r := range e.site.Requests() {
		if r.Path != "/robots.txt" {
			served++
		}
	}
	if tot.Requests != served {
		t.Errorf("summary requests = %d, the site served %d (robots.txt aside)", tot.Requests, served)
	}
	// Each retry is logged with its reason, attempt and wait.
	storeRetries := 0
	for line := range strings.Lines(logs.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["msg"] != "retry" {
			continue
		}
		if rec["url"] == nil || rec["reason"] == nil || rec["attempt"] == nil || rec["wait"] == nil || rec["err"] == nil {
			t.Errorf("retry logged without url, reason, attempt, wait and err: %s", line)
		}
		if rec["reason"] == "store" {
			storeRetries++
		}
	}
	if storeRetries != 2 {
		t.Errorf("%d store retries logged, want 2:\n%s", storeRetries, logs.String())
	}
}
