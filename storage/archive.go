package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gisa-news/gisa/article"
)

// UnknownOutlet is the outlet directory of articles whose Outlet.ID is empty.
// Its leading underscore makes it an invalid article.ValidID, so it can never
// be a real outlet's ID.
const UnknownOutlet = "_unknown"

// Archive lays articles out in a Store, using nothing but the Store
// interface:
//
//	articles/<outlet>/<yyyy>/<mm>/<dd>/<id>.json          the current version
//	revisions/<outlet>/<yyyy>/<mm>/<dd>/<id>/<n>.json     earlier versions, n = 1, 2, … oldest first
//	articles/<outlet>/undated/<id>.json                   (and revisions/<outlet>/undated/<id>/<n>.json)
//	manifests/<yyyy>/<mm>/<dd>/<time>-<run>-<n>.jsonl     what each run wrote (see Flush)
//
// <outlet> is the article's Outlet.ID, or UnknownOutlet when that is empty;
// <id> is its ID. The date is published_at in KST; when that is null,
// fetched_at in KST; when both are null, the article goes under "undated".
//
// The date is the one in the record stored first. With a Catalog
// (WithCatalog), an article stays where it was first filed: a later fetch
// that finds a published_at the first did not (the article was filed under
// the day it was fetched, or as undated), or a corrected one, updates the
// article at its old key, with the new date in the record and in the
// catalog. It is not moved, because moving an article and its revisions is
// many writes that a crash could leave half done, and an article whose date
// flips between fetches would move back and forth. Without a Catalog the
// Archive cannot know where an article was filed before, and a record whose
// date gives another key is filed anew (Created) beside the old one; Reindex
// reports such duplicates.
//
// Records are stored as their JSON (docs/schema.md): normalized
// (article.Normalize, on a copy), indented by two spaces, HTML characters not
// escaped (as `gisa parse` prints them), with a trailing newline. The same
// article always gives the same bytes.
//
// An Archive is safe for concurrent use. PutArticle calls for the same
// article ID are serialized within one Archive; two Archives (or processes)
// writing the same article at the same moment may number a revision twice.
// (A catalog is open for writing in one process at a time, which keeps two processes
// from writing one archive through one catalog.)
type Archive struct {
	store     Store
	catalog   Catalog // nil: none
	manifests bool
	run       string // this Archive's part of manifest names
	seed      maphash.Seed
	locks     [64]sync.Mutex

	mu      sync.Mutex
	written map[string]Entry // manifest lines since the last Flush, by ID
	flushes int

	gate    sync.RWMutex // held by settle across its catalog Put and note, and by Flush to take its batch
	flushMu sync.Mutex   // one Flush at a time, so that manifest marks only rise over written manifests
}

// ArchiveOption configures NewArchive.
type ArchiveOption func(*Archive)

// WithCatalog makes the Archive keep c up to date and consult it: to find
// where an article was filed before, and to recognize an unchanged article
// without reading it. See PutArticle. c should describe the Store (built by
// this Archive from an empty Store, or by Reindex); the caller closes it.
func WithCatalog(c Catalog) ArchiveOption {
	return func(a *Archive) { a.catalog = c }
}

// WithManifests turns the writing of run manifests (see Flush) on or off; it
// is on by default.
func WithManifests(on bool) ArchiveOption {
	return func(a *Archive) { a.manifests = on }
}

// WithWorker puts id, the name of the worker process writing through this
// Archive, into its manifest names (<id>-<random> for <run>, see Flush), so
// that the manifests of workers sharing one archive never collide and say
// who wrote them. Bytes of id outside [A-Za-z0-9._] become '-'; at most 64
// are kept; an empty id changes nothing.
func WithWorker(id string) ArchiveOption {
	return func(a *Archive) {
		b := []byte(id)
		for i, c := range b {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_') {
				b[i] = '-'
			}
		}
		if len(b) > 64 {
			b = b[:64]
		}
		if len(b) > 0 {
			a.run = string(b) + "-" + a.run
		}
	}
}

// NewArchive returns an Archive over s.
func NewArchive(s Store, opts ...ArchiveOption) *Archive {
	a := &Archive{
		store:     s,
		manifests: true,
		run:       fmt.Sprintf("%08x", rand.Uint32()),
		seed:      maphash.MakeSeed(),
		written:   map[string]Entry{},
	}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Outcome tells what PutArticle did.
type Outcome int

// The outcomes of PutArticle.
const (
	Created   Outcome = iota + 1 // no article was under the key; it is now
	Updated                      // the stored article changed: the old one became a revision
	Unchanged                    // the stored article is the same; nothing was written
	Reparsed                     // the same fetch parsed anew gave another record; replaced in place
)

func (o Outcome) String() string {
	switch o {
	case Created:
		return "created"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	case Reparsed:
		return "reparsed"
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// ArticleKey returns the key under which Archive stores art (see Archive).
// The error wraps ErrInvalidKey when the article's ID or its outlet ID is not
// a valid article.ValidID.
func ArticleKey(art *article.Article) (string, error) {
	if art == nil {
		return "", fmt.Errorf("%w: nil article", ErrInvalidKey)
	}
	if !article.ValidID(art.ID) {
		return "", fmt.Errorf("%w: article ID %q is not a valid ID", ErrInvalidKey, art.ID)
	}
	outlet := art.Outlet.ID
	if outlet == "" {
		outlet = UnknownOutlet
	} else if !article.ValidID(outlet) {
		return "", fmt.Errorf("%w: article %s: outlet ID %q is not a valid ID", ErrInvalidKey, art.ID, outlet)
	}
	date := "undated"
	if t := firstTime(art.PublishedAt, art.FetchedAt); t != nil {
		date = t.In(article.KST).Format("2006/01/02")
	}
	return "articles/" + outlet + "/" + date + "/" + art.ID + ".json", nil
}

func firstTime(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if t != nil && !t.IsZero() {
			return t
		}
	}
	return nil
}

// PutArticle stores art and returns what it did and the key of the article.
//
// The key is ArticleKey(art), unless the Archive has a Catalog that knows the
// article under another key (see Archive): then that one. When no article is
// under the key, PutArticle writes art: Created. When one is and it has the
// same content, it writes nothing: Unchanged. Otherwise it first copies the
// stored bytes to the next revision, then writes art: Updated.
//
// "The same content" means equal schema_version, title, subtitle, body (by
// content_hash, so re-wrapped white space is no change), updated_at (the same
// instant, whatever the offset) and reporters (name, email and role, in
// order), and a published_at that is null in art or the same instant as the
// stored one (a date found or corrected is a change; a fetch that misses the
// date is not). Everything else — fetched_at, extraction, url, images,
// related, tags, … — may differ without being a change, and is then not
// updated.
//
// With a Catalog, an article whose catalog entry is settled (not Pending)
// and says the same content is Unchanged without a read of the Store. Else
// the stored article is read and compared as above, and the entry is
// repaired if it does not describe it. A write goes: (1) the entry, marked
// Pending, into the catalog; (2) the revision and the article into the
// Store; (3) the entry, settled, into the catalog. So at every moment, and
// after a crash at any point, every article stored through the Archive has
// an entry under its ID with its key, and every settled entry describes its article exactly; only
// Pending entries (at most one per PutArticle in flight) may be stale, until
// Recover, the next PutArticle of the article, or Reindex. If (3) fails,
// PutArticle returns the outcome, the key and an error: the article is
// stored, its entry left Pending.
//
// PutArticle never loses a stored version and is safe to retry: if a crash
// (or an error) came after the revision was written but before the article
// was replaced, the retry finds the stored bytes equal to the last revision's
// and does not write them again. A stored article that is not valid JSON is
// an error naming its key; PutArticle then writes nothing.
func (a *Archive) PutArticle(ctx context.Context, art *article.Article) (Outcome, string, error) {
	key, err := ArticleKey(art)
	if err != nil {
		return 0, "", fmt.Errorf("put article: %w", err)
	}
	rec := *art
	rec.Normalize()
	fp := fingerprint(&rec, rec.ContentHash)

	mu := &a.locks[maphash.String(a.seed, rec.ID)%uint64(len(a.locks))]
	mu.Lock()
	defer mu.Unlock()

	var (
		entry     Entry
		cataloged bool
	)
	fileKey := key
	if a.catalog != nil {
		entry, cataloged, err = a.catalog.ByID(ctx, rec.ID)
		if err != nil {
			return 0, key, fmt.Errorf("put article %s: %w", key, err)
		}
		if cataloged {
			if !entry.Pending && entry.Fingerprint == fp && samePublished(entry.Published, rec.PublishedAt) {
				return Unchanged, entry.Key, nil
			}
			if _, err := revisionPrefix(entry.Key); err == nil {
				key = entry.Key
			}
		}
	}

	data, err := encode(&rec)
	if err != nil {
		return 0, key, fmt.Errorf("put article %s: %w", key, err)
	}
	old, err := a.store.Get(ctx, key)
	if errors.Is(err, ErrNotFound) && key != fileKey {
		// The catalog's key holds nothing: a new article whose write a
		// crash cut short, or one removed by hand. File it anew.
		key = fileKey
		old, err = a.store.Get(ctx, key)
	}
	if errors.Is(err, ErrNotFound) {
		e := newEntry(key, data, &rec, rec.ContentHash, 0)
		if err := a.begin(ctx, e); err != nil {
			return 0, key, fmt.Errorf("put article %s: %w", key, err)
		}
		if err := a.store.Put(ctx, key, data); err != nil {
			return 0, key, fmt.Errorf("put article: %w", err)
		}
		return a.settle(ctx, Created, e)
	}
	if err != nil {
		return 0, key, fmt.Errorf("put article: %w", err)
	}
	stored, err := decode(key, old)
	if err != nil {
		return 0, key, fmt.Errorf("put article: %w", err)
	}
	storedHash := article.ContentHash(stored.Body)
	if bytes.Equal(old, data) || sameContent(stored, storedHash, &rec) {
		if a.catalog != nil && (!cataloged || entry.Pending || entry.Key != key ||
			entry.Fingerprint != fingerprint(stored, storedHash) || entry.Size != int64(len(old))) {
			// The catalog lags (a crash, or an archive written without
			// it): describe what is stored.
			revs, err := a.revisions(ctx, key)
			if err != nil {
				return 0, key, fmt.Errorf("put article %s: %w", key, err)
			}
			return a.settle(ctx, Unchanged, newEntry(key, old, stored, storedHash, len(revs)))
		}
		return Unchanged, key, nil
	}

	revs, err := a.revisions(ctx, key)
	if err != nil {
		return 0, key, fmt.Errorf("put article %s: %w", key, err)
	}
	saved := false // the stored version is already the last revision
	next := 1
	if len(revs) > 0 {
		last := revs[len(revs)-1]
		next = last.n + 1
		b, err := a.store.Get(ctx, last.key)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return 0, key, fmt.Errorf("put article %s: %w", key, err)
		}
		saved = err == nil && bytes.Equal(b, old)
	}
	count := len(revs)
	if !saved {
		count++
	}
	e := newEntry(key, data, &rec, rec.ContentHash, count)
	if err := a.begin(ctx, e); err != nil {
		return 0, key, fmt.Errorf("put article %s: %w", key, err)
	}
	if !saved {
		if err := a.store.Put(ctx, revisionKey(key, next), old); err != nil {
			return 0, key, fmt.Errorf("put article %s: save revision: %w", key, err)
		}
	}
	if err := a.store.Put(ctx, key, data); err != nil {
		return 0, key, fmt.Errorf("put article: %w", err)
	}
	return a.settle(ctx, Updated, e)
}

// Reparse stores art, parsed anew from a raw page kept in WARC, by its
// fetch time (art.FetchedAt):
//
//   - the fetch the stored article came from (same second): the record is
//     replaced in place when any of its bytes differ — the parser changed,
//     not the page, so no revision is made — and Reparsed is returned;
//     identical bytes return Unchanged, so a second run changes nothing;
//   - an older fetch than the stored one: Unchanged, nothing written (the
//     stored article, and its revisions, are newer);
//   - a newer fetch, or an article not stored at all: as PutArticle.
//
// What the page was archived as belongs to the archive, not to the parser
// that reads it now (which may lack the outlet's profile, and so name
// another outlet and ID): with a Catalog, when no article has art's ID but
// one was archived from art's URL or canonical URL, art takes that
// article's ID and outlet (ID and name) and is stored at its key. Only a
// page the archive keeps no article of is filed anew.
func (a *Archive) Reparse(ctx context.Context, art *article.Article) (Outcome, string, error) {
	if art.FetchedAt == nil {
		return 0, "", fmt.Errorf("reparse article %s: no fetch time", art.ID)
	}
	art, err := a.archivedAs(ctx, art)
	if err != nil {
		return 0, "", fmt.Errorf("reparse article %s: %w", art.ID, err)
	}
	key, err := ArticleKey(art)
	if err != nil {
		return 0, "", fmt.Errorf("reparse article: %w", err)
	}
	rec := *art
	rec.Normalize()
	mu := &a.locks[maphash.String(a.seed, rec.ID)%uint64(len(a.locks))]
	mu.Lock()
	var entry Entry
	cataloged := false
	if a.catalog != nil {
		if entry, cataloged, err = a.catalog.ByID(ctx, rec.ID); err != nil {
			mu.Unlock()
			return 0, key, fmt.Errorf("reparse article %s: %w", key, err)
		}
		if cataloged {
			if _, err := revisionPrefix(entry.Key); err == nil {
				key = entry.Key
			}
		}
	}
	old, err := a.store.Get(ctx, key)
	if errors.Is(err, ErrNotFound) {
		mu.Unlock()
		return a.PutArticle(ctx, art)
	}
	if err != nil {
		mu.Unlock()
		return 0, key, fmt.Errorf("reparse article: %w", err)
	}
	stored, err := decode(key, old)
	if err != nil {
		mu.Unlock()
		return 0, key, fmt.Errorf("reparse article: %w", err)
	}
	var storedAt time.Time
	if stored.FetchedAt != nil {
		storedAt = stored.FetchedAt.Truncate(time.Second)
	}
	switch at := rec.FetchedAt.Truncate(time.Second); {
	case at.Before(storedAt):
		mu.Unlock()
		return Unchanged, key, nil
	case at.After(storedAt):
		mu.Unlock()
		return a.PutArticle(ctx, art)
	}
	defer mu.Unlock()
	rec.FetchedAt = stored.FetchedAt // keep the stored precision
	data, err := encode(&rec)
	if err != nil {
		return 0, key, fmt.Errorf("reparse article %s: %w", key, err)
	}
	if bytes.Equal(old, data) {
		return Unchanged, key, nil
	}
	revs := entry.Revisions
	if !cataloged {
		rs, err := a.revisions(ctx, key)
		if err != nil {
			return 0, key, fmt.Errorf("reparse article %s: %w", key, err)
		}
		revs = len(rs)
	}
	e := newEntry(key, data, &rec, rec.ContentHash, revs)
	if err := a.begin(ctx, e); err != nil {
		return 0, key, fmt.Errorf("reparse article %s: %w", key, err)
	}
	if err := a.store.Put(ctx, key, data); err != nil {
		return 0, key, fmt.Errorf("reparse article: %w", err)
	}
	return a.settle(ctx, Reparsed, e)
}

// archivedAs returns art, or a copy of it with the ID and outlet of the
// article the archive keeps for its page (see Reparse).
func (a *Archive) archivedAs(ctx context.Context, art *article.Article) (*article.Article, error) {
	if a.catalog == nil {
		return art, nil
	}
	if _, ok, err := a.catalog.ByID(ctx, art.ID); err != nil || ok {
		return art, err
	}
	for _, u := range []string{art.URL, art.CanonicalURL} {
		e, ok, err := a.catalog.ByURL(ctx, u)
		if err != nil {
			return art, err
		}
		if !ok {
			continue
		}
		stored, err := a.GetArticle(ctx, e.Key)
		if errors.Is(err, ErrNotFound) {
			continue // a stale entry: Recover or Reindex settles it
		}
		if err != nil {
			return art, err
		}
		c := *art
		c.ID, c.Outlet = stored.ID, stored.Outlet
		return &c, nil
	}
	return art, nil
}

// begin puts e, marked pending, into the catalog, before the writes it
// describes.
func (a *Archive) begin(ctx context.Context, e Entry) error {
	if a.catalog == nil {
		return nil
	}
	e.Pending = true
	return a.catalog.Put(ctx, e)
}

// settle puts e, describing what is now stored, into the catalog and the
// next manifest, and returns outcome and e.Key. Flush cannot come between
// the two (see manifestMarks).
func (a *Archive) settle(ctx context.Context, outcome Outcome, e Entry) (Outcome, string, error) {
	a.gate.RLock()
	if a.catalog != nil {
		if err := a.catalog.Put(ctx, e); err != nil {
			a.gate.RUnlock()
			return outcome, e.Key, fmt.Errorf("put article %s: stored, but %w", e.Key, err)
		}
	}
	full := a.note(e)
	a.gate.RUnlock()
	if full {
		_ = a.Flush(ctx) // a failure leaves the entries for the next Flush, which reports it
	}
	return outcome, e.Key, nil
}

// Recover settles the catalog's Pending entries, left by PutArticle calls
// that a crash (or an error) interrupted, and returns how many it settled:
// each is replaced by what its key holds, or removed when the key holds
// nothing (a new article that was never written). Call it once after
// opening an archive whose catalog may hold such entries; it is safe to call
// at any time. Without a catalog it does nothing. An article that cannot be
// read is an error naming its key; its entry stays Pending.
func (a *Archive) Recover(ctx context.Context) (int, error) {
	if a.catalog == nil {
		return 0, nil
	}
	var ids []string
	if err := a.catalog.Pending(ctx, func(e Entry) error {
		ids = append(ids, e.ID)
		return nil
	}); err != nil {
		return 0, fmt.Errorf("recover: %w", err)
	}
	n := 0
	var errs []error
	for _, id := range ids {
		done, err := a.recoverEntry(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				return n, fmt.Errorf("recover: %w", err)
			}
			errs = append(errs, err)
		}
		if done {
			n++
		}
	}
	if err := errors.Join(errs...); err != nil {
		return n, fmt.Errorf("recover: %w", err)
	}
	return n, nil
}

func (a *Archive) recoverEntry(ctx context.Context, id string) (bool, error) {
	mu := &a.locks[maphash.String(a.seed, id)%uint64(len(a.locks))]
	mu.Lock()
	defer mu.Unlock()
	e, ok, err := a.catalog.ByID(ctx, id)
	if err != nil || !ok || !e.Pending { // settled meanwhile
		return false, err
	}
	b, err := a.store.Get(ctx, e.Key)
	if errors.Is(err, ErrNotFound) {
		return true, a.catalog.Delete(ctx, id)
	}
	if err != nil {
		return false, err
	}
	rec, err := decode(e.Key, b)
	if err != nil {
		return false, err
	}
	if rec.ID != id {
		return false, fmt.Errorf("%s: holds article %q, not %q", e.Key, rec.ID, id)
	}
	revs, err := a.revisions(ctx, e.Key)
	if err != nil {
		return false, fmt.Errorf("%s: %w", e.Key, err)
	}
	_, _, err = a.settle(ctx, Unchanged, newEntry(e.Key, b, rec, article.ContentHash(rec.Body), len(revs)))
	return err == nil, err
}

// newEntry describes the article rec, stored as data under key, whose body
// hashes to hash.
func newEntry(key string, data []byte, rec *article.Article, hash string, revisions int) Entry {
	e := Entry{
		ID:           rec.ID,
		Outlet:       rec.Outlet.ID,
		URL:          rec.URL,
		CanonicalURL: rec.CanonicalURL,
		Key:          key,
		ContentHash:  hash,
		Revisions:    revisions,
		Size:         int64(len(data)),
		Fingerprint:  fingerprint(rec, hash),
	}
	if e.Outlet == "" {
		e.Outlet = UnknownOutlet
	}
	if e.CanonicalURL == e.URL {
		e.CanonicalURL = ""
	}
	if t := firstTime(rec.PublishedAt); t != nil {
		e.Published = *t
	}
	if t := firstTime(rec.FetchedAt); t != nil {
		e.Fetched = *t
	}
	for _, m := range []struct {
		field   string
		missing bool
	}{
		{"title", rec.Title == ""},
		{"body", rec.Body == ""},
		{"reporters", len(rec.Reporters) == 0},
		{"published_at", firstTime(rec.PublishedAt) == nil},
		{"updated_at", firstTime(rec.UpdatedAt) == nil},
	} {
		if m.missing {
			e.Missing = append(e.Missing, m.field)
		}
	}
	if len(rec.Extraction.Sources) > 0 {
		e.Sources = maps.Clone(rec.Extraction.Sources)
	}
	return e
}

// fingerprint hashes what sameContent compares but published_at, which
// samePublished compares apart, given the hash of the body.
func fingerprint(rec *article.Article, hash string) string {
	var updated string
	if t := firstTime(rec.UpdatedAt); t != nil {
		updated = t.UTC().Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(struct {
		V         int                `json:"v"`
		Title     string             `json:"t"`
		Subtitle  string             `json:"s"`
		Hash      string             `json:"h"`
		Updated   string             `json:"u"`
		Reporters []article.Reporter `json:"r"`
	}{rec.SchemaVersion, rec.Title, rec.Subtitle, hash, updated, rec.Reporters})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// sameContent reports whether the new record b says the same as the stored
// one, whose body hashes to storedHash (see PutArticle). The stored body is
// hashed again rather than trusting its content_hash, which a hand edit may
// have left stale.
func sameContent(stored *article.Article, storedHash string, b *article.Article) bool {
	return stored.SchemaVersion == b.SchemaVersion &&
		stored.Title == b.Title &&
		stored.Subtitle == b.Subtitle &&
		storedHash == b.ContentHash &&
		sameTime(stored.UpdatedAt, b.UpdatedAt) &&
		slices.Equal(stored.Reporters, b.Reporters) &&
		(firstTime(b.PublishedAt) == nil || sameTime(stored.PublishedAt, b.PublishedAt))
}

// samePublished is sameContent's test of published_at, against a catalog
// entry's.
func samePublished(stored time.Time, b *time.Time) bool {
	t := firstTime(b)
	return t == nil || (!stored.IsZero() && stored.Equal(*t))
}

// sameTime reports whether a and b are the same instant, or both unknown
// (nil or zero).
func sameTime(a, b *time.Time) bool {
	a, b = firstTime(a), firstTime(b)
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// GetArticle reads the article (or revision) under key. A stored record that
// is not valid JSON is an error naming the key and where the JSON breaks.
func (a *Archive) GetArticle(ctx context.Context, key string) (*article.Article, error) {
	b, err := a.store.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("get article: %w", err)
	}
	art, err := decode(key, b)
	if err != nil {
		return nil, fmt.Errorf("get article: %w", err)
	}
	return art, nil
}

// Revisions returns the keys of the earlier versions of the article under
// articleKey, oldest first; none is not an error. Names in the revision
// directory other than <n>.json are ignored.
func (a *Archive) Revisions(ctx context.Context, articleKey string) ([]string, error) {
	revs, err := a.revisions(ctx, articleKey)
	if err != nil {
		return nil, fmt.Errorf("revisions: %w", err)
	}
	keys := make([]string, len(revs))
	for i, r := range revs {
		keys[i] = r.key
	}
	return keys, nil
}

type revision struct {
	n   int
	key string
}

func (a *Archive) revisions(ctx context.Context, articleKey string) ([]revision, error) {
	prefix, err := revisionPrefix(articleKey)
	if err != nil {
		return nil, err
	}
	var revs []revision
	err = a.store.List(ctx, prefix, func(info Info) error {
		name, ok := strings.CutSuffix(strings.TrimPrefix(info.Key, prefix), ".json")
		if !ok || name == "" || name[0] == '0' || strings.Contains(name, "/") {
			return nil
		}
		n, err := strconv.Atoi(name)
		if err != nil || n <= 0 {
			return nil
		}
		revs = append(revs, revision{n, info.Key})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(revs, func(a, b revision) int { return a.n - b.n })
	return revs, nil
}

// revisionPrefix turns "articles/<path>/<id>.json" into
// "revisions/<path>/<id>/".
func revisionPrefix(articleKey string) (string, error) {
	if err := ValidKey(articleKey); err != nil {
		return "", err
	}
	rest, ok := strings.CutPrefix(articleKey, "articles/")
	rest, ok2 := strings.CutSuffix(rest, ".json")
	if !ok || !ok2 || rest == "" || strings.HasSuffix(rest, "/") {
		return "", fmt.Errorf("%w %q: not an article key (articles/…/<id>.json)", ErrInvalidKey, articleKey)
	}
	return "revisions/" + rest + "/", nil
}

func revisionKey(articleKey string, n int) string {
	p, _ := revisionPrefix(articleKey)
	return p + strconv.Itoa(n) + ".json"
}

// encode returns a's record: its JSON indented by two spaces, HTML
// characters not escaped, with a trailing newline — the bytes of a
// json.Encoder with SetEscapeHTML(false) and SetIndent("", "  "). It
// marshals into a pooled buffer and indents from there in one pass into
// the record, sized once: the Encoder indents with its validating
// scanner into a buffer of its own and copies that out again.
func encode(a *article.Article) ([]byte, error) {
	buf := compactBufs.Get().(*bytes.Buffer)
	defer compactBufs.Put(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		return nil, err
	}
	src := buf.Bytes()
	return indentJSON(make([]byte, 0, len(src)+len(src)/4+256), src), nil
}

// compactBufs holds the buffers encode marshals into.
var compactBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// indentJSON appends src, JSON as encoding/json writes it (valid, with no
// white space outside strings but a trailing newline), to dst, indented
// as json.Indent(dst, src, "", "  ") does: a value per line, "key": value,
// empty objects and arrays as {} and [].
func indentJSON(dst, src []byte) []byte {
	depth := 0
	open := false // an object or array began, and its first value not yet
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			depth++
			newline()
		}
		switch c {
		case '"':
			// The string, through its closing quote: one not escaped
			// by an odd number of backslashes.
			j := i + 1
			for {
				k := bytes.IndexByte(src[j:], '"')
				if k < 0 {
					j = len(src) - 1
					break
				}
				j += k
				n := 0
				for n < j-i-1 && src[j-1-n] == '\\' {
					n++
				}
				if n%2 == 0 {
					break
				}
				j++
			}
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			open = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if open {
				open = false
			} else {
				depth--
				newline()
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func decode(key string, b []byte) (*article.Article, error) {
	art, err := decodeArticle(b)
	if err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// Offset is just past the offending byte.
			line := 1 + bytes.Count(b[:min(max(int(syn.Offset)-1, 0), len(b))], []byte("\n"))
			return nil, fmt.Errorf("%s: invalid JSON at line %d: %w", key, line, err)
		}
		return nil, fmt.Errorf("%s: invalid article JSON: %w", key, err)
	}
	return art, nil
}
