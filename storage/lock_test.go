package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLockArchive: a second LockArchive of a held lock is refused at once,
// names the holder, and leaves the lock with it; after Unlock it succeeds.
func TestLockArchive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive", LockName)
	l, err := LockArchive(path, "gisa crawl")
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockArchive(path, "gisa reindex")
	want := fmt.Sprintf("gisa crawl, pid %d, since ", os.Getpid())
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second lock: %v, want ErrInUse naming %s and %q", err, path, want)
	}
	// The refused one did not overwrite the holder's line.
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "gisa crawl, pid") {
		t.Errorf("lock file after a refusal: %q", b)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(); err != nil {
		t.Errorf("second Unlock: %v", err)
	}
	l2, err := LockArchive(path, "gisa reindex")
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	defer l2.Unlock()
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "gisa reindex, pid") {
		t.Errorf("lock file of the new holder: %q", b)
	}
}

// TestDiskReadOnly: a read-only Disk creates no directory, removes no
// temporary file, and refuses to write.
func TestDiskReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := OpenDiskReadOnly(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("read-only open of a missing directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only open created the directory: %v", err)
	}
	w, err := NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Put(ctx, "a/b.json", []byte("x")); err != nil {
		t.Fatal(err)
	}
	inFlight := filepath.Join(dir, tempDir, "inflight")
	if err := os.WriteFile(inFlight, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := OpenDiskReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := os.Stat(inFlight); err != nil {
		t.Errorf("read-only open removed a write in flight: %v", err)
	}
	if b, err := r.Get(ctx, "a/b.json"); err != nil || string(b) != "x" {
		t.Errorf("Get = %q, %v", b, err)
	}
	if err := r.Put(ctx, "a/c.json", []byte("y")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Put on a read-only Disk: %v", err)
	}
	if err := r.Delete(ctx, "a/b.json"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Delete on a read-only Disk: %v", err)
	}
	if _, err := w.Stat(ctx, "a/b.json"); err != nil {
		t.Errorf("after a refused Delete: %v", err)
	}
}
