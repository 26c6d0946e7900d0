// Package fakeclock is a clock for tests that moves only when told to.
package fakeclock

import (
	"sync"
	"time"

	"github.com/gisa-news/gisa/schedule"
)

// Clock is a schedule.Clock whose time moves only by Advance. It is safe
// for concurrent use.
type Clock struct {
	mu     sync.Mutex
	cond   *sync.Cond
	now    time.Time
	timers []*timer
	made   int // timers created
}

var _ schedule.Clock = (*Clock)(nil)

// New returns a clock reading now.
func New(now time.Time) *Clock {
	c := &Clock{now: now}
	c.cond = sync.NewCond(&c.mu)
	return c
}

type timer struct {
	c       *Clock
	at      time.Time
	ch      chan time.Time
	pending bool
}

func (t *timer) C() <-chan time.Time { return t.ch }

func (t *timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.pending
	t.pending = false
	t.c.prune()
	return was
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer returns a timer firing when the clock reaches now+d.
func (c *Clock) NewTimer(d time.Duration) schedule.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{c: c, at: c.now.Add(d), ch: make(chan time.Time, 1), pending: true}
	c.made++
	defer c.cond.Broadcast()
	if d <= 0 {
		t.pending = false
		t.ch <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves the clock by d and fires the timers due by then.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for _, t := range c.timers {
		if t.pending && !t.at.After(c.now) {
			t.pending = false
			t.ch <- c.now
		}
	}
	c.prune()
}

// prune drops timers that fired or were stopped; c.mu is held.
func (c *Clock) prune() {
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.pending {
			kept = append(kept, t)
		}
	}
	clear(c.timers[len(kept):])
	c.timers = kept
}

// Pending is the number of timers waiting to fire.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// BlockUntil waits until at least n timers wait to fire.
func (c *Clock) BlockUntil(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.timers) < n {
		c.cond.Wait()
	}
}

// Made is the number of timers created so far.
func (c *Clock) Made() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.made
}

// BlockUntilMade waits until n timers have been created in all.
func (c *Clock) BlockUntilMade(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.made < n {
		c.cond.Wait()
	}
}
