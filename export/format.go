package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"
	"github.com/parquet-go/parquet-go"
	pqzstd "github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/gisa-news/gisa/article"
)

// recordWriter writes records in one format to one file.
type recordWriter interface {
	Write(r *Record) error
	// Close ends the format (a footer, the compressor's last block); it
	// does not close the file beneath.
	Close() error
}

// Ext is the file name extension of a part (".jsonl.gz", ".parquet").
func Ext(f Format, c Compression) string {
	e := "." + string(f)
	switch c {
	case Gzip:
		e += ".gz"
	case Zstd:
		e += ".zst"
	}
	return e
}

// byteCounter counts the bytes written through it.
type byteCounter struct {
	w io.Writer
	n int64
}

func (c *byteCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// newRecordWriter returns the writer of o's format over w, and the counter
// of the uncompressed bytes it writes (nil for Parquet, whose size is known
// only as its pages are flushed).
func newRecordWriter(o *Options, w io.Writer) (recordWriter, *byteCounter, error) {
	if o.Format == Parquet {
		return newParquetWriter(w, o.RowGroupBytes, o.TempDir), nil, nil
	}
	var (
		out     = w
		closeFn = func() error { return nil }
	)
	switch o.Compress {
	case Gzip:
		// Blocks compressed on every core at once (the writer is one
		// goroutine): one gzip member, read by any gzip reader.
		gz, err := pgzip.NewWriterLevel(w, GzipLevel)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		out, closeFn = gz, gz.Close
	case Zstd:
		zw, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
		if err != nil {
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		out, closeFn = zw, zw.Close
	}
	count := &byteCounter{w: out}
	if o.Format == CSV {
		cw, err := newCSVWriter(count, closeFn, o.Excel)
		return cw, count, err
	}
	return &jsonlWriter{w: count, close: closeFn}, count, nil
}

// GzipLevel is the level of gzip exports, chosen from BenchmarkGzipLevel:
// on JSON Lines of Korean articles level 2 compresses 1.4–1.8 times as
// fast as the default level (5 in klauspost/compress) for files about 9%
// larger: gzip was most of a gzip export's cost. zstd is both smaller and
// faster.
const GzipLevel = 2

// newEncoder returns what the reading workers do to a record of o's
// format, so that the writer only copies bytes (or rows) in order.
func newEncoder(o *Options) func(*Record) error {
	switch o.Format {
	case Parquet:
		return func(r *Record) error {
			row := parquetRowOf(r)
			r.row = &row
			return nil
		}
	case CSV:
		return func(r *Record) (err error) { r.enc, err = encodeCSV(r); return err }
	default:
		return func(r *Record) (err error) { r.enc, err = encodeJSONL(r); return err }
	}
}

type jsonlWriter struct {
	w     io.Writer
	close func() error
}

func (j *jsonlWriter) Write(r *Record) error {
	b := r.enc
	if b == nil {
		var err error
		if b, err = encodeJSONL(r); err != nil {
			return err
		}
	}
	_, err := j.w.Write(b)
	return err
}

func (j *jsonlWriter) Close() error { return j.close() }

// CSVColumns is the fixed column order of a CSV export (docs/export.md).
var CSVColumns = []string{
	"id", "revision", "outlet_id", "outlet_name", "section", "title", "subtitle", "body",
	"reporter_names", "reporter_emails", "reporter_roles",
	"published_at", "updated_at", "fetched_at",
	"url", "canonical_url",
	"image_urls", "image_captions", "image_credits",
	"related_titles", "related_urls", "tags",
	"copyright", "language", "portal_name", "portal_original_url",
	"content_hash", "parser_version", "archive_key",
}

// ListSep joins the items of a multi-value CSV cell: one item a line. A
// line break inside an item becomes a space.
const ListSep = "\n"

type csvWriter struct {
	w     io.Writer
	close func() error
}

func newCSVWriter(w io.Writer, closeFn func() error, excel bool) (*csvWriter, error) {
	if excel {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return nil, err
	}
	cw.Flush()
	return &csvWriter{w: w, close: closeFn}, cw.Error()
}

// Neutralize makes a spreadsheet show a cell as text: one that begins with
// '=', '+', '-', '@' (or a tab or carriage return, which some spreadsheets
// skip before them) gets a leading apostrophe.
func Neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func joinList[T any](items []T, field func(T) string) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteString(ListSep)
		}
		v := field(it)
		if strings.ContainsAny(v, "\r\n") {
			v = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(v)
		}
		b.WriteString(v)
	}
	return b.String()
}

// kstTime formats a time for CSV: RFC 3339 in KST, "" for null.
func kstTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(article.KST).Format(time.RFC3339Nano)
}

// csvRow is a record's CSV row: one field a column of CSVColumns.
func csvRow(r *Record) []string {
	a := r.Article
	var portalName, portalURL string
	if a.Portal != nil {
		portalName, portalURL = a.Portal.Name, a.Portal.OriginalURL
	}
	row := []string{
		a.ID, strconv.Itoa(r.Revision), a.Outlet.ID, a.Outlet.Name, a.Section, a.Title, a.Subtitle, a.Body,
		joinList(a.Reporters, func(x article.Reporter) string { return x.Name }),
		joinList(a.Reporters, func(x article.Reporter) string { return x.Email }),
		joinList(a.Reporters, func(x article.Reporter) string { return x.Role }),
		kstTime(a.PublishedAt), kstTime(a.UpdatedAt), kstTime(a.FetchedAt),
		a.URL, a.CanonicalURL,
		joinList(a.Images, func(x article.Image) string { return x.URL }),
		joinList(a.Images, func(x article.Image) string { return x.Caption }),
		joinList(a.Images, func(x article.Image) string { return x.Credit }),
		joinList(a.Related, func(x article.Link) string { return x.Title }),
		joinList(a.Related, func(x article.Link) string { return x.URL }),
		joinList(a.Tags, func(x string) string { return x }),
		a.Copyright, a.Language, portalName, portalURL,
		a.ContentHash, a.ParserVersion, r.Key,
	}
	for i := range row {
		row[i] = Neutralize(row[i])
	}
	return row
}

// encodeCSV is a record's CSV row, encoded (it may span lines: a cell's
// line breaks are kept inside quotes).
func encodeCSV(r *Record) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(int(r.Size) + 256)
	w := csv.NewWriter(&buf)
	if err := w.Write(csvRow(r)); err != nil {
		return nil, fmt.Errorf("csv %s: %w", r.Key, err)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func (c *csvWriter) Write(r *Record) error {
	b := r.enc
	if b == nil {
		var err error
		if b, err = encodeCSV(r); err != nil {
			return err
		}
	}
	_, err := c.w.Write(b)
	return err
}

func (c *csvWriter) Close() error { return c.close() }

// ParquetRow is the Parquet schema of an export (docs/export.md): one row a
// record version. Times are timestamps in UTC (isAdjustedToUTC) beside the
// same instant's KST wall time (a local timestamp).
type ParquetRow struct {
	ID            string            `parquet:"id"`
	Revision      int32             `parquet:"revision"`
	OutletID      string            `parquet:"outlet_id"`
	OutletName    string            `parquet:"outlet_name"`
	Section       string            `parquet:"section"`
	Title         string            `parquet:"title"`
	Subtitle      string            `parquet:"subtitle"`
	Body          string            `parquet:"body"`
	Reporters     []ParquetReporter `parquet:"reporters,list"`
	PublishedAt   *time.Time        `parquet:"published_at,timestamp(microsecond:utc),optional"`
	PublishedKST  *int64            `parquet:"published_at_kst,timestamp(microsecond:local),optional"`
	UpdatedAt     *time.Time        `parquet:"updated_at,timestamp(microsecond:utc),optional"`
	UpdatedKST    *int64            `parquet:"updated_at_kst,timestamp(microsecond:local),optional"`
	FetchedAt     *time.Time        `parquet:"fetched_at,timestamp(microsecond:utc),optional"`
	FetchedKST    *int64            `parquet:"fetched_at_kst,timestamp(microsecond:local),optional"`
	URL           string            `parquet:"url"`
	CanonicalURL  string            `parquet:"canonical_url"`
	Images        []ParquetImage    `parquet:"images,list"`
	Related       []ParquetLink     `parquet:"related,list"`
	Tags          []string          `parquet:"tags,list"`
	Copyright     string            `parquet:"copyright"`
	Language      string            `parquet:"language"`
	Portal        *ParquetPortal    `parquet:"portal,optional"`
	ContentHash   string            `parquet:"content_hash"`
	ParserVersion string            `parquet:"parser_version"`
	SchemaVersion int32             `parquet:"schema_version"`
	ArchiveKey    string            `parquet:"archive_key"`
}

// ParquetReporter is an element of ParquetRow.Reporters.
type ParquetReporter struct {
	Name  string `parquet:"name"`
	Email string `parquet:"email"`
	Role  string `parquet:"role"`
}

// ParquetImage is an element of ParquetRow.Images.
type ParquetImage struct {
	URL     string `parquet:"url"`
	Caption string `parquet:"caption"`
	Credit  string `parquet:"credit"`
}

// ParquetLink is an element of ParquetRow.Related.
type ParquetLink struct {
	Title string `parquet:"title"`
	URL   string `parquet:"url"`
}

// ParquetPortal is ParquetRow.Portal.
type ParquetPortal struct {
	Name        string `parquet:"name"`
	PressCode   string `parquet:"press_code"`
	ArticleCode string `parquet:"article_code"`
	OriginalURL string `parquet:"original_url"`
}

// kstOffset is KST's offset from UTC in microseconds.
const kstOffset = 9 * 60 * 60 * 1_000_000

func utcAndKST(t *time.Time) (*time.Time, *int64) {
	if t == nil || t.IsZero() {
		return nil, nil
	}
	u := t.UTC()
	wall := u.UnixMicro() + kstOffset
	return &u, &wall
}

// parquetRowOf makes the row of a record.
func parquetRowOf(r *Record) ParquetRow {
	a := r.Article
	row := ParquetRow{
		ID: a.ID, Revision: int32(r.Revision), OutletID: a.Outlet.ID, OutletName: a.Outlet.Name,
		Section: a.Section, Title: a.Title, Subtitle: a.Subtitle, Body: a.Body,
		URL: a.URL, CanonicalURL: a.CanonicalURL, Tags: a.Tags,
		Copyright: a.Copyright, Language: a.Language, ContentHash: a.ContentHash,
		ParserVersion: a.ParserVersion, SchemaVersion: int32(a.SchemaVersion), ArchiveKey: r.Key,
		Reporters: make([]ParquetReporter, len(a.Reporters)),
		Images:    make([]ParquetImage, len(a.Images)),
		Related:   make([]ParquetLink, len(a.Related)),
	}
	if row.Tags == nil {
		row.Tags = []string{}
	}
	for i, x := range a.Reporters {
		row.Reporters[i] = ParquetReporter(x)
	}
	for i, x := range a.Images {
		row.Images[i] = ParquetImage(x)
	}
	for i, x := range a.Related {
		row.Related[i] = ParquetLink(x)
	}
	row.PublishedAt, row.PublishedKST = utcAndKST(a.PublishedAt)
	row.UpdatedAt, row.UpdatedKST = utcAndKST(a.UpdatedAt)
	row.FetchedAt, row.FetchedKST = utcAndKST(a.FetchedAt)
	if a.Portal != nil {
		p := ParquetPortal(*a.Portal)
		row.Portal = &p
	}
	return row
}

// pageCodec is Parquet's zstd codec with one encoder of a small window: a
// page is at most parquet-go's page buffer (256 KiB) before compression,
// and the codec's default encoders, pooled and remade after each garbage
// collection, each keep an 8 MiB history (most of an export's memory). It
// encodes at zstd's fastest level: at the default level page compression,
// which runs in the one goroutine that writes the file, cost more CPU than
// reading the archive's JSON (a profile of BenchmarkExport/parquet: 114%
// of the baseline's CPU; 34% at the fastest level), for files 6% smaller.
type pageCodec struct {
	pqzstd.Codec // String, CompressionCodec, Decode
	mu           sync.Mutex
	enc          *zstd.Encoder
}

func newPageCodec() *pageCodec {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<20),
		zstd.WithZeroFrames(true), zstd.WithEncoderCRC(false), zstd.WithLowerEncoderMem(true), zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		panic(fmt.Sprintf("zstd options: %v", err)) // fixed options: a programming error
	}
	return &pageCodec{Codec: pqzstd.Codec{Level: pqzstd.DefaultLevel, Concurrency: 1}, enc: enc}
}

func (c *pageCodec) Encode(dst, src []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.enc.EncodeAll(src, dst[:0]), nil
}

type parquetWriter struct {
	w        *parquet.GenericWriter[ParquetRow]
	group    int64 // record bytes in the row group being built
	maxGroup int64
	rows     [1]ParquetRow
}

// textColumns are the columns of free text, whose per-page bounds would
// tell a reader nothing (no query prunes on a body's minimum) and, kept
// until the footer is written, would make the writer's memory grow with
// the rows: parquet-go keeps every page's bounds, in full, until Close.
var textColumns = [][]string{
	{"id"}, {"outlet_name"}, {"section"}, {"title"}, {"subtitle"}, {"body"}, {"url"}, {"canonical_url"},
	{"copyright"}, {"content_hash"}, {"archive_key"}, {"tags", "list", "element"},
	{"reporters", "list", "element", "name"}, {"reporters", "list", "element", "email"}, {"reporters", "list", "element", "role"},
	{"images", "list", "element", "url"}, {"images", "list", "element", "caption"}, {"images", "list", "element", "credit"},
	{"related", "list", "element", "title"}, {"related", "list", "element", "url"},
	{"portal", "name"}, {"portal", "press_code"}, {"portal", "article_code"}, {"portal", "original_url"},
}

func newParquetWriter(w io.Writer, groupBytes int64, tmp string) *parquetWriter {
	if groupBytes <= 0 {
		groupBytes = DefaultRowGroupBytes
	}
	if tmp == "" {
		tmp = os.TempDir()
	}
	opts := []parquet.WriterOption{}
	for _, path := range textColumns {
		opts = append(opts, parquet.SkipPageBounds(path...))
	}
	return &parquetWriter{
		w: parquet.NewGenericWriter[ParquetRow](w, append(opts,
			parquet.Compression(newPageCodec()),
			// The encoded pages of a row group wait in temporary files, not
			// in memory, so that row groups can be as large as readers like
			// them while the writer holds only a page per column.
			parquet.ColumnPageBuffers(parquet.NewFileBufferPool(tmp, "gisa-export-*.page")),
			parquet.CreatedBy("gisa", "export", strconv.Itoa(SchemaVersion)),
		)...),
		maxGroup: groupBytes,
	}
}

func (p *parquetWriter) Write(r *Record) error {
	if r.row != nil {
		p.rows[0] = *r.row
	} else {
		p.rows[0] = parquetRowOf(r)
	}
	if _, err := p.w.Write(p.rows[:]); err != nil {
		return fmt.Errorf("parquet %s: %w", r.Key, err)
	}
	a := r.Article
	p.group += int64(len(a.Body) + len(a.Title) + len(a.Subtitle) + 512)
	if p.group >= p.maxGroup {
		p.group = 0
		if err := p.w.Flush(); err != nil {
			return fmt.Errorf("parquet: %w", err)
		}
	}
	return nil
}

func (p *parquetWriter) Close() error {
	if err := p.w.Close(); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}
