package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/internal/fixture"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/serve"
	"github.com/gisa-news/gisa/storage"
)

// ansi matches the terminal control sequences mpb writes.
var ansi = regexp.MustCompile("\x1b\\[[0-9;?]*[A-Za-z]")

// lastFrame is the last drawing of the view in out (mpb draws a frame at
// each refresh), its control sequences removed.
func lastFrame(out string) []string {
	lines := strings.Split(strings.TrimRight(ansi.ReplaceAllString(out, ""), "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "outlet ") {
			return lines[i:]
		}
	}
	return lines
}

// On a terminal the crawl view draws a header, one line per outlet and a
// total, names padded by display width (Hangul takes two columns), the
// numbers right-aligned under their column names.
func TestCrawlViewDraws(t *testing.T) {
	var out bytes.Buffer
	refresh := make(chan any)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	now := t0
	v := crawlView{newLiveView(viewOptions{
		cols:    crawlCols,
		outlets: []*parser.Profile{{ID: "hani", Name: "한겨레"}, {ID: "yna", Name: "연합뉴스"}},
		out:     &out, width: 200, refresh: refresh,
		now: func() time.Time { return now },
	})}
	for range 1234 {
		v.Fetched("hani", 200, 100)
	}
	v.Fetched("hani", 304, 0)
	v.Discovered("hani", 2000)
	v.Stored("hani", crawler.SavedNew)
	v.Stored("hani", crawler.SavedUpdated)
	v.Stored("hani", crawler.SavedUnchanged)
	v.Failed("hani", "http 404")
	v.Discovered("yna", 7)
	v.Fetched("other", 200, 1) // an outlet found by a search: a line of its own
	now = t0.Add(10 * time.Second)
	refresh <- true
	v.done()
	v.Fetched("late", 200, 1) // counted after the end: no line, no hang

	lines := lastFrame(out.String())
	if len(lines) != 5 {
		t.Fatalf("want header, 3 outlets and total, got %d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	want := []struct {
		start string
		nums  []string
	}{
		{"outlet", strings.Fields("discovered fetched new updated errors pages/s")},
		{"hani 한겨레", []string{"2000", "1234", "1", "1", "1", "123.5"}},
		{"yna 연합뉴스", []string{"7", "0", "0", "0", "0", "0.0"}},
		{"other", []string{"0", "1", "0", "0", "0", "0.1"}},
		{"total", []string{"2007", "1235", "1", "1", "1", "123.6"}},
	}
	width := runewidth.StringWidth(lines[0])
	for i, w := range want {
		line := lines[i]
		if !strings.HasPrefix(line, w.start) {
			t.Errorf("line %d = %q, want it to start with %q", i, line, w.start)
			continue
		}
		if got := strings.Fields(strings.TrimPrefix(line, w.start)); fmt.Sprint(got) != fmt.Sprint(w.nums) {
			t.Errorf("line %d (%s) = %v, want %v", i, w.start, got, w.nums)
		}
		// Same display width on every line: names padded, numbers
		// right-aligned under their column names.
		if got := runewidth.StringWidth(line); got != width {
			t.Errorf("line %d is %d columns wide, the header %d:\n%s\n%s", i, got, width, lines[0], line)
		}
	}
}

// On a terminal of few rows the header and the total stay: the busiest
// outlets get lines, in their order, and one line sums the rest; which
// outlets are drawn follows the counts.
func TestCrawlViewFewRows(t *testing.T) {
	for _, tc := range []struct {
		fBusy bool
		want  string
	}{
		{false, "[outlet discovered a 10 c 30 e 20 (3 more) total 63]"},
		{true, "[outlet discovered c 30 e 20 f 100 (3 more) total 163]"},
	} {
		var out bytes.Buffer
		refresh := make(chan any)
		var ps []*parser.Profile
		for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
			ps = append(ps, &parser.Profile{ID: id})
		}
		// 7 rows: the header, 3 outlets, the rest, the total and the
		// cursor's line.
		v := crawlView{newLiveView(viewOptions{cols: crawlCols, outlets: ps, out: &out, width: 200, rows: 7, refresh: refresh})}
		v.Discovered("c", 30)
		v.Discovered("e", 20)
		v.Discovered("a", 10)
		v.Discovered("b", 1)
		v.Discovered("d", 2)
		refresh <- true
		if tc.fBusy {
			v.Discovered("f", 100)
			refresh <- true
		}
		v.done()
		var names []string
		for _, l := range lastFrame(out.String()) {
			f := strings.Fields(l)
			names = append(names, strings.Join(f[:min(2, len(f))], " "))
		}
		if got := fmt.Sprint(names); got != tc.want {
			t.Errorf("f busy %v: frame %s, want %s", tc.fBusy, got, tc.want)
		}
	}
}

// Without a terminal the view logs a line per outlet at each tick, for
// the outlets whose counts moved, and nothing when it is done. (The tick
// channel is never sent on: its goroutine stays idle.)
func TestCrawlViewLogs(t *testing.T) {
	var logs bytes.Buffer
	tick := make(chan time.Time)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	now := t0
	v := crawlView{newLiveView(viewOptions{
		cols:    crawlCols,
		outlets: []*parser.Profile{{ID: "hani", Name: "한겨레"}, {ID: "yna"}},
		log:     slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{ReplaceAttr: dropTime})),
		tick:    tick,
		now:     func() time.Time { return now },
	})}
	v.Discovered("hani", 30)
	for range 20 {
		v.Fetched("hani", 200, 100)
	}
	v.Stored("hani", crawler.SavedNew)
	v.Failed("hani", "too large")
	now = t0.Add(10 * time.Second)
	// What a tick does (TestReparseViewCounts ticks), here called in step
	// with the counting.
	v.logLines()
	v.logLines() // nothing moved: no line
	v.Discovered("yna", 3)
	v.logLines()
	v.Fetched("yna", 200, 1)
	v.done()

	want := "level=INFO msg=progress outlet=hani discovered=30 fetched=20 new=1 updated=0 errors=1 pages_per_s=2\n" +
		"level=INFO msg=progress outlet=yna discovered=3 fetched=0 new=0 updated=0 errors=0 pages_per_s=0\n"
	if got := logs.String(); got != want {
		t.Errorf("logged\n%s\nwant\n%s", got, want)
	}
}

func dropTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// The crawl view's counts of a crawl of the fixture site are the run
// summary's, outlet by outlet.
func TestCrawlViewCountsAsSummary(t *testing.T) {
	site := fixture.New(fixture.Options{SlowDelay: 300 * time.Millisecond, BigSize: 17 << 20})
	defer site.Close()
	dir := t.TempDir()
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	conf := writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: `+filepath.Join(dir, "archive")+`
profiles: [`+filepath.Join(dir, "fixture.yaml")+`]
fetch_timeout: 200ms
retry_base: 10ms
max_attempts: 2
outlets:
  - id: fixture
    delay: 0s
    concurrency: 4
`)
	cfg, err := loadConfig(conf)
	if err != nil {
		t.Fatal(err)
	}
	set, err := loadProfiles(cfg.Profiles)
	if err != nil {
		t.Fatal(err)
	}
	outlets, set, err := resolveOutlets(&cfg, nil, set)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	env, err := openCrawlEnv(ctx, &cfg, "", "gisa crawl", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close(ctx)
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		t.Fatal(err)
	}
	tick := make(chan time.Time)
	v := crawlView{newLiveView(viewOptions{cols: crawlCols, tick: tick})}
	cc := crawlerConfig(&cfg, outlets, nil, nil)
	cc.Observer = v
	c, err := env.crawler(cc, p, set)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(ctx)
	v.done()
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Outlets) == 0 {
		t.Fatal("the crawl counted no outlet")
	}
	tot := sum.Total()
	if tot.Discovered == 0 || tot.Fetched == 0 || tot.New == 0 || tot.FailedTotal() == 0 {
		t.Errorf("the fixture's crawl should discover, fetch, store and fail: %+v", tot)
	}
	for id, c := range sum.Outlets {
		got := v.tally(id, "").counts()
		want := []int64{int64(c.Discovered), int64(c.Fetched), int64(c.New), int64(c.Updated), int64(c.FailedTotal())}
		if fmt.Sprint(got[:len(crawlCols)]) != fmt.Sprint(want) {
			t.Errorf("%s: view counted %v (%v), summary %v", id, got[:len(crawlCols)], crawlCols, want)
		}
		if pages := got[len(crawlCols)]; pages < int64(c.Fetched+c.NotModified) || pages > int64(c.Requests) {
			t.Errorf("%s: view's rate is of %d pages, want the answers: %d to %d", id, pages, c.Fetched+c.NotModified, c.Requests)
		}
	}
}

// The reparse view counts, per outlet, what gisa reparse's table reports,
// and logs it.
func TestReparseViewCounts(t *testing.T) {
	site := fixture.New(fixture.Options{SlowDelay: 300 * time.Millisecond, BigSize: 17 << 20})
	defer site.Close()
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive")
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	conf := writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: `+archive+`
profiles: [`+filepath.Join(dir, "fixture.yaml")+`]
fetch_timeout: 200ms
retry_base: 10ms
max_attempts: 2
outlets:
  - id: fixture
    delay: 0s
    concurrency: 4
`)
	if code, out, errs := runCmd(t, "", "crawl", "--config", conf, "--log-level", "error"); code != exitOK {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
	}
	// One record spoiled by hand: reparse replaces it.
	var spoiled bool
	filepath.WalkDir(filepath.Join(archive, "articles"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || spoiled {
			return nil
		}
		b, _ := os.ReadFile(p)
		var a map[string]any
		if json.Unmarshal(b, &a) == nil {
			a["title"] = "옛 파서의 제목"
			b, _ = json.Marshal(a)
			spoiled = os.WriteFile(p, b, 0o644) == nil
		}
		return nil
	})
	if !spoiled {
		t.Fatal("no article to spoil")
	}

	cfg, err := loadConfig(conf)
	if err != nil {
		t.Fatal(err)
	}
	set, err := loadProfiles(cfg.Profiles)
	if err != nil {
		t.Fatal(err)
	}
	if _, set, err = resolveOutlets(&cfg, nil, set); err != nil {
		t.Fatal(err)
	}
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	h, err := openArchive(ctx, cfg.Out, cfg.State, "", archiveMode{command: "gisa reparse", write: true, reindex: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var logs bytes.Buffer
	tick := make(chan time.Time)
	v := reparseView{newLiveView(viewOptions{
		cols: reparseCols, tick: tick,
		log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{ReplaceAttr: dropTime})),
	}), set}
	var stderr bytes.Buffer
	res, err := reparse(ctx, h, p, reparseRange{}, v, nil, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	tick <- time.Now()
	v.done()

	got := v.sum()
	changed := res.outcomes[storage.Reparsed] + res.outcomes[storage.Created] + res.outcomes[storage.Updated]
	if changed != 1 {
		t.Errorf("reparse changed %d records, want the one spoiled", changed)
	}
	if int(got[reparseRead]) != res.counts.records || int(got[reparseErrors]) != res.counts.failed ||
		int(got[reparseChanged]) != changed || int(got[reparseUnchanged]) != res.outcomes[storage.Unchanged] {
		t.Errorf("view counted %v (%v), reparse: %+v %v", got, reparseCols, res.counts, res.outcomes)
	}
	if int(got[reparseParsed]) < changed+res.outcomes[storage.Unchanged] || got[reparseParsed] > got[reparseRead] {
		t.Errorf("view counted %d parsed of %d read, %d stored", got[reparseParsed], got[reparseRead], changed+res.outcomes[storage.Unchanged])
	}
	want := fmt.Sprintf("level=INFO msg=progress outlet=fixture read=%d parsed=%d changed=1 unchanged=%d errors=%d ",
		got[reparseRead], got[reparseParsed], got[reparseUnchanged], got[reparseErrors])
	if !strings.HasPrefix(logs.String(), want) || strings.Count(logs.String(), "\n") != 1 {
		t.Errorf("logged\n%s\nwant one line starting\n%s", logs.String(), want)
	}
}

// BenchmarkCrawlViewObserve measures what the view costs the crawl: the
// events of one page (discovered, fetched, stored) from as many goroutines
// as there are CPUs, against the same events fed to serve's Prometheus
// observer in the same run (x-prometheus: view time / Prometheus time).
func BenchmarkCrawlViewObserve(b *testing.B) {
	outlets := []string{"hani", "yna", "chosun", "khan"}
	page := func(o crawler.Observer, i int) {
		id := outlets[i%len(outlets)]
		o.Discovered(id, 1)
		o.Fetched(id, 200, 1000)
		o.Stored(id, crawler.SavedNew)
	}
	timed := func(o crawler.Observer) time.Duration {
		g := runtime.GOMAXPROCS(0)
		var wg sync.WaitGroup
		start := time.Now()
		for w := range g {
			wg.Go(func() {
				for i := w; i < b.N; i += g {
					page(o, i)
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	m, err := serve.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	prom := m.Run("hani", time.Now())
	v := crawlView{newLiveView(viewOptions{cols: crawlCols, tick: make(chan time.Time)})}
	defer v.done()
	b.ReportAllocs()
	b.ResetTimer()
	viewTime := timed(v)
	b.StopTimer()
	promTime := timed(prom)
	b.ReportMetric(float64(viewTime.Nanoseconds())/float64(b.N), "view-ns/page")
	b.ReportMetric(float64(promTime.Nanoseconds())/float64(b.N), "prometheus-ns/page")
	b.ReportMetric(viewTime.Seconds()/promTime.Seconds(), "x-prometheus")
}
