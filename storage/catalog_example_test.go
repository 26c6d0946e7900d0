package storage_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

func ExampleOpenCatalog() {
	dir, err := os.MkdirTemp("", "gisa-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	disk, err := storage.NewDisk(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer disk.Close()
	catalog, err := storage.OpenCatalog(filepath.Join(dir, storage.CatalogName))
	if err != nil {
		log.Fatal(err)
	}
	defer catalog.Close()
	arc := storage.NewArchive(disk, storage.WithCatalog(catalog))
	ctx := context.Background()
	if _, err := arc.Recover(ctx); err != nil { // entries a crash left pending
		log.Fatal(err)
	}

	// The first fetch finds no date on the page: filed under the fetch day.
	fetched := time.Date(2024, 2, 2, 9, 0, 0, 0, article.KST)
	a := &article.Article{
		ID:        "hani-1128383",
		URL:       "https://www.hani.co.kr/arti/society/1128383.html",
		Outlet:    article.Outlet{ID: "hani"},
		Title:     "제목",
		Body:      "본문.",
		FetchedAt: &fetched,
	}
	outcome, key, _ := arc.PutArticle(ctx, a)
	fmt.Println(outcome, key)

	// The next one finds it: the article is updated where it is.
	published := time.Date(2024, 1, 31, 18, 6, 0, 0, article.KST)
	a.PublishedAt = &published
	outcome, key, _ = arc.PutArticle(ctx, a)
	fmt.Println(outcome, key)

	e, seen, _ := catalog.ByURL(ctx, "https://www.hani.co.kr/arti/society/1128383.html")
	fmt.Println(seen, e.ID, e.Day(), e.Revisions)
	day := time.Date(2024, 1, 31, 0, 0, 0, 0, article.KST)
	catalog.Range(ctx, "hani", day, day, func(e storage.Entry) error {
		fmt.Println("on", e.Day()+":", e.Key)
		return nil
	})
	// Output:
	// created articles/hani/2024/02/02/hani-1128383.json
	// updated articles/hani/2024/02/02/hani-1128383.json
	// true hani-1128383 2024-01-31 1
	// on 2024-01-31: articles/hani/2024/02/02/hani-1128383.json
}

func ExampleReindex() {
	dir, err := os.MkdirTemp("", "gisa-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	disk, err := storage.NewDisk(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer disk.Close()
	ctx := context.Background()
	arc := storage.NewArchive(disk)
	for _, id := range []string{"yonhap-1", "yonhap-2"} {
		arc.PutArticle(ctx, &article.Article{ID: id, Outlet: article.Outlet{ID: "yonhap"}, Title: "제목"})
	}
	// A record edited by hand into invalid JSON.
	disk.Put(ctx, "articles/yonhap/undated/yonhap-2.json", []byte("{\n  \"id\": \"yonhap-2\"\n  \"title\": \"제목\"\n}\n"))

	catalog, err := storage.OpenCatalog(filepath.Join(dir, storage.CatalogName))
	if err != nil {
		log.Fatal(err)
	}
	defer catalog.Close()
	st, err := storage.Reindex(ctx, disk, catalog, func(key string, err error) {
		fmt.Println("skipped:", err)
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d articles, %d corrupt\n", st.Articles, st.Corrupt)
	// Output:
	// skipped: articles/yonhap/undated/yonhap-2.json: invalid JSON at line 3: invalid character '"' after object key:value pair
	// 1 articles, 1 corrupt
}
