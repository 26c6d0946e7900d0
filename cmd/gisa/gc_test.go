package main

import (
	"runtime/debug"
	"testing"
)

// TestGCSettings checks that gisa parse's setting turns the collector off
// up to oneShotHeapLimit, gisa export's sets batchGCPercent and
// batchHeapLimit, gisa crawl's crawlGCPercent and crawlHeapLimit, that all
// leave a user's GOGC or GOMEMLIMIT alone, and
// restore what was set before.
func TestGCSettings(t *testing.T) {
	for _, c := range []struct {
		name    string
		set     func(func(string) string) func()
		percent int
		limit   int64
	}{
		{"oneShotGC", oneShotGC, -1, oneShotHeapLimit},
		{"batchGC", batchGC, batchGCPercent, batchHeapLimit},
		{"crawlGC", crawlGC, crawlGCPercent, crawlHeapLimit},
	} {
		t.Run(c.name, func(t *testing.T) { testGCSetting(t, c.set, c.percent, c.limit) })
	}
}

func testGCSetting(t *testing.T, set func(func(string) string) func(), percent int, limit int64) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	limitBefore := debug.SetMemoryLimit(-1) // -1 reads it
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	restore := set(env(nil))
	if p := debug.SetGCPercent(percent); p != percent {
		t.Errorf("GC percent during the command = %d; want %d", p, percent)
	}
	if l := debug.SetMemoryLimit(-1); l != limit {
		t.Errorf("memory limit during the command = %d; want %d", l, limit)
	}
	restore()
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("GC percent after = %d; want 100 restored", p)
	}
	if l := debug.SetMemoryLimit(-1); l != limitBefore {
		t.Errorf("memory limit after = %d; want %d restored", l, limitBefore)
	}

	for _, m := range []map[string]string{{"GOGC": "50"}, {"GOMEMLIMIT": "1GiB"}} {
		restore := set(env(m))
		if p := debug.SetGCPercent(100); p != 100 {
			t.Errorf("with %v: GC percent = %d; want the user's setting kept", m, p)
		}
		restore()
	}
}
