package frontier

import (
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestLeaseMovesBoundedDue: a Lease moves at most maxDue of a host's
// delayed items to the queue, however many fell due, so one call's work
// stays bounded; later calls move the rest, and every item is handed out
// once.
func TestLeaseMovesBoundedDue(t *testing.T) {
	s, _ := openTest(t)
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	total := maxDue + 500
	items := make([]Item, total)
	for i := range items {
		items[i] = Item{URL: fmt.Sprintf("https://a.example/news/%d", i), Kind: KindArticle, NotBefore: now.Add(time.Minute)}
	}
	mustAdd(t, s, items...)
	got, _ := mustLease(t, s, "a.example", now.Add(time.Hour), 1)
	if len(got) != 1 {
		t.Fatalf("leased %d, want 1", len(got))
	}
	delayed := 0
	if err := s.db.View(func(tx *bolt.Tx) error {
		delayed = tx.Bucket(bucketDelayed).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := total - maxDue; delayed != want {
		t.Errorf("after one Lease %d items still delayed, want %d (at most %d moved per call)", delayed, want, maxDue)
	}
	seen := map[string]bool{got[0].URL: true}
	for range total {
		batch, _ := mustLease(t, s, "a.example", now.Add(time.Hour), 1000)
		if len(batch) == 0 {
			break
		}
		for _, it := range batch {
			if seen[it.URL] {
				t.Fatalf("%s leased twice", it.URL)
			}
			seen[it.URL] = true
		}
	}
	if len(seen) != total {
		t.Errorf("leased %d items in all, want %d", len(seen), total)
	}
}
