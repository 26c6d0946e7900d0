package frontier

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchStore opens a store whose Lease, Done and Retry commit with mode:
// "group" (the default), "batch" (bolt.DB.Batch) or "update" (one
// transaction per call).
func benchStore(b *testing.B, noSync bool, mode string) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "frontier.db"), Options{NoSync: noSync})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	switch mode {
	case "batch":
		s.write = s.db.Batch
	case "update":
		s.write = s.db.Update
	}
	return s
}

func syncName(noSync bool) string {
	if noSync {
		return "nosync"
	}
	return "sync"
}

// benchItems returns n article items spread over hosts, with dates so that
// the queue keys are not in insertion order.
func benchItems(n, hosts int) []Item {
	items := make([]Item, n)
	for i := range items {
		items[i] = Item{
			URL:       fmt.Sprintf("https://news%d.example.co.kr/article/%03d/%010d?sid=10%d", i%hosts, i%200, i*7919%1000003, i%6),
			Kind:      KindArticle,
			Outlet:    "outlet" + strconv.Itoa(i%hosts),
			Priority:  i % 3,
			Published: t0.Add(-time.Duration(i*31%86400) * time.Second),
		}
	}
	return items
}

// BenchmarkAdd adds 100k URLs in calls of 1000 to a new store per op.
func BenchmarkAdd(b *testing.B) {
	const total, per = 100_000, 1000
	items := benchItems(total, 20)
	for _, noSync := range []bool{false, true} {
		b.Run(syncName(noSync), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				s := benchStore(b, noSync, "group")
				b.StartTimer()
				for i := 0; i < total; i += per {
					if n, err := s.Add(items[i : i+per]...); err != nil || n != per {
						b.Fatalf("added %d, %v", n, err)
					}
				}
			}
			b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "items/s")
		})
	}
}

// BenchmarkLeaseDone is one Lease of one item and its Done with a record per
// op, from one goroutine (serial) or 16 (parallel), with each commit mode.
func BenchmarkLeaseDone(b *testing.B) {
	for _, noSync := range []bool{false, true} {
		for _, mode := range []string{"group", "batch", "update"} {
			for _, par := range []int{1, 16} {
				name := fmt.Sprintf("%s/%s/goroutines=%d", syncName(noSync), mode, par)
				b.Run(name, func(b *testing.B) { benchLeaseDone(b, noSync, mode, par) })
			}
		}
	}
}

func benchLeaseDone(b *testing.B, noSync bool, mode string, par int) {
	s := benchStore(b, noSync, mode)
	const host = "news.example.co.kr"
	// Enough items for b.N ops; added with NoSync-like cost outside the timer.
	n := b.N + par
	for i := 0; i < n; i += 1000 {
		batch := make([]Item, 0, 1000)
		for j := i; j < min(i+1000, n); j++ {
			batch = append(batch, Item{URL: fmt.Sprintf("https://%s/article/%d", host, j), Kind: KindArticle, Published: t0.Add(time.Duration(j) * time.Second)})
		}
		if _, err := s.Add(batch...); err != nil {
			b.Fatal(err)
		}
	}
	rec := &Record{Status: 200, ETag: `"abc"`, ContentHash: "0123456789abcdef", LastFetched: t0}
	op := func() error {
		items, _, err := s.Lease(host, t0, 1)
		if err != nil {
			return err
		}
		if len(items) != 1 {
			return fmt.Errorf("leased %d", len(items))
		}
		return s.Done(items[0], rec)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if par == 1 {
		for i := 0; i < b.N; i++ {
			if err := op(); err != nil {
				b.Fatal(err)
			}
		}
	} else {
		var left atomic.Int64
		left.Store(int64(b.N))
		var wg sync.WaitGroup
		var failed atomic.Pointer[error]
		for range par {
			wg.Go(func() {
				for left.Add(-1) >= 0 {
					if err := op(); err != nil {
						failed.Store(&err)
						return
					}
				}
			})
		}
		wg.Wait()
		if err := failed.Load(); err != nil {
			b.Fatal(*err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "leasedone/s")
	reportGroup(b, s)
}

// BenchmarkCycle100k adds 100k URLs over 20 hosts, leases them all and
// reports each Done from 8 workers, then reports the Go heap in use (all of
// it, and the growth over the heap holding the 100k input items before the
// first cycle: what the open store keeps), the process's resident set now
// and at its peak (it includes the mapped file) and the file size.
func BenchmarkCycle100k(b *testing.B) {
	const total, hosts, workers = 100_000, 20, 8
	items := benchItems(total, hosts)
	for _, noSync := range []bool{false, true} {
		b.Run(syncName(noSync), func(b *testing.B) {
			b.ReportAllocs()
			var path string
			var last *Store
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base) // the test binary and items
			for b.Loop() {
				b.StopTimer()
				s := benchStore(b, noSync, "group")
				path, last = s.path, s
				b.StartTimer()
				for i := 0; i < total; i += 1000 {
					if _, err := s.Add(items[i : i+1000]...); err != nil {
						b.Fatal(err)
					}
				}
				work := make(chan Item, 256)
				var wg sync.WaitGroup
				var failed atomic.Pointer[error]
				for range workers {
					wg.Go(func() {
						for it := range work {
							rec := &Record{Status: 200, ContentHash: it.URL[len(it.URL)-8:], LastFetched: time.Now()}
							if err := s.Done(it, rec); err != nil {
								failed.Store(&err)
							}
						}
					})
				}
				hs, err := s.Hosts()
				if err != nil {
					b.Fatal(err)
				}
				for leased := 0; leased < total; {
					for _, h := range hs {
						got, _, err := s.Lease(h, t0, 100)
						if err != nil {
							b.Fatal(err)
						}
						leased += len(got)
						for _, it := range got {
							work <- it
						}
					}
				}
				close(work)
				wg.Wait()
				if err := failed.Load(); err != nil {
					b.Fatal(*err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "urls/s")
			reportGroup(b, last)
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
			b.ReportMetric((float64(ms.HeapInuse)-float64(base.HeapInuse))/(1<<20), "store-heap-MB")
			rss, hwm := procMemory()
			b.ReportMetric(rss, "rss-MB")
			b.ReportMetric(hwm, "peak-rss-MB")
			if fi, err := os.Stat(path); err == nil {
				b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
			}
		})
	}
}

// procMemory returns VmRSS and VmHWM in MiB, or zeros where /proc is missing.
func procMemory() (rss, hwm float64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 64)
		if err != nil {
			continue
		}
		switch name {
		case "VmRSS":
			rss = kb / 1024
		case "VmHWM":
			hwm = kb / 1024
		}
	}
	return rss, hwm
}

// BenchmarkNormalize measures Normalize on a typical portal article URL.
func BenchmarkNormalize(b *testing.B) {
	const u = "https://n.news.naver.com/mnews/article/001/0014123456?sid=100&utm_source=naver&ntype=RANKING"
	b.ReportAllocs()
	b.SetBytes(int64(len(u)))
	for b.Loop() {
		if _, err := Normalize(u); err != nil {
			b.Fatal(err)
		}
	}
}

// reportGroup reports how many calls the group commit put in one transaction.
func reportGroup(b *testing.B, s *Store) {
	if c := s.group.commits.Load(); c > 0 { // zero in the batch and update modes
		b.ReportMetric(float64(s.group.calls.Load())/float64(c), "calls/commit")
	}
}

// BenchmarkLeaseDeep leases 10 items from a host with 1k or 100k queued
// items (and a tenth as many delayed ones that are not ready) and releases
// them, so the queue stays the same: the cost of Lease must not grow with
// the queue beyond the B+tree's depth.
func BenchmarkLeaseDeep(b *testing.B) {
	for _, size := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("queued=%d", size), func(b *testing.B) {
			s := benchStore(b, true, "group")
			const host = "news.example.co.kr"
			for i := 0; i < size+size/10; i += 1000 {
				batch := make([]Item, 0, 1000)
				for j := i; j < min(i+1000, size+size/10); j++ {
					it := Item{URL: fmt.Sprintf("https://%s/article/%d", host, j), Kind: KindArticle, Priority: j % 4,
						Published: t0.Add(-time.Duration(j*7919%100000) * time.Second)}
					if j >= size {
						it.NotBefore = t0.Add(time.Duration(j) * time.Second)
					}
					batch = append(batch, it)
				}
				if _, err := s.Add(batch...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				items, wait, err := s.Lease(host, t0, 10)
				if err != nil || len(items) != 10 || wait.IsZero() {
					b.Fatalf("leased %d, wait %v, %v", len(items), wait, err)
				}
				if err := s.Release(items...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
