package frontier

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/gisa-news/gisa/internal/boltfile"
	berrors "go.etcd.io/bbolt/errors"
)

// Store is a URL frontier and fetch state in one bbolt file, locked against
// other processes while open. All methods are safe for concurrent use; each
// call is atomic and durable when it returns (unless Options.NoSync).
//
// Lease, Done and Retry, the calls made once per fetched page, go through a
// group commit: calls that arrive while another commits wait for it, then
// commit together in one transaction and one fsync. A lone call commits at
// once. (bolt.DB.Batch does the same with a 10ms timer, which made a lone
// Lease+Done ten times slower and 16 concurrent callers half as fast; see
// BenchmarkLeaseDone.)
type Store struct {
	db   *bolt.DB
	path string
	// write runs Lease, Done and Retry transactions: a group commit, or
	// db.Batch or db.Update in benchmarks that compare them.
	write func(func(*bolt.Tx) error) error
	group *group
}

// Open opens the frontier at path, creating the file and its parent
// directories if needed. Items that were leased when the file was last
// closed (the previous process died mid-fetch) go back to the queue.
//
// If another process has the file open, Open waits up to
// Options.LockTimeout and then returns an error wrapping ErrInUse
// ("state /path is in use by another gisa process"). A second Open of the
// same path in one process fails the same way. A file that is not a gisa
// frontier gives an error wrapping ErrNotFrontier; both name the path.
func Open(path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("open state: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	timeout := opts.LockTimeout
	if timeout == 0 {
		timeout = time.Second
	}
	db, err := openBolt(path, &bolt.Options{
		Timeout:      timeout,
		NoSync:       opts.NoSync,
		FreelistType: bolt.FreelistMapType,
	})
	switch {
	case err == nil:
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("state %s is %w", path, ErrInUse)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum), errors.Is(err, ErrNotFrontier):
		return nil, fmt.Errorf("state %s: %w: %w", path, ErrNotFrontier, err)
	default:
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	s.group = &group{db: db}
	s.write = s.group.do
	if err := s.setup(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	return s, nil
}

// openBolt is bolt.Open that reports a panic over a damaged file as an
// error wrapping ErrNotFrontier instead of crashing the program.
func openBolt(path string, o *bolt.Options) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: bbolt: %v", ErrNotFrontier, r)
		}
	}()
	return bolt.Open(path, 0o600, o)
}

var dataBuckets = [][]byte{bucketQueue, bucketDelayed, bucketLeased, bucketURLs, bucketRecords, bucketRecent}

// setup creates the buckets of a new file, checks those of an existing one
// and puts leased items back in the queue.
func (s *Store) setup() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: bbolt: %v", ErrCorrupt, r)
		}
	}()
	return s.db.Update(func(tx *bolt.Tx) error {
		created, foreign, err := boltfile.Init(tx, bucketMeta, metaFormat, formatVersion, dataBuckets)
		switch {
		case err != nil:
			return err
		case foreign != "":
			return fmt.Errorf("%w: %s", ErrNotFrontier, foreign)
		case created:
			return nil
		}
		b, err := getBuckets(tx)
		if err != nil {
			return err
		}
		return b.requeueLeased(tx)
	})
}

// Close closes the file. Items still leased stay leased in the file and go
// back to the queue on the next Open; call Release first for a clean
// shutdown. Close waits for calls in progress; calls after Close return an
// error. Closing twice is not an error.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close state %s: %w", s.path, err)
	}
	return nil
}

// Add queues items and returns how many it added. Each URL is normalized
// (Item.URL and Item.Host are set from the result, the caller's Host is
// ignored) and each Kind must be one of the Kind constants; if any item fails
// either check, Add returns an error naming it and adds nothing.
//
// An item is skipped, not an error, when its URL is already queued or
// leased (also earlier in the same call), or when it is a KindArticle whose
// URL has a Record and Recheck is false. Other kinds are queued again after
// they have been fetched. An item with a NotBefore is not leased before that
// time. Add is one transaction: all items or none; adding the same items twice
// adds them once.
func (s *Store) Add(items ...Item) (added int, err error) {
	if len(items) == 0 {
		return 0, nil
	}
	norm := make([]Item, len(items))
	for i, it := range items {
		u, host, err := normalize(it.URL)
		if err != nil {
			return 0, fmt.Errorf("add: %w", err)
		}
		if !it.Kind.valid() {
			return 0, fmt.Errorf("add %s: unknown kind %q", u, it.Kind)
		}
		it.URL, it.Host = u, host
		norm[i] = it
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		added = 0
		b, err := getBuckets(tx)
		if err != nil {
			return err
		}
		for i := range norm {
			it := &norm[i]
			key := []byte(it.URL)
			if b.urls.Get(key) != nil {
				continue
			}
			if it.Kind == KindArticle && !it.Recheck && b.records.Get(key) != nil {
				continue
			}
			if it.seq, err = b.queue.NextSequence(); err != nil {
				return err
			}
			if err := b.put(it, encodeItem(it), !it.NotBefore.IsZero()); err != nil {
				return err
			}
			added++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("add to %s: %w", s.path, err)
	}
	return added, nil
}

// maxDue is how many of a host's delayed items one Lease moves to the
// queue when they fall due.
const maxDue = 4096

// Lease hands out up to n queued items of host (as in Item.Host; case does
// not matter) whose NotBefore is not after now, and marks them leased until
// Done, Retry or Release (or the next Open). Items come by Priority
// (lowest first), then Published (newest first, undated last), then in the
// order they were added. wait is the earliest NotBefore of the host's queued
// items that are not ready yet, zero if there are none. No items and a zero
// wait mean the host has nothing queued. Lease is not idempotent: each call
// hands out different items. n must be at least 1.
func (s *Store) Lease(host string, now time.Time, n int) (items []Item, wait time.Time, err error) {
	if n < 1 {
		return nil, time.Time{}, fmt.Errorf("lease %s: n is %d, want at least 1", host, n)
	}
	prefix := hostPrefix(strings.ToLower(host))
	limit := binary.BigEndian.AppendUint64(bytes.Clone(prefix), timeKey(now))
	err = s.write(func(tx *bolt.Tx) error {
		items, wait = nil, time.Time{} // the group commit may run this more than once
		b, err := getBuckets(tx)
		if err != nil {
			return err
		}
		// Move the host's due items from delayed to the queue, so that the
		// queue alone decides the order: the earliest maxDue of them, so
		// that one call's work stays bounded however many fell due (the
		// rest move in later calls).
		var due [][2][]byte
		c := b.delayed.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(due) < maxDue; k, v = c.Next() {
			if len(k) != len(limit)+8 {
				return corrupt(bucketDelayed, k, errors.New("bad key length"))
			}
			if bytes.Compare(k[:len(limit)], limit) > 0 {
				break
			}
			due = append(due, [2][]byte{bytes.Clone(k), bytes.Clone(v)})
		}
		for _, kv := range due {
			it, err := decodeItem(kv[1])
			if err != nil {
				return corrupt(bucketDelayed, kv[0], err)
			}
			if err := b.delayed.Delete(kv[0]); err != nil {
				return err
			}
			if err := b.put(&it, kv[1], false); err != nil {
				return err
			}
		}

		var leased [][]byte
		c = b.queue.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(items) < n; k, v = c.Next() {
			it, err := decodeItem(v)
			if err != nil {
				return corrupt(bucketQueue, k, err)
			}
			// Same key in leased, so the urls index stays as it is.
			if err := b.leased.Put(bytes.Clone(k), bytes.Clone(v)); err != nil {
				return err
			}
			items = append(items, it)
			leased = append(leased, bytes.Clone(k))
		}
		for _, k := range leased {
			if err := b.queue.Delete(k); err != nil {
				return err
			}
		}

		if k, v := b.delayed.Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
			it, err := decodeItem(v)
			if err != nil {
				return corrupt(bucketDelayed, k, err)
			}
			wait = it.NotBefore
		}
		return nil
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("lease %s from %s: %w", host, s.path, err)
	}
	return items, wait, nil
}

// Hosts returns, sorted, the hosts that have queued items, ready or not;
// leased items do not count. It returns an empty list for an empty queue.
func (s *Store) Hosts() ([]string, error) {
	var hosts []string
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := getBuckets(tx)
		if err != nil {
			return err
		}
		for _, bk := range []struct {
			name []byte
			b    *bolt.Bucket
		}{{bucketQueue, b.queue}, {bucketDelayed, b.delayed}} {
			c := bk.b.Cursor()
			for k, _ := c.First(); k != nil; {
				i := bytes.IndexByte(k, 0)
				if i <= 0 {
					return corrupt(bk.name, k, errors.New("no host in key"))
				}
				hosts = append(hosts, string(k[:i]))
				k, _ = c.Seek(append(k[:i:i], 1)) // first key of the next host
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hosts of %s: %w", s.path, err)
	}
	slices.Sort(hosts)
	return slices.Compact(hosts), nil
}

// Done reports that it was fetched: its URL leaves the frontier (leased,
// or queued again meanwhile) and, if rec is not nil, rec is stored as the
// URL's Record. The record is keyed by it.URL (rec.URL is set to it; an empty
// rec.Outlet or rec.Kind is taken from it). If the URL already has a Record,
// its FirstFetched is kept; otherwise an empty FirstFetched is set to
// LastFetched. Everything else, Revisions included, is stored as given.
// A record whose Kind (after that) is not one of the Kind constants, or an
// it.URL that does not normalize, is an error and changes nothing.
//
// Done is idempotent: calling it again, or for a URL that is no longer
// leased, is not an error and leaves one record. Calls from several
// goroutines share commits (see Store).
func (s *Store) Done(it Item, rec *Record) error {
	u, r, err := doneRecord(it, rec)
	if err != nil {
		return err
	}
	err = s.write(func(tx *bolt.Tx) error {
		b, err := getBuckets(tx)
		if err != nil {
			return err
		}
		if err := b.remove([]byte(u)); err != nil {
			return err
		}
		if rec == nil {
			return nil
		}
		r := r // the group commit may run this more than once
		return b.putRecord(&r)
	})
	if err != nil {
		return fmt.Errorf("done %s in %s: %w", u, s.path, err)
	}
	return nil
}

// Retry puts a leased item back in the queue with one more Attempt, not to
// be leased before notBefore (zero: at once). Only it.URL is read; the rest
// comes from the leased item. Retry is idempotent: for a URL that is not
// leased (already retried, released or done) it does nothing and returns
// nil. Calls from several goroutines share commits (see Store).
func (s *Store) Retry(it Item, notBefore time.Time) error {
	u, _, err := normalize(it.URL)
	if err != nil {
		return fmt.Errorf("retry: %w", err)
	}
	err = s.write(func(tx *bolt.Tx) error {
		b, err := getBuckets(tx)
		if err != nil {
			return err
		}
		it, _, _, ok, err := b.unlease([]byte(u))
		if err != nil || !ok {
			return err
		}
		it.Attempts++
		it.NotBefore = notBefore
		return b.put(&it, encodeItem(&it), !notBefore.IsZero())
	})
	if err != nil {
		return fmt.Errorf("retry %s in %s: %w", u, s.path, err)
	}
	return nil
}

// Release puts leased items back in the queue unchanged, in their old
// place, for a clean shutdown. Only each item's URL is read. Items that are
// not leased are skipped, so Release is idempotent. If a URL does not
// normalize, Release returns an error naming it and releases nothing.
func (s *Store) Release(items ...Item) error {
	urls := make([][]byte, len(items))
	for i, it := range items {
		u, _, err := normalize(it.URL)
		if err != nil {
			return fmt.Errorf("release: %w", err)
		}
		urls[i] = []byte(u)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := getBuckets(tx)
		if err != nil {
			return err
		}
		for _, u := range urls {
			if err := b.release(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("release in %s: %w", s.path, err)
	}
	return nil
}

// Record returns the Record of url (normalized first). A URL that was never
// fetched gives ok == false and a nil error.
func (s *Store) Record(url string) (rec Record, ok bool, err error) {
	u, _, err := normalize(url)
	if err != nil {
		return Record{}, false, fmt.Errorf("record: %w", err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		b, err := getBuckets(tx)
		if err != nil {
			return err
		}
		v := b.records.Get([]byte(u))
		if v == nil {
			return nil
		}
		if rec, err = decodeRecord(v); err != nil {
			return corrupt(bucketRecords, []byte(u), err)
		}
		ok = true
		return nil
	})
	if err != nil {
		return Record{}, false, fmt.Errorf("record %s in %s: %w", u, s.path, err)
	}
	return rec, ok, nil
}

// recentPage is how many records Recent reads per read transaction.
const recentPage = 256

// Recent calls fn with each KindArticle record whose Published, or
// FirstFetched when Published is zero, is at or after since, oldest first,
// and stops at the first error from fn, which it returns as is. fn runs
// outside any transaction and may call the Store. Recent reads in pages, so
// it is not a snapshot: a record changed during the walk may be seen in its
// old or new state, and one whose time moves later may be seen twice.
func (s *Store) Recent(since time.Time, fn func(Record) error) error {
	seek := binary.BigEndian.AppendUint64(nil, timeKey(since))
	after := false // seek is the last key already seen, not the first to see
	for {
		page := make([]Record, 0, recentPage)
		end := true
		err := s.db.View(func(tx *bolt.Tx) error {
			b, err := getBuckets(tx)
			if err != nil {
				return err
			}
			c := b.recent.Cursor()
			k, _ := c.Seek(seek)
			if after && k != nil && bytes.Equal(k, seek) {
				k, _ = c.Next()
			}
			for ; k != nil; k, _ = c.Next() {
				if len(page) == recentPage {
					end = false
					break
				}
				if len(k) <= 8 {
					return corrupt(bucketRecent, k, errors.New("bad key length"))
				}
				url := k[8:]
				v := b.records.Get(url)
				if v == nil {
					return corrupt(bucketRecent, k, errors.New("no record for the URL"))
				}
				r, err := decodeRecord(v)
				if err != nil {
					return corrupt(bucketRecords, url, err)
				}
				page = append(page, r)
				seek, after = bytes.Clone(k), true
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("recent records in %s: %w", s.path, err)
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if end {
			return nil
		}
	}
}

// Stats counts queued and leased items and records. It reads every page of
// the file's item and record buckets, so it is for progress reports, not
// for every fetch.
func (s *Store) Stats() (Stats, error) {
	var st Stats
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := getBuckets(tx)
		if err != nil {
			return err
		}
		st.Queued = b.queue.Stats().KeyN + b.delayed.Stats().KeyN
		st.Leased = b.leased.Stats().KeyN
		st.Records = b.records.Stats().KeyN
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats of %s: %w", s.path, err)
	}
	return st, nil
}

// normalize is Normalize that also returns the host[:port].
func normalize(raw string) (u, host string, err error) {
	u, err = Normalize(raw)
	if err != nil {
		return "", "", err
	}
	rest := u[strings.Index(u, "://")+3:]
	rest = rest[:strings.IndexByte(rest, '/')] // Normalize always writes a path
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	return u, rest, nil
}

// buckets are one transaction's buckets.
type buckets struct {
	queue, delayed, leased, urls, records, recent *bolt.Bucket
}

func getBuckets(tx *bolt.Tx) (*buckets, error) {
	var b buckets
	for _, x := range []struct {
		name []byte
		b    **bolt.Bucket
	}{
		{bucketQueue, &b.queue}, {bucketDelayed, &b.delayed}, {bucketLeased, &b.leased},
		{bucketURLs, &b.urls}, {bucketRecords, &b.records}, {bucketRecent, &b.recent},
	} {
		if *x.b = tx.Bucket(x.name); *x.b == nil {
			return nil, fmt.Errorf("%w: no %s bucket", ErrCorrupt, x.name)
		}
	}
	return &b, nil
}

// put stores it (encoded as v) in the queue, or in delayed, and indexes its URL.
func (b *buckets) put(it *Item, v []byte, delayed bool) error {
	bucket, key, state := b.queue, queueKey(it), byte(stateQueued)
	if delayed {
		bucket, key, state = b.delayed, delayedKey(it), stateDelayed
	}
	if err := bucket.Put(key, v); err != nil {
		return err
	}
	return b.urls.Put([]byte(it.URL), indexValue(state, key))
}

// where reads the urls index: whether url is queued, leased or delayed, and
// its key in that bucket; state 0 if the URL is not in the frontier. The
// index says 'q' for both queued and leased items (Lease moves an item to
// the same key in leased without touching the index), so leased is looked
// up first.
func (b *buckets) where(url []byte) (state byte, key []byte, err error) {
	v := b.urls.Get(url)
	if v == nil {
		return 0, nil, nil
	}
	if len(v) < 2 || v[0] != stateQueued && v[0] != stateDelayed {
		return 0, nil, corrupt(bucketURLs, url, fmt.Errorf("bad index value %q", v))
	}
	state, key = v[0], bytes.Clone(v[1:])
	if state == stateQueued && b.leased.Get(key) != nil {
		state = stateLeased
	}
	return state, key, nil
}

// remove takes url out of the frontier, wherever it is.
func (b *buckets) remove(url []byte) error {
	state, key, err := b.where(url)
	if err != nil || state == 0 {
		return err
	}
	switch state {
	case stateLeased:
		err = b.leased.Delete(key)
	case stateQueued:
		err = b.queue.Delete(key)
	case stateDelayed:
		err = b.delayed.Delete(key)
	}
	if err != nil {
		return err
	}
	return b.urls.Delete(url)
}

// unlease takes url out of leased and returns its item and its key; ok is
// false if url is not leased. The urls index still points at the key.
func (b *buckets) unlease(url []byte) (it Item, key, value []byte, ok bool, err error) {
	state, key, err := b.where(url)
	if err != nil || state != stateLeased {
		return Item{}, nil, nil, false, err
	}
	value = bytes.Clone(b.leased.Get(key))
	if it, err = decodeItem(value); err != nil {
		return Item{}, nil, nil, false, corrupt(bucketLeased, key, err)
	}
	if err := b.leased.Delete(key); err != nil {
		return Item{}, nil, nil, false, err
	}
	return it, key, value, true, nil
}

// release puts url, if leased, back in the queue under the same key.
func (b *buckets) release(url []byte) error {
	_, key, value, ok, err := b.unlease(url)
	if err != nil || !ok {
		return err
	}
	return b.queue.Put(key, value)
}

// requeueLeased puts every leased item back in its place in the queue.
func (b *buckets) requeueLeased(tx *bolt.Tx) error {
	c := b.leased.Cursor()
	k, v := c.First()
	if k == nil {
		return nil
	}
	for ; k != nil; k, v = c.Next() {
		if _, err := decodeItem(v); err != nil {
			return corrupt(bucketLeased, k, err)
		}
		if err := b.queue.Put(bytes.Clone(k), bytes.Clone(v)); err != nil {
			return err
		}
	}
	if err := tx.DeleteBucket(bucketLeased); err != nil {
		return err
	}
	_, err := tx.CreateBucket(bucketLeased)
	return err
}

// putRecord stores r under r.URL, keeping FirstFetched of an earlier record,
// and keeps the recent index in step.
func (b *buckets) putRecord(r *Record) error {
	key := []byte(r.URL)
	if v := b.records.Get(key); v != nil {
		old, err := decodeRecord(v)
		if err != nil {
			return corrupt(bucketRecords, key, err)
		}
		if !old.FirstFetched.IsZero() {
			r.FirstFetched = old.FirstFetched
		}
		if old.Kind == KindArticle {
			if err := b.recent.Delete(recentKey(recentTime(&old), r.URL)); err != nil {
				return err
			}
		}
	}
	if r.FirstFetched.IsZero() {
		r.FirstFetched = r.LastFetched
	}
	if err := b.records.Put(key, encodeRecord(r)); err != nil {
		return err
	}
	if r.Kind == KindArticle {
		return b.recent.Put(recentKey(recentTime(r), r.URL), []byte{})
	}
	return nil
}

// doneRecord is the normalized URL of a finished item and the record Done
// keeps for it: rec completed with the item's kind and outlet (zero when
// rec is nil). A URL that does not normalize or a record of an unknown
// kind is an error.
func doneRecord(it Item, rec *Record) (string, Record, error) {
	u, _, err := normalize(it.URL)
	if err != nil {
		return "", Record{}, fmt.Errorf("done: %w", err)
	}
	var r Record
	if rec != nil {
		r = *rec
		if r.Kind == "" {
			r.Kind = it.Kind
		}
		if !r.Kind.valid() {
			return "", Record{}, fmt.Errorf("done %s: record of unknown kind %q", u, r.Kind)
		}
		if r.Outlet == "" {
			r.Outlet = it.Outlet
		}
		r.URL = u
	}
	return u, r, nil
}
