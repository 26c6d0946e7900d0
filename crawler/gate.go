package crawler

import (
	"context"
	"sync"
	"time"
)

// gate spaces the requests to one host: each caller gets the next free
// slot, delay after the previous one, and waits for it. Workers pass it
// right before sending, so the spacing holds at the wire, whatever time the
// scheduler and the frontier took. It is the piece a shared (Redis) gate
// replaces when several workers crawl one site.
type gate struct {
	mu    sync.Mutex
	next  time.Time
	delay time.Duration
	now   func() time.Time
}

func newGate(delay time.Duration, now func() time.Time) *gate {
	return &gate{delay: delay, now: now}
}

// wait blocks until the gate is free and takes it, or returns ctx's error.
// The next slot counts from the moment the gate is taken, so a late
// wake-up never shortens the gap to the next request.
func (g *gate) wait(ctx context.Context) error {
	for {
		g.mu.Lock()
		now := g.now()
		if !now.Before(g.next) {
			g.next = now.Add(g.delay)
			g.mu.Unlock()
			return nil
		}
		d := g.next.Sub(now)
		g.mu.Unlock()
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// hold keeps the gate shut until t (a Retry-After).
func (g *gate) hold(t time.Time) {
	g.mu.Lock()
	if t.After(g.next) {
		g.next = t
	}
	g.mu.Unlock()
}

// setDelay changes the spacing (a robots.txt Crawl-delay).
func (g *gate) setDelay(d time.Duration) {
	g.mu.Lock()
	if g.next.IsZero() {
		g.next = g.now()
	}
	g.next = g.next.Add(d - g.delay)
	g.delay = d
	g.mu.Unlock()
}
