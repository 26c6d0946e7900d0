package warc_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/warc"
	"github.com/klauspost/compress/gzip"
)

// benchPage is a typical Korean article page of about 100 KB: a real one
// from the shared corpus when it is there (read where it lies), else a
// generated one of the same size.
func benchPage(b *testing.B) *article.Page {
	body, err := os.ReadFile(filepath.Join("..", "..", "shared", "corpus", "ko", "html", "kbs_1.html"))
	if err != nil {
		var sb strings.Builder
		sb.WriteString("<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>기사</title></head><body>")
		for sb.Len() < 100_000 {
			sb.WriteString("<p class=\"article-text\">" + koreanText + "</p>\n<div class=\"ad\"><a href=\"/news/123\">관련 기사</a></div>\n")
		}
		sb.WriteString("</body></html>")
		body = []byte(sb.String())
	}
	return &article.Page{
		URL:       "https://news.kbs.co.kr/news/pc/view/view.do?ncd=7890123",
		Status:    200,
		FetchedAt: t0,
		Body:      body,
		Header: map[string][]string{
			"Content-Type":  {"text/html;charset=UTF-8"},
			"Date":          {"Wed, 31 Jan 2024 23:59:30 GMT"},
			"Server":        {"nginx"},
			"Cache-Control": {"no-cache"},
			"Set-Cookie":    {"JSESSIONID=ABCDEF0123456789; Path=/; HttpOnly"},
			"Vary":          {"Accept-Encoding"},
		},
		RequestHeader: map[string][]string{
			"User-Agent":      {"gisa/0.1 (+mailto:ops@example.com)"},
			"Accept":          {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
			"Accept-Language": {"ko-KR,ko;q=0.9,en;q=0.5"},
		},
	}
}

// sizeStore keeps only the sizes of what is put.
type sizeStore struct {
	*memStore
	bytes atomic.Int64
}

func (s *sizeStore) Put(ctx context.Context, key string, data []byte) error {
	s.bytes.Add(int64(len(data)))
	return nil
}

// BenchmarkWrite writes a 100 KB Korean page: "gzip" is the baseline, the
// body compressed alone at the same level (the writer's, BestSpeed); "Write" is the whole record pair
// spooled to disk (and uploaded on rotation), reporting the compressed bytes
// per page (request, response and their share of warcinfo).
func BenchmarkWrite(b *testing.B) {
	page := benchPage(b)
	b.Run("gzip", func(b *testing.B) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		b.SetBytes(int64(len(page.Body)))
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			zw.Reset(&buf)
			zw.Write(page.Body)
			zw.Close()
		}
		b.ReportMetric(float64(buf.Len()), "gz-bytes/page")
	})
	run := func(b *testing.B, parallel bool) {
		ctx := context.Background()
		st := &sizeStore{memStore: newMemStore()}
		w, err := warc.NewWriter(ctx, st, warc.Options{SpoolDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(page.Body)))
		b.ReportAllocs()
		var n atomic.Int64
		if parallel {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := w.Write(ctx, page); err != nil {
						b.Error(err)
						return
					}
					n.Add(1)
				}
			})
		} else {
			for b.Loop() {
				if _, err := w.Write(ctx, page); err != nil {
					b.Fatal(err)
				}
				n.Add(1)
			}
		}
		b.StopTimer()
		if err := w.Close(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.bytes.Load())/float64(n.Load()), "gz-bytes/page")
	}
	b.Run("Write", func(b *testing.B) { run(b, false) })
	b.Run("WriteParallel", func(b *testing.B) { run(b, true) })
}

// BenchmarkRead reads back a file of 100 pages of 100 KB.
func BenchmarkRead(b *testing.B) {
	ctx := context.Background()
	page := benchPage(b)
	st := newMemStore()
	w, err := warc.NewWriter(ctx, st, warc.Options{SpoolDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	const pages = 100
	for range pages {
		if _, err := w.Write(ctx, page); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		b.Fatal(err)
	}
	files, err := warc.Files(ctx, st, time.Time{}, time.Time{})
	if err != nil || len(files) != 1 {
		b.Fatal(files, err)
	}
	b.SetBytes(pages * int64(len(page.Body)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := warc.Read(ctx, st, files[0], func(warc.Record) error { n++; return nil }); err != nil || n != pages {
			b.Fatal(n, err)
		}
	}
}
