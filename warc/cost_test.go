package warc_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/warc"
)

// BenchmarkArchiveCost stores the shared corpus's Korean pages as gisa
// crawl does, into a disk archive: the article JSON (storage.Archive) and
// the raw exchange (WARC). It reports the WARC write time as a ratio to the
// JSON write (x-json), and the bytes each costs per article on disk.
//
//	go test -run '^$' -bench ArchiveCost -benchtime 5x ./warc/
func BenchmarkArchiveCost(b *testing.B) {
	const corpus = "../../shared/corpus/ko/html"
	entries, err := os.ReadDir(corpus)
	if err != nil {
		b.Skipf("corpus not found at %s: %v", corpus, err)
	}
	p, err := parser.New(parser.Options{})
	if err != nil {
		b.Fatal(err)
	}
	type item struct {
		page article.Page
		art  article.Article
	}
	var items []item
	fetched := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		body, err := os.ReadFile(filepath.Join(corpus, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		pg := article.Page{
			URL: "https://news.example.com/" + e.Name(), Body: body, FetchedAt: fetched, Status: 200,
			Header:        map[string][]string{"Content-Type": {"text/html; charset=utf-8"}, "Date": {fetched.Format(time.RFC1123)}},
			RequestHeader: map[string][]string{"User-Agent": {"gisa/0.1 (+https://example.org)"}, "Accept": {"text/html"}},
		}
		a, err := p.Parse(pg)
		if err != nil {
			continue
		}
		items = append(items, item{pg, a})
	}
	if len(items) == 0 {
		b.Skip("no article pages in the corpus")
	}
	ctx := context.Background()
	var jsonTime, warcTime time.Duration
	var jsonBytes, warcBytes, pageBytes int64
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		disk, err := storage.NewDisk(filepath.Join(dir, "archive"))
		if err != nil {
			b.Fatal(err)
		}
		arch := storage.NewArchive(disk)
		w, err := warc.NewWriter(ctx, disk, warc.Options{SpoolDir: filepath.Join(dir, "spool")})
		if err != nil {
			b.Fatal(err)
		}
		for j, it := range items {
			a := it.art
			a.ID = fmt.Sprintf("%s-%d", strings.ReplaceAll(a.ID, ".", "_"), j)
			start := time.Now()
			if _, _, err := arch.PutArticle(ctx, &a); err != nil {
				b.Fatal(err)
			}
			jsonTime += time.Since(start)
			start = time.Now()
			if _, err := w.Write(ctx, &it.page); err != nil {
				b.Fatal(err)
			}
			warcTime += time.Since(start)
		}
		start := time.Now()
		if err := w.Close(ctx); err != nil {
			b.Fatal(err)
		}
		warcTime += time.Since(start)
		if i == 0 {
			size := func(prefix string) (n int64) {
				disk.List(ctx, prefix, func(in storage.Info) error { n += in.Size; return nil })
				return n
			}
			jsonBytes, warcBytes = size("articles/"), size("warc/")
			for _, it := range items {
				pageBytes += int64(len(it.page.Body))
			}
		}
		disk.Close()
	}
	n := float64(len(items))
	b.ReportMetric(float64(jsonTime.Nanoseconds())/n/float64(b.N), "json-ns/article")
	b.ReportMetric(float64(warcTime.Nanoseconds())/n/float64(b.N), "warc-ns/article")
	b.ReportMetric(float64(warcTime)/float64(jsonTime), "x-json")
	b.ReportMetric(float64(jsonBytes)/n, "json-B/article")
	b.ReportMetric(float64(warcBytes)/n, "warc.gz-B/article")
	b.ReportMetric(float64(pageBytes)/n, "page-B/article")
}
