package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
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
//
// <outlet> is the article's Outlet.ID, or UnknownOutlet when that is empty;
// <id> is its ID. The date is published_at in KST; when that is null,
// fetched_at in KST; when both are null, the article goes under "undated".
// The date is the one in the record being stored, so an article whose
// published_at is unknown is filed under the day it was fetched, and a later
// fetch on another day (or one that finds the published_at) files it anew.
//
// Records are stored as their JSON (docs/schema.md): normalized
// (article.Normalize, on a copy), indented by two spaces, HTML characters not
// escaped (as `gisa parse` prints them), with a trailing newline. The same
// article always gives the same bytes.
//
// An Archive is safe for concurrent use. PutArticle calls for the same key
// are serialized within one Archive; two Archives (or processes) writing the
// same article at the same moment may number a revision twice.
type Archive struct {
	store Store
	seed  maphash.Seed
	locks [64]sync.Mutex
}

// NewArchive returns an Archive over s.
func NewArchive(s Store) *Archive {
	return &Archive{store: s, seed: maphash.MakeSeed()}
}

// Outcome tells what PutArticle did.
type Outcome int

// The outcomes of PutArticle.
const (
	Created   Outcome = iota + 1 // no article was under the key; it is now
	Updated                      // the stored article changed: the old one became a revision
	Unchanged                    // the stored article is the same; nothing was written
)

func (o Outcome) String() string {
	switch o {
	case Created:
		return "created"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
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

// PutArticle stores art under ArticleKey(art) and returns what it did and the
// key.
//
// When no article is under the key, it writes art: Created. When one is and
// it has the same content, it writes nothing: Unchanged. Otherwise it first
// copies the stored bytes to the next revision, then writes art: Updated.
//
// "The same content" means equal schema_version, title, subtitle, body (by
// content_hash, so re-wrapped white space is no change), updated_at (the same
// instant, whatever the offset) and reporters (name, email and role, in
// order). Everything else — fetched_at, extraction, url, images, related,
// tags, … — may differ without being a change, and is then not updated.
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
	data, err := encode(&rec)
	if err != nil {
		return 0, key, fmt.Errorf("put article %s: %w", key, err)
	}

	mu := &a.locks[maphash.String(a.seed, key)%uint64(len(a.locks))]
	mu.Lock()
	defer mu.Unlock()

	old, err := a.store.Get(ctx, key)
	if errors.Is(err, ErrNotFound) {
		if err := a.store.Put(ctx, key, data); err != nil {
			return 0, key, fmt.Errorf("put article: %w", err)
		}
		return Created, key, nil
	}
	if err != nil {
		return 0, key, fmt.Errorf("put article: %w", err)
	}
	stored, err := decode(key, old)
	if err != nil {
		return 0, key, fmt.Errorf("put article: %w", err)
	}
	if bytes.Equal(old, data) || sameContent(stored, &rec) {
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
	if !saved {
		if err := a.store.Put(ctx, revisionKey(key, next), old); err != nil {
			return 0, key, fmt.Errorf("put article %s: save revision: %w", key, err)
		}
	}
	if err := a.store.Put(ctx, key, data); err != nil {
		return 0, key, fmt.Errorf("put article: %w", err)
	}
	return Updated, key, nil
}

// sameContent reports whether the new record b says the same as the stored a
// (see PutArticle). The stored body is hashed again rather than trusting its
// content_hash, which a hand edit may have left stale.
func sameContent(stored, b *article.Article) bool {
	return stored.SchemaVersion == b.SchemaVersion &&
		stored.Title == b.Title &&
		stored.Subtitle == b.Subtitle &&
		article.ContentHash(stored.Body) == b.ContentHash &&
		sameTime(stored.UpdatedAt, b.UpdatedAt) &&
		slices.Equal(stored.Reporters, b.Reporters)
}

func sameTime(a, b *time.Time) bool {
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

func encode(a *article.Article) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decode(key string, b []byte) (*article.Article, error) {
	var art article.Article
	if err := json.Unmarshal(b, &art); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// Offset is just past the offending byte.
			line := 1 + bytes.Count(b[:min(max(int(syn.Offset)-1, 0), len(b))], []byte("\n"))
			return nil, fmt.Errorf("%s: invalid JSON at line %d: %w", key, line, err)
		}
		return nil, fmt.Errorf("%s: invalid article JSON: %w", key, err)
	}
	return &art, nil
}
