package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/redis/go-redis/v9"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/fakeclock"
	"github.com/gisa-news/gisa/internal/fixture"
	"github.com/gisa-news/gisa/internal/redistest"
	"github.com/gisa-news/gisa/serve"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/s3test"
)

// outcome is what one gisa serve did with one slot: a run, or a skip.
type outcome struct {
	worker int
	rec    *serve.Record
	skip   string // a serve.Skip reason
}

// fleetMember is one gisa serve of a fleet test, in process, on its own
// fake clock and in its own working directory (its local catalog, spool,
// lock and history).
type fleetMember struct {
	*servedProcess
	outcomes chan outcome
}

// serveFleet is a fleet test's shared parts: one Redis state, one S3
// archive, the fixture site, and the config every worker reads.
type serveFleet struct {
	rs   *redistest.Server
	s3   *s3test.Server
	site *fixture.Site
	dir  string
	conf string
}

func newServeFleet(t *testing.T, site fixture.Options, redis redistest.Options, stateQuery string) *serveFleet {
	t.Helper()
	f := &serveFleet{rs: redistest.Start(t, redis), s3: s3test.NewServer(t, nil), site: fixture.New(site), dir: t.TempDir()}
	t.Cleanup(f.site.Close)
	f.s3.CreateBucket(t, "news")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "GISATESTKEY")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "gisa-test-secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(f.dir, "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(f.dir, "none"))
	writeFile(t, f.dir, "fixture.yaml", f.site.ProfileYAML("fixture"))
	f.conf = writeFile(t, f.dir, "gisa.yaml", `contact: https://example.org/gisa-test
storage:
  out: s3://news/archive
  state: `+f.rs.URL()+stateQuery+`
  s3_endpoint: `+f.s3.URL+`
profiles: [`+filepath.Join(f.dir, "fixture.yaml")+`]
fetch_timeout: 3s
retry_base: 20ms
max_attempts: 3
schedule: '@hourly'
serve: {grace: 0s}
outlets:
  - id: fixture
    delay: 0s
    concurrency: 4
`)
	return f
}

// start starts worker i of the fleet in its own directory. Its paths are
// resolved at start, so the next worker may start from another directory.
func (f *serveFleet) start(t *testing.T, i int, clock *fakeclock.Clock, lockTTL time.Duration) *fleetMember {
	t.Helper()
	wd := filepath.Join(f.dir, fmt.Sprintf("w%d", i))
	if err := os.MkdirAll(wd, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(wd)
	m := &fleetMember{
		servedProcess: &servedProcess{clock: clock, sigs: make(chan os.Signal), done: make(chan int, 1), log: &syncBuffer{}},
		outcomes:      make(chan outcome, 64),
	}
	ready := make(chan string, 1)
	go func() {
		m.done <- serveMain(&serveFlags{config: f.conf, listen: "127.0.0.1:0"}, m.log, serveOptions{
			clock: clock, signals: m.sigs, ready: func(a string) { ready <- a },
			ended:   func(r serve.Record) { m.outcomes <- outcome{worker: i, rec: &r} },
			skipped: func(_, reason string) { m.outcomes <- outcome{worker: i, skip: reason} },
			lockTTL: lockTTL,
		})
	}()
	select {
	case m.addr = <-ready:
	case code := <-m.done:
		t.Fatalf("worker %d: gisa serve exited %d:\n%s", i, code, m.log.String())
	}
	t.Cleanup(func() {
		select {
		case m.sigs <- syscall.SIGTERM:
			<-m.done
		case <-m.done:
		}
	})
	return m
}

// next is the worker's outcome of the slot it was last moved to.
func (m *fleetMember) next(t *testing.T, i int) outcome {
	t.Helper()
	select {
	case o := <-m.outcomes:
		return o
	case code := <-m.done:
		t.Fatalf("worker %d exited %d:\n%s", i, code, m.log.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("worker %d: no run nor skip in 30s:\n%s", i, m.log.String())
	}
	return outcome{}
}

// skippedMetric reads gisa_runs_skipped_total of a worker by reason.
func (m *fleetMember) skippedMetric(t *testing.T) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + m.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	if fam := fams["gisa_runs_skipped_total"]; fam != nil {
		for _, mt := range fam.GetMetric() {
			for _, l := range mt.GetLabel() {
				if l.GetName() == "reason" {
					out[l.GetValue()] += mt.GetCounter().GetValue()
				}
			}
		}
	}
	return out
}

// archived counts the archive's article records by normalized URL.
func (f *serveFleet) archived(t *testing.T) map[string]int {
	t.Helper()
	st := f.s3.NewStore(t, "news", "archive")
	counts := map[string]int{}
	err := st.List(t.Context(), "articles/", func(i storage.Info) error {
		b, err := st.Get(t.Context(), i.Key)
		if err != nil {
			return err
		}
		var a article.Article
		if err := json.Unmarshal(b, &a); err != nil {
			t.Errorf("%s: %v", i.Key, err)
			return nil
		}
		n, _ := frontier.Normalize(a.URL)
		counts[n]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

// TestServeFleetDay: three gisa serve over one Redis state and one S3
// archive, on clocks that differ by seconds (one 2s ahead, one 3s
// behind), through a simulated day of hourly slots of the fixture site.
// The slots come to the three at once, or one after the other with each
// waiting for the one before to finish (a late clock firing after the
// first worker ran the slot and unlocked), with the first to fire
// rotating. Every slot is run exactly once across the fleet, counted from
// the site's requests for its feed (each run reads it once), and the
// archive holds every article once.
func TestServeFleetDay(t *testing.T) {
	if testing.Short() {
		t.Skip("24 crawls")
	}
	f := newServeFleet(t, fixture.Options{SlowDelay: 20 * time.Millisecond, BigSize: 1 << 20, Articles: 4}, redistest.Options{}, "?lease_ttl=2s")
	start := time.Date(2026, 3, 1, 0, 0, 30, 0, time.UTC) // true time; the first slot is 01:00
	skew := []time.Duration{0, 2 * time.Second, -3 * time.Second}
	var ws []*fleetMember
	for i, d := range skew {
		ws = append(ws, f.start(t, i, fakeclock.New(start.Add(d)), 0))
	}
	const slots = 24
	ran := make([]int, len(ws))
	reasons := map[string]int{}
	now := start // true time
	for n := 1; n <= slots; n++ {
		slot := start.Truncate(time.Hour).Add(time.Duration(n) * time.Hour)
		feed := f.site.Hits("/rss.xml")
		// Each worker's clock reaches the slot at true time slot-skew:
		// move each to 5s past the slot, the first to fire rotating,
		// one after the other (each waiting for the one before to be
		// done with the slot) or, every fourth slot, all at once.
		first := n % len(ws)
		order := []int{first, (first + 1) % len(ws), (first + 2) % len(ws)}
		together := n%4 == 0
		var outs []outcome
		for _, i := range order {
			c := ws[i].clock
			c.BlockUntil(1)
			c.Advance(slot.Add(5 * time.Second).Add(skew[i]).Sub(c.Now()))
			if !together {
				outs = append(outs, ws[i].next(t, i))
			}
		}
		if together {
			for _, i := range order {
				outs = append(outs, ws[i].next(t, i))
			}
		}
		now = slot.Add(5 * time.Second)
		runs := 0
		for _, o := range outs {
			switch {
			case o.rec != nil:
				runs++
				ran[o.worker]++
				if !o.rec.Slot.Equal(slot) || o.rec.Error != "" {
					t.Errorf("slot %s: worker %d ran slot %v, error %q", slot.Format("15:04"), o.worker, o.rec.Slot, o.rec.Error)
				}
			default:
				reasons[o.skip]++
				if o.skip != serve.SkipHeldElsewhere && o.skip != serve.SkipAlreadyRun {
					t.Errorf("slot %s: worker %d skipped it as %s", slot.Format("15:04"), o.worker, o.skip)
				}
			}
		}
		if got := f.site.Hits("/rss.xml") - feed; got != 1 || runs != 1 {
			t.Errorf("slot %s: the site saw %d runs (feed requests), the workers report %d; want 1", slot.Format("15:04"), got, runs)
		}
	}
	t.Logf("simulated %s; runs per worker %v; skips %v", now.Sub(start).Round(time.Hour), ran, reasons)
	for i, n := range ran {
		if n == 0 {
			t.Errorf("worker %d never ran: the slots were not shared", i)
		}
	}
	var metric float64
	for _, w := range ws {
		for _, v := range w.skippedMetric(t) {
			metric += v
		}
	}
	if want := float64(slots * (len(ws) - 1)); metric != want {
		t.Errorf("gisa_runs_skipped_total over the fleet: %v, want %v", metric, want)
	}
	counts := f.archived(t)
	for _, u := range norm(t, append(f.site.Allowed(), f.site.Slow(), f.site.Oversized())) {
		if counts[u] != 1 {
			t.Errorf("%s archived %d times, want once", u, counts[u])
		}
		delete(counts, u)
	}
	for u, n := range counts {
		t.Errorf("archived %s (%d times), not an article of the site", u, n)
	}
}

// moveTo moves a worker's clock to when, and returns what it did with the
// slot that came due.
func (m *fleetMember) moveTo(t *testing.T, i int, when time.Time) outcome {
	t.Helper()
	m.clock.BlockUntil(1)
	m.clock.Advance(when.Sub(m.clock.Now()))
	return m.next(t, i)
}

// TestServeFleetWorkerLost: a worker that dies holding an outlet's run
// lock (taken here and never renewed, as by a killed gisa serve) makes the
// slot it claimed skipped by the others as held_elsewhere, naming it,
// and the next slot, once the lock expired, runs on a live worker. A
// worker whose lock is lost mid-run (expired while it was cut off, and
// free for others) has its run cancelled at its next renewal, logged by
// outlet; the slot it claimed is not run again, and the next slot runs
// elsewhere and completes the archive.
func TestServeFleetWorkerLost(t *testing.T) {
	// The slow article holds a run for 0.8s: long enough to lose
	// its lock mid-run.
	f := newServeFleet(t, fixture.Options{SlowDelay: 800 * time.Millisecond, BigSize: 1 << 20, Articles: 3}, redistest.Options{}, "?lease_ttl=1s")
	start := time.Date(2026, 3, 1, 0, 0, 30, 0, time.UTC)
	const ttl = 600 * time.Millisecond // renewed every 200ms, on the real clock
	a := f.start(t, 0, fakeclock.New(start), ttl)
	b := f.start(t, 1, fakeclock.New(start), ttl)
	slot := func(h int) time.Time { return start.Truncate(time.Hour).Add(time.Duration(h) * time.Hour) }
	feed := func() int { return f.site.Hits("/rss.xml") }

	// A worker took the 01:00 slot and died.
	dead := openRedisTest(t, f.rs, "dead-host-7")
	l, ok, err := dead.TryLock(t.Context(), "run:fixture", ttl)
	if err != nil || !ok {
		t.Fatalf("TryLock: %v %v", ok, err)
	}
	if ok, _, err := l.ClaimSlot(t.Context(), "fixture", slot(1)); err != nil || !ok {
		t.Fatalf("ClaimSlot: %v %v", ok, err)
	}
	for i, w := range []*fleetMember{a, b} {
		if o := w.moveTo(t, i, slot(1).Add(5*time.Second)); o.skip != serve.SkipHeldElsewhere {
			t.Errorf("01:00 on worker %d while a dead worker holds the lock: %+v", i, o)
		}
		if !strings.Contains(w.log.String(), "holder=dead-host-7") {
			t.Errorf("worker %d does not name the holder:\n%s", i, w.log.String())
		}
	}
	if n := feed(); n != 0 {
		t.Errorf("01:00: %d runs on the site, want none", n)
	}
	waitFor(t, "the dead worker's lock to expire", func() bool {
		h, err := dead.Holder(t.Context(), "run:fixture")
		return err == nil && h == ""
	})

	// 02:00 runs on a; its lock is lost while it waits for the slow
	// article. b, firing for 02:00 then, finds the slot run.
	a.clock.BlockUntil(1)
	a.clock.Advance(slot(2).Add(5 * time.Second).Sub(a.clock.Now()))
	waitFor(t, "worker 0 to fetch the slow article", func() bool { return f.site.Hits(strings.TrimPrefix(f.site.Slow(), f.site.URL)) > 0 })
	if _, err := f.rs.Do("DEL", "gisa:lock:run:fixture"); err != nil {
		t.Fatal(err)
	}
	o := a.next(t, 0)
	if o.rec == nil || !strings.Contains(o.rec.Error, "run lock lost") || o.rec.Stopped != "interrupted" {
		t.Fatalf("02:00 on worker 0, its lock lost: %+v", o)
	}
	if !strings.Contains(a.log.String(), `msg="run lock lost`) || !strings.Contains(a.log.String(), "site=fixture") {
		t.Errorf("the loss is not logged by outlet:\n%s", a.log.String())
	}
	if o := b.moveTo(t, 1, slot(2).Add(5*time.Second)); o.skip != serve.SkipAlreadyRun {
		t.Errorf("02:00 on worker 1 after worker 0 claimed it: %+v", o)
	}
	if n := feed(); n != 1 {
		t.Errorf("02:00: %d runs on the site, want 1", n)
	}

	// 03:00 comes to b first: it runs and completes the archive.
	if o := b.moveTo(t, 1, slot(3).Add(5*time.Second)); o.rec == nil || o.rec.Error != "" || o.rec.Stopped != "done" {
		t.Fatalf("03:00 on worker 1: %+v\n%s", o, b.log.String())
	}
	if o := a.moveTo(t, 0, slot(3).Add(5*time.Second)); o.skip != serve.SkipAlreadyRun {
		t.Errorf("03:00 on worker 0 after worker 1 ran it: %+v", o)
	}
	if n := feed(); n != 2 {
		t.Errorf("after 03:00: %d runs on the site, want 2", n)
	}
	counts := f.archived(t)
	for _, u := range norm(t, append(f.site.Allowed(), f.site.Slow(), f.site.Oversized())) {
		if counts[u] != 1 {
			t.Errorf("%s archived %d times, want once", u, counts[u])
		}
	}
}

// TestServeFleetRedisDown: a bad Redis URL and an unreachable Redis at
// start are named errors; a second worker in a worker's directory is
// refused; Redis unreachable when a slot is due skips the
// slot with a warning, counted as lock_error, and nothing is fetched (a
// run is never unlocked); with Redis back, the next slot runs.
func TestServeFleetRedisDown(t *testing.T) {
	f := newServeFleet(t, fixture.Options{SlowDelay: 20 * time.Millisecond, BigSize: 1 << 10, Articles: 3}, redistest.Options{Persist: true}, "?max_outage=300ms")
	t.Chdir(t.TempDir()) // a refused worker may leave its local state
	for _, tc := range []struct{ state, want string }{
		{"redis://127.0.0.1:notaport/0", "not a redis URL"},
		{"redis://127.0.0.1:" + strconv.Itoa(closedPort(t)) + "/0?max_outage=200ms", "unreachable for 200ms"},
	} {
		conf := writeFile(t, f.dir, "bad.yaml", strings.Replace(string(readFileT(t, f.conf)), f.rs.URL()+"?max_outage=300ms", tc.state, 1))
		code, _, stderr := runCmd(t, "", "serve", "--config", conf, "--listen", "127.0.0.1:0")
		if code != exitFailure || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "panic") {
			t.Errorf("%s: exit %d, %q; want %d naming %q", tc.state, code, stderr, exitFailure, tc.want)
		}
	}

	start := time.Date(2026, 3, 1, 0, 0, 30, 0, time.UTC)
	w := f.start(t, 0, fakeclock.New(start), 0)
	// Another worker is welcome on another machine or in another
	// directory (the other tests), not in this one: it would share this
	// worker's local catalog, WARC spool and run history.
	if code, _, stderr := runCmd(t, "", "serve", "--config", f.conf, "--listen", "127.0.0.1:0"); code != exitFailure || !strings.Contains(stderr, "in use") {
		t.Errorf("a second gisa serve in the same directory: exit %d, %q", code, stderr)
	}
	f.rs.Stop()
	if o := w.moveTo(t, 0, start.Truncate(time.Hour).Add(time.Hour+5*time.Second)); o.skip != serve.SkipLockError {
		t.Errorf("01:00 with Redis down: %+v", o)
	}
	if n := len(f.site.Requests()); n != 0 {
		t.Errorf("%d requests to the site with Redis down: a run went on unlocked", n)
	}
	if !strings.Contains(w.log.String(), "level=WARN") || !strings.Contains(w.log.String(), "never run unlocked") {
		t.Errorf("the skip is not a warning:\n%s", w.log.String())
	}
	f.rs.Resume()
	if o := w.moveTo(t, 0, start.Truncate(time.Hour).Add(2*time.Hour+5*time.Second)); o.rec == nil || o.rec.Error != "" {
		t.Errorf("02:00 with Redis back: %+v\n%s", o, w.log.String())
	}
	if m := w.skippedMetric(t); m[serve.SkipLockError] != 1 || len(m) != 1 {
		t.Errorf("gisa_runs_skipped_total by reason: %v, want lock_error 1", m)
	}
}

// openRedisTest opens the fleet's Redis state as a worker called worker.
func openRedisTest(t *testing.T, srv *redistest.Server, worker string) *frontier.Redis {
	t.Helper()
	f, err := frontier.OpenRedis(t.Context(), redis.NewClient(&redis.Options{Addr: srv.Addr}), frontier.RedisOptions{Worker: worker})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// waitFor polls cond every 10ms for up to 20s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		<-tick.C
	}
}

// closedPort is a local port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}
