package storage_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

// typicalArticle is an article whose JSON is about 8 KB (7,986 bytes), the size of a
// typical Korean news record (a body of ~2,000 Hangul syllables, some images
// and related links).
func typicalArticle(i int) *article.Article {
	a := testArticle()
	a.ID = fmt.Sprintf("hani-%d", 1_000_000+i)
	para := strings.Repeat("정부는 오늘 새로운 정책을 발표했다. ", 19)
	a.Body = strings.TrimSpace(strings.Repeat(para+"\n\n", 6))
	for j := range 4 {
		a.Images = append(a.Images, article.Image{URL: fmt.Sprintf("https://img.hani.co.kr/imgdb/resize/2024/0131/%d.jpg", j), Caption: "사진 설명 " + para[:60], Credit: "연합뉴스"})
		a.Related = append(a.Related, article.Link{Title: "관련 기사 제목입니다", URL: fmt.Sprintf("https://www.hani.co.kr/arti/society/%d.html", 1_100_000+j)})
	}
	a.Normalize()
	return a
}

func BenchmarkDiskPut(b *testing.B) {
	d := newDisk(b, b.TempDir())
	a := typicalArticle(0)
	key, _ := storage.ArticleKey(a)
	data := mustEncode(b, a)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// A new object each time, a new directory every 100, as a crawl goes.
		k := fmt.Sprintf("%s/%d/%d.json", strings.TrimSuffix(key, ".json"), i/100, i)
		if err := d.Put(b.Context(), k, data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

func BenchmarkArchivePutArticle(b *testing.B) {
	tmpl := typicalArticle(0)
	size := int64(len(mustEncode(b, tmpl)))
	const stored = 256 // articles in the archive before the timer starts
	for _, bm := range []struct {
		name string
		next func(i int) *article.Article // the article for iteration i
	}{
		{"Created", func(i int) *article.Article {
			a := *tmpl
			a.ID = "hani-x" + strconv.Itoa(i)
			return &a
		}},
		{"Unchanged", func(i int) *article.Article {
			a := *tmpl
			a.ID = "hani-" + strconv.Itoa(i%stored)
			return &a
		}},
		{"Updated", func(i int) *article.Article { // a few revisions per article
			a := *tmpl
			a.ID = "hani-" + strconv.Itoa(i%stored)
			a.Title = "제목 " + strconv.Itoa(i)
			return &a
		}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			arc := storage.NewArchive(newDisk(b, b.TempDir()))
			for i := range stored {
				a := *tmpl
				a.ID = "hani-" + strconv.Itoa(i)
				if _, _, err := arc.PutArticle(b.Context(), &a); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(size)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, _, err := arc.PutArticle(b.Context(), bm.next(i)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}

func mustEncode(tb testing.TB, a *article.Article) []byte {
	tb.Helper()
	// Through an Archive over a scratch Disk, so the bytes are exactly those
	// PutArticle writes.
	d := newDisk(tb, tb.TempDir())
	_, key, err := storage.NewArchive(d).PutArticle(tb.Context(), a)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := d.Get(tb.Context(), key)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// BenchmarkDiskPutParallel is BenchmarkDiskPut from 16 goroutines into one
// day's directory, as a crawl's workers write: directory fsyncs are shared.
func BenchmarkDiskPutParallel(b *testing.B) {
	d := newDisk(b, b.TempDir())
	a := typicalArticle(0)
	key, _ := storage.ArticleKey(a)
	data := mustEncode(b, a)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.SetParallelism(8) // 16 goroutines on 2 CPUs
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k := fmt.Sprintf("%s-%d.json", strings.TrimSuffix(key, ".json"), n.Add(1))
			if err := d.Put(b.Context(), k, data); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}
