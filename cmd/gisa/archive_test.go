package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/internal/fixture"
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

// TestReparseWithoutConfig: reparse run without the crawl's config (as the
// README shows it: --out only) neither files a second copy of any page
// under _unknown/ or a guessed outlet nor changes the records it cannot
// parse as well: what a record was archived as belongs to the archive.
func TestReparseWithoutConfig(t *testing.T) {
	site := fixture.New(fixture.Options{SlowDelay: 300 * time.Millisecond, BigSize: 17 << 20})
	defer site.Close()
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive")
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	conf := writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: `+archive+`
profiles: [fixture.yaml]
fetch_timeout: 200ms
retry_base: 10ms
max_attempts: 2
outlets:
  - id: fixture
    delay: 0s
    concurrency: 4
`)
	if code, out, errs := runCmd(t, "", "crawl", "--config", conf, "--log-level", "error"); code != exitOK {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
	}
	articles := listFiles(t, filepath.Join(archive, "articles"))
	if !strings.Contains(articles, ".json") {
		t.Fatal("nothing archived")
	}
	code, out, errs := runCmd(t, "", "reparse", "--out", archive, "--log-level", "error")
	if code != exitOK {
		t.Fatalf("reparse: exit %d\n%s\n%s", code, out, errs)
	}
	if !regexp.MustCompile(`(?m)^created \(no JSON yet\) +0$`).MatchString(out) {
		t.Errorf("reparse without the config created records:\n%s", out)
	}
	if after := listFiles(t, filepath.Join(archive, "articles")); after != articles {
		t.Errorf("reparse without the config changed the records:\nbefore %s\nafter  %s", articles, after)
	}
	if !strings.Contains(errs, "outlet fixture: no profile loaded") {
		t.Errorf("reparse did not say which outlet's profile it lacks: %q", errs)
	}
}
