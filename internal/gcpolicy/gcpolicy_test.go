package gcpolicy

import (
	"runtime/debug"
	"testing"
)

// TestSet checks that each policy sets its GC percent and memory limit,
// leaves a user's GOGC or GOMEMLIMIT alone, and restores what was set
// before.
func TestSet(t *testing.T) {
	for name, p := range map[string]Policy{"OneShot": OneShot, "Batch": Batch, "Crawl": Crawl} {
		t.Run(name, func(t *testing.T) { testSet(t, p) })
	}
}

func testSet(t *testing.T, p Policy) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	limitBefore := debug.SetMemoryLimit(-1) // -1 reads it
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	restore := p.Set(env(nil))
	if got := debug.SetGCPercent(p.Percent); got != p.Percent {
		t.Errorf("GC percent during the command = %d; want %d", got, p.Percent)
	}
	if l := debug.SetMemoryLimit(-1); l != p.Limit {
		t.Errorf("memory limit during the command = %d; want %d", l, p.Limit)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent after = %d; want 100 restored", got)
	}
	if l := debug.SetMemoryLimit(-1); l != limitBefore {
		t.Errorf("memory limit after = %d; want %d restored", l, limitBefore)
	}

	for _, m := range []map[string]string{{"GOGC": "50"}, {"GOMEMLIMIT": "1GiB"}} {
		restore := p.Set(env(m))
		if got := debug.SetGCPercent(100); got != 100 {
			t.Errorf("with %v: GC percent = %d; want the user's setting kept", m, got)
		}
		if l := debug.SetMemoryLimit(-1); l != limitBefore {
			t.Errorf("with %v: memory limit = %d; want the user's setting kept", m, l)
		}
		restore()
	}
}

// TestAtLeast: a crawl's limit grows with its workers past the default's.
func TestAtLeast(t *testing.T) {
	if got := Crawl.AtLeast(16 * CrawlPerWorker); got != Crawl {
		t.Errorf("16 workers: %+v; want Crawl, %+v", got, Crawl)
	}
	if got := Crawl.AtLeast(4 * CrawlPerWorker); got != Crawl {
		t.Errorf("4 workers: %+v; want Crawl's limit kept, %+v", got, Crawl)
	}
	if got := Crawl.AtLeast(64 * CrawlPerWorker); got.Limit != 512<<20 || got.Percent != Crawl.Percent {
		t.Errorf("64 workers: %+v; want GOGC %d under 512 MiB", got, Crawl.Percent)
	}
}
