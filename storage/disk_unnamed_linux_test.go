//go:build linux

package storage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiskPutNewObjectUnnamed: on Linux a new object is written as an
// unnamed file in its own directory and linked in, never as a name in the
// shared temporary directory renamed across directories (a crash leaves no
// name to sweep; no Put locks the shared directory). With that directory
// made unusable, new objects are still stored; an object replaced goes
// through it, and so fails with an error naming the key, leaving the
// stored object as it was.
func TestDiskPutNewObjectUnnamed(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	d := newDisk(t, dir)
	if err := d.Put(ctx, "a/old.json", []byte("old")); err != nil {
		t.Fatal(err)
	}
	// The shared temporary directory becomes a file.
	tmp := filepath.Join(dir, ".tmp-writes")
	if err := os.Remove(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"a/new.json", "b/c/new.json", "top.json"} {
		if err := d.Put(ctx, key, []byte(key)); err != nil {
			t.Errorf("Put of new object %s: %v", key, err)
			continue
		}
		if b, err := d.Get(ctx, key); err != nil || string(b) != key {
			t.Errorf("Get %s = %q, %v", key, b, err)
		}
	}
	err := d.Put(ctx, "a/old.json", []byte("new"))
	if err == nil || !strings.Contains(err.Error(), "a/old.json") {
		t.Errorf("replacing with no temporary directory: error %v, want one naming the key", err)
	}
	if b, err := d.Get(ctx, "a/old.json"); err != nil || string(b) != "old" {
		t.Errorf("after a failed replace: %q, %v", b, err)
	}
	if temps := tempFiles(t, dir); len(temps) != 1 || temps[0] != tmp {
		t.Errorf("temporary files: %q, want only %s", temps, tmp)
	}

	// Restored, replacing works and leaves no temporary file.
	if err := os.Remove(tmp); err != nil {
		t.Fatal(err)
	}
	d = newDisk(t, dir)
	for i, data := range []string{"new", "newer"} {
		if err := d.Put(ctx, "a/old.json", []byte(data)); err != nil {
			t.Fatalf("replace %d: %v", i, err)
		}
		if b, err := d.Get(ctx, "a/old.json"); err != nil || string(b) != data {
			t.Errorf("after replace %d: %q, %v", i, b, err)
		}
	}
	if temps := tempFiles(t, dir); len(temps) != 0 {
		t.Errorf("temporary files left: %q", temps)
	}
	fi, err := os.Stat(filepath.Join(dir, "a", "new.json"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o600 != 0o600 || !fi.Mode().IsRegular() {
		t.Errorf("new object's mode %v, want a regular file its owner reads and writes", fi.Mode())
	}
}
