// Package storetest is the conformance suite of storage.Store: every
// implementation runs it from its own tests,
//
//	func TestDisk(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storage.Store { … a new, empty store … })
//	}
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gisa-news/gisa/storage"
)

// Run checks that the stores newStore makes keep the storage.Store contract.
// newStore is called once per subtest and must return a new, empty store,
// registering its own cleanup with t.
func Run(t *testing.T, newStore func(t *testing.T) storage.Store) {
	tests := []struct {
		name string
		run  func(*testing.T, storage.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"NoAliasing", testNoAliasing},
		{"Overwrite", testOverwrite},
		{"Stat", testStat},
		{"NotFound", testNotFound},
		{"Delete", testDelete},
		{"ListOrder", testListOrder},
		{"ListPrefix", testListPrefix},
		{"ListStop", testListStop},
		{"InvalidKeys", testInvalidKeys},
		{"ConcurrentPut", testConcurrentPut},
		{"ConcurrentKeys", testConcurrentKeys},
		{"Canceled", testCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newStore(t))
		})
	}
}

func randBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func mustPut(t *testing.T, s storage.Store, key string, data []byte) {
	t.Helper()
	if err := s.Put(t.Context(), key, data); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func mustGet(t *testing.T, s storage.Store, key string) []byte {
	t.Helper()
	b, err := s.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return b
}

func list(t *testing.T, s storage.Store, prefix string) []storage.Info {
	t.Helper()
	var infos []storage.Info
	if err := s.List(t.Context(), prefix, func(i storage.Info) error {
		infos = append(infos, i)
		return nil
	}); err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return infos
}

func keys(infos []storage.Info) []string {
	ks := []string{}
	for _, i := range infos {
		ks = append(ks, i.Key)
	}
	return ks
}

func testRoundTrip(t *testing.T, s storage.Store) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	cases := []struct {
		name, key string
		data      []byte
	}{
		{"empty", "empty", []byte{}},
		{"text", "articles/hani/2024/01/31/hani-123.json", []byte("{\"title\": \"기사\"}\n")},
		{"binary", "bin/all-bytes", all},
		{"5MB", "big/5mb.bin", randBytes(1, 5<<20)},
		{"unicode key", "기사/제목 (1).txt", []byte("x")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mustPut(t, s, c.key, c.data)
			got := mustGet(t, s, c.key)
			if !bytes.Equal(got, c.data) {
				t.Fatalf("Get(%q) = %d bytes, want the %d put", c.key, len(got), len(c.data))
			}
		})
	}
}

// testNoAliasing: the store neither keeps the slice given to Put nor shares
// the one Get returns.
func testNoAliasing(t *testing.T, s storage.Store) {
	data := []byte("original")
	mustPut(t, s, "k", data)
	copy(data, "XXXXXXXX")
	got := mustGet(t, s, "k")
	if string(got) != "original" {
		t.Fatalf("after changing Put's slice, Get = %q, want %q", got, "original")
	}
	copy(got, "YYYYYYYY")
	if got := mustGet(t, s, "k"); string(got) != "original" {
		t.Fatalf("after changing Get's slice, Get = %q, want %q", got, "original")
	}
}

func testOverwrite(t *testing.T, s storage.Store) {
	mustPut(t, s, "a/b", []byte("a longer first value"))
	mustPut(t, s, "a/b", []byte("second"))
	if got := mustGet(t, s, "a/b"); string(got) != "second" {
		t.Fatalf("Get after overwrite = %q, want %q", got, "second")
	}
	// Idempotent: the same bytes again change nothing.
	mustPut(t, s, "a/b", []byte("second"))
	if got := mustGet(t, s, "a/b"); string(got) != "second" {
		t.Fatalf("Get after repeated Put = %q, want %q", got, "second")
	}
	if ks := keys(list(t, s, "")); !slices.Equal(ks, []string{"a/b"}) {
		t.Fatalf("List after overwrites = %q, want one key", ks)
	}
}

func testStat(t *testing.T, s storage.Store) {
	// Allow for file-system timestamp granularity and a store's own clock.
	const slack = 2 * time.Second
	before := time.Now()
	mustPut(t, s, "dir/obj", []byte("12345"))
	after := time.Now()
	info, err := s.Stat(t.Context(), "dir/obj")
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if info.Key != "dir/obj" || info.Size != 5 {
		t.Errorf("Stat = {Key: %q, Size: %d}, want {dir/obj, 5}", info.Key, info.Size)
	}
	if info.ModTime.Before(before.Add(-slack)) || info.ModTime.After(after.Add(slack)) {
		t.Errorf("Stat ModTime = %v, want between %v and %v", info.ModTime, before, after)
	}
	mustPut(t, s, "dir/obj", nil)
	if info, err := s.Stat(t.Context(), "dir/obj"); err != nil || info.Size != 0 {
		t.Errorf("Stat after empty Put = %+v, %v; want size 0", info, err)
	}
	// List reports the same as Stat.
	mustPut(t, s, "dir/obj", []byte("123"))
	info, err = s.Stat(t.Context(), "dir/obj")
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	infos := list(t, s, "dir/")
	if len(infos) != 1 || infos[0].Key != info.Key || infos[0].Size != info.Size || !infos[0].ModTime.Equal(info.ModTime) {
		t.Errorf("List = %+v, want [%+v] as Stat says", infos, info)
	}
}

func testNotFound(t *testing.T, s storage.Store) {
	mustPut(t, s, "present/x", []byte("x"))
	for _, key := range []string{"missing", "present/y", "missing/deep/key", "present/x/below"} {
		if _, err := s.Get(t.Context(), key); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Get(%q) error = %v, want ErrNotFound", key, err)
		}
		if _, err := s.Stat(t.Context(), key); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Stat(%q) error = %v, want ErrNotFound", key, err)
		}
	}
}

func testDelete(t *testing.T, s storage.Store) {
	if err := s.Delete(t.Context(), "never/was"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	mustPut(t, s, "d/x", []byte("x"))
	mustPut(t, s, "d/y", []byte("y"))
	for range 2 {
		if err := s.Delete(t.Context(), "d/x"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
	}
	if _, err := s.Get(t.Context(), "d/x"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Get after Delete error = %v, want ErrNotFound", err)
	}
	if _, err := s.Stat(t.Context(), "d/x"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Stat after Delete error = %v, want ErrNotFound", err)
	}
	if ks := keys(list(t, s, "")); !slices.Equal(ks, []string{"d/y"}) {
		t.Errorf("List after Delete = %q, want [d/y]", ks)
	}
	// A deleted key can be put again.
	mustPut(t, s, "d/x", []byte("again"))
	if got := mustGet(t, s, "d/x"); string(got) != "again" {
		t.Errorf("Get after re-Put = %q", got)
	}
}

// listKeys are put by the List tests. They avoid one key being a "directory"
// of another, which a file-system store cannot hold, and include names that
// sort before '/' ("a-b", "a.txt", "a b") so that a walk directory by
// directory would give the wrong order.
var listKeys = []string{
	"z",
	"a/bc",
	"a.txt",
	"a/b/c",
	"a-b",
	"ab/x",
	"a b",
	"b",
	"a/b/d/e",
	"a/b!",
	"Y",
	"가/나",
}

func putListKeys(t *testing.T, s storage.Store) {
	for i, k := range listKeys {
		mustPut(t, s, k, bytes.Repeat([]byte{'x'}, i))
	}
}

func testListOrder(t *testing.T, s storage.Store) {
	if ks := keys(list(t, s, "")); len(ks) != 0 {
		t.Fatalf("List of an empty store = %q", ks)
	}
	putListKeys(t, s)
	want := slices.Clone(listKeys)
	slices.Sort(want)
	infos := list(t, s, "")
	if ks := keys(infos); !slices.Equal(ks, want) {
		t.Fatalf("List(\"\") = %q\nwant (byte order) %q", ks, want)
	}
	for _, info := range infos {
		if i := slices.Index(listKeys, info.Key); info.Size != int64(i) {
			t.Errorf("List: %s size %d, want %d", info.Key, info.Size, i)
		}
		if info.ModTime.IsZero() {
			t.Errorf("List: %s has zero ModTime", info.Key)
		}
	}
}

func testListPrefix(t *testing.T, s storage.Store) {
	putListKeys(t, s)
	for _, prefix := range []string{
		"a",     // a plain string prefix: "a-b", "a.txt", "a/…", "ab/x", "a b"
		"a/",    // one "directory"
		"a/b",   // "a/b/c", "a/b/d/e", "a/b!", "a/bc"
		"a/b/",  // only under a/b
		"a/b/c", // a whole key
		"ab",
		"b",
		"가",
		"nothing",
		"a/b/c/",
		"../",
	} {
		var want []string
		for _, k := range listKeys {
			if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
				want = append(want, k)
			}
		}
		slices.Sort(want)
		if want == nil {
			want = []string{}
		}
		if ks := keys(list(t, s, prefix)); !slices.Equal(ks, want) {
			t.Errorf("List(%q) = %q, want %q", prefix, ks, want)
		}
	}
}

func testListStop(t *testing.T, s storage.Store) {
	putListKeys(t, s)
	stop := errors.New("stop here")
	calls := 0
	err := s.List(t.Context(), "", func(storage.Info) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Errorf("List error = %v, want fn's error", err)
	}
	if calls != 3 {
		t.Errorf("fn called %d times after returning an error at the 3rd", calls)
	}
}

var invalidKeys = []string{
	"",
	"../x",
	"a/../../x",
	"..",
	".",
	"/abs",
	"a//b",
	"a/./b",
	"a/",
	"a\\b",
	"..\\x",
	"a\x00b",
	"a\nb",
	"a\x7fb",
	"bad\xffutf8",
	string(bytes.Repeat([]byte("k"), storage.MaxKeyLen+1)),
	"long/" + string(bytes.Repeat([]byte("s"), storage.MaxSegmentLen+1)),
	"a/" + storage.TempPrefix + "x",
}

func testInvalidKeys(t *testing.T, s storage.Store) {
	ctx := t.Context()
	for _, key := range invalidKeys {
		if err := storage.ValidKey(key); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("ValidKey(%q) = %v, want ErrInvalidKey", key, err)
		}
		if err := s.Put(ctx, key, []byte("x")); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Put(%q) error = %v, want ErrInvalidKey", key, err)
		}
		if _, err := s.Get(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Get(%q) error = %v, want ErrInvalidKey", key, err)
		}
		if _, err := s.Stat(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Stat(%q) error = %v, want ErrInvalidKey", key, err)
		}
		if err := s.Delete(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Delete(%q) error = %v, want ErrInvalidKey", key, err)
		}
	}
	if ks := keys(list(t, s, "")); len(ks) != 0 {
		t.Errorf("invalid Puts stored %q", ks)
	}
}

// testConcurrentPut: many goroutines put different values under one key while
// others read it; every read, and the final value, is one whole value.
func testConcurrentPut(t *testing.T, s storage.Store) {
	const (
		writers = 16
		size    = 256 << 10
	)
	values := make([][]byte, writers)
	for i := range values {
		values[i] = bytes.Repeat([]byte{byte('A' + i)}, size)
	}
	whole := func(b []byte) bool {
		return len(b) == size && bytes.Count(b, b[:1]) == size && b[0] >= 'A' && b[0] < 'A'+writers
	}
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers)
	for i := range writers {
		wg.Go(func() {
			if err := s.Put(ctx, "same/key", values[i]); err != nil {
				errs <- err
			}
		})
		wg.Go(func() {
			b, err := s.Get(ctx, "same/key")
			switch {
			case errors.Is(err, storage.ErrNotFound):
			case err != nil:
				errs <- err
			case !whole(b):
				errs <- fmt.Errorf("concurrent Get saw a torn value (%d bytes)", len(b))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := mustGet(t, s, "same/key"); !whole(got) {
		t.Errorf("final value is not one of the values put (%d bytes)", len(got))
	}
	if ks := keys(list(t, s, "")); !slices.Equal(ks, []string{"same/key"}) {
		t.Errorf("List after concurrent Puts = %q, want [same/key]", ks)
	}
}

// testConcurrentKeys: goroutines put, list and delete different keys at once.
func testConcurrentKeys(t *testing.T, s storage.Store) {
	ctx := t.Context()
	const n = 32
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	for i := range n {
		wg.Go(func() {
			key := fmt.Sprintf("c/%02d/obj", i)
			if err := s.Put(ctx, key, []byte(key)); err != nil {
				errs <- err
			}
			if i%2 == 1 {
				if err := s.Delete(ctx, key); err != nil {
					errs <- err
				}
			}
		})
		wg.Go(func() {
			if err := s.List(ctx, "c/", func(storage.Info) error { return nil }); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	infos := list(t, s, "")
	if len(infos) != n/2 {
		t.Fatalf("List after concurrent Puts and Deletes: %d keys, want %d: %q", len(infos), n/2, keys(infos))
	}
	for _, info := range infos {
		if got := mustGet(t, s, info.Key); string(got) != info.Key {
			t.Errorf("Get(%q) = %q", info.Key, got)
		}
	}
}

func testCanceled(t *testing.T, s storage.Store) {
	mustPut(t, s, "kept", []byte("x"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Put(ctx, "new", []byte("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Put error = %v, want context.Canceled", err)
	}
	if _, err := s.Get(t.Context(), "new"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("a Put with a canceled context stored its object (Get error %v)", err)
	}
	if _, err := s.Get(ctx, "kept"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get error = %v, want context.Canceled", err)
	}
	if _, err := s.Stat(ctx, "kept"); !errors.Is(err, context.Canceled) {
		t.Errorf("Stat error = %v, want context.Canceled", err)
	}
	if err := s.Delete(ctx, "kept"); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete error = %v, want context.Canceled", err)
	}
	if _, err := s.Get(t.Context(), "kept"); err != nil {
		t.Errorf("a Delete with a canceled context removed its object (Get error %v)", err)
	}
	called := false
	if err := s.List(ctx, "", func(storage.Info) error { called = true; return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("List error = %v, want context.Canceled", err)
	}
	if called {
		t.Errorf("List called fn with a canceled context")
	}

	// Canceled while listing: List stops with ctx's error.
	for i := range 5 {
		mustPut(t, s, fmt.Sprintf("l/%d", i), []byte("x"))
	}
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	calls := 0
	err := s.List(ctx, "l/", func(storage.Info) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("List canceled in fn: error = %v, want context.Canceled", err)
	}
	if calls != 1 {
		t.Errorf("List went on for %d calls after its context was canceled", calls-1)
	}
}
