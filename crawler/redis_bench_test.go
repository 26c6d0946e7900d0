package crawler_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/redistest"
	"github.com/gisa-news/gisa/parser"
)

// BenchmarkRedisWorkers crawls the bench site (politeness off) with 1, 2
// and 4 workers sharing one Redis frontier and the shared gates, each
// worker a Crawler of its own (its own connection, scheduler and fetch
// goroutines: a gisa process, minus the process). It reports pages/s,
// the speed-up over one worker measured in the same run, and Redis
// commands per article (INFO commandstats before and after).
func BenchmarkRedisWorkers(b *testing.B) {
	const n = 2000
	site := newBenchSite(b, n, true)
	set, prof := site.profiles(b)
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		b.Fatal(err)
	}
	srv := redistest.Start(b, redistest.Options{})
	var base float64
	// The embedded frontier, one process, for comparison.
	b.Run("bbolt", func(b *testing.B) {
		var elapsed time.Duration
		for range b.N {
			b.StopTimer()
			f, err := frontier.Open(filepath.Join(b.TempDir(), ".gisa"), frontier.Options{})
			if err != nil {
				b.Fatal(err)
			}
			sink := &discardSink{}
			c, err := crawler.New(benchConfig(prof, 8), p, f, sink, set)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start := time.Now()
			if _, err := c.Run(context.Background()); err != nil {
				b.Fatal(err)
			}
			elapsed += time.Since(start)
			b.StopTimer()
			f.Close()
			if sink.n.Load() != n {
				b.Fatalf("%d articles saved, want %d", sink.n.Load(), n)
			}
		}
		b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "pages/s")
	})
	for _, workers := range []int{1, 2, 4} {
		b.Run(strconv.Itoa(workers)+"-workers", func(b *testing.B) {
			var elapsed time.Duration
			var calls int64
			trips := &tripCounter{}
			for range b.N {
				b.StopTimer()
				if _, err := srv.Do("FLUSHALL"); err != nil {
					b.Fatal(err)
				}
				before := redisCalls(b, srv)
				var wg sync.WaitGroup
				sinks := make([]*discardSink, workers)
				cs := make([]*crawler.Crawler, workers)
				for w := range workers {
					rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
					rdb.AddHook(trips)
					f, err := frontier.OpenRedis(context.Background(), rdb, frontier.RedisOptions{})
					if err != nil {
						b.Fatal(err)
					}
					defer f.Close()
					cfg := benchConfig(prof, 8)
					cfg.Gates = func(h string, d time.Duration, c int) crawler.Gate { return f.Gate(h, d, 8*workers) }
					sinks[w] = &discardSink{}
					if cs[w], err = crawler.New(cfg, p, f, sinks[w], set); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				start := time.Now()
				for _, c := range cs {
					wg.Go(func() {
						if _, err := c.Run(context.Background()); err != nil {
							b.Error(err)
						}
					})
				}
				wg.Wait()
				elapsed += time.Since(start)
				b.StopTimer()
				var got int64
				for _, s := range sinks {
					got += s.n.Load()
				}
				if got != n {
					b.Fatalf("%d articles saved by %d workers, want %d", got, workers, n)
				}
				calls += redisCalls(b, srv) - before
			}
			rate := float64(n*b.N) / elapsed.Seconds()
			if workers == 1 {
				base = rate
			}
			b.ReportMetric(rate, "pages/s")
			if base > 0 {
				b.ReportMetric(rate/base, "x-1-worker")
			}
			b.ReportMetric(float64(calls)/float64(n*b.N), "redis-cmds/article")
			b.ReportMetric(float64(trips.n.Load())/float64(n*b.N), "round-trips/article")
		})
	}
}

// tripCounter counts the round trips of a client: one per command or
// pipeline sent.
type tripCounter struct{ n atomic.Int64 }

func (t *tripCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (t *tripCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		t.n.Add(1)
		return next(ctx, cmd)
	}
}

func (t *tripCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		t.n.Add(1)
		return next(ctx, cmds)
	}
}

// redisCalls sums the calls of every command in INFO commandstats: the
// commands a script runs count too.
func redisCalls(tb testing.TB, srv *redistest.Server) int64 {
	info, err := srv.Info("commandstats")
	if err != nil {
		tb.Fatal(err)
	}
	var total int64
	for k, v := range info {
		if !strings.HasPrefix(k, "cmdstat_") || k == "cmdstat_info" || k == "cmdstat_flushall" {
			continue
		}
		for _, f := range strings.Split(v, ",") {
			if c, ok := strings.CutPrefix(f, "calls="); ok {
				n, _ := strconv.ParseInt(c, 10, 64)
				total += n
			}
		}
	}
	return total
}
