package storage_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/s3test"
)

// fillArchive puts a small archive through arc: three outlets, dated,
// fetch-dated and undated articles, some with revisions.
func fillArchive(t *testing.T, arc *storage.Archive) {
	t.Helper()
	for i := range 6 {
		a := testArticle()
		a.ID = fmt.Sprintf("hani-%d", i)
		a.PublishedAt = ptr(time.Date(2024, 1, 30+i%3, 12, 0, 0, 0, article.KST)) // 01-30, 01-31, 02-01
		if i == 5 {
			a.Reporters = nil
			a.Extraction.Sources = map[string]string{"title": "meta", "body": "generic"}
		}
		mustPutArticle(t, arc, a, storage.Created)
		for j := range i % 3 { // 0, 1 or 2 revisions
			a.Title = fmt.Sprintf("고침 %d", j)
			mustPutArticle(t, arc, a, storage.Updated)
		}
	}
	y := testArticle()
	y.ID, y.Outlet, y.Title, y.Body = "yonhap-1", article.Outlet{ID: "yonhap"}, "", "본문"
	y.PublishedAt, y.UpdatedAt = nil, ptr(time.Date(2024, 2, 2, 10, 0, 0, 0, article.KST)) // filed by fetched_at, 02-02
	y.Extraction.Sources = map[string]string{"title": "json-ld", "body": "profile"}
	mustPutArticle(t, arc, y, storage.Created)
	u := testArticle()
	u.ID, u.Outlet, u.PublishedAt, u.FetchedAt, u.Body = "x-1", article.Outlet{}, nil, nil, ""
	mustPutArticle(t, arc, u, storage.Created)
}

func TestReindexDisk(t *testing.T) {
	ctx := t.Context()
	d := newDisk(t, t.TempDir())
	live := newCatalog(t)
	fillArchive(t, storage.NewArchive(d, storage.WithCatalog(live)))

	// Hand edits: an article and a revision made invalid, an article whose
	// id is not its name, a stray file.
	broken := "articles/hani/2024/01/31/hani-1.json"
	brokenRev := "revisions/hani/2024/02/01/hani-2/1.json"
	for key, data := range map[string]string{
		broken:                                   "{\n  \"id\": \"hani-1\",\n  \"title\": \"손으로\n}\n",
		brokenRev:                                "{",
		"articles/hani/2024/01/31/hani-77.json":  `{"id": "hani-78"}`,
		"articles/hani/README.txt":               "notes",
		"revisions/hani/2024/02/01/hani-2/notes": "ignored",
	} {
		if err := d.Put(ctx, key, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}

	c := newCatalog(t)
	reports := map[string]string{}
	report := func(key string, err error) {
		if _, dup := reports[key]; dup {
			t.Errorf("%s reported twice", key)
		}
		reports[key] = err.Error()
	}
	st, err := storage.Reindex(ctx, d, c, report)
	if err != nil {
		t.Fatal(err)
	}
	want := storage.ReindexStats{Articles: 7, Revisions: 5, Corrupt: 4} // hani-1, corrupt, had 1 of the 6 revisions
	got := st
	got.Bytes = 0
	if got != want || st.Bytes < 7*500 {
		t.Errorf("Reindex = %+v, want %+v", st, want)
	}
	for key, want := range map[string]string{
		broken:                                  broken + ": invalid JSON at line 3",
		brokenRev:                               brokenRev + ": invalid JSON at line 1",
		"articles/hani/2024/01/31/hani-77.json": `articles/hani/2024/01/31/hani-77.json: holds article ID "hani-78", not "hani-77"`,
		"articles/hani/README.txt":              "articles/hani/README.txt: not an article",
	} {
		if !strings.HasPrefix(reports[key], want) {
			t.Errorf("report of %s = %q, want %q…", key, reports[key], want)
		}
	}
	if len(reports) != 4 {
		t.Errorf("reports %q", reports)
	}
	if _, ok, _ := c.ByID(ctx, "hani-1"); ok {
		t.Errorf("the corrupt article was indexed")
	}
	// Everything else agrees with the catalog PutArticle kept.
	live.Delete(ctx, "hani-1")
	if got, want := dump(t, c), dump(t, live); !slices.Equal(got, want) {
		t.Errorf("reindexed catalog\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Idempotent.
	before := dump(t, c)
	clear(reports)
	if st2, err := storage.Reindex(ctx, d, c, report); err != nil || st2 != st {
		t.Errorf("second Reindex = %+v, %v; want %+v", st2, err, st)
	}
	if after := dump(t, c); !slices.Equal(before, after) {
		t.Errorf("second Reindex changed the catalog")
	}
	if _, err := storage.Reindex(ctx, d, c, nil); err != nil {
		t.Errorf("Reindex with a nil report: %v", err)
	}
}

func TestReindexS3(t *testing.T) {
	ctx := t.Context()
	srv := s3test.NewServer(t, nil)
	srv.CreateBucket(t, "archive")
	s3 := srv.NewStore(t, "archive", "gisa")
	live := newCatalog(t)
	arc := storage.NewArchive(s3, storage.WithCatalog(live))
	fillArchive(t, arc)
	if err := arc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	broken := "articles/hani/2024/02/01/hani-2.json"
	if err := s3.Put(ctx, broken, []byte(`{"id": "hani-2", "title": 5}`)); err != nil {
		t.Fatal(err)
	}

	c := newCatalog(t)
	var reports []string
	st, err := storage.Reindex(ctx, s3, c, func(key string, err error) { reports = append(reports, err.Error()) })
	if err != nil || st.Articles != 7 || st.Corrupt != 1 {
		t.Fatalf("Reindex = %+v, %v", st, err)
	}
	if len(reports) != 1 || !strings.HasPrefix(reports[0], broken+": invalid article JSON") {
		t.Errorf("reports %q", reports)
	}
	want := dump(t, live)
	live.Delete(ctx, "hani-2")
	if got := dump(t, c); !slices.Equal(got, dump(t, live)) {
		t.Errorf("reindexed catalog\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(dump(t, live), "\n"))
	}

	// The manifests give the catalog as PutArticle left it, reading only
	// the article whose size is not the one its manifest line says (the
	// hand edit): it does not decode, so it is reported and its line kept.
	counted := &countingStore{Store: s3}
	st, err = storage.ReindexFromManifests(ctx, counted, c, nil)
	if err != nil || st.Articles != 8 || st.Corrupt != 1 || st.Unmanifested != 0 {
		t.Fatalf("ReindexFromManifests = %+v, %v", st, err)
	}
	if got, want := dump(t, c), withoutFingerprints(want); !slices.Equal(got, want) {
		t.Errorf("catalog from manifests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if calls := counted.calls(); calls != [3]int64{2, 0, 3} {
		t.Errorf("ReindexFromManifests made %v (gets, puts, lists), want the manifest and the edited article read, and manifests/, revisions/ and articles/ listed", calls)
	}
}

// TestReindexFromManifestsAfterKill: a run killed before it wrote its
// manifest (articles put, no Flush) leaves articles no manifest names;
// ReindexFromManifests reads them, so that the catalog has every article
// and equals the one Reindex builds, and says how many it read.
func TestReindexFromManifestsAfterKill(t *testing.T) {
	ctx := t.Context()
	d := newDisk(t, t.TempDir())
	first := storage.NewArchive(d, storage.WithCatalog(newCatalog(t)))
	for i := range 3 {
		a := testArticle()
		a.ID = fmt.Sprintf("hani-%d", i)
		mustPutArticle(t, first, a, storage.Created)
	}
	if err := first.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// The killed run: new articles, and one of the first changed, never
	// flushed.
	killed := storage.NewArchive(d, storage.WithCatalog(newCatalog(t)))
	for i := range 5 {
		a := testArticle()
		a.ID = fmt.Sprintf("yonhap-%d", i)
		a.Outlet = article.Outlet{ID: "yonhap"}
		mustPutArticle(t, killed, a, storage.Created)
	}
	a := testArticle()
	a.ID, a.Body = "hani-0", "고친 본문, 더 긴 본문."
	mustPutArticle(t, killed, a, storage.Updated)

	c := newCatalog(t)
	st, err := storage.ReindexFromManifests(ctx, d, c, func(key string, err error) { t.Errorf("reported %s: %v", key, err) })
	if err != nil || st.Articles != 8 || st.Unmanifested != 6 || st.Revisions != 1 {
		t.Fatalf("ReindexFromManifests = %+v, %v; want 8 articles, 6 read that no manifest described, 1 revision", st, err)
	}
	full := newCatalog(t)
	if _, err := storage.Reindex(ctx, d, full, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := withoutFingerprints(dump(t, c)), withoutFingerprints(dump(t, full)); !slices.Equal(got, want) {
		t.Errorf("catalog from manifests after a kill\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRecoverManifests: the next Archive over the catalog of a run killed
// before its Flush writes the manifest that run did not, so that the
// manifests alone describe every article; a run that flushed leaves
// nothing to recover, and neither does a reindex.
func TestRecoverManifests(t *testing.T) {
	ctx := t.Context()
	d := newDisk(t, t.TempDir())
	c := newCatalog(t)
	first := storage.NewArchive(d, storage.WithCatalog(c))
	for i := range 3 {
		a := testArticle()
		a.ID = fmt.Sprintf("hani-%d", i)
		mustPutArticle(t, first, a, storage.Created)
	}
	if err := first.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := storage.NewArchive(d, storage.WithCatalog(c)).RecoverManifests(ctx); err != nil || n != 0 {
		t.Fatalf("RecoverManifests after a Flush = %d, %v; want 0", n, err)
	}
	killed := storage.NewArchive(d, storage.WithCatalog(c))
	for i := range 2 {
		a := testArticle()
		a.ID = fmt.Sprintf("yonhap-%d", i)
		a.Outlet = article.Outlet{ID: "yonhap"}
		mustPutArticle(t, killed, a, storage.Created)
	}
	a := testArticle()
	a.ID, a.Title = "hani-0", "고친 제목"
	mustPutArticle(t, killed, a, storage.Updated)
	// killed is dropped without a Flush.

	next := storage.NewArchive(d, storage.WithCatalog(c))
	if n, err := next.RecoverManifests(ctx); err != nil || n != 3 {
		t.Fatalf("RecoverManifests after a kill = %d, %v; want 3", n, err)
	}
	if n, err := next.RecoverManifests(ctx); err != nil || n != 0 {
		t.Errorf("second RecoverManifests = %d, %v; want 0", n, err)
	}
	fromManifests := newCatalog(t)
	st, err := storage.ReindexFromManifests(ctx, d, fromManifests, nil)
	if err != nil || st.Articles != 5 || st.Unmanifested != 0 {
		t.Errorf("ReindexFromManifests after recovery = %+v, %v; want 5 articles, none read", st, err)
	}
	if got, want := dump(t, fromManifests), withoutFingerprints(dump(t, c)); !slices.Equal(got, want) {
		t.Errorf("catalog from manifests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A reindex puts every entry anew; marked, it leaves nothing to recover.
	if _, err := storage.Reindex(ctx, d, c, nil); err != nil {
		t.Fatal(err)
	}
	if err := next.MarkManifested(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := storage.NewArchive(d, storage.WithCatalog(c)).RecoverManifests(ctx); err != nil || n != 0 {
		t.Errorf("RecoverManifests after a reindex = %d, %v; want 0", n, err)
	}
}
