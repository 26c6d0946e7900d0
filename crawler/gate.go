package crawler

import (
	"context"
	"sync"
	"time"
)

// Gate spaces the requests to one host at the wire: workers pass it right
// before sending, so the spacing holds whatever time the scheduler and the
// frontier took. Implementations are safe for concurrent use.
//
// Wait blocks until the host's next slot, takes it, and returns a release
// to call once the request is over (or ctx's error, having taken nothing).
// Hold keeps the host shut until until (a Retry-After); SetDelay changes
// the spacing (a robots.txt Crawl-delay). Neither opens a gate shut
// longer. The default gate holds within one process; a shared one (see
// Config.Gates) holds across every worker of a fleet, concurrency
// included.
type Gate interface {
	Wait(ctx context.Context) (release func(), err error)
	Hold(ctx context.Context, until time.Time) error
	SetDelay(ctx context.Context, d time.Duration) error
}

// localGate adapts gate to Gate. Concurrency is the scheduler's, in
// process.
type localGate struct{ g *gate }

var _ Gate = localGate{}

func (l localGate) Wait(ctx context.Context) (func(), error) {
	if err := l.g.wait(ctx); err != nil {
		return nil, err
	}
	return func() {}, nil
}

func (l localGate) Hold(_ context.Context, t time.Time) error {
	l.g.hold(t)
	return nil
}

func (l localGate) SetDelay(_ context.Context, d time.Duration) error {
	l.g.setDelay(d)
	return nil
}

// gate spaces the requests to one host: each caller gets the next free
// slot, delay after the previous one, and waits for it.
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
