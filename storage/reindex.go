package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/gisa-news/gisa/article"
)

// ReindexStats tell what Reindex or ReindexFromManifests found.
type ReindexStats struct {
	Articles   int   `json:"articles"`   // entries now in the catalog
	Revisions  int   `json:"revisions"`  // revision objects counted in them
	Bytes      int64 `json:"bytes"`      // of the articles' JSON
	Corrupt    int   `json:"corrupt"`    // objects (or manifest lines) reported and skipped
	Duplicates int   `json:"duplicates"` // article objects skipped for another of the same ID

	// Unmanifested counts the articles ReindexFromManifests read because no
	// manifest described them as they are (a run killed before it wrote
	// its manifest, say).
	Unmanifested int `json:"unmanifested,omitempty"`
}

// reindexWorkers is how many objects Reindex reads at once: enough to hide
// the latency of an S3 GET.
const reindexWorkers = 8

// reindexBatchSize is how many entries Reindex puts into the catalog in one
// transaction.
const reindexBatchSize = 1000

// Reindex rebuilds catalog c from the Archive in s: it removes every entry,
// lists revisions/ and articles/, reads every object there, and puts one
// entry per article, in transactions of a thousand. Running it again gives
// the same catalog.
//
// Objects it cannot use are passed to report (which may be nil), with an
// error that names the key, and skipped: JSON that does not decode
// ("articles/…/x.json: invalid JSON at line 3: …"), an article whose id is
// not its file name, a key under articles/ that is not <id>.json. A corrupt
// revision is reported but still counted in its article's Revisions, as
// PutArticle counts it. When several objects hold the same article ID (an
// archive written without a catalog, whose articles got a date later), the
// one fetched last is indexed (then the one with a published_at, then the
// greatest key) and the others are reported as duplicates. report is called
// from one goroutine at a time.
//
// An error reading the Store, or writing the catalog, stops Reindex; the
// catalog is then incomplete until Reindex succeeds.
func Reindex(ctx context.Context, s Store, c Catalog, report func(key string, err error)) (ReindexStats, error) {
	if report == nil {
		report = func(string, error) {}
	}
	var st ReindexStats

	revisions := map[string]int{} // article key → revision objects
	err := readEach(ctx, s, "revisions/",
		func(info Info) (bool, error) {
			art, ok := revisionArticle(info.Key)
			if ok {
				revisions[art]++
			}
			return ok, nil
		},
		func(key string, data []byte) (struct{}, error) {
			_, err := decode(key, data)
			return struct{}{}, err
		},
		func(key string, _ struct{}, err error) error {
			if err != nil {
				st.Corrupt++
				report(key, err)
			}
			return nil
		})
	if err != nil {
		return st, fmt.Errorf("reindex: %w", err)
	}

	if err := c.Reset(ctx); err != nil {
		return st, fmt.Errorf("reindex: %w", err)
	}
	batch := newReindexBatch(c, report, &st)
	err = readEach(ctx, s, "articles/",
		func(info Info) (bool, error) { return checkArticleKey(info.Key) },
		func(key string, data []byte) (Entry, error) { return articleEntry(key, data, revisions[key]) },
		func(key string, e Entry, err error) error {
			if err != nil {
				st.Corrupt++
				report(key, err)
				return nil
			}
			return batch.add(ctx, e)
		})
	if err == nil {
		err = batch.flush(ctx)
	}
	if err != nil {
		return st, fmt.Errorf("reindex: %w (the catalog is incomplete until reindex succeeds)", err)
	}
	return st, nil
}

// checkArticleKey accepts a key under articles/ that names an article:
// articles/…/<id>.json.
func checkArticleKey(key string) (bool, error) {
	if id, ok := strings.CutSuffix(path.Base(key), ".json"); !ok || !article.ValidID(id) {
		return false, fmt.Errorf("%s: not an article (articles/…/<id>.json)", key)
	}
	return true, nil
}

// articleEntry is the entry of the article stored as data under key.
func articleEntry(key string, data []byte, revisions int) (Entry, error) {
	rec, err := decode(key, data)
	if err != nil {
		return Entry{}, err
	}
	if id := strings.TrimSuffix(path.Base(key), ".json"); rec.ID != id {
		return Entry{}, fmt.Errorf("%s: holds article ID %q, not %q", key, rec.ID, id)
	}
	return newEntry(key, data, rec, article.ContentHash(rec.Body), revisions), nil
}

// revisionArticle returns the key of the article a revision key belongs to:
// "revisions/<path>/<id>/<n>.json" → "articles/<path>/<id>.json".
func revisionArticle(key string) (string, bool) {
	dir, name := path.Split(key)
	n, ok := strings.CutSuffix(name, ".json")
	if !ok || n == "" || n[0] == '0' {
		return "", false
	}
	if i, err := strconv.Atoi(n); err != nil || i <= 0 {
		return "", false
	}
	rest, ok := strings.CutPrefix(strings.TrimSuffix(dir, "/"), "revisions/")
	if !ok || rest == "" {
		return "", false
	}
	return "articles/" + rest + ".json", true
}

// reindexBatch gathers entries for the catalog and settles duplicate IDs.
type reindexBatch struct {
	c       Catalog
	report  func(string, error)
	st      *ReindexStats
	entries map[string]Entry
}

func newReindexBatch(c Catalog, report func(string, error), st *ReindexStats) *reindexBatch {
	return &reindexBatch{c: c, report: report, st: st, entries: map[string]Entry{}}
}

func (b *reindexBatch) add(ctx context.Context, e Entry) error {
	prev, ok := b.entries[e.ID]
	if !ok {
		var err error
		if prev, ok, err = b.c.ByID(ctx, e.ID); err != nil {
			return err
		}
	}
	if ok {
		b.st.Duplicates++
		keep, drop := prev, e
		if preferred(&e, &prev) {
			keep, drop = e, prev
		}
		b.report(drop.Key, fmt.Errorf("%s: duplicate of article %s at %s, which is kept", drop.Key, e.ID, keep.Key))
		if keep.Key == prev.Key {
			return nil
		}
		b.st.Articles--
		b.st.Revisions -= prev.Revisions
		b.st.Bytes -= prev.Size
	}
	b.entries[e.ID] = e
	b.st.Articles++
	b.st.Revisions += e.Revisions
	b.st.Bytes += e.Size
	if len(b.entries) >= reindexBatchSize {
		return b.flush(ctx)
	}
	return nil
}

func (b *reindexBatch) flush(ctx context.Context) error {
	if len(b.entries) == 0 {
		return nil
	}
	es := make([]Entry, 0, len(b.entries))
	for _, e := range b.entries {
		es = append(es, e)
	}
	if err := b.c.Put(ctx, es...); err != nil {
		return err
	}
	clear(b.entries)
	return nil
}

// preferred reports whether a, of two objects holding one article, is the
// one to index: fetched later, else dated when b is not, else the greater
// key.
func preferred(a, b *Entry) bool {
	if !a.Fetched.Equal(b.Fetched) {
		return a.Fetched.After(b.Fetched)
	}
	if a.Published.IsZero() != b.Published.IsZero() {
		return !a.Published.IsZero()
	}
	return a.Key > b.Key
}

// readEach lists prefix in s and, for each key that check accepts, reads the
// object and parses it, reindexWorkers at a time; fn gets each result (or
// check's error) on the calling goroutine, in no particular order. An object
// deleted meanwhile is skipped. An error listing or reading, or from fn,
// stops readEach and is returned.
func readEach[T any](ctx context.Context, s Store, prefix string,
	check func(info Info) (bool, error),
	parse func(key string, data []byte) (T, error),
	fn func(key string, v T, err error) error,
) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type result struct {
		key  string
		v    T
		err  error // check's or parse's
		fail error // of the Store: stops everything
	}
	jobs := make(chan string, reindexWorkers)
	results := make(chan result, reindexWorkers)
	var workers sync.WaitGroup
	for range reindexWorkers {
		workers.Go(func() {
			for key := range jobs {
				b, err := s.Get(ctx, key)
				switch {
				case errors.Is(err, ErrNotFound):
					continue
				case err != nil:
					results <- result{key: key, fail: err}
					continue
				}
				v, err := parse(key, b)
				results <- result{key: key, v: v, err: err}
			}
		})
	}
	var listErr error
	go func() {
		listErr = s.List(ctx, prefix, func(info Info) error {
			read, err := check(info)
			var job chan<- string
			var res chan<- result
			switch {
			case err != nil:
				res = results
			case read:
				job = jobs
			default:
				return nil
			}
			select {
			case job <- info.Key:
			case res <- result{key: info.Key, err: err}:
			case <-ctx.Done():
				return context.Cause(ctx)
			}
			return nil
		})
		close(jobs)
		workers.Wait()
		close(results)
	}()
	var first error
	for r := range results {
		if first != nil {
			continue // drain
		}
		if r.fail != nil {
			first = r.fail
		} else if err := fn(r.key, r.v, r.err); err != nil {
			first = err
		}
		if first != nil {
			cancel(first)
		}
	}
	// results is closed: List has returned and listErr is set.
	if first != nil {
		return first
	}
	return listErr
}

// ReindexFromManifests rebuilds catalog c from the run manifests in s (see
// Archive.Flush), reading only the articles they do not describe: it
// removes every entry, puts the entries of every manifest in key order, so
// that the latest line for an article wins, and then lists articles/ and
// revisions/ (keys and sizes only) and reads the articles that no manifest
// names, or whose size is not the one their latest line gives: those
// written by a run killed before it wrote its manifest, without an
// Archive, or before manifests existed. Stats.Unmanifested counts them, so
// that the catalog is complete whatever happened, and much cheaper than
// Reindex on S3 when the manifests are. (An article changed since its
// manifest line but of the same size keeps a stale entry: Reindex is the
// complete rebuild.) Since a manifest may be older than the article, the
// entries from manifests are put without their Fingerprint: PutArticle
// then reads each article once before it trusts the entry to say it
// unchanged. Lines that do not decode are reported, with the manifest's
// key, and skipped, as are articles that do not decode (counted in
// Corrupt) and articles of an ID a manifest names under another key (in
// Duplicates; the one fetched last is kept). Running it again gives the
// same catalog.
func ReindexFromManifests(ctx context.Context, s Store, c Catalog, report func(key string, err error)) (ReindexStats, error) {
	if report == nil {
		report = func(string, error) {}
	}
	var st ReindexStats
	var keys []string
	err := s.List(ctx, ManifestRoot, func(info Info) error {
		if strings.HasSuffix(info.Key, ".jsonl") {
			keys = append(keys, info.Key)
		}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("reindex from manifests: %w", err)
	}
	if err := c.Reset(ctx); err != nil {
		return st, fmt.Errorf("reindex from manifests: %w", err)
	}
	latest := map[string]Entry{} // every ID put, with its entry
	var batch []Entry
	flush := func() error {
		err := c.Put(ctx, batch...)
		batch = batch[:0]
		return err
	}
	for _, key := range keys {
		b, err := s.Get(ctx, key)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return st, fmt.Errorf("reindex from manifests: %w (the catalog is incomplete until reindex succeeds)", err)
		}
		for i, line := range bytes.Split(b, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			e, err := decodeEntry(line)
			if err == nil {
				err = validEntry(&e)
			}
			if err != nil {
				st.Corrupt++
				report(key, fmt.Errorf("%s: line %d: %w", key, i+1, err))
				continue
			}
			e.Pending, e.Fingerprint = false, ""
			latest[e.ID] = e
			if batch = append(batch, e); len(batch) >= reindexBatchSize {
				if err := flush(); err != nil {
					return st, fmt.Errorf("reindex from manifests: %w (the catalog is incomplete until reindex succeeds)", err)
				}
			}
		}
	}
	if err := flush(); err != nil {
		return st, fmt.Errorf("reindex from manifests: %w (the catalog is incomplete until reindex succeeds)", err)
	}
	if err := readUnmanifested(ctx, s, c, latest, &st, report); err != nil {
		return st, fmt.Errorf("reindex from manifests: %w (the catalog is incomplete until reindex succeeds)", err)
	}
	for _, e := range latest {
		st.Articles++
		st.Revisions += e.Revisions
		st.Bytes += e.Size
	}
	return st, nil
}

// readUnmanifested reads the articles that no entry of latest (by ID)
// describes (by key and size), and puts their entries into c and latest.
func readUnmanifested(ctx context.Context, s Store, c Catalog, latest map[string]Entry, st *ReindexStats, report func(string, error)) error {
	named := make(map[string]int64, len(latest)) // key → size its entry says
	for _, e := range latest {
		named[e.Key] = e.Size
	}
	revisions := map[string]int{}
	err := s.List(ctx, "revisions/", func(info Info) error {
		if art, ok := revisionArticle(info.Key); ok {
			revisions[art]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	var batch []Entry
	err = readEach(ctx, s, "articles/",
		func(info Info) (bool, error) {
			if size, ok := named[info.Key]; ok && size == info.Size {
				return false, nil
			}
			return checkArticleKey(info.Key)
		},
		func(key string, data []byte) (Entry, error) { return articleEntry(key, data, revisions[key]) },
		func(key string, e Entry, err error) error {
			if err != nil {
				st.Corrupt++
				report(key, err)
				return nil
			}
			st.Unmanifested++
			if prev, ok := latest[e.ID]; ok && prev.Key != e.Key {
				st.Duplicates++
				keep, drop := prev, e
				if preferred(&e, &prev) {
					keep, drop = e, prev
				}
				report(drop.Key, fmt.Errorf("%s: duplicate of article %s at %s, which is kept", drop.Key, e.ID, keep.Key))
				if keep.Key == prev.Key {
					return nil
				}
			}
			latest[e.ID] = e
			if batch = append(batch, e); len(batch) >= reindexBatchSize {
				err := c.Put(ctx, batch...)
				batch = batch[:0]
				return err
			}
			return nil
		})
	if err != nil {
		return err
	}
	return c.Put(ctx, batch...)
}
