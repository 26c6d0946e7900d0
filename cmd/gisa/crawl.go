package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/gcpolicy"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/warc"
)

// crawlFlags are gisa crawl's flags.
type crawlFlags struct {
	config, out, state, since, until, contact, s3Endpoint string
	maxArticles                                           int
	maxDuration                                           time.Duration
	json, noWARC                                          bool
	profiles, naverQueries                                []string
}

func (f *crawlFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "YAML config `file` (see README)")
	fs.StringVar(&f.out, "out", "", "archive `dir` (or s3://bucket/prefix); default ./archive")
	fs.StringVar(&f.state, "state", "", "crawl state `file`; default .gisa in the archive")
	fs.StringVar(&f.since, "since", "", "backfill from this `date` (YYYY-MM-DD, KST)")
	fs.StringVar(&f.until, "until", "", "backfill up to this `date` (inclusive; default today)")
	fs.IntVar(&f.maxArticles, "max-articles", 0, "stop after storing `n` new or updated articles (0: no limit)")
	fs.DurationVar(&f.maxDuration, "max-duration", 0, "stop after this long; in-flight work is requeued (0: no limit)")
	fs.StringVar(&f.contact, "contact", "", "`URL` or e-mail put into the User-Agent (overrides the config)")
	fs.BoolVar(&f.json, "json", false, "print the run summary as JSON")
	fs.BoolVar(&f.noWARC, "no-warc", false, "do not keep the raw pages (WARC files under warc/)")
	fs.StringVar(&f.s3Endpoint, "s3-endpoint", "", "S3-compatible endpoint `URL` for s3:// archives (MinIO, Ceph, R2…); default $GISA_S3_ENDPOINT, else AWS")
	fs.StringArrayVar(&f.profiles, "profiles", nil, "extra outlet profiles YAML `file` (repeatable)")
	fs.StringArrayVar(&f.naverQueries, "naver-query", nil, "search the Naver Search API for `words` and crawl the results at their outlets (repeatable; NAVER_CLIENT_ID, NAVER_CLIENT_SECRET)")
}

// cmdCrawl runs gisa crawl over the outlets named in args.
func cmdCrawl(f *crawlFlags, lf *logFlags, args []string, stdout, stderr io.Writer) int {
	logw := &switchWriter{w: stderr} // through the live view while it is drawn
	log, err := lf.logger(logw, "info")
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	if f.out != "" {
		cfg.Out = f.out
	}
	if f.state != "" {
		cfg.State = f.state
	}
	if f.contact != "" {
		cfg.Contact = f.contact
	}
	cfg.Profiles = append(cfg.Profiles, f.profiles...)
	cfg.NaverQueries = append(cfg.NaverQueries, f.naverQueries...)

	set, err := loadProfiles(cfg.Profiles)
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	creds, err := takeCredentials(&cfg)
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: config: %v\n", err)
		return exitUsage
	}
	outlets, set, err := resolveOutlets(&cfg, args, set)
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	cc := crawlerConfig(&cfg, outlets, creds, log)
	defer gcpolicy.Crawl.AtLeast(int64(cc.Workers) * gcpolicy.CrawlPerWorker).Set(os.Getenv)()
	cc.MaxArticles, cc.MaxDuration = f.maxArticles, f.maxDuration
	cc.NaverQueries = cfg.NaverQueries
	cc.NaverID, cc.NaverSecret = os.Getenv("NAVER_CLIENT_ID"), crawler.Secret(os.Getenv("NAVER_CLIENT_SECRET"))
	cc.NaverEndpoint = os.Getenv("GISA_NAVER_ENDPOINT")
	if cc.Since, err = parseDay("since", f.since); err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	if cc.Until, err = parseDay("until", f.until); err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	if !cc.Until.IsZero() {
		cc.Until = cc.Until.Add(24*time.Hour - time.Nanosecond) // the whole day
	}
	if err := cc.Validate(); err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}

	if isRedisState(cfg.State) {
		if _, err := parseRedisState(cfg.State, os.Getenv); err != nil {
			fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
			return exitUsage
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	started := time.Now()
	env, err := openWithin(ctx, f.maxDuration, func(ctx context.Context) (*crawlEnv, error) {
		return openCrawlEnv(ctx, &cfg, s3EndpointFor(f.s3Endpoint, &cfg), "gisa crawl", f.noWARC, log)
	})
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitFailure
	}
	defer env.Close(ctx)
	if f.maxDuration > 0 {
		// --max-duration counts from the start of the command: the wait
		// for a shared state that was slow to answer is part of it.
		cc.MaxDuration = max(f.maxDuration-time.Since(started), time.Nanosecond)
	}
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitFailure
	}
	view := newCrawlView(outlets, stderr, logw, log)
	cc.Observer = view
	c, err := env.crawler(cc, p, set)
	if err != nil {
		view.done()
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	log.Info("crawl started", "outlets", len(outlets), "out", cfg.Out, "state", env.shown, "user_agent", crawler.UserAgent(cc.Contact))
	sum, err := c.Run(ctx)
	view.done() // the summary goes below the view's last drawing
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if e := enc.Encode(sum); e != nil && err == nil {
			err = e
		}
	} else if e := sum.WriteTable(stdout); e != nil && err == nil {
		err = e
	}
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// openWithin runs open (the archive, the frontier and the WARC writer of a
// crawl) bounded by limit, when there is one: an unreachable Redis state is
// otherwise retried for its max_outage (10 minutes by default), longer than
// the whole run a --max-duration allows. The context open gets outlives the
// call (a Redis state renews its leases under it), so the limit is a timer
// stopped once open returns rather than a deadline.
func openWithin(ctx context.Context, limit time.Duration, open func(context.Context) (*crawlEnv, error)) (*crawlEnv, error) {
	if limit <= 0 {
		return open(ctx)
	}
	openCtx, cancel := context.WithCancel(ctx)
	timer := time.AfterFunc(limit, cancel)
	env, err := open(openCtx)
	if timer.Stop() {
		return env, err // in time: openCtx lives on, and ends with ctx
	}
	// The limit passed while opening, or just as open returned: whatever
	// it opened under openCtx would stop (leases no longer renewed).
	if env != nil {
		env.Close(ctx)
	}
	if err == nil {
		err = context.Canceled
	}
	return nil, fmt.Errorf("--max-duration %s passed before the crawl could start: %w", limit, err)
}

// crawlerConfig is the crawler's configuration from gisa's: everything but
// the limits of one run and the Naver search, which only gisa crawl has.
func crawlerConfig(cfg *Config, outlets []crawler.Outlet, creds map[string]crawler.Credential, log *slog.Logger) crawler.Config {
	cc := crawler.DefaultConfig()
	cc.Outlets, cc.Contact, cc.Logger = outlets, cfg.Contact, log
	cc.IgnoreRobots = cfg.IgnoreRobots
	cc.Credentials = creds
	if cfg.Delay != nil {
		cc.Delay = *cfg.Delay
	}
	if cfg.Concurrency > 0 {
		cc.Concurrency = cfg.Concurrency
	}
	if cfg.Workers > 0 {
		cc.Workers = cfg.Workers
	}
	if cfg.RecheckWindow != nil {
		cc.RecheckWindow = *cfg.RecheckWindow
	}
	if cfg.RecheckInterval != nil {
		cc.RecheckInterval = *cfg.RecheckInterval
	}
	if cfg.MaxPages > 0 {
		cc.MaxPages = cfg.MaxPages
	}
	if cfg.FetchTimeout > 0 {
		cc.FetchTimeout = cfg.FetchTimeout
	}
	if cfg.RetryBase > 0 {
		cc.RetryBase = cfg.RetryBase
	}
	if cfg.MaxAttempts > 0 {
		cc.MaxAttempts = cfg.MaxAttempts
	}
	return cc
}

// s3EndpointFor picks the S3 endpoint: the flag, else $GISA_S3_ENDPOINT,
// else the config's storage.s3_endpoint.
func s3EndpointFor(flagValue string, cfg *Config) string {
	if flagValue != "" {
		return flagValue
	}
	if e := os.Getenv("GISA_S3_ENDPOINT"); e != "" {
		return e
	}
	return cfg.S3Endpoint
}

// crawlEnv is what crawls write into: the archive (its writer lock held),
// the frontier and the WARC writer. gisa crawl opens one per run; gisa
// serve one for its lifetime, shared by its outlets' runs.
type crawlEnv struct {
	h     *archiveHandle
	sink  archiveSink
	front interface {
		crawler.Frontier
		Close() error
	}
	// redis is the shared frontier of a fleet (state: redis://…), nil for
	// the embedded one; shown names the state in logs, its password hidden.
	redis *frontier.Redis
	shown string
	log   *slog.Logger
}

// openCrawlEnv opens the archive of cfg for writing (command is named in
// its lock to anyone refused), its frontier (the embedded one, or a fleet's
// in Redis when the state is redis://) and, unless noWARC, a WARC writer.
func openCrawlEnv(ctx context.Context, cfg *Config, endpoint, command string, noWARC bool, log *slog.Logger) (*crawlEnv, error) {
	var rs *redisState
	if isRedisState(cfg.State) {
		var err error
		if rs, err = parseRedisState(cfg.State, os.Getenv); err != nil {
			return nil, err
		}
	}
	h, err := openArchive(ctx, cfg.Out, cfg.State, endpoint, archiveMode{command: command, write: true, reindex: true}, log)
	if err != nil {
		return nil, err
	}
	e := &crawlEnv{h: h, sink: archiveSink{a: h.arch}, shown: h.state, log: log}
	if !noWARC {
		wo := warc.Options{
			SpoolDir: h.state + "-spool", Software: "gisa/" + crawler.Version, Operator: cfg.Contact, Logger: log,
		}
		if h.shared {
			wo.Prefix = "gisa-" + workerID() // never the name of another worker's file
		}
		w, err := warc.NewWriter(ctx, h.store, wo)
		if err != nil {
			e.Close(ctx)
			return nil, fmt.Errorf("raw pages: %w", err)
		}
		e.sink.warc = w
	}
	if rs != nil {
		e.shown = rs.shown
		if e.redis, err = openRedisState(ctx, rs, h.state, log); err != nil {
			e.Close(ctx)
			return nil, err
		}
		e.front = e.redis
	} else if e.front, err = frontier.Open(h.state, frontier.Options{}); err != nil {
		e.Close(ctx)
		return nil, err
	}
	return e, nil
}

// crawler returns a crawler over the env's frontier and archive. With a
// fleet's frontier, politeness is the fleet's: each host's spacing,
// in-flight requests, Retry-After and Crawl-delay live in Redis, and
// robots.txt is fetched once for all workers.
func (e *crawlEnv) crawler(cc crawler.Config, p *parser.Parser, set *parser.Profiles) (*crawler.Crawler, error) {
	if rf := e.redis; rf != nil {
		cc.Gates = func(host string, delay time.Duration, conc int) crawler.Gate { return rf.Gate(host, delay, conc) }
		cc.Robots = rf
	}
	return crawler.New(cc, p, e.front, e.sink, set)
}

// flush writes the manifest of what was archived since the last flush.
func (e *crawlEnv) flush(ctx context.Context) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := e.h.arch.Flush(cctx); err != nil {
		e.log.Error("writing the run's manifest", "err", err)
	}
}

// Close closes the frontier, uploads the open WARC file (even after an
// interruption), writes the manifest and lets go of the archive.
func (e *crawlEnv) Close(ctx context.Context) {
	if e.front != nil {
		e.front.Close()
	}
	if w := e.sink.warc; w != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
		if err := w.Close(cctx); err != nil {
			e.log.Error("raw pages: closing the WARC file", "err", err)
		}
		cancel()
	}
	e.flush(ctx)
	e.h.Close()
}

// archiveSink saves articles into a storage.Archive, and the HTTP exchange
// each came from into WARC files of the same archive. The raw page goes
// first: a crash between the two leaves an extra raw record (the page is
// fetched again next run), never a JSON record without its evidence.
type archiveSink struct {
	a    *storage.Archive
	warc *warc.Writer // nil: no raw pages kept
}

func (s archiveSink) Save(ctx context.Context, a *article.Article, page *article.Page) (crawler.Saved, error) {
	if s.warc != nil && page != nil {
		loc, err := s.warc.Write(ctx, page)
		if err != nil {
			return 0, fmt.Errorf("warc: %w", err)
		}
		a.Raw = loc.Raw()
	}
	o, _, err := s.a.PutArticle(ctx, a)
	if err != nil {
		return 0, err
	}
	switch o {
	case storage.Created:
		return crawler.SavedNew, nil
	case storage.Updated:
		return crawler.SavedUpdated, nil
	}
	return crawler.SavedUnchanged, nil
}

// openStore opens the archive root named by out: a directory (read only:
// never created, nothing in it removed), or
// s3://bucket/prefix (the standard AWS credential chain; endpoint for
// S3-compatible stores, with path-style addressing).
func openStore(ctx context.Context, out, endpoint string, readOnly bool, log *slog.Logger) (storage.Store, func(), error) {
	if strings.HasPrefix(out, "s3://") {
		bucket, prefix, err := storage.ParseS3URL(out)
		if err != nil {
			return nil, nil, err
		}
		s, err := storage.NewS3(ctx, bucket, prefix, storage.S3Options{Endpoint: endpoint, Logger: log})
		if err != nil {
			return nil, nil, fmt.Errorf("archive %s: %w", out, err)
		}
		return s, func() {}, nil
	}
	if readOnly {
		d, err := storage.OpenDiskReadOnly(out)
		if err != nil {
			return nil, nil, fmt.Errorf("archive %s: %w", out, err)
		}
		return d, func() { d.Close() }, nil
	}
	d, err := storage.NewDisk(out)
	if err != nil {
		return nil, nil, fmt.Errorf("archive %s: %w", out, err)
	}
	if n := d.Recovered(); n > 0 {
		log.Info("removed partial files left by an earlier crash", "dir", out, "files", n)
	}
	return d, func() { d.Close() }, nil
}

// parseDay reads a YYYY-MM-DD date as the start of that day in KST.
func parseDay(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, article.KST)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s %q: want YYYY-MM-DD", name, s)
	}
	return t, nil
}
