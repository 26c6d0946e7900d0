package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gisa-news/gisa/internal/fixture"
)

// TestLogFormat: --log-format json makes every log line a JSON object with
// time, level and msg, given after the command or before it (as a global
// flag); an unknown format or level is a usage error naming it.
func TestLogFormat(t *testing.T) {
	site := fixture.New(fixture.Options{})
	defer site.Close()
	dir := t.TempDir()
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	conf := writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: `+filepath.Join(dir, "archive")+`
profiles: [fixture.yaml]
fetch_timeout: 2s
outlets:
  - id: fixture
    delay: 0s
    concurrency: 2
`)
	for _, args := range [][]string{
		{"crawl", "--config", conf, "--max-articles", "1", "--log-format", "json"},
		{"--log-format", "json", "crawl", "--config", conf, "--max-articles", "1"},
	} {
		code, out, errs := runCmd(t, "", args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errs)
		}
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		started := false
		for _, l := range lines {
			var rec map[string]any
			if err := json.Unmarshal([]byte(l), &rec); err != nil {
				t.Fatalf("%v: log line is not JSON: %q: %v", args, l, err)
			}
			if rec["level"] == nil || rec["time"] == nil {
				t.Errorf("%v: log line lacks level or time: %q", args, l)
			}
			started = started || rec["msg"] == "crawl started"
		}
		if !started {
			t.Errorf("%v: no \"crawl started\" record in:\n%s", args, errs)
		}
	}
	for _, args := range [][]string{{"--log-format", "json", "sites"}, {"sites", "--log-level", "debug"}, {"config", "check", "--log-format", "json"}} {
		if code, _, errs := runCmd(t, "", args...); code != exitOK {
			t.Errorf("%v: exit %d, want 0 (every command takes the log flags): %s", args, code, errs)
		}
	}
	for _, args := range [][]string{
		{"parse", "--log-format", "xml", "-"},
		{"eval", dir, "--log-level", "chatty"},
		{"stats", "--out", filepath.Join(dir, "none"), "--log-format", "yaml"},
		{"crawl", "--config", conf, "--log-format", "logfmt"},
		{"serve", "--config", conf, "--log-level", "loud"},
	} {
		code, _, errs := runCmd(t, "", args...)
		if bad := args[len(args)-1]; code != exitUsage || !strings.Contains(errs, bad) {
			t.Errorf("%v: exit %d, stderr %q; want %d naming %q", args, code, errs, exitUsage, bad)
		}
	}
}
