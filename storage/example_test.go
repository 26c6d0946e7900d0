package storage_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

func ExampleArchive() {
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
	arc := storage.NewArchive(disk)
	ctx := context.Background()

	published := time.Date(2024, 1, 31, 23, 30, 0, 0, time.UTC) // 2024-02-01 08:30 in KST
	a := &article.Article{
		ID:          "hani-1128383",
		Outlet:      article.Outlet{ID: "hani", Name: "한겨레"},
		Title:       "첫 제목",
		Body:        "본문.",
		PublishedAt: &published,
	}
	outcome, key, err := arc.PutArticle(ctx, a)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(outcome, key)

	fetched := time.Now() // a later fetch of the same text is no change
	a.FetchedAt = &fetched
	outcome, _, _ = arc.PutArticle(ctx, a)
	fmt.Println(outcome)

	a.Title = "고친 제목" // the outlet edited the headline
	outcome, _, _ = arc.PutArticle(ctx, a)
	fmt.Println(outcome)

	revs, _ := arc.Revisions(ctx, key)
	fmt.Println(revs)
	old, _ := arc.GetArticle(ctx, revs[0])
	cur, _ := arc.GetArticle(ctx, key)
	fmt.Println(old.Title, "→", cur.Title)
	// Output:
	// created articles/hani/2024/02/01/hani-1128383.json
	// unchanged
	// updated
	// [revisions/hani/2024/02/01/hani-1128383/1.json]
	// 첫 제목 → 고친 제목
}

func ExampleArticleKey() {
	fetched := time.Date(2024, 3, 5, 1, 0, 0, 0, article.KST)
	for _, a := range []*article.Article{
		{ID: "yonhap-AKR20240305000100001", Outlet: article.Outlet{ID: "yonhap"}, FetchedAt: &fetched},
		{ID: "x-1"},
		{ID: "../../etc/passwd"},
	} {
		key, err := storage.ArticleKey(a)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(key)
	}
	// Output:
	// articles/yonhap/2024/03/05/yonhap-AKR20240305000100001.json
	// articles/_unknown/undated/x-1.json
	// error: invalid key: article ID "../../etc/passwd" is not a valid ID
}

func ExampleNewDisk() {
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

	for _, key := range []string{"raw/b.html", "raw/a.html", "rawer/c.html"} {
		if err := disk.Put(ctx, key, []byte("<html>"+key)); err != nil {
			log.Fatal(err)
		}
	}
	disk.List(ctx, "raw/", func(info storage.Info) error {
		fmt.Println(info.Key, info.Size)
		return nil
	})
	b, _ := disk.Get(ctx, "raw/a.html")
	fmt.Printf("%s\n", b)
	_, err = disk.Get(ctx, "raw/missing.html")
	fmt.Println(errors.Is(err, storage.ErrNotFound), err)
	// Output:
	// raw/a.html 16
	// raw/b.html 16
	// <html>raw/a.html
	// true get raw/missing.html: not found
}

func ExampleValidKey() {
	for _, key := range []string{"articles/hani/x.json", "../x", "a//b"} {
		fmt.Println(storage.ValidKey(key))
	}
	// Output:
	// <nil>
	// invalid key "../x": ".." segment
	// invalid key "a//b": empty segment
}
