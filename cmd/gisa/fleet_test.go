package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/fixture"
	"github.com/gisa-news/gisa/internal/redistest"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/s3test"
)

// worker is one gisa crawl process of a fleet test.
type worker struct {
	cmd  *exec.Cmd
	log  *os.File
	done chan error
}

func startWorker(t *testing.T, bin, dir, conf, endpoint string) *worker {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "out.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "crawl", "--config", conf, "--s3-endpoint", endpoint, "--log-level", "info")
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, f, f // its own directory: its own local catalog and spool
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &worker{cmd: cmd, log: f, done: make(chan error, 1)}
	go func() { w.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		f.Close()
	})
	return w
}

func (w *worker) output() string {
	b, _ := os.ReadFile(w.log.Name())
	return string(b)
}

// TestFleet runs three gisa crawl processes against one Redis state, one
// S3 archive and the fixture site: one is killed with SIGKILL mid-crawl
// and Redis is restarted (with its data) mid-crawl. The other two finish
// the crawl: every allowed article is stored exactly once (no revision:
// nothing was written twice as a change), the host's spacing held across
// the three (from the site's request timestamps), the killed worker's
// leased URLs were taken by the others, and gisa stats on the archive sees
// every worker's articles.
func TestFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	rs := redistest.Start(t, redistest.Options{Persist: true})
	// The slow page outlasts fetch_timeout and the big one the 16 MiB
	// cap: neither is an article to store.
	site := fixture.New(fixture.Options{SlowDelay: 2 * time.Second, BigSize: 17 << 20})
	defer site.Close()
	s3 := s3test.NewServer(t, nil)
	s3.CreateBucket(t, "news")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "GISATESTKEY")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "gisa-test-secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	bin := buildGisa(t)
	dir := t.TempDir()
	const delay = 60 * time.Millisecond
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	conf := writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: s3://news/archive
state: `+rs.URL()+`?lease_ttl=1s&max_outage=30s
profiles: [`+filepath.Join(dir, "fixture.yaml")+`]
fetch_timeout: 500ms
retry_base: 20ms
max_attempts: 3
outlets:
  - id: fixture
    delay: 60ms
    concurrency: 2
`)
	var ws []*worker
	for i := range 3 {
		ws = append(ws, startWorker(t, bin, filepath.Join(dir, "w"+string(rune('0'+i))), conf, s3.URL))
	}
	// Kill worker 0 once it holds leases mid-crawl.
	killed := false
	deadline := time.Now().Add(20 * time.Second)
	for !killed && time.Now().Before(deadline) {
		select {
		case err := <-ws[0].done:
			t.Fatalf("worker 0 ended before it could be killed (%v):\n%s", err, ws[0].output())
		case <-time.After(20 * time.Millisecond):
		}
		if n, _ := rs.Do("ZCARD", "gisa:leased"); n != "" && n != "0" && len(site.Requests()) > 8 {
			_ = ws[0].cmd.Process.Signal(syscall.SIGKILL)
			<-ws[0].done
			killed = true
		}
	}
	if !killed {
		t.Fatal("no lease was ever held: the crawl did not start")
	}
	leasedAtKill, _ := rs.Do("ZCARD", "gisa:leased")
	// Redis goes away for a second and comes back, with its data, while
	// the others crawl: they pause, retry and go on.
	rs.Stop()
	<-time.After(time.Second)
	rs.Resume()
	for i, w := range ws[1:] {
		select {
		case err := <-w.done:
			if err != nil {
				t.Errorf("worker %d: %v\n%s", i+1, err, w.output())
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("worker %d did not finish:\n%s", i+1, w.output())
		}
	}
	t.Logf("leased at the kill: %s", leasedAtKill)
	for i, w := range ws[1:] {
		if !strings.Contains(w.output(), "redis: unreachable, pausing") {
			t.Logf("worker %d never saw Redis down (it came back between two calls)", i+1)
		}
	}

	// Every allowed article once, none twice, no revision.
	st := s3.NewStore(t, "news", "archive")
	counts := map[string]int{}
	err := st.List(t.Context(), "articles/", func(i storage.Info) error {
		b, err := st.Get(t.Context(), i.Key)
		if err != nil {
			return err
		}
		var a article.Article
		if err := json.Unmarshal(b, &a); err != nil {
			t.Errorf("%s: %v", i.Key, err)
			return nil
		}
		n, _ := frontier.Normalize(a.URL)
		counts[n]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range site.Allowed() {
		n, _ := frontier.Normalize(u)
		if counts[n] != 1 {
			t.Errorf("%s stored %d times, want once", n, counts[n])
		}
		delete(counts, n)
	}
	for u, n := range counts {
		t.Errorf("stored a URL that is not an allowed article: %s (%d)", u, n)
	}
	_ = st.List(t.Context(), "revisions/", func(i storage.Info) error {
		t.Errorf("revision %s: an article was written twice as a change", i.Key)
		return nil
	})
	// The killed worker's leases expired and were finished by the others.
	if n, _ := rs.Do("ZCARD", "gisa:leased"); n != "0" {
		t.Errorf("%s URLs still leased after the crawl", n)
	}
	if n, _ := rs.Do("SCARD", "gisa:hosts"); n != "0" {
		t.Errorf("%s hosts still queued after the crawl", n)
	}

	// Spacing across the fleet, by the site's clock. The gate spaces the
	// slots exactly (on Redis's clock); the wire adds each process's
	// delay between taking its slot and its request reaching the site,
	// which on a loaded 2-core machine running three workers, Redis and
	// this test reaches tens of ms now and then. So: no more than one gap
	// in ten under half the delay (without a shared gate, the three
	// workers' requests interleave and most gaps are a few ms), and no
	// three requests within one delay.
	reqs := site.Requests()
	short := 0
	for i := 1; i < len(reqs); i++ {
		if gap := reqs[i].Time.Sub(reqs[i-1].Time); gap < delay/2 {
			short++
			t.Logf("requests %d and %d (%s, %s) only %v apart, delay is %v", i-1, i, reqs[i-1].Path, reqs[i].Path, gap, delay)
		}
		if i >= 2 {
			if span := reqs[i].Time.Sub(reqs[i-2].Time); span < delay {
				t.Errorf("requests %d to %d within %v, delay is %v", i-2, i, span, delay)
			}
		}
	}
	if short > (len(reqs)-1)/10 {
		t.Errorf("%d of %d gaps under half the delay", short, len(reqs)-1)
	}

	// WARC files and manifests named after their workers, never colliding.
	names := map[string]bool{}
	for _, root := range []string{"warc/", storage.ManifestRoot} {
		err := st.List(t.Context(), root, func(i storage.Info) error {
			base := filepath.Base(i.Key)
			if names[base] {
				t.Errorf("two objects named %s", base)
			}
			names[base] = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	writers := 0
	for _, w := range ws {
		id := fmt.Sprintf("-%d-", w.cmd.Process.Pid) // hostname-pid
		for n := range names {
			if strings.Contains(n, id) {
				writers++
				break
			}
		}
	}
	if writers < 2 {
		t.Errorf("WARC files and manifests of %d workers, want at least 2 named after their workers: %v", writers, names)
	}

	// gisa stats from any worker sees every worker's articles.
	code, stdout, stderr := runCmdIn(t, filepath.Join(dir, "w1"), "stats", "--config", conf, "--s3-endpoint", s3.URL, "--json")
	if code != exitOK {
		t.Fatalf("stats: exit %d: %s", code, stderr)
	}
	var as storage.ArchiveStats
	if err := json.Unmarshal([]byte(stdout), &as); err != nil || as.Articles != len(site.Allowed()) {
		t.Errorf("stats: %d articles (%v), want %d\n%s", as.Articles, err, len(site.Allowed()), stdout)
	}
}

// runCmdIn runs the command in process from directory dir.
func runCmdIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	return runCmd(t, "", args...)
}
