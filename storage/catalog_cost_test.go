package storage_test

import (
	"fmt"
	"testing"
)

// TestCatalogPutCost: a writer runs the statements of every article's
// Put and ByID prepared once, not compiled anew each time, and a lone Put
// runs no savepoint. Counted in allocations, which each compile of SQL and
// each statement adds to: compiling them each time (as before) took 88
// allocations per Put and 60 per ByID (92 and 60 under -race); prepared,
// 78 and 40 (82 and 41).
func TestCatalogPutCost(t *testing.T) {
	const maxPut, maxByID = 86, 50
	c := newCatalog(t)
	ctx := t.Context()
	i := 0
	put := testing.AllocsPerRun(100, func() {
		i++
		if err := c.Put(ctx, entry(fmt.Sprintf("hani-%d", i), "hani", kst(2024, 1, 2, 3), kst(2024, 1, 2, 4))); err != nil {
			t.Fatal(err)
		}
	})
	byID := testing.AllocsPerRun(100, func() {
		if _, ok, err := c.ByID(ctx, "hani-1"); !ok || err != nil {
			t.Fatalf("ByID(hani-1) = %v, %v", ok, err)
		}
	})
	if put > maxPut {
		t.Errorf("Put of one entry: %v allocations, want at most %d", put, maxPut)
	}
	if byID > maxByID {
		t.Errorf("ByID: %v allocations, want at most %d", byID, maxByID)
	}
}
