package main

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/internal/redistest"
)

// TestParseRedisState: options in the query, the password from the
// environment, TLS for rediss://, and a password in the URL never shown.
func TestParseRedisState(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	rs, err := parseRedisState("redis://10.0.0.5:6380/2?lease_ttl=30s&prefix=news:&max_outage=2m", getenv)
	if err != nil {
		t.Fatal(err)
	}
	if rs.opts.Addr != "10.0.0.5:6380" || rs.opts.DB != 2 || rs.opts.TLSConfig != nil || rs.opts.Password != "" {
		t.Errorf("options %+v", rs.opts)
	}
	if rs.fopts.LeaseTTL != 30*time.Second || rs.fopts.Prefix != "news:" || rs.fopts.MaxOutage != 2*time.Minute {
		t.Errorf("frontier options %+v", rs.fopts)
	}

	env["REDIS_PASSWORD"] = "from-redis-env"
	env["GISA_REDIS_PASSWORD"] = "from-gisa-env"
	rs, err = parseRedisState("rediss://cache.example:6379/0", getenv)
	if err != nil {
		t.Fatal(err)
	}
	if rs.opts.TLSConfig == nil || rs.opts.Password != "from-gisa-env" {
		t.Errorf("rediss: TLS %v, password %q", rs.opts.TLSConfig != nil, rs.opts.Password)
	}

	rs, err = parseRedisState("redis://user:s3cret@cache.example:6379/0", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if rs.opts.Password != "s3cret" || strings.Contains(rs.shown, "s3cret") {
		t.Errorf("password %q, shown %q", rs.opts.Password, rs.shown)
	}

	for _, bad := range []string{
		"redis://user:s3cret@cache.example:6379/0?lease_ttl=soon",
		"redis://user:s3cret@cache.example:6379/x",
		"redis://user:s3cret@cache.example:6379/0?prefix=",
		"redis://user:s3cret@cache.example:6379/0?bogus=1",
	} {
		_, err := parseRedisState(bad, getenv)
		if err == nil {
			t.Errorf("%s: no error", bad)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: error shows the password: %v", bad, err)
		}
	}
}

// TestRedisStateLostBetweenRuns: a worker that finds a fresh Redis state
// where it had one before (Redis restarted without persistence) says so.
func TestRedisStateLostBetweenRuns(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	local := filepath.Join(t.TempDir(), ".gisa-state")
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	open := func() {
		t.Helper()
		rs, err := parseRedisState(srv.URL(), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		f, err := openRedisState(t.Context(), rs, local, log)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	open()
	open() // same state: nothing to say
	if strings.Contains(logs.String(), "lost") {
		t.Fatalf("state reported lost while it was kept:\n%s", logs.String())
	}
	srv.Restart() // no persistence: the data is gone
	open()
	if !strings.Contains(logs.String(), "shared Redis state was lost") {
		t.Errorf("lost state not reported:\n%s", logs.String())
	}
}
