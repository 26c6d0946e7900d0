package frontier

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func openTest(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", "frontier.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func mustAdd(t testing.TB, s conformer, items ...Item) int {
	t.Helper()
	n, err := s.Add(items...)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func mustLease(t testing.TB, s conformer, host string, now time.Time, n int) ([]Item, time.Time) {
	t.Helper()
	items, wait, err := s.Lease(host, now, n)
	if err != nil {
		t.Fatal(err)
	}
	return items, wait
}

func urlsOf(items []Item) []string {
	var us []string
	for _, it := range items {
		us = append(us, it.URL)
	}
	return us
}

func mustStats(t testing.TB, s conformer) Stats {
	t.Helper()
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestLeaseOrder(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		u := func(p string) string { return "https://news.example.com/" + p }
		mustAdd(t, s,
			Item{URL: u("undated-1"), Kind: KindArticle, Priority: 1},
			Item{URL: u("old"), Kind: KindArticle, Priority: 1, Published: t0.Add(-2 * time.Hour)},
			Item{URL: u("feed"), Kind: KindFeed, Priority: 0},
			Item{URL: u("new"), Kind: KindArticle, Priority: 1, Published: t0},
			Item{URL: u("undated-2"), Kind: KindArticle, Priority: 1},
			Item{URL: u("low"), Kind: KindArticle, Priority: 5, Published: t0.Add(time.Hour)},
			Item{URL: u("same-time-1"), Kind: KindArticle, Priority: 1, Published: t0.Add(-time.Hour)},
			Item{URL: u("same-time-2"), Kind: KindArticle, Priority: 1, Published: t0.Add(-time.Hour)},
			Item{URL: u("urgent"), Kind: KindSitemap, Priority: -3},
			Item{URL: u("pre-epoch"), Kind: KindArticle, Priority: 1, Published: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)},
			Item{URL: u("far-future"), Kind: KindArticle, Priority: 1, Published: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
			Item{URL: "https://other.example.com/x", Kind: KindArticle, Priority: -10},
		)
		want := []string{
			u("urgent"), u("feed"),
			u("far-future"), u("new"), u("same-time-1"), u("same-time-2"), u("old"), u("pre-epoch"),
			u("undated-1"), u("undated-2"),
			u("low"),
		}
		var got []string
		for _, n := range []int{1, 3, 100} { // several leases continue where the last stopped
			items, wait := mustLease(t, s, "NEWS.example.com", t0, n)
			if !wait.IsZero() {
				t.Errorf("wait = %v, want zero", wait)
			}
			for _, it := range items {
				if it.Host != "news.example.com" {
					t.Errorf("%s: Host = %q", it.URL, it.Host)
				}
			}
			got = append(got, urlsOf(items)...)
		}
		if !slices.Equal(got, want) {
			t.Errorf("lease order\n got %q\nwant %q", got, want)
		}
		if items, _ := mustLease(t, s, "news.example.com", t0, 10); len(items) != 0 {
			t.Errorf("leased %q from an empty host", urlsOf(items))
		}
		if _, _, err := s.Lease("news.example.com", t0, 0); err == nil {
			t.Error("Lease with n = 0: no error")
		}
	})
}

func TestLeaseKeepsFields(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		in := Item{
			URL: "HTTPS://News.Example.com:443/a?utm_source=x#y", Host: "ignored", Outlet: "yna", Kind: KindSection,
			Priority: 7, Published: t0.In(time.FixedZone("KST", 9*3600)), NotBefore: t0.Add(-time.Minute),
			Attempts: 2, Depth: 3, Recheck: true,
		}
		mustAdd(t, s, in)
		items, _ := mustLease(t, s, "news.example.com", t0, 1)
		if len(items) != 1 {
			t.Fatalf("leased %d items", len(items))
		}
		got := items[0]
		want := in
		want.URL, want.Host = "https://news.example.com/a", "news.example.com"
		if !got.Published.Equal(want.Published) || !got.NotBefore.Equal(want.NotBefore) {
			t.Errorf("times %v %v, want %v %v", got.Published, got.NotBefore, want.Published, want.NotBefore)
		}
		got.Published, got.NotBefore, want.Published, want.NotBefore = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		got.seq, want.seq = 0, 0
		if got != want {
			t.Errorf("leased\n %+v\nwant\n %+v", got, want)
		}
	})
}

func TestAddDedupe(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		const art = "https://news.example.com/article/1"
		const feed = "https://news.example.com/rss"
		if n := mustAdd(t, s,
			Item{URL: art, Kind: KindArticle},
			Item{URL: art + "?utm_source=tw#comments", Kind: KindArticle}, // same after Normalize, same call
			Item{URL: feed, Kind: KindFeed},
		); n != 2 {
			t.Fatalf("added %d, want 2", n)
		}
		if n := mustAdd(t, s, Item{URL: "HTTPS://NEWS.example.com/article/1", Kind: KindArticle}); n != 0 {
			t.Errorf("queued URL added again: %d", n)
		}
		items, _ := mustLease(t, s, "news.example.com", t0, 10)
		if len(items) != 2 {
			t.Fatalf("leased %d, want 2", len(items))
		}
		if n := mustAdd(t, s, Item{URL: art, Kind: KindArticle}, Item{URL: feed, Kind: KindFeed}); n != 0 {
			t.Errorf("leased URLs added again: %d", n)
		}
		for _, it := range items {
			if err := s.Done(it, &Record{Status: 200, LastFetched: t0}); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name string
			it   Item
			want int
		}{
			{"recorded article skipped", Item{URL: art, Kind: KindArticle}, 0},
			{"recorded article with Recheck", Item{URL: art, Kind: KindArticle, Recheck: true}, 1},
			{"Recheck of a queued article skipped", Item{URL: art, Kind: KindArticle, Recheck: true}, 0},
			{"recorded feed queued again", Item{URL: feed, Kind: KindFeed}, 1},
			{"queued feed skipped", Item{URL: feed, Kind: KindFeed}, 0},
			{"new URL", Item{URL: art + "?page=2", Kind: KindArticle}, 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if n := mustAdd(t, s, tt.it); n != tt.want {
					t.Errorf("added %d, want %d", n, tt.want)
				}
			})
		}
		if st := mustStats(t, s); st != (Stats{Queued: 3, Leased: 0, Records: 2}) {
			t.Errorf("stats %+v", st)
		}
	})
}

func TestAddErrors(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		tests := []struct {
			name  string
			items []Item
			want  string
		}{
			{"bad URL", []Item{{URL: "https://ok.example.com/", Kind: KindFeed}, {URL: "ftp://x/", Kind: KindFeed}}, `"ftp://x/"`},
			{"relative URL", []Item{{URL: "/a/b", Kind: KindArticle}}, `"/a/b"`},
			{"unknown kind", []Item{{URL: "https://ok.example.com/", Kind: "page"}}, `https://ok.example.com/: unknown kind "page"`},
			{"empty kind", []Item{{URL: "https://ok.example.com/"}}, `unknown kind ""`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n, err := s.Add(tt.items...)
				if err == nil || n != 0 {
					t.Fatalf("Add = %d, %v; want an error", n, err)
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %q does not contain %q", err, tt.want)
				}
			})
		}
		if st := mustStats(t, s); st.Queued != 0 {
			t.Errorf("a failed Add queued %d items", st.Queued)
		}
		if n, err := s.Add(); n != 0 || err != nil {
			t.Errorf("Add() = %d, %v", n, err)
		}
	})
}

func TestNotBeforeAndWait(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		const h = "news.example.com"
		u := func(p string) string { return "https://" + h + "/" + p }
		mustAdd(t, s,
			Item{URL: u("now"), Kind: KindArticle},
			Item{URL: u("in-1h"), Kind: KindArticle, NotBefore: t0.Add(time.Hour), Priority: -1},
			Item{URL: u("in-2h"), Kind: KindArticle, NotBefore: t0.Add(2 * time.Hour), Priority: -2},
			Item{URL: u("past"), Kind: KindArticle, NotBefore: t0.Add(-time.Hour), Priority: 1},
			Item{URL: u("exactly-now"), Kind: KindArticle, NotBefore: t0, Priority: 2},
			Item{URL: u("in-1ns"), Kind: KindArticle, NotBefore: t0.Add(time.Nanosecond), Priority: -5},
		)
		if hs, err := s.Hosts(); err != nil || !slices.Equal(hs, []string{h}) {
			t.Fatalf("Hosts = %q, %v", hs, err)
		}
		items, wait := mustLease(t, s, h, t0, 10)
		if got, want := urlsOf(items), []string{u("now"), u("past"), u("exactly-now")}; !slices.Equal(got, want) {
			t.Errorf("at t0 leased %q, want %q", got, want)
		}
		if !wait.Equal(t0.Add(time.Nanosecond)) {
			t.Errorf("wait = %v, want t0+1ns", wait)
		}
		// Not-ready items keep the host listed.
		if hs, _ := s.Hosts(); !slices.Equal(hs, []string{h}) {
			t.Errorf("Hosts = %q with only delayed items", hs)
		}
		items, wait = mustLease(t, s, h, t0.Add(90*time.Minute), 10)
		if got, want := urlsOf(items), []string{u("in-1ns"), u("in-1h")}; !slices.Equal(got, want) {
			t.Errorf("at t0+90m leased %q, want %q", got, want)
		}
		if !wait.Equal(t0.Add(2 * time.Hour)) {
			t.Errorf("wait = %v, want t0+2h", wait)
		}
		items, wait = mustLease(t, s, h, t0.Add(3*time.Hour), 10)
		if got, want := urlsOf(items), []string{u("in-2h")}; !slices.Equal(got, want) || !wait.IsZero() {
			t.Errorf("at t0+3h leased %q wait %v, want %q and zero", got, wait, want)
		}
		if hs, _ := s.Hosts(); len(hs) != 0 {
			t.Errorf("Hosts = %q with everything leased", hs)
		}
	})
}

func TestHosts(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		if hs, err := s.Hosts(); err != nil || len(hs) != 0 {
			t.Fatalf("empty store: Hosts = %q, %v", hs, err)
		}
		mustAdd(t, s,
			Item{URL: "https://b.example.com/1", Kind: KindArticle},
			Item{URL: "https://b.example.com/2", Kind: KindArticle},
			Item{URL: "https://a.example.com/1", Kind: KindFeed, NotBefore: t0.Add(time.Hour)},
			Item{URL: "https://a.example.com:8443/1", Kind: KindFeed},
			Item{URL: "https://a.example.com.kr/1", Kind: KindFeed},
			Item{URL: "https://c.example.com/1", Kind: KindFeed},
		)
		want := []string{"a.example.com", "a.example.com.kr", "a.example.com:8443", "b.example.com", "c.example.com"}
		if hs, err := s.Hosts(); err != nil || !slices.Equal(hs, want) {
			t.Errorf("Hosts = %q, %v; want %q", hs, err, want)
		}
		mustLease(t, s, "c.example.com", t0, 5)
		if hs, _ := s.Hosts(); !slices.Equal(hs, want[:4]) {
			t.Errorf("after leasing c: Hosts = %q", hs)
		}
		items, _ := mustLease(t, s, "a.example.com:8443", t0, 5)
		if len(items) != 1 {
			t.Errorf("leased %d from a host with a port", len(items))
		}
	})
}

func TestDoneRetryRelease(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		const h = "news.example.com"
		u := func(p string) string { return "https://" + h + "/" + p }
		mustAdd(t, s,
			Item{URL: u("a"), Kind: KindArticle, Priority: 1},
			Item{URL: u("b"), Kind: KindArticle, Priority: 2},
			Item{URL: u("c"), Kind: KindArticle, Priority: 3},
			Item{URL: u("d"), Kind: KindArticle, Priority: 4},
		)
		items, _ := mustLease(t, s, h, t0, 4)
		a, b, c, d := items[0], items[1], items[2], items[3]

		// Done twice: one removal, one record, no error.
		for range 2 {
			if err := s.Done(a, &Record{Status: 200, LastFetched: t0}); err != nil {
				t.Fatal(err)
			}
		}
		// Retry twice: one more attempt, not two.
		for range 2 {
			if err := s.Retry(b, t0.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		// Release twice, and Retry and Done of nothing.
		for range 2 {
			if err := s.Release(c, d); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Retry(c, t0.Add(time.Hour)); err != nil { // c is queued now: no change
			t.Fatal(err)
		}
		if err := s.Done(Item{URL: u("never-added")}, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.Release(Item{URL: u("never-added")}); err != nil {
			t.Fatal(err)
		}
		if st := mustStats(t, s); st != (Stats{Queued: 3, Leased: 0, Records: 1}) {
			t.Errorf("stats %+v", st)
		}

		items, wait := mustLease(t, s, h, t0, 10)
		if got, want := urlsOf(items), []string{u("c"), u("d")}; !slices.Equal(got, want) {
			t.Errorf("leased %q, want %q", got, want)
		}
		if items[0].Attempts != 0 || !items[0].NotBefore.IsZero() || items[0].Priority != 3 {
			t.Errorf("released item changed: %+v", items[0])
		}
		if !wait.Equal(t0.Add(time.Minute)) {
			t.Errorf("wait %v, want t0+1m", wait)
		}
		items, _ = mustLease(t, s, h, t0.Add(time.Minute), 10)
		if len(items) != 1 || items[0].URL != u("b") || items[0].Attempts != 1 || !items[0].NotBefore.Equal(t0.Add(time.Minute)) {
			t.Fatalf("retried item: %+v", items)
		}
		// Retry with a zero time: ready at once.
		if err := s.Retry(items[0], time.Time{}); err != nil {
			t.Fatal(err)
		}
		items, _ = mustLease(t, s, h, t0, 10)
		if len(items) != 1 || items[0].Attempts != 2 {
			t.Fatalf("retried item: %+v", items)
		}
		// Done removes a URL that was released and queued again meanwhile.
		if err := s.Release(items[0]); err != nil {
			t.Fatal(err)
		}
		if err := s.Done(items[0], nil); err != nil {
			t.Fatal(err)
		}
		if st := mustStats(t, s); st != (Stats{Queued: 0, Leased: 2, Records: 1}) {
			t.Errorf("stats %+v", st)
		}
		// Done and Retry with a URL that does not normalize.
		if err := s.Done(Item{URL: "::"}, nil); !errors.Is(err, ErrInvalidURL) {
			t.Errorf("Done of a bad URL: %v", err)
		}
		if err := s.Retry(Item{URL: "::"}, t0); !errors.Is(err, ErrInvalidURL) {
			t.Errorf("Retry of a bad URL: %v", err)
		}
		if err := s.Release(c, Item{URL: "::"}); !errors.Is(err, ErrInvalidURL) {
			t.Errorf("Release of a bad URL: %v", err)
		}
		if st := mustStats(t, s); st.Leased != 2 {
			t.Errorf("a failed Release released items: %+v", st)
		}
	})
}

func TestRecords(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		const u = "https://news.example.com/article/7"
		mustAdd(t, s, Item{URL: u + "?sid=101", Kind: KindArticle, Outlet: "yna"})
		items, _ := mustLease(t, s, "news.example.com", t0, 1)

		if _, ok, err := s.Record(u); ok || err != nil {
			t.Fatalf("Record before Done: ok %v, %v", ok, err)
		}
		first := Record{
			Status: 200, ETag: `"v1"`, LastModified: "Sat, 01 Mar 2025 09:00:00 GMT",
			ContentHash: "h1", ArticleID: "yna-7", Published: t0.Add(-time.Hour), LastFetched: t0,
		}
		if err := s.Done(items[0], &first); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Record("HTTPS://news.example.com/article/7#x")
		if err != nil || !ok {
			t.Fatalf("Record: ok %v, %v", ok, err)
		}
		want := first
		want.URL, want.Outlet, want.Kind, want.FirstFetched = u, "yna", KindArticle, t0
		if !sameRecord(got, want) {
			t.Errorf("first record\n got %+v\nwant %+v", got, want)
		}

		// A recheck changes the content: FirstFetched stays, the rest is replaced.
		mustAdd(t, s, Item{URL: u, Kind: KindArticle, Recheck: true, Outlet: "yna"})
		items, _ = mustLease(t, s, "news.example.com", t0, 1)
		second := Record{
			URL: "ignored", Status: 200, ETag: `"v2"`, ContentHash: "h2", ArticleID: "yna-7",
			Published: t0.Add(-time.Hour), FirstFetched: t0.Add(time.Hour), LastFetched: t0.Add(2 * time.Hour), Revisions: 1,
		}
		if err := s.Done(items[0], &second); err != nil {
			t.Fatal(err)
		}
		got, _, _ = s.Record(u)
		want = second
		want.URL, want.Outlet, want.Kind, want.FirstFetched = u, "yna", KindArticle, t0
		if !sameRecord(got, want) {
			t.Errorf("merged record\n got %+v\nwant %+v", got, want)
		}
		if _, _, err := s.Record("not a url"); !errors.Is(err, ErrInvalidURL) {
			t.Errorf("Record of a bad URL: %v", err)
		}
		if err := s.Done(Item{URL: u}, &Record{Kind: "weird"}); err == nil {
			t.Error("Done with a record of unknown kind: no error")
		}
	})
}

func sameRecord(a, b Record) bool {
	times := func(r *Record) []time.Time {
		ts := []time.Time{r.Published, r.FirstFetched, r.LastFetched}
		r.Published, r.FirstFetched, r.LastFetched = time.Time{}, time.Time{}, time.Time{}
		return ts
	}
	ta, tb := times(&a), times(&b)
	return a == b && slices.EqualFunc(ta, tb, time.Time.Equal)
}

func TestRecent(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		type fetch struct {
			path      string
			kind      Kind
			published time.Time
			fetched   time.Time
		}
		fetches := []fetch{
			{"old", KindArticle, t0.Add(-48 * time.Hour), t0},
			{"yesterday", KindArticle, t0.Add(-20 * time.Hour), t0},
			{"undated-fetched-now", KindArticle, time.Time{}, t0},
			{"undated-fetched-long-ago", KindArticle, time.Time{}, t0.Add(-72 * time.Hour)},
			{"feed", KindFeed, time.Time{}, t0},
			{"recent", KindArticle, t0.Add(-time.Hour), t0},
		}
		for _, f := range fetches {
			u := "https://news.example.com/" + f.path
			mustAdd(t, s, Item{URL: u, Kind: f.kind})
		}
		items, _ := mustLease(t, s, "news.example.com", t0, 100)
		for i, it := range items {
			f := fetches[i]
			if err := s.Done(it, &Record{Status: 200, Published: f.published, LastFetched: f.fetched}); err != nil {
				t.Fatal(err)
			}
		}
		// Re-fetching "old" with a corrected date moves it in the index.
		mustAdd(t, s, Item{URL: "https://news.example.com/old", Kind: KindArticle, Recheck: true})
		items, _ = mustLease(t, s, "news.example.com", t0, 1)
		if err := s.Done(items[0], &Record{Status: 200, Published: t0.Add(-2 * time.Hour), LastFetched: t0}); err != nil {
			t.Fatal(err)
		}

		recent := func(since time.Time) []string {
			var got []string
			err := s.Recent(since, func(r Record) error {
				got = append(got, strings.TrimPrefix(r.URL, "https://news.example.com/"))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		tests := []struct {
			since time.Time
			want  []string
		}{
			{t0.Add(-24 * time.Hour), []string{"yesterday", "old", "recent", "undated-fetched-now"}},
			{t0.Add(-time.Hour), []string{"recent", "undated-fetched-now"}},
			{t0, []string{"undated-fetched-now"}},
			{t0.Add(time.Second), nil},
			{time.Time{}, []string{"undated-fetched-long-ago", "yesterday", "old", "recent", "undated-fetched-now"}},
		}
		for _, tt := range tests {
			if got := recent(tt.since); !slices.Equal(got, tt.want) {
				t.Errorf("Recent(%v) = %q, want %q", tt.since, got, tt.want)
			}
		}
		stop := errors.New("stop")
		n := 0
		err := s.Recent(time.Time{}, func(Record) error { n++; return stop })
		if err != stop || n != 1 {
			t.Errorf("Recent with a failing fn: %v after %d calls", err, n)
		}
	})
}

func TestRecentPages(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		const total = 2*recentPage + 17
		items := make([]Item, total)
		for i := range items {
			items[i] = Item{URL: fmt.Sprintf("https://news.example.com/%d", i), Kind: KindArticle}
		}
		mustAdd(t, s, items...)
		leased, _ := mustLease(t, s, "news.example.com", t0, total)
		for i, it := range leased {
			// Half the records share one time, so pages split within equal times.
			pub := t0.Add(time.Duration(i/2) * time.Minute)
			if err := s.Done(it, &Record{Status: 200, Published: pub, LastFetched: t0}); err != nil {
				t.Fatal(err)
			}
		}
		seen := map[string]bool{}
		var last time.Time
		err := s.Recent(time.Time{}, func(r Record) error {
			if seen[r.URL] {
				t.Errorf("%s twice", r.URL)
			}
			seen[r.URL] = true
			if r.Published.Before(last) {
				t.Errorf("%s out of order", r.URL)
			}
			last = r.Published
			// fn may use the store.
			_, _, err := s.Record(r.URL)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != total {
			t.Errorf("Recent saw %d records, want %d", len(seen), total)
		}
	})
}

// TestConcurrent leases and reports items from several goroutines; every
// item must be handed out exactly once.
func TestConcurrent(t *testing.T) {
	conform(t, func(t *testing.T, s conformer) {
		const hosts, perHost, workers = 4, 150, 8
		var items []Item
		for h := range hosts {
			for i := range perHost {
				items = append(items, Item{URL: fmt.Sprintf("https://h%d.example.com/%d", h, i), Kind: KindArticle})
			}
		}
		mustAdd(t, s, items...)
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				host := fmt.Sprintf("h%d.example.com", w%hosts)
				for {
					got, _, err := s.Lease(host, t0, 3)
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					for i, it := range got {
						mu.Lock()
						seen[it.URL]++
						retry := seen[it.URL] == 1 && i == 0
						mu.Unlock()
						if retry {
							err = s.Retry(it, time.Time{})
						} else {
							err = s.Done(it, &Record{Status: 200, LastFetched: t0})
						}
						if err != nil {
							errs <- err
							return
						}
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(seen) != hosts*perHost {
			t.Errorf("saw %d URLs, want %d", len(seen), hosts*perHost)
		}
		if st := mustStats(t, s); st != (Stats{Queued: 0, Leased: 0, Records: hosts * perHost}) {
			t.Errorf("stats %+v", st)
		}
	})
}

func TestOpenInUse(t *testing.T) {
	s, path := openTest(t)
	start := time.Now()
	s2, err := Open(path, Options{LockTimeout: 200 * time.Millisecond})
	if err == nil {
		_ = s2.Close()
		t.Fatal("second Open of the same file succeeded")
	}
	if !errors.Is(err, ErrInUse) {
		t.Errorf("error %v does not wrap ErrInUse", err)
	}
	if want := "state " + path + " is in use by another gisa process"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("gave up after %v, before the lock timeout", d)
	}
	// Once the first is closed, the file opens.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Stats(); err == nil {
		t.Error("Stats after Close: no error")
	}
	s3, err := Open(path, Options{LockTimeout: -1})
	if err != nil {
		t.Fatal(err)
	}
	_ = s3.Close()
}

func TestOpenNotFrontier(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	boltFile := func(name string, fn func(*bolt.Tx) error) string {
		p := filepath.Join(dir, name)
		db, err := bolt.Open(p, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(fn); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		path string
		want string
	}{
		{"text file", write("notes.txt", []byte(strings.Repeat("기사 news\n", 2000))), "invalid database"},
		{"short file", write("short", []byte("hello")), "not a gisa frontier"},
		{"zero page", write("zeros", make([]byte, 64<<10)), "not a gisa frontier"},
		{"other bbolt file", boltFile("other.db", func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket([]byte("widgets"))
			return err
		}), `bucket "widgets" and no meta bucket`},
		{"newer format", boltFile("newer.db", func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			return b.Put(metaFormat, []byte("99"))
		}), `format "99"`},
		{"directory", t.TempDir(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(tt.path, Options{})
			if err == nil {
				_ = s.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("error %q does not name the path", err)
			}
			if tt.want == "" {
				return
			}
			if !errors.Is(err, ErrNotFrontier) {
				t.Errorf("error %v does not wrap ErrNotFrontier", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}

	// An empty file, and an empty bbolt file, become a new frontier.
	for _, p := range []string{write("empty", nil), boltFile("empty.db", func(*bolt.Tx) error { return nil })} {
		s, err := Open(p, Options{})
		if err != nil {
			t.Fatalf("Open(%s): %v", p, err)
		}
		_ = s.Close()
		if s, err = Open(p, Options{}); err != nil {
			t.Fatalf("reopen %s: %v", p, err)
		}
		_ = s.Close()
	}
}

// TestCorrupt damages values in the file and checks that each is reported
// as an error naming the bucket and key, not a panic.
func TestCorrupt(t *testing.T) {
	const u = "https://news.example.com/a"
	tests := []struct {
		name   string
		bucket []byte
		key    func(tx *bolt.Tx) []byte
		value  []byte
		call   func(s *Store) error
	}{
		{"queue value", bucketQueue, firstKey(bucketQueue), []byte{itemV1, 0x80}, func(s *Store) error {
			_, _, err := s.Lease("news.example.com", t0, 1)
			return err
		}},
		{"queue value of another version", bucketQueue, firstKey(bucketQueue), []byte{9}, func(s *Store) error {
			_, _, err := s.Lease("news.example.com", t0, 1)
			return err
		}},
		{"index value", bucketURLs, fixedKey(u), []byte("x"), func(s *Store) error {
			return s.Done(Item{URL: u}, nil)
		}},
		{"queue key", bucketQueue, fixedKey("no-host-separator"), []byte{1}, func(s *Store) error {
			_, err := s.Hosts()
			return err
		}},
		{"record value", bucketRecords, fixedKey(u), []byte{recordV1, 5, 'a'}, func(s *Store) error {
			_, _, err := s.Record(u)
			return err
		}},
		{"record value under Done", bucketRecords, fixedKey(u), []byte{recordV1, 5, 'a'}, func(s *Store) error {
			return s.Done(Item{URL: u, Kind: KindArticle}, &Record{Status: 200})
		}},
		{"recent key", bucketRecent, fixedKey("short"), []byte{}, func(s *Store) error {
			return s.Recent(time.Time{}, func(Record) error { return nil })
		}},
		{"leased value", bucketLeased, fixedKey(u), []byte{itemV1, 1, 2, 3}, func(s *Store) error {
			return nil // Open fails
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f.db")
			s, err := Open(path, Options{NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			mustAdd(t, s, Item{URL: u, Kind: KindArticle})
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			var key []byte
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(func(tx *bolt.Tx) error {
				key = tt.key(tx)
				return tx.Bucket(tt.bucket).Put(key, tt.value)
			})
			if err != nil {
				t.Fatal(err)
			}
			_ = db.Close()

			s, err = Open(path, Options{NoSync: true})
			if err == nil {
				defer s.Close()
				err = tt.call(s)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v does not wrap ErrCorrupt", err)
			}
			want := fmt.Sprintf("bucket %s key %q", tt.bucket, key)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		})
	}
}

func firstKey(bucket []byte) func(*bolt.Tx) []byte {
	return func(tx *bolt.Tx) []byte {
		k, _ := tx.Bucket(bucket).Cursor().First()
		return slices.Clone(k)
	}
}

func fixedKey(k string) func(*bolt.Tx) []byte {
	return func(*bolt.Tx) []byte { return []byte(k) }
}

func FuzzDecode(f *testing.F) {
	f.Add(encodeItem(&Item{URL: "https://a/", Host: "a", Kind: KindFeed, Published: t0, seq: 3}))
	f.Add(encodeRecord(&Record{URL: "https://a/", ETag: "x", LastFetched: t0, Revisions: 2}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if it, err := decodeItem(b); err == nil {
			if again, err := decodeItem(encodeItem(&it)); err != nil || !sameItem(again, it) {
				t.Fatalf("item does not round-trip: %+v, %v", again, err)
			}
		}
		if r, err := decodeRecord(b); err == nil {
			if again, err := decodeRecord(encodeRecord(&r)); err != nil || !sameRecord(again, r) {
				t.Fatalf("record does not round-trip: %+v, %v", again, err)
			}
		}
	})
}

func sameItem(a, b Item) bool {
	pa, pb, na, nb := a.Published, b.Published, a.NotBefore, b.NotBefore
	a.Published, b.Published, a.NotBefore, b.NotBefore = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b && pa.Equal(pb) && na.Equal(nb)
}
