//go:build linux

package storage_test

import (
	"strconv"
	"testing"
)

// TestDiskPutCost: a Put into a directory that exists opens it once (to
// make the unnamed file in, link it into and fsync it), without a walk of
// the path to check first that it is a directory, nor another to open it
// for its fsync. Counted in allocations, which each walk of the path
// through the os.Root adds to: with the check first, a Put took 44 (45
// under -race); with the shared temporary directory before that, 50;
// without the check but with the second open, 34 (35); now 22 (23).
func TestDiskPutCost(t *testing.T) {
	const maxAllocs = 28
	d := newDisk(t, t.TempDir())
	ctx := t.Context()
	if err := d.Put(ctx, "articles/hani/2024/01/02/hani-0.json", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	i := 0
	allocs := testing.AllocsPerRun(100, func() {
		i++
		if err := d.Put(ctx, "articles/hani/2024/01/02/hani-"+strconv.Itoa(i)+".json", []byte("{}")); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > maxAllocs {
		t.Errorf("Put of a new object into a directory that exists: %v allocations, want at most %d", allocs, maxAllocs)
	}
}
