package frontier

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/redis/go-redis/v9"
)

// RedisGate is one host's politeness shared by every worker of a fleet:
// the host's next allowed request time, its spacing and its requests in
// flight live in Redis, on the server's clock, so that per-host spacing,
// concurrency, Retry-After and Crawl-delay hold across all workers
// together. It implements crawler.Gate and is safe for concurrent use.
//
// Keys: g:<host> hash {next, last, delay} in ms; gi:<host> sorted set of
// in-flight tokens scored by when they expire (a worker that dies mid
// request frees its slot after inflightTTL).
type RedisGate struct {
	s     *Redis
	host  string
	delay time.Duration
	conc  int
}

// inflightTTL bounds how long a taken slot counts when its worker never
// releases it (killed mid-request).
const inflightTTL = 5 * time.Minute

// gatePoll is the longest a waiter sleeps before asking again when every
// slot is taken (a release is not announced).
const gatePoll = 50 * time.Millisecond

// Gate returns host's shared gate with at least delay between request
// starts (a longer one set by SetDelay from any worker wins) and at most
// concurrency requests in flight (at least 1).
func (s *Redis) Gate(host string, delay time.Duration, concurrency int) *RedisGate {
	return &RedisGate{s: s, host: host, delay: delay, conc: max(concurrency, 1)}
}

// ARGV: p, e, host, delay (ms), concurrency, token, inflight ttl (ms).
// Returns 0 when the slot is taken, else ms to wait.
var scriptAcquire = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
local k, ki = p..'g:'..ARGV[3], p..'gi:'..ARGV[3]
local now = nowms()
redis.call('ZREMRANGEBYSCORE', ki, '-inf', now)
local conc = tonumber(ARGV[5])
if redis.call('ZCARD', ki) >= conc then return -1 end
local nxt = tonumber(redis.call('HGET', k, 'next') or '0')
if now < nxt then return nxt - now end
local d = math.max(tonumber(ARGV[4]), tonumber(redis.call('HGET', k, 'delay') or '0'))
redis.call('HSET', k, 'next', now + d, 'last', now)
redis.call('PEXPIRE', k, d + 86400000)
redis.call('ZADD', ki, now + tonumber(ARGV[7]), ARGV[6])
redis.call('PEXPIRE', ki, tonumber(ARGV[7]))
return 0
`)
})

// ARGV: p, e, host, token.
var scriptGateRelease = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
redis.call('ZREM', p..'gi:'..ARGV[3], ARGV[4])
return 1
`)
})

// ARGV: p, e, host, hold (ms from now). The gate stays shut until then.
var scriptHold = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
local k = p..'g:'..ARGV[3]
local t = nowms() + tonumber(ARGV[4])
local nxt = tonumber(redis.call('HGET', k, 'next') or '0')
if t > nxt then redis.call('HSET', k, 'next', t) end
redis.call('PEXPIRE', k, tonumber(ARGV[4]) + 86400000)
return 1
`)
})

// ARGV: p, e, host, delay (ms). The spacing becomes delay unless longer,
// counted from the last slot taken.
var scriptSetDelay = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
local k = p..'g:'..ARGV[3]
local d = tonumber(ARGV[4])
local old = tonumber(redis.call('HGET', k, 'delay') or '0')
if d <= old then return 1 end
redis.call('HSET', k, 'delay', d)
local last = tonumber(redis.call('HGET', k, 'last') or '0')
local nxt = tonumber(redis.call('HGET', k, 'next') or '0')
if last + d > nxt then redis.call('HSET', k, 'next', last + d) end
redis.call('PEXPIRE', k, d + 86400000)
return 1
`)
})

// Wait takes the host's next slot across the fleet, waiting for it, and
// returns the release of its in-flight place.
func (g *RedisGate) Wait(ctx context.Context) (func(), error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	for {
		var wait int64
		err := g.s.retry(ctx, "gate", func(ctx context.Context) error {
			var err error
			wait, err = scriptAcquire.Get().Run(ctx, g.s.rdb, nil, g.s.p, g.s.epoch, g.host,
				g.delay.Milliseconds(), g.conc, token, inflightTTL.Milliseconds()).Int64()
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("gate %s in %s: %w", g.host, g.s.name, err)
		}
		if wait == 0 {
			return func() {
				_ = g.s.retry(g.s.ctx, "gate release", func(ctx context.Context) error {
					return scriptGateRelease.Get().Run(ctx, g.s.rdb, nil, g.s.p, g.s.epoch, g.host, token).Err()
				})
			}, nil
		}
		d := gatePoll
		if wait > 0 {
			d = time.Duration(wait) * time.Millisecond
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}

// Hold shuts the host's gate for every worker until until (by this
// worker's clock, turned into a wait from now on the server's).
func (g *RedisGate) Hold(ctx context.Context, until time.Time) error {
	d := time.Until(until).Milliseconds()
	if d <= 0 {
		return nil
	}
	err := g.s.retry(ctx, "gate hold", func(ctx context.Context) error {
		return scriptHold.Get().Run(ctx, g.s.rdb, nil, g.s.p, g.s.epoch, g.host, d).Err()
	})
	if err != nil {
		return fmt.Errorf("hold gate %s in %s: %w", g.host, g.s.name, err)
	}
	return nil
}

// SetDelay makes the spacing d for every worker unless it is longer.
func (g *RedisGate) SetDelay(ctx context.Context, d time.Duration) error {
	err := g.s.retry(ctx, "gate delay", func(ctx context.Context) error {
		return scriptSetDelay.Get().Run(ctx, g.s.rdb, nil, g.s.p, g.s.epoch, g.host, d.Milliseconds()).Err()
	})
	if err != nil {
		return fmt.Errorf("set delay of gate %s in %s: %w", g.host, g.s.name, err)
	}
	return nil
}

// Robots returns the robots.txt answer of host that a worker stored with
// PutRobots and that has not expired; ok is false when there is none. It
// implements crawler.RobotsCache with PutRobots.
func (s *Redis) Robots(ctx context.Context, host string) (status int, body []byte, ok bool, err error) {
	var v string
	err = s.retry(ctx, "robots", func(ctx context.Context) error {
		var err error
		v, err = s.rdb.Get(ctx, s.p+"robots:"+host).Result()
		if errors.Is(err, redis.Nil) {
			v, err = "", nil
		}
		return err
	})
	if err != nil {
		return 0, nil, false, fmt.Errorf("robots.txt of %s in %s: %w", host, s.name, err)
	}
	if v == "" {
		return 0, nil, false, nil
	}
	if len(v) < 3 {
		return 0, nil, false, s.corrupt("robots:"+host, "", errors.New("no status"))
	}
	status, err = strconv.Atoi(v[:3])
	if err != nil {
		return 0, nil, false, s.corrupt("robots:"+host, "", err)
	}
	return status, []byte(v[3:]), true, nil
}

// PutRobots stores host's robots.txt answer for ttl (at least 1ms).
func (s *Redis) PutRobots(ctx context.Context, host string, status int, body []byte, ttl time.Duration) error {
	if status < 100 || status > 999 {
		return fmt.Errorf("robots.txt of %s: status %d out of range", host, status)
	}
	v := fmt.Sprintf("%03d", status) + string(body)
	err := s.retry(ctx, "robots", func(ctx context.Context) error {
		return s.rdb.Set(ctx, s.p+"robots:"+host, v, max(ttl, time.Millisecond)).Err()
	})
	if err != nil {
		return fmt.Errorf("store robots.txt of %s in %s: %w", host, s.name, err)
	}
	return nil
}
