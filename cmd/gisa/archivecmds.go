package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/table"
	"github.com/gisa-news/gisa/warc"
)

// archiveFlags are the flags every archive command shares.
type archiveFlags struct {
	config, out, state, s3 string
	log                    *logFlags
}

func (f *archiveFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "YAML config `file` (for out, state and outlets)")
	fs.StringVar(&f.out, "out", "", "archive `dir` or s3://bucket/prefix; default ./archive")
	fs.StringVar(&f.state, "state", "", "crawl state `file`; default .gisa in the archive (./.gisa-state for S3)")
	fs.StringVar(&f.s3, "s3-endpoint", "", "S3-compatible endpoint `URL`; default $GISA_S3_ENDPOINT, else AWS")
}

// resolve reads the config and applies the flags over it.
func (f *archiveFlags) resolve() (Config, error) {
	cfg, err := loadConfig(f.config)
	if err != nil {
		return cfg, err
	}
	if f.out != "" {
		cfg.Out = f.out
	}
	if f.state != "" {
		cfg.State = f.state
	}
	if f.s3 == "" {
		f.s3 = os.Getenv("GISA_S3_ENDPOINT")
	}
	return cfg, nil
}

// reindexFlags are gisa reindex's flags.
type reindexFlags struct {
	archiveFlags
	fromManifests bool
}

func (f *reindexFlags) register(fs *pflag.FlagSet) {
	f.archiveFlags.register(fs)
	fs.BoolVar(&f.fromManifests, "from-manifests", false, "read the run manifests, and only the articles they do not describe (fast on S3)")
}

// cmdReindex rebuilds the catalog from the archive.
func cmdReindex(af *reindexFlags, stdout, stderr io.Writer) int {
	log, err := af.log.logger(stderr, "warn")
	if err != nil {
		fmt.Fprintf(stderr, "gisa reindex: %v\n", err)
		return exitUsage
	}
	cfg, err := af.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "gisa reindex: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h, err := openArchive(ctx, cfg.Out, cfg.State, af.s3, archiveMode{command: "gisa reindex", write: true}, log)
	if err != nil {
		fmt.Fprintf(stderr, "gisa reindex: %v\n", err)
		return exitFailure
	}
	defer h.Close()
	report := func(key string, err error) { fmt.Fprintf(stderr, "skipped %s: %v\n", key, err) }
	reindex := storage.Reindex
	if af.fromManifests {
		reindex = storage.ReindexFromManifests
	}
	st, err := reindex(ctx, h.store, h.catalog, report)
	if err == nil {
		err = h.arch.MarkManifested(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gisa reindex: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "reindexed %s: %d articles, %d revisions, %d bytes; %d corrupt, %d duplicates skipped\n",
		cfg.Out, st.Articles, st.Revisions, st.Bytes, st.Corrupt, st.Duplicates)
	if af.fromManifests && st.Unmanifested > 0 {
		fmt.Fprintf(stdout, "%d articles no manifest described (a run killed before it wrote its manifest?) were read\n", st.Unmanifested)
	}
	return exitOK
}

// statsFlags are gisa stats's flags.
type statsFlags struct {
	archiveFlags
	json bool
}

func (f *statsFlags) register(fs *pflag.FlagSet) {
	f.archiveFlags.register(fs)
	fs.BoolVar(&f.json, "json", false, "print JSON")
}

// cmdStats prints counts by outlet and day, sizes, revisions and
// extraction health.
func cmdStats(af *statsFlags, stdout, stderr io.Writer) int {
	log, err := af.log.logger(stderr, "warn")
	if err != nil {
		fmt.Fprintf(stderr, "gisa stats: %v\n", err)
		return exitUsage
	}
	cfg, err := af.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "gisa stats: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h, err := openArchive(ctx, cfg.Out, cfg.State, af.s3, archiveMode{command: "gisa stats"}, log)
	if err != nil {
		fmt.Fprintf(stderr, "gisa stats: %v\n", err)
		return exitFailure
	}
	defer h.Close()
	var cat storage.Catalog
	if h.catalog != nil {
		if n, err := h.catalog.Len(ctx); err == nil && n > 0 {
			cat = h.catalog
		} // else no catalog yet: read the archive itself
	}
	st, err := storage.Stats(ctx, h.store, cat)
	if err != nil {
		fmt.Fprintf(stderr, "gisa stats: %v\n", err)
		return exitFailure
	}
	if af.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(st)
	} else {
		err = st.WriteTable(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gisa stats: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// reparseFlags are gisa reparse's flags.
type reparseFlags struct {
	archiveFlags
	since, until      string
	outlets, profiles []string
}

func (f *reparseFlags) register(fs *pflag.FlagSet) {
	f.archiveFlags.register(fs)
	fs.StringVar(&f.since, "since", "", "only pages fetched from this `date` (YYYY-MM-DD, KST)")
	fs.StringVar(&f.until, "until", "", "only pages fetched up to this `date` (inclusive)")
	fs.StringArrayVar(&f.outlets, "outlet", nil, "only this outlet `ID` (repeatable)")
	fs.StringArrayVar(&f.profiles, "profiles", nil, "extra outlet profiles YAML `file` (repeatable)")
}

// cmdReparse re-extracts articles from the raw pages kept in WARC files
// with the current parser, writing JSON only where the result changed.
func cmdReparse(af *reparseFlags, stdout, stderr io.Writer) int {
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "gisa reparse: %v\n", err)
		return code
	}
	logw := &switchWriter{w: stderr} // through the live view while it is drawn
	log, err := af.log.logger(logw, "warn")
	if err != nil {
		return fail(exitUsage, err)
	}
	cfg, err := af.resolve()
	if err != nil {
		return fail(exitUsage, err)
	}
	from, err := parseDay("since", af.since)
	if err != nil {
		return fail(exitUsage, err)
	}
	to, err := parseDay("until", af.until)
	if err != nil {
		return fail(exitUsage, err)
	}
	if !to.IsZero() {
		to = to.Add(24*time.Hour - time.Nanosecond)
	}
	set, err := loadProfiles(append(cfg.Profiles, af.profiles...))
	if err != nil {
		return fail(exitUsage, err)
	}
	if _, set, err = resolveOutlets(&cfg, nil, set); err != nil {
		return fail(exitUsage, err)
	}
	want := map[string]bool{}
	for _, o := range af.outlets {
		if set.ByID(o) == nil {
			return fail(exitUsage, fmt.Errorf("unknown outlet %q", o))
		}
		want[o] = true
	}
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		return fail(exitFailure, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h, err := openArchive(ctx, cfg.Out, cfg.State, af.s3, archiveMode{command: "gisa reparse", write: true, reindex: true}, log)
	if err != nil {
		return fail(exitFailure, err)
	}
	defer h.Close()
	// A WARC file holds the pages of at most its rotation age (1 hour by
	// default) after its start: a margin before since finds them all.
	fileFrom := from
	if !fileFrom.IsZero() {
		fileFrom = fileFrom.Add(-24 * time.Hour)
	}
	view := newReparseView(want, set, stderr, logw, log)
	res, err := reparse(ctx, h, p, reparseRange{from: from, to: to, fileFrom: fileFrom, want: want}, view, log, logw)
	view.done()
	if err != nil {
		return fail(exitFailure, err)
	}
	files, c, outcomes, noProfile := res.files, res.counts, res.outcomes, res.noProfile
	kept := 0
	for _, o := range slices.Sorted(maps.Keys(noProfile)) {
		kept += noProfile[o]
		fmt.Fprintf(stderr, "outlet %s: no profile loaded (give the crawl's --config or --profiles); %d pages left as archived\n", o, noProfile[o])
	}
	tw := table.NewWriter(stdout, 2, 0)
	fmt.Fprintf(tw, "WARC files\t%d\n", len(files))
	fmt.Fprintf(tw, "pages\t%d\n", c.records)
	fmt.Fprintf(tw, "reparsed (changed, replaced)\t%d\n", outcomes[storage.Reparsed])
	fmt.Fprintf(tw, "unchanged\t%d\n", outcomes[storage.Unchanged])
	fmt.Fprintf(tw, "created (no JSON yet)\t%d\n", outcomes[storage.Created])
	fmt.Fprintf(tw, "updated (newer fetch)\t%d\n", outcomes[storage.Updated])
	fmt.Fprintf(tw, "not article\t%d\n", c.notArticle)
	fmt.Fprintf(tw, "skipped (status, outlet)\t%d\n", c.skipped)
	fmt.Fprintf(tw, "kept (outlet profile not loaded)\t%d\n", kept)
	fmt.Fprintf(tw, "failed to parse\t%d\n", c.failed)
	fmt.Fprintf(tw, "corrupt records\t%d\n", c.corrupt)
	if err := tw.Flush(); err != nil {
		return fail(exitFailure, err)
	}
	return exitOK
}

// reparseRange selects the pages gisa reparse reads.
type reparseRange struct {
	from, to, fileFrom time.Time
	want               map[string]bool // outlets; empty: all
}

// reparseResult is what gisa reparse did.
type reparseResult struct {
	files    []string
	counts   struct{ records, notArticle, failed, skipped, corrupt int }
	outcomes map[storage.Outcome]int
	// noProfile counts, by archived outlet, the pages no loaded profile
	// knows.
	noProfile map[string]int
}

// reparse re-extracts the pages of the WARC files in range with p, and
// writes the records whose result changed; v hears each page, stderr the
// corrupt records skipped.
func reparse(ctx context.Context, h *archiveHandle, p *parser.Parser, rg reparseRange, v reparseView, log *slog.Logger, stderr io.Writer) (reparseResult, error) {
	res := reparseResult{outcomes: map[storage.Outcome]int{}, noProfile: map[string]int{}}
	from, to, want := rg.from, rg.to, rg.want
	files, err := warc.Files(ctx, h.store, rg.fileFrom, to)
	if err != nil {
		return res, err
	}
	res.files = files
	c, outcomes, noProfile := &res.counts, res.outcomes, res.noProfile
	for _, f := range files {
		err := warc.Read(ctx, h.store, f, func(r warc.Record) error {
			if (!from.IsZero() && r.Date.Before(from)) || (!to.IsZero() && r.Date.After(to)) {
				return nil
			}
			c.records++
			t := v.page(r.URL)
			if r.Status != 200 {
				c.skipped++
				return nil
			}
			page, err := r.Page()
			var a article.Article
			if err == nil {
				a, err = p.Parse(page)
			}
			if err == nil && a.PublishedAt == nil {
				// The WARC does not hold discovery's date for the page; the
				// record made from it does, as its published_at source.
				if e, ok, cerr := h.catalog.ByURL(ctx, r.URL); cerr == nil && ok && !e.Published.IsZero() {
					if from, found := strings.CutPrefix(e.Sources["published_at"], "discovery"); found {
						page.PublishedHint, page.HintFrom = e.Published, strings.TrimPrefix(from, "-")
						a, err = p.Parse(page)
					}
				}
			}
			switch {
			case errors.Is(err, parser.ErrNotArticle):
				c.notArticle++
				return nil
			case err != nil:
				c.failed++
				t.n[reparseErrors].Add(1)
				log.Warn("reparse: page not parsed", "url", r.URL, "warc", f, "offset", r.Offset, "err", err)
				return nil
			}
			t.n[reparseParsed].Add(1)
			if a.Outlet.ID == "" {
				// No loaded profile knows the page. If the archive keeps it
				// as an outlet's article, that outlet's profile (in the
				// crawl's config) is missing: the generic extractor would
				// only make the record worse. Leave it as archived.
				e, ok, err := h.catalog.ByURL(ctx, r.URL)
				if err == nil && !ok {
					e, ok, err = h.catalog.ByURL(ctx, a.CanonicalURL)
				}
				if err != nil {
					return fmt.Errorf("%s at %d: %w", f, r.Offset, err)
				}
				if ok && e.Outlet != storage.UnknownOutlet {
					noProfile[e.Outlet]++
					return nil
				}
			}
			if len(want) > 0 && !want[a.Outlet.ID] {
				c.skipped++
				return nil
			}
			a.Raw = r.Location().Raw()
			o, _, err := h.arch.Reparse(ctx, &a)
			if err != nil {
				return fmt.Errorf("%s at %d: %w", f, r.Offset, err)
			}
			outcomes[o]++
			if o == storage.Unchanged {
				t.n[reparseUnchanged].Add(1)
			} else {
				t.n[reparseChanged].Add(1)
			}
			return nil
		})
		if bad := warc.Corrupt(err); len(bad) > 0 {
			for _, b := range bad {
				fmt.Fprintf(stderr, "skipped corrupt record: %v\n", b)
			}
			c.corrupt += len(bad)
			continue
		}
		if err != nil {
			return res, err
		}
	}
	if err := h.arch.Flush(ctx); err != nil {
		return res, err
	}
	return res, nil
}
