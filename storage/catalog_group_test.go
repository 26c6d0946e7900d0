package storage

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The group commit of SQLiteCatalog's Put and Delete (see commit). These
// tests are inside the package to hold the leader token: changes queued
// while a test holds it are all committed by one transaction once it lets go.

func newGroupCatalog(t *testing.T) *SQLiteCatalog {
	t.Helper()
	c, err := OpenCatalog(filepath.Join(t.TempDir(), CatalogName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func groupEntry(id string) Entry {
	return Entry{ID: id, Outlet: "hani", URL: "https://hani.example/" + id,
		Key: "articles/hani/x/" + id + ".json", ContentHash: "sha256:" + id}
}

// waitQueued waits until n changes are queued.
func waitQueued(t *testing.T, c *SQLiteCatalog, n int) {
	t.Helper()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		c.queueMu.Lock()
		got := len(c.queue)
		c.queueMu.Unlock()
		if got == n {
			return
		}
		select {
		case <-t.Context().Done():
			t.Fatalf("%d changes queued, want %d", got, n)
		case <-tick.C:
		}
	}
}

// seqs returns the IDs and sequence numbers of every entry, by Seq.
func seqs(t *testing.T, c *SQLiteCatalog) ([]string, []int64) {
	t.Helper()
	var (
		ids []string
		ns  []int64
	)
	err := c.Since(t.Context(), 0, func(e Entry) error {
		ids = append(ids, e.ID)
		ns = append(ns, e.Seq)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids, ns
}

// TestCatalogConcurrentPuts: Puts and Deletes from many goroutines all land,
// each entry numbered once, the numbers strictly increasing and LastSeq the
// greatest.
func TestCatalogConcurrentPuts(t *testing.T) {
	ctx := t.Context()
	c := newGroupCatalog(t)
	const workers, puts = 16, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers*(puts+puts/4)) // every Put and Delete
	for w := range workers {
		wg.Go(func() {
			for i := range puts {
				// Two entries per Put, as PutArticle's pending and settled
				// entries of two articles; every fourth Put deletes the
				// second entry of the previous one.
				a := groupEntry(fmt.Sprintf("hani-%d-%d-a", w, i))
				b := groupEntry(fmt.Sprintf("hani-%d-%d-b", w, i))
				errs <- c.Put(ctx, a, b)
				if i%4 == 3 {
					errs <- c.Delete(ctx, fmt.Sprintf("hani-%d-%d-b", w, i-1))
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ids, ns := seqs(t, c)
	var want []string
	for w := range workers {
		for i := range puts {
			want = append(want, fmt.Sprintf("hani-%d-%d-a", w, i))
			if i%4 != 2 {
				want = append(want, fmt.Sprintf("hani-%d-%d-b", w, i))
			}
		}
	}
	if got := slices.Sorted(slices.Values(ids)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	if !slices.IsSorted(ns) || len(slices.Compact(slices.Clone(ns))) != len(ns) {
		t.Errorf("sequence numbers not strictly increasing: %v", ns)
	}
	last, err := c.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// No entry was put twice and no Put failed: the numbers are those of
	// 2*workers*puts entries, the deleted ones' included.
	if last != 2*workers*puts || ns[len(ns)-1] != last {
		t.Errorf("LastSeq %d, greatest Seq %d, want %d", last, ns[len(ns)-1], 2*workers*puts)
	}
}

// TestCatalogGroupCommitFailures: in one shared transaction, a Put whose
// statements fail is undone alone (all of its entries, none of the others')
// and only its caller gets the error; a caller whose ctx ends while its
// change waits gets ctx's error and writes nothing; a transaction that
// cannot commit at all fails every caller in it.
func TestCatalogGroupCommitFailures(t *testing.T) {
	t.Run("one change fails", func(t *testing.T) {
		ctx := t.Context()
		c := newGroupCatalog(t)
		// A real SQLite error inside the transaction: validation before
		// queueing catches what it can, this comes from the statement.
		if _, err := c.db.ExecContext(ctx, `CREATE TRIGGER refuse BEFORE INSERT ON entries
			WHEN NEW.id = 'hani-bad' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`); err != nil {
			t.Fatal(err)
		}
		if err := c.Put(ctx, groupEntry("hani-old")); err != nil {
			t.Fatal(err)
		}
		c.leader <- struct{}{} // no commit until every change is queued
		const good = 8
		results := make([]error, good+2)
		var wg sync.WaitGroup
		for i := range good {
			wg.Go(func() {
				results[i] = c.Put(ctx, groupEntry(fmt.Sprintf("hani-%d", i)), groupEntry(fmt.Sprintf("hani-%d-b", i)))
			})
		}
		wg.Go(func() { // its first entry is fine, its second refused
			results[good] = c.Put(ctx, groupEntry("hani-bad-first"), groupEntry("hani-bad"))
		})
		wg.Go(func() { results[good+1] = c.Delete(ctx, "hani-old") })
		waitQueued(t, c, good+2)
		<-c.leader
		wg.Wait()

		for i, err := range results {
			if i == good {
				if err == nil || !strings.Contains(err.Error(), "refused by the test") || !strings.Contains(err.Error(), "hani-bad") {
					t.Errorf("failing Put: %v, want the trigger's error naming hani-bad", err)
				}
				continue
			}
			if err != nil {
				t.Errorf("change %d: %v", i, err)
			}
		}
		ids, ns := seqs(t, c)
		slices.Sort(ids)
		if len(ids) != 2*good || slices.Contains(ids, "hani-bad-first") || slices.Contains(ids, "hani-old") {
			t.Errorf("entries %v, want the good Puts' %d and not hani-bad-first nor hani-old", ids, 2*good)
		}
		// The failed Put's numbers were given back: those of the committed
		// entries follow hani-old's without a gap.
		for i, n := range ns {
			if n != int64(i+2) {
				t.Fatalf("sequence numbers %v, want 2 to %d", ns, 2*good+1)
			}
		}
		if last, err := c.LastSeq(ctx); err != nil || last != int64(2*good+1) {
			t.Errorf("LastSeq = %d, %v; want %d", last, err, 2*good+1)
		}
	})

	t.Run("ctx ends while queued", func(t *testing.T) {
		ctx := t.Context()
		c := newGroupCatalog(t)
		c.leader <- struct{}{}
		cctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		var canceled, other error
		wg.Go(func() { canceled = c.Put(cctx, groupEntry("hani-canceled")) })
		waitQueued(t, c, 1)
		wg.Go(func() { other = c.Put(ctx, groupEntry("hani-other")) })
		waitQueued(t, c, 2)
		cancel()
		waitQueued(t, c, 1) // the canceled caller took its change back
		<-c.leader
		wg.Wait()
		if !errors.Is(canceled, context.Canceled) {
			t.Errorf("canceled Put: %v, want context.Canceled", canceled)
		}
		if other != nil {
			t.Errorf("other Put: %v", other)
		}
		if ids, _ := seqs(t, c); !slices.Equal(ids, []string{"hani-other"}) {
			t.Errorf("entries %v, want hani-other alone", ids)
		}
	})

	t.Run("commit fails", func(t *testing.T) {
		ctx := t.Context()
		c := newGroupCatalog(t)
		c.leader <- struct{}{}
		const n = 4
		results := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { results[i] = c.Put(ctx, groupEntry(fmt.Sprintf("hani-%d", i))) })
		}
		waitQueued(t, c, n)
		c.db.Close() // the transaction cannot begin
		<-c.leader
		wg.Wait()
		for i, err := range results {
			if err == nil || !strings.Contains(err.Error(), "database is closed") {
				t.Errorf("Put %d: %v, want the failed transaction's error", i, err)
			}
		}
	})
}
