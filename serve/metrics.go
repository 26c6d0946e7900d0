// Package serve is what `gisa serve` shows: Prometheus metrics fed by the
// crawler's Observer, the state of each outlet's runs (kept in a small file
// so a restart keeps the history), alarms over the last runs, and the HTTP
// endpoints /metrics, /healthz, /status and a status page at /.
package serve

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/internal/lazy"
)

// Fields whose share of new records is watched.
var Fields = []string{"title", "body", "reporters", "published"}

// Metrics are gisa's Prometheus metrics on a registry passed in. They are
// safe for concurrent use.
type Metrics struct {
	discovered   *prometheus.CounterVec
	failures     *prometheus.CounterVec
	fetches      *prometheus.CounterVec
	bytes        *prometheus.CounterVec
	articles     *prometheus.CounterVec
	parseFails   *prometheus.CounterVec
	robots       *prometheus.CounterVec
	retries      *prometheus.CounterVec
	queue        *prometheus.GaugeVec
	runs         *prometheus.CounterVec
	skipped      *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	newRecords   *prometheus.CounterVec
	missingTotal *prometheus.CounterVec
	missingShare *prometheus.GaugeVec
	alarm        *prometheus.GaugeVec
	lastRun      *prometheus.GaugeVec
	nextRun      *prometheus.GaugeVec

	skipMu sync.Mutex
	skips  map[string]map[string]int // outlet → reason → slots skipped, for /status
}

// NewMetrics registers gisa's metrics on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	outlet := []string{"outlet"}
	m := &Metrics{
		discovered:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_discovered_total", Help: "Article URLs newly queued."}, outlet),
		failures:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_failures_total", Help: "URLs given up for their run after the last attempt, by reason."}, []string{"outlet", "reason"}),
		fetches:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_fetches_total", Help: "HTTP answers by outlet and status (robots.txt excluded)."}, []string{"outlet", "status"}),
		bytes:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_fetched_bytes_total", Help: "Body bytes of HTTP answers."}, outlet),
		articles:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_articles_total", Help: "Articles stored, by outcome: new, updated (a new revision) or unchanged."}, []string{"outlet", "outcome"}),
		parseFails:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_parse_failures_total", Help: "Pages the parser failed on."}, outlet),
		robots:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_robots_skips_total", Help: "URLs not fetched because robots.txt disallows them."}, outlet),
		retries:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_retries_total", Help: "Failed fetches queued again."}, outlet),
		queue:        prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "gisa_queue_depth", Help: "URLs of a host held by a running crawl (sampled)."}, []string{"host"}),
		runs:         prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_runs_total", Help: "Scheduled runs ended, by result: done, interrupted, error."}, []string{"outlet", "result"}),
		skipped:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_runs_skipped_total", Help: "Scheduled runs skipped, by reason: still_running (this worker's previous run), held_elsewhere and already_run (another worker of the fleet runs or ran the slot), lock_error (the fleet's run lock could not be taken)."}, []string{"outlet", "reason"}),
		duration:     prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gisa_run_duration_seconds", Help: "How long runs took.", Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600}}, outlet),
		newRecords:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_new_records_total", Help: "New article records whose fields were checked."}, outlet),
		missingTotal: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisa_new_records_missing_total", Help: "New article records lacking a field."}, []string{"outlet", "field"}),
		missingShare: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "gisa_new_records_missing_ratio", Help: "Share of the last run's new records lacking a field (0 to 1)."}, []string{"outlet", "field"}),
		alarm:        prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "gisa_alarm", Help: "1 while an alarm of this kind is raised for the outlet."}, []string{"outlet", "kind"}),
		lastRun:      prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "gisa_last_run_timestamp_seconds", Help: "When the outlet's last run ended (Unix time)."}, outlet),
		nextRun:      prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "gisa_next_run_timestamp_seconds", Help: "When the outlet's next run is due (Unix time)."}, outlet),
	}
	for _, c := range []prometheus.Collector{m.discovered, m.failures, m.fetches, m.bytes, m.articles, m.parseFails, m.robots, m.retries, m.queue, m.runs, m.skipped, m.duration, m.newRecords, m.missingTotal, m.missingShare, m.alarm, m.lastRun, m.nextRun} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// statusText holds the label values of HTTP statuses, so counting a fetch
// does not format one. Built on first use: every gisa command loads this
// package.
var statusText = lazy.New(func() *[600]string {
	var s [600]string
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return &s
})

// Run is the observer of one outlet's run: it feeds the metrics and counts
// the fields missing from the run's new records. Safe for concurrent use.
type Run struct {
	m       *Metrics
	outlet  string
	started time.Time
	// Pre-curried children of the run's outlet.
	discovered, bytes, parseFails, robots, retries, newRecords prometheus.Counter
	stored                                                     [4]prometheus.Counter // by crawler.Saved
	missing                                                    [4]prometheus.Counter // by Fields index
	checked                                                    atomic.Int64
	missed                                                     [4]atomic.Int64
}

var _ crawler.Observer = (*Run)(nil)

// Run returns the observer of a run of outlet starting now.
func (m *Metrics) Run(outlet string, now time.Time) *Run {
	r := &Run{m: m, outlet: outlet, started: now,
		discovered: m.discovered.WithLabelValues(outlet),
		bytes:      m.bytes.WithLabelValues(outlet), parseFails: m.parseFails.WithLabelValues(outlet),
		robots: m.robots.WithLabelValues(outlet), retries: m.retries.WithLabelValues(outlet),
		newRecords: m.newRecords.WithLabelValues(outlet),
	}
	r.stored[crawler.SavedNew] = m.articles.WithLabelValues(outlet, "new")
	r.stored[crawler.SavedUpdated] = m.articles.WithLabelValues(outlet, "updated")
	r.stored[crawler.SavedUnchanged] = m.articles.WithLabelValues(outlet, "unchanged")
	for i, f := range Fields {
		r.missing[i] = m.missingTotal.WithLabelValues(outlet, f)
	}
	return r
}

// Fetched counts an HTTP answer under the run's outlet: a run crawls one,
// and a stray label value must not grow the series.
func (r *Run) Fetched(_ string, status, n int) {
	s := "other"
	if t := statusText.Get(); status >= 0 && status < len(t) {
		s = t[status]
	}
	r.m.fetches.WithLabelValues(r.outlet, s).Inc()
	r.bytes.Add(float64(n))
}

func (r *Run) Stored(_ string, s crawler.Saved) {
	if s > 0 && int(s) < len(r.stored) && r.stored[s] != nil {
		r.stored[s].Inc()
	}
}

// Discovered counts under the run's outlet, as Fetched does.
func (r *Run) Discovered(_ string, n int) { r.discovered.Add(float64(n)) }

// Failed counts under the run's outlet, as Fetched does; reasons are a
// short fixed list made by the crawler.
func (r *Run) Failed(_, reason string) { r.m.failures.WithLabelValues(r.outlet, reason).Inc() }

func (r *Run) ParseFailed(string)            { r.parseFails.Inc() }
func (r *Run) RobotsSkipped(string)          { r.robots.Inc() }
func (r *Run) Retried(string)                { r.retries.Inc() }
func (r *Run) QueueDepth(host string, n int) { r.m.queue.WithLabelValues(host).Set(float64(n)) }

func (r *Run) Extracted(_ string, m crawler.Missing) {
	r.checked.Add(1)
	r.newRecords.Inc()
	for i, miss := range [4]bool{m.Title, m.Body, m.Reporters, m.Published} {
		if miss {
			r.missed[i].Add(1)
			r.missing[i].Inc()
		}
	}
}

// Extraction is what the run's new records lacked.
func (r *Run) Extraction() Extraction {
	e := Extraction{Checked: int(r.checked.Load()), Missing: map[string]int{}}
	for i, f := range Fields {
		e.Missing[f] = int(r.missed[i].Load())
	}
	return e
}

// finish records the end of a run in the metrics.
func (m *Metrics) finish(rec Record) {
	m.runs.WithLabelValues(rec.Outlet, rec.Result()).Inc()
	m.duration.WithLabelValues(rec.Outlet).Observe(rec.Finished.Sub(rec.Started).Seconds())
	m.lastRun.WithLabelValues(rec.Outlet).Set(float64(rec.Finished.Unix()))
	if rec.Extraction.Checked > 0 {
		for _, f := range Fields {
			m.missingShare.WithLabelValues(rec.Outlet, f).Set(float64(rec.Extraction.Missing[f]) / float64(rec.Extraction.Checked))
		}
	}
}

// Why a scheduled run was skipped: the reason label of
// gisa_runs_skipped_total. Only SkipStillRunning and SkipLockError are
// worth an alert; the other two are a fleet working as it should.
const (
	SkipStillRunning  = "still_running"  // this worker's previous run of the outlet still goes on
	SkipHeldElsewhere = "held_elsewhere" // another worker of the fleet holds the outlet's run lock
	SkipAlreadyRun    = "already_run"    // another worker of the fleet already ran the slot
	SkipLockError     = "lock_error"     // the run lock could not be taken (Redis unreachable): never run unlocked
)

// Skipped counts a scheduled run skipped, for one of the Skip reasons.
func (m *Metrics) Skipped(outlet, reason string) {
	m.skipped.WithLabelValues(outlet, reason).Inc()
	m.skipMu.Lock()
	defer m.skipMu.Unlock()
	if m.skips == nil {
		m.skips = map[string]map[string]int{}
	}
	if m.skips[outlet] == nil {
		m.skips[outlet] = map[string]int{}
	}
	m.skips[outlet][reason]++
}

// skipCounts returns a copy of the outlet's skipped slots by reason.
func (m *Metrics) skipCounts(outlet string) map[string]int {
	m.skipMu.Lock()
	defer m.skipMu.Unlock()
	out := make(map[string]int, len(m.skips[outlet]))
	for r, n := range m.skips[outlet] {
		out[r] = n
	}
	return out
}

// Next sets when the outlet's next run is due.
func (m *Metrics) Next(outlet string, t time.Time) {
	m.nextRun.WithLabelValues(outlet).Set(float64(t.Unix()))
}

func (m *Metrics) setAlarm(outlet, kind string, on bool) {
	v := 0.0
	if on {
		v = 1
	}
	m.alarm.WithLabelValues(outlet, kind).Set(v)
}
