package frontier

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// group is a group commit for small write transactions: calls that arrive
// while a commit is in progress wait, and the first of them then commits
// all of them in one transaction, so they share one fsync. Unlike
// bolt.DB.Batch there is no timer: a call that finds no commit in progress
// commits at once, so a lone caller pays no delay, and under load a batch
// holds everything that arrived during the previous fsync.
//
// As with Batch, fn may run more than once (if another function in its
// batch fails, the batch is rolled back and run again without it) and must
// not have effects outside the transaction that cannot be repeated.
type group struct {
	db *bolt.DB

	mu      sync.Mutex
	busy    bool // a leader is committing
	pending []*call

	commits, calls atomic.Int64 // for benchmarks: calls per commit
}

type call struct {
	fn   func(*bolt.Tx) error
	wake chan wake // buffered; one message
	err  error
}

type wake struct {
	lead bool  // commit everything pending, this call included
	err  error // or: this call's result
}

func (g *group) do(fn func(*bolt.Tx) error) error {
	c := &call{fn: fn, wake: make(chan wake, 1)}
	g.mu.Lock()
	g.pending = append(g.pending, c)
	if g.busy {
		g.mu.Unlock()
		if w := <-c.wake; !w.lead {
			return w.err
		}
		g.mu.Lock()
	}
	g.busy = true
	batch := g.pending
	g.pending = nil
	g.mu.Unlock()

	defer func() {
		p := recover()
		if p != nil {
			for _, b := range batch {
				b.err = fmt.Errorf("group commit: panic: %v", p)
			}
		}
		g.mu.Lock()
		if len(g.pending) > 0 {
			g.pending[0].wake <- wake{lead: true}
		} else {
			g.busy = false
		}
		g.mu.Unlock()
		for _, b := range batch {
			if b != c {
				b.wake <- wake{err: b.err}
			}
		}
		if p != nil {
			panic(p)
		}
	}()
	g.run(batch)
	return c.err
}

// run commits batch in one transaction and sets each call's err. If a
// function fails, the transaction is rolled back, that call gets its error
// and the others are run again.
func (g *group) run(batch []*call) {
	g.calls.Add(int64(len(batch)))
	for len(batch) > 0 {
		g.commits.Add(1)
		failed := -1
		err := g.db.Update(func(tx *bolt.Tx) error {
			for i, c := range batch {
				if err := c.fn(tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, c := range batch {
				c.err = err
			}
			return
		}
		batch[failed].err = err
		batch = slices.Delete(slices.Clone(batch), failed, failed+1)
	}
}
