//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/serve"
)

// rssEnv turns BenchmarkCrawlRSS on: it builds the binary and crawls
// thousands of pages, too long for a plain go test -bench.
const rssEnv = "GISA_BENCH_RSS"

// rssSite serves n article pages at /news/{i} (the shared corpus's pages in
// turn, else one synthetic page), listed in a sitemap index of sitemaps of
// 50,000 URLs each, and no robots.txt.
func rssSite(tb testing.TB, n int) *httptest.Server {
	var pages [][]byte
	const corpus = "../../../shared/corpus/ko/html"
	if entries, err := os.ReadDir(corpus); err == nil {
		for _, e := range entries {
			if b, err := os.ReadFile(filepath.Join(corpus, e.Name())); err == nil && strings.HasSuffix(e.Name(), ".html") {
				pages = append(pages, b)
			}
		}
	}
	if len(pages) == 0 {
		pages = [][]byte{[]byte(`<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>벤치 기사 - 예시일보</title>
<meta property="og:type" content="article"></head><body><h1>벤치 기사</h1><p class="date">입력 2024.01.02 03:04</p>
<div class="story"><p>(서울=예시일보) 홍길동 기자 = 첫 문단은 이렇게 시작한다. 기사의 본문이 이어진다.</p>
<p>둘째 문단도 충분히 길게 써서 본문으로 보이게 한다. 문장이 여럿 있다.</p></div></body></html>`)}
	}
	var root string
	const per = 50000
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		bw := bufio.NewWriter(w)
		fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for i := 0; i*per < n; i++ {
			fmt.Fprintf(bw, "<sitemap><loc>%s/sitemaps/%d.xml</loc></sitemap>", root, i)
		}
		fmt.Fprint(bw, "</sitemapindex>")
		bw.Flush()
	})
	mux.HandleFunc("GET /sitemaps/{i}", func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("i"), ".xml"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		bw := bufio.NewWriter(w)
		fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for j := i * per; j < min((i+1)*per, n); j++ {
			fmt.Fprintf(bw, "<url><loc>%s/news/%d</loc></url>", root, j)
		}
		fmt.Fprint(bw, "</urlset>")
		bw.Flush()
	})
	mux.HandleFunc("GET /news/{i}", func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(r.PathValue("i"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(pages[i%len(pages)])
	})
	srv := httptest.NewUnstartedServer(mux)
	root = "http://" + srv.Listener.Addr().String()
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv
}

// BenchmarkCrawlRSS runs the real gisa crawl (WARC on, disk archive,
// politeness off) as a child process and reports its peak resident set
// (getrusage's ru_maxrss of the child) for the two goals of issue 15:
//
//	serve        gisa serve's first run of the 10,000 pages (see serveRSS)
//	pages-10k    a crawl of 10,000 article pages          (goal < 150 MB)
//	frontier-1M  a sitemap of 10^6 URLs, 2,000 fetched    (goal < 300 MB)
//
// Beside it, pages/s and cpu-ms/page: the child's CPU time (user and
// system, from the same rusage) per archived article.
//
// It needs GISA_BENCH_RSS=1 (it takes minutes):
//
//	GISA_BENCH_RSS=1 go test -run '^$' -bench CrawlRSS -benchtime 1x ./cmd/gisa/
//
// GISA_BENCH_RSS_PAGES and GISA_BENCH_RSS_URLS change the sizes;
// GISA_BENCH_RSS_BIN names a gisa binary to run instead of building one.
func BenchmarkCrawlRSS(b *testing.B) {
	if os.Getenv(rssEnv) == "" {
		b.Skip("set " + rssEnv + "=1 to build gisa and measure the peak RSS of large crawls")
	}
	size := func(env string, def int) int {
		if s := os.Getenv(env); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				b.Fatalf("%s=%q: want a positive count", env, s)
			}
			return n
		}
		return def
	}
	pages, urls := size("GISA_BENCH_RSS_PAGES", 10000), size("GISA_BENCH_RSS_URLS", 1000000)
	bin := os.Getenv("GISA_BENCH_RSS_BIN") // a gisa built beforehand (to profile it)
	if bin == "" {
		bin = filepath.Join(b.TempDir(), "gisa")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			b.Fatalf("go build: %v\n%s", err, out)
		}
	}
	b.Run("serve", func(b *testing.B) {
		for range b.N {
			site := rssSite(b, pages)
			rss, cpu, rec := serveRSS(b, bin, site.URL)
			if rec.Error != "" || rec.New < pages {
				b.Fatalf("the run archived %d articles of %d: %+v", rec.New, pages, rec)
			}
			b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
			b.ReportMetric(float64(rec.New)/rec.Finished.Sub(rec.Started).Seconds(), "pages/s")
			b.ReportMetric(cpu.Seconds()*1000/float64(rec.New), "cpu-ms/page")
		}
	})
	for _, tc := range []struct {
		name      string
		urls, max int
	}{
		{"pages-10k", pages, 0},
		{"frontier-1M", urls, 2000},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				site := rssSite(b, tc.urls)
				rss, cpu, sum, wall := crawlRSS(b, bin, site.URL, tc.max)
				want := tc.urls
				if tc.max > 0 {
					want = tc.max
				}
				if got := sum.Total().New; got < want {
					b.Fatalf("archived %d articles, want %d", got, want)
				}
				b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
				b.ReportMetric(float64(sum.Total().New)/wall.Seconds(), "pages/s")
				b.ReportMetric(cpu.Seconds()*1000/float64(sum.Total().New), "cpu-ms/page")
			}
		})
	}
}

// rssConfig writes the config of the benchmark's crawls into dir: the site
// at url as the one outlet, politeness off, the archive in dir, and the
// lines of extra; it returns the file's path.
func rssConfig(b *testing.B, dir, url, extra string) string {
	host := strings.TrimPrefix(url, "http://")
	conf := filepath.Join(dir, "gisa.yaml")
	yaml := `contact: https://example.org/gisa-bench
out: ` + filepath.Join(dir, "archive") + `
recheck_window: 0s
` + extra + `outlets:
  - id: bench
    sitemaps: [` + url + `/sitemap.xml]
    article_pattern: '^http://` + strings.ReplaceAll(host, ".", `\.`) + `/news/(?P<id>\d+)$'
    delay: 0s
    concurrency: 8
`
	if err := os.WriteFile(conf, []byte(yaml), 0o644); err != nil {
		b.Fatal(err)
	}
	return conf
}

// serveRSS runs bin serve with the site at url as its one outlet, on a
// schedule of every minute, until its first run has ended, then stops it
// (SIGTERM) and returns the child's peak RSS in bytes, its CPU time (user
// and system: the minute it waits for its slot too, which costs next to
// nothing) and the run's record.
func serveRSS(b *testing.B, bin, url string) (int64, time.Duration, serve.Record) {
	dir := b.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	conf := rssConfig(b, dir, url, "schedule: '@every 1m'\njitter: 0s\nserve: {grace: 0s}\n")
	cmd := exec.Command(bin, "serve", "--config", conf, "--listen", addr, "--log-level", "warn")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	// A serve that exits before its first run ends fails the benchmark at
	// once, with its error output, rather than after the deadline.
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var rec *serve.Record
	for deadline := time.Now().Add(5 * time.Minute); rec == nil; {
		select {
		case err := <-exited:
			b.Fatalf("gisa serve exited before its first run ended: %v\n%s", err, stderr.String())
		case <-time.After(250 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited
			b.Fatalf("no run ended within 5 minutes\n%s", stderr.String())
		}
		resp, err := http.Get("http://" + addr + "/status")
		if err != nil {
			continue // not listening yet
		}
		var st serve.Status
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err == nil && len(st.Outlets) == 1 && st.Outlets[0].Last != nil {
			rec = st.Outlets[0].Last
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := <-exited; err != nil {
		b.Fatalf("gisa serve: %v\n%s", err, stderr.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Skip("no rusage for the child on this system")
	}
	return ru.Maxrss * 1024, time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), *rec
}

// crawlRSS runs bin crawl against the site at url into a new directory and
// returns the child's peak RSS in bytes, its CPU time (user and system),
// its summary and its wall time.
func crawlRSS(b *testing.B, bin, url string, maxArticles int) (int64, time.Duration, *crawler.Summary, time.Duration) {
	dir := b.TempDir()
	conf := rssConfig(b, dir, url, "")
	args := []string{"crawl", "--config", conf, "--json", "--log-level", "warn"}
	if maxArticles > 0 {
		args = append(args, "--max-articles", strconv.Itoa(maxArticles))
	}
	cmd := exec.Command(bin, args...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("gisa crawl: %v\n%s", err, stderr.String())
	}
	wall := time.Since(start)
	sum := new(crawler.Summary)
	if err := json.Unmarshal([]byte(stdout.String()), sum); err != nil {
		b.Fatalf("summary: %v\n%s", err, stdout.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Skip("no rusage for the child on this system")
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return ru.Maxrss * 1024, cpu, sum, wall // Linux reports ru_maxrss in KiB
}
