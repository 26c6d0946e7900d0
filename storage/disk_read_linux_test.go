//go:build linux

package storage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/storetest"
)

// TestDiskWithoutOpenat2: where openat2 is refused, a Disk reads through
// its os.Root, with the same results.
func TestDiskWithoutOpenat2(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storage.Store {
		d := newDisk(t, t.TempDir())
		storage.DisableOpenat2(d)
		return d
	})
}

// TestDiskReadsBeneath: Get reads keys through links that stay inside the
// archive, and refuses those that lead out, with openat2 and without.
func TestDiskReadsBeneath(t *testing.T) {
	for _, openat2 := range []bool{true, false} {
		dir, outside := t.TempDir(), t.TempDir()
		if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644); err != nil {
			t.Fatal(err)
		}
		d := newDisk(t, dir)
		if !openat2 {
			storage.DisableOpenat2(d)
		}
		if err := d.Put(t.Context(), "real/a.json", []byte("{}")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("real", filepath.Join(dir, "inside")); err != nil {
			t.Skipf("cannot make symbolic links: %v", err)
		}
		if err := os.Symlink(filepath.Join("..", filepath.Base(outside)), filepath.Join(dir, "up")); err != nil {
			t.Fatal(err)
		}
		if b, err := d.Get(t.Context(), "inside/a.json"); err != nil || string(b) != "{}" {
			t.Errorf("openat2 %v: Get through a link inside = %q, %v", openat2, b, err)
		}
		if b, err := d.Get(t.Context(), "up/secret"); err == nil || !strings.Contains(err.Error(), "up/secret: path escapes from parent") {
			t.Errorf("openat2 %v: Get through a link outside = %q, %v; want an error saying the key escapes", openat2, b, err)
		}
	}
}
