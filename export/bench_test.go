package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/export"
	"github.com/gisa-news/gisa/internal/cputime"
	"github.com/gisa-news/gisa/internal/gcpolicy"
	"github.com/gisa-news/gisa/storage"
)

// synthetic is a generated archive of n articles, none of them on disk:
// a Store whose Get makes each article's JSON from a few templates (corpus
// records from ../shared/corpus/ko/truth when present, else invented ones)
// with its own ID, outlet and dates, and a Catalog that yields the entries
// in Range order. Memory stays what the export itself holds.
type synthetic struct {
	n         int
	outlets   []string
	templates [][]byte // article JSON with the placeholders below
}

const (
	phID  = "@@ID@@"
	phPub = "@@PUB@@"
	phURL = "@@URL@@"
)

var _ storage.Store = (*synthetic)(nil)

func newSynthetic(tb testing.TB, n int) *synthetic {
	s := &synthetic{n: n, outlets: []string{"hani", "khan", "chosun", "yonhap", "kbs"}}
	type truth struct {
		Title, Subtitle, Body string
		Reporters             []article.Reporter
	}
	var truths []truth
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "ko", "truth", "*.json"))
	for _, f := range files {
		var tr truth
		if b, err := os.ReadFile(f); err == nil && json.Unmarshal(b, &tr) == nil && tr.Body != "" {
			truths = append(truths, tr)
		}
	}
	if len(truths) == 0 {
		for i := range 4 {
			truths = append(truths, truth{
				Title:     fmt.Sprintf("국회, 내년도 예산안 %d조원 처리… 여야 막판 합의", 600+i),
				Body:      strings.Repeat(fmt.Sprintf("국회는 %d일 본회의를 열어 예산안을 의결했다. 여야는 막판까지 쟁점을 두고 협상을 이어갔다.\n\n", i+1), 20+10*i),
				Reporters: []article.Reporter{{Name: "홍길동", Email: "hong@example.com", Role: "기자"}},
			})
		}
	}
	for i, tr := range truths {
		a := article.Article{
			ID: phID, URL: phURL, CanonicalURL: phURL, Outlet: article.Outlet{ID: "@@OUTLET@@", Name: "언론사"},
			Section: "정치", Title: tr.Title, Subtitle: tr.Subtitle, Body: tr.Body, Reporters: tr.Reporters,
			Images:  []article.Image{{URL: "https://img.example.com/" + strconv.Itoa(i) + ".jpg", Caption: "사진 설명", Credit: "연합뉴스"}},
			Related: []article.Link{{Title: "관련 기사", URL: "https://news.example.com/related/" + strconv.Itoa(i)}},
			Tags:    []string{"정치", "국회"}, Language: "ko", ParserVersion: "7",
		}
		a.Normalize()
		b, err := json.MarshalIndent(a, "", "  ")
		if err != nil {
			tb.Fatal(err)
		}
		b = bytes.Replace(b, []byte(`"published_at": null`), []byte(`"published_at": "`+phPub+`"`), 1)
		b = bytes.Replace(b, []byte(`"fetched_at": null`), []byte(`"fetched_at": "`+phPub+`"`), 1)
		s.templates = append(s.templates, b)
	}
	return s
}

// entry i: outlet i%5, one day a 2,000 articles from 2020-01-01 on.
func (s *synthetic) entry(i int) storage.Entry {
	day := time.Date(2020, 1, 1, 9, 0, 0, 0, article.KST).AddDate(0, 0, i/2000)
	pub := day.Add(time.Duration(i%2000) * time.Second)
	outlet := s.outlets[i%len(s.outlets)]
	id := fmt.Sprintf("%s-%08d", outlet, i)
	return storage.Entry{
		ID: id, Outlet: outlet, Published: pub, Fetched: pub, Seq: int64(i + 1),
		Key: "articles/" + outlet + "/" + pub.Format("2006/01/02") + "/" + id + ".json",
	}
}

func (s *synthetic) data(key string) ([]byte, error) {
	base := strings.TrimSuffix(filepath.Base(key), ".json")
	_, num, ok := strings.Cut(base, "-")
	i, err := strconv.Atoi(num)
	if !ok || err != nil || i < 0 || i >= s.n {
		return nil, fmt.Errorf("get %s: %w", key, storage.ErrNotFound)
	}
	e := s.entry(i)
	b := s.templates[i%len(s.templates)]
	b = bytes.ReplaceAll(b, []byte(phID), []byte(e.ID))
	b = bytes.ReplaceAll(b, []byte("@@OUTLET@@"), []byte(e.Outlet))
	b = bytes.ReplaceAll(b, []byte(phURL), []byte("https://news.example.com/"+e.ID))
	b = bytes.ReplaceAll(b, []byte(phPub), []byte(e.Published.Format(time.RFC3339)))
	return b, nil
}

func (s *synthetic) Get(ctx context.Context, key string) ([]byte, error) { return s.data(key) }
func (s *synthetic) Put(context.Context, string, []byte) error           { return storage.ErrReadOnly }
func (s *synthetic) Delete(context.Context, string) error                { return storage.ErrReadOnly }
func (s *synthetic) Stat(ctx context.Context, key string) (storage.Info, error) {
	b, err := s.data(key)
	return storage.Info{Key: key, Size: int64(len(b))}, err
}

// List lists nothing but revisions, of which the synthetic archive has
// none; the catalog names the articles.
func (s *synthetic) List(context.Context, string, func(storage.Info) error) error { return nil }

func (s *synthetic) Range(ctx context.Context, outlet string, from, to time.Time, fn func(storage.Entry) error) error {
	for i := range s.n {
		if err := fn(s.entry(i)); err != nil {
			return err
		}
	}
	return nil
}
func (s *synthetic) Since(ctx context.Context, seq int64, fn func(storage.Entry) error) error {
	return s.Range(ctx, "", time.Time{}, time.Time{}, fn)
}
func (s *synthetic) Pending(context.Context, func(storage.Entry) error) error { return nil }
func (s *synthetic) LastSeq(context.Context) (int64, error)                   { return int64(s.n), nil }

// benchFormats are the exports the benchmarks make.
var benchFormats = []struct {
	name string
	o    export.Options
}{
	{"jsonl", export.Options{Format: export.JSONL}},
	{"jsonl.gz", export.Options{Format: export.JSONL, Compress: export.Gzip}},
	{"jsonl.zst", export.Options{Format: export.JSONL, Compress: export.Zstd}},
	{"csv", export.Options{Format: export.CSV}},
	{"parquet", export.Options{Format: export.Parquet}},
}

// timedExport exports src to out, checks that it exported n records, and
// returns its wall and CPU time.
func timedExport(b *testing.B, src *export.Source, o export.Options, out *countingWriter, n int) (wall, cpu time.Duration) {
	start, startCPU := time.Now(), cputime.Process(b)
	m, err := export.Run(context.Background(), src, export.NewStream(out, ""), o)
	if err != nil {
		b.Fatal(err)
	}
	wall, cpu = time.Since(start), cputime.Process(b)-startCPU
	if m.Records != int64(n) {
		b.Fatalf("%d records exported, want %d", m.Records, n)
	}
	return wall, cpu
}

// countingWriter counts what is written and drops it.
type countingWriter struct{ n atomic.Int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n.Add(int64(len(p))); return len(p), nil }

// peakHeap samples the heap in use until stopped and returns its maximum.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var (
		peak uint64
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// resetPeakRSS resets the kernel's high-water mark of this process's RSS
// (Linux), so that peakRSS reports the peak of what follows.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkExport exports a synthetic archive of GISA_BENCH_ARTICLES
// articles (default 20,000; the goal is measured at 1,000,000) in
// each format, with gisa export's GC settings, and reports records/s, peak
// heap and RSS (MB), output bytes per record, Parquet's size against gzip
// JSONL, and the ratio of each export's wall time (x-read-json) and CPU
// time (x-read-json-cpu) to those of reading the archive's JSON once with
// encoding/json in one goroutine (the baseline, measured again right before
// each export). The synthetic store reads nothing from disk: see
// BenchmarkExportDisk for the ratios on a disk archive.
//
//	GISA_BENCH_ARTICLES=1000000 go test -run '^$' -bench Export -benchtime 1x ./export/
func BenchmarkExport(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("GISA_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	syn := newSynthetic(b, n)
	src := &export.Source{Store: syn, Catalog: syn}
	ctx := context.Background()
	defer gcpolicy.Batch.Set(os.Getenv)() // as gisa export runs

	// The baseline: read every article's JSON once and decode it, in one
	// goroutine, as a reader of the archive's files would.
	var baseline, baselineCPU time.Duration
	readOnce := func() (time.Duration, int64) {
		start := time.Now()
		startCPU := cputime.Process(b)
		defer func() { baselineCPU = cputime.Process(b) - startCPU }()
		var bytesRead int64
		err := syn.Range(ctx, "", time.Time{}, time.Time{}, func(e storage.Entry) error {
			data, err := syn.Get(ctx, e.Key)
			if err != nil {
				return err
			}
			bytesRead += int64(len(data))
			var a article.Article
			return json.Unmarshal(data, &a)
		})
		if err != nil {
			b.Fatal(err)
		}
		return time.Since(start), bytesRead
	}
	b.Run("read-json-once", func(b *testing.B) {
		b.ReportAllocs()
		var total time.Duration
		var size int64
		for b.Loop() {
			d, n := readOnce()
			total += d
			size = n
		}
		baseline = total / time.Duration(b.N)
		b.SetBytes(size)
		b.ReportMetric(float64(n)/baseline.Seconds(), "records/s")
	})
	sizes := map[string]int64{}
	for _, tc := range benchFormats {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			runtime.GC()
			resetPeakRSS()
			stop := peakHeap()
			var out countingWriter
			var total, totalCPU, base, baseCPU time.Duration
			for b.Loop() {
				// The baseline again, right before: a ratio of two runs
				// far apart in time on a shared machine is mostly noise.
				b.StopTimer()
				d, _ := readOnce()
				base += d
				baseCPU += baselineCPU
				b.StartTimer()
				out.n.Store(0)
				d, c := timedExport(b, src, tc.o, &out, n)
				total += d
				totalCPU += c
			}
			heap := stop()
			per := total / time.Duration(b.N)
			sizes[tc.name] = out.n.Load()
			b.ReportMetric(float64(n)/per.Seconds(), "records/s")
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
			b.ReportMetric(peakRSS(), "peak-RSS-MB")
			b.ReportMetric(float64(out.n.Load())/float64(n), "out-B/record")
			b.ReportMetric(total.Seconds()/base.Seconds(), "x-read-json")
			b.ReportMetric(totalCPU.Seconds()/baseCPU.Seconds(), "x-read-json-cpu")
			if tc.name == "parquet" && sizes["jsonl.gz"] > 0 {
				b.ReportMetric(float64(sizes["parquet"])/float64(sizes["jsonl.gz"]), "x-jsonl.gz-size")
			}
		})
	}
}

// BenchmarkGzipLevel compresses the JSON Lines of synthetic articles at
// gzip levels 1, 2 (GzipLevel), 5 (the default) and 9, reporting MB/s and
// the output's size against the input, from which GzipLevel was chosen.
func BenchmarkGzipLevel(b *testing.B) {
	syn := newSynthetic(b, 2000)
	var lines bytes.Buffer
	for i := range syn.n {
		data, err := syn.data(syn.entry(i).Key)
		if err != nil {
			b.Fatal(err)
		}
		var a article.Article
		if err := json.Unmarshal(data, &a); err != nil {
			b.Fatal(err)
		}
		line, err := json.Marshal(&a)
		if err != nil {
			b.Fatal(err)
		}
		lines.Write(append(line, '\n'))
	}
	for _, level := range []int{1, export.GzipLevel, gzip.DefaultCompression, 9} {
		name := fmt.Sprintf("level-%d", level)
		if level == gzip.DefaultCompression {
			name = "default"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(lines.Len()))
			var out countingWriter
			for b.Loop() {
				out.n.Store(0)
				w, err := gzip.NewWriterLevel(&out, level)
				if err != nil {
					b.Fatal(err)
				}
				w.Write(lines.Bytes())
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out.n.Load())/float64(lines.Len()), "x-size")
		})
	}
}

// BenchmarkExportDisk exports a disk archive (files and catalog) of
// GISA_BENCH_ARTICLES synthetic articles (default 20,000) in each format,
// with gisa export's GC settings, and reports the ratio of each export's
// wall time (x-read-json) and CPU time (x-read-json-cpu) to those of
// reading the archive's JSON files once: walking articles/, reading each
// file and decoding it with encoding/json in one goroutine, measured again
// right before each export. Unlike BenchmarkExport, reading an object costs
// what it costs on a disk: the system calls, the catalog.
//
//	GISA_BENCH_ARTICLES=50000 go test -run '^$' -bench ExportDisk -benchtime 1x -count 3 ./export/
func BenchmarkExportDisk(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("GISA_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	syn := newSynthetic(b, n)
	dir := b.TempDir()
	for i := range n {
		key := syn.entry(i).Key
		data, err := syn.data(key)
		if err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	catPath := filepath.Join(b.TempDir(), "catalog.db")
	{
		disk, err := storage.NewDisk(dir)
		if err != nil {
			b.Fatal(err)
		}
		cat, err := storage.OpenCatalog(catPath)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := storage.Reindex(ctx, disk, cat, nil); err != nil {
			b.Fatal(err)
		}
		cat.Close()
		disk.Close()
	}
	disk, err := storage.OpenDiskReadOnly(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer disk.Close()
	cat, err := storage.OpenCatalogReadOnly(catPath)
	if err != nil {
		b.Fatal(err)
	}
	defer cat.Close()
	src := &export.Source{Store: disk, Catalog: cat}

	defer gcpolicy.Batch.Set(os.Getenv)() // as gisa export runs

	readOnce := func() (wall, cpu time.Duration) {
		start, startCPU := time.Now(), cputime.Process(b)
		records := 0
		err := filepath.WalkDir(filepath.Join(dir, "articles"), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			var a article.Article
			records++
			return json.Unmarshal(data, &a)
		})
		if err != nil || records != n {
			b.Fatalf("read %d records: %v", records, err)
		}
		return time.Since(start), cputime.Process(b) - startCPU
	}
	for _, tc := range benchFormats {
		b.Run(tc.name, func(b *testing.B) {
			var total, totalCPU, base, baseCPU time.Duration
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				d, c := readOnce()
				base += d
				baseCPU += c
				runtime.GC()
				b.StartTimer()
				d, c = timedExport(b, src, tc.o, &countingWriter{}, n)
				total += d
				totalCPU += c
			}
			b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "records/s")
			b.ReportMetric(total.Seconds()/base.Seconds(), "x-read-json")
			b.ReportMetric(totalCPU.Seconds()/baseCPU.Seconds(), "x-read-json-cpu")
		})
	}
}
