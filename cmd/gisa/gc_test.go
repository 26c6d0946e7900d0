package main

import (
	"runtime/debug"
	"testing"
)

// TestOneShotGC checks that gisa parse's setting turns the collector off
// up to oneShotHeapLimit, leaves a user's GOGC or GOMEMLIMIT alone, and
// restores what was set before.
func TestOneShotGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	limitBefore := debug.SetMemoryLimit(-1) // -1 reads it
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	restore := oneShotGC(env(nil))
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Errorf("GC percent during the command = %d; want -1 (off)", p)
	}
	if l := debug.SetMemoryLimit(-1); l != oneShotHeapLimit {
		t.Errorf("memory limit during the command = %d; want %d", l, oneShotHeapLimit)
	}
	restore()
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("GC percent after = %d; want 100 restored", p)
	}
	if l := debug.SetMemoryLimit(-1); l != limitBefore {
		t.Errorf("memory limit after = %d; want %d restored", l, limitBefore)
	}

	for _, m := range []map[string]string{{"GOGC": "50"}, {"GOMEMLIMIT": "1GiB"}} {
		restore := oneShotGC(env(m))
		if p := debug.SetGCPercent(100); p != 100 {
			t.Errorf("with %v: GC percent = %d; want the user's setting kept", m, p)
		}
		restore()
	}
}
