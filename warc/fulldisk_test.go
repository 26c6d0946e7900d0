package warc_test

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"

	"github.com/gisa-news/gisa/warc"
)

// fullDisk is a spool file on a disk that fills up: once budget bytes are
// written, a write puts what still fits and fails with ENOSPC, as write(2)
// does, until the test frees space again (budget < 0: no limit).
type fullDisk struct {
	warc.SpoolFile
	mu     *sync.Mutex
	budget *int64
}

func (d fullDisk) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if *d.budget < 0 || int64(len(p)) <= *d.budget {
		if *d.budget >= 0 {
			*d.budget -= int64(len(p))
		}
		return d.SpoolFile.Write(p)
	}
	n, err := d.SpoolFile.Write(p[:*d.budget])
	*d.budget -= int64(n)
	if err == nil {
		err = syscall.ENOSPC
	}
	return n, err
}

// TestFullDisk: writes that fail part-way (the disk full in the request
// record, in the response record, or with no byte written) are cut off
// whole, and the next record begins right after the last whole one: the
// file reads back with no corrupt stretch (no zero-filled gap), holding
// exactly the pages whose Write returned nil, each where Write said.
func TestFullDisk(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	clk := &clock{t: t0}
	w := newWriter(t, st, warc.Options{Now: clk.Now})
	var (
		mu     sync.Mutex
		budget int64 = -1
	)
	warc.SetSpoolOpener(w, func(path string) (warc.SpoolFile, error) {
		f, err := warc.OpenSpool(path)
		if err != nil {
			return nil, err
		}
		return fullDisk{SpoolFile: f, mu: &mu, budget: &budget}, nil
	})
	setBudget := func(n int64) { mu.Lock(); budget = n; mu.Unlock() }

	locs := map[string]warc.Location{}
	var written []string
	write := func(i int, wantErr bool) {
		t.Helper()
		p := testPage(i, t0)
		loc, err := w.Write(ctx, p)
		switch {
		case wantErr && err == nil:
			t.Fatalf("Write %d on a full disk: no error", i)
		case !wantErr && err != nil:
			t.Fatalf("Write %d: %v", i, err)
		case err == nil:
			locs[p.URL] = loc
			written = append(written, p.URL)
		}
	}
	i := 0
	for _, free := range []int64{0, 1, 40, 300, 700} {
		for i%5 != 2 { // pages 5k+2 are binary, over 1 KB compressed
			write(i, false)
			i++
		}
		setBudget(free) // the disk fills within the next pair
		write(i, true)
		i++
		write(i, true) // still full
		i++
		setBudget(-1) // space freed
	}
	write(i, false)
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}

	recs := readAll(t, st) // fails on any corrupt stretch
	var got []string
	for _, r := range recs {
		got = append(got, r.URL)
		if loc := r.Location(); loc != locs[r.URL] {
			t.Errorf("%s: read at %+v, Write said %+v", r.URL, loc, locs[r.URL])
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(written) {
		t.Errorf("read back %d pages %v,\nwant the %d written %v", len(got), got, len(written), written)
	}
}
