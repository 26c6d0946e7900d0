package frontier

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/gisa-news/gisa/internal/redistest"
)

// BenchmarkRedisMemory fills a Redis frontier with n queued article URLs
// over 100 hosts (URLs of a Korean news site's length), then fetches 1 in
// 10 of them (lease and Done with a record), and reports Redis's memory
// per queued URL and per fetched URL (INFO memory used_memory, before and
// after), and this process's heap after a GC at the end, which is the
// worker's share: the frontier lives in Redis, so it stays flat however
// many URLs are queued. Run with -benchtime 1x; n is in the name.
func BenchmarkRedisMemory(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				srv := redistest.Start(b, redistest.Options{})
				s := openRedisTest(b, srv, RedisOptions{})
				used := func() float64 {
					m, err := srv.Info("memory")
					if err != nil {
						b.Fatal(err)
					}
					v, _ := strconv.ParseFloat(m["used_memory"], 64)
					return v
				}
				heap := func() float64 {
					runtime.GC()
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					return float64(ms.HeapInuse)
				}
				start := used()
				heap0 := heap()
				const chunk = 1000
				items := make([]Item, 0, chunk)
				pub := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
				for i := range n {
					items = append(items, Item{
						URL:       fmt.Sprintf("https://www.news%02d.example.co.kr/news/articleView.html?idxno=%d", i%100, 1_000_000+i),
						Kind:      KindArticle,
						Outlet:    fmt.Sprintf("news%02d", i%100),
						Priority:  3,
						Published: pub.Add(time.Duration(i) * time.Second),
					})
					if len(items) == chunk {
						if _, err := s.Add(items...); err != nil {
							b.Fatal(err)
						}
						items = items[:0]
					}
				}
				queued := used()
				b.ReportMetric((queued-start)/float64(n), "redis-B/queued-URL")
				fetched := n / 10
				for h := 0; fetched > 0; h = (h + 1) % 100 {
					got, _, err := s.Lease(fmt.Sprintf("www.news%02d.example.co.kr", h), pub, 100)
					if err != nil {
						b.Fatal(err)
					}
					for _, it := range got {
						err := s.Done(it, &Record{Status: 200, ETag: `"5f1c-61a2b3c4d5e6f"`, LastModified: "Sat, 01 Mar 2025 09:00:00 GMT",
							ContentHash: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
							ArticleID:   "news00-" + strconv.Itoa(h), Published: it.Published, LastFetched: pub})
						if err != nil {
							b.Fatal(err)
						}
						fetched--
					}
				}
				// A fetched URL leaves the queue and gains a record.
				b.ReportMetric((used()-queued)/float64(n/10)+(queued-start)/float64(n), "redis-B/fetched-URL")
				b.ReportMetric(heap()/(1<<20), "worker-heap-MB")
				b.ReportMetric((heap()-heap0)/(1<<20), "worker-heap-growth-MB")
				srv.Stop()
			}
		})
	}
}
