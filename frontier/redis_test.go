package frontier

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gisa-news/gisa/internal/redistest"
)

// eventually polls cond every 20ms until it holds or 10s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		<-tick.C
	}
}

// TestRedisLeaseExpiry: a worker that dies holding leases (stops renewing)
// loses them once they expire and another worker leases the same items;
// a live worker's leases are renewed and never handed out twice; while
// another worker holds a host's items, the host stays listed.
func TestRedisLeaseExpiry(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	const ttl = 300 * time.Millisecond
	a := openRedisTest(t, srv, RedisOptions{LeaseTTL: ttl})
	b := openRedisTest(t, srv, RedisOptions{LeaseTTL: ttl})
	const h = "news.example.com"
	var in []Item
	for i := range 4 {
		in = append(in, Item{URL: fmt.Sprintf("https://%s/%d", h, i), Kind: KindArticle})
	}
	mustAdd(t, a, in...)
	dead, _ := mustLease(t, a, h, t0, 2)
	live, _ := mustLease(t, b, h, t0, 2)
	if len(dead) != 2 || len(live) != 2 {
		t.Fatalf("leased %d and %d", len(dead), len(live))
	}
	// Everything is leased, half by a: b still lists the host and is told
	// to look again (a may fail its items, or die), so b's crawl does not
	// end before a's.
	if hs, err := b.Hosts(); err != nil || !slices.Equal(hs, []string{h}) {
		t.Errorf("b: Hosts = %q, %v while a holds items; want %q", hs, err, h)
	}
	if items, wait := mustLease(t, b, h, t0, 10); len(items) != 0 || !wait.After(t0) {
		t.Errorf("b: Lease = %d items, wait %v while a holds the rest; want none and a wait", len(items), wait)
	}
	// b's leases are renewed: their expiry moves forward.
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer rdb.Close()
	first := rdb.ZScore(context.Background(), "gisa:leased", live[0].URL).Val()
	eventually(t, "b's lease renewed", func() bool {
		return rdb.ZScore(context.Background(), "gisa:leased", live[0].URL).Val() > first
	})
	// a dies: no renewal, and its items come back to b.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	var got []Item
	eventually(t, "a's leases reclaimed", func() bool {
		if _, err := b.Hosts(); err != nil {
			t.Fatal(err)
		}
		items, _, err := b.Lease(h, t0, 10)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, items...)
		return len(got) >= 2
	})
	if g, w := urlsOf(got), urlsOf(dead); !slices.Equal(g, w) {
		t.Errorf("reclaimed %q, want a's %q", g, w)
	}
	for _, it := range live {
		if slices.Contains(urlsOf(got), it.URL) {
			t.Errorf("b's live lease %s handed out again", it.URL)
		}
	}
	for _, it := range append(got, live...) {
		if err := b.Done(it, &Record{Status: 200, LastFetched: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if st := mustStats(t, b); st != (Stats{Records: 4}) {
		t.Errorf("stats %+v, want 4 records and nothing queued or leased", st)
	}
}

// TestRedisOutage: a call made while the server is down waits, retrying,
// and succeeds once it is back (with its data: persistence on).
func TestRedisOutage(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{Persist: true})
	s := openRedisTest(t, srv, RedisOptions{MaxOutage: 30 * time.Second})
	mustAdd(t, s, Item{URL: "https://news.example.com/1", Kind: KindArticle})
	srv.Stop()
	done := make(chan error, 1)
	go func() {
		_, err := s.Add(Item{URL: "https://news.example.com/2", Kind: KindArticle})
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("Add returned while the server was down: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	srv.Restart()
	if err := <-done; err != nil {
		t.Fatalf("Add after the outage: %v", err)
	}
	if st := mustStats(t, s); st.Queued != 2 {
		t.Errorf("queued %d after the outage, want 2", st.Queued)
	}
}

// TestRedisStateLost: a server restarted without persistence has lost the
// queue; the next call says so (ErrStateLost) instead of carrying on with
// an empty frontier.
func TestRedisStateLost(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	s := openRedisTest(t, srv, RedisOptions{})
	mustAdd(t, s, Item{URL: "https://news.example.com/1", Kind: KindArticle})
	srv.Restart()
	_, _, err := s.Lease("news.example.com", t0, 1)
	if !errors.Is(err, ErrStateLost) {
		t.Fatalf("Lease after the data was lost: %v, want ErrStateLost", err)
	}
	if _, fresh := s.Epoch(); !fresh {
		t.Error("first store on an empty server: not fresh")
	}
	s2 := openRedisTest(t, srv, RedisOptions{})
	if _, fresh := s2.Epoch(); !fresh {
		t.Error("reopened on an empty server: not fresh")
	}
}

// TestRedisCorrupt: a value that does not decode is an error naming the
// key, never a panic.
func TestRedisCorrupt(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	s := openRedisTest(t, srv, RedisOptions{})
	const u = "https://news.example.com/1"
	mustAdd(t, s, Item{URL: u, Kind: KindArticle})
	if _, err := srv.Do("HSET", "gisa:rec", u, "\x01garbage"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Record(u); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Record of a bad value: %v", err)
	}
	if _, err := srv.Do("HSET", "gisa:it", u, "short"); err != nil {
		t.Fatal(err)
	}
	if err := s.Retry(Item{URL: u}, time.Time{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Retry of a bad value: %v", err)
	}
}

// TestRedisAfterClose: a call after Close fails at once; it is not an
// outage to wait out.
func TestRedisAfterClose(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	s := openRedisTest(t, srv, RedisOptions{MaxOutage: 2 * time.Second})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := s.Add(Item{URL: "https://news.example.com/1", Kind: KindArticle})
	if err == nil || strings.Contains(err.Error(), "unreachable") {
		t.Errorf("Add after Close: %v, want a closed-client error, not an outage", err)
	}
}
