package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestDiskSharedDirSync: Puts into one directory share its fsyncs (16
// writers arriving while one fsync runs cost one more, not 16), each Put
// still returns only after an fsync that began after it renamed its object,
// and a Put into another directory does not wait for them.
func TestDiskSharedDirSync(t *testing.T) {
	ctx := context.Background()
	d, err := NewDisk(filepath.Join(t.TempDir(), "archive"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, k := range []string{"a/first.json", "b/first.json"} {
		if err := d.Put(ctx, k, []byte("{}")); err != nil {
			t.Fatal(err)
		}
	}

	var (
		mu      sync.Mutex
		calls   = map[string]int{}
		release = make(chan struct{})
		began   = make(chan struct{})
		synced  atomic.Int64 // Puts into a/ whose rename an fsync has covered
		renamed atomic.Int64 // Puts into a/ renamed (counted before their sync)
	)
	d.dirs.hook = func(dir string) error {
		mu.Lock()
		calls[dir]++
		n := calls[dir]
		mu.Unlock()
		if dir == "a" {
			covered := renamed.Load() // renamed before this fsync began
			if n == 1 {
				close(began)
				<-release
			}
			synced.Store(covered)
		}
		return nil
	}
	const writers = 16
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	put := func(i int) {
		defer wg.Done()
		renamed.Add(1)
		errs <- d.Put(ctx, fmt.Sprintf("a/%d.json", i), []byte("{}"))
	}
	wg.Add(1)
	go put(0)
	<-began // the first fsync of a/ is in flight and held

	// Another directory proceeds meanwhile.
	if err := d.Put(ctx, "b/other.json", []byte("{}")); err != nil {
		t.Fatal(err)
	}

	for i := 1; i < writers; i++ {
		wg.Add(1)
		go put(i)
	}
	for { // every writer waits for a/'s fsync
		d.dirs.mu.Lock()
		ds := d.dirs.m["a"]
		n := 0
		if ds != nil {
			n = ds.users
		}
		d.dirs.mu.Unlock()
		if n == writers {
			break
		}
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if synced.Load() != writers {
		t.Errorf("the last fsync of a/ covered %d renames, want all %d", synced.Load(), writers)
	}
	if calls["a"] != 2 {
		t.Errorf("%d fsyncs of a/ for %d Puts, want 2 (the one in flight, then one for the rest)", calls["a"], writers)
	}
	if len(d.dirs.m) != 0 {
		t.Errorf("%d directories still tracked after every Put returned", len(d.dirs.m))
	}
}
