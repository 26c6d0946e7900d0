package storage_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

// catalogCrashEnv, when set to a directory, makes TestArchiveCatalogCrash
// the child process that puts articles into the archive there until it is
// killed.
const catalogCrashEnv = "GISA_STORAGE_CATALOG_CRASH_CHILD_DIR"

const (
	crashWriters  = 3  // goroutines putting articles in the child
	crashArticles = 40 // distinct article IDs
)

// crashArticle is a random version of one of crashArticles articles: its
// title, body, reporters and published_at (none, or one of two days) vary,
// so puts create, update (with revisions), leave unchanged, and give an
// article filed under its fetch day a published_at.
func crashArticle(r *rand.Rand) *article.Article {
	i := r.IntN(crashArticles)
	a := testArticle()
	a.ID = fmt.Sprintf("hani-%d", i)
	a.URL = fmt.Sprintf("https://www.hani.co.kr/arti/%d.html", i)
	a.Title = fmt.Sprintf("제목 %d-%d", i, r.IntN(3))
	a.Body = strings.Repeat(fmt.Sprintf("본문 %d. ", r.IntN(3)), 50+r.IntN(2000))
	a.Reporters = a.Reporters[:r.IntN(2)]
	switch r.IntN(3) {
	case 0:
		a.PublishedAt = nil
	case 1:
		a.PublishedAt = ptr(time.Date(2024, 1, 30, 10, 0, 0, 0, article.KST))
	}
	a.FetchedAt = ptr(time.Date(2024, 2, 1+r.IntN(3), 9, 0, 0, 0, article.KST))
	return a
}

// catalogCrashChild puts random articles into the archive in dir, with its
// catalog, from crashWriters goroutines, until it is killed.
func catalogCrashChild(dir string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(1)
	}
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
	if _, err := arc.Recover(ctx); err != nil {
		fail(err)
	}
	fmt.Println("ready")
	var wg sync.WaitGroup
	for range crashWriters {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
			for {
				if _, _, err := arc.PutArticle(ctx, crashArticle(r)); err != nil {
					fail(err)
				}
			}
		})
	}
	wg.Wait()
}

// TestArchiveCatalogCrash kills a process that is putting articles into an
// archive with a catalog at random moments, many times, and after each kill
// checks that:
//
//   - NewDisk leaves no temporary file, and every object under articles/ and
//     revisions/ is a whole article (valid JSON);
//   - the catalog agrees with the files: every article file has an entry
//     with its ID and its key; every entry that is not Pending is exactly the
//     entry Reindex makes of its file (so its key holds an article with its
//     content hash, size and revision count); at most one entry per writer
//     is Pending, and each of those names an article file or a key that
//     holds none (a new article cut short);
//   - Archive.Recover settles exactly the Pending entries, after which the
//     catalog equals the one Reindex builds from the files.
//
// The next child then goes on putting with that catalog, and at the end one
// more pass of puts must leave catalog and reindex equal again. (A killed
// process leaves its written data in the page cache; what this cannot test
// is the fsyncs against a power loss.)
func TestArchiveCatalogCrash(t *testing.T) {
	if dir := os.Getenv(catalogCrashEnv); dir != "" {
		catalogCrashChild(dir)
		return // not reached: the child runs until killed
	}
	const budget = 3 * time.Second
	dir := t.TempDir()
	ctx := t.Context()
	start := time.Now()
	var kills, recovered, pendingSeen, articles, revisions int
	// Until the budget is spent, or twice that if no kill has yet come in
	// the middle of a PutArticle (a slow, loaded machine).
	for ; kills < 40 && (time.Since(start) < budget || pendingSeen == 0 && time.Since(start) < 2*budget); kills++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestArchiveCatalogCrash$")
		cmd.Env = append(os.Environ(), catalogCrashEnv+"="+dir)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("crash child did not start: %q, %v", line, err)
		}
		<-time.After(time.Duration(5+rand.IntN(50)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		if err := cmd.Wait(); err == nil || cmd.ProcessState.Exited() {
			t.Fatalf("crash child ended by itself (%v): see its output", err)
		}

		d, err := storage.NewDisk(dir)
		if err != nil {
			t.Fatal(err)
		}
		recovered += d.Recovered()
		if temps := tempFiles(t, dir); len(temps) != 0 {
			t.Fatalf("after NewDisk, temporary files remain: %q", temps)
		}
		articles, revisions = 0, 0
		for _, prefix := range []string{"articles/", "revisions/"} {
			for _, key := range listKeys(t, d, prefix) {
				b, err := d.Get(ctx, key)
				var a article.Article
				if err == nil {
					err = json.Unmarshal(b, &a)
				}
				if err != nil || a.ID == "" {
					t.Fatalf("kill %d: %s is not a whole article (%d bytes): %v", kills, key, len(b), err)
				}
				if prefix == "articles/" {
					articles++
				} else {
					revisions++
				}
			}
		}

		c, err := storage.OpenCatalog(filepath.Join(dir, storage.CatalogName))
		if err != nil {
			t.Fatalf("kill %d: %v", kills, err)
		}
		fresh := newCatalog(t)
		if _, err := storage.Reindex(ctx, d, fresh, func(key string, err error) {
			t.Errorf("kill %d: Reindex reported %s: %v", kills, key, err)
		}); err != nil {
			t.Fatal(err)
		}
		files, live := entries(t, fresh), entries(t, c)
		for id, f := range files {
			if e, ok := live[id]; !ok || e.Key != f.Key {
				t.Errorf("kill %d: article file %s has no entry with its key (entry %+v)", kills, f.Key, e)
			}
		}
		pending := 0
		for id, e := range live {
			f, ok := files[id]
			switch {
			case e.Pending:
				pending++
				if ok && f.Key != e.Key {
					t.Errorf("kill %d: pending entry %s names %s, but the article is %s", kills, id, e.Key, f.Key)
				}
			case !ok:
				t.Errorf("kill %d: entry %s names %s, which holds no article", kills, id, e.Key)
			case !sameEntry(e, f):
				t.Errorf("kill %d: settled entry\n%+v\ndoes not describe its file:\n%+v", kills, e, f)
			}
		}
		if pending > crashWriters {
			t.Errorf("kill %d: %d pending entries, more than the %d writers", kills, pending, crashWriters)
		}
		pendingSeen += pending

		n, err := storage.NewArchive(d, storage.WithCatalog(c)).Recover(ctx)
		if err != nil || n != pending {
			t.Errorf("kill %d: Recover = %d, %v; want %d", kills, n, err, pending)
		}
		if got, want := dump(t, c), dump(t, fresh); !equalLines(got, want) {
			t.Errorf("kill %d: after Recover the catalog\n%s\ndiffers from the reindex\n%s", kills, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		c.Close()
		fresh.Close()
		d.Close()
		if t.Failed() {
			t.FailNow()
		}
	}

	// One more pass of puts, then catalog and files agree.
	d := newDisk(t, dir)
	c := openCatalog(t, filepath.Join(dir, storage.CatalogName))
	arc := storage.NewArchive(d, storage.WithCatalog(c))
	r := rand.New(rand.NewPCG(1, 2))
	for range 2 * crashArticles {
		if _, _, err := arc.PutArticle(ctx, crashArticle(r)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := dump(t, c), reindexed(t, d); !equalLines(got, want) {
		t.Errorf("after a last pass of puts the catalog differs from the reindex")
	}
	t.Logf("%d kills in %v: %d temporary files recovered, %d pending entries settled; %d articles, %d revisions at the end",
		kills, time.Since(start).Round(time.Millisecond), recovered, pendingSeen, articles, revisions)
	// Temporary files are left only by kills during a Disk.Put (TestDiskCrash
	// makes sure of those); a PutArticle is pending from its first catalog
	// write to its last, most of its time.
	if pendingSeen == 0 {
		t.Errorf("no kill interrupted a PutArticle: the test did not test anything")
	}
}

// entries returns every entry of c by ID.
func entries(t *testing.T, c storage.Catalog) map[string]storage.Entry {
	t.Helper()
	m := map[string]storage.Entry{}
	if err := c.Range(t.Context(), "", time.Time{}, time.Time{}, func(e storage.Entry) error {
		m[e.ID] = e
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

func sameEntry(a, b storage.Entry) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func equalLines(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }
