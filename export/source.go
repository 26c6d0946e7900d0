package export

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

// Catalog is what an export reads of the archive's catalog: a snapshot
// (storage.OpenCatalogReadOnly) so that a crawl writing meanwhile changes
// nothing the export sees. Range and Since call fn in their order and stop
// at fn's error, returning it.
type Catalog interface {
	Range(ctx context.Context, outlet string, from, to time.Time, fn func(storage.Entry) error) error
	Since(ctx context.Context, seq int64, fn func(storage.Entry) error) error
	Pending(ctx context.Context, fn func(storage.Entry) error) error
	LastSeq(ctx context.Context) (int64, error)
}

// Source is the archive an export reads: its Store and, when there is one,
// its catalog. Without a catalog the Store's articles/ are listed (slower,
// and --since-last is not possible).
type Source struct {
	Store   storage.Store
	Catalog Catalog // nil: list the Store
	// Watermarks keeps the marks of --since-last; needed only for it.
	Watermarks Watermarks
}

// Record is one exported record: an archived article version.
type Record struct {
	Article  *article.Article
	Key      string // its key in the archive
	Revision int    // 0: the current version; n: the nth earlier version (revisions/…/<n>.json)
	Size     int64  // bytes of its JSON in the archive

	// Set by the reading workers (prepare), so that the one goroutine
	// that writes the files only copies bytes:
	drop bool        // filtered out
	enc  []byte      // JSONL or CSV: the record's line(s)
	row  *ParquetRow // Parquet: the record's row
}

// Outlet is the outlet the record is archived under.
func (r *Record) Outlet() string {
	if r.Article.Outlet.ID == "" {
		return storage.UnknownOutlet
	}
	return r.Article.Outlet.ID
}

// plan is what an export reads: entries in order, up to a sequence number.
type plan struct {
	fromSeq, toSeq int64 // --since-last: entries with fromSeq < Seq <= toSeq
	incremental    bool
}

// entries calls fn for the catalog entries (or listed articles) the export
// reads, in order.
func (s *Source) entries(ctx context.Context, f Filter, p plan, fn func(storage.Entry) error) error {
	if p.incremental {
		return s.Catalog.Since(ctx, p.fromSeq, func(e storage.Entry) error {
			if e.Seq > p.toSeq {
				return errStop
			}
			if e.Pending || !f.matchEntry(e) {
				return nil
			}
			return fn(e)
		})
	}
	outlets := f.Outlets
	if len(outlets) == 0 {
		outlets = []string{""}
	}
	for _, o := range outlets {
		var err error
		if s.Catalog != nil {
			err = s.Catalog.Range(ctx, o, f.Since, f.Until, func(e storage.Entry) error {
				if e.Pending || !f.matchEntry(e) {
					return nil
				}
				return fn(e)
			})
		} else {
			prefix := "articles/"
			if o != "" {
				prefix += o + "/"
			}
			err = s.Store.List(ctx, prefix, func(info storage.Info) error {
				e, ok := entryOfKey(info)
				if !ok || !f.matchListed(e) {
					return nil
				}
				return fn(e)
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

var errStop = errors.New("stop")

// entryOfKey makes an entry of a listed object
// articles/<outlet>/<yyyy>/<mm>/<dd>/<id>.json (or …/undated/<id>.json).
func entryOfKey(info storage.Info) (storage.Entry, bool) {
	parts := strings.Split(info.Key, "/")
	if len(parts) < 4 || parts[0] != "articles" || !strings.HasSuffix(info.Key, ".json") {
		return storage.Entry{}, false
	}
	e := storage.Entry{
		ID:     strings.TrimSuffix(path.Base(info.Key), ".json"),
		Outlet: parts[1],
		Key:    info.Key,
		Size:   info.Size,
	}
	if len(parts) == 6 {
		if t, err := time.ParseInLocation("2006/01/02", strings.Join(parts[2:5], "/"), article.KST); err == nil {
			e.Published = t // the filing day: published, else fetched
		}
	}
	return e, true
}

// matchListed is matchEntry for an entry made from a key: its day is the
// filing day, published or fetched, so only the outlet is sure.
func (f Filter) matchListed(e storage.Entry) bool {
	return len(f.Outlets) == 0 || containsString(f.Outlets, e.Outlet)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fetched is a read entry: its records (current version, then revisions
// oldest first when asked), or why it could not be read.
type fetched struct {
	entry   storage.Entry
	records []Record
	err     error // unreadable or corrupt: the key and the cause
	gone    bool  // the entry's object is no longer there (moved or removed since the snapshot)
}

// readBatch is how many entries one reading goroutine takes at a time:
// handing each entry to a goroutine of its own and back made the threads
// sleep and wake for every record (a twentieth of an export's CPU).
const readBatch = 16

// read reads the entries fn yields, Concurrency batches at a time, calls
// prepare on each in the reading goroutine, and hands them to use in the
// same order.
func (s *Source) read(ctx context.Context, o *Options, p plan, prepare func(*fetched), use func(fetched) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	arch := storage.NewArchive(s.Store)
	n := o.Concurrency
	if n <= 0 {
		n = 8
	}
	type job struct{ res chan []fetched }
	order := make(chan job, n)
	var (
		wg     sync.WaitGroup
		genErr error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(order)
		var batch []storage.Entry
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			j := job{res: make(chan []fetched, 1)}
			select {
			case order <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			es := batch
			batch = nil
			wg.Add(1)
			go func() {
				defer wg.Done()
				fs := make([]fetched, len(es))
				for i, e := range es {
					if ctx.Err() != nil {
						fs = fs[:i]
						break
					}
					fs[i] = fetch(ctx, arch, e, o.Filter.Revisions)
					prepare(&fs[i])
				}
				j.res <- fs
			}()
			return nil
		}
		genErr = s.entries(ctx, o.Filter, p, func(e storage.Entry) error {
			if batch = append(batch, e); len(batch) == readBatch {
				return flush()
			}
			return nil
		})
		if errors.Is(genErr, errStop) {
			genErr = nil
		}
		if genErr == nil {
			genErr = flush()
		}
	}()
	var useErr error
	for j := range order {
		if useErr != nil {
			continue // drain, so that the producer ends
		}
		select {
		case fs := <-j.res:
			for _, f := range fs {
				if useErr = use(f); useErr != nil {
					break
				}
			}
			if useErr == nil && ctx.Err() != nil {
				useErr = ctx.Err()
			}
		case <-ctx.Done():
			useErr = ctx.Err()
		}
		if useErr != nil {
			cancel()
		}
	}
	wg.Wait()
	if useErr != nil {
		return useErr
	}
	if genErr != nil {
		return fmt.Errorf("read the archive: %w", genErr)
	}
	return nil
}

// fetch reads one entry's record, and its revisions when asked.
func fetch(ctx context.Context, arch *storage.Archive, e storage.Entry, revisions bool) fetched {
	f := fetched{entry: e}
	a, err := arch.GetArticle(ctx, e.Key)
	if errors.Is(err, storage.ErrNotFound) {
		f.gone = true
		return f
	}
	if err != nil {
		f.err = err
		return f
	}
	f.records = append(f.records, Record{Article: a, Key: e.Key, Size: e.Size})
	if !revisions {
		return f
	}
	keys, err := arch.Revisions(ctx, e.Key)
	if err != nil {
		f.err = fmt.Errorf("%s: %w", e.Key, err)
		return f
	}
	for _, k := range keys {
		r, err := arch.GetArticle(ctx, k)
		if err != nil {
			f.err = err
			return f
		}
		n, _ := strconv.Atoi(strings.TrimSuffix(path.Base(k), ".json")) // Revisions lists only <n>.json
		f.records = append(f.records, Record{Article: r, Key: k, Revision: n})
	}
	return f
}
