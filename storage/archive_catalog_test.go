package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

// countingStore counts the calls that reach a Store.
type countingStore struct {
	storage.Store
	gets, puts, lists atomic.Int64
}

func (s *countingStore) Get(ctx context.Context, key string) ([]byte, error) {
	s.gets.Add(1)
	return s.Store.Get(ctx, key)
}

func (s *countingStore) Put(ctx context.Context, key string, data []byte) error {
	s.puts.Add(1)
	return s.Store.Put(ctx, key, data)
}

func (s *countingStore) List(ctx context.Context, prefix string, fn func(storage.Info) error) error {
	s.lists.Add(1)
	return s.Store.List(ctx, prefix, fn)
}

func (s *countingStore) calls() [3]int64 {
	return [3]int64{s.gets.Load(), s.puts.Load(), s.lists.Load()}
}

// reindexed returns the catalog Reindex makes of s, as dump lines, failing
// on any report.
func reindexed(t *testing.T, s storage.Store) []string {
	t.Helper()
	c := newCatalog(t)
	if _, err := storage.Reindex(t.Context(), s, c, func(key string, err error) {
		t.Errorf("Reindex reported %s: %v", key, err)
	}); err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	return dump(t, c)
}

// TestArchiveCatalogDates: an article filed under its fetch day, then
// fetched with a published_at, then with a corrected one, stays where it was
// first filed, and the catalog follows its dates.
func TestArchiveCatalogDates(t *testing.T) {
	ctx := t.Context()
	d := newDisk(t, t.TempDir())
	c := newCatalog(t)
	arc := storage.NewArchive(d, storage.WithCatalog(c))

	a := testArticle()
	a.PublishedAt = nil // fetched 2024-02-02 18:00 KST
	key := mustPutArticle(t, arc, a, storage.Created)
	if key != "articles/hani/2024/02/02/hani-1128383.json" {
		t.Fatalf("key of the undated-by-page article = %q", key)
	}
	check := func(wantDay string, wantRevs int) {
		t.Helper()
		e, ok, err := c.ByID(ctx, a.ID)
		if err != nil || !ok || e.Key != key || e.Day() != wantDay || e.Revisions != wantRevs || e.Pending {
			t.Errorf("entry %+v, %v, %v; want key %s, day %s, %d revisions", e, ok, err, key, wantDay, wantRevs)
		}
		if ks := listKeys(t, d, "articles/"); !slices.Equal(ks, []string{key}) {
			t.Errorf("articles stored: %q, want only %s", ks, key)
		}
		if got := reindexed(t, d); !slices.Equal(got, dump(t, c)) {
			t.Errorf("catalog\n%s\ndiffers from its reindex\n%s", strings.Join(dump(t, c), "\n"), strings.Join(got, "\n"))
		}
	}
	check("2024-02-02", 0)

	// A later fetch misses the date again: no change.
	b := testArticle()
	b.PublishedAt = nil
	b.FetchedAt = ptr(time.Date(2024, 2, 7, 0, 0, 0, 0, article.KST))
	if o, k, err := arc.PutArticle(ctx, b); o != storage.Unchanged || k != key || err != nil {
		t.Errorf("refetch without a date: %v %s %v", o, k, err)
	}

	// The page now gives published_at 2024-01-31: updated in place.
	a.PublishedAt = testArticle().PublishedAt
	if o, k, err := arc.PutArticle(ctx, a); o != storage.Updated || k != key || err != nil {
		t.Fatalf("fetch with a date: %v %s %v, want updated %s", o, k, err, key)
	}
	check("2024-01-31", 1)
	if got, _ := arc.GetArticle(ctx, key); got.PublishedAt == nil || !got.PublishedAt.Equal(*a.PublishedAt) {
		t.Errorf("stored published_at %v", got.PublishedAt)
	}
	mustPutArticle(t, arc, a, storage.Unchanged)
	a.PublishedAt = nil // a fetch that misses it does not erase it
	mustPutArticle(t, arc, a, storage.Unchanged)

	// A corrected date, the same text: updated, still in place.
	a.PublishedAt = ptr(time.Date(2024, 1, 30, 7, 0, 0, 0, article.KST))
	mustPutArticle(t, arc, a, storage.Updated)
	check("2024-01-30", 2)
	var inRange []string
	c.Range(ctx, "hani", a.PublishedAt.Add(-time.Hour), *a.PublishedAt, func(e storage.Entry) error {
		inRange = append(inRange, e.Key)
		return nil
	})
	if !slices.Equal(inRange, []string{key}) {
		t.Errorf("Range on the new day = %q", inRange)
	}
}

// TestArchiveWithoutCatalogDuplicates: without a catalog, the same story
// files the article twice; Reindex keeps the one fetched last and reports
// the other.
func TestArchiveWithoutCatalogDuplicates(t *testing.T) {
	ctx := t.Context()
	d := newDisk(t, t.TempDir())
	arc := storage.NewArchive(d)
	a := testArticle()
	a.PublishedAt = nil
	first := mustPutArticle(t, arc, a, storage.Created)
	a.PublishedAt = testArticle().PublishedAt
	a.FetchedAt = ptr(a.FetchedAt.Add(time.Hour))
	second := mustPutArticle(t, arc, a, storage.Created)
	if first == second {
		t.Fatalf("one key %s", first)
	}
	c := newCatalog(t)
	var reports []string
	st, err := storage.Reindex(ctx, d, c, func(key string, err error) { reports = append(reports, key+": "+err.Error()) })
	if err != nil || st.Articles != 1 || st.Duplicates != 1 {
		t.Fatalf("Reindex = %+v, %v", st, err)
	}
	if len(reports) != 1 || !strings.HasPrefix(reports[0], first+": ") || !strings.Contains(reports[0], "duplicate of article hani-1128383 at "+second) {
		t.Errorf("reports %q", reports)
	}
	// Now with the catalog, the next fetch updates the kept one.
	arc = storage.NewArchive(d, storage.WithCatalog(c))
	a.Title = "새 제목"
	if _, k, err := arc.PutArticle(ctx, a); k != second || err != nil {
		t.Errorf("PutArticle after Reindex: %s, %v; want %s", k, err, second)
	}
}

// TestArchiveCatalogSkips: with a catalog, an unchanged article is known
// without a read; a catalog that lags (an archive written without one) is
// repaired by the next Put.
func TestArchiveCatalogSkips(t *testing.T) {
	ctx := t.Context()
	cs := &countingStore{Store: newDisk(t, t.TempDir())}
	c := newCatalog(t)
	arc := storage.NewArchive(cs, storage.WithCatalog(c))
	a := testArticle()
	mustPutArticle(t, arc, a, storage.Created)

	before := cs.calls()
	same := testArticle()
	same.FetchedAt = ptr(time.Now())
	same.Body = "첫   문단.\n둘째\n문단."
	for range 3 {
		mustPutArticle(t, arc, same, storage.Unchanged)
	}
	if got := cs.calls(); got != before {
		t.Errorf("unchanged Puts with a catalog: %v store calls (gets, puts, lists), want none", [3]int64{got[0] - before[0], got[1] - before[1], got[2] - before[2]})
	}

	// Articles stored without the catalog: the first Put reads and catalogs
	// them, the second is known.
	plain := storage.NewArchive(cs)
	b := testArticle()
	b.ID = "hani-2"
	mustPutArticle(t, plain, b, storage.Created)
	b.Title = "고침"
	mustPutArticle(t, plain, b, storage.Updated)
	if _, ok, _ := c.ByID(ctx, "hani-2"); ok {
		t.Fatal("an archive without a catalog wrote to it")
	}
	before = cs.calls()
	mustPutArticle(t, arc, b, storage.Unchanged)
	if got := cs.calls(); got[0]-before[0] != 1 || got[1] != before[1] {
		t.Errorf("first Put of an uncataloged article: %v calls", got)
	}
	if e, ok, _ := c.ByID(ctx, "hani-2"); !ok || e.Revisions != 1 || e.Pending {
		t.Errorf("repaired entry %+v, %v", e, ok)
	}
	before = cs.calls()
	mustPutArticle(t, arc, b, storage.Unchanged)
	if got := cs.calls(); got != before {
		t.Errorf("second Put read the store")
	}
	if got := reindexed(t, cs); !slices.Equal(got, dump(t, c)) {
		t.Errorf("catalog differs from its reindex")
	}
}

// TestArchiveCatalogInterrupted: a write that fails after the catalog was
// told leaves a Pending entry, which Recover settles to what is stored.
func TestArchiveCatalogInterrupted(t *testing.T) {
	ctx := t.Context()
	fs := &failingStore{Store: newDisk(t, t.TempDir())}
	c := newCatalog(t)
	arc := storage.NewArchive(fs, storage.WithCatalog(c))

	a := testArticle()
	key := mustPutArticle(t, arc, a, storage.Created)
	fs.arm(true)
	a.Title = "고친 제목" // the revision is written, the article is not
	if _, _, err := arc.PutArticle(ctx, a); !errors.Is(err, errInjected) {
		t.Fatalf("PutArticle: %v", err)
	}
	b := testArticle()
	b.ID = "hani-2" // nothing is written
	if _, _, err := arc.PutArticle(ctx, b); !errors.Is(err, errInjected) {
		t.Fatalf("PutArticle: %v", err)
	}
	fs.arm(false)
	var pending []string
	c.Pending(ctx, func(e storage.Entry) error { pending = append(pending, e.ID); return nil })
	if !slices.Equal(pending, []string{"hani-1128383", "hani-2"}) {
		t.Fatalf("pending %q", pending)
	}
	n, err := arc.Recover(ctx)
	if err != nil || n != 2 {
		t.Fatalf("Recover = %d, %v", n, err)
	}
	if _, ok, _ := c.ByID(ctx, "hani-2"); ok {
		t.Errorf("the entry of an article never written survived Recover")
	}
	e, _, _ := c.ByID(ctx, a.ID)
	if e.Pending || e.Key != key || e.Revisions != 1 || e.ContentHash != a.ContentHash {
		t.Errorf("recovered entry %+v", e)
	}
	if got := reindexed(t, fs); !slices.Equal(got, dump(t, c)) {
		t.Errorf("after Recover the catalog\n%s\ndiffers from its reindex\n%s", strings.Join(dump(t, c), "\n"), strings.Join(got, "\n"))
	}
	// The retry is the update it was meant to be, with no second revision.
	mustPutArticle(t, arc, a, storage.Updated)
	if revs, _ := arc.Revisions(ctx, key); len(revs) != 1 {
		t.Errorf("revisions %q", revs)
	}
	if n, err := arc.Recover(ctx); n != 0 || err != nil {
		t.Errorf("Recover with nothing pending = %d, %v", n, err)
	}
}

// TestArchiveCatalogBrokenRecord: with a catalog, PutArticle over a record
// broken by hand is still an error naming it, unless the catalog knows the
// article unchanged.
func TestArchiveCatalogBrokenRecord(t *testing.T) {
	ctx := t.Context()
	d := newDisk(t, t.TempDir())
	c := newCatalog(t)
	arc := storage.NewArchive(d, storage.WithCatalog(c))
	a := testArticle()
	key := mustPutArticle(t, arc, a, storage.Created)
	if err := d.Put(ctx, key, []byte("{\"id\": \"hani-1128383\",\n")); err != nil {
		t.Fatal(err)
	}
	mustPutArticle(t, arc, a, storage.Unchanged)
	a.Title = "새 제목"
	if _, _, err := arc.PutArticle(ctx, a); err == nil || !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("PutArticle over a broken record: %v", err)
	}
	if e, _, _ := c.ByID(ctx, a.ID); e.Pending {
		t.Errorf("a refused Put left the entry pending")
	}
}

func TestManifests(t *testing.T) {
	ctx := t.Context()
	d := newDisk(t, t.TempDir())
	c := newCatalog(t)
	arc := storage.NewArchive(d, storage.WithCatalog(c))
	if err := arc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if ks := listKeys(t, d, storage.ManifestRoot); len(ks) != 0 {
		t.Errorf("Flush with nothing to write wrote %q", ks)
	}
	a := testArticle()
	mustPutArticle(t, arc, a, storage.Created)
	a.Title = "둘째"
	mustPutArticle(t, arc, a, storage.Updated)
	mustPutArticle(t, arc, a, storage.Unchanged)
	b := testArticle()
	b.ID, b.Outlet.ID = "x-1", ""
	mustPutArticle(t, arc, b, storage.Created)
	if err := arc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	b.Title = "셋째"
	mustPutArticle(t, arc, b, storage.Updated)
	if err := arc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	ks := listKeys(t, d, storage.ManifestRoot)
	if len(ks) != 2 || !strings.HasSuffix(ks[0], "-0001.jsonl") || !strings.HasSuffix(ks[1], "-0002.jsonl") {
		t.Fatalf("manifests %q", ks)
	}
	today := time.Now().In(article.KST).Format("manifests/2006/01/02/20060102T")
	first, _ := d.Get(ctx, ks[0])
	lines := strings.Split(strings.TrimSuffix(string(first), "\n"), "\n")
	if !strings.HasPrefix(ks[0], today) || len(lines) != 2 {
		t.Fatalf("manifest %s:\n%s", ks[0], first)
	}
	var e storage.Entry
	if err := json.Unmarshal([]byte(lines[0]), &e); err != nil || e.ID != "hani-1128383" || e.Revisions != 1 || e.Pending {
		t.Errorf("first line %s: %+v, %v", lines[0], e, err)
	}
	if !strings.Contains(lines[1], `"id":"x-1","outlet":"_unknown"`) {
		t.Errorf("second line %s", lines[1])
	}

	// The manifests rebuild the catalog as it is.
	c2 := newCatalog(t)
	st, err := storage.ReindexFromManifests(ctx, d, c2, func(key string, err error) { t.Errorf("reported %s: %v", key, err) })
	if err != nil || st.Articles != 2 || st.Revisions != 2 {
		t.Errorf("ReindexFromManifests = %+v, %v", st, err)
	}
	if got, want := dump(t, c2), withoutFingerprints(dump(t, c)); !slices.Equal(got, want) {
		t.Errorf("catalog from manifests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Which PutArticle does not trust to say an article unchanged: it reads
	// it once, and puts the fingerprint back.
	cs := &countingStore{Store: d}
	arc2 := storage.NewArchive(cs, storage.WithCatalog(c2))
	for range 2 {
		mustPutArticle(t, arc2, a, storage.Unchanged)
	}
	if gets := cs.gets.Load(); gets != 1 {
		t.Errorf("%d reads for two unchanged puts after ReindexFromManifests, want 1", gets)
	}

	// A line broken by hand is reported with its manifest and skipped.
	if err := d.Put(ctx, ks[1], append(first, "{\"id\": \"hani-9\"\n"...)); err != nil {
		t.Fatal(err)
	}
	var reports []string
	st, err = storage.ReindexFromManifests(ctx, d, c2, func(key string, err error) { reports = append(reports, err.Error()) })
	if err != nil || st.Corrupt != 1 || len(reports) != 1 || !strings.HasPrefix(reports[0], ks[1]+": line 3: ") {
		t.Errorf("ReindexFromManifests over a broken line = %+v, %v, %q", st, err, reports)
	}

	// Manifests can be turned off.
	off := storage.NewArchive(d, storage.WithManifests(false))
	b.Title = "넷째"
	mustPutArticle(t, off, b, storage.Updated)
	off.Flush(ctx)
	if ks2 := listKeys(t, d, storage.ManifestRoot); len(ks2) != 2 {
		t.Errorf("manifests with WithManifests(false): %q", ks2)
	}
}

// withoutFingerprints blanks the fingerprints in dump lines.
func withoutFingerprints(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		var e storage.Entry
		json.Unmarshal([]byte(l), &e)
		e.Fingerprint = ""
		b, _ := json.Marshal(e)
		out[i] = string(b)
	}
	return out
}

// TestManifestsWorker: two workers writing one archive name their
// manifests after themselves, so the names never collide, and reindexing
// from the manifests sees both workers' articles.
func TestManifestsWorker(t *testing.T) {
	ctx := t.Context()
	d := newDisk(t, t.TempDir())
	w1 := storage.NewArchive(d, storage.WithWorker("node-a.example/17"))
	w2 := storage.NewArchive(d, storage.WithWorker("node-b-18"))
	a := testArticle()
	mustPutArticle(t, w1, a, storage.Created)
	b := testArticle()
	b.ID = "x-1"
	mustPutArticle(t, w2, b, storage.Created)
	for _, w := range []*storage.Archive{w1, w2} {
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ks := listKeys(t, d, storage.ManifestRoot)
	if len(ks) != 2 || !strings.Contains(ks[0]+ks[1], "-node-a.example-17-") || !strings.Contains(ks[0]+ks[1], "-node-b-18-") {
		t.Fatalf("manifests %q: want one named after each worker", ks)
	}
	c := newCatalog(t)
	st, err := storage.ReindexFromManifests(ctx, d, c, func(k string, err error) { t.Errorf("%s: %v", k, err) })
	if err != nil || st.Articles != 2 {
		t.Errorf("reindex from manifests: %+v, %v; want 2 articles", st, err)
	}
}
