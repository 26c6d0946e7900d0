//go:build !unix

package storage_test

import (
	"testing"
	"time"
)

// cpuTime skips: the process's CPU time is read with getrusage(2).
func cpuTime(tb testing.TB) time.Duration {
	tb.Skip("CPU time is measured with getrusage, which this system lacks")
	return 0
}
