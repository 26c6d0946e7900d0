package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/lazy"
)

// isRedisState reports whether state names a shared Redis state rather
// than a file.
func isRedisState(state string) bool {
	return strings.HasPrefix(state, "redis://") || strings.HasPrefix(state, "rediss://")
}

// redisPasswordEnv are the environment variables a Redis password is read
// from, first set wins: the state URL itself should carry none (it is
// logged and shown).
var redisPasswordEnv = []string{"GISA_REDIS_PASSWORD", "REDIS_PASSWORD"}

// redisState is a parsed redis:// or rediss:// state.
type redisState struct {
	opts   *redis.Options
	fopts  frontier.RedisOptions
	shown  string // the URL without its password, for logs and errors
	prefix string
}

// parseRedisState reads redis://[user@]host:port/db or rediss:// (TLS),
// with gisa's options in the query: lease_ttl (a duration, default 1m),
// prefix (of every key, default "gisa:") and max_outage (how long a call
// waits for an unreachable server, default 10m). The password comes from
// GISA_REDIS_PASSWORD or REDIS_PASSWORD; one in the URL is used but never
// shown.
func parseRedisState(raw string, getenv func(string) string) (*redisState, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("state: not a redis URL: %w", redactErr(err, raw))
	}
	shown := *u
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			shown.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	rs := &redisState{shown: shown.String()}
	q := u.Query()
	for k, vs := range q {
		v := vs[len(vs)-1]
		switch k {
		case "lease_ttl", "max_outage":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("state %s: %s %q: want a positive duration like 30s", rs.shown, k, v)
			}
			if k == "lease_ttl" {
				rs.fopts.LeaseTTL = d
			} else {
				rs.fopts.MaxOutage = d
			}
			q.Del(k)
		case "prefix":
			if v == "" || strings.ContainsAny(v, " \t\r\n") {
				return nil, fmt.Errorf("state %s: prefix %q: want a non-empty key prefix without spaces", rs.shown, v)
			}
			rs.fopts.Prefix = v
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	opts, err := redis.ParseURL(u.String())
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", rs.shown, redactErr(err, raw))
	}
	for _, k := range redisPasswordEnv {
		if p := getenv(k); p != "" {
			opts.Password = p
			break
		}
	}
	opts.DialTimeout = 5 * time.Second
	rs.opts = opts
	return rs, nil
}

// redactErr hides the URL's password in an error that may quote the URL.
func redactErr(err error, raw string) error {
	u, perr := url.Parse(raw)
	if perr != nil || u.User == nil {
		return err
	}
	p, ok := u.User.Password()
	if !ok || p == "" {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), p, "xxxxx"))
}

// openRedisState connects to the shared state and opens its frontier.
// local is this worker's own state path: the run epoch it last saw is kept
// beside it, so that a server that lost its data between two runs (no
// persistence) is reported rather than silently starting an empty frontier.
func openRedisState(ctx context.Context, rs *redisState, local string, log *slog.Logger) (*frontier.Redis, error) {
	o := rs.fopts
	o.Logger = log
	o.Worker = workerID() // named in the run locks it holds
	f, err := frontier.OpenRedis(ctx, redis.NewClient(rs.opts), o)
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", rs.shown, err)
	}
	epoch, fresh := f.Epoch()
	file := local + "-redis-epoch"
	old, _ := os.ReadFile(file)
	if fresh && len(old) > 0 && strings.TrimSpace(string(old)) != epoch {
		log.Error("the shared Redis state was lost since this worker's last run (restarted without persistence or flushed): its queue and records are gone; the crawl starts over from discovery, and articles already archived are kept",
			"state", rs.shown, "last_epoch", strings.TrimSpace(string(old)), "epoch", epoch)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err == nil {
		_ = os.WriteFile(file, []byte(epoch+"\n"), 0o644)
	}
	return f, nil
}

var workerSafe = lazy.NewRegexp(`[^A-Za-z0-9._-]+`)

// workerID names this process in file names it writes to a shared archive
// (WARC files, manifests): hostname-pid, so that workers never collide.
func workerID() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		h = "host"
	}
	h = strings.Trim(workerSafe.ReplaceAllString(h, "-"), "-.")
	if len(h) > 40 {
		h = h[:40]
	}
	if h == "" {
		h = "host"
	}
	return fmt.Sprintf("%s-%d", h, os.Getpid())
}
