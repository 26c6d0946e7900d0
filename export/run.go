package export

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

// Manifest describes a finished export. It is written last, beside the
// files it names, so a manifest never names a file that is not complete.
type Manifest struct {
	SchemaVersion        int              `json:"schema_version"`         // of the export's columns (SchemaVersion)
	ArticleSchemaVersion int              `json:"article_schema_version"` // of the archive's records (article.SchemaVersion)
	Command              []string         `json:"command"`
	Destination          string           `json:"destination"`
	Format               Format           `json:"format"`
	Compression          Compression      `json:"compression,omitempty"`
	Excel                bool             `json:"excel,omitempty"`
	Filters              ManifestFilters  `json:"filters"`
	Partition            []string         `json:"partition,omitempty"`
	MaxRecords           int64            `json:"max_records,omitempty"`
	MaxBytes             int64            `json:"max_bytes,omitempty"`
	SinceLast            *ManifestRange   `json:"since_last,omitempty"`
	Started              time.Time        `json:"started"`
	Finished             time.Time        `json:"finished"`
	Records              int64            `json:"records"`
	Outlets              map[string]int64 `json:"outlets"` // records per outlet
	Skipped              int64            `json:"skipped"` // unreadable or corrupt archive entries
	Deferred             int64            `json:"deferred,omitempty"`
	Files                []ManifestFile   `json:"files"`
}

// ManifestFilters are the filters of an export as given.
type ManifestFilters struct {
	Outlets      []string `json:"outlets,omitempty"`
	Since        string   `json:"since,omitempty"`
	Until        string   `json:"until,omitempty"`
	FetchedSince string   `json:"fetched_since,omitempty"`
	UpdatedSince string   `json:"updated_since,omitempty"`
	Reporter     string   `json:"reporter,omitempty"`
	Section      string   `json:"section,omitempty"`
	Words        []string `json:"words,omitempty"`
	Revisions    bool     `json:"revisions"`
}

// ManifestRange is the catalog range an incremental export read: the
// entries with FromSeq < seq <= ToSeq.
type ManifestRange struct {
	Name    string `json:"name"`
	FromSeq int64  `json:"from_seq"`
	ToSeq   int64  `json:"to_seq"`
}

// ManifestFile is one file of an export.
type ManifestFile struct {
	Name    string `json:"name"` // relative to the destination
	Records int64  `json:"records"`
	Bytes   int64  `json:"bytes"`
	SHA256  string `json:"sha256"`
}

// Watermark is where the previous export of a name stopped.
type Watermark struct {
	Name        string    `json:"name"`
	Seq         int64     `json:"seq"` // the catalog sequence number read up to, included
	Time        time.Time `json:"time"`
	Destination string    `json:"destination"`
	Records     int64     `json:"records"`
}

// Watermarks keeps the watermarks of incremental exports in the archive
// (exports/<name>.json). Load of a name never saved returns false.
type Watermarks interface {
	Load(ctx context.Context, name string) (Watermark, bool, error)
	Save(ctx context.Context, w Watermark) error
}

// WatermarkKey is the archive key of an incremental export's watermark.
func WatermarkKey(name string) string { return "exports/" + name + ".json" }

// StoreWatermarks keeps watermarks in a Store (an S3 archive, or a disk
// archive opened for writing).
type StoreWatermarks struct{ Store storage.Store }

func (s StoreWatermarks) Load(ctx context.Context, name string) (Watermark, bool, error) {
	b, err := s.Store.Get(ctx, WatermarkKey(name))
	if errors.Is(err, storage.ErrNotFound) {
		return Watermark{}, false, nil
	}
	if err != nil {
		return Watermark{}, false, fmt.Errorf("watermark %s: %w", name, err)
	}
	return decodeWatermark(name, b)
}

// decodeWatermark reads the stored watermark of export name.
func decodeWatermark(name string, b []byte) (Watermark, bool, error) {
	var w Watermark
	if err := json.Unmarshal(b, &w); err != nil || w.Seq < 0 {
		return Watermark{}, false, fmt.Errorf("watermark %s (%s): not a gisa export watermark: %v", name, WatermarkKey(name), err)
	}
	return w, true, nil
}

func (s StoreWatermarks) Save(ctx context.Context, w Watermark) error {
	b, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return err
	}
	if err := s.Store.Put(ctx, WatermarkKey(w.Name), append(b, '\n')); err != nil {
		return fmt.Errorf("save watermark %s: %w", w.Name, err)
	}
	return nil
}

// Run exports the records of src that pass o's filters to dst, and returns
// the manifest it wrote. On an error nothing names the files written so
// far as an export: no manifest is written (the error names the files
// that were), and an incremental export's watermark does not move.
func Run(ctx context.Context, src *Source, dst Target, o Options) (*Manifest, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if dst.Single() && (len(o.Partition) > 0 || o.MaxRecords > 0 || o.MaxBytes > 0) {
		return nil, fmt.Errorf("%w: parts and partitions need a folder or s3:// destination, not %s", ErrInvalid, dst)
	}
	log := o.log()
	m := &Manifest{
		SchemaVersion: SchemaVersion, ArticleSchemaVersion: article.SchemaVersion,
		Command: o.Command, Destination: dst.String(), Format: o.Format, Compression: o.Compress,
		Excel: o.Excel, Filters: manifestFilters(o.Filter), Partition: o.Partition,
		MaxRecords: o.MaxRecords, MaxBytes: o.MaxBytes, Started: o.now().UTC(),
		Outlets: map[string]int64{}, Files: []ManifestFile{},
	}
	var p plan
	if o.SinceLast != "" {
		if src.Catalog == nil || src.Watermarks == nil {
			return nil, fmt.Errorf("%w: --since-last needs the archive's catalog (run gisa reindex, or a crawl, first)", ErrInvalid)
		}
		var err error
		if p, err = incremental(ctx, src, o.SinceLast); err != nil {
			return nil, err
		}
		m.SinceLast = &ManifestRange{Name: o.SinceLast, FromSeq: p.fromSeq, ToSeq: p.toSeq}
		log.Info("incremental export", "name", o.SinceLast, "from_seq", p.fromSeq, "to_seq", p.toSeq)
	}
	if src.Catalog == nil {
		log.Info("no catalog: listing the archive's articles")
	}
	if err := dst.Prepare(ctx, o.Overwrite); err != nil {
		return nil, err
	}
	var prog Progress
	if o.OnProgress != nil && src.Catalog != nil {
		// A pass over the catalog alone, for the ETA; not over a listing,
		// which would read the archive's index twice.
		src.entries(ctx, o.Filter, p, func(storage.Entry) error { prog.Total++; return nil })
	}
	ps := &parts{o: &o, t: dst, open: map[string]*part{}, next: map[string]int{}}
	enc := newEncoder(&o)
	prepare := func(f *fetched) {
		if f.err != nil || f.gone {
			return
		}
		for i := range f.records {
			r := &f.records[i]
			if r.drop = !o.Filter.match(r.Article); r.drop {
				continue
			}
			if err := enc(r); err != nil {
				f.err = err
				return
			}
		}
	}
	err := src.read(ctx, &o, p, prepare, func(f fetched) error {
		switch {
		case f.gone:
			// Moved or removed since the catalog's snapshot: a later
			// version has a later entry.
			m.Deferred++
			log.Debug("entry gone since the snapshot", "key", f.entry.Key)
			return nil
		case f.err != nil:
			if o.Strict {
				return fmt.Errorf("%w: %w", ErrCorrupt, f.err)
			}
			m.Skipped++
			prog.Skipped++
			if o.OnSkip != nil {
				o.OnSkip(f.entry.Key, f.err)
			}
			return nil
		}
		if p.incremental && f.records[0].Article.ContentHash != f.entry.ContentHash && f.entry.ContentHash != "" {
			// Rewritten since the snapshot: its new entry, after this
			// export's watermark, brings it next time.
			m.Deferred++
			return nil
		}
		for i := range f.records {
			r := &f.records[i]
			if r.drop {
				continue
			}
			if err := ps.write(ctx, r); err != nil {
				return err
			}
			m.Records++
			m.Outlets[r.Outlet()]++
			prog.Records++
			prog.Bytes += r.Size
			prog.Outlet = r.Outlet()
		}
		if o.OnProgress != nil {
			o.OnProgress(prog)
		}
		return nil
	})
	if err == nil {
		err = ps.finish(ctx)
	}
	if err == nil {
		m.Files = ps.files
		m.Finished = o.now().UTC()
		var b []byte
		if b, err = json.MarshalIndent(m, "", "  "); err == nil {
			err = dst.WriteManifest(ctx, append(b, '\n'))
		}
	}
	if err != nil {
		ps.abort()
		return nil, &Error{Err: err, Written: ps.names()}
	}
	if o.SinceLast != "" {
		w := Watermark{Name: o.SinceLast, Seq: p.toSeq, Time: m.Finished, Destination: dst.String(), Records: m.Records}
		if err := src.Watermarks.Save(ctx, w); err != nil {
			return m, fmt.Errorf("export complete (manifest written) but its watermark was not saved; the next --since-last %s repeats it: %w", o.SinceLast, err)
		}
	}
	return m, nil
}

// Error is the error of an export that failed after it began writing: the
// files it completed are named (there is no manifest naming them).
type Error struct {
	Err     error
	Written []string
}

func (e *Error) Error() string {
	if len(e.Written) == 0 {
		return e.Err.Error() + " (no file was completed; no manifest written)"
	}
	names := e.Written
	more := ""
	if len(names) > 20 {
		names, more = names[:20], fmt.Sprintf(" and %d more", len(e.Written)-20)
	}
	return fmt.Sprintf("%v (no manifest written; files completed before the failure: %s%s)", e.Err, strings.Join(names, ", "), more)
}

func (e *Error) Unwrap() error { return e.Err }

// incremental plans an export of what changed after the named watermark:
// up to the catalog's last sequence number, but below the first entry still
// pending (a write in flight), so that nothing half-written is exported and
// nothing settled after it is skipped.
func incremental(ctx context.Context, src *Source, name string) (plan, error) {
	w, _, err := src.Watermarks.Load(ctx, name)
	if err != nil {
		return plan{}, err
	}
	last, err := src.Catalog.LastSeq(ctx)
	if err != nil {
		return plan{}, err
	}
	to := last
	err = src.Catalog.Pending(ctx, func(e storage.Entry) error {
		to = min(to, e.Seq-1)
		return nil
	})
	if err != nil {
		return plan{}, err
	}
	return plan{fromSeq: w.Seq, toSeq: max(to, w.Seq), incremental: true}, nil
}

func manifestFilters(f Filter) ManifestFilters {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return kstDay(t)
	}
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	return ManifestFilters{
		Outlets: f.Outlets, Since: day(f.Since), Until: day(f.Until),
		FetchedSince: ts(f.FetchedSince), UpdatedSince: ts(f.UpdatedSince),
		Reporter: f.Reporter, Section: f.Section, Words: f.Words, Revisions: f.Revisions,
	}
}

// maxOpenParts bounds the parts open at once (each holds a compressor or a
// Parquet row group): records come in partition order from a catalog
// range, so one is usually enough; an incremental export comes in change
// order, and a part evicted is closed and the partition's next one begun.
const maxOpenParts = 4

// HiveNull is the partition value of a record without a value (an undated
// record's date), as Hive, Spark and DuckDB write it.
const HiveNull = "__HIVE_DEFAULT_PARTITION__"

type part struct {
	dir     string
	name    string
	file    File
	sum     *summer
	buf     *bufio.Writer
	rw      recordWriter
	raw     *byteCounter // uncompressed bytes; nil for Parquet
	records int64
	bytes   int64 // uncompressed bytes (Parquet: an estimate from the records)
}

// summer counts and hashes what goes to a file.
type summer struct {
	w interface{ Write([]byte) (int, error) }
	h hash.Hash
	n int64
}

func (s *summer) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	s.h.Write(p[:n])
	s.n += int64(n)
	return n, err
}

type parts struct {
	o     *Options
	t     Target
	open  map[string]*part
	order []string // open parts' dirs, least recently used first
	next  map[string]int
	files []ManifestFile
}

func partitionDir(keys []string, r *Record) string {
	var segs []string
	for _, k := range keys {
		switch k {
		case PartitionOutlet:
			id := r.Outlet()
			if !article.ValidID(id) && id != storage.UnknownOutlet {
				id = url.PathEscape(id)
				if strings.Trim(id, ".") == "" {
					id = HiveNull
				}
			}
			segs = append(segs, "outlet="+id)
		case PartitionDate:
			d := HiveNull
			if t := r.Article.PublishedAt; t != nil && !t.IsZero() {
				d = kstDay(*t)
			}
			segs = append(segs, "date="+d)
		}
	}
	return strings.Join(segs, "/")
}

func (ps *parts) write(ctx context.Context, r *Record) error {
	dir := partitionDir(ps.o.Partition, r)
	p, ok := ps.open[dir]
	if ok {
		ps.touch(dir)
	} else {
		if len(ps.open) >= maxOpenParts {
			if err := ps.close(ctx, ps.open[ps.order[0]]); err != nil {
				return err
			}
		}
		var err error
		if p, err = ps.begin(ctx, dir); err != nil {
			return err
		}
	}
	if err := p.rw.Write(r); err != nil {
		return err
	}
	p.records++
	if p.raw == nil {
		p.bytes += int64(len(r.Article.Body) + len(r.Article.Title) + len(r.Article.Subtitle) + 512)
	} else {
		p.bytes = p.raw.n
	}
	if (ps.o.MaxRecords > 0 && p.records >= ps.o.MaxRecords) || (ps.o.MaxBytes > 0 && p.bytes >= ps.o.MaxBytes) {
		return ps.close(ctx, p)
	}
	return nil
}

func (ps *parts) touch(dir string) {
	i := slices.Index(ps.order, dir)
	ps.order = append(slices.Delete(ps.order, i, i+1), dir)
}

func (ps *parts) begin(ctx context.Context, dir string) (*part, error) {
	n := ps.next[dir]
	ps.next[dir] = n + 1
	name := fmt.Sprintf("part-%05d%s", n, Ext(ps.o.Format, ps.o.Compress))
	if one, ok := ps.t.(interface{ fileName() string }); ok {
		name = one.fileName() // the single file, as the manifest names it
	} else if dir != "" {
		name = dir + "/" + name
	}
	f, err := ps.t.Create(ctx, name)
	if err != nil {
		return nil, err
	}
	p := &part{dir: dir, name: name, file: f, sum: &summer{w: f, h: sha256.New()}}
	p.buf = bufio.NewWriterSize(p.sum, 64<<10)
	if p.rw, p.raw, err = newRecordWriter(ps.o, p.buf); err != nil {
		f.Abort()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	ps.open[dir] = p
	ps.order = append(ps.order, dir)
	return p, nil
}

func (ps *parts) close(ctx context.Context, p *part) error {
	delete(ps.open, p.dir)
	if i := slices.Index(ps.order, p.dir); i >= 0 {
		ps.order = slices.Delete(ps.order, i, i+1)
	}
	err := p.rw.Close()
	if err == nil {
		err = p.buf.Flush()
	}
	if err != nil {
		p.file.Abort()
		return fmt.Errorf("%s: %w", p.name, err)
	}
	if err := p.file.Commit(ctx); err != nil {
		return err
	}
	ps.files = append(ps.files, ManifestFile{Name: p.name, Records: p.records, Bytes: p.sum.n, SHA256: hex.EncodeToString(p.sum.h.Sum(nil))})
	return nil
}

// finish closes the open parts; an unpartitioned export that wrote no
// record still has its (empty) part, so that readers find a file.
func (ps *parts) finish(ctx context.Context) error {
	if len(ps.files) == 0 && len(ps.open) == 0 && len(ps.o.Partition) == 0 {
		if _, err := ps.begin(ctx, ""); err != nil {
			return err
		}
	}
	for _, dir := range slices.Sorted(maps.Keys(ps.open)) {
		if err := ps.close(ctx, ps.open[dir]); err != nil {
			return err
		}
	}
	return nil
}

func (ps *parts) abort() {
	for _, p := range ps.open {
		p.file.Abort()
	}
	ps.open = map[string]*part{}
}

func (ps *parts) names() []string {
	var n []string
	for _, f := range ps.files {
		n = append(n, f.Name)
	}
	return n
}
