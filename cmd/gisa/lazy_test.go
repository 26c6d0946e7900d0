package main

import (
	"testing"

	"github.com/gisa-news/gisa/internal/lazy/lazytest"
)

// TestLazyAtStart checks that starting gisa compiles none of the command
// package's patterns, and that they compile.
func TestLazyAtStart(t *testing.T) {
	if err := workerSafe.Compile(); err != nil {
		t.Fatalf("workerSafe: %v", err)
	}
	lazytest.NotBuiltAtStart(t, "TestLazyAtStart", map[string]lazytest.Builder{"workerSafe": workerSafe})
}
