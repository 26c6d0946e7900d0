package crawler_test

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/parser"
)

// heapAtAdd is a frontier that measures the live heap, after a garbage
// collection, at each Add of articles.
type heapAtAdd struct {
	*frontier.Store
	max uint64
}

func (h *heapAtAdd) Add(items ...frontier.Item) (int, error) {
	if len(items) > 0 && items[0].Kind == frontier.KindArticle {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		h.max = max(h.max, ms.HeapAlloc)
	}
	return h.Store.Add(items...)
}

// TestSitemapQueuedInChunks: the URLs of a sitemap go into the frontier a
// chunk at a time, without a copy of all its links and all their items
// beside its parse. Eight workers each reading a 50,000-URL sitemap held
// 200 MB that way (321 MB of heap, 411 MB peak RSS, for a 10^6-URL sitemap
// index). For 25,000 URLs the live heap while they are queued grew by
// 6.1 MB before, 3.5 MB now: the parsed sitemap itself.
func TestSitemapQueuedInChunks(t *testing.T) {
	const n = 25000
	site := newBenchSite(t, n, true)
	set, prof := site.profiles(t)
	p, err := parser.New(parser.Options{Profiles: set})
	if err != nil {
		t.Fatal(err)
	}
	st, err := frontier.Open(filepath.Join(t.TempDir(), "state"), frontier.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	front := &heapAtAdd{Store: st}
	cfg := benchConfig(prof, 1)
	cfg.MaxArticles = 1
	c, err := crawler.New(cfg, p, front, &discardSink{}, set)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	sum, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Total().Discovered; got != n {
		t.Fatalf("discovered %d URLs, want %d", got, n)
	}
	// The sitemap's body (1.4 MB) and its parse (25,000 links, about
	// 2 MB) are live while its URLs are queued; all its links and items
	// beside them were 2.6 MB more.
	const limit = 4.5 * (1 << 20)
	if grew := int64(front.max) - int64(base); grew > limit {
		t.Errorf("live heap while queueing a %d-URL sitemap: %.1f MB over the start, want at most %.1f MB", n, float64(grew)/(1<<20), limit/(1<<20))
	} else {
		t.Logf("live heap while queueing: %.1f MB over the start", float64(grew)/(1<<20))
	}
}
