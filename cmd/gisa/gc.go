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
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := debug.SetMemoryLimit(oneShotHeapLimit)
	percent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
