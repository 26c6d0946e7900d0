package serve

import (
	"testing"

	"github.com/gisa-news/gisa/internal/lazy/lazytest"
)

// TestLazyAtStart checks that loading the package neither parses the status
// page's template nor formats the status labels (27 KB in 1,013
// allocations of every gisa command's start-up), and that both build.
func TestLazyAtStart(t *testing.T) {
	lazytest.NotBuiltAtStart(t, "TestLazyAtStart", map[string]lazytest.Builder{
		"pageTmpl": pageTmpl, "statusText": statusText,
	})
	if pageTmpl.Get().Lookup("page") == nil {
		t.Error("pageTmpl has no page template")
	}
	if got := statusText.Get()[404]; got != "404" {
		t.Errorf("statusText[404] = %q", got)
	}
}
