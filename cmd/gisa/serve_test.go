package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/fakeclock"
	"github.com/gisa-news/gisa/internal/fixture"
	"github.com/gisa-news/gisa/internal/gcpolicy"
	"github.com/gisa-news/gisa/serve"
)

// Every rule of the config's serve keys, broken once: the error names the
// line and what was wrong; gisa config check exits 2 listing it.
func TestConfigServeKeysRefused(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, yaml, want string }{
		{"bad default schedule", "contact: x@example.org\n\nschedule: '@sometimes'\n", "line 3: schedule \"@sometimes\""},
		{"six fields", "schedule: '0 0 * * * *'\n", "line 1: schedule \"0 0 * * * *\""},
		{"every too short", "schedule: '@every 5s'\n", "at least 1m"},
		{"bad outlet schedule", "outlets:\n  - id: hani\n  - id: khan\n    schedule: '61 * * * *'\n", "line 4: outlet khan: schedule \"61 * * * *\""},
		{"negative jitter", "jitter: -1m\n", "line 1: jitter -1m0s is negative"},
		{"negative outlet jitter", "outlets:\n  - id: hani\n    jitter: -5s\n", "line 3: outlet hani: jitter"},
		{"unknown serve key", "serve:\n  lisen: 127.0.0.1:9300\n", "line 2: field lisen not found"},
		{"bad listen", "serve:\n  listen: localhost\n", "line 2: serve.listen \"localhost\""},
		{"bad port", "serve:\n  listen: 127.0.0.1:http99\n", "line 2: serve.listen"},
		{"negative grace", "serve:\n  grace: -1s\n", "line 2: serve.grace"},
		{"bad s3 endpoint", "storage:\n  s3_endpoint: minio:9000\n", "line 2: storage.s3_endpoint \"minio:9000\""},
		{"s3 endpoint with password", "storage:\n  s3_endpoint: http://u:secret@minio:9000\n", "no credentials"},
		{"unknown storage key", "storage:\n  bucket: x\n", "line 2: field bucket not found"},
		{"out twice", "out: a\nstorage:\n  out: b\n", "line 3: storage.out and out both set"},
		{"state twice", "state: a\nstorage:\n  state: b\n", "storage.state and state both set"},
		{"min health over 1", "alarms:\n  min_health: 80\n", "line 2: alarms.min_health 80"},
		{"negative runs", "alarms:\n  runs: -1\n", "line 2: alarms.runs -1"},
		{"negative empty runs", "alarms:\n  empty_runs: -2\n", "line 2: alarms.empty_runs -2"},
		{"unknown field", "alarms:\n  fields: [title, byline]\n", "line 2: alarms.fields: \"byline\""},
		{"unknown alarms key", "alarms:\n  treshold: 1\n", "field treshold not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := writeFile(t, dir, "c.yaml", tc.yaml)
			if _, err := loadConfig(conf); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("loadConfig = %v, want an error with %q", err, tc.want)
			}
			code, _, stderr := runCmd(t, "", "config", "check", "--config", conf)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("config check: exit %d, %q", code, stderr)
			}
		})
	}
	good := writeFile(t, dir, "good.yaml", `contact: x@example.org
storage:
  out: `+filepath.Join(dir, "archive")+`
  s3_endpoint: http://127.0.0.1:9000
schedule: '@hourly'
jitter: 5m
serve: {listen: "127.0.0.1:9300", grace: 10s}
alarms: {runs: 4, min_health: 0.7, fields: [title, body, reporters], empty_runs: 2}
outlets:
  - id: hani
  - id: khan
    schedule: '*/20 6-23 * * *'
    jitter: 0s
`)
	cfg, err := loadConfig(good)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Out != filepath.Join(dir, "archive") || cfg.S3Endpoint != "http://127.0.0.1:9000" {
		t.Errorf("storage: out %q, s3 endpoint %q", cfg.Out, cfg.S3Endpoint)
	}
	if a := cfg.alarmConfig(); a.Runs != 4 || a.MinHealth != 0.7 || len(a.Fields) != 3 || a.EmptyRuns != 2 {
		t.Errorf("alarms %+v", a)
	}
	code, stdout, stderr := runCmd(t, "", "config", "check", "--config", good)
	if code != exitOK || !strings.Contains(stdout, "ok: 2 outlets") {
		t.Errorf("config check of a good config: exit %d, %q %q", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "archive")); err == nil {
		t.Error("config check created the archive")
	}
	code, stdout, _ = runCmd(t, "", "sites", "--config", good)
	if code != exitOK || !strings.Contains(stdout, "SCHEDULE") || !strings.Contains(stdout, "@hourly (default)") || !strings.Contains(stdout, "*/20 6-23 * * *") || !strings.Contains(stdout, "built-in") {
		t.Errorf("sites --config: exit %d\n%s", code, stdout)
	}
	// gisa serve refuses an outlet without a schedule.
	noSched := writeFile(t, dir, "nosched.yaml", "outlets:\n  - id: hani\n")
	if code, _, stderr := runCmd(t, "", "config", "check", "--config", noSched); code != exitUsage || !strings.Contains(stderr, "outlet hani: no schedule") {
		t.Errorf("no schedule: exit %d, %q", code, stderr)
	}
}

// syncBuffer is a log that tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// servedProcess is gisa serve run in-process on a fake clock.
type servedProcess struct {
	clock *fakeclock.Clock
	sigs  chan os.Signal
	addr  string
	ended chan serve.Record
	done  chan int
	log   *syncBuffer
}

func startServe(t *testing.T, conf string, clock *fakeclock.Clock) *servedProcess {
	t.Helper()
	p := &servedProcess{clock: clock, sigs: make(chan os.Signal), ended: make(chan serve.Record, 16), done: make(chan int, 1), log: &syncBuffer{}}
	ready := make(chan string, 1)
	go func() {
		p.done <- serveMain(&serveFlags{config: conf, listen: "127.0.0.1:0"}, p.log, serveOptions{
			clock: clock, signals: p.sigs, ready: func(a string) { ready <- a },
			ended: func(r serve.Record) { p.ended <- r },
		})
	}()
	select {
	case p.addr = <-ready:
	case code := <-p.done:
		t.Fatalf("gisa serve exited %d:\n%s", code, p.log.String())
	}
	return p
}

func (p *servedProcess) status(t *testing.T) serve.Status {
	t.Helper()
	resp, err := http.Get("http://" + p.addr + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st serve.Status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// gisa serve end to end against the fixture site, on a fake clock: a
// scheduled run archives the site, /metrics and /status report it, a
// gisa crawl beside it is refused, SIGHUP with a bad config keeps the old
// one and with a good one applies it, SIGTERM mid-run stops it, and the
// restarted server completes the archive: nothing lost, nothing doubled.
func TestServeEndToEnd(t *testing.T) {
	site := fixture.New(fixture.Options{SlowDelay: 20 * time.Millisecond, BigSize: 3 << 20})
	defer site.Close()
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive")
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	config := func(sched string) string {
		return `contact: https://example.org/gisa-test
storage:
  out: ` + archive + `
profiles: [fixture.yaml]
fetch_timeout: 500ms
retry_base: 20ms
max_attempts: 3
schedule: '` + sched + `'
serve: {grace: 0s}
outlets:
  - id: fixture
    delay: 0s
    concurrency: 4
`
	}
	conf := writeFile(t, dir, "gisa.yaml", config("@hourly"))
	clock := fakeclock.New(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	p := startServe(t, conf, clock)

	clock.BlockUntil(1)
	clock.Advance(time.Hour)
	rec := <-p.ended
	if rec.Error != "" || rec.New == 0 || rec.Extraction.Checked != rec.New {
		t.Fatalf("first run: %+v", rec)
	}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		if pct := debug.SetGCPercent(gcpolicy.Crawl.Percent); pct != gcpolicy.Crawl.Percent {
			t.Errorf("gisa serve runs the collector at GOGC=%d, want gisa crawl's %d", pct, gcpolicy.Crawl.Percent)
		}
	}
	st := p.status(t)
	if len(st.Outlets) != 1 || st.Outlets[0].Last == nil || st.Outlets[0].Last.New != rec.New || st.Outlets[0].Schedule != "@hourly" {
		t.Errorf("/status: %+v", st)
	}
	resp, err := http.Get("http://" + p.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gisa_fetches_total", "gisa_articles_total", "gisa_run_duration_seconds", "gisa_runs_total", "gisa_new_records_missing_ratio", "gisa_alarm", "go_goroutines"} {
		if fams[name] == nil {
			t.Errorf("/metrics lacks %s", name)
		}
	}

	// The archive is serve's while it runs.
	if code, _, stderr := runCmd(t, "", "crawl", "--config", conf); code != exitFailure || !strings.Contains(stderr, "in use") || !strings.Contains(stderr, "gisa serve") {
		t.Errorf("gisa crawl beside gisa serve: exit %d, %q", code, stderr)
	}

	// SIGHUP with a bad config: rejected, the old one kept. The second
	// signal is taken once the first reload is done.
	writeFile(t, dir, "gisa.yaml", config("@sometimes"))
	p.sigs <- syscall.SIGHUP
	p.sigs <- syscall.SIGHUP
	if !strings.Contains(p.log.String(), "config reload rejected") || !strings.Contains(p.log.String(), "@sometimes") {
		t.Errorf("bad reload not logged:\n%s", p.log.String())
	}
	if s := p.status(t).Outlets[0].Schedule; s != "@hourly" {
		t.Errorf("after a bad reload the schedule is %q", s)
	}
	// SIGHUP with a good config: applied.
	writeFile(t, dir, "gisa.yaml", config("@every 30m"))
	made := clock.Made()
	p.sigs <- syscall.SIGHUP
	clock.BlockUntilMade(made + 1) // the scheduler took the new jobs
	if s := p.status(t).Outlets[0].Schedule; s != "@every 30m" {
		t.Errorf("after a good reload the schedule is %q", s)
	}

	// A new version of the site; SIGTERM as its run starts.
	v1 := norm(t, site.Allowed())
	site.SetVersion(2)
	clock.Advance(30 * time.Minute)
	p.sigs <- syscall.SIGTERM
	if code := <-p.done; code != exitOK {
		t.Fatalf("after SIGTERM: exit %d\n%s", code, p.log.String())
	}
	select { // SIGTERM may have come before the run started
	case rec := <-p.ended:
		t.Logf("run stopped by SIGTERM: %s, %d new, %d updated", rec.Stopped, rec.New, rec.Updated)
	default:
		t.Log("SIGTERM came before the run started")
	}

	// Restarted: the history is kept, and the next run (the slot missed
	// while down, or the next one) completes the archive.
	p = startServe(t, conf, clock)
	if st := p.status(t); len(st.Outlets[0].Runs) == 0 {
		t.Error("no history after restart")
	}
	clock.BlockUntil(1)
	clock.Advance(30 * time.Minute)
	if rec := <-p.ended; rec.Error != "" || rec.Stopped != "done" {
		t.Errorf("run after restart: %+v", rec)
	}
	p.sigs <- syscall.SIGTERM
	<-p.done
	// Every article of either version once; nothing else. (The slow and
	// the big page are within this config's timeout and size cap.)
	counts, _ := archivedURLs(t, archive)
	want := map[string]bool{}
	for _, u := range append(v1, norm(t, append(site.Allowed(), site.Slow(), site.Oversized()))...) {
		want[u] = true
	}
	for u := range want {
		if counts[u] != 1 {
			t.Errorf("%s archived %d times, want once", u, counts[u])
		}
	}
	for u, n := range counts {
		if !want[u] {
			t.Errorf("archived %s (%d times), not an article of the site", u, n)
		}
	}
}

// archivedURLs counts the article records of a disk archive by normalized
// URL.
func archivedURLs(t *testing.T, archive string) (map[string]int, int) {
	t.Helper()
	counts := map[string]int{}
	files := 0
	err := filepath.WalkDir(filepath.Join(archive, "articles"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var a article.Article
		if err := json.Unmarshal(b, &a); err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		n, _ := frontier.Normalize(a.URL)
		counts[n]++
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return counts, files
}

func norm(t *testing.T, urls []string) []string {
	t.Helper()
	out := make([]string, len(urls))
	for i, u := range urls {
		n, err := frontier.Normalize(u)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = n
	}
	return out
}

// A simulated day of hourly runs of gisa serve against the fixture site,
// on a fake clock (the month is simulated without crawling in the schedule
// package): exactly one run per slot, and goroutines and heap flat from the
// third run to the last.
func TestServeSimulatedDay(t *testing.T) {
	if testing.Short() {
		t.Skip("24 crawls")
	}
	site := fixture.New(fixture.Options{SlowDelay: 20 * time.Millisecond, BigSize: 1 << 20, Articles: 4})
	defer site.Close()
	dir := t.TempDir()
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	conf := writeFile(t, dir, "gisa.yaml", `contact: https://example.org/gisa-test
out: `+filepath.Join(dir, "archive")+`
profiles: [fixture.yaml]
fetch_timeout: 500ms
retry_base: 20ms
max_attempts: 2
schedule: '@hourly'
outlets:
  - id: fixture
    delay: 0s
    concurrency: 4
`)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	clock := fakeclock.New(start)
	p := startServe(t, conf, clock)
	var goroutines [2]int
	var heap [2]uint64
	measure := func(i int) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		goroutines[i], heap[i] = runtime.NumGoroutine(), ms.HeapAlloc
	}
	const slots = 24
	for i := 1; i <= slots; i++ {
		clock.BlockUntil(1)
		clock.Advance(time.Hour)
		rec := <-p.ended
		if want := start.Add(time.Duration(i) * time.Hour); !rec.Slot.Equal(want) || rec.Error != "" {
			t.Fatalf("run %d: slot %v (want %v), error %q", i, rec.Slot, want, rec.Error)
		}
		if i == 3 {
			measure(0)
		}
	}
	measure(1)
	p.sigs <- syscall.SIGTERM
	<-p.done
	select {
	case rec := <-p.ended:
		t.Errorf("an extra run: %+v", rec)
	default:
	}
	t.Logf("run 3: %d goroutines, heap %d KB; run %d: %d goroutines, heap %d KB", goroutines[0], heap[0]>>10, slots, goroutines[1], heap[1]>>10)
	if goroutines[1] > goroutines[0]+2 {
		t.Errorf("goroutines grew from %d to %d", goroutines[0], goroutines[1])
	}
	if heap[1] > heap[0]+4<<20 {
		t.Errorf("heap grew from %d to %d bytes", heap[0], heap[1])
	}
}

// TestServeNaverQueries: a config's naver_queries run as a job of their
// own on the default schedule, searching with the credentials from the
// environment; the results are archived at their outlet, and no outlet's
// own sources are crawled by that job. Without a default schedule the
// config is refused, naming naver_queries.
func TestServeNaverQueries(t *testing.T) {
	site := fixture.New(fixture.Options{})
	defer site.Close()
	t.Setenv("NAVER_CLIENT_ID", site.NaverID)
	t.Setenv("NAVER_CLIENT_SECRET", site.NaverSecret)
	t.Setenv("GISA_NAVER_ENDPOINT", site.NaverEndpoint())
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive")
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	base := `contact: https://example.org/gisa-test
storage:
  out: ` + archive + `
profiles: [fixture.yaml]
delay: 0s
serve: {grace: 0s}
naver_queries: ['` + fixture.OutletName + `']
`
	noSched := writeFile(t, dir, "nosched.yaml", base)
	if code, _, stderr := runCmd(t, "", "config", "check", "--config", noSched); code != exitUsage || !strings.Contains(stderr, "naver_queries: no default schedule") {
		t.Errorf("naver_queries without a schedule: exit %d, %q", code, stderr)
	}
	conf := writeFile(t, dir, "gisa.yaml", base+"schedule: '@hourly'\n")
	clock := fakeclock.New(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	p := startServe(t, conf, clock)
	clock.BlockUntil(1)
	clock.Advance(time.Hour)
	rec := <-p.ended
	if rec.Outlet != naverJob || rec.Error != "" || rec.New == 0 {
		t.Fatalf("the search run: %+v\n%s", rec, p.log.String())
	}
	searched, feeds := 0, 0
	for _, r := range site.Requests() {
		switch {
		case strings.HasPrefix(r.Path, "/v1/search/news"):
			searched++
		case strings.Contains(r.Path, "rss") || strings.Contains(r.Path, "sitemap"):
			feeds++
		}
	}
	if searched == 0 || feeds != 0 {
		t.Errorf("%d search requests (want some), %d feed or sitemap requests (want none)", searched, feeds)
	}
	if got := len(archivedArticles(t, archive)); got != rec.New {
		t.Errorf("%d articles archived, the run reports %d new", got, rec.New)
	}
	if st := p.status(t); len(st.Outlets) != 1 || st.Outlets[0].ID != naverJob {
		t.Errorf("/status outlets: %+v", st.Outlets)
	}
	p.sigs <- syscall.SIGTERM
	if code := <-p.done; code != exitOK {
		t.Errorf("after SIGTERM: exit %d\n%s", code, p.log.String())
	}
}

// TestServeGCPolicy: gisa serve runs the collector as gisa crawl does, with
// a memory limit that grows with the pages its outlets' runs can hold at
// once (each the fewer of the workers and its concurrency), never under
// gisa crawl's.
func TestServeGCPolicy(t *testing.T) {
	dir := t.TempDir()
	outlets := func(n, conc int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "  - id: site%d\n    hosts: [site%d.example]\n    feeds: [https://site%d.example/rss]\n    article_pattern: '^https://site%d\\.example/a/\\d+$'\n", i, i, i, i)
			if conc > 0 {
				fmt.Fprintf(&b, "    concurrency: %d\n", conc)
			}
		}
		return b.String()
	}
	for _, tc := range []struct {
		name    string
		workers string
		outlets string
		want    int64
	}{
		{"one outlet", "", outlets(1, 0), gcpolicy.Crawl.Limit},
		{"forty outlets at concurrency 2", "", outlets(40, 0), 40 * 2 * gcpolicy.CrawlPerWorker},
		{"ten outlets at concurrency 8", "", outlets(10, 8), 10 * 8 * gcpolicy.CrawlPerWorker},
		{"ten outlets, 4 workers each", "workers: 4\n", outlets(10, 8), 10 * 4 * gcpolicy.CrawlPerWorker},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := writeFile(t, dir, "gisa.yaml", "contact: https://example.org/gisa-test\nstorage:\n  out: "+filepath.Join(dir, "archive")+"\nschedule: '@hourly'\n"+tc.workers+"outlets:\n"+tc.outlets)
			pl, err := loadPlan(conf, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			got := pl.gc()
			if got.Percent != gcpolicy.Crawl.Percent || got.Limit != tc.want {
				t.Errorf("gc() = %+v, want GOGC %d and a limit of %d MiB", got, gcpolicy.Crawl.Percent, tc.want>>20)
			}
		})
	}
}
