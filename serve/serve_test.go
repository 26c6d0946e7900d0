package serve_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/schedule"
	"github.com/gisa-news/gisa/serve"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

type fixedJobs []schedule.Status

func (j fixedJobs) Jobs() []schedule.Status { return j }

// setup is a server with three outlets: "healthy" with good runs, "broken"
// whose last runs fetched nothing, "changed" whose last runs lost their
// bodies and published times.
func setup(t *testing.T) (*serve.Server, *serve.Tracker, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := serve.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := serve.OpenState(filepath.Join(t.TempDir(), "serve.json"))
	if err != nil {
		t.Fatal(err)
	}
	tr := serve.NewTracker(m, st, serve.DefaultAlarms(), nil)
	for i := range 6 {
		slot := t0.Add(time.Duration(i) * time.Hour)
		// A run as the crawler feeds it.
		run := m.Run("healthy", slot)
		for range 10 {
			run.Fetched("healthy", 200, 1000)
			run.Stored("healthy", crawler.SavedNew)
			run.Extracted("healthy", crawler.Missing{Reporters: i%2 == 0})
		}
		run.Fetched("healthy", 404, 10)
		run.RobotsSkipped("healthy")
		run.Retried("healthy")
		run.Discovered("healthy", 12)
		run.Failed("healthy", "http 404")
		run.ParseFailed("healthy")
		run.QueueDepth("healthy.example", 3)
		if err := tr.End(serve.Record{Outlet: "healthy", Slot: slot, Started: slot, Finished: slot.Add(90 * time.Second), Stopped: "done", Fetched: 11, New: 10, Extraction: run.Extraction()}); err != nil {
			t.Fatal(err)
		}
		b := m.Run("broken", slot)
		rec := serve.Record{Outlet: "broken", Slot: slot, Started: slot, Finished: slot.Add(time.Minute), Stopped: "done"}
		switch {
		case i < 3:
			for range 5 {
				b.Fetched("broken", 200, 500)
				b.Stored("broken", crawler.SavedNew)
				b.Extracted("broken", crawler.Missing{Body: i >= 1, Published: i >= 1})
			}
			rec.Fetched, rec.New = 5, 5
		default:
			rec.Error = "no host answered: broken.example (connection refused)"
		}
		rec.Extraction = b.Extraction()
		if err := tr.End(rec); err != nil {
			t.Fatal(err)
		}
		// "changed" changed its layout after the third run.
		c := m.Run("changed", slot)
		for range 4 {
			c.Fetched("changed", 200, 700)
			c.Stored("changed", crawler.SavedNew)
			c.Extracted("changed", crawler.Missing{Body: i >= 3, Published: i >= 3})
		}
		if err := tr.End(serve.Record{Outlet: "changed", Slot: slot, Started: slot, Finished: slot.Add(time.Minute), Stopped: "done", Fetched: 4, New: 4, Extraction: c.Extraction()}); err != nil {
			t.Fatal(err)
		}
	}
	// Skipped slots: the scheduler counts its own (still_running, the
	// jobs' Skipped below), serve counts every reason in the metrics.
	m.Skipped("healthy", serve.SkipStillRunning)
	m.Skipped("healthy", serve.SkipStillRunning)
	m.Skipped("broken", serve.SkipHeldElsewhere)
	m.Skipped("broken", serve.SkipHeldElsewhere)
	m.Skipped("broken", serve.SkipLockError)
	jobs := fixedJobs{
		{ID: "broken", Spec: "@hourly", Next: t0.Add(6 * time.Hour)},
		{ID: "changed", Spec: "@every 10m", Next: t0.Add(6*time.Hour + 10*time.Minute)},
		{ID: "healthy", Spec: "*/30 * * * *", Next: t0.Add(6 * time.Hour), Skipped: 2},
	}
	return serve.NewServer(tr, jobs, reg, func() time.Time { return t0.Add(6 * time.Hour) }), tr, reg
}

func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return b
}

func metric(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	t.Helper()
	f := fams[name]
	if f == nil {
		t.Fatalf("no metric %s", name)
	}
next:
	for _, m := range f.Metric {
		for _, l := range m.Label {
			if v, ok := labels[l.GetName()]; ok && v != l.GetValue() {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	t.Fatalf("no %s%v", name, labels)
	return 0
}

// /metrics parses as Prometheus text, passes promtool's lint, and counts
// what the runs did.
func TestMetrics(t *testing.T) {
	srv, _, _ := setup(t)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	body := get(t, ts.URL+"/metrics")
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, body)
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"gisa_fetches_total", map[string]string{"outlet": "healthy", "status": "200"}, 60},
		{"gisa_fetches_total", map[string]string{"outlet": "healthy", "status": "404"}, 6},
		{"gisa_fetched_bytes_total", map[string]string{"outlet": "healthy"}, 60*1000 + 60},
		{"gisa_articles_total", map[string]string{"outlet": "healthy", "outcome": "new"}, 60},
		{"gisa_parse_failures_total", map[string]string{"outlet": "healthy"}, 6},
		{"gisa_robots_skips_total", map[string]string{"outlet": "healthy"}, 6},
		{"gisa_retries_total", map[string]string{"outlet": "healthy"}, 6},
		{"gisa_discovered_total", map[string]string{"outlet": "healthy"}, 72},
		{"gisa_failures_total", map[string]string{"outlet": "healthy", "reason": "http 404"}, 6},
		{"gisa_queue_depth", map[string]string{"host": "healthy.example"}, 3},
		{"gisa_run_duration_seconds", map[string]string{"outlet": "healthy"}, 6},
		{"gisa_runs_total", map[string]string{"outlet": "broken", "result": "error"}, 3},
		{"gisa_new_records_total", map[string]string{"outlet": "broken"}, 15},
		{"gisa_new_records_missing_total", map[string]string{"outlet": "broken", "field": "body"}, 10},
		{"gisa_new_records_missing_ratio", map[string]string{"outlet": "healthy", "field": "reporters"}, 0},
		{"gisa_new_records_missing_ratio", map[string]string{"outlet": "broken", "field": "body"}, 1},
		{"gisa_alarm", map[string]string{"outlet": "broken", "kind": "nothing_fetched"}, 1},
		{"gisa_alarm", map[string]string{"outlet": "healthy", "kind": "extraction"}, 0},
		{"gisa_alarm", map[string]string{"outlet": "changed", "kind": "extraction"}, 1},
	} {
		if got := metric(t, fams, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool not on PATH in CI (.ci/run installs Debian's prometheus package)")
		}
		t.Skip("promtool not on PATH: install Debian's prometheus package to lint /metrics")
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

func TestAlarms(t *testing.T) {
	rec := func(fetched, checked, noBody, noReporters int) serve.Record {
		return serve.Record{Fetched: fetched, Extraction: serve.Extraction{Checked: checked, Missing: map[string]int{"body": noBody, "reporters": noReporters}}}
	}
	cfg := serve.DefaultAlarms()
	for _, tc := range []struct {
		name  string
		runs  []serve.Record
		kinds []string
		field string
	}{
		{"healthy", []serve.Record{rec(10, 10, 0, 10), rec(10, 10, 1, 10), rec(10, 10, 0, 10)}, nil, ""},
		{"too few runs", []serve.Record{rec(10, 10, 10, 0), rec(10, 10, 10, 0)}, nil, ""},
		{"bodies lost", []serve.Record{rec(10, 10, 0, 0), rec(10, 10, 9, 0), rec(10, 10, 10, 0), rec(10, 10, 10, 0)}, []string{serve.AlarmExtraction}, "body"},
		{"no new records is not a layout change", []serve.Record{rec(10, 0, 0, 0), rec(10, 0, 0, 0), rec(10, 0, 0, 0)}, nil, ""},
		{"nothing fetched", []serve.Record{rec(10, 10, 0, 0), rec(0, 0, 0, 0), rec(0, 0, 0, 0), rec(0, 0, 0, 0)}, []string{serve.AlarmNothing}, ""},
		{"fetched again", []serve.Record{rec(0, 0, 0, 0), rec(0, 0, 0, 0), rec(0, 0, 0, 0), rec(1, 0, 0, 0)}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cfg.Evaluate(tc.runs)
			var kinds []string
			for _, a := range got {
				kinds = append(kinds, a.Kind)
				if a.Kind == serve.AlarmExtraction && (len(a.Fields) != 1 || a.Fields[0] != tc.field || !strings.Contains(a.Message, tc.field)) {
					t.Errorf("fields %v, message %q: want %s named", a.Fields, a.Message, tc.field)
				}
			}
			if strings.Join(kinds, ",") != strings.Join(tc.kinds, ",") {
				t.Errorf("alarms %v, want %v", got, tc.kinds)
			}
		})
	}
	for _, bad := range []serve.AlarmConfig{
		{Runs: 0, MinHealth: 0.5, EmptyRuns: 1},
		{Runs: 1, MinHealth: 1.5, EmptyRuns: 1},
		{Runs: 1, MinHealth: 0.5, EmptyRuns: 0},
		{Runs: 1, MinHealth: 0.5, EmptyRuns: 1, Fields: []string{"byline"}},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// The state file keeps each outlet's last runs across a restart, bounded,
// and a damaged one is refused with its name.
func TestStateAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "serve.json")
	st, err := serve.OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range serve.History + 5 {
		if err := st.Add(serve.Record{Outlet: "a", Slot: t0.Add(time.Duration(i) * time.Hour), New: i}); err != nil {
			t.Fatal(err)
		}
	}
	again, err := serve.OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	o := again.Outlet("a")
	if len(o.Runs) != serve.History || o.Runs[0].New != 5 || !o.LastSlot.Equal(t0.Add((serve.History+4)*time.Hour)) {
		t.Errorf("after reopening: %d runs, first %d, last slot %v", len(o.Runs), o.Runs[0].New, o.LastSlot)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	os.WriteFile(path, []byte(`{"version":1,"outlets":`), 0o644)
	if _, err := serve.OpenState(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("damaged state: %v, want an error naming %s", err, path)
	}
}

// /status is JSON with each outlet's schedule, last run, history and
// alarms; /healthz answers.
func TestStatusAndHealthz(t *testing.T) {
	srv, _, _ := setup(t)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	if b := get(t, ts.URL+"/healthz"); strings.TrimSpace(string(b)) != "ok" {
		t.Errorf("/healthz: %q", b)
	}
	var st serve.Status
	if err := json.Unmarshal(get(t, ts.URL+"/status"), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Outlets) != 3 || st.Outlets[0].ID != "broken" || st.Outlets[2].ID != "healthy" {
		t.Fatalf("outlets %+v", st.Outlets)
	}
	b, c, h := st.Outlets[0], st.Outlets[1], st.Outlets[2]
	if len(c.Alarms) != 1 || c.Alarms[0].Kind != serve.AlarmExtraction || strings.Join(c.Alarms[0].Fields, ",") != "body,published" {
		t.Errorf("changed: alarms %+v", c.Alarms)
	}
	if b.Last == nil || b.Last.Error == "" || len(b.Runs) != 6 || len(b.Alarms) != 1 || b.Alarms[0].Kind != serve.AlarmNothing {
		t.Errorf("broken: %+v", b)
	}
	if h.Schedule != "*/30 * * * *" || h.Skipped != 2 || len(h.Alarms) != 0 || h.Last == nil || h.Last.New != 10 {
		t.Errorf("healthy: %+v", h)
	}
	if got := fmt.Sprint(h.SkippedBy); got != "map[still_running:2]" {
		t.Errorf("healthy: skipped by %s", got)
	}
	if got := fmt.Sprint(b.SkippedBy); b.Skipped != 3 || got != "map[held_elsewhere:2 lock_error:1]" {
		t.Errorf("broken: %d skipped, by %s; want 3, by held_elsewhere:2 lock_error:1", b.Skipped, got)
	}
	if c.Skipped != 0 || len(c.SkippedBy) != 0 {
		t.Errorf("changed: %d skipped, by %v", c.Skipped, c.SkippedBy)
	}
}

// The status page, loaded in headless Chromium: per outlet its runs, the
// plots, and the alarms named. The screenshot is kept in $GISA_ARTIFACTS
// (else the test's temporary directory).
func TestStatusPageInChromium(t *testing.T) {
	chromium := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not on PATH in CI (.ci/run installs Debian's chromium)")
		}
		t.Skip("chromium not on PATH: install Debian's chromium package to test the status page in a browser")
	}
	srv, _, _ := setup(t)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	artifacts := os.Getenv("GISA_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifacts, "status-page.png")
	args := func(extra ...string) []string {
		return append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--disable-dev-shm-usage", "--user-data-dir=" + t.TempDir()}, append(extra, ts.URL+"/")...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, chromium, args("--dump-dom")...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	dom := string(out)
	for _, want := range []string{
		`id="outlet-broken"`, `id="outlet-changed"`, `id="outlet-healthy"`, "2 alarm(s)",
		"nothing_fetched", "extraction (body, published)", "no host answered",
		"*/30 * * * *", "<polyline", "held_elsewhere 2", "lock_error 1", "(still_running)",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(dom, "<svg"); n != 3*(1+len(serve.Fields)) {
		t.Errorf("%d plots, want %d", n, 3*(1+len(serve.Fields)))
	}
	if _, err := exec.CommandContext(ctx, chromium, args("--screenshot="+shot, "--window-size=1600,700")...).CombinedOutput(); err != nil {
		t.Fatalf("chromium --screenshot: %v", err)
	}
	if fi, err := os.Stat(shot); err != nil || fi.Size() == 0 {
		t.Errorf("no screenshot: %v", err)
	}
	t.Logf("screenshot: %s", shot)
}
