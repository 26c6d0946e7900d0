package crawler_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/cputime"
	"github.com/gisa-news/gisa/internal/gcpolicy"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/warc"
)

// benchSite serves n article pages (the corpus pages in turn, or a
// synthetic page) at /news/{i}, listed in sitemaps of at most 50,000 URLs.
// URL is the site's root; pages are the bodies it serves.
type benchSite struct {
	URL   string
	pages [][]byte
	n     int
}

// benchPages returns the corpus pages, or one synthetic small page when
// tiny (or when the corpus is absent).
func benchPages(tiny bool) [][]byte {
	var pages [][]byte
	if !tiny {
		if entries, err := os.ReadDir(filepath.Join(corpusDir, "html")); err == nil {
			for _, e := range entries {
				b, err := os.ReadFile(filepath.Join(corpusDir, "html", e.Name()))
				if err == nil && strings.HasSuffix(e.Name(), ".html") {
					pages = append(pages, b)
				}
			}
		}
	}
	if len(pages) == 0 {
		pages = [][]byte{[]byte(`<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>벤치 기사 - 예시일보</title>
<meta property="og:type" content="article"></head><body><h1>벤치 기사</h1><p class="date">입력 2024.01.02 03:04</p>
<div class="story"><p>(서울=예시일보) 홍길동 기자 = 첫 문단은 이렇게 시작한다. 기사의 본문이 이어진다.</p>
<p>둘째 문단도 충분히 길게 써서 본문으로 보이게 한다. 문장이 여럿 있다.</p></div></body></html>`)}
	}
	return pages
}

// benchHandler serves the bench site of n pages rooted at *root; with gz,
// the pages go gzip-encoded (compressed once, at gzip's default level) to a
// client that accepts it, as news sites serve them.
func benchHandler(pages [][]byte, n int, root *string, gz bool) http.Handler {
	var zipped [][]byte
	if gz {
		for _, pg := range pages {
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			w.Write(pg)
			w.Close()
			zipped = append(zipped, buf.Bytes())
		}
	}
	mux := http.NewServeMux()
	const per = 50000
	mux.HandleFunc("GET /sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		bw := bufio.NewWriter(w)
		fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for i := 0; i*per < n; i++ {
			fmt.Fprintf(bw, "<sitemap><loc>%s/sitemaps/%d</loc></sitemap>", *root, i)
		}
		fmt.Fprint(bw, "</sitemapindex>")
		bw.Flush()
	})
	mux.HandleFunc("GET /sitemaps/{i}", func(w http.ResponseWriter, r *http.Request) {
		i, _ := strconv.Atoi(r.PathValue("i"))
		w.Header().Set("Content-Type", "application/xml")
		bw := bufio.NewWriter(w)
		fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for j := i * per; j < min((i+1)*per, n); j++ {
			fmt.Fprintf(bw, "<url><loc>%s/news/%d</loc></url>", *root, j)
		}
		fmt.Fprint(bw, "</urlset>")
		bw.Flush()
	})
	mux.HandleFunc("GET /news/{i}", func(w http.ResponseWriter, r *http.Request) {
		i, _ := strconv.Atoi(r.PathValue("i"))
		w.Header().Set("Content-Type", "text/html")
		if gz && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(zipped[i%len(zipped)])
			return
		}
		w.Write(pages[i%len(pages)])
	})
	return mux
}

// newBenchSite serves the bench site from this process.
func newBenchSite(tb testing.TB, n int, tiny bool) *benchSite {
	s := &benchSite{n: n, pages: benchPages(tiny)}
	srv := httptest.NewUnstartedServer(benchHandler(s.pages, n, &s.URL, false))
	s.URL = "http://" + srv.Listener.Addr().String()
	srv.Start()
	tb.Cleanup(srv.Close)
	return s
}

// benchSiteEnv asks the test binary to serve the bench site (see
// TestBenchSiteProcess): "n", then ",tiny" for tiny pages, ",gzip" for
// gzip-encoded ones.
const benchSiteEnv = "GISA_BENCH_SITE"

// newBenchSiteProcess serves the bench site from another process (this
// test binary started again), so that the CPU time this process spends is
// the crawler's alone: the site's own serving does not count.
func newBenchSiteProcess(tb testing.TB, n int, tiny, gz bool) *benchSite {
	spec := strconv.Itoa(n)
	if tiny {
		spec += ",tiny"
	}
	if gz {
		spec += ",gzip"
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchSiteProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), benchSiteEnv+"="+spec)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("starting the bench site process: %v", err)
	}
	tb.Cleanup(func() {
		stdin.Close() // the site process exits when its stdin closes
		cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "bench site: "); ok {
			go io.Copy(io.Discard, stdout) // the rest of its output, until it exits
			return &benchSite{URL: u, n: n, pages: benchPages(tiny)}
		}
	}
	tb.Fatalf("the bench site process did not print its URL (scan: %v)", sc.Err())
	return nil
}

// TestBenchSiteProcess is the bench site's process for
// newBenchSiteProcess; it skips unless started by it. It serves until its
// stdin is closed.
func TestBenchSiteProcess(t *testing.T) {
	spec := os.Getenv(benchSiteEnv)
	if spec == "" {
		t.Skip("the benchmarks' site process: runs only when a benchmark starts it")
	}
	num, gz := strings.CutSuffix(spec, ",gzip")
	num, tiny := strings.CutSuffix(num, ",tiny")
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a page count, optionally followed by ,tiny and ,gzip", benchSiteEnv, spec)
	}
	var root string
	srv := httptest.NewUnstartedServer(benchHandler(benchPages(tiny), n, &root, gz))
	root = "http://" + srv.Listener.Addr().String()
	srv.Start()
	defer srv.Close()
	fmt.Printf("bench site: %s\n", root)
	io.Copy(io.Discard, os.Stdin)
}

// measure runs f after a garbage collection (so that the garbage of what
// ran before is not charged to f) and returns its wall and CPU time.
func measure(tb testing.TB, f func()) (wall, cpu time.Duration) {
	runtime.GC()
	c0, t0 := cputime.Process(tb), time.Now()
	f()
	wall, cpu = time.Since(t0), cputime.Process(tb)-c0
	return wall, cpu
}

// collyAnchor fetches the site's n pages with a bare colly collector of as
// many workers, and runs a goquery Find on each: the floor a Go crawler
// built on colly starts from, with no politeness, parsing or storage.
func collyAnchor(tb testing.TB, site *benchSite, workers int) {
	c := colly.NewCollector(colly.Async(true), colly.AllowURLRevisit())
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: workers}); err != nil {
		tb.Fatal(err)
	}
	var pages, found atomic.Int64
	c.OnResponse(func(r *colly.Response) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(r.Body))
		if err != nil {
			tb.Errorf("goquery %s: %v", r.Request.URL, err)
			return
		}
		found.Add(int64(doc.Find("p").Length()))
		pages.Add(1)
	})
	var fetchErr atomic.Value
	c.OnError(func(_ *colly.Response, err error) { fetchErr.Store(err) })
	for i := range site.n {
		if err := c.Visit(fmt.Sprintf("%s/news/%d", site.URL, i)); err != nil {
			tb.Fatal(err)
		}
	}
	c.Wait()
	if err := fetchErr.Load(); err != nil || pages.Load() != int64(site.n) || found.Load() == 0 {
		tb.Fatalf("colly anchor: %d of %d pages, %d paragraphs, err %v", pages.Load(), site.n, found.Load(), err)
	}
}

func (s *benchSite) profiles(tb testing.TB) (*parser.Profiles, *parser.Profile) {
	host := strings.TrimPrefix(s.URL, "http://")
	yaml := fmt.Sprintf("id: bench\nname: 벤치일보\nhosts: [127.0.0.1]\nsitemaps: [%s/sitemap.xml]\narticle_patterns: ['^http://%s/news/(\\d+)$']\n", s.URL, strings.ReplaceAll(host, ".", `\.`))
	ps, err := parser.DecodeProfiles("bench.yaml", []byte(yaml))
	if err != nil {
		tb.Fatal(err)
	}
	set, err := parser.NewProfiles(ps...)
	if err != nil {
		tb.Fatal(err)
	}
	return set, set.ByID("bench")
}

func benchConfig(p *parser.Profile, workers int) crawler.Config {
	cfg := crawler.DefaultConfig()
	cfg.Contact = "https://example.org/bench"
	cfg.Outlets = []crawler.Outlet{{Profile: p, Delay: 0, Concurrency: workers}}
	cfg.Workers = workers
	cfg.Delay = 0
	cfg.RecheckWindow = 0
	return cfg
}

// discardSink counts articles and keeps nothing.
type discardSink struct{ n atomic.Int64 }

func (d *discardSink) Save(context.Context, *article.Article, *article.Page) (crawler.Saved, error) {
	d.n.Add(1)
	return crawler.SavedNew, nil
}

// BenchmarkCrawl measures fetch+parse+store of the site's pages with
// politeness off, against parsing the same pages in memory with as many
// goroutines, and against a bare colly+goquery crawler of the same pages.
// The site runs in another process, so this process's CPU time is the
// crawler's (or the parser's, or colly's) alone. Metrics:
//
//	x-parse-cpu   crawl CPU / parse-only CPU, per page (the goal: ≤ 1.5);
//	              parse-only runs before and after each crawl, see below
//	x-parse       crawl wall time / parse-only wall time
//	cpu-ms/page   crawl CPU per archived page
//	pages/s       gisa's crawl; colly-pages/s the anchor's
func BenchmarkCrawl(b *testing.B) {
	const n = 400
	defer gcpolicy.Crawl.Set(os.Getenv)() // as gisa crawl runs, parsing alone too
	// The crawler with its default worker count (I/O waits overlap), the
	// baseline with one goroutine per CPU (parsing is CPU-bound).
	workers := crawler.DefaultConfig().Workers
	// full: what gisa crawl does (WARC, then JSON with the catalog);
	// full-gzip: the same from a site that gzips its pages, as news sites
	// do (the WARC keeps them compressed as served, the crawler inflates
	// them to parse); disk: the JSON archive alone; discard: no storage at
	// all.
	for _, store := range []string{"full", "full-gzip", "disk", "discard"} {
		b.Run(store, func(b *testing.B) {
			benchCrawl(b, store, n, workers)
		})
	}
}

// benchCrawl is one mode of BenchmarkCrawl over n pages, the crawler with
// workers workers.
func benchCrawl(b *testing.B, store string, n, workers int) {
	gz := store == "full-gzip"
	site := newBenchSiteProcess(b, n, false, gz)
	set, prof := site.profiles(b)
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		b.Fatal(err)
	}
	parseOnly := func() {
		var wg sync.WaitGroup
		next := atomic.Int64{}
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
					pg := article.Page{URL: fmt.Sprintf("%s/news/%d", site.URL, i), Outlet: "bench", Body: site.pages[int(i)%len(site.pages)], FetchedAt: time.Now()}
					p.Parse(pg)
				}
			}()
		}
		wg.Wait()
	}
	var crawlTime, parseTime, collyTime, crawlCPU, parseCPU, collyCPU time.Duration
	var size int64
	for _, pg := range site.pages {
		size += int64(len(pg))
	}
	b.SetBytes(size * int64(n) / int64(len(site.pages)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// Parsing alone runs right before the crawl and again right after
		// it, and counts their mean: on a shared machine whose speed drifts
		// from one second to the next, both sides of the ratio then see
		// about the same machine.
		wall, cpu := measure(b, parseOnly)
		parseTime, parseCPU = parseTime+wall/2, parseCPU+cpu/2
		wall, cpu = measure(b, func() { collyAnchor(b, site, workers) })
		collyTime, collyCPU = collyTime+wall, collyCPU+cpu
		dir := archiveDir(b)
		front, err := frontier.Open(filepath.Join(dir, ".gisa"), frontier.Options{})
		if err != nil {
			b.Fatal(err)
		}
		var sink crawler.Sink = &discardSink{}
		var disk *storage.Disk
		var closeSink func()
		switch store {
		case "disk":
			if disk, err = storage.NewDisk(dir); err != nil {
				b.Fatal(err)
			}
			sink = sink2(storage.NewArchive(disk))
		case "full", "full-gzip":
			if disk, err = storage.NewDisk(dir); err != nil {
				b.Fatal(err)
			}
			full, closeCat := newFullSink(b, disk, dir)
			sink = full
			closeSink = func() { full.w.Close(context.Background()); closeCat() }
		}
		c, err := crawler.New(benchConfig(prof, workers), p, front, sink, set)
		if err != nil {
			b.Fatal(err)
		}
		var sum *crawler.Summary
		runtime.GC()
		b.StartTimer()
		c0, t0 := cputime.Process(b), time.Now()
		sum, err = c.Run(context.Background())
		if err == nil && closeSink != nil {
			// The open WARC file is stored at Close: part of the crawl.
			closeSink()
			closeSink = nil
		}
		crawlTime, crawlCPU = crawlTime+time.Since(t0), crawlCPU+cputime.Process(b)-c0
		b.StopTimer()
		if err != nil || sum.Total().New != n {
			b.Fatalf("crawl: %v, new %d of %d", err, sum.Total().New, n)
		}
		front.Close()
		if disk != nil {
			disk.Close()
		}
		wall, cpu = measure(b, parseOnly)
		parseTime, parseCPU = parseTime+wall/2, parseCPU+cpu/2
		b.StartTimer()
	}
	pages := float64(n * b.N)
	b.ReportMetric(pages/crawlTime.Seconds(), "pages/s")
	b.ReportMetric(pages/collyTime.Seconds(), "colly-pages/s")
	b.ReportMetric(pages/parseTime.Seconds(), "parse-only-pages/s")
	b.ReportMetric(crawlTime.Seconds()/parseTime.Seconds(), "x-parse")
	b.ReportMetric(crawlCPU.Seconds()*1000/pages, "cpu-ms/page")
	b.ReportMetric(parseCPU.Seconds()*1000/pages, "parse-cpu-ms/page")
	b.ReportMetric(collyCPU.Seconds()*1000/pages, "colly-cpu-ms/page")
	b.ReportMetric(crawlCPU.Seconds()/parseCPU.Seconds(), "x-parse-cpu")
}

// benchArchives holds the archives the benchmarks write (see archiveDir).
var benchArchives struct {
	once sync.Once
	dir  string
	err  error
}

// archiveDir returns a new directory for the archive of one benchmark
// round. Unlike b.TempDir, which is removed as each round ends, it stays
// until the test binary exits (TestMain): on ext4 with no journal, a new
// inode is not taken among those freed in the last minutes, and the
// allocator reads each of them to find that out. Removing a round's
// archive made each file of the next round cost 300-600 µs of system CPU
// instead of 80-100 (a file-creation probe on this machine's ext4); a
// crawl, which only adds files to its archive, never pays that.
func archiveDir(b *testing.B) string {
	benchArchives.once.Do(func() {
		benchArchives.dir, benchArchives.err = os.MkdirTemp("", "gisa-bench-")
	})
	if benchArchives.err != nil {
		b.Fatal(benchArchives.err)
	}
	dir, err := os.MkdirTemp(benchArchives.dir, "archive-")
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// TestMain removes the benchmarks' archives once every test and benchmark
// has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchArchives.dir != "" {
		os.RemoveAll(benchArchives.dir)
	}
	os.Exit(code)
}

// BenchmarkCrawlSink stores the pages of BenchmarkCrawl (parsed before
// the clock starts) as its full mode does — WARC, then the JSON with the
// catalog — from as many goroutines as the crawler has workers, with no
// fetching or parsing: the storage part of the crawl's CPU. cpu-ms/page is
// this process's CPU time per page, which is less noisy here than the
// difference of two whole crawls.
//
//	go test -run '^$' -bench 'CrawlSink$' -benchtime 2x -count 3 ./crawler/
func BenchmarkCrawlSink(b *testing.B) {
	const n = 400
	defer gcpolicy.Crawl.Set(os.Getenv)() // as gisa crawl runs
	site := &benchSite{URL: "http://127.0.0.1:9", n: n, pages: benchPages(false)}
	set, _ := site.profiles(b)
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		b.Fatal(err)
	}
	fetched := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	pages := make([]article.Page, n)
	arts := make([]article.Article, n)
	var size int64
	for i := range pages {
		pages[i] = article.Page{
			URL: fmt.Sprintf("%s/news/%d", site.URL, i), Outlet: "bench", Body: site.pages[i%len(site.pages)],
			FetchedAt: fetched, Status: 200,
			Header:        http.Header{"Content-Type": {"text/html"}, "Date": {fetched.Format(http.TimeFormat)}},
			RequestHeader: http.Header{"User-Agent": {"gisa/0.1 (+https://example.org/bench)"}, "Accept": {"text/html"}},
		}
		if arts[i], err = p.Parse(pages[i]); err != nil {
			b.Fatalf("parse page %d: %v", i, err)
		}
		size += int64(len(pages[i].Body))
	}
	workers := crawler.DefaultConfig().Workers
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := archiveDir(b)
		disk, err := storage.NewDisk(dir)
		if err != nil {
			b.Fatal(err)
		}
		s, closeCat := newFullSink(b, disk, dir)
		runtime.GC()
		b.StartTimer()
		c0 := cputime.Process(b)
		var wg sync.WaitGroup
		var next atomic.Int64
		for range workers {
			wg.Go(func() {
				for j := next.Add(1) - 1; j < n; j = next.Add(1) - 1 {
					a := arts[j]
					if _, err := s.Save(context.Background(), &a, &pages[j]); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if err := s.w.Close(context.Background()); err != nil {
			b.Fatal(err)
		}
		cpu += cputime.Process(b) - c0
		b.StopTimer()
		closeCat()
		disk.Close()
		b.StartTimer()
	}
	b.ReportMetric(cpu.Seconds()*1000/float64(n*b.N), "cpu-ms/page")
}

func sink2(a *storage.Archive) crawler.Sink { return sink{a} }

// newFullSink opens gisa crawl's archive over disk, whose directory is dir:
// the catalog, the JSON archive and a WARC writer. closeCat closes the
// catalog; the caller closes the writer (storing its open file) and disk.
func newFullSink(b *testing.B, disk *storage.Disk, dir string) (s fullSink, closeCat func()) {
	cat, err := storage.OpenCatalog(filepath.Join(dir, storage.CatalogName))
	if err != nil {
		b.Fatal(err)
	}
	w, err := warc.NewWriter(context.Background(), disk, warc.Options{SpoolDir: filepath.Join(dir, ".spool")})
	if err != nil {
		b.Fatal(err)
	}
	return fullSink{storage.NewArchive(disk, storage.WithCatalog(cat)), w}, func() { cat.Close() }
}

// fullSink is gisa crawl's sink: the raw page to WARC, then the JSON.
type fullSink struct {
	a *storage.Archive
	w *warc.Writer
}

func (s fullSink) Save(ctx context.Context, a *article.Article, p *article.Page) (crawler.Saved, error) {
	if _, err := s.w.Write(ctx, p); err != nil {
		return 0, err
	}
	return sink{s.a}.Save(ctx, a, p)
}

// BenchmarkFrontier100k crawls 100,000 small pages listed in two sitemaps,
// with a sink that keeps nothing, and reports the peak resident memory of
// the process (server included): the frontier lives on disk, so memory
// stays flat. Run it alone: go test -run '^$' -bench Frontier100k ./crawler/
func BenchmarkFrontier100k(b *testing.B) {
	n := 100000
	if s := os.Getenv("GISA_BENCH_URLS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	site := newBenchSite(b, n, true)
	set, prof := site.profiles(b)
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		front, err := frontier.Open(filepath.Join(dir, ".gisa"), frontier.Options{})
		if err != nil {
			b.Fatal(err)
		}
		sink := &discardSink{}
		c, err := crawler.New(benchConfig(prof, 8), p, front, sink, set)
		if err != nil {
			b.Fatal(err)
		}
		// RSS when a tenth of the pages are done and at the end: flat
		// when the frontier's size does not show in memory.
		stop := make(chan struct{})
		done := make(chan struct{})
		var rssTenth int64
		go func() {
			defer close(done)
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if rssTenth == 0 && sink.n.Load() >= int64(n/10) {
						rssTenth = rssKB()
					}
				}
			}
		}()
		start := time.Now()
		sum, err := c.Run(context.Background())
		close(stop)
		<-done
		b.ReportMetric(float64(rssTenth)/1024, "RSS-at-10%-MB")
		b.ReportMetric(float64(rssKB())/1024, "RSS-at-end-MB")
		if err != nil || sum.Total().New != n {
			b.Fatalf("crawl: %v, new %d of %d", err, sum.Total().New, n)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "pages/s")
		front.Close()
	}
	b.ReportMetric(float64(hwmKB())/1024, "peak-RSS-MB")
}

// rssKB and hwmKB read the current and peak resident set of the process.
func rssKB() int64 { return procStatus("VmRSS:") }
func hwmKB() int64 { return procStatus("VmHWM:") }

func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field) {
			f := strings.Fields(line)
			if len(f) >= 2 {
				v, _ := strconv.ParseInt(f[1], 10, 64)
				return v
			}
		}
	}
	return 0
}

// TestCrawlReusesConnections: with politeness off and as many requests in
// flight to one host as there are workers, every connection is kept for
// the next request. With the transport's idle pool smaller than the
// workers, each request beyond it closed its connection and the next one
// dialed again (a connect and a server goroutine per page).
func TestCrawlReusesConnections(t *testing.T) {
	const n, workers = 300, 16
	s := &benchSite{n: n, pages: benchPages(true)}
	srv := httptest.NewUnstartedServer(benchHandler(s.pages, n, &s.URL, false))
	var conns atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	s.URL = "http://" + srv.Listener.Addr().String()
	srv.Start()
	t.Cleanup(srv.Close)
	set, prof := s.profiles(t)
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		t.Fatal(err)
	}
	front, err := frontier.Open(filepath.Join(t.TempDir(), ".gisa"), frontier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer front.Close()
	sink := &discardSink{}
	c, err := crawler.New(benchConfig(prof, workers), p, front, sink, set)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if sink.n.Load() != n {
		t.Fatalf("archived %d of %d pages", sink.n.Load(), n)
	}
	// One connection per worker, and one for robots.txt and the sitemaps
	// before the workers start.
	if got := conns.Load(); got > workers+2 {
		t.Errorf("%d connections for %d pages with %d workers: idle connections were closed and dialed again", got, n, workers)
	}
}
