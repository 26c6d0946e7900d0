package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/gisa-news/gisa/export"
	"github.com/gisa-news/gisa/internal/gcpolicy"
	"github.com/gisa-news/gisa/storage"
)

// exportFlags are gisa export's flags.
type exportFlags struct {
	archiveFlags
	format, compress, since, until, fetchedSince, updatedSince string
	reporter, section, sinceLast, partition, maxBytes          string
	outlets, words                                             []string
	excel, revisions, strict, overwrite                        bool
	maxRecords                                                 int64
	manifest                                                   string
}

func (f *exportFlags) register(fs *pflag.FlagSet) {
	f.archiveFlags.register(fs)
	fs.StringVar(&f.format, "format", "", "`format`: jsonl, csv or parquet (required)")
	fs.StringVar(&f.compress, "compress", "", "compress JSONL or CSV files: gzip or zstd")
	fs.BoolVar(&f.excel, "excel", false, "CSV for Excel: a UTF-8 byte order mark first, so that Excel on Korean Windows shows Hangul")
	fs.StringArrayVar(&f.outlets, "outlet", nil, "only this outlet `ID` (repeatable)")
	fs.StringVar(&f.since, "since", "", "published from this `date` (YYYY-MM-DD, KST)")
	fs.StringVar(&f.until, "until", "", "published up to this `date` (inclusive, KST)")
	fs.StringVar(&f.fetchedSince, "fetched-since", "", "fetched at or after this `date` (YYYY-MM-DD KST, or RFC 3339)")
	fs.StringVar(&f.updatedSince, "updated-since", "", "updated at or after this `date` (YYYY-MM-DD KST, or RFC 3339)")
	fs.StringVar(&f.reporter, "reporter", "", "a reporter's name contains this `text`")
	fs.StringVar(&f.section, "section", "", "the section contains this `text`")
	fs.StringArrayVar(&f.words, "word", nil, "the title or body contains this `word` (repeatable: all must)")
	fs.BoolVar(&f.revisions, "revisions", false, "every revision as well as the latest version")
	fs.StringVar(&f.sinceLast, "since-last", "", "only what was archived or corrected since the previous export of this `name`")
	fs.StringVar(&f.partition, "partition", "", "Hive-style folders by `keys`: outlet, date or outlet,date")
	fs.Int64Var(&f.maxRecords, "max-records", 0, "at most `N` records a part")
	fs.StringVar(&f.maxBytes, "max-bytes", "", "close a part at `size` bytes (K, M, G suffixes)")
	fs.BoolVar(&f.strict, "strict", false, "stop at an unreadable or corrupt archive entry (else skip and count it)")
	fs.BoolVar(&f.overwrite, "overwrite", false, "replace an existing output (and the files its manifest names)")
	fs.StringVar(&f.manifest, "manifest", "", "with DEST -: write the export's manifest to this `file` when the export completes")
}

// cmdExport writes the archive's records, filtered, to files of one
// format; pos are the positional arguments (the destination), cmdline
// the whole command line, written into the export's manifest.
func cmdExport(af *exportFlags, pos, cmdline []string, stdout, stderr io.Writer) int {
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "gisa export: %v\n", err)
		return code
	}
	if len(pos) != 1 {
		return fail(exitUsage, fmt.Errorf("want one destination (a file, a folder, - or s3://bucket/prefix), got %q", pos))
	}
	dest := pos[0]
	if af.manifest != "" && dest != "-" {
		return fail(exitUsage, errors.New("--manifest is for DEST - (standard output); other exports write their manifest beside their files"))
	}
	logw := &switchWriter{w: stderr} // above the progress bar while it is drawn
	log, err := af.log.logger(logw, "warn")
	if err != nil {
		return fail(exitUsage, err)
	}
	cfg, err := af.resolve()
	if err != nil {
		return fail(exitUsage, err)
	}
	o := export.Options{
		Excel: af.excel, MaxRecords: af.maxRecords, Strict: af.strict, Overwrite: af.overwrite,
		SinceLast: af.sinceLast, Log: log, Command: cmdline,
	}
	if af.format == "" {
		return fail(exitUsage, errors.New("--format is required: jsonl, csv or parquet"))
	}
	if o.Format, err = export.ParseFormat(af.format); err != nil {
		return fail(exitUsage, err)
	}
	if o.Compress, err = export.ParseCompression(af.compress); err != nil {
		return fail(exitUsage, err)
	}
	if o.Partition, err = export.ParsePartition(af.partition); err != nil {
		return fail(exitUsage, err)
	}
	if o.MaxBytes, err = parseSize(af.maxBytes); err != nil {
		return fail(exitUsage, err)
	}
	f := &o.Filter
	f.Outlets, f.Reporter, f.Section, f.Words, f.Revisions = af.outlets, af.reporter, af.section, af.words, af.revisions
	if f.Since, err = parseDay("since", af.since); err != nil {
		return fail(exitUsage, err)
	}
	if f.Until, err = parseDay("until", af.until); err != nil {
		return fail(exitUsage, err)
	}
	if f.FetchedSince, err = parseInstant("fetched-since", af.fetchedSince); err != nil {
		return fail(exitUsage, err)
	}
	if f.UpdatedSince, err = parseInstant("updated-since", af.updatedSince); err != nil {
		return fail(exitUsage, err)
	}
	if err := o.Validate(); err != nil {
		return fail(exitUsage, err)
	}

	defer gcpolicy.Batch.Set(os.Getenv)()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h, err := openArchive(ctx, cfg.Out, cfg.State, af.s3, archiveMode{command: "gisa export"}, log)
	if err != nil {
		return fail(exitFailure, err)
	}
	defer h.Close()
	src := &export.Source{Store: h.store}
	if h.catalog != nil {
		if n, err := h.catalog.Len(ctx); err == nil && n > 0 {
			src.Catalog = h.catalog
		}
	}
	if src.Catalog == nil {
		log.Warn("the archive has no catalog: listing its articles instead (slower; --since-last needs the catalog)", "archive", cfg.Out)
	}
	if strings.HasPrefix(cfg.Out, "s3://") {
		src.Watermarks = export.StoreWatermarks{Store: h.store}
	} else {
		src.Watermarks = export.DirWatermarks{Dir: cfg.Out}
	}
	dst, closeDst, err := exportTarget(ctx, dest, af.manifest, o.Format, o.Compress, len(o.Partition) > 0 || o.MaxRecords > 0 || o.MaxBytes > 0, af.s3, stdout, log)
	if err != nil {
		return fail(exitFailure, err)
	}
	defer closeDst()
	o.OnSkip = func(key string, err error) { fmt.Fprintf(logw, "skipped %s: %v\n", key, err) }
	prog := newProgress(stderr, log)
	prog.routeLogs(logw)
	o.OnProgress = prog.update
	m, err := export.Run(ctx, src, dst, o)
	prog.done()
	if err != nil {
		if errors.Is(err, export.ErrInvalid) {
			return fail(exitUsage, err)
		}
		return fail(exitFailure, err)
	}
	summary := stdout
	if dest == "-" {
		summary = stderr
	}
	fmt.Fprintf(summary, "exported %s in %s to %s", plural(m.Records, "record"), plural(int64(len(m.Files)), "file"), dst)
	if m.Skipped > 0 {
		fmt.Fprintf(summary, "; %d unreadable or corrupt entries skipped", m.Skipped)
	}
	fmt.Fprintln(summary)
	return exitOK
}

// exportTarget chooses the target DEST names: "-" standard output (its
// manifest to the file manifest, if any), s3://bucket/prefix a prefix, a name ending in the format's extension
// (out.jsonl, out.csv.gz, out.parquet) one file, anything else a folder.
func exportTarget(ctx context.Context, dest, manifest string, f export.Format, c export.Compression, parts bool, endpoint string, stdout io.Writer, log *slog.Logger) (export.Target, func(), error) {
	switch {
	case dest == "-":
		t := export.NewStream(stdout, manifest)
		return t, func() { t.Close() }, nil
	case strings.HasPrefix(dest, "s3://"):
		bucket, prefix, err := storage.ParseS3URL(dest)
		if err != nil {
			return nil, nil, err
		}
		s, err := storage.NewS3(ctx, bucket, prefix, storage.S3Options{Endpoint: endpoint, Logger: log})
		if err != nil {
			return nil, nil, fmt.Errorf("export to %s: %w", dest, err)
		}
		t := export.NewS3(s, dest, "")
		return t, func() { t.Close() }, nil
	}
	if !parts && strings.HasSuffix(dest, export.Ext(f, c)) {
		t := export.NewFile(dest)
		return t, func() { t.Close() }, nil
	}
	t := export.NewDir(dest)
	return t, func() { t.Close() }, nil
}

// parseInstant reads a day (its start in KST) or an RFC 3339 time.
func parseInstant(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := parseDay(name, s)
	if err != nil {
		return t, fmt.Errorf("--%s %q: want YYYY-MM-DD or an RFC 3339 time", name, s)
	}
	return t, nil
}

// parseSize reads a byte count with an optional K, M or G (binary) suffix.
func parseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	mult := int64(1)
	switch strings.ToUpper(s[len(s)-1:]) {
	case "K":
		mult = 1 << 10
	case "M":
		mult = 1 << 20
	case "G":
		mult = 1 << 30
	}
	num := s
	if mult > 1 {
		num = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("--max-bytes %q: want a positive size such as 500M", s)
	}
	return n * mult, nil
}

// plural is "1 record", "2 records".
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
