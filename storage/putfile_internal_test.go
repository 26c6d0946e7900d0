package storage

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestDiskPutFile stores a spool-like file with Disk.PutFile, by a link on
// the same file system and by a streamed copy (what a spool on another file
// system gets): the object has the file's bytes, the file is left as it
// was, the copy does not hold the file in memory, and bad input is an error
// naming what was wrong.
func TestDiskPutFile(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []struct {
		name string
		link bool
	}{{"link", true}, {"copy", false}} {
		t.Run(mode.name, func(t *testing.T) {
			dir := t.TempDir()
			d, err := NewDisk(filepath.Join(dir, "archive"))
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			const size = 8 << 20
			data := bytes.Repeat([]byte("WARC/1.1 기사 "), size/len("WARC/1.1 기사 ")+1)[:size]
			src := filepath.Join(dir, "spool.warc.gz")
			if err := os.WriteFile(src, data, 0o644); err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			if err := d.putFile(ctx, "warc/2024/01/02/a.warc.gz", src, mode.link); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/4 {
				t.Errorf("PutFile of %d bytes allocated %d bytes: the file was read into memory", size, alloc)
			}
			got, err := d.Get(ctx, "warc/2024/01/02/a.warc.gz")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("object has %d bytes, not the file's %d", len(got), len(data))
			}
			if left, err := os.ReadFile(src); err != nil || !bytes.Equal(left, data) {
				t.Errorf("source file after PutFile: %d bytes, %v; want it as it was", len(left), err)
			}
			// The same file again (an upload retried after a crash): nothing
			// changes, no temporary file stays.
			if err := d.putFile(ctx, "warc/2024/01/02/a.warc.gz", src, mode.link); err != nil {
				t.Fatal(err)
			}
			if n, err := d.removeTemps(); err != nil || n != 0 {
				t.Errorf("temporary files left by a second PutFile of the same file: %d, %v", n, err)
			}
			// Another file over the object.
			if err := os.Remove(src); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(src, []byte("second"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := d.putFile(ctx, "warc/2024/01/02/a.warc.gz", src, mode.link); err != nil {
				t.Fatal(err)
			}
			if got, _ := d.Get(ctx, "warc/2024/01/02/a.warc.gz"); string(got) != "second" {
				t.Errorf("after a second PutFile the object is %q", got)
			}
			if n, err := d.removeTemps(); err != nil || n != 0 {
				t.Errorf("temporary files left: %d, %v", n, err)
			}

			for _, c := range []struct {
				name, key, path, want string
				perm                  bool
			}{
				{"missing file", "warc/b.warc.gz", filepath.Join(dir, "nope"), "nope", false},
				{"directory", "warc/b.warc.gz", dir, "not a regular file", true},
				{"bad key", "../b.warc.gz", src, "key", false},
				{"key is a directory", "warc/2024", src, "directory", true},
			} {
				err := d.putFile(ctx, c.key, c.path, mode.link)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("%s: err %v, want one naming %q", c.name, err, c.want)
				}
				if c.perm && !errors.Is(err, ErrPermanent) {
					t.Errorf("%s: err %v is not permanent", c.name, err)
				}
			}
			ro, err := OpenDiskReadOnly(filepath.Join(dir, "archive"))
			if err != nil {
				t.Fatal(err)
			}
			defer ro.Close()
			if err := ro.PutFile(ctx, "warc/c.warc.gz", src); !errors.Is(err, ErrReadOnly) {
				t.Errorf("PutFile on a read-only Disk: %v", err)
			}
		})
	}
}
