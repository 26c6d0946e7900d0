package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gisa-news/gisa/export"
	"github.com/gisa-news/gisa/storage"
)

// cmdExport writes the archive's records, filtered, to files of one format.
func cmdExport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	af := addArchiveFlags(fs)
	format := fs.String("format", "", "`format`: jsonl, csv or parquet (required)")
	compress := fs.String("compress", "", "compress JSONL or CSV files: gzip or zstd")
	excel := fs.Bool("excel", false, "CSV for Excel: a UTF-8 byte order mark first, so that Excel on Korean Windows shows Hangul")
	var outlets multiFlag
	fs.Var(&outlets, "outlet", "only this outlet `ID` (repeatable)")
	since := fs.String("since", "", "published from this `date` (YYYY-MM-DD, KST)")
	until := fs.String("until", "", "published up to this `date` (inclusive, KST)")
	fetchedSince := fs.String("fetched-since", "", "fetched at or after this `date` (YYYY-MM-DD KST, or RFC 3339)")
	updatedSince := fs.String("updated-since", "", "updated at or after this `date` (YYYY-MM-DD KST, or RFC 3339)")
	reporter := fs.String("reporter", "", "a reporter's name contains this `text`")
	section := fs.String("section", "", "the section contains this `text`")
	var words multiFlag
	fs.Var(&words, "word", "the title or body contains this `word` (repeatable: all must)")
	revisions := fs.Bool("revisions", false, "every revision as well as the latest version")
	sinceLast := fs.String("since-last", "", "only what was archived or corrected since the previous export of this `name`")
	partition := fs.String("partition", "", "Hive-style folders by `keys`: outlet, date or outlet,date")
	maxRecords := fs.Int64("max-records", 0, "at most `N` records a part")
	maxBytes := fs.String("max-bytes", "", "close a part at `size` bytes (K, M, G suffixes)")
	strict := fs.Bool("strict", false, "stop at an unreadable or corrupt archive entry (else skip and count it)")
	overwrite := fs.Bool("overwrite", false, "replace an existing output (and the files its manifest names)")
	manifest := fs.String("manifest", "", "with DEST -: write the export's manifest to this `file` when the export completes")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "gisa export: %v\n", err)
		return code
	}
	if len(pos) != 1 {
		return fail(exitUsage, errors.New("want one destination: a file, a folder, - or s3://bucket/prefix"))
	}
	dest := pos[0]
	if *manifest != "" && dest != "-" {
		return fail(exitUsage, errors.New("--manifest is for DEST - (standard output); other exports write their manifest beside their files"))
	}
	log, err := af.log.logger(stderr)
	if err != nil {
		return fail(exitUsage, err)
	}
	cfg, err := af.resolve()
	if err != nil {
		return fail(exitUsage, err)
	}
	o := export.Options{
		Excel: *excel, MaxRecords: *maxRecords, Strict: *strict, Overwrite: *overwrite,
		SinceLast: *sinceLast, Log: log, Command: append([]string{"gisa", "export"}, args...),
	}
	if *format == "" {
		return fail(exitUsage, errors.New("--format is required: jsonl, csv or parquet"))
	}
	if o.Format, err = export.ParseFormat(*format); err != nil {
		return fail(exitUsage, err)
	}
	if o.Compress, err = export.ParseCompression(*compress); err != nil {
		return fail(exitUsage, err)
	}
	if o.Partition, err = export.ParsePartition(*partition); err != nil {
		return fail(exitUsage, err)
	}
	if o.MaxBytes, err = parseSize(*maxBytes); err != nil {
		return fail(exitUsage, err)
	}
	f := &o.Filter
	f.Outlets, f.Reporter, f.Section, f.Words, f.Revisions = outlets, *reporter, *section, words, *revisions
	if f.Since, err = parseDay("since", *since); err != nil {
		return fail(exitUsage, err)
	}
	if f.Until, err = parseDay("until", *until); err != nil {
		return fail(exitUsage, err)
	}
	if f.FetchedSince, err = parseInstant("fetched-since", *fetchedSince); err != nil {
		return fail(exitUsage, err)
	}
	if f.UpdatedSince, err = parseInstant("updated-since", *updatedSince); err != nil {
		return fail(exitUsage, err)
	}
	if err := o.Validate(); err != nil {
		return fail(exitUsage, err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h, err := openArchive(ctx, cfg.Out, cfg.State, *af.s3, archiveMode{command: "gisa export"}, log)
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
	dst, closeDst, err := exportTarget(ctx, dest, *manifest, o.Format, o.Compress, len(o.Partition) > 0 || o.MaxRecords > 0 || o.MaxBytes > 0, *af.s3, stdout, log)
	if err != nil {
		return fail(exitFailure, err)
	}
	defer closeDst()
	o.OnSkip = func(key string, err error) { fmt.Fprintf(stderr, "skipped %s: %v\n", key, err) }
	prog := newProgress(stderr, log)
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
	fmt.Fprintf(summary, "exported %d records in %d files to %s", m.Records, len(m.Files), dst)
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
