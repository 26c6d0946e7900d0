package storage_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gisa-news/gisa/article"
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
