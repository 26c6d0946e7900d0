package faultstore_test

import (
	"errors"
	"syscall"
	"testing"

	"github.com/gisa-news/gisa/internal/faultstore"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/storetest"
)

func newDisk(t *testing.T) *storage.Disk {
	t.Helper()
	d, err := storage.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestNoFaults: without faults the wrapper keeps the Store contract.
func TestNoFaults(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storage.Store { return faultstore.New(newDisk(t), faultstore.Options{}) })
}

// TestFaults: each fault fails the Puts it should, with the error kind it
// should, and stores nothing for them.
func TestFaults(t *testing.T) {
	ctx := t.Context()
	data := []byte("0123456789")
	for _, tt := range []struct {
		name      string
		opts      faultstore.Options
		want      []error // per Put: nil, or what the error wraps
		permanent []bool
	}{
		{"permanent", faultstore.Options{Permanent: true}, []error{syscall.EROFS, syscall.EROFS}, []bool{true, true}},
		{"transient twice", faultstore.Options{Transient: 2}, []error{errAny, errAny, nil}, []bool{false, false, false}},
		{"full after 25 bytes", faultstore.Options{FullAfter: 25}, []error{nil, nil, syscall.ENOSPC}, []bool{false, false, true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := newDisk(t)
			s := faultstore.New(d, tt.opts)
			stored := 0
			for i, want := range tt.want {
				key := "k/" + string(rune('a'+i))
				err := s.Put(ctx, key, data)
				switch {
				case want == nil && err != nil:
					t.Errorf("put %d: %v, want success", i, err)
				case want != nil && err == nil:
					t.Errorf("put %d: no error", i)
				case want != nil && want != errAny && !errors.Is(err, want):
					t.Errorf("put %d: %v, want %v", i, err, want)
				}
				if err != nil && errors.Is(err, storage.ErrPermanent) != tt.permanent[i] {
					t.Errorf("put %d: %v: permanent %v, want %v", i, err, !tt.permanent[i], tt.permanent[i])
				}
				_, gerr := d.Get(ctx, key)
				if (err == nil) != (gerr == nil) {
					t.Errorf("put %d: error %v but get %v", i, err, gerr)
				}
				if err == nil {
					stored++
				}
			}
			calls, failed := s.Puts()
			if calls != len(tt.want) || failed != len(tt.want)-stored {
				t.Errorf("Puts() = %d, %d; want %d, %d", calls, failed, len(tt.want), len(tt.want)-stored)
			}
		})
	}
}

var errAny = errors.New("any error")
