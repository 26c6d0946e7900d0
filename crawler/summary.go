package crawler

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gisa-news/gisa/table"
)

// Counts is what happened to one outlet's URLs in a run.
type Counts struct {
	Discovered  int            `json:"discovered"`   // article URLs newly queued
	Requests    int            `json:"requests"`     // HTTP requests answered or failed (robots.txt excluded)
	Fetched     int            `json:"fetched"`      // 200 responses
	NotModified int            `json:"not_modified"` // 304 to a conditional GET
	New         int            `json:"new"`          // articles stored for the first time
	Updated     int            `json:"updated"`      // articles that changed: a new revision
	Unchanged   int            `json:"unchanged"`    // fetched again, same content
	NotArticle  int            `json:"not_article"`  // pages the parser found no article in
	Undated     int            `json:"undated"`      // articles stored (new or updated) with no publication time, filed under their fetch day
	Robots      int            `json:"skipped_robots"`
	OutOfScope  int            `json:"out_of_scope"`
	Redirects   int            `json:"redirects"` // answered with a redirect, whose target was queued
	Retries     int            `json:"retries"`
	Failed      map[string]int `json:"failed"` // by reason, after the last attempt
	// Limited counts what a limit cut, by limit: sitemap entries past the
	// protocol's 50,000, sitemaps of an index nested too deep.
	Limited map[string]int `json:"limited,omitempty"`
}

// Limits that cut discovery, the keys of Counts.Limited.
const (
	limitSitemapURLs  = "sitemap entries past 50,000"
	limitSitemapDepth = "sitemap index too deep"
)

func (c *Counts) limit(what string, n int) {
	if c.Limited == nil {
		c.Limited = map[string]int{}
	}
	c.Limited[what] += n
}

// FailedTotal is the number of URLs that failed for any reason.
func (c Counts) FailedTotal() int {
	n := 0
	for _, v := range c.Failed {
		n += v
	}
	return n
}

func (c *Counts) add(o *Counts) {
	c.Discovered += o.Discovered
	c.Requests += o.Requests
	c.Fetched += o.Fetched
	c.NotModified += o.NotModified
	c.New += o.New
	c.Updated += o.Updated
	c.Unchanged += o.Unchanged
	c.NotArticle += o.NotArticle
	c.Undated += o.Undated
	c.Robots += o.Robots
	c.OutOfScope += o.OutOfScope
	c.Retries += o.Retries
	c.Redirects += o.Redirects
	for k, v := range o.Failed {
		if c.Failed == nil {
			c.Failed = map[string]int{}
		}
		c.Failed[k] += v
	}
	for k, v := range o.Limited {
		c.limit(k, v)
	}
}

// Summary is the report of one run. It is safe for concurrent use while the
// run goes on; read it after Run returns.
type Summary struct {
	Started  time.Time          `json:"started"`
	Finished time.Time          `json:"finished"`
	Stopped  string             `json:"stopped"` // done, interrupted, max-duration, max-articles, error (the archive refused writes)
	Outlets  map[string]*Counts `json:"outlets"`
	// HostsSkipped names the hosts not crawled in this run and why
	// (robots.txt unavailable, asked to wait past this run, a robots.txt
	// Crawl-delay longer than retry_max: their URLs wait for the next run;
	// portal host refused).
	HostsSkipped map[string]string `json:"hosts_skipped"`
	mu           sync.Mutex
}

func (s *Summary) skipHost(host, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.HostsSkipped[host] = reason
}

func newSummary(now time.Time) *Summary {
	return &Summary{Started: now, Outlets: map[string]*Counts{}, HostsSkipped: map[string]string{}}
}

func (s *Summary) count(outlet string, f func(*Counts)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.Outlets[outlet]
	if c == nil {
		c = &Counts{}
		s.Outlets[outlet] = c
	}
	f(c)
}

// Total sums every outlet.
func (s *Summary) Total() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	var t Counts
	for _, c := range s.Outlets {
		t.add(c)
	}
	return t
}

// WriteTable writes the summary as a table, one row per outlet and a total.
func (s *Summary) WriteTable(w io.Writer) error {
	tw := table.NewWriter(w, 2, table.AlignRight)
	fmt.Fprintln(tw, "outlet\tdiscovered\tfetched\tnot modified\tnew\tupdated\tunchanged\tundated\tnot article\trobots\tretries\tfailed\t")
	row := func(name string, c Counts) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", name, c.Discovered, c.Fetched, c.NotModified, c.New, c.Updated, c.Unchanged, c.Undated, c.NotArticle, c.Robots, c.Retries, c.FailedTotal())
	}
	s.mu.Lock()
	ids := slices.Sorted(maps.Keys(s.Outlets))
	rows := make([]Counts, len(ids))
	for i, id := range ids {
		rows[i] = *s.Outlets[id]
	}
	s.mu.Unlock()
	for i, id := range ids {
		row(id, rows[i])
	}
	t := s.Total()
	row("total", t)
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(t.Failed) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(t.Failed)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, t.Failed[k]))
		}
		if _, err := fmt.Fprintf(w, "failed: %s\n", strings.Join(parts, ", ")); err != nil {
			return err
		}
	}
	if len(t.Limited) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(t.Limited)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, t.Limited[k]))
		}
		if _, err := fmt.Fprintf(w, "cut by limits: %s\n", strings.Join(parts, ", ")); err != nil {
			return err
		}
	}
	s.mu.Lock()
	reasons := map[string]int{}
	for _, r := range s.HostsSkipped {
		reasons[r]++
	}
	s.mu.Unlock()
	if len(reasons) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(reasons)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, reasons[k]))
		}
		if _, err := fmt.Fprintf(w, "hosts skipped: %s\n", strings.Join(parts, ", ")); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "stopped: %s after %s\n", s.Stopped, s.Finished.Sub(s.Started).Round(time.Millisecond))
	return err
}
