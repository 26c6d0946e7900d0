package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/boltfile"
)

// CatalogName is the conventional file name of a BoltCatalog: beside the
// articles/ directory of a disk archive, or beside the crawl state for an S3
// one. It is a valid key, so a Disk over the archive directory lists it under
// "" (but never under articles/, revisions/ or any other prefix the Archive
// uses).
const CatalogName = ".gisa-catalog"

// ErrInUse is wrapped by the error OpenCatalog returns when another process
// (or another OpenCatalog in this one) has the catalog open.
var ErrInUse = errors.New("in use by another process")

// ErrNotCatalog is wrapped by the error OpenCatalog returns for a file that
// is not a gisa catalog (another program's file, a damaged one, or one of a
// newer format). Such a file can be removed and rebuilt with Reindex.
var ErrNotCatalog = errors.New("not a gisa catalog")

// Entry is what a Catalog knows of one archived article: where it is, what it
// says in brief, and enough to tell, without reading it, whether a new fetch
// changes it. Its JSON form is one line of a run manifest (see
// Archive.Flush).
type Entry struct {
	ID           string    `json:"id"`
	Outlet       string    `json:"outlet"` // Outlet.ID, or UnknownOutlet when that is empty
	URL          string    `json:"url"`
	CanonicalURL string    `json:"canonical_url,omitempty"`
	Key          string    `json:"key"`                // the key of the current version in the Store
	ContentHash  string    `json:"content_hash"`       // of the stored body, computed anew (article.ContentHash)
	Published    time.Time `json:"published,omitzero"` // published_at; zero when null
	Fetched      time.Time `json:"fetched,omitzero"`   // fetched_at; zero when null
	Revisions    int       `json:"revisions"`          // revision objects beside the article
	Size         int64     `json:"size"`               // bytes of the current version's JSON

	// Fingerprint is a hash of what PutArticle compares to decide whether a
	// new fetch changes the article (see Archive.PutArticle), so that an
	// unchanged article is recognized without reading it. "" when unknown.
	Fingerprint string `json:"fingerprint,omitempty"`

	// Missing names the fields of the record that are empty or null, of
	// "title", "body", "reporters", "published_at" and "updated_at".
	Missing []string `json:"missing,omitempty"`

	// Sources is the record's extraction.sources: field → extraction layer.
	Sources map[string]string `json:"sources,omitempty"`

	// Pending is set while PutArticle writes the article: from before the
	// first object is written until the entry is replaced by one describing
	// what was written. An entry found pending after a crash may describe
	// either version, and its Key may hold no object yet (a new article);
	// Archive.Recover, or the next PutArticle of the article, settles it.
	Pending bool `json:"pending,omitempty"`
}

// Day is the KST day, "2006-01-02", the entry is counted under: that of
// Published, else Fetched; "" when both are zero (undated).
func (e Entry) Day() string {
	d := e.dayKey()
	if d == undatedDay {
		return ""
	}
	return d[:4] + "-" + d[4:6] + "-" + d[6:]
}

// undatedDay is the day key of undated entries: after every digit, so that a
// Range without bounds ends with them.
const undatedDay = "undated"

func (e Entry) dayKey() string {
	if t := firstTime(&e.Published, &e.Fetched); t != nil {
		return t.In(article.KST).Format("20060102")
	}
	return undatedDay
}

// Catalog indexes an Archive: its entries by article ID, URL, content hash,
// and outlet and day. The Store stays the truth; a Catalog can be rebuilt
// from it at any time with Reindex.
//
// Implementations are safe for concurrent use. Put, Delete and Reset are
// each atomic (all or nothing) and idempotent. A lookup that finds nothing
// is not an error: ByID and ByURL return false, ByHash an empty slice.
type Catalog interface {
	// Put inserts the entries or replaces those with the same ID, in one
	// transaction. An entry with an ID that is not a valid article ID, or a
	// Key that is not a valid key, is an error and nothing is written.
	Put(ctx context.Context, entries ...Entry) error

	// Delete removes the entries with these IDs; an ID without one is
	// skipped.
	Delete(ctx context.Context, ids ...string) error

	// ByID returns the entry of article id.
	ByID(ctx context.Context, id string) (Entry, bool, error)

	// ByURL returns the entry whose URL or canonical URL is exactly url; if
	// several are, the one fetched last (then the greatest ID).
	ByURL(ctx context.Context, url string) (Entry, bool, error)

	// ByHash returns the entries with this content hash, by ID.
	ByHash(ctx context.Context, hash string) ([]Entry, error)

	// Range calls fn for the entries of outlet ("" for every outlet) whose
	// day (Entry.Day: published, else fetched, in KST) lies from the KST day
	// of from to that of to, both included; a zero from or to leaves that
	// end open. Undated entries are included only when both are zero.
	// Entries come by day, then outlet, then ID. If fn returns an error,
	// Range stops and returns it. fn may call the Catalog; entries put
	// meanwhile may or may not be seen.
	Range(ctx context.Context, outlet string, from, to time.Time, fn func(Entry) error) error

	// Pending calls fn for every entry whose Pending is set, by ID.
	Pending(ctx context.Context, fn func(Entry) error) error

	// Reset removes every entry.
	Reset(ctx context.Context) error
}

// BoltCatalog is a Catalog in one bbolt file, locked against other
// processes while open. Every Put, Delete and Reset is one transaction,
// durable (fsynced) when it returns.
type BoltCatalog struct {
	db   *bolt.DB
	path string
}

var _ Catalog = (*BoltCatalog)(nil)

// Buckets of a catalog file. Index keys are NUL-separated, ending in the ID,
// and have empty values:
//
//	entries      id → Entry JSON
//	urls         url NUL id            (URL and canonical URL)
//	hashes       content_hash NUL id
//	outlet_days  outlet NUL yyyymmdd NUL id   ("undated" for no day)
//	days         yyyymmdd NUL outlet NUL id
//	pending      id
var (
	bucketMeta       = []byte("meta")
	bucketEntries    = []byte("entries")
	bucketURLs       = []byte("urls")
	bucketHashes     = []byte("hashes")
	bucketOutletDays = []byte("outlet_days")
	bucketDays       = []byte("days")
	bucketPending    = []byte("pending")

	catalogBuckets = [][]byte{bucketEntries, bucketURLs, bucketHashes, bucketOutletDays, bucketDays, bucketPending}

	metaFormat    = []byte("format")
	catalogFormat = []byte("gisa-catalog/1")
)

// OpenCatalog opens the catalog at path, creating the file and its parent
// directories if needed.
//
// If another process has the file open, OpenCatalog waits up to a second
// and then returns an error wrapping ErrInUse ("catalog /path is in use by
// another process"); a second OpenCatalog of the same path in one process
// fails the same way. A file that is not a catalog gives an error wrapping
// ErrNotCatalog. Both name the path. Close the catalog when done.
func OpenCatalog(path string) (*BoltCatalog, error) {
	if path == "" {
		return nil, errors.New("open catalog: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	db, err := openCatalogFile(path)
	switch {
	case err == nil:
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("catalog %s is %w", path, ErrInUse)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum), errors.Is(err, ErrNotCatalog):
		return nil, fmt.Errorf("catalog %s: %w: %w", path, ErrNotCatalog, err)
	default:
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	// Puts from concurrent writers (a crawl's workers) share a commit and
	// its fsync; a lone Put waits at most this long for company.
	db.MaxBatchDelay = time.Millisecond
	c := &BoltCatalog{db: db, path: path}
	if err := c.setup(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	return c, nil
}

// openCatalogFile is bolt.Open that reports a panic over a damaged file as
// an error wrapping ErrNotCatalog instead of crashing the program.
func openCatalogFile(path string) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: bbolt: %v", ErrNotCatalog, r)
		}
	}()
	return bolt.Open(path, 0o644, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType})
}

// setup creates the buckets of a new file and checks those of an existing
// one.
func (c *BoltCatalog) setup() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: bbolt: %v", ErrNotCatalog, r)
		}
	}()
	return c.db.Update(func(tx *bolt.Tx) error {
		_, foreign, err := boltfile.Init(tx, bucketMeta, metaFormat, catalogFormat, catalogBuckets)
		if err == nil && foreign != "" {
			err = fmt.Errorf("%w: %s", ErrNotCatalog, foreign)
		}
		return err
	})
}

func createBuckets(tx *bolt.Tx) error {
	for _, name := range catalogBuckets {
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	return nil
}

// Path is the catalog's file.
func (c *BoltCatalog) Path() string { return c.path }

// Close closes the file, waiting for calls in progress; calls after Close
// return an error. Closing twice is not an error.
func (c *BoltCatalog) Close() error {
	if err := c.db.Close(); err != nil {
		return fmt.Errorf("close catalog %s: %w", c.path, err)
	}
	return nil
}

// Put inserts or replaces entries; see Catalog.
func (c *BoltCatalog) Put(ctx context.Context, entries ...Entry) error {
	if len(entries) == 0 {
		return nil
	}
	vals := make([][]byte, len(entries))
	for i := range entries {
		e := &entries[i]
		if err := validEntry(e); err != nil {
			return fmt.Errorf("catalog put: %w", err)
		}
		b, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("catalog put %s: %w", e.ID, err)
		}
		vals[i] = b
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("catalog put: %w", err)
	}
	// Batch: one transaction for the Puts of many goroutines (each fn is
	// idempotent, as Batch requires: it may run again if another fails).
	err := c.db.Batch(func(tx *bolt.Tx) error {
		bk := catalogTx(tx)
		for i := range entries {
			if err := bk.put(&entries[i], vals[i]); err != nil {
				return fmt.Errorf("%s: %w", entries[i].ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("catalog put in %s: %w", c.path, err)
	}
	return nil
}

func validEntry(e *Entry) error {
	if !article.ValidID(e.ID) {
		return fmt.Errorf("%w: article ID %q is not a valid ID", ErrInvalidKey, e.ID)
	}
	if err := ValidKey(e.Key); err != nil {
		return fmt.Errorf("entry %s: %w", e.ID, err)
	}
	for _, s := range []string{e.Outlet, e.URL, e.CanonicalURL, e.ContentHash} {
		if strings.IndexByte(s, 0) >= 0 {
			return fmt.Errorf("entry %s: NUL byte in %q", e.ID, s)
		}
	}
	return nil
}

// Delete removes entries; see Catalog.
func (c *BoltCatalog) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("catalog delete: %w", err)
	}
	err := c.db.Update(func(tx *bolt.Tx) error {
		bk := catalogTx(tx)
		for _, id := range ids {
			if err := bk.remove([]byte(id)); err != nil {
				return fmt.Errorf("%s: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("catalog delete in %s: %w", c.path, err)
	}
	return nil
}

// Reset removes every entry; see Catalog.
func (c *BoltCatalog) Reset(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("catalog reset: %w", err)
	}
	err := c.db.Update(func(tx *bolt.Tx) error {
		for _, name := range catalogBuckets {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return createBuckets(tx)
	})
	if err != nil {
		return fmt.Errorf("catalog reset %s: %w", c.path, err)
	}
	return nil
}

// Len returns the number of entries.
func (c *BoltCatalog) Len(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("catalog len: %w", err)
	}
	n := 0
	err := c.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketEntries).Stats().KeyN
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("catalog %s: %w", c.path, err)
	}
	return n, nil
}

// ByID returns the entry of article id; see Catalog.
func (c *BoltCatalog) ByID(ctx context.Context, id string) (Entry, bool, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, false, fmt.Errorf("catalog get %s: %w", id, err)
	}
	var (
		e     Entry
		found bool
	)
	err := c.db.View(func(tx *bolt.Tx) error {
		var err error
		e, found, err = getEntry(tx.Bucket(bucketEntries), []byte(id))
		return err
	})
	if err != nil {
		return Entry{}, false, fmt.Errorf("catalog %s: %w", c.path, err)
	}
	return e, found, nil
}

// ByURL returns the entry with this URL or canonical URL; see Catalog.
func (c *BoltCatalog) ByURL(ctx context.Context, url string) (Entry, bool, error) {
	if url == "" || strings.IndexByte(url, 0) >= 0 {
		return Entry{}, false, nil
	}
	es, err := c.byIndex(ctx, bucketURLs, url)
	if err != nil || len(es) == 0 {
		return Entry{}, false, err
	}
	best := es[0]
	for _, e := range es[1:] {
		if !e.Fetched.Before(best.Fetched) { // later, or equal with a greater ID
			best = e
		}
	}
	return best, true, nil
}

// ByHash returns the entries with this content hash; see Catalog.
func (c *BoltCatalog) ByHash(ctx context.Context, hash string) ([]Entry, error) {
	if hash == "" || strings.IndexByte(hash, 0) >= 0 {
		return nil, nil
	}
	return c.byIndex(ctx, bucketHashes, hash)
}

// byIndex returns the entries whose index keys in bucket begin with
// value NUL, by ID.
func (c *BoltCatalog) byIndex(ctx context.Context, bucket []byte, value string) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("catalog lookup: %w", err)
	}
	var es []Entry
	prefix := append([]byte(value), 0)
	err := c.db.View(func(tx *bolt.Tx) error {
		entries := tx.Bucket(bucketEntries)
		cur := tx.Bucket(bucket).Cursor()
		for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
			e, ok, err := getEntry(entries, k[len(prefix):])
			if err != nil {
				return err
			}
			if ok {
				es = append(es, e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", c.path, err)
	}
	return es, nil
}

// rangeChunk is how many entries Range reads in one read transaction before
// calling fn for them outside it.
const rangeChunk = 512

// Range calls fn for the entries of outlet between two days; see Catalog.
func (c *BoltCatalog) Range(ctx context.Context, outlet string, from, to time.Time, fn func(Entry) error) error {
	bucket, prefix := bucketDays, []byte(nil)
	if outlet != "" {
		if strings.IndexByte(outlet, 0) >= 0 {
			return nil
		}
		bucket, prefix = bucketOutletDays, append([]byte(outlet), 0)
	}
	// Keys are prefix + day + NUL + …; the bounds are prefix + day.
	lo := append(bytes.Clone(prefix), "00000000"...)
	hi := append(bytes.Clone(prefix), "99999999"...)
	if !from.IsZero() {
		lo = append(bytes.Clone(prefix), from.In(article.KST).Format("20060102")...)
	}
	if !to.IsZero() {
		hi = append(bytes.Clone(prefix), to.In(article.KST).Format("20060102")...)
	}
	if from.IsZero() && to.IsZero() {
		hi = append(bytes.Clone(prefix), undatedDay...)
	}
	hi = append(hi, 1) // every key with day ≤ the last day: day NUL … < day \x01
	return c.scan(ctx, bucket, lo, hi, fn)
}

// Pending calls fn for every pending entry; see Catalog.
func (c *BoltCatalog) Pending(ctx context.Context, fn func(Entry) error) error {
	return c.scan(ctx, bucketPending, nil, nil, fn)
}

// scan calls fn for the entry named by every key in bucket from lo
// (included) to hi (excluded, nil for no end), reading rangeChunk keys per
// read transaction and calling fn outside it, so that fn may write.
func (c *BoltCatalog) scan(ctx context.Context, bucket, lo, hi []byte, fn func(Entry) error) error {
	next := lo
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("catalog scan: %w", err)
		}
		var chunk []Entry
		var last []byte
		err := c.db.View(func(tx *bolt.Tx) error {
			entries := tx.Bucket(bucketEntries)
			cur := tx.Bucket(bucket).Cursor()
			var k []byte
			if next == nil {
				k, _ = cur.First()
			} else {
				k, _ = cur.Seek(next)
			}
			for ; k != nil && (hi == nil || bytes.Compare(k, hi) < 0); k, _ = cur.Next() {
				if len(chunk) == rangeChunk {
					last = bytes.Clone(k)
					return nil
				}
				id := k
				if i := bytes.LastIndexByte(k, 0); i >= 0 {
					id = k[i+1:]
				}
				e, ok, err := getEntry(entries, id)
				if err != nil {
					return err
				}
				if ok {
					chunk = append(chunk, e)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("catalog %s: %w", c.path, err)
		}
		for _, e := range chunk {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("catalog scan: %w", err)
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		if last == nil {
			return nil
		}
		next = last
	}
}

func getEntry(entries *bolt.Bucket, id []byte) (Entry, bool, error) {
	v := entries.Get(id)
	if v == nil {
		return Entry{}, false, nil
	}
	var e Entry
	if err := json.Unmarshal(v, &e); err != nil {
		return Entry{}, false, fmt.Errorf("%w: entry %q: %v", ErrNotCatalog, id, err)
	}
	return e, true, nil
}

// catalogWrite holds the buckets of one write transaction.
type catalogWrite struct {
	entries, urls, hashes, outletDays, days, pending *bolt.Bucket
}

func catalogTx(tx *bolt.Tx) *catalogWrite {
	return &catalogWrite{
		entries:    tx.Bucket(bucketEntries),
		urls:       tx.Bucket(bucketURLs),
		hashes:     tx.Bucket(bucketHashes),
		outletDays: tx.Bucket(bucketOutletDays),
		days:       tx.Bucket(bucketDays),
		pending:    tx.Bucket(bucketPending),
	}
}

// indexKeys calls fn with every index key of e and its bucket.
func (w *catalogWrite) indexKeys(e *Entry, fn func(b *bolt.Bucket, key []byte) error) error {
	type indexKey struct {
		b   *bolt.Bucket
		key []byte
	}
	join := func(parts ...string) []byte { return []byte(strings.Join(parts, "\x00")) }
	day := e.dayKey()
	keys := []indexKey{
		{w.outletDays, join(e.Outlet, day, e.ID)},
		{w.days, join(day, e.Outlet, e.ID)},
	}
	if e.URL != "" {
		keys = append(keys, indexKey{w.urls, join(e.URL, e.ID)})
	}
	if e.CanonicalURL != "" && e.CanonicalURL != e.URL {
		keys = append(keys, indexKey{w.urls, join(e.CanonicalURL, e.ID)})
	}
	if e.ContentHash != "" {
		keys = append(keys, indexKey{w.hashes, join(e.ContentHash, e.ID)})
	}
	if e.Pending {
		keys = append(keys, indexKey{w.pending, []byte(e.ID)})
	}
	for _, k := range keys {
		if err := fn(k.b, k.key); err != nil {
			return err
		}
	}
	return nil
}

func (w *catalogWrite) put(e *Entry, val []byte) error {
	if err := w.remove([]byte(e.ID)); err != nil {
		return err
	}
	if err := w.entries.Put([]byte(e.ID), val); err != nil {
		return err
	}
	return w.indexKeys(e, func(b *bolt.Bucket, key []byte) error { return b.Put(key, nil) })
}

func (w *catalogWrite) remove(id []byte) error {
	old, ok, err := getEntry(w.entries, id)
	if err != nil || !ok {
		return err
	}
	if err := w.indexKeys(&old, func(b *bolt.Bucket, key []byte) error { return b.Delete(key) }); err != nil {
		return err
	}
	return w.entries.Delete(id)
}
