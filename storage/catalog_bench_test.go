package storage_test

import (
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/cputime"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/s3test"
)

// BenchmarkArchiveCatalog compares PutArticle without and with a catalog,
// on Disk and on S3 (the in-process server), for new, unchanged and updated
// articles of about 8 KB.
func BenchmarkArchiveCatalog(b *testing.B) {
	tmpl := typicalArticle(0)
	size := int64(len(mustEncode(b, tmpl)))
	const stored = 256 // articles in the archive before the timer starts
	ops := []struct {
		name string
		next func(i int) *article.Article
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
		{"Updated", func(i int) *article.Article {
			a := *tmpl
			a.ID = "hani-" + strconv.Itoa(i%stored)
			a.Title = "제목 " + strconv.Itoa(i)
			return &a
		}},
	}
	stores := []struct {
		name string
		new  func(b *testing.B) storage.Store
	}{
		{"disk", func(b *testing.B) storage.Store { return newDisk(b, b.TempDir()) }},
		{"s3", func(b *testing.B) storage.Store {
			srv := s3test.NewServer(b, nil)
			srv.CreateBucket(b, "bench")
			return srv.NewStore(b, "bench", "")
		}},
	}
	for _, st := range stores {
		for _, catalog := range []bool{false, true} {
			for _, op := range ops {
				name := st.name + "/plain/" + op.name
				if catalog {
					name = st.name + "/catalog/" + op.name
				}
				b.Run(name, func(b *testing.B) {
					var opts []storage.ArchiveOption
					if catalog {
						opts = append(opts, storage.WithCatalog(openCatalog(b, filepath.Join(b.TempDir(), storage.CatalogName))))
					}
					arc := storage.NewArchive(st.new(b), opts...)
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
						if _, _, err := arc.PutArticle(b.Context(), op.next(i)); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
				})
			}
		}
	}
}

// BenchmarkArchiveCatalogParallel is the Created case of
// BenchmarkArchiveCatalog on Disk from 16 goroutines, as a crawl's workers
// write: each new article is two catalog Puts (pending, then settled), so
// how the catalog's commits are shared between writers shows here.
// cpu-ms/article is the process's CPU time (user and system) per article.
func BenchmarkArchiveCatalogParallel(b *testing.B) {
	tmpl := typicalArticle(0)
	size := int64(len(mustEncode(b, tmpl)))
	for _, catalog := range []bool{false, true} {
		name := "disk/plain/Created"
		if catalog {
			name = "disk/catalog/Created"
		}
		b.Run(name, func(b *testing.B) {
			var opts []storage.ArchiveOption
			if catalog {
				opts = append(opts, storage.WithCatalog(openCatalog(b, filepath.Join(b.TempDir(), storage.CatalogName))))
			}
			arc := storage.NewArchive(newDisk(b, b.TempDir()), opts...)
			var n atomic.Int64
			b.SetBytes(size)
			b.ReportAllocs()
			b.SetParallelism(8) // 16 goroutines on 2 CPUs
			c0 := cputime.Process(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					a := *tmpl
					a.ID = "hani-x" + strconv.FormatInt(n.Add(1), 10)
					if _, _, err := arc.PutArticle(b.Context(), &a); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
			b.ReportMetric(float64(cputime.Process(b)-c0)/1e6/float64(b.N), "cpu-ms/article")
		})
	}
}
