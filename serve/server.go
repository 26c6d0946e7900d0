package serve

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/gisa-news/gisa/schedule"
)

// Tracker records the end of runs: into the state file, the metrics and
// the alarms. Safe for concurrent use.
type Tracker struct {
	m     *Metrics
	state *State
	log   *slog.Logger

	mu     sync.Mutex
	alarms AlarmConfig
	raised map[string][]Alarm
}

// NewTracker returns a tracker; it evaluates the alarms of the history
// already in state. A nil logger discards.
func NewTracker(m *Metrics, state *State, alarms AlarmConfig, log *slog.Logger) *Tracker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &Tracker{m: m, state: state, log: log, alarms: alarms, raised: map[string][]Alarm{}}
	return t
}

// SetAlarms replaces the alarm settings (a reloaded config); they apply
// from the next run on.
func (t *Tracker) SetAlarms(c AlarmConfig) {
	t.mu.Lock()
	t.alarms = c
	t.mu.Unlock()
}

// State is the tracker's run history.
func (t *Tracker) State() *State { return t.state }

// End records an ended run, and raises or clears the outlet's alarms: a
// raised one is logged as a warning naming the outlet and the fields.
func (t *Tracker) End(rec Record) error {
	err := t.state.Add(rec)
	t.m.finish(rec)
	t.Check(rec.Outlet)
	return err
}

// Check evaluates an outlet's alarms over its history.
func (t *Tracker) Check(outlet string) {
	runs := t.state.Outlet(outlet).Runs
	t.mu.Lock()
	cfg := t.alarms
	t.mu.Unlock()
	alarms := cfg.Evaluate(runs)
	t.mu.Lock()
	t.raised[outlet] = alarms
	t.mu.Unlock()
	on := map[string]bool{}
	for _, a := range alarms {
		on[a.Kind] = true
		t.log.Warn("alarm: "+a.Message, "site", outlet, "kind", a.Kind, "fields", a.Fields)
	}
	for _, k := range []string{AlarmExtraction, AlarmNothing} {
		t.m.setAlarm(outlet, k, on[k])
	}
}

// Alarms returns the outlet's raised alarms.
func (t *Tracker) Alarms(outlet string) []Alarm {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.raised[outlet])
}

// Jobs reports the scheduled jobs; *schedule.Scheduler is one.
type Jobs interface {
	Jobs() []schedule.Status
}

// Server serves /metrics, /healthz, /status and the status page.
type Server struct {
	tracker *Tracker
	jobs    Jobs
	gather  prometheus.Gatherer
	now     func() time.Time
	started time.Time
}

// NewServer returns the HTTP side of gisa serve. now nil means time.Now.
func NewServer(t *Tracker, jobs Jobs, g prometheus.Gatherer, now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	return &Server{tracker: t, jobs: jobs, gather: g, now: now, started: now()}
}

// OutletStatus is one outlet in /status.
type OutletStatus struct {
	ID       string `json:"id"`
	Schedule string `json:"schedule"`
	Next     string `json:"next"`
	Running  bool   `json:"running"`
	Skipped  int    `json:"skipped"`
	// SkippedBy splits Skipped by reason (the Skip constants); a fleet's
	// workers skip slots that another one runs, or when Redis is down.
	SkippedBy map[string]int `json:"skipped_by"`
	Last      *Record        `json:"last"`
	Alarms    []Alarm        `json:"alarms"`
	Runs      []Record       `json:"runs"` // oldest first
}

// Status is /status.
type Status struct {
	Now     time.Time      `json:"now"`
	Started time.Time      `json:"started"`
	Outlets []OutletStatus `json:"outlets"`
}

// Status gathers what /status and the page show.
func (s *Server) Status() Status {
	st := Status{Now: s.now(), Started: s.started, Outlets: []OutletStatus{}}
	for _, j := range s.jobs.Jobs() {
		o := s.tracker.state.Outlet(j.ID)
		out := OutletStatus{ID: j.ID, Schedule: j.Spec, Next: j.Next.Format(time.RFC3339), Running: j.Running, Skipped: j.Skipped, Alarms: s.tracker.Alarms(j.ID), Runs: o.Runs}
		// The scheduler counts the slots it skipped itself (still_running);
		// the fleet's skips are counted only by the metrics.
		out.SkippedBy = s.tracker.m.skipCounts(j.ID)
		delete(out.SkippedBy, SkipStillRunning)
		for _, n := range out.SkippedBy {
			out.Skipped += n
		}
		if j.Skipped > 0 {
			out.SkippedBy[SkipStillRunning] = j.Skipped
		}
		if out.Alarms == nil {
			out.Alarms = []Alarm{}
		}
		if out.Runs == nil {
			out.Runs = []Record{}
		}
		if n := len(o.Runs); n > 0 {
			last := o.Runs[n-1]
			out.Last = &last
		}
		st.Outlets = append(st.Outlets, out)
	}
	return st
}

// Handler routes the endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.gather, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(s.Status())
	})
	mux.HandleFunc("GET /{$}", s.page)
	return mux
}

//go:embed page.html
var pageHTML string

// pageTmpl is parsed on first use: every gisa command loads this package.
var pageTmpl = lazy.New(func() *template.Template {
	return template.Must(template.New("page").Funcs(template.FuncMap{
		"ago":   ago,
		"spark": spark,
		"health": func(r []Record, field string) []float64 {
			v := make([]float64, len(r))
			for i, x := range r {
				v[i] = x.Extraction.Health(field)
			}
			return v
		},
		"counts": func(r []Record, what string) []float64 {
			v := make([]float64, len(r))
			for i, x := range r {
				switch what {
				case "new":
					v[i] = float64(x.New)
				case "fetched":
					v[i] = float64(x.Fetched)
				}
			}
			return v
		},
		"fields": func() []string { return Fields },
		"pct":    func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
		"lasthealth": func(r []Record, field string) float64 {
			if len(r) == 0 {
				return 1
			}
			return r[len(r)-1].Extraction.Health(field)
		},
	}).Parse(pageHTML))
})

type pageData struct {
	Status
	Alarms int
}

func (s *Server) page(w http.ResponseWriter, _ *http.Request) {
	d := pageData{Status: s.Status()}
	for _, o := range d.Outlets {
		d.Alarms += len(o.Alarms)
	}
	var b strings.Builder
	if err := pageTmpl.Get().Execute(&b, d); err != nil {
		http.Error(w, "status page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	fmt.Fprint(w, b.String())
}

func ago(now time.Time, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t).Round(time.Second)
	if d < 0 {
		return "in " + (-d).String()
	}
	return d.String() + " ago"
}

// spark draws values (oldest first) as an SVG polyline in a w×h box; max
// 0 scales to the largest value.
func spark(values []float64, top float64, w, h int) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="spark" width="%d" height="%d" viewBox="0 0 %d %d" role="img">`, w, h, w, h)
	if top <= 0 {
		for _, v := range values {
			top = max(top, v)
		}
	}
	if top <= 0 {
		top = 1
	}
	if len(values) > 0 {
		b.WriteString(`<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="`)
		step := float64(w-4) / float64(max(len(values)-1, 1))
		for i, v := range values {
			x := 2 + float64(i)*step
			y := 2 + (1-v/top)*float64(h-4)
			fmt.Fprintf(&b, "%.1f,%.1f ", x, y)
		}
		b.WriteString(`"/>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
