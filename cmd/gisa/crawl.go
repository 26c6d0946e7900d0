package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/warc"
)

const crawlUsage = `Usage: gisa crawl [OUTLET...] [flags]

Finds new articles on the outlets (all built-in ones when none is named and
the config names none), fetches each politely, parses it and archives it as
JSON. Killed at any moment, the next run continues where it stopped.

Flags:
`

func cmdCrawl(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, crawlUsage); fs.PrintDefaults() }
	var (
		configFile  = fs.String("config", "", "YAML config `file` (see README)")
		out         = fs.String("out", "", "archive `dir` (or s3://bucket/prefix); default ./archive")
		state       = fs.String("state", "", "crawl state `file`; default <out>/.gisa")
		since       = fs.String("since", "", "backfill from this `date` (YYYY-MM-DD, KST)")
		until       = fs.String("until", "", "backfill up to this `date` (inclusive; default today)")
		maxArticles = fs.Int("max-articles", 0, "stop after storing `n` new or updated articles (0: no limit)")
		maxDuration = fs.Duration("max-duration", 0, "stop after this long; in-flight work is requeued (0: no limit)")
		contact     = fs.String("contact", "", "`URL` or e-mail put into the User-Agent (overrides the config)")
		jsonOut     = fs.Bool("json", false, "print the run summary as JSON")
		noWARC      = fs.Bool("no-warc", false, "do not keep the raw pages (WARC files under warc/)")
		s3Endpoint  = fs.String("s3-endpoint", "", "S3-compatible endpoint `URL` for s3:// archives (MinIO, Ceph, R2…); default $GISA_S3_ENDPOINT, else AWS")
		logLevel    = fs.String("log-level", "info", "log `level`: debug, info, warn, error")
		profiles    multiFlag
		queries     multiFlag
	)
	fs.Var(&profiles, "profiles", "extra outlet profiles YAML `file` (repeatable)")
	fs.Var(&queries, "naver-query", "search the Naver Search API for `words` and crawl the results at their outlets (repeatable; NAVER_CLIENT_ID, NAVER_CLIENT_SECRET)")
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return exitUsage
	}
	log, err := newLogger(stderr, *logLevel)
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	cfg, err := loadConfig(*configFile)
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	if *out != "" {
		cfg.Out = *out
	}
	if *state != "" {
		cfg.State = *state
	}
	if *contact != "" {
		cfg.Contact = *contact
	}
	cfg.Profiles = append(cfg.Profiles, profiles...)
	cfg.NaverQueries = append(cfg.NaverQueries, queries...)

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
	outlets, set, err := resolveOutlets(&cfg, fs.Args(), set)
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	cc := crawler.DefaultConfig()
	cc.Outlets, cc.Contact, cc.Logger = outlets, cfg.Contact, log
	cc.MaxArticles, cc.MaxDuration = *maxArticles, *maxDuration
	cc.IgnoreRobots = cfg.IgnoreRobots
	cc.Credentials = creds
	cc.NaverQueries = cfg.NaverQueries
	cc.NaverID, cc.NaverSecret = os.Getenv("NAVER_CLIENT_ID"), crawler.Secret(os.Getenv("NAVER_CLIENT_SECRET"))
	cc.NaverEndpoint = os.Getenv("GISA_NAVER_ENDPOINT")
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
	if cc.Since, err = parseDay("since", *since); err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	if cc.Until, err = parseDay("until", *until); err != nil {
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

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *s3Endpoint == "" {
		*s3Endpoint = os.Getenv("GISA_S3_ENDPOINT")
	}
	var rs *redisState
	if isRedisState(cfg.State) {
		if rs, err = parseRedisState(cfg.State, os.Getenv); err != nil {
			fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
			return exitUsage
		}
	}
	h, err := openArchive(ctx, cfg.Out, cfg.State, *s3Endpoint, archiveMode{command: "gisa crawl", write: true, reindex: true}, log)
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitFailure
	}
	defer h.Close()
	store, statePath := h.store, h.state
	sink := archiveSink{a: h.arch}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if err := h.arch.Flush(cctx); err != nil {
			log.Error("writing the run's manifest", "err", err)
		}
	}()
	if !*noWARC {
		wo := warc.Options{
			SpoolDir: statePath + "-spool", Software: "gisa/" + crawler.Version, Operator: cfg.Contact, Logger: log,
		}
		if h.shared {
			wo.Prefix = "gisa-" + workerID() // never the name of another worker's file
		}
		w, err := warc.NewWriter(ctx, store, wo)
		if err != nil {
			fmt.Fprintf(stderr, "gisa crawl: raw pages: %v\n", err)
			return exitFailure
		}
		sink.warc = w
		defer func() {
			// Upload the open WARC file even when the crawl was interrupted.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
			defer cancel()
			if err := w.Close(cctx); err != nil {
				log.Error("raw pages: closing the WARC file", "err", err)
			}
		}()
	}
	var front interface {
		crawler.Frontier
		Close() error
	}
	shown := statePath
	if rs != nil {
		var rf *frontier.Redis
		rf, err = openRedisState(ctx, rs, statePath, log)
		if err == nil {
			front = rf
			// Politeness across the fleet: each host's spacing, in-flight
			// requests, Retry-After and Crawl-delay live in Redis.
			cc.Gates = func(host string, delay time.Duration, conc int) crawler.Gate { return rf.Gate(host, delay, conc) }
			cc.Robots = rf // robots.txt fetched once for the fleet
		}
		shown = rs.shown
	} else {
		front, err = frontier.Open(statePath, frontier.Options{})
	}
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitFailure
	}
	defer front.Close()
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitFailure
	}
	c, err := crawler.New(cc, p, front, sink, set)
	if err != nil {
		fmt.Fprintf(stderr, "gisa crawl: %v\n", err)
		return exitUsage
	}
	log.Info("crawl started", "outlets", len(outlets), "out", cfg.Out, "state", shown, "user_agent", crawler.UserAgent(cc.Contact))
	sum, err := c.Run(ctx)
	if *jsonOut {
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

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}
