package warc_test

import (
	"bytes"
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
	"github.com/klauspost/compress/gzip"
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

// BenchmarkGzipLevels compresses every Korean page of the shared corpus as
// one gzip member at each candidate level, the choice behind
// warc's compression level: CPU per page (ns/op is per page) against the
// bytes kept (gz-B/page, and ratio, compressed over raw).
//
//	go test -run '^$' -bench GzipLevels -count 3 ./warc/
func BenchmarkGzipLevels(b *testing.B) {
	const corpus = "../../shared/corpus/ko/html"
	entries, err := os.ReadDir(corpus)
	if err != nil {
		b.Skipf("corpus not found at %s: %v", corpus, err)
	}
	var pages [][]byte
	var raw int64
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		body, err := os.ReadFile(filepath.Join(corpus, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, body)
		raw += int64(len(body))
	}
	if len(pages) == 0 {
		b.Skip("no pages in the corpus")
	}
	for _, level := range []int{gzip.HuffmanOnly, gzip.StatelessCompression, 1, 3, 5, gzip.DefaultCompression, 9} {
		name := fmt.Sprintf("level=%d", level)
		switch level {
		case gzip.DefaultCompression:
			name = "level=default"
		case gzip.HuffmanOnly:
			name = "level=huffman-only"
		case gzip.StatelessCompression:
			name = "level=stateless"
		}
		b.Run(name, func(b *testing.B) {
			zw, err := gzip.NewWriterLevel(nil, level)
			if err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			var out int64
			b.SetBytes(raw / int64(len(pages)))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := pages[i%len(pages)]
				buf.Reset()
				zw.Reset(&buf)
				zw.Write(p)
				zw.Close()
				if i < len(pages) {
					out += int64(buf.Len())
				}
				i++
			}
			n := min(i, len(pages))
			var in int64
			for _, p := range pages[:n] {
				in += int64(len(p))
			}
			b.ReportMetric(float64(out)/float64(n), "gz-B/page")
			b.ReportMetric(float64(out)/float64(in), "ratio")
		})
	}
}
