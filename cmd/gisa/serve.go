package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/pflag"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/gcpolicy"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/schedule"
	"github.com/gisa-news/gisa/serve"
)

// plan is what a config makes of gisa serve: resolved outlets, their jobs
// and the crawler's configuration. A reload swaps it whole.
type plan struct {
	cfg     Config
	cc      crawler.Config
	parser  *parser.Parser
	set     *parser.Profiles // where naver_queries' results find their outlet
	outlets map[string]crawler.Outlet
	jobs    []schedule.Job
}

// gc is the collector's settings for gisa serve: gisa crawl's (see
// gcpolicy.Crawl), with the memory of every run that can go at once. Each
// outlet runs on its own, its pages in flight the fewer of the workers and
// its hosts' concurrency (naver-search's like an outlet's); at the same
// allowance per page as gisa crawl's per worker, a limit under what the
// runs hold would make the collector run all the time.
func (pl *plan) gc() gcpolicy.Policy {
	var pages int64
	for _, j := range pl.jobs {
		conc := pl.cc.Concurrency
		if o, ok := pl.outlets[j.ID]; ok && o.Concurrency > 0 {
			conc = o.Concurrency
		}
		pages += int64(min(pl.cc.Workers, max(conc, 1)))
	}
	return gcpolicy.Crawl.AtLeast(pages * gcpolicy.CrawlPerWorker)
}

// loadPlan reads the config file and resolves everything gisa serve needs,
// naming every problem.
func loadPlan(name string, log *slog.Logger) (*plan, error) {
	cfg, err := loadConfig(name)
	if err != nil {
		return nil, err
	}
	return planOf(cfg, log)
}

func planOf(cfg Config, log *slog.Logger) (*plan, error) {
	set, err := loadProfiles(cfg.Profiles)
	if err != nil {
		return nil, err
	}
	creds, err := takeCredentials(&cfg)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if len(cfg.Outlets) == 0 && len(cfg.NaverQueries) == 0 {
		return nil, errors.New("config: gisa serve needs outlets (each with a schedule, or a default schedule) or naver_queries")
	}
	outlets, set, err := resolveOutlets(&cfg, nil, set)
	if err != nil {
		return nil, err
	}
	pl := &plan{cfg: cfg, set: set, outlets: map[string]crawler.Outlet{}}
	pl.cc = crawlerConfig(&cfg, outlets, creds, log)
	pl.cc.SharedFrontier = true
	pl.cc.NaverID, pl.cc.NaverSecret = os.Getenv("NAVER_CLIENT_ID"), crawler.Secret(os.Getenv("NAVER_CLIENT_SECRET"))
	pl.cc.NaverEndpoint = os.Getenv("GISA_NAVER_ENDPOINT")
	check := pl.cc
	check.NaverQueries = cfg.NaverQueries
	if err := check.Validate(); err != nil {
		return nil, err
	}
	if pl.parser, err = parser.New(parser.Options{Profiles: set}); err != nil {
		return nil, err
	}
	var errs []error
	for i, o := range outlets {
		oc := cfg.Outlets[i]
		pl.outlets[o.Profile.ID] = o
		spec := oc.Schedule
		if spec == "" {
			spec = cfg.Schedule
		}
		if spec == "" {
			errs = append(errs, fmt.Errorf("outlet %s: no schedule, and no default schedule", o.Profile.ID))
			continue
		}
		sp, err := schedule.Parse(spec)
		if err != nil {
			errs = append(errs, fmt.Errorf("outlet %s: %w", o.Profile.ID, err))
			continue
		}
		j := schedule.Job{ID: o.Profile.ID, Spec: sp}
		switch {
		case oc.Jitter != nil:
			j.Jitter = *oc.Jitter
		case cfg.Jitter != nil:
			j.Jitter = *cfg.Jitter
		}
		pl.jobs = append(pl.jobs, j)
	}
	if len(cfg.NaverQueries) > 0 {
		// The searches are a job of their own, on the default schedule:
		// their results are crawled at whichever outlet they belong to.
		switch sp, err := schedule.Parse(cfg.Schedule); {
		case cfg.Schedule == "":
			errs = append(errs, errors.New("naver_queries: no default schedule to run them on"))
		case err != nil:
			errs = append(errs, fmt.Errorf("naver_queries: %w", err))
		case pl.outlets[naverJob].Profile != nil:
			errs = append(errs, fmt.Errorf("outlet %s: the name of the naver_queries job", naverJob))
		default:
			j := schedule.Job{ID: naverJob, Spec: sp}
			if cfg.Jitter != nil {
				j.Jitter = *cfg.Jitter
			}
			pl.jobs = append(pl.jobs, j)
		}
	}
	if err := cfg.alarmConfig().Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return pl, nil
}

// naverJob is the scheduled job of a config's naver_queries (the
// crawler's outlet name for the search pages).
const naverJob = "naver-search"

// server is a running gisa serve.
type server struct {
	log     *slog.Logger
	env     *crawlEnv
	plan    atomic.Pointer[plan]
	sched   *schedule.Scheduler
	metrics *serve.Metrics
	tracker *serve.Tracker
	now     func() time.Time
	fleet   *runLocker         // nil: not a fleet (no Redis state)
	ended   func(serve.Record) // tests: told of each run's end, once the outlet may run again
	skipped func(outlet, reason string)
	outcome sync.Map // outlet → its last call's serve.Record, or skip reason, until OnDone reports it
}

// runOutlet is one scheduled run: a crawl of one outlet over the shared
// archive, frontier and WARC writer.
func (s *server) runOutlet(ctx context.Context, id string, slot time.Time) {
	pl := s.plan.Load()
	o, ok := pl.outlets[id]
	search := id == naverJob && len(pl.cfg.NaverQueries) > 0
	if !ok && !search {
		return // removed by a reload since it was scheduled
	}
	log := s.log.With("site", id)
	if s.fleet != nil {
		runCtx, release, ok := s.fleet.acquire(ctx, id, slot)
		if !ok {
			return
		}
		defer release()
		ctx = runCtx
	}
	obs := s.metrics.Run(id, s.now())
	cc := pl.cc
	cc.Outlets = []crawler.Outlet{o}
	if search {
		cc.Outlets, cc.NaverQueries = nil, pl.cfg.NaverQueries
	}
	cc.Observer = obs
	cc.Logger = s.log // the crawler names the site itself
	rec := serve.Record{Outlet: id, Slot: slot, Started: s.now()}
	var set *parser.Profiles
	if search {
		set = pl.set
	}
	c, err := s.env.crawler(cc, pl.parser, set)
	var sum *crawler.Summary
	if err == nil {
		log.Info("run started", "slot", slot)
		sum, err = c.Run(ctx)
	}
	rec.Finished = s.now()
	if sum != nil {
		rec.Stopped = sum.Stopped
		n := sum.Outlets[id]
		if search {
			t := sum.Total() // the searches' results, at their outlets
			n = &t
		}
		if n != nil {
			rec.Discovered, rec.Fetched, rec.New, rec.Updated, rec.Unchanged, rec.Failed = n.Discovered, n.Fetched, n.New, n.Updated, n.Unchanged, n.FailedTotal()
		}
	}
	if cause := context.Cause(ctx); errors.Is(cause, frontier.ErrLockLost) {
		err = errors.Join(err, cause)
		if rec.Stopped == "" || rec.Stopped == "done" {
			rec.Stopped = "interrupted"
		}
	}
	if err != nil {
		rec.Error = err.Error()
		log.Error("run failed", "err", err)
	}
	rec.Extraction = obs.Extraction()
	s.env.flush(ctx)
	if err := s.tracker.End(rec); err != nil {
		log.Error("keeping the run's history", "err", err)
	}
	s.outcome.Store(id, rec)
	log.Info("run ended", "stopped", rec.Stopped, "fetched", rec.Fetched, "new", rec.New, "updated", rec.Updated, "failed", rec.Failed, "took", rec.Finished.Sub(rec.Started).Round(time.Millisecond))
}

// reload applies the config file again; a bad one is logged and the old
// one kept.
func (s *server) reload(ctx context.Context, name string) {
	pl, err := loadPlan(name, s.log)
	if err != nil {
		s.log.Error("config reload rejected: keeping the running config", "config", name, "err", err)
		return
	}
	old := s.plan.Load()
	if pl.cfg.Out != old.cfg.Out || pl.cfg.State != old.cfg.State || pl.cfg.S3Endpoint != old.cfg.S3Endpoint ||
		pl.cfg.Serve.Listen != old.cfg.Serve.Listen || pl.cfg.Serve.StateFile != old.cfg.Serve.StateFile {
		s.log.Warn("config reload: storage and serve settings apply only after a restart", "config", name)
		pl.cfg.Out, pl.cfg.State, pl.cfg.S3Endpoint, pl.cfg.Serve = old.cfg.Out, old.cfg.State, old.cfg.S3Endpoint, old.cfg.Serve
	}
	s.plan.Store(pl)
	pl.gc().Set(os.Getenv) // the outlets may have changed
	s.tracker.SetAlarms(pl.cfg.alarmConfig())
	s.sched.Set(s.withLast(ctx, pl.jobs))
	s.log.Info("config reloaded", "config", name, "outlets", len(pl.jobs))
}

// withLast sets each job's last slot from the run history, so a slot
// missed while gisa serve was down runs at start. In a fleet it is the
// later of this worker's and the fleet's: a slot another worker ran while
// this one was down is not missed.
func (s *server) withLast(ctx context.Context, jobs []schedule.Job) []schedule.Job {
	out := make([]schedule.Job, len(jobs))
	for i, j := range jobs {
		j.Last = s.tracker.State().Outlet(j.ID).LastSlot
		if s.fleet != nil {
			lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			last, err := s.fleet.rs.LastSlot(lctx, j.ID)
			cancel()
			if err != nil {
				s.log.Warn("the fleet's last slot is unknown: going by this worker's history", "site", j.ID, "err", err)
			} else if last.After(j.Last) {
				j.Last = last
			}
		}
		out[i] = j
	}
	return out
}

// skip counts a skipped slot and keeps its reason for OnDone (tests).
func (s *server) skip(id string, _ time.Time, reason string) {
	s.metrics.Skipped(id, reason)
	s.outcome.Store(id, reason)
}

// serveOptions are what tests change.
type serveOptions struct {
	clock   schedule.Clock
	signals <-chan os.Signal // nil: SIGHUP, SIGTERM and SIGINT of the process
	ready   func(addr string)
	ended   func(serve.Record) // told of each run's end
	// skipped is told of each skipped slot and why (a serve.Skip reason),
	// once the outlet may run again.
	skipped func(outlet, reason string)
	// lockTTL is the fleet's run lock TTL (0: defaultRunLockTTL), and
	// lockClock times its renewals (nil: the system clock).
	lockTTL   time.Duration
	lockClock schedule.Clock
}

// serveFlags are gisa serve's flags.
type serveFlags struct {
	config, listen, s3Endpoint string
	log                        *logFlags
}

func (f *serveFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "YAML config `file` (required: outlets and schedules)")
	fs.StringVar(&f.listen, "listen", "", "`address` of the HTTP endpoints (overrides serve.listen; default "+defaultListen+")")
	fs.StringVar(&f.s3Endpoint, "s3-endpoint", "", "S3-compatible endpoint `URL` (overrides storage.s3_endpoint and $GISA_S3_ENDPOINT)")
}

func cmdServe(f *serveFlags, stderr io.Writer) int {
	return serveMain(f, stderr, serveOptions{})
}

func serveMain(f *serveFlags, stderr io.Writer, opts serveOptions) int {
	if f.config == "" {
		fmt.Fprintln(stderr, "gisa serve: --config is required (outlets and their schedules)")
		return exitUsage
	}
	log, err := f.log.logger(stderr, "info")
	if err != nil {
		fmt.Fprintf(stderr, "gisa serve: %v\n", err)
		return exitUsage
	}
	pl, err := loadPlan(f.config, log)
	if err != nil {
		fmt.Fprintf(stderr, "gisa serve: %v\n", err)
		return exitUsage
	}
	defer pl.gc().Set(os.Getenv)()
	addr := pl.cfg.Serve.Listen
	if f.listen != "" {
		addr = f.listen
	}
	if addr == "" {
		addr = defaultListen
	}
	grace := 30 * time.Second
	if pl.cfg.Serve.Grace != nil {
		grace = *pl.cfg.Serve.Grace
	}
	clock := opts.clock
	if clock == nil {
		clock = schedule.SystemClock()
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := opts.signals
	if sigs == nil {
		c := make(chan os.Signal, 4)
		signal.Notify(c, syscall.SIGHUP, syscall.SIGTERM, os.Interrupt)
		defer signal.Stop(c)
		sigs = c
	}

	env, err := openCrawlEnv(ctx, &pl.cfg, s3EndpointFor(f.s3Endpoint, &pl.cfg), "gisa serve", false, log)
	if err != nil {
		fmt.Fprintf(stderr, "gisa serve: %v\n", err)
		return exitFailure
	}
	defer env.Close(ctx)
	statePath := pl.cfg.Serve.StateFile
	if statePath == "" {
		statePath = env.h.state + "-serve.json"
	} else if !filepath.IsAbs(statePath) {
		statePath = filepath.Join(filepath.Dir(f.config), statePath)
	}
	st, err := serve.OpenState(statePath)
	if err != nil {
		fmt.Fprintf(stderr, "gisa serve: %v\n", err)
		return exitFailure
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m, err := serve.NewMetrics(reg)
	if err != nil {
		fmt.Fprintf(stderr, "gisa serve: metrics: %v\n", err)
		return exitFailure
	}
	s := &server{log: log, env: env, metrics: m, now: clock.Now, ended: opts.ended, skipped: opts.skipped}
	s.plan.Store(pl)
	if env.redis != nil {
		s.fleet = newRunLocker(env.redis, opts.lockTTL, opts.lockClock, log, s.skip)
	}
	s.tracker = serve.NewTracker(m, st, pl.cfg.alarmConfig(), log)
	for _, j := range pl.jobs {
		s.tracker.Check(j.ID) // alarms of the history kept
	}
	s.sched = schedule.New(s.withLast(ctx, pl.jobs), s.runOutlet, schedule.Options{
		Clock: clock, Logger: log, Grace: grace,
		OnSkip: func(id string, _ time.Time) {
			m.Skipped(id, serve.SkipStillRunning)
			if s.skipped != nil {
				s.skipped(id, serve.SkipStillRunning)
			}
		},
		OnDone: func(id string) {
			o, _ := s.outcome.LoadAndDelete(id)
			switch o := o.(type) {
			case serve.Record:
				if s.ended != nil {
					s.ended(o)
				}
			case string:
				if s.skipped != nil {
					s.skipped(id, o)
				}
			}
		},
	})

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "gisa serve: listen: %v\n", err)
		return exitFailure
	}
	hs := &http.Server{Handler: serve.NewServer(s.tracker, nextRuns{s.sched, m}, reg, clock.Now).Handler(), ReadHeaderTimeout: 10 * time.Second}
	httpDone := make(chan error, 1)
	go func() { httpDone <- hs.Serve(ln) }()
	log.Info("gisa serve started", "listen", ln.Addr().String(), "outlets", len(pl.jobs), "out", pl.cfg.Out, "state", env.h.state, "history", statePath)
	if opts.ready != nil {
		opts.ready(ln.Addr().String())
	}

	schedDone := make(chan struct{})
	go func() { s.sched.Run(ctx); close(schedDone) }()
	code := exitOK
loop:
	for {
		select {
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				s.reload(ctx, f.config)
				continue
			}
			log.Info("stopping", "signal", sig.String(), "grace", grace)
			break loop
		case err := <-httpDone:
			log.Error("http server", "err", err)
			code = exitFailure
			break loop
		}
	}
	cancel()
	<-schedDone
	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer scancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("http server shutdown", "err", err)
	}
	log.Info("gisa serve stopped")
	return code
}

// nextRuns is the scheduler's jobs, with their next runs put into the
// metrics as the page asks for them.
type nextRuns struct {
	s *schedule.Scheduler
	m *serve.Metrics
}

func (n nextRuns) Jobs() []schedule.Status {
	jobs := n.s.Jobs()
	for _, j := range jobs {
		n.m.Next(j.ID, j.Next)
	}
	return jobs
}

// cmdConfigCheck implements gisa config check of the config file name
// ("" for none: the defaults).
func cmdConfigCheck(name string, lf *logFlags, stdout, stderr io.Writer) int {
	if _, err := lf.logger(io.Discard, "warn"); err != nil {
		fmt.Fprintf(stderr, "gisa config check: %v\n", err)
		return exitUsage
	}
	cfg, err := loadConfig(name)
	if err == nil && (len(cfg.Outlets) > 0 || len(cfg.NaverQueries) > 0) {
		var pl *plan
		if pl, err = planOf(cfg, nil); err == nil {
			fmt.Fprintf(stdout, "config %s: ok: %d outlets, archive %s\n", name, len(pl.jobs), cfg.Out)
			return exitOK
		}
	} else if err == nil {
		set, perr := loadProfiles(cfg.Profiles)
		if perr == nil {
			_, _, perr = resolveOutlets(&cfg, nil, set)
		}
		if err = perr; err == nil {
			fmt.Fprintf(stdout, "config %s: ok: built-in outlets, archive %s (no outlets for gisa serve)\n", name, cfg.Out)
			return exitOK
		}
	}
	fmt.Fprintf(stderr, "gisa config check: %s\n", strings.ReplaceAll(err.Error(), "\n", "\n  "))
	return exitUsage
}
