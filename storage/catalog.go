package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
	bolt "go.etcd.io/bbolt"

	"github.com/gisa-news/gisa/article"
)

// CatalogName is the conventional file name of a catalog: beside the
// articles/ directory of a disk archive, or beside the crawl state for an S3
// one. It is a valid key, so a Disk over the archive directory lists it under
// "" (but never under articles/, revisions/ or any other prefix the Archive
// uses).
const CatalogName = ".gisa-catalog"

// ErrInUse is wrapped by the error OpenCatalog returns when another process
// (or another OpenCatalog in this one) has the catalog open for writing,
// and by that of LockArchive when another holds the archive's lock.
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

	// Seq is the catalog's change sequence number of the entry: every Put
	// gives each entry it writes a number greater than any the catalog gave
	// before (Reset and Delete do not lower them), so the entries changed
	// since a moment are those with a greater Seq (see
	// SQLiteCatalog.Since). Set by the catalog when read; not part of the
	// entry's JSON.
	Seq int64 `json:"-"`
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

// SQLiteCatalog is a Catalog in one SQLite file in WAL mode. One process at
// a time opens it for writing (OpenCatalog); any number may open it for
// reading beside that writer (OpenCatalogReadOnly), each seeing a
// consistent snapshot. Every Put, Delete and Reset is atomic and durable
// when it returns: WAL with synchronous=FULL fsyncs the log at every
// commit. Puts and Deletes from concurrent callers share a transaction, and
// so its fsync (see commit); Reset is a transaction of its own.
type SQLiteCatalog struct {
	db       *sql.DB
	path     string
	lock     *os.File // the writer's flock on path+"-lock"; nil when read-only
	readOnly bool

	mu     sync.Mutex // serializes the use of snap
	snap   *sql.Tx    // a read-only catalog's snapshot
	closed bool

	// The group commit of Puts and Deletes (see commit): changes wait in
	// queue; leader holds a token while a caller commits them.
	queueMu sync.Mutex
	queue   []*change
	leader  chan struct{}

	stmts *catalogStmts // a writer's prepared statements; nil when read-only
}

// catalogStmts are the statements a writer runs for every article,
// prepared once: database/sql keeps each prepared on every connection
// that ran it, and a transaction reuses it (Tx.StmtContext) instead of
// compiling its SQL again.
type catalogStmts struct {
	put, seq, setSeq, byID *sql.Stmt
}

func prepareStmts(db *sql.DB) (*catalogStmts, error) {
	var s catalogStmts
	for _, p := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&s.put, `INSERT OR REPLACE INTO entries
			(id, seq, outlet, day, url, canonical_url, content_hash, fetched, pending, entry)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.seq, `SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'`},
		{&s.setSeq, `UPDATE meta SET value = ? WHERE key = 'seq'`},
		{&s.byID, `SELECT ` + entryColumns + ` FROM entries WHERE id = ?`},
	} {
		stmt, err := db.Prepare(p.query)
		if err != nil {
			s.close()
			return nil, err
		}
		*p.stmt = stmt
	}
	return &s, nil
}

func (s *catalogStmts) close() {
	for _, st := range []*sql.Stmt{s.put, s.seq, s.setSeq, s.byID} {
		if st != nil {
			st.Close()
		}
	}
}

var _ Catalog = (*SQLiteCatalog)(nil)

// catalogFormat is the format of a catalog file, in its meta table. A
// format change that old code cannot read changes it; a catalog of another
// format is ErrNotCatalog (rebuilt by Reindex).
const catalogFormat = "gisa-catalog/2"

// boltCatalogFormat is the format of the bbolt catalog files gisa wrote
// before; OpenCatalog replaces such a file with an empty catalog.
const boltCatalogFormat = "gisa-catalog/1"

// sqliteHeader begins every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// The schema. day is Entry.dayKey ("undated" sorts after every digit);
// fetched is Unix nanoseconds (noTime when zero); entry is the Entry's
// JSON.
const catalogSchema = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
	id TEXT PRIMARY KEY,
	seq INTEGER NOT NULL,
	outlet TEXT NOT NULL,
	day TEXT NOT NULL,
	url TEXT NOT NULL,
	canonical_url TEXT NOT NULL,
	content_hash TEXT NOT NULL,
	fetched INTEGER NOT NULL,
	pending INTEGER NOT NULL,
	entry TEXT NOT NULL
);
CREATE UNIQUE INDEX entries_seq ON entries (seq);
CREATE INDEX entries_url ON entries (url);
CREATE INDEX entries_canonical_url ON entries (canonical_url);
CREATE INDEX entries_content_hash ON entries (content_hash);
CREATE INDEX entries_outlet_day ON entries (outlet, day, id);
CREATE INDEX entries_day ON entries (day, outlet, id);
CREATE INDEX entries_pending ON entries (id) WHERE pending;
`

const noTime = math.MinInt64

// OpenCatalog opens the catalog at path for writing, creating the file and
// its parent directories if needed.
//
// If another process (or another OpenCatalog in this one) has it open for
// writing, OpenCatalog returns an error wrapping ErrInUse ("catalog /path is
// in use by another process"). Readers (OpenCatalogReadOnly) do not count. A
// file that is not a catalog gives an error wrapping ErrNotCatalog, except a
// catalog of the bbolt format gisa used before, which is replaced by an
// empty catalog (Reindex fills it). Both errors name the path. Close the
// catalog when done.
func OpenCatalog(path string) (*SQLiteCatalog, error) {
	if path == "" {
		return nil, errors.New("open catalog: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	lock, err := os.OpenFile(path+"-lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	held, err := tryLock(lock)
	if err != nil || !held {
		lock.Close()
		if err != nil {
			return nil, fmt.Errorf("open catalog %s: lock: %w", path, err)
		}
		return nil, fmt.Errorf("catalog %s is %w", path, ErrInUse)
	}
	c, err := openCatalog(path, false)
	if err != nil {
		unlock(lock)
		lock.Close()
		return nil, err
	}
	c.lock = lock
	return c, nil
}

// OpenCatalogReadOnly opens the existing catalog at path for reading. It
// may be opened while a writer has it open, and it sees the catalog as it
// was when it was opened (a consistent snapshot, however long it is used),
// whatever the writer does meanwhile. It writes nothing, and creates no
// file but SQLite's empty -wal and -shm files beside a catalog whose writer
// removed them on close (SQLite needs them to read a WAL database, and a
// writer may start at any moment). A missing file is an
// error wrapping fs.ErrNotExist; one that is not a catalog (or one of the
// older bbolt format, which only a writer replaces) wraps ErrNotCatalog.
// Its Put, Delete and Reset fail with an error wrapping ErrReadOnly. Close
// it when done.
func OpenCatalogReadOnly(path string) (*SQLiteCatalog, error) {
	if path == "" {
		return nil, errors.New("open catalog: empty path")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open catalog: %w", err)
	}
	return openCatalog(path, true)
}

func openCatalog(path string, readOnly bool) (*SQLiteCatalog, error) {
	if err := checkCatalogFile(path, readOnly); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	dsn := (&url.URL{Scheme: "file", Path: abs}).String()
	if readOnly {
		dsn += "?mode=ro&_busy_timeout=10000"
	} else {
		// WAL lets readers in other processes read beside the writer;
		// synchronous=FULL makes every commit durable (the WAL is fsynced
		// at each commit, not only at checkpoints); an immediate
		// transaction takes the write lock at BEGIN, so that concurrent
		// Puts wait for each other (busy_timeout) instead of failing.
		dsn += "?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=10000&_txlock=immediate"
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	c := &SQLiteCatalog{db: db, path: path, readOnly: readOnly, leader: make(chan struct{}, 1)}
	if readOnly {
		db.SetMaxOpenConns(1)
		err = c.beginSnapshot()
	} else {
		db.SetMaxOpenConns(4)
		err = c.setup()
		if err == nil {
			c.stmts, err = prepareStmts(db)
		}
	}
	if err != nil {
		if c.snap != nil {
			c.snap.Rollback()
		}
		db.Close()
		if isNotCatalog(err) {
			return nil, fmt.Errorf("catalog %s: %w: %w", path, ErrNotCatalog, err)
		}
		return nil, fmt.Errorf("open catalog %s: %w", path, err)
	}
	return c, nil
}

// checkCatalogFile looks at the first bytes of an existing, non-empty file:
// a SQLite file is opened as such; a bbolt catalog of gisa's older format is
// removed (by a writer: it is rebuilt by Reindex); anything else is
// ErrNotCatalog.
func checkCatalogFile(path string, readOnly bool) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open catalog %s: %w", path, err)
	}
	head := make([]byte, len(sqliteHeader))
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n == 0 || string(head[:n]) == sqliteHeader {
		return nil
	}
	if !isBoltCatalog(path) {
		return fmt.Errorf("catalog %s: %w: not a SQLite file", path, ErrNotCatalog)
	}
	if readOnly {
		return fmt.Errorf("catalog %s: %w: a catalog of the older bbolt format (the next crawl, reparse or reindex replaces it)", path, ErrNotCatalog)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("catalog %s: replacing the older bbolt catalog: %w", path, err)
	}
	return nil
}

// isBoltCatalog reports whether path is a catalog of the bbolt format gisa
// used before, not open elsewhere.
func isBoltCatalog(path string) (ok bool) {
	defer func() {
		if recover() != nil { // bbolt panics over some damaged files
			ok = false
		}
	}()
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return false
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket([]byte("meta")); b != nil {
			ok = string(b.Get([]byte("format"))) == boltCatalogFormat
		}
		return nil
	})
	return ok
}

func isNotCatalog(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt) {
		return true
	}
	return errors.Is(err, ErrNotCatalog)
}

// setup creates the tables of a new file and checks the format of an
// existing one.
func (c *SQLiteCatalog) setup() error {
	ctx := context.Background()
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var tables int
	if err := tx.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table'`).Scan(&tables); err != nil {
		return err
	}
	if tables == 0 {
		if _, err := tx.Exec(catalogSchema); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ('format', ?), ('seq', '0')`, catalogFormat); err != nil {
			return err
		}
		return tx.Commit()
	}
	return checkFormat(tx)
}

func checkFormat(q interface {
	QueryRow(string, ...any) *sql.Row
}) error {
	var format string
	err := q.QueryRow(`SELECT value FROM meta WHERE key = 'format'`).Scan(&format)
	switch {
	case err == nil && format == catalogFormat:
		return nil
	case err == nil:
		return fmt.Errorf("%w: format %q", ErrNotCatalog, format)
	case errors.Is(err, sql.ErrNoRows) || strings.Contains(err.Error(), "no such table"):
		return fmt.Errorf("%w: another program's SQLite file", ErrNotCatalog)
	}
	return err
}

// beginSnapshot starts the read transaction a read-only catalog reads
// through, and makes it take its snapshot.
func (c *SQLiteCatalog) beginSnapshot() error {
	tx, err := c.db.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	c.snap = tx
	return checkFormat(tx) // the first read fixes the snapshot
}

// Path is the catalog's file.
func (c *SQLiteCatalog) Path() string { return c.path }

// Close closes the file, waiting for calls in progress; calls after Close
// return an error. Closing twice is not an error.
func (c *SQLiteCatalog) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.snap != nil {
		c.snap.Rollback()
	}
	if c.stmts != nil {
		c.stmts.close()
	}
	err := c.db.Close()
	if c.lock != nil {
		unlock(c.lock)
		c.lock.Close()
	}
	if err != nil {
		return fmt.Errorf("close catalog %s: %w", c.path, err)
	}
	return nil
}

// read runs fn with what reads go through: the snapshot of a read-only
// catalog, else the database.
func (c *SQLiteCatalog) read(fn func(q querier) error) error {
	if c.snap == nil {
		return fn(c.db)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errors.New("catalog closed")
	}
	return fn(c.snap)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in one write transaction.
func (c *SQLiteCatalog) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if c.readOnly {
		return ErrReadOnly
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Put inserts or replaces entries; see Catalog.
func (c *SQLiteCatalog) Put(ctx context.Context, entries ...Entry) error {
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
	if err := c.commit(ctx, &change{entries: entries, vals: vals}); err != nil {
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
func (c *SQLiteCatalog) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("catalog delete: %w", err)
	}
	if err := c.commit(ctx, &change{ids: ids}); err != nil {
		return fmt.Errorf("catalog delete in %s: %w", c.path, err)
	}
	return nil
}

// change is one Put's or one Delete's part of a group commit.
type change struct {
	ctx     context.Context // the caller's
	entries []Entry         // to put, with vals their JSON
	vals    [][]byte
	ids     []string   // to delete
	done    chan error // receives the outcome, once
}

// commit writes ch, all of it or nothing, in a transaction it may share with
// the changes of concurrent callers, and returns when that transaction is
// durable or has failed; ch fails alone if its own statements fail.
//
// A caller queues its change, then either receives the outcome or becomes
// the leader: that takes every change queued, commits them (see
// commitBatch), gives each its outcome, and lets the token go to a waiting
// caller. The changes queued while one transaction commits so share
// the next, and its fsync; a lone caller waits for no one. A caller whose
// ctx ends while its change is still queued takes it back and returns
// ctx's error, with nothing written; once a leader has taken it, the
// transaction decides.
func (c *SQLiteCatalog) commit(ctx context.Context, ch *change) error {
	if c.readOnly {
		return ErrReadOnly
	}
	ch.ctx = ctx
	ch.done = make(chan error, 1)
	c.queueMu.Lock()
	c.queue = append(c.queue, ch)
	c.queueMu.Unlock()
	select {
	case err := <-ch.done:
		return err
	case c.leader <- struct{}{}:
		c.queueMu.Lock()
		batch := c.queue
		c.queue = nil
		c.queueMu.Unlock()
		// ch is in batch, or an earlier leader has decided it: either way
		// its outcome is there when commitBatch returns.
		c.commitBatch(ctx, batch)
		<-c.leader
		return <-ch.done
	case <-ctx.Done():
		c.queueMu.Lock()
		i := slices.Index(c.queue, ch)
		if i >= 0 {
			c.queue = slices.Delete(c.queue, i, i+1)
		}
		c.queueMu.Unlock()
		if i >= 0 {
			return ctx.Err()
		}
		return <-ch.done
	}
}

// commitBatch writes the changes of batch in one immediate transaction,
// each in a savepoint (a lone change needs none), in order, and sends each its outcome: the error of
// its own statements (then it is undone, and the others go on), else that
// of the commit. A change whose ctx has ended is not applied and receives
// ctx's error. The transaction is not tied to ctx (that of the leader,
// which commits for others too).
func (c *SQLiteCatalog) commitBatch(ctx context.Context, batch []*change) {
	if len(batch) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	decided := make([]bool, len(batch)) // its outcome sent
	decide := func(i int, err error) {
		batch[i].done <- err
		decided[i] = true
	}
	err := c.write(ctx, func(tx *sql.Tx) error {
		var seq int64
		if err := tx.StmtContext(ctx, c.stmts.seq).QueryRowContext(ctx).Scan(&seq); err != nil {
			return err
		}
		start := seq
		setSeq := func(seq int64) error {
			if seq == start {
				return nil
			}
			_, err := tx.StmtContext(ctx, c.stmts.setSeq).ExecContext(ctx, seq)
			return err
		}
		put := tx.StmtContext(ctx, c.stmts.put)
		if len(batch) == 1 {
			// A change alone needs no savepoint: when its statements
			// fail, the transaction is rolled back, and it alone
			// receives the error.
			if err := batch[0].ctx.Err(); err != nil {
				decide(0, err)
				return nil
			}
			var err error
			if seq, err = apply(ctx, tx, put, batch[0], seq); err != nil {
				return err
			}
			return setSeq(seq)
		}
		for i, ch := range batch {
			if err := ch.ctx.Err(); err != nil {
				decide(i, err)
				continue
			}
			if _, err := tx.ExecContext(ctx, `SAVEPOINT change`); err != nil {
				return err
			}
			next, err := apply(ctx, tx, put, ch, seq)
			if err != nil {
				// Undo ch alone. If SQLite has rolled back the whole
				// transaction (it may, on an I/O error or a full disk),
				// this fails, and so does every change of the batch.
				if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO change`); rerr != nil {
					return fmt.Errorf("%w (undoing it: %v)", err, rerr)
				}
				decide(i, err)
			} else {
				seq = next
			}
			if _, err := tx.ExecContext(ctx, `RELEASE change`); err != nil {
				return err
			}
		}
		return setSeq(seq)
	})
	for i, ch := range batch {
		if !decided[i] {
			ch.done <- err
		}
	}
}

// apply runs the statements of ch in tx, numbering its entries from seq+1
// with put, and returns the last number given.
func apply(ctx context.Context, tx *sql.Tx, put *sql.Stmt, ch *change, seq int64) (int64, error) {
	for i := range ch.entries {
		e := &ch.entries[i]
		seq++
		fetched := int64(noTime)
		if !e.Fetched.IsZero() {
			fetched = e.Fetched.UnixNano()
		}
		if _, err := put.ExecContext(ctx, e.ID, seq, e.Outlet, e.dayKey(), e.URL, e.CanonicalURL,
			e.ContentHash, fetched, e.Pending, ch.vals[i]); err != nil {
			return 0, fmt.Errorf("%s: %w", e.ID, err)
		}
	}
	for _, id := range ch.ids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM entries WHERE id = ?`, id); err != nil {
			return 0, fmt.Errorf("%s: %w", id, err)
		}
	}
	return seq, nil
}

// Reset removes every entry; see Catalog. The sequence numbers go on from
// where they were.
func (c *SQLiteCatalog) Reset(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("catalog reset: %w", err)
	}
	err := c.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM entries`)
		return err
	})
	if err != nil {
		return fmt.Errorf("catalog reset %s: %w", c.path, err)
	}
	return nil
}

// Len returns the number of entries.
func (c *SQLiteCatalog) Len(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("catalog len: %w", err)
	}
	n := 0
	err := c.read(func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT count(*) FROM entries`).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("catalog %s: %w", c.path, err)
	}
	return n, nil
}

// entryColumns are the columns scanEntries reads.
const entryColumns = `seq, entry, day, outlet, id`

// query runs a query that selects entryColumns and returns its entries,
// and the (day, outlet, id) of the last.
func (c *SQLiteCatalog) query(ctx context.Context, query string, args ...any) ([]Entry, [3]string, error) {
	return c.queryStmt(ctx, nil, query, args...)
}

// byIDStmt is ByID's prepared statement, or nil when reads go through a
// read-only catalog's snapshot.
func (c *SQLiteCatalog) byIDStmt() *sql.Stmt {
	if c.stmts == nil {
		return nil
	}
	return c.stmts.byID
}

// queryStmt is query, run as stmt (query prepared) when stmt is not nil
// and reads go through the database.
func (c *SQLiteCatalog) queryStmt(ctx context.Context, stmt *sql.Stmt, query string, args ...any) ([]Entry, [3]string, error) {
	var (
		es   []Entry
		last [3]string
	)
	err := c.read(func(q querier) error {
		var (
			rows *sql.Rows
			err  error
		)
		if _, ok := q.(*sql.DB); ok && stmt != nil {
			rows, err = stmt.QueryContext(ctx, args...)
		} else {
			rows, err = q.QueryContext(ctx, query, args...)
		}
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				seq  int64
				data []byte
			)
			if err := rows.Scan(&seq, &data, &last[0], &last[1], &last[2]); err != nil {
				return err
			}
			e, err := decodeEntry(data)
			if err != nil {
				return fmt.Errorf("%w: entry %q: %v", ErrNotCatalog, last[2], err)
			}
			e.Seq = seq
			es = append(es, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, last, fmt.Errorf("catalog %s: %w", c.path, err)
	}
	return es, last, nil
}

// ByID returns the entry of article id; see Catalog.
func (c *SQLiteCatalog) ByID(ctx context.Context, id string) (Entry, bool, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, false, fmt.Errorf("catalog get %s: %w", id, err)
	}
	es, _, err := c.queryStmt(ctx, c.byIDStmt(), `SELECT `+entryColumns+` FROM entries WHERE id = ?`, id)
	if err != nil || len(es) == 0 {
		return Entry{}, false, err
	}
	return es[0], true, nil
}

// ByURL returns the entry with this URL or canonical URL; see Catalog.
func (c *SQLiteCatalog) ByURL(ctx context.Context, url string) (Entry, bool, error) {
	if url == "" || strings.IndexByte(url, 0) >= 0 {
		return Entry{}, false, nil
	}
	if err := ctx.Err(); err != nil {
		return Entry{}, false, fmt.Errorf("catalog lookup: %w", err)
	}
	es, _, err := c.query(ctx, `SELECT `+entryColumns+` FROM entries WHERE url = ?1 OR canonical_url = ?1
		ORDER BY fetched DESC, id DESC LIMIT 1`, url)
	if err != nil || len(es) == 0 {
		return Entry{}, false, err
	}
	return es[0], true, nil
}

// ByHash returns the entries with this content hash; see Catalog.
func (c *SQLiteCatalog) ByHash(ctx context.Context, hash string) ([]Entry, error) {
	if hash == "" || strings.IndexByte(hash, 0) >= 0 {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("catalog lookup: %w", err)
	}
	es, _, err := c.query(ctx, `SELECT `+entryColumns+` FROM entries WHERE content_hash = ? ORDER BY id`, hash)
	return es, err
}

// rangeChunk is how many entries Range reads in one query before calling fn
// for them outside it.
const rangeChunk = 512

// Range calls fn for the entries of outlet between two days; see Catalog.
func (c *SQLiteCatalog) Range(ctx context.Context, outlet string, from, to time.Time, fn func(Entry) error) error {
	lo, hi := "00000000", "99999999"
	if !from.IsZero() {
		lo = from.In(article.KST).Format("20060102")
	}
	if !to.IsZero() {
		hi = to.In(article.KST).Format("20060102")
	}
	if from.IsZero() && to.IsZero() {
		hi = undatedDay
	}
	where := `day >= ? AND day <= ?`
	args := []any{lo, hi}
	if outlet != "" {
		where += ` AND outlet = ?`
		args = append(args, outlet)
	}
	return c.scan(ctx, where, args, `day, outlet, id`, fn)
}

// Pending calls fn for every pending entry; see Catalog.
func (c *SQLiteCatalog) Pending(ctx context.Context, fn func(Entry) error) error {
	return c.scan(ctx, `pending`, nil, `id`, fn)
}

// Since calls fn for every entry whose Seq is greater than seq, by Seq: the
// entries put since the one numbered seq (0: all). If fn returns an error,
// Since stops and returns it.
func (c *SQLiteCatalog) Since(ctx context.Context, seq int64, fn func(Entry) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("catalog scan: %w", err)
		}
		es, _, err := c.query(ctx, `SELECT `+entryColumns+` FROM entries WHERE seq > ? ORDER BY seq LIMIT ?`, seq, rangeChunk)
		if err != nil {
			return err
		}
		for _, e := range es {
			if err := fn(e); err != nil {
				return err
			}
			seq = e.Seq
		}
		if len(es) < rangeChunk {
			return nil
		}
	}
}

// LastSeq returns the greatest sequence number the catalog has given (0
// when none).
func (c *SQLiteCatalog) LastSeq(ctx context.Context) (int64, error) {
	return c.meta(ctx, "seq")
}

// ManifestMark returns the sequence number up to which every settled entry
// is in a run manifest (0 when none): see Archive.Flush.
func (c *SQLiteCatalog) ManifestMark(ctx context.Context) (int64, error) {
	return c.meta(ctx, "manifest_mark")
}

// SetManifestMark raises the manifest mark to seq; a lower seq leaves it.
func (c *SQLiteCatalog) SetManifestMark(ctx context.Context, seq int64) error {
	err := c.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('manifest_mark', ?1)
			ON CONFLICT (key) DO UPDATE SET value = ?1 WHERE CAST(value AS INTEGER) < ?1`, seq)
		return err
	})
	if err != nil {
		return fmt.Errorf("catalog %s: set manifest mark: %w", c.path, err)
	}
	return nil
}

// meta returns an integer of the meta table, 0 when it is not there.
func (c *SQLiteCatalog) meta(ctx context.Context, key string) (int64, error) {
	var v int64
	err := c.read(func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?`, key).Scan(&v)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("catalog %s: %s: %w", c.path, key, err)
	}
	return v, nil
}

// scan calls fn for the entries that match where, ordered by order
// ("day, outlet, id" or "id"), reading rangeChunk entries per query and
// calling fn outside it, so that fn may write.
func (c *SQLiteCatalog) scan(ctx context.Context, where string, args []any, order string, fn func(Entry) error) error {
	after := ""
	var last [3]string
	for first := true; ; first = false {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("catalog scan: %w", err)
		}
		w, a := where, args
		if !first {
			w = "(" + where + ") AND (" + order + ") > (" + after + ")"
			if order == "id" {
				a = append(slices.Clone(args), last[2])
			} else {
				a = append(slices.Clone(args), last[0], last[1], last[2])
			}
		}
		es, l, err := c.query(ctx, `SELECT `+entryColumns+` FROM entries WHERE `+w+` ORDER BY `+order+` LIMIT ?`,
			append(a, rangeChunk)...)
		if err != nil {
			return err
		}
		for _, e := range es {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("catalog scan: %w", err)
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(es) < rangeChunk {
			return nil
		}
		last = l
		after = "?, ?, ?"
		if order == "id" {
			after = "?"
		}
	}
}
