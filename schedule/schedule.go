// Package schedule runs jobs on cron schedules: five-field cron expressions
// and the usual descriptors (@hourly, @daily, @every 10m), on an injected
// clock, with a fixed per-job jitter, and never two runs of one job at once:
// a run still going when its next slot comes makes that slot skipped and
// counted.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// parser reads five fields and descriptors; seconds are not a field, as in
// crontab(5).
var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Spec is a parsed schedule.
type Spec struct {
	text  string
	sched cron.Schedule
}

// Parse reads a schedule: "0 * * * *", "@hourly", "@every 10m", … Times
// are in the location of the times Next is given.
func Parse(s string) (Spec, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Spec{}, errors.New("empty schedule")
	}
	if strings.HasPrefix(s, "TZ=") || strings.HasPrefix(s, "CRON_TZ=") {
		return Spec{}, fmt.Errorf("schedule %q: time zones are not supported in the expression (times are in the server's zone)", s)
	}
	sc, err := parser.Parse(s)
	if err != nil {
		return Spec{}, fmt.Errorf("schedule %q: %w", s, err)
	}
	if e, ok := sc.(cron.ConstantDelaySchedule); ok && e.Delay < time.Minute {
		// robfig rounds @every to whole seconds, at least one: a run
		// every second is not what anyone scheduling a crawl means.
		return Spec{}, fmt.Errorf("schedule %q: @every must be at least 1m", s)
	}
	return Spec{text: s, sched: sc}, nil
}

// MustParse is Parse for constants in tests; it panics on an error.
func MustParse(s string) Spec {
	sp, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return sp
}

// String is the schedule as written.
func (s Spec) String() string { return s.text }

// IsZero reports whether s is the zero Spec (no schedule).
func (s Spec) IsZero() bool { return s.sched == nil }

// Next is the first slot strictly after t.
func (s Spec) Next(t time.Time) time.Time { return s.sched.Next(t) }

// Job is one scheduled job.
type Job struct {
	ID   string
	Spec Spec
	// Jitter delays each run by a fixed offset in [0, Jitter) derived from
	// the ID, so jobs of one schedule do not all start at once.
	Jitter time.Duration
	// Last is the slot of the last run (from a previous process): a slot
	// missed since then is run once at start.
	Last time.Time
}

// Offset is the job's fixed delay after each slot.
func (j Job) Offset() time.Duration {
	if j.Jitter <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(j.ID))
	return time.Duration(h.Sum64() % uint64(j.Jitter))
}

// RunFunc runs one job for one slot. ctx ends when the scheduler stops and
// its grace period is over.
type RunFunc func(ctx context.Context, id string, slot time.Time)

// Options configure a Scheduler; the zero value is ready to use.
type Options struct {
	Clock  Clock        // nil: the system clock
	Logger *slog.Logger // nil discards
	// Grace is how long runs may go on after the scheduler's context ends
	// before theirs is cancelled (0: cancelled at once).
	Grace time.Duration
	// OnSkip is called when a slot is skipped because the job's previous
	// run is still going.
	OnSkip func(id string, slot time.Time)
	// OnDone is called by the scheduler's loop after a run returned and
	// the job may run again.
	OnDone func(id string)
}

// Status is what the scheduler knows of one job.
type Status struct {
	ID      string
	Spec    string
	Next    time.Time // when the next run starts (jitter included)
	Running bool
	Skipped int // slots skipped by this process: the previous run was still going
}

type entry struct {
	job     Job
	slot    time.Time // next slot
	running bool
	skipped int
}

// Scheduler runs jobs on their schedules. Build it with New; call Run once.
// Set and Jobs are safe for concurrent use.
type Scheduler struct {
	run   RunFunc
	opts  Options
	log   *slog.Logger
	clock Clock
	set   chan []Job

	mu      sync.Mutex
	entries map[string]*entry
}

// New returns a scheduler of jobs calling run.
func New(jobs []Job, run RunFunc, opts Options) *Scheduler {
	s := &Scheduler{run: run, opts: opts, log: opts.Logger, clock: opts.Clock, set: make(chan []Job, 1), entries: map[string]*entry{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.clock == nil {
		s.clock = SystemClock()
	}
	s.apply(jobs, s.clock.Now())
	return s
}

// Set replaces the jobs (a reloaded config). A job whose schedule and
// jitter are unchanged keeps its next run; a removed job's run in progress
// ends on its own.
func (s *Scheduler) Set(jobs []Job) {
	for {
		select {
		case s.set <- jobs:
			return
		default:
		}
		select { // drop a replacement not yet applied: this one wins
		case <-s.set:
		default:
		}
	}
}

// apply installs jobs; the loop (or New) calls it.
func (s *Scheduler) apply(jobs []Job, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.entries
	s.entries = make(map[string]*entry, len(jobs))
	for _, j := range jobs {
		e := &entry{job: j}
		if o := old[j.ID]; o != nil {
			e.running, e.skipped = o.running, o.skipped
			if o.job.Spec.String() == j.Spec.String() && o.job.Jitter == j.Jitter {
				e.slot = o.slot
				s.entries[j.ID] = e
				continue
			}
		}
		switch {
		case !j.Last.IsZero() && !j.Spec.Next(j.Last).Add(j.Offset()).After(now):
			e.slot = j.Spec.Next(j.Last) // missed while stopped: run once now
		default:
			e.slot = j.Spec.Next(now.Add(-j.Offset()))
		}
		s.entries[j.ID] = e
	}
	for id, o := range old {
		if _, ok := s.entries[id]; !ok && o.running {
			// Still running: kept out of the schedule until it ends.
			s.entries[id] = &entry{job: o.job, running: true, slot: time.Time{}}
		}
	}
}

// Jobs reports every job's state, sorted by ID.
func (s *Scheduler) Jobs() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Status
	for _, id := range slices.Sorted(maps.Keys(s.entries)) {
		e := s.entries[id]
		if e.slot.IsZero() {
			continue // removed, its last run ending
		}
		out = append(out, Status{ID: id, Spec: e.job.Spec.String(), Next: e.slot.Add(e.job.Offset()), Running: e.running, Skipped: e.skipped})
	}
	return out
}

// due returns the jobs due at now with their slots, moving each to its
// next slot and counting the skipped ones, and when the next one is due.
func (s *Scheduler) due(now time.Time) (start map[string]time.Time, wake time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start = map[string]time.Time{}
	for id, e := range s.entries {
		if e.slot.IsZero() {
			continue
		}
		off := e.job.Offset()
		if !e.slot.Add(off).After(now) {
			slot := e.slot
			if e.running {
				e.skipped++
				s.log.Warn("scheduled run skipped: the previous one is still going", "site", id, "slot", slot)
				if s.opts.OnSkip != nil {
					s.opts.OnSkip(id, slot)
				}
			} else {
				e.running = true
				start[id] = slot
			}
			// The next slot after this one, or after now when the loop
			// was held up past several.
			e.slot = e.job.Spec.Next(slot)
			if !e.slot.Add(off).After(now) {
				e.slot = e.job.Spec.Next(now.Add(-off))
			}
		}
		if t := e.slot.Add(off); wake.IsZero() || t.Before(wake) {
			wake = t
		}
	}
	return start, wake
}

func (s *Scheduler) finished(id string) {
	s.mu.Lock()
	if e := s.entries[id]; e != nil {
		e.running = false
		if e.slot.IsZero() {
			delete(s.entries, id)
		}
	}
	s.mu.Unlock()
	if s.opts.OnDone != nil {
		s.opts.OnDone(id)
	}
}

// Run starts jobs as they come due until ctx ends, then lets running jobs
// finish for the grace period, cancels them, and returns when all have
// returned.
func (s *Scheduler) Run(ctx context.Context) {
	runCtx, cancelRuns := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRuns()
	done := make(chan string)
	running := 0
	var timer Timer
	stopTimer := func() {
		if timer != nil {
			timer.Stop()
			timer = nil
		}
	}
	for ctx.Err() == nil {
		if timer == nil {
			start, wake := s.due(s.clock.Now())
			for id, slot := range start {
				running++
				go func() {
					defer func() { done <- id }()
					s.run(runCtx, id, slot)
				}()
			}
			if wake.IsZero() {
				wake = s.clock.Now().Add(24 * time.Hour) // no jobs: look again after a Set
			}
			timer = s.clock.NewTimer(wake.Sub(s.clock.Now()))
		}
		var tc <-chan time.Time = timer.C()
		select {
		case <-tc:
			timer = nil
		case id := <-done:
			running--
			s.finished(id)
		case jobs := <-s.set:
			stopTimer()
			s.apply(jobs, s.clock.Now())
		case <-ctx.Done():
		}
	}
	stopTimer()
	if running == 0 {
		return
	}
	s.log.Info("stopping: waiting for running jobs", "running", running, "grace", s.opts.Grace)
	grace := s.clock.NewTimer(s.opts.Grace)
	defer grace.Stop()
	for running > 0 {
		select {
		case id := <-done:
			running--
			s.finished(id)
		case <-grace.C():
			cancelRuns()
		}
	}
}
