package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gisa-news/gisa/storage"
)

// TestArchiveLockRefusal: while a crawl holds an archive, every command that
// writes is refused naming the holder, and no command — refused or reading —
// touches the archive: the crawl's write in flight (a temporary file) stays
// and no file appears.
func TestArchiveLockRefusal(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "archive")
	lock, err := storage.LockArchive(filepath.Join(archive, storage.LockName), "gisa crawl")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	inFlight := filepath.Join(archive, storage.TempPrefix+"writes", "inflight")
	if err := os.MkdirAll(filepath.Dir(inFlight), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(inFlight, []byte("half a page"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := listFiles(t, archive)
	holder := fmt.Sprintf("gisa crawl, pid %d, since ", os.Getpid())
	for _, args := range [][]string{
		{"crawl", "hani", "--out", archive},
		{"reindex", "--out", archive},
		{"reindex", "--from-manifests", "--out", archive},
		{"reparse", "--out", archive},
	} {
		code, _, stderr := runCmd(t, "", args...)
		if code != exitFailure || !strings.Contains(stderr, "in use") || !strings.Contains(stderr, holder) {
			t.Errorf("%s beside a crawl: exit %d, %q; want exit 1 naming %q", args[0], code, stderr, holder)
		}
	}
	runCmd(t, "", "stats", "--out", archive)
	if after := listFiles(t, archive); after != before {
		t.Errorf("commands beside a crawl changed the archive:\nbefore %s\nafter  %s", before, after)
	}
}

// listFiles returns the files and directories under dir, one per line.
func listFiles(t *testing.T, dir string) string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		names = append(names, strings.TrimPrefix(p, dir))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(names, " ")
}
