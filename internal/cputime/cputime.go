// Package cputime reads the CPU time the running process has used, for
// benchmarks that report CPU ratios against a baseline measured in the
// same run.
package cputime

import (
	"testing"
	"time"
)

// Process is the CPU time (user and system) this process has used so far.
// It skips tb where the system cannot tell (no getrusage), and fails it
// when the call fails.
func Process(tb testing.TB) time.Duration {
	tb.Helper()
	d, ok, err := process()
	if !ok {
		tb.Skip("the process's CPU time is read with getrusage(2), which this system lacks")
	}
	if err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return d
}
