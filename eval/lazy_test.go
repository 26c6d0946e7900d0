package eval

import (
	"testing"

	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/gisa-news/gisa/internal/lazy/lazytest"
)

// TestLazyAtStart checks that loading the package (every gisa command
// does) compiles none of its patterns, and that they compile.
func TestLazyAtStart(t *testing.T) {
	lazytest.Regexps(t, "TestLazyAtStart", map[string]*lazy.Regexp{"numberSuffix": numberSuffix})
}
