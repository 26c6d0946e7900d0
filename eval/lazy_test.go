package eval

import (
	"testing"

	"github.com/gisa-news/gisa/internal/lazy/lazytest"
)

// TestLazyAtStart checks that loading the package (every gisa command
// does) compiles none of its patterns, and that they compile.
func TestLazyAtStart(t *testing.T) {
	if err := numberSuffix.Compile(); err != nil {
		t.Fatalf("numberSuffix: %v", err)
	}
	lazytest.NotBuiltAtStart(t, "TestLazyAtStart", map[string]lazytest.Builder{"numberSuffix": numberSuffix})
}
