package storage_test

import (
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

func TestArchiveReparse(t *testing.T) {
	for _, withCatalog := range []bool{false, true} {
		name := "no catalog"
		if withCatalog {
			name = "catalog"
		}
		t.Run(name, func(t *testing.T) {
			d := newDisk(t, t.TempDir())
			var opts []storage.ArchiveOption
			if withCatalog {
				c, err := storage.OpenCatalog(t.TempDir() + "/catalog")
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				opts = append(opts, storage.WithCatalog(c))
			}
			arc := storage.NewArchive(d, opts...)
			a := testArticle()
			key := mustPutArticle(t, arc, a, storage.Created)
			reparse := func(a *article.Article, want storage.Outcome) {
				t.Helper()
				got, k, err := arc.Reparse(t.Context(), a)
				if err != nil || got != want || k != key {
					t.Fatalf("Reparse = %v %s %v, want %v %s", got, k, err, want, key)
				}
			}
			// The same fetch parsed the same way: nothing written.
			same := testArticle()
			reparse(same, storage.Unchanged)
			// The same fetch (WARC dates have whole seconds) parsed better:
			// replaced in place, no revision.
			better := testArticle()
			at := better.FetchedAt.Add(400 * time.Millisecond)
			better.FetchedAt = &at
			better.Images = []article.Image{{URL: "https://img.example/1.jpg", Caption: "사진"}}
			reparse(better, storage.Reparsed)
			reparse(better, storage.Unchanged) // twice: no change
			if revs, _ := arc.Revisions(t.Context(), key); len(revs) != 0 {
				t.Errorf("reparse made revisions: %v", revs)
			}
			got, err := arc.GetArticle(t.Context(), key)
			if err != nil || len(got.Images) != 1 || !got.FetchedAt.Equal(*a.FetchedAt) {
				t.Fatalf("stored after reparse: %+v, %v", got, err)
			}
			// An older fetch never overwrites a newer one.
			older := testArticle()
			before := older.FetchedAt.Add(-time.Hour)
			older.FetchedAt, older.Body = &before, "옛 본문."
			reparse(older, storage.Unchanged)
			// A newer fetch with another body is a correction: a revision.
			newer := testArticle()
			after := newer.FetchedAt.Add(time.Hour)
			newer.FetchedAt, newer.Body = &after, "고친 본문."
			reparse(newer, storage.Updated)
			if revs, _ := arc.Revisions(t.Context(), key); len(revs) != 1 {
				t.Errorf("revisions after a newer fetch: %v", revs)
			}
			// No fetch time: an error, not a guess.
			none := testArticle()
			none.FetchedAt = nil
			if _, _, err := arc.Reparse(t.Context(), none); err == nil {
				t.Errorf("reparse without a fetch time succeeded")
			}
		})
	}
}

// TestArchiveReparseKeepsIdentity: a page parsed anew without its outlet's
// profile (another outlet, another ID) updates the article the archive keeps
// for its URL or canonical URL, under that article's ID, outlet and key,
// instead of filing a second copy.
func TestArchiveReparseKeepsIdentity(t *testing.T) {
	for _, tc := range []struct {
		name string
		page func(a *article.Article)
	}{
		{"same URL", func(a *article.Article) {}},
		{"canonical URL", func(a *article.Article) {
			a.CanonicalURL, a.URL = a.URL, "https://m.hani.co.kr/arti/1128383"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDisk(t, t.TempDir())
			c, err := storage.OpenCatalog(t.TempDir() + "/catalog")
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			arc := storage.NewArchive(d, storage.WithCatalog(c))
			key := mustPutArticle(t, arc, testArticle(), storage.Created)

			generic := testArticle()
			generic.ID, generic.Outlet = "www.hani.co.kr-3f9a2c", article.Outlet{}
			generic.Extraction.Profile = ""
			tc.page(generic)
			got, k, err := arc.Reparse(t.Context(), generic)
			if err != nil || got != storage.Reparsed || k != key {
				t.Fatalf("Reparse = %v %s %v, want %v %s", got, k, err, storage.Reparsed, key)
			}
			stored, err := arc.GetArticle(t.Context(), key)
			if err != nil || stored.ID != "hani-1128383" || stored.Outlet != (article.Outlet{ID: "hani", Name: "한겨레"}) {
				t.Fatalf("stored after reparse: %+v, %v", stored, err)
			}
			var keys []string
			d.List(t.Context(), "articles/", func(i storage.Info) error {
				keys = append(keys, i.Key)
				return nil
			})
			if len(keys) != 1 {
				t.Errorf("articles after reparse: %q, want only %s", keys, key)
			}
			if _, ok, _ := c.ByID(t.Context(), generic.ID); ok {
				t.Errorf("catalog has an entry for the parser's ID %s", generic.ID)
			}
		})
	}
}
