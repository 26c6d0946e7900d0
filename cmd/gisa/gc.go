package main

import "runtime/debug"

// oneShotHeapLimit is the heap at which a one-page command's garbage
// collector runs after all: far above what one page needs (a 100 KB news
// page allocates a few MB), well below what the largest page it accepts
// (parser.DefaultMaxBytes) could make it hold with no collection at all.
const oneShotHeapLimit = 256 << 20

// oneShotGC turns the garbage collector off for a command that parses one
// page and exits (gisa parse), up to oneShotHeapLimit: a collection there
// only starts worker threads and marks a heap the exit frees anyway (a third
// of a one-page gisa parse's CPU). GOGC or GOMEMLIMIT set in the environment
// win. It returns the function that restores the previous settings, for
// callers that do not exit (tests).
func oneShotGC(getenv func(string) string) (restore func()) {
	return setGC(getenv, -1, oneShotHeapLimit)
}

// Batch GC settings: an export holds little (a few records in flight,
// Parquet's pages: 5 to 35 MB) and allocates its whole archive's worth, so
// with Go's default (a collection each time the heap doubles) a fifth of
// its CPU was collections. It lets the heap grow to five times what is
// live, but not past batchHeapLimit: the process (binary and SQLite
// included) then peaks at 75-78 MB in every format on a 50,000-article
// archive, under the 100 MB the export's memory goal allows (64 MB made
// 100 MB).
const (
	batchGCPercent = 400
	batchHeapLimit = 40 << 20
)

// batchGC sets the batch GC settings for a command that streams a whole
// archive (gisa export); GOGC or GOMEMLIMIT set in the environment win.
func batchGC(getenv func(string) string) (restore func()) {
	return setGC(getenv, batchGCPercent, batchHeapLimit)
}

// Crawl GC settings: a crawl holds a parsed page per worker and allocates
// a few MB for each page it parses, so with Go's default the collector
// ran all the time. With these settings a gisa crawl of corpus pages used
// 3.8-4.0 ms of CPU per page against 4.4-5.1 at the default
// (BenchmarkCrawlRSS, 4,000 pages, three alternating runs), for about 15
// MB more peak RSS (87-93 MB). GOGC=200 alone took a crawl that queues a
// 10^6-URL sitemap to 336 MB; the soft limit keeps it at 229-234 MB, as
// the default did, under the 300 MB that issue 15 allows.
const (
	crawlGCPercent = 200
	crawlHeapLimit = 128 << 20
)

// crawlGC sets the crawl GC settings (gisa crawl); GOGC or GOMEMLIMIT set
// in the environment win.
func crawlGC(getenv func(string) string) (restore func()) {
	return setGC(getenv, crawlGCPercent, crawlHeapLimit)
}

func setGC(getenv func(string) string, percent int, limit int64) (restore func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limitBefore := debug.SetMemoryLimit(limit)
	percentBefore := debug.SetGCPercent(percent)
	return func() {
		debug.SetGCPercent(percentBefore)
		debug.SetMemoryLimit(limitBefore)
	}
}
