// Package export takes articles out of a gisa archive in batches: JSON
// Lines, CSV or Parquet, filtered, partitioned into parts, incrementally
// (--since-last), with a manifest that names every file written, its size
// and SHA-256, written last.
//
// An export streams: it reads the archive's catalog (a consistent snapshot,
// beside a running crawl) in order, fetches a few records ahead, and holds
// at most a few parts open at once, so its memory does not grow with the
// archive. docs/export.md describes every format's schema.
package export

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/gisa-news/gisa/storage"
)

// SchemaVersion is the version of the exported schema (columns, their
// order and types, the manifest). It changes when a column changes meaning,
// type or place, or is removed.
const SchemaVersion = 1

// ErrInvalid is wrapped by every error about the options of an export (an
// unknown format, filter or partition key, an inverted date range, a bad
// name): the caller's mistake, reported before anything is read or written.
var ErrInvalid = errors.New("invalid export")

// ErrExists is wrapped by the error of an export whose destination already
// holds a file or an export, without Overwrite.
var ErrExists = errors.New("destination exists")

// ErrCorrupt is wrapped by the error of a strict export that met an archive
// entry it could not read or decode.
var ErrCorrupt = errors.New("unreadable archive entry")

// Format is an export's file format.
type Format string

// The formats.
const (
	JSONL   Format = "jsonl"
	CSV     Format = "csv"
	Parquet Format = "parquet"
)

// Formats lists the formats in the order they are documented.
var Formats = []Format{JSONL, CSV, Parquet}

// ParseFormat reads a format name.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(s))
	if !slices.Contains(Formats, f) {
		return "", fmt.Errorf("%w: format %q: want jsonl, csv or parquet", ErrInvalid, s)
	}
	return f, nil
}

// Compression is how JSONL and CSV files are compressed ("" for none).
type Compression string

// The compressions.
const (
	NoCompression Compression = ""
	Gzip          Compression = "gzip"
	Zstd          Compression = "zstd"
)

// ParseCompression reads a compression name ("", "none", "gzip", "zstd").
func ParseCompression(s string) (Compression, error) {
	switch strings.ToLower(s) {
	case "", "none":
		return NoCompression, nil
	case "gzip", "gz":
		return Gzip, nil
	case "zstd", "zst":
		return Zstd, nil
	}
	return "", fmt.Errorf("%w: compression %q: want gzip, zstd or none", ErrInvalid, s)
}

// Partition keys.
const (
	PartitionOutlet = "outlet"
	PartitionDate   = "date"
)

// ParsePartition reads a comma-separated list of partition keys ("outlet",
// "date"), in the order the paths nest.
func ParsePartition(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var keys []string
	for k := range strings.SplitSeq(s, ",") {
		k = strings.TrimSpace(k)
		if k != PartitionOutlet && k != PartitionDate {
			return nil, fmt.Errorf("%w: partition key %q: want outlet, date or both (outlet,date)", ErrInvalid, k)
		}
		if slices.Contains(keys, k) {
			return nil, fmt.Errorf("%w: partition key %q given twice", ErrInvalid, k)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// Filter chooses the records of an export. The zero Filter takes every
// current record.
type Filter struct {
	Outlets      []string  // outlet IDs; none: every outlet
	Since, Until time.Time // published_at from the KST day of Since to that of Until, both included; zero: open
	FetchedSince time.Time // fetched_at at or after; zero: any
	UpdatedSince time.Time // updated_at at or after (a record never updated does not match); zero: any
	Reporter     string    // a reporter's name contains it (case-insensitive); "": any
	Section      string    // the section contains it (case-insensitive); "": any
	Words        []string  // each word is in the title or the body (case-insensitive)
	Revisions    bool      // every revision as well as the current version
}

// Validate reports the first thing wrong with f.
func (f Filter) Validate() error {
	if !f.Since.IsZero() && !f.Until.IsZero() && kstDay(f.Until) < kstDay(f.Since) {
		return fmt.Errorf("%w: --until %s is before --since %s", ErrInvalid, kstDay(f.Until), kstDay(f.Since))
	}
	for _, o := range f.Outlets {
		if !article.ValidID(o) && o != storage.UnknownOutlet {
			return fmt.Errorf("%w: outlet %q is not a valid outlet ID", ErrInvalid, o)
		}
	}
	for _, w := range f.Words {
		if strings.TrimSpace(w) == "" {
			return fmt.Errorf("%w: an empty word to search for", ErrInvalid)
		}
	}
	return nil
}

func kstDay(t time.Time) string { return t.In(article.KST).Format(time.DateOnly) }

// match reports whether the record passes the filters that need the record
// itself (the catalog's entry already passed outlet and day).
func (f Filter) match(a *article.Article) bool {
	if !f.Since.IsZero() || !f.Until.IsZero() {
		if a.PublishedAt == nil || a.PublishedAt.IsZero() {
			return false
		}
		d := kstDay(*a.PublishedAt)
		if (!f.Since.IsZero() && d < kstDay(f.Since)) || (!f.Until.IsZero() && d > kstDay(f.Until)) {
			return false
		}
	}
	if len(f.Outlets) > 0 {
		id := a.Outlet.ID
		if id == "" {
			id = storage.UnknownOutlet
		}
		if !slices.Contains(f.Outlets, id) {
			return false
		}
	}
	if !f.FetchedSince.IsZero() && (a.FetchedAt == nil || a.FetchedAt.Before(f.FetchedSince)) {
		return false
	}
	if !f.UpdatedSince.IsZero() && (a.UpdatedAt == nil || a.UpdatedAt.Before(f.UpdatedSince)) {
		return false
	}
	if f.Reporter != "" {
		want := strings.ToLower(f.Reporter)
		if !slices.ContainsFunc(a.Reporters, func(r article.Reporter) bool {
			return strings.Contains(strings.ToLower(r.Name), want)
		}) {
			return false
		}
	}
	if f.Section != "" && !strings.Contains(strings.ToLower(a.Section), strings.ToLower(f.Section)) {
		return false
	}
	if len(f.Words) > 0 {
		title, body := strings.ToLower(a.Title), strings.ToLower(a.Body)
		for _, w := range f.Words {
			w = strings.ToLower(w)
			if !strings.Contains(title, w) && !strings.Contains(body, w) {
				return false
			}
		}
	}
	return true
}

// matchEntry reports whether a catalog entry may pass the filter, from what
// the entry knows (a cheap test before the record is read).
func (f Filter) matchEntry(e storage.Entry) bool {
	if len(f.Outlets) > 0 && !slices.Contains(f.Outlets, e.Outlet) {
		return false
	}
	if !f.FetchedSince.IsZero() && !e.Fetched.IsZero() && e.Fetched.Before(f.FetchedSince) {
		return false
	}
	if !f.Since.IsZero() || !f.Until.IsZero() {
		if e.Published.IsZero() {
			return false
		}
		d := kstDay(e.Published)
		if (!f.Since.IsZero() && d < kstDay(f.Since)) || (!f.Until.IsZero() && d > kstDay(f.Until)) {
			return false
		}
	}
	return true
}

// Options describe an export.
type Options struct {
	Format    Format
	Compress  Compression // JSONL and CSV only
	Excel     bool        // CSV: a UTF-8 byte order mark first, so that Excel reads UTF-8 (Hangul)
	Filter    Filter
	Partition []string // PartitionOutlet, PartitionDate: Hive-style directories
	// MaxRecords and MaxBytes, when positive, close a part once it holds
	// that many records or bytes and begin the next. Bytes are counted
	// before compression (for Parquet, estimated from the records' text),
	// so a part holds at most MaxBytes plus one record.
	MaxRecords int64
	MaxBytes   int64
	// Strict makes an unreadable or corrupt archive entry fatal; else it is
	// reported through OnSkip and counted.
	Strict bool
	// Overwrite lets an export replace the files of an earlier one at its
	// destination; else a destination that exists is refused (ErrExists).
	Overwrite bool
	// SinceLast, when set, exports only what the archive gained or changed
	// after the previous export of that name, and records the new
	// watermark when this export and its manifest are complete.
	SinceLast string
	// Command is recorded in the manifest (the command line).
	Command []string
	// RowGroupBytes is the uncompressed size at which a Parquet row group
	// is flushed; 0 means DefaultRowGroupBytes.
	RowGroupBytes int64
	// TempDir holds the Parquet writer's pages until their row group is
	// complete; "" means the system's temporary folder.
	TempDir string
	// Concurrency is how many records are read ahead at once; 0 means 8.
	Concurrency int
	// Log receives the export's log lines; nil discards them.
	Log *slog.Logger
	// OnSkip, when not nil, is told of each archive entry skipped as
	// unreadable or corrupt (when not Strict).
	OnSkip func(key string, err error)
	// OnProgress, when not nil, is called after each record written, from
	// the export's goroutine; it must return quickly.
	OnProgress func(Progress)
	// Now gives the time recorded in the manifest and watermark; nil means
	// time.Now.
	Now func() time.Time
}

// DefaultRowGroupBytes is the uncompressed size of a Parquet row group, big
// enough for readers (DuckDB, Spark, BigQuery) to scan columns in long runs;
// its encoded pages wait in temporary files (Options.TempDir), so the
// writer's memory does not grow with it.
const DefaultRowGroupBytes = 128 << 20

// Progress is how far an export has come.
type Progress struct {
	Records int64 // written
	Bytes   int64 // record bytes read from the archive
	Skipped int64
	Total   int64 // about the records expected (catalog entries that pass the outlet and date filters); 0 without a catalog
	// Outlet is the outlet of the last record written. A call reports
	// one archive entry's records, all of one outlet: the Records added
	// since the last call are Outlet's.
	Outlet string
}

var validName = lazy.NewRegexp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Validate reports the first thing wrong with o.
func (o *Options) Validate() error {
	if !slices.Contains(Formats, o.Format) {
		return fmt.Errorf("%w: format %q: want jsonl, csv or parquet", ErrInvalid, o.Format)
	}
	switch o.Compress {
	case NoCompression, Gzip, Zstd:
	default:
		return fmt.Errorf("%w: compression %q: want gzip, zstd or none", ErrInvalid, o.Compress)
	}
	if o.Format == Parquet && o.Compress != NoCompression {
		return fmt.Errorf("%w: --compress is for jsonl and csv; Parquet compresses its columns itself (zstd)", ErrInvalid)
	}
	if o.Excel && o.Format != CSV {
		return fmt.Errorf("%w: --excel is for csv", ErrInvalid)
	}
	for _, k := range o.Partition {
		if k != PartitionOutlet && k != PartitionDate {
			return fmt.Errorf("%w: partition key %q: want outlet or date", ErrInvalid, k)
		}
	}
	if o.MaxRecords < 0 || o.MaxBytes < 0 {
		return fmt.Errorf("%w: a negative part size", ErrInvalid)
	}
	if o.SinceLast != "" && !validName.MatchString(o.SinceLast) {
		return fmt.Errorf("%w: --since-last %q: a name of letters, digits, '.', '_' and '-' (at most 100)", ErrInvalid, o.SinceLast)
	}
	return o.Filter.Validate()
}

func (o *Options) log() *slog.Logger {
	if o.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Log
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}
