package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
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

// writerChildEnv, when set to an archive directory, makes
// TestStatsBesideWriter the child process that writes articles into it as
// a crawl does (holding the lock and the catalog) until it is killed.
const writerChildEnv = "GISA_TEST_WRITER_CHILD_DIR"

func writerChild(dir string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "writer child:", err)
		os.Exit(1)
	}
	lock, err := storage.LockArchive(filepath.Join(dir, storage.LockName), "gisa crawl")
	if err != nil {
		fail(err)
	}
	defer lock.Unlock()
	d, err := storage.NewDisk(dir)
	if err != nil {
		fail(err)
	}
	c, err := storage.OpenCatalog(filepath.Join(dir, storage.CatalogName))
	if err != nil {
		fail(err)
	}
	arc := storage.NewArchive(d, storage.WithCatalog(c))
	ctx := context.Background()
	for i := 0; ; i++ {
		at := time.Date(2024, 2, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		a := article.Article{
			ID:        fmt.Sprintf("fixture-%d", i),
			URL:       fmt.Sprintf("http://127.0.0.1/news/%d", i),
			Outlet:    article.Outlet{ID: "fixture", Name: "픽스처"},
			Title:     fmt.Sprintf("제목 %d", i),
			Body:      strings.Repeat("본문. ", 100),
			FetchedAt: &at,
		}
		if _, _, err := arc.PutArticle(ctx, &a); err != nil {
			fail(err)
		}
		if i == 20 {
			fmt.Println("ready")
		}
	}
}

// TestStatsBesideWriter: gisa stats works while another process writes the
// archive as a crawl does, and what it counts is a consistent snapshot:
// every settled entry it sees names a file that exists, at most one entry
// (the writer's write in flight) is pending, and a later stats never
// counts fewer.
func TestStatsBesideWriter(t *testing.T) {
	if dir := os.Getenv(writerChildEnv); dir != "" {
		writerChild(dir)
		return
	}
	archive := filepath.Join(t.TempDir(), "archive")
	cmd := exec.Command(os.Args[0], "-test.run=^TestStatsBesideWriter$")
	cmd.Env = append(os.Environ(), writerChildEnv+"="+archive)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("writer child: %q, %v", line, err)
	}
	last := 0
	for range 5 {
		code, out, errs := runCmd(t, "", "stats", "--out", archive, "--json")
		var st struct {
			FromCatalog bool `json:"from_catalog"`
			Articles    int
			Pending     int
		}
		if code != exitOK || json.Unmarshal([]byte(out), &st) != nil {
			t.Fatalf("stats beside a writer: exit %d\n%s\n%s", code, out, errs)
		}
		if !st.FromCatalog || st.Articles < 21 || st.Articles < last || st.Pending > 1 {
			t.Errorf("stats beside a writer: %+v, want from the catalog, at least %d articles, at most 1 pending", st, max(last, 21))
		}
		last = st.Articles
	}
	// The same snapshot that stats reads: every settled entry's file is there.
	c, err := storage.OpenCatalogReadOnly(filepath.Join(archive, storage.CatalogName))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, pending := 0, 0
	err = c.Range(t.Context(), "", time.Time{}, time.Time{}, func(e storage.Entry) error {
		n++
		if e.Pending {
			pending++
			return nil
		}
		if _, err := os.Stat(filepath.Join(archive, filepath.FromSlash(e.Key))); err != nil {
			t.Errorf("settled entry %s: %v", e.ID, err)
		}
		return nil
	})
	if err != nil || n < last || pending > 1 {
		t.Errorf("snapshot beside a writer: %d entries (%d pending), %v; want at least %d, at most 1 pending", n, pending, err, last)
	}
	if err := c.Put(t.Context(), storage.Entry{ID: "fixture-x", Key: "articles/fixture/x.json"}); !errors.Is(err, storage.ErrReadOnly) {
		t.Errorf("Put into a read-only catalog: %v", err)
	}
}
