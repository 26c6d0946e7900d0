package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/internal/fixture"
	"github.com/gisa-news/gisa/storage/s3test"
)

// TestCrawlExitCodes: gisa crawl exits 1 with the cause when the archive
// refuses writes (S3 answering 403 AccessDenied to every article PUT) and
// when no host answered; no page is fetched more than once for a refused
// archive.
func TestCrawlExitCodes(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "GISATESTKEY")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "gisa-test-secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	config := func(t *testing.T, site *fixture.Site, out string) string {
		dir := t.TempDir()
		writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
		return writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: `+out+`
state: `+filepath.Join(dir, "state")+`
profiles: [fixture.yaml]
fetch_timeout: 300ms
retry_base: 20ms
max_attempts: 4

outlets:
  - id: fixture
    delay: 0s
    concurrency: 2
`)
	}

	t.Run("S3 refuses article writes", func(t *testing.T) {
		site := fixture.New(fixture.Options{SlowDelay: 200 * time.Millisecond, BigSize: 3 << 20})
		defer site.Close()
		srv := s3test.NewServer(t, func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/articles/") {
					w.Header().Set("Content-Type", "application/xml")
					w.WriteHeader(http.StatusForbidden)
					fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
					return
				}
				next.ServeHTTP(w, r)
			})
		})
		srv.CreateBucket(t, "refused")
		code, stdout, stderr := runCmd(t, "", "crawl", "--config", config(t, site, "s3://refused/archive"), "--s3-endpoint", srv.URL, "--log-level", "error")
		if code != exitFailure {
			t.Fatalf("exit %d, want %d\n%s\n%s", code, exitFailure, stdout, stderr)
		}
		if !strings.Contains(stderr, "access denied") || !strings.Contains(stderr, "refused/archive/articles/") {
			t.Errorf("stderr does not name the cause and the object:\n%s", stderr)
		}
		if !strings.Contains(stdout, "stopped: error") {
			t.Errorf("summary does not say the run stopped on an error:\n%s", stdout)
		}
		hits := map[string]int{}
		for _, r := range site.Requests() {
			hits[r.Path+"?"+r.RawQuery]++
		}
		for p, n := range hits {
			if n > 1 {
				t.Errorf("%s requested %d times although the archive refused writes", p, n)
			}
		}
	})

	t.Run("no host answers", func(t *testing.T) {
		site := fixture.New(fixture.Options{})
		conf := config(t, site, filepath.Join(t.TempDir(), "archive"))
		host := site.Host()
		site.Close()
		code, stdout, stderr := runCmd(t, "", "crawl", "--config", conf, "--no-warc", "--log-level", "error")
		if code != exitFailure {
			t.Fatalf("exit %d, want %d\n%s\n%s", code, exitFailure, stdout, stderr)
		}
		if !strings.Contains(stderr, "no host answered") || !strings.Contains(stderr, host) {
			t.Errorf("stderr does not say that no host answered, naming %s:\n%s", host, stderr)
		}
	})
}

// TestBadProfilesFileExitCode: every command that takes --profiles refuses
// a file that does not load (unknown keys, not YAML, absent) as it refuses
// a bad flag, exit 2, naming the file.
func TestBadProfilesFileExitCode(t *testing.T) {
	dir := t.TempDir()
	page := writeFile(t, dir, "page.html", "<html><head><title>기사 제목</title></head><body><p>본문</p></body></html>")
	files := map[string]string{
		"unknown key": writeFile(t, dir, "unknown.yaml", "outlets:\n  - id: x\n    hosts: [a.example]\n"),
		"not YAML":    writeFile(t, dir, "broken.yaml", "id: [x\n"),
		"absent":      filepath.Join(dir, "absent.yaml"),
	}
	for what, file := range files {
		for _, args := range [][]string{
			{"parse", "--profiles", file, page},
			{"eval", "--profiles", file, dir},
			{"sites", "--profiles", file},
			{"crawl", "--profiles", file, "--out", filepath.Join(dir, "archive")},
		} {
			code, _, stderr := runCmd(t, "", args...)
			if code != exitUsage || !strings.Contains(stderr, filepath.Base(file)) {
				t.Errorf("%s, gisa %s: exit %d, want %d naming the file; stderr %q", what, args[0], code, exitUsage, stderr)
			}
		}
	}
}
