package cputime_test

import (
	"testing"

	"github.com/gisa-news/gisa/internal/cputime"
)

// Process grows while the process works, and never goes back.
func TestProcessGrows(t *testing.T) {
	before := cputime.Process(t)
	x := 0
	for i := range 50_000_000 {
		x ^= i * i
	}
	after := cputime.Process(t)
	if after <= before || x == 1 {
		t.Errorf("CPU time %v after work, %v before", after, before)
	}
}
