package warc

import (
	"testing"

	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/gisa-news/gisa/internal/lazy/lazytest"
)

// TestLazyAtStart checks that loading the package compiles prefixRE (its
// counted repetition made 60 KB in 864 allocations of every gisa command's
// start-up), and that the pattern compiles.
func TestLazyAtStart(t *testing.T) {
	lazytest.Regexps(t, "TestLazyAtStart", map[string]*lazy.Regexp{"prefixRE": prefixRE})
}
