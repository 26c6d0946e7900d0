package warc_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/warc"
)

func Example() {
	dir, err := os.MkdirTemp("", "gisa-warc-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	disk, err := storage.NewDisk(filepath.Join(dir, "archive"))
	if err != nil {
		log.Fatal(err)
	}
	defer disk.Close()
	ctx := context.Background()

	// The crawler writes each fetched page as it parses it.
	w, err := warc.NewWriter(ctx, disk, warc.Options{
		SpoolDir: filepath.Join(dir, "warc-spool"),
		Software: "gisa/0.1",
		Operator: "ops@example.com",
	})
	if err != nil {
		log.Fatal(err)
	}
	page := &article.Page{
		URL:       "https://www.hani.co.kr/arti/society/1128383.html",
		Status:    200,
		FetchedAt: time.Date(2024, 1, 31, 23, 30, 0, 0, time.UTC),
		Header:    map[string][]string{"Content-Type": {"text/html; charset=utf-8"}},
		Body:      []byte("<html><title>첫 제목</title><p>본문.</p></html>"),
	}
	loc, err := w.Write(ctx, page)
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Close(ctx); err != nil { // uploads the file
		log.Fatal(err)
	}

	// gisa reparse reads the pages back.
	files, err := warc.Files(ctx, disk, time.Time{}, time.Time{})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		err := warc.Read(ctx, disk, f, func(r warc.Record) error {
			fmt.Println(r.URL, r.Status, r.Header.Get("Content-Type"), len(r.Body), r.Date)
			fmt.Println(r.Location() == loc)
			return nil
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// https://www.hani.co.kr/arti/society/1128383.html 200 text/html; charset=utf-8 52 2024-01-31 23:30:00 +0000 UTC
	// true
}
