package frontier

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gisa-news/gisa/internal/redistest"
)

// TestRedisGate: two workers' gates for one host space their requests as
// one (each slot at least the delay after the previous, whoever took it),
// a Hold or a longer Crawl-delay from one holds for the other, and the
// concurrency cap counts both workers' requests in flight.
func TestRedisGate(t *testing.T) {
	ctx := t.Context()
	srv := redistest.Start(t, redistest.Options{})
	a := openRedisTest(t, srv, RedisOptions{})
	b := openRedisTest(t, srv, RedisOptions{})
	const h, delay = "news.example.com", 60 * time.Millisecond
	ga, gb := a.Gate(h, delay, 4), b.Gate(h, delay, 4)

	var mu sync.Mutex
	var taken []time.Time
	var wg sync.WaitGroup
	for _, g := range []*RedisGate{ga, gb, ga, gb} {
		wg.Go(func() {
			for range 2 {
				release, err := g.Wait(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				taken = append(taken, time.Now())
				mu.Unlock()
				release()
			}
		})
	}
	wg.Wait()
	slices.SortFunc(taken, func(x, y time.Time) int { return x.Compare(y) })
	for i := 1; i < len(taken); i++ {
		// The server's clock takes the slots; allow the local clock 5ms
		// of skew between two reads.
		if gap := taken[i].Sub(taken[i-1]); gap < delay-5*time.Millisecond {
			t.Errorf("slot %d came %v after the previous, want ≥ %v", i, gap, delay)
		}
	}

	// A Retry-After seen by a holds b.
	until := time.Now().Add(300 * time.Millisecond)
	if err := ga.Hold(ctx, until); err != nil {
		t.Fatal(err)
	}
	release, err := gb.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if now := time.Now(); now.Before(until.Add(-5 * time.Millisecond)) {
		t.Errorf("b passed at %v, before a's hold ended at %v", now, until)
	}
	release()

	// A Crawl-delay read by b spaces a's requests.
	if err := gb.SetDelay(ctx, 250*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	r1, _ := ga.Wait(ctx)
	t1 := time.Now()
	r1()
	r2, _ := ga.Wait(ctx)
	if gap := time.Since(t1); gap < 245*time.Millisecond {
		t.Errorf("after b's Crawl-delay, a's requests %v apart", gap)
	}
	r2()

	// Concurrency 1 across workers: b waits until a releases.
	ca, cb := a.Gate("one.example.com", 0, 1), b.Gate("one.example.com", 0, 1)
	ra, err := ca.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan func(), 1)
	go func() {
		rb, err := cb.Wait(ctx)
		if err != nil {
			t.Error(err)
		}
		got <- rb
	}()
	select {
	case <-got:
		t.Fatal("b took a slot while a held the only one")
	case <-time.After(200 * time.Millisecond):
	}
	ra()
	(<-got)()
}

// TestRedisRobots: a robots.txt answer stored by one worker is read by
// another until it expires.
func TestRedisRobots(t *testing.T) {
	ctx := t.Context()
	srv := redistest.Start(t, redistest.Options{})
	a := openRedisTest(t, srv, RedisOptions{})
	b := openRedisTest(t, srv, RedisOptions{})
	if _, _, ok, err := b.Robots(ctx, "news.example.com"); ok || err != nil {
		t.Fatalf("empty cache: ok %v, %v", ok, err)
	}
	body := []byte("User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n")
	if err := a.PutRobots(ctx, "news.example.com", 200, body, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := a.PutRobots(ctx, "gone.example.com", 404, nil, time.Hour); err != nil {
		t.Fatal(err)
	}
	status, got, ok, err := b.Robots(ctx, "news.example.com")
	if err != nil || !ok || status != 200 || string(got) != string(body) {
		t.Errorf("b reads %d %q %v %v", status, got, ok, err)
	}
	if status, got, ok, _ := b.Robots(ctx, "gone.example.com"); !ok || status != 404 || len(got) != 0 {
		t.Errorf("a 404 answer reads %d %q %v", status, got, ok)
	}
	eventually(t, "entry expired", func() bool {
		_, _, ok, err := b.Robots(ctx, "news.example.com")
		return err == nil && !ok
	})
	if err := a.PutRobots(ctx, "x", 42, nil, time.Hour); err == nil {
		t.Error("status 42 stored")
	}
}
