package storage_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

func openCatalog(t testing.TB, path string) *storage.SQLiteCatalog {
	t.Helper()
	c, err := storage.OpenCatalog(path)
	if err != nil {
		t.Fatalf("OpenCatalog: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func newCatalog(t testing.TB) *storage.SQLiteCatalog {
	return openCatalog(t, filepath.Join(t.TempDir(), storage.CatalogName))
}

// dump returns every entry of c as a JSON line, by ID.
func dump(t *testing.T, c storage.Catalog) []string {
	t.Helper()
	var lines []string
	err := c.Range(t.Context(), "", time.Time{}, time.Time{}, func(e storage.Entry) error {
		b, err := json.Marshal(e)
		lines = append(lines, string(b))
		return err
	})
	if err != nil {
		t.Fatalf("Range: %v", err)
	}
	slices.Sort(lines)
	return lines
}

func ids(es []storage.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func kst(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, article.KST) }

func entry(id, outlet string, published, fetched time.Time) storage.Entry {
	return storage.Entry{
		ID: id, Outlet: outlet, URL: "https://" + outlet + ".example/" + id,
		Key:         "articles/" + outlet + "/x/" + id + ".json",
		ContentHash: "sha256:" + id,
		Published:   published, Fetched: fetched,
	}
}

func TestCatalogQueries(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), storage.CatalogName)
	c := openCatalog(t, path)
	var zero time.Time
	es := []storage.Entry{
		entry("hani-1", "hani", kst(2024, 1, 30, 23), zero),
		entry("hani-2", "hani", kst(2024, 1, 31, 0), kst(2024, 2, 5, 0)),
		entry("hani-3", "hani", zero, kst(2024, 2, 1, 8)), // filed by its fetch day
		entry("hani-4", "hani", zero, zero),               // undated
		// 2024-01-31 20:00 UTC is 2024-02-01 05:00 KST.
		entry("yonhap-1", "yonhap", time.Date(2024, 1, 31, 20, 0, 0, 0, time.UTC), zero),
		entry("yonhap-2", "yonhap", kst(2024, 1, 31, 12), zero),
	}
	es[1].CanonicalURL = "https://hani.example/canonical/2"
	es[5].ContentHash = es[0].ContentHash // the same text in two outlets
	es[5].URL = es[0].URL                 // and, oddly, the same URL: fetched later
	es[5].Fetched = kst(2024, 2, 9, 0)
	if err := c.Put(ctx, es...); err != nil {
		t.Fatal(err)
	}

	if e, ok, err := c.ByID(ctx, "hani-2"); err != nil || !ok || e.CanonicalURL != es[1].CanonicalURL || !e.Fetched.Equal(es[1].Fetched) {
		t.Errorf("ByID(hani-2) = %+v, %v, %v", e, ok, err)
	}
	if _, ok, err := c.ByID(ctx, "hani-9"); ok || err != nil {
		t.Errorf("ByID of a missing ID = %v, %v", ok, err)
	}
	for _, tt := range []struct{ url, want string }{
		{"https://hani.example/hani-2", "hani-2"},
		{"https://hani.example/canonical/2", "hani-2"},
		{"https://hani.example/hani-1", "yonhap-2"}, // the one fetched last
		{"https://hani.example/hani-9", ""},
		{"", ""},
	} {
		e, ok, err := c.ByURL(ctx, tt.url)
		if err != nil || ok != (tt.want != "") || e.ID != tt.want {
			t.Errorf("ByURL(%q) = %q, %v, %v; want %q", tt.url, e.ID, ok, err, tt.want)
		}
	}
	if got, err := c.ByHash(ctx, es[0].ContentHash); err != nil || !slices.Equal(ids(got), []string{"hani-1", "yonhap-2"}) {
		t.Errorf("ByHash = %q, %v", ids(got), err)
	}
	if got, err := c.ByHash(ctx, "sha256:none"); err != nil || len(got) != 0 {
		t.Errorf("ByHash of an unknown hash = %q, %v", ids(got), err)
	}

	tests := []struct {
		name     string
		outlet   string
		from, to time.Time
		want     []string
	}{
		{"one outlet, one day", "hani", kst(2024, 1, 31, 0), kst(2024, 1, 31, 0), []string{"hani-2"}},
		{"days are KST days", "", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 31, 23, 0, 0, 0, time.UTC),
			[]string{"hani-2", "yonhap-2", "hani-3", "yonhap-1"}}, // 01-31 09:00 KST to 02-01 08:00 KST: both days whole
		{"fetch day when unpublished", "hani", kst(2024, 2, 1, 0), kst(2024, 2, 1, 0), []string{"hani-3"}},
		{"all outlets, by day then outlet", "", kst(2024, 1, 1, 0), kst(2024, 12, 31, 0),
			[]string{"hani-1", "hani-2", "yonhap-2", "hani-3", "yonhap-1"}},
		{"open start", "yonhap", time.Time{}, kst(2024, 1, 31, 0), []string{"yonhap-2"}},
		{"open end", "hani", kst(2024, 1, 31, 0), time.Time{}, []string{"hani-2", "hani-3"}},
		{"no bounds: undated too, last", "hani", time.Time{}, time.Time{}, []string{"hani-1", "hani-2", "hani-3", "hani-4"}},
		{"from after to", "", kst(2024, 2, 1, 0), kst(2024, 1, 31, 0), nil},
		{"unknown outlet", "khan", time.Time{}, time.Time{}, nil},
		{"outlet is not a prefix", "han", time.Time{}, time.Time{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := c.Range(ctx, tt.outlet, tt.from, tt.to, func(e storage.Entry) error {
				got = append(got, e.ID)
				return nil
			})
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("Range = %q, %v; want %q", got, err, tt.want)
			}
		})
	}

	// Replacing an entry moves it in every index.
	moved := es[1]
	moved.URL, moved.CanonicalURL, moved.ContentHash = "https://hani.example/new", "", "sha256:new"
	moved.Published = kst(2024, 3, 1, 0)
	if err := c.Put(ctx, moved); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"https://hani.example/hani-2", "https://hani.example/canonical/2"} {
		if e, ok, _ := c.ByURL(ctx, u); ok {
			t.Errorf("ByURL(%q) after the URL changed = %s", u, e.ID)
		}
	}
	if e, ok, _ := c.ByURL(ctx, moved.URL); !ok || e.ID != "hani-2" {
		t.Errorf("ByURL of the new URL: %v", ok)
	}
	if got, _ := c.ByHash(ctx, "sha256:hani-2"); len(got) != 0 {
		t.Errorf("ByHash of the old hash = %q", ids(got))
	}
	var got []string
	c.Range(ctx, "hani", time.Time{}, kst(2024, 2, 28, 0), func(e storage.Entry) error {
		got = append(got, e.ID)
		return nil
	})
	if !slices.Equal(got, []string{"hani-1", "hani-3"}) {
		t.Errorf("Range after hani-2 moved to March = %q", got)
	}

	// Range stops at fn's error, unwrapped.
	stop := errors.New("stop")
	n := 0
	if err := c.Range(ctx, "", time.Time{}, time.Time{}, func(storage.Entry) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("Range with a failing fn: %v after %d calls", err, n)
	}

	// Delete, then the entries survive a reopen.
	if err := c.Delete(ctx, "hani-4", "hani-9"); err != nil {
		t.Fatal(err)
	}
	before := dump(t, c)
	if len(before) != len(es)-1 {
		t.Fatalf("%d entries after Delete, want %d", len(before), len(es)-1)
	}
	if n, err := c.Len(ctx); err != nil || n != len(es)-1 {
		t.Errorf("Len = %d, %v", n, err)
	}
	c.Close()
	c = openCatalog(t, path)
	if after := dump(t, c); !slices.Equal(before, after) {
		t.Errorf("after reopening:\n%s\nwant\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
	}
	if err := c.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if got := dump(t, c); len(got) != 0 {
		t.Errorf("after Reset: %q", got)
	}
	if _, ok, _ := c.ByURL(ctx, es[0].URL); ok {
		t.Errorf("ByURL finds an entry after Reset")
	}
}

func TestCatalogPending(t *testing.T) {
	ctx := t.Context()
	c := newCatalog(t)
	a, b := entry("hani-1", "hani", kst(2024, 1, 31, 0), time.Time{}), entry("hani-2", "hani", kst(2024, 1, 31, 0), time.Time{})
	a.Pending, b.Pending = true, true
	if err := c.Put(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	b.Pending = false
	if err := c.Put(ctx, b); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := c.Pending(ctx, func(e storage.Entry) error {
		got = append(got, e.ID)
		if !e.Pending {
			t.Errorf("Pending gave a settled entry")
		}
		return nil
	}); err != nil || !slices.Equal(got, []string{"hani-1"}) {
		t.Errorf("Pending = %q, %v", got, err)
	}
}

func TestCatalogInvalidEntries(t *testing.T) {
	ctx := t.Context()
	c := newCatalog(t)
	good := entry("hani-1", "hani", time.Time{}, time.Time{})
	for _, tt := range []struct {
		name string
		edit func(e *storage.Entry)
	}{
		{"bad ID", func(e *storage.Entry) { e.ID = "../x" }},
		{"bad key", func(e *storage.Entry) { e.Key = "/abs" }},
		{"NUL in URL", func(e *storage.Entry) { e.URL = "http://a\x00b" }},
	} {
		bad := entry("hani-2", "hani", time.Time{}, time.Time{})
		tt.edit(&bad)
		if err := c.Put(ctx, good, bad); err == nil {
			t.Errorf("%s: Put succeeded", tt.name)
		}
	}
	if got := dump(t, c); len(got) != 0 {
		t.Errorf("a failed Put wrote %q", got)
	}
}

// TestCatalogRangeWrites: fn may write to the catalog while Range runs over
// more entries than it reads at once.
func TestCatalogRangeWrites(t *testing.T) {
	ctx := t.Context()
	c := newCatalog(t)
	var es []storage.Entry
	for i := range 1300 {
		es = append(es, entry(fmt.Sprintf("hani-%04d", i), "hani", kst(2024, 1, 1+i%28, 0), time.Time{}))
	}
	if err := c.Put(ctx, es...); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := c.Range(ctx, "hani", time.Time{}, time.Time{}, func(e storage.Entry) error {
		n++
		if n%100 != 1 { // a few writes per chunk read
			return nil
		}
		e.Revisions++
		return c.Put(ctx, e)
	})
	if err != nil || n != len(es) {
		t.Fatalf("Range with writes: %d entries, %v; want %d", n, err, len(es))
	}
}

func TestOpenCatalogErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", storage.CatalogName)
	c := openCatalog(t, path) // makes the directory
	start := time.Now()
	_, err := storage.OpenCatalog(path)
	if !errors.Is(err, storage.ErrInUse) || !strings.Contains(err.Error(), path+" is in use by another process") {
		t.Errorf("second OpenCatalog: %v, want ErrInUse naming the path", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("second OpenCatalog took %v", d)
	}
	c.Close()
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	garbage := filepath.Join(dir, "garbage")
	os.WriteFile(garbage, []byte(strings.Repeat("not a bbolt file\n", 1000)), 0o644)
	other := filepath.Join(dir, "other.db")
	db, err := bolt.Open(other, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("queue")); return err })
	db.Close()
	for _, p := range []string{garbage, other} {
		_, err := storage.OpenCatalog(p)
		if !errors.Is(err, storage.ErrNotCatalog) || !strings.Contains(err.Error(), p) {
			t.Errorf("OpenCatalog(%s): %v, want ErrNotCatalog naming the path", filepath.Base(p), err)
		}
	}
	if _, err := storage.OpenCatalog(""); err == nil {
		t.Errorf("OpenCatalog(\"\") succeeded")
	}
}
