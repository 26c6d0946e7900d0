// Package gcpolicy holds the garbage collector settings gisa's commands run
// with, so that the commands and the benchmarks that stand for them use the
// same ones.
package gcpolicy

import "runtime/debug"

// Policy is a GC percent (GOGC; -1 turns the collector off) and a soft
// memory limit in bytes (GOMEMLIMIT).
type Policy struct {
	Percent int
	Limit   int64
}

var (
	// OneShot is for a command that parses one page and exits (gisa
	// parse): no collection up to a 256 MiB heap. A collection there only
	// starts worker threads and marks a heap the exit frees anyway (a third
	// of a one-page gisa parse's CPU); 256 MiB is far above what one page
	// needs (a 100 KB news page allocates a few MB) and well below what the
	// largest page it accepts (parser.DefaultMaxBytes) could make it hold
	// with no collection at all.
	OneShot = Policy{Percent: -1, Limit: 256 << 20}

	// Batch is for a command that streams a whole archive (gisa export).
	// An export holds little (a few records in flight, Parquet's pages: 5
	// to 35 MB) and allocates its whole archive's worth, so with Go's
	// default (a collection each time the heap doubles) a fifth of its CPU
	// was collections. It lets the heap grow to five times what is live,
	// but not past 40 MiB: the process (binary and SQLite included) then
	// peaks at 75-78 MB in every format on a 50,000-article archive, under
	// the 100 MB the export's memory goal allows (64 MiB made 100 MB).
	Batch = Policy{Percent: 400, Limit: 40 << 20}

	// Crawl is for gisa crawl, and gisa serve's crawls (with a limit for
	// all its outlets' runs, see AtLeast). A crawl holds a parsed page per worker and
	// allocates a few MB for each page it parses, so with Go's default the
	// collector ran all the time. With these settings a gisa crawl of
	// corpus pages used 3.8-4.0 ms of CPU per page against 4.4-5.1 at the
	// default (BenchmarkCrawlRSS, 4,000 pages, three alternating runs), for
	// about 15 MB more peak RSS (87-93 MB). GOGC=200 alone took a crawl
	// that queues a 10^6-URL sitemap to 336 MB; the soft limit keeps it at
	// 229-234 MB, as the default did, under the 300 MB that issue 15
	// allows.
	Crawl = Policy{Percent: 200, Limit: 128 << 20}
)

// CrawlPerWorker is the memory limit a crawl is allowed per worker (see
// AtLeast): 128 MiB for the default 16 workers. A page in flight, parsed,
// holds a few MB; 16 workers on the corpus pages peaked at 98-114 MB of
// RSS under Crawl.
const CrawlPerWorker = 8 << 20

// AtLeast is p with its memory limit raised to limit when it is lower: a
// crawl with more workers than the default holds more pages at once, and a
// limit under what it holds would make the collector run all the time.
func (p Policy) AtLeast(limit int64) Policy {
	p.Limit = max(p.Limit, limit)
	return p
}

// Set applies p unless GOGC or GOMEMLIMIT is set in the environment
// (getenv), which then wins, and returns the function that restores the
// previous settings, for callers that do not exit (tests, benchmarks).
func (p Policy) Set(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limitBefore := debug.SetMemoryLimit(p.Limit)
	percentBefore := debug.SetGCPercent(p.Percent)
	return func() {
		debug.SetGCPercent(percentBefore)
		debug.SetMemoryLimit(limitBefore)
	}
}
