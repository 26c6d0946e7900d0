package discover

import (
	"testing"

	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/gisa-news/gisa/internal/lazy/lazytest"
)

// lazyRegexps are the package's lazily compiled patterns, by name.
func lazyRegexps() map[string]*lazy.Regexp {
	return map[string]*lazy.Regexp{
		"urlDayRe": urlDayRe, "urlMonthRe": urlMonthRe, "urlYearSegRe": urlYearSegRe,
		"numericDateRe": numericDateRe, "koreanDateRe": koreanDateRe, "partialDateRe": partialDateRe,
		"compactDateRe": compactDateRe, "weekdayRe": weekdayRe, "zoneRe": zoneRe, "tagRe": tagRe,
		"entityRe": entityRe, "textDateRe": textDateRe, "textKoreanDateRe": textKoreanDateRe,
		"pagePathRe": pagePathRe, "declEncodingRe": declEncodingRe,
	}
}

// TestLazyAtStart checks that every lazy pattern compiles (a bad one
// would otherwise panic only when a crawl first reaches it) and that
// loading the package compiles none of them (they were 264 KB in 2,139
// allocations of every gisa command's start-up).
func TestLazyAtStart(t *testing.T) {
	lazytest.Regexps(t, "TestLazyAtStart", lazyRegexps())
}
