// Package faultstore wraps a storage.Store with the faults an archive meets
// (a store that refuses every write, one that fails for a while and then
// recovers, a disk that fills up), so that the crawler's and the archive's
// handling of them runs in tests, without a read-only file system, a full
// disk or a misconfigured bucket.
package faultstore

import (
	"context"
	"fmt"
	"sync"
	"syscall"

	"github.com/gisa-news/gisa/storage"
)

// Options choose the faults. The zero value injects none.
type Options struct {
	// Permanent makes every Put fail with an error wrapping
	// storage.ErrPermanent (and syscall.EROFS), as a read-only archive does.
	Permanent bool
	// Transient makes the first Transient Puts fail with an error that does
	// not wrap storage.ErrPermanent (a timeout, say); later ones go through.
	Transient int
	// FullAfter, when positive, makes the store a disk that holds FullAfter
	// bytes of Put data: a Put that would pass it fails with an error
	// wrapping storage.ErrPermanent and syscall.ENOSPC, and stores nothing.
	FullAfter int64
}

// Store is a storage.Store with faults. It is safe for concurrent use when
// the Store it wraps is.
type Store struct {
	storage.Store
	opts Options

	mu      sync.Mutex
	puts    int   // Put calls
	failed  int   // Puts failed by a fault
	written int64 // bytes of the Puts that went through
}

var _ storage.Store = (*Store)(nil)

// New wraps st.
func New(st storage.Store, opts Options) *Store {
	return &Store{Store: st, opts: opts}
}

// errTimeout is the transient fault: not permanent, so callers retry.
type errTimeout struct{}

func (errTimeout) Error() string   { return "i/o timeout (injected)" }
func (errTimeout) Timeout() bool   { return true }
func (errTimeout) Temporary() bool { return true }

// Put stores data through the wrapped Store unless a fault applies.
func (s *Store) Put(ctx context.Context, key string, data []byte) error {
	s.mu.Lock()
	s.puts++
	var err error
	switch {
	case s.opts.Permanent:
		err = fmt.Errorf("put %s: %w (injected): %w", key, syscall.EROFS, storage.ErrPermanent)
	case s.puts <= s.opts.Transient:
		err = fmt.Errorf("put %s: %w", key, errTimeout{})
	case s.opts.FullAfter > 0 && s.written+int64(len(data)) > s.opts.FullAfter:
		err = fmt.Errorf("put %s: %w (injected after %d bytes): %w", key, syscall.ENOSPC, s.opts.FullAfter, storage.ErrPermanent)
	}
	if err != nil {
		s.failed++
		s.mu.Unlock()
		return err
	}
	s.written += int64(len(data))
	s.mu.Unlock()
	return s.Store.Put(ctx, key, data)
}

// Puts returns how many Puts were called and how many of them a fault
// failed.
func (s *Store) Puts() (calls, failed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.puts, s.failed
}
