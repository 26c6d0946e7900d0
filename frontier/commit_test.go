package frontier

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func openGroup(t *testing.T) *group {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "g.db"), 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket([]byte("b"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return &group{db: db}
}

// TestGroupCommit runs many writers at once, some failing: each gets its
// own result, the failed ones' writes are rolled back and the others' kept.
func TestGroupCommit(t *testing.T) {
	g := openGroup(t)
	const n = 200
	errBad := errors.New("bad")
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = g.do(func(tx *bolt.Tx) error {
				if err := tx.Bucket([]byte("b")).Put(fmt.Appendf(nil, "k%03d", i), []byte{1}); err != nil {
					return err
				}
				if i%10 == 3 {
					return fmt.Errorf("call %d: %w", i, errBad)
				}
				return nil
			})
		})
	}
	wg.Wait()
	err := g.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("b"))
		for i := range n {
			stored := b.Get(fmt.Appendf(nil, "k%03d", i)) != nil
			if i%10 == 3 {
				if !errors.Is(errs[i], errBad) || stored {
					t.Errorf("failing call %d: err %v, stored %v", i, errs[i], stored)
				}
			} else if errs[i] != nil || !stored {
				t.Errorf("call %d: err %v, stored %v", i, errs[i], stored)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c, k := g.commits.Load(), g.calls.Load(); k != n || c < 1 {
		t.Errorf("%d commits for %d calls", c, k)
	}
	t.Logf("%d calls in %d transactions", g.calls.Load(), g.commits.Load())
}

// TestGroupCommitPanic checks that a panicking function panics in its
// caller and leaves the group usable.
func TestGroupCommitPanic(t *testing.T) {
	g := openGroup(t)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("no panic")
			}
		}()
		_ = g.do(func(*bolt.Tx) error { panic("boom") })
	}()
	if err := g.do(func(tx *bolt.Tx) error { return tx.Bucket([]byte("b")).Put([]byte("k"), []byte("v")) }); err != nil {
		t.Fatalf("after a panic: %v", err)
	}
}
