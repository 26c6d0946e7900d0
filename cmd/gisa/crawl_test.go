package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
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
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/s3test"
	"github.com/gisa-news/gisa/warc"
)

// issueExample is the configuration of the crawler's issue, as written.
const issueExample = `contact: https://example.org/about-our-crawler   # put into the User-Agent
out: ./archive                                    # or s3://bucket/prefix
state: ./archive/.gisa                           # embedded store path (redis://… later)
outlets:
  - id: hani                                      # a built-in profile as it is
  - id: example                                   # a user-defined outlet
    name: 예시일보
    hosts: [news.example.com]
    feeds: [https://news.example.com/rss/allArticle.xml]
    sitemaps: [https://news.example.com/sitemap.xml]
    sections: [https://news.example.com/news/list.html]
    article_pattern: '^https://news\.example\.com/news/\d+$'
    delay: 1s                                     # per-host spacing (0s allowed)
    concurrency: 2                                # per-host requests in flight
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConfigIssueExample(t *testing.T) {
	cfg, err := loadConfig(writeFile(t, t.TempDir(), "gisa.yaml", issueExample))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Contact != "https://example.org/about-our-crawler" || cfg.Out != "./archive" || cfg.State != "./archive/.gisa" {
		t.Errorf("config = %+v", cfg)
	}
	set, err := loadProfiles(cfg.Profiles)
	if err != nil {
		t.Fatal(err)
	}
	outlets, set, err := resolveOutlets(&cfg, nil, set)
	if err != nil {
		t.Fatal(err)
	}
	if len(outlets) != 2 || outlets[0].Profile.ID != "hani" || outlets[1].Profile.ID != "example" {
		t.Fatalf("outlets = %+v", outlets)
	}
	if outlets[0].Delay != -1 || outlets[0].Concurrency != 0 {
		t.Errorf("hani takes the defaults, got delay %v concurrency %d", outlets[0].Delay, outlets[0].Concurrency)
	}
	ex := outlets[1]
	if ex.Delay != time.Second || ex.Concurrency != 2 || ex.Profile.Name != "예시일보" {
		t.Errorf("example = delay %v concurrency %d name %q", ex.Delay, ex.Concurrency, ex.Profile.Name)
	}
	if !ex.Profile.IsArticleURL("https://news.example.com/news/123") || ex.Profile.IsArticleURL("https://news.example.com/news/list.html") {
		t.Errorf("article_pattern not applied")
	}
	if p := set.ForURL("https://news.example.com/news/1"); p == nil || p.ID != "example" {
		t.Errorf("the user outlet is not in the profile set")
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown key", "contact: x@example.org\noutlest: []\n", "outlest"},
		{"unknown outlet key", "outlets:\n  - id: hani\n    dealy: 1s\n", "dealy"},
		{"bad duration", "outlets:\n  - id: hani\n    delay: soon\n", "soon"},
		{"negative", "outlets:\n  - id: hani\n    concurrency: -1\n", "negative"},
		{"no id", "outlets:\n  - name: 무명\n", "id is required"},
		{"not yaml", "outlets: [\n", "config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadConfig(writeFile(t, dir, "c.yaml", tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("loadConfig = %v, want an error naming %q", err, tc.want)
			}
		})
	}
	if code, _, stderr := runCmd(t, "", "crawl", "nosuchoutlet", "--out", dir); code != exitUsage || !strings.Contains(stderr, "nosuchoutlet") {
		t.Errorf("unknown outlet: exit %d, %q", code, stderr)
	}
	// A Redis state nobody answers: retried for max_outage, then exit 1
	// naming the server.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	if code, _, stderr := runCmd(t, "", "crawl", "hani", "--state", "redis://"+closed+"/0?max_outage=300ms", "--out", dir); code != exitFailure || !strings.Contains(stderr, "redis://"+closed) || !strings.Contains(stderr, "unreachable") {
		t.Errorf("unreachable redis state: exit %d, %q", code, stderr)
	}
	// --max-duration bounds that wait too: max_outage is 10 minutes by
	// default, and a scheduled run of one minute must not hang for ten.
	t0 := time.Now()
	if code, _, stderr := runCmd(t, "", "crawl", "hani", "--state", "redis://"+closed+"/0", "--max-duration", "400ms", "--out", dir); code != exitFailure || !strings.Contains(stderr, "--max-duration 400ms passed") || !strings.Contains(stderr, "redis://"+closed) {
		t.Errorf("unreachable redis state with --max-duration: exit %d, %q", code, stderr)
	}
	if d := time.Since(t0); d > time.Minute {
		t.Errorf("--max-duration 400ms: the crawl waited %s for an unreachable Redis", d)
	}
	if code, _, stderr := runCmd(t, "", "crawl", "hani", "--state", "redis://127.0.0.1:6379/0?lease_ttl=never", "--out", dir); code != exitUsage || !strings.Contains(stderr, "lease_ttl") {
		t.Errorf("bad redis state option: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCmd(t, "", "crawl", "hani", "--since", "2024-13-01", "--out", dir); code != exitUsage || !strings.Contains(stderr, "2024-13-01") {
		t.Errorf("bad date: exit %d, %q", code, stderr)
	}
}

// buildGisa builds the real binary once per test run.
func buildGisa(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gisa")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestCrawlKillResume kills the real binary mid-crawl several times and
// checks that the archive ends complete, without duplicates or partial
// files.
func TestCrawlKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	opts := fixture.Options{SlowDelay: 2 * time.Second, BigSize: 17 << 20} // over the 16 MiB default cap
	if _, err := os.Stat("../../../shared/corpus/ko"); err == nil {
		opts.CorpusDir = "../../../shared/corpus/ko"
	}
	site := fixture.New(opts)
	defer site.Close()
	bin := buildGisa(t)
	dir := t.TempDir()
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	conf := writeFile(t, dir, "gisa.yaml", `contact: https://example.org/gisa-test
out: `+filepath.Join(dir, "archive")+`
profiles: [fixture.yaml]
fetch_timeout: 500ms
retry_base: 50ms
max_attempts: 3
outlets:
  - id: fixture
    delay: 40ms
    concurrency: 2
`)
	archive := filepath.Join(dir, "archive")
	// SIGINT: a clean stop that requeues in-flight work and reports it.
	cmd := exec.Command(bin, "crawl", "--config", conf, "--log-level", "warn")
	var sigOut strings.Builder
	cmd.Stdout, cmd.Stderr = &sigOut, &sigOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGINT: %v\n%s", err, sigOut.String())
	}
	if !strings.Contains(sigOut.String(), "stopped: interrupted") {
		t.Errorf("SIGINT run did not report an interrupted stop:\n%s", sigOut.String())
	}
	kills := 0
	for i := 0; i < 6; i++ {
		cmd := exec.Command(bin, "crawl", "--config", conf, "--log-level", "warn")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run %d: %v\n%s", i, err, stderr.String())
			}
		case <-time.After(time.Duration(150+rand.IntN(500)) * time.Millisecond):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			kills++
			continue
		}
		break // a run finished
	}
	// A last run after the kills completes the crawl.
	out, err := exec.Command(bin, "crawl", "--config", conf, "--log-level", "warn").CombinedOutput()
	if err != nil {
		t.Fatalf("final run: %v\n%s", err, out)
	}
	t.Logf("%d kills; final run:\n%s", kills, out)

	counts := map[string]int{}
	err = filepath.WalkDir(archive, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasPrefix(d.Name(), storage.TempPrefix) || strings.Contains(filepath.ToSlash(path), "/"+storage.TempPrefix)) {
			t.Errorf("partial file left: %s", path)
		}
		rel, _ := filepath.Rel(archive, path)
		if d.IsDir() || !strings.HasPrefix(rel, "articles"+string(filepath.Separator)) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var a article.Article
		if err := json.Unmarshal(b, &a); err != nil {
			t.Errorf("%s: %v", rel, err)
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
			t.Errorf("%s archived %d times, want once", n, counts[n])
		}
		delete(counts, n)
	}
	for u, n := range counts {
		t.Errorf("archived a URL that is not an allowed article: %s (%d)", u, n)
	}
	if _, err := os.Stat(filepath.Join(archive, "revisions")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("revisions appeared though no page changed: %v", err)
	}
	if !strings.Contains(string(out), "stopped: done") {
		t.Errorf("final run did not finish: %s", out)
	}
	// Every archived article's raw page is in a readable WARC file.
	disk, err := storage.NewDisk(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	files, err := warc.Files(t.Context(), disk, time.Time{}, time.Time{})
	if err != nil || len(files) == 0 {
		t.Fatalf("WARC files: %v, %d", err, len(files))
	}
	raw := map[string]bool{}
	for _, f := range files {
		err := warc.Read(t.Context(), disk, f, func(r warc.Record) error {
			n, _ := frontier.Normalize(r.URL)
			raw[n] = true
			return nil
		})
		if err != nil {
			t.Errorf("WARC %s: %v", f, err)
		}
	}
	for _, u := range site.Allowed() {
		if n, _ := frontier.Normalize(u); !raw[n] {
			t.Errorf("no raw page for %s", n)
		}
	}
}

// TestCrawlIntoS3 crawls the fixture site into a bucket of an in-test S3
// server, through the command, with the standard credential chain read
// from the environment.
func TestCrawlIntoS3(t *testing.T) {
	site := fixture.New(fixture.Options{BigSize: 17 << 20}) // the slow page stalls 5 s: past fetch_timeout under any load
	defer site.Close()
	srv := s3test.NewServer(t, nil)
	srv.CreateBucket(t, "news")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true") // never the metadata address, whatever the chain does
	t.Setenv("AWS_ACCESS_KEY_ID", "GISATESTKEY")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "gisa-test-secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	dir := t.TempDir()
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	conf := writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: s3://news/archive
state: `+filepath.Join(dir, "state")+`
profiles: [fixture.yaml]
fetch_timeout: 300ms
retry_base: 20ms
max_attempts: 3

outlets:
  - id: fixture
    delay: 0s
    concurrency: 4
`)
	code, stdout, stderr := runCmd(t, "", "crawl", "--config", conf, "--s3-endpoint", srv.URL, "--log-level", "error")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	st := srv.NewStore(t, "news", "archive")
	n := 0
	err := st.List(t.Context(), "articles/fixture/", func(i storage.Info) error {
		if !strings.HasSuffix(i.Key, ".json") {
			t.Errorf("unexpected object %s", i.Key)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(site.Allowed()) {
		t.Errorf("%d articles in the bucket, want %d\n%s", n, len(site.Allowed()), stdout)
	}
	// The raw pages went to the bucket too, readable.
	files, err := warc.Files(t.Context(), st, time.Time{}, time.Time{})
	if err != nil || len(files) == 0 {
		t.Fatalf("WARC files in the bucket: %v, %d", err, len(files))
	}
	pages := 0
	for _, f := range files {
		if err := warc.Read(t.Context(), st, f, func(warc.Record) error { pages++; return nil }); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if pages < len(site.Allowed()) {
		t.Errorf("%d raw pages in the bucket, want at least %d", pages, len(site.Allowed()))
	}
	if err := st.List(t.Context(), storage.ManifestRoot, func(storage.Info) error { n = -1; return nil }); err != nil || n != -1 {
		t.Errorf("no run manifest in the bucket (%v)", err)
	}
	// A bucket that does not exist fails at start, naming it.
	code, _, stderr = runCmd(t, "", "crawl", "--config", conf, "--out", "s3://nosuchbucket/x", "--s3-endpoint", srv.URL)
	if code != exitFailure || !strings.Contains(stderr, "nosuchbucket") {
		t.Errorf("missing bucket: exit %d, %s", code, stderr)
	}
}

// TestArchiveCommands crawls the fixture site, then exercises stats,
// reparse and reindex on the archive.
func TestArchiveCommands(t *testing.T) {
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
	var articles []string
	filepath.WalkDir(filepath.Join(archive, "articles"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			articles = append(articles, p)
		}
		return nil
	})
	if len(articles) == 0 {
		t.Fatal("nothing archived")
	}

	code, out, errs := runCmd(t, "", "stats", "--config", conf)
	if code != exitOK || !strings.Contains(out, "fixture") {
		t.Errorf("stats: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCmd(t, "", "stats", "--config", conf, "--json")
	var st struct{ Articles int }
	if code != exitOK || json.Unmarshal([]byte(out), &st) != nil || st.Articles != len(articles) {
		t.Errorf("stats --json: exit %d, %d articles, want %d\n%s", code, st.Articles, len(articles), out)
	}

	// Reparse with the same parser changes nothing.
	reparsed := func() string {
		t.Helper()
		code, out, errs := runCmd(t, "", "reparse", "--config", conf)
		if code != exitOK {
			t.Fatalf("reparse: exit %d\n%s\n%s", code, out, errs)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "reparsed") {
				return strings.Fields(line)[len(strings.Fields(line))-1]
			}
		}
		t.Fatalf("reparse output without a count:\n%s", out)
		return ""
	}
	if n := reparsed(); n != "0" {
		t.Errorf("reparse with the same parser replaced %s articles", n)
	}
	// An article spoiled by hand (an older parser, say) is re-extracted
	// from its raw page, once.
	b, err := os.ReadFile(articles[0])
	if err != nil {
		t.Fatal(err)
	}
	var a map[string]any
	json.Unmarshal(b, &a)
	a["title"] = "옛 파서의 제목"
	b, _ = json.MarshalIndent(a, "", "  ")
	os.WriteFile(articles[0], b, 0o644)
	if n := reparsed(); n != "1" {
		t.Errorf("reparse after a hand edit replaced %s articles, want 1", n)
	}
	if n := reparsed(); n != "0" {
		t.Errorf("second reparse replaced %s articles, want 0", n)
	}

	// Reindex rebuilds a lost catalog, and reports a corrupt file.
	os.Remove(filepath.Join(archive, storage.CatalogName))
	os.WriteFile(articles[1], []byte("{\"id\": broken"), 0o644)
	code, out, errs = runCmd(t, "", "reindex", "--config", conf)
	if code != exitOK || !strings.Contains(errs, "skipped") || !strings.Contains(errs, filepath.Base(articles[1])) {
		t.Errorf("reindex: exit %d\n%s\n%s", code, out, errs)
	}
	if want := fmt.Sprintf("%d articles", len(articles)-1); !strings.Contains(out, want) {
		t.Errorf("reindex: %q, want %q", out, want)
	}
}

// TestCrawlOneAtATime: a second crawl of an archive in use stops at once.
func TestCrawlOneAtATime(t *testing.T) {
	dir := t.TempDir()
	cat, err := storage.OpenCatalog(filepath.Join(dir, storage.CatalogName))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	code, _, stderr := runCmd(t, "", "crawl", "hani", "--out", dir)
	if code != exitFailure || !strings.Contains(stderr, "in use") {
		t.Errorf("crawl of an archive in use: exit %d, %q", code, stderr)
	}
}

// TestConfigMinimalOutlet: an outlet defined by its sources alone gets its
// name from its id and its hosts from its sources; a host with a port is
// taken without it.
func TestConfigMinimalOutlet(t *testing.T) {
	cfg, err := loadConfig(writeFile(t, t.TempDir(), "gisa.yaml", `outlets:
  - id: local
    feeds: [http://127.0.0.1:8080/rss.xml]
    article_pattern: '^http://127\.0\.0\.1:8080/news/\d+$'
  - id: ported
    name: 포트일보
    hosts: ["localhost:9090"]
`))
	if err != nil {
		t.Fatal(err)
	}
	set, err := loadProfiles(nil)
	if err != nil {
		t.Fatal(err)
	}
	outlets, set, err := resolveOutlets(&cfg, nil, set)
	if err != nil {
		t.Fatal(err)
	}
	local := outlets[0].Profile
	if local.Name != "local" || len(local.Hosts) != 1 || local.Hosts[0] != "127.0.0.1" {
		t.Errorf("local = name %q hosts %q", local.Name, local.Hosts)
	}
	if p := set.ForURL("http://localhost:9090/news/1"); p == nil || p.ID != "ported" {
		t.Errorf("a host written with its port does not match: %v", p)
	}
}

// TestS3EndpointPasswordNeverShown: an S3 endpoint with user:password@,
// from --s3-endpoint or GISA_S3_ENDPOINT, is refused with exit 1 and a
// message saying where credentials go; the password appears nowhere in
// what gisa prints, whatever the command.
func TestS3EndpointPasswordNeverShown(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "GISATESTKEY")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "gisa-test-secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	const password = "pw-9f3a-never-shown"
	endpoint := "http://minio:" + password + "@127.0.0.1:1"
	state := filepath.Join(t.TempDir(), "state")
	for _, tc := range []struct {
		name string
		env  string
		args []string
	}{
		{"crawl flag", "", []string{"crawl", "--out", "s3://news/x", "--state", state, "--s3-endpoint", endpoint, "--log-level", "debug", "hani"}},
		{"crawl env", endpoint, []string{"crawl", "--out", "s3://news/x", "--state", state, "--log-level", "debug", "hani"}},
		{"stats", endpoint, []string{"stats", "--out", "s3://news/x", "--state", state}},
		{"reindex", "", []string{"reindex", "--out", "s3://news/x", "--state", state, "--s3-endpoint", endpoint}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GISA_S3_ENDPOINT", tc.env)
			code, stdout, stderr := runCmd(t, "", tc.args...)
			if code != exitFailure {
				t.Errorf("exit %d, want %d\n%s", code, exitFailure, stderr)
			}
			if strings.Contains(stdout+stderr, password) {
				t.Errorf("the password is printed:\n%s%s", stdout, stderr)
			}
			if !strings.Contains(stderr, "AWS_ACCESS_KEY_ID") || !strings.Contains(stderr, "minio:xxxxx@127.0.0.1:1") {
				t.Errorf("stderr does not name the endpoint (redacted) and where credentials go:\n%s", stderr)
			}
		})
	}
}

// TestFeedPasswordKeptInMemory: a feed URL with user:password@ in the
// config is fetched with Basic auth, but the password (and user:password,
// and its base64 form) reaches neither the debug log nor the crawl state
// nor the archive (JSON, WARC request records); the credentials go only to
// the feed's host:port, not to the outlet's other host.
func TestFeedPasswordKeptInMemory(t *testing.T) {
	site := fixture.New(fixture.Options{SlowDelay: 300 * time.Millisecond, BigSize: 3 << 20})
	defer site.Close()
	other := fixture.New(fixture.Options{SlowDelay: 300 * time.Millisecond, BigSize: 3 << 20})
	defer other.Close()
	const user, password = "feeduser", "pw-7c1e-secret"
	feed := strings.Replace(site.URL, "http://", "http://"+user+":"+password+"@", 1) + "/rss.xml"
	dir := t.TempDir()
	out, state := filepath.Join(dir, "archive"), filepath.Join(dir, "state")
	conf := writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
fetch_timeout: 1s
retry_base: 20ms
max_attempts: 2
outlets:
  - id: local
    feeds: ['`+feed+`']
    sections: ['`+other.URL+`/section?page=1']
    article_pattern: '^http://127\.0\.0\.1:\d+/news/(\d+)$'
    delay: 0s
    concurrency: 4
`)
	code, stdout, stderr := runCmd(t, "", "crawl", "--config", conf, "--out", out, "--state", state, "--log-level", "debug", "--max-duration", "20s")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	secrets := []string{password, user + ":" + password, basic}
	for _, s := range secrets {
		if strings.Contains(stdout+stderr, s) {
			t.Errorf("%q in the output (debug log)", s)
		}
	}
	// Every file of the state and the archive, gzip members inflated.
	for _, root := range []string{state, out, state + "-spool"} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Error(err)
				return nil
			}
			if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				if inflated, err := io.ReadAll(zr); err == nil {
					b = append(b, inflated...)
				}
			}
			for _, s := range secrets {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds %q", path, s)
				}
			}
			return nil
		})
	}
	want := "Basic " + basic
	fedWithAuth := false
	for _, r := range site.Requests() {
		if r.Path == "/rss.xml" && r.Header.Get("Authorization") == want {
			fedWithAuth = true
		}
	}
	if !fedWithAuth {
		t.Errorf("the feed was not fetched with its Basic credentials")
	}
	for _, r := range other.Requests() {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("%s on the other host carried Authorization", r.Path)
		}
	}
	if len(other.Requests()) == 0 {
		t.Errorf("the other host was never asked: the test shows nothing")
	}
}
