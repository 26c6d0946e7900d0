package main

import (
	"testing"

	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/gisa-news/gisa/internal/lazy/lazytest"
)

// TestLazyAtStart checks that starting gisa compiles none of the command
// package's patterns, and that they compile.
func TestLazyAtStart(t *testing.T) {
	lazytest.Regexps(t, "TestLazyAtStart", map[string]*lazy.Regexp{"workerSafe": workerSafe})
}
