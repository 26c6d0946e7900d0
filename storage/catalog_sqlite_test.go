package storage_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/gisa-news/gisa/storage"
)

// TestCatalogReadOnlySnapshot: a read-only catalog opens beside the writer,
// keeps seeing the catalog as it was when opened while the writer goes on,
// does not hold the writer back, and cannot write.
func TestCatalogReadOnlySnapshot(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), storage.CatalogName)
	w := openCatalog(t, path)
	a := entry("hani-1", "hani", kst(2024, 1, 1, 9), time.Time{})
	if err := w.Put(ctx, a); err != nil {
		t.Fatal(err)
	}
	r, err := storage.OpenCatalogReadOnly(path)
	if err != nil {
		t.Fatalf("read-only open beside the writer: %v", err)
	}
	defer r.Close()
	b := entry("hani-2", "hani", kst(2024, 1, 2, 9), time.Time{})
	a.Pending = true
	if err := w.Put(ctx, a, b); err != nil {
		t.Fatalf("Put while a reader is open: %v", err)
	}
	if n, err := r.Len(ctx); err != nil || n != 1 {
		t.Errorf("reader Len = %d, %v; want the 1 of its snapshot", n, err)
	}
	if e, ok, err := r.ByID(ctx, "hani-1"); err != nil || !ok || e.Pending {
		t.Errorf("reader ByID = %+v %v %v; want the settled entry of its snapshot", e, ok, err)
	}
	if got := dump(t, r); len(got) != 1 {
		t.Errorf("reader Range: %q", got)
	}
	if n, err := w.Len(ctx); err != nil || n != 2 {
		t.Errorf("writer Len = %d, %v", n, err)
	}
	for name, err := range map[string]error{
		"Put":    r.Put(ctx, b),
		"Delete": r.Delete(ctx, "hani-1"),
		"Reset":  r.Reset(ctx),
	} {
		if !errors.Is(err, storage.ErrReadOnly) {
			t.Errorf("%s on a read-only catalog: %v", name, err)
		}
	}
	r2, err := storage.OpenCatalogReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if n, err := r2.Len(ctx); err != nil || n != 2 {
		t.Errorf("a reader opened later: Len = %d, %v; want 2", n, err)
	}
	if _, err := storage.OpenCatalogReadOnly(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Errorf("read-only open of a missing file succeeded")
	}
}

// TestCatalogSeq: every Put gives the entries it writes sequence numbers
// greater than any before, Delete and Reset do not lower them, and Since
// returns the entries changed after a number.
func TestCatalogSeq(t *testing.T) {
	ctx := t.Context()
	c := newCatalog(t)
	put := func(es ...storage.Entry) {
		t.Helper()
		if err := c.Put(ctx, es...); err != nil {
			t.Fatal(err)
		}
	}
	seq := func(id string) int64 {
		t.Helper()
		e, ok, err := c.ByID(ctx, id)
		if err != nil || !ok {
			t.Fatalf("ByID(%s): %v %v", id, ok, err)
		}
		return e.Seq
	}
	since := func(n int64) string {
		t.Helper()
		var got []string
		if err := c.Since(ctx, n, func(e storage.Entry) error { got = append(got, e.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		return strings.Join(got, " ")
	}
	a, b, d := entry("hani-a", "hani", time.Time{}, time.Time{}), entry("hani-b", "hani", time.Time{}, time.Time{}), entry("hani-d", "hani", time.Time{}, time.Time{})
	put(a, b)
	sa, sb := seq("hani-a"), seq("hani-b")
	if sa <= 0 || sb <= sa {
		t.Fatalf("seq a %d, b %d", sa, sb)
	}
	put(a) // changed again: after b
	if s := seq("hani-a"); s <= sb {
		t.Errorf("seq of a put again = %d, want > %d", s, sb)
	}
	if got := since(sb); got != "hani-a" {
		t.Errorf("Since(%d) = %q, want hani-a", sb, got)
	}
	top := seq("hani-a")
	if err := c.Delete(ctx, "hani-a"); err != nil {
		t.Fatal(err)
	}
	if err := c.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	put(d)
	if s := seq("hani-d"); s <= top {
		t.Errorf("seq after Delete and Reset = %d, want > %d", s, top)
	}
	if got := since(0); got != "hani-d" {
		t.Errorf("Since(0) = %q", got)
	}
}

// TestCatalogReplacesBoltCatalog: a catalog file of the bbolt format gisa
// wrote before is replaced by an empty catalog when opened for writing (a
// reindex fills it), and is ErrNotCatalog to a reader; neither crashes.
func TestCatalogReplacesBoltCatalog(t *testing.T) {
	path := filepath.Join(t.TempDir(), storage.CatalogName)
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("meta"))
		if err == nil {
			err = b.Put([]byte("format"), []byte("gisa-catalog/1"))
		}
		if err == nil {
			_, err = tx.CreateBucket([]byte("entries"))
		}
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.OpenCatalogReadOnly(path); !errors.Is(err, storage.ErrNotCatalog) || !strings.Contains(err.Error(), path) {
		t.Errorf("read-only open of a bbolt catalog: %v, want ErrNotCatalog naming the path", err)
	}
	c := openCatalog(t, path)
	if n, err := c.Len(t.Context()); err != nil || n != 0 {
		t.Errorf("the replaced catalog: Len = %d, %v", n, err)
	}
	if err := c.Put(t.Context(), entry("hani-1", "hani", time.Time{}, time.Time{})); err != nil {
		t.Errorf("Put into the replaced catalog: %v", err)
	}
}
