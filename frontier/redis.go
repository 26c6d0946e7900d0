package frontier

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/redis/go-redis/v9"
)

// ErrStateLost is wrapped by the errors of a Redis frontier whose server
// lost its data while workers used it (restarted without persistence, or
// flushed): the run epoch written when the state was created is gone, so
// every queued URL and record is gone with it. It is not retried.
var ErrStateLost = errors.New("redis state lost (restarted without persistence or flushed)")

// RedisOptions configure OpenRedis. The zero value is ready to use.
type RedisOptions struct {
	// Prefix starts every key the frontier writes; "gisa:" if empty. Two
	// crawls with different prefixes share a server without meeting.
	Prefix string
	// LeaseTTL is how long a leased URL stays leased without a renewal:
	// a worker that dies holding leases loses them this long after its
	// last renewal, and other workers lease them again. The store renews
	// the leases it holds every LeaseTTL/3. Zero means one minute.
	LeaseTTL time.Duration
	// MaxOutage is how long a call keeps retrying while the server is
	// unreachable or loading (with backoff, each attempt logged) before it
	// returns the error. Zero means ten minutes.
	MaxOutage time.Duration
	// Logger gets the outages; nil discards.
	Logger *slog.Logger
	// Worker names this process in the locks it holds (hostname-pid), so
	// that a worker refused a lock can say who has it; "" is "unknown".
	Worker string
}

// Redis is a frontier in one Redis server (not a Redis Cluster), shared by
// any number of workers: the same queue, seen set and records for all, with
// leases that expire. It implements the same contract as Store, except
// that a leased item goes back to the queue when its lease expires (its
// worker stopped renewing it) rather than at the next Open. All methods are
// safe for concurrent use; each call is one Lua script or one read, so it
// is atomic. Durability is the server's (see its appendonly setting).
//
// # Layout (keys under the prefix)
//
//	epoch      run epoch, random, written when the state is created
//	seq        insertion counter
//	hosts      set of hosts with queued (ready or delayed) items
//	it         hash url → queue key(24) | host | 0x00 | item (without its URL and host)
//	q:<host>   sorted set, score 0, member queue key(24) | url (lex order = lease order)
//	d:<host>   sorted set, score NotBefore in µs (rounded up), member url
//	leased     sorted set, score lease expiry in ms (server clock), member url
//	l:<host>   set of the host's leased urls
//	lhosts     set of hosts with leased urls
//	rec        hash url → record (without its URL)
//	recent     sorted set, score 0, member recent key (as in Store)
//	lock:<name>  a Lock: "<random token> <worker>", with its TTL
//	last:<name>  the last slot claimed under a Lock (Lock.ClaimSlot), Unix ms
//
// The queue key is priority(8) | inverted published(8) | seq(8), the same
// order as Store's.
type Redis struct {
	rdb    *redis.Client
	ctx    context.Context // for calls: the one given to OpenRedis, without its cancellation
	stop   context.CancelFunc
	p      string
	epoch  string
	fresh  bool
	ttl    time.Duration
	outage time.Duration
	log    *slog.Logger
	name   string // for errors: the server address
	worker string // in the locks this process holds

	mu   sync.Mutex
	held map[string]string // URL → host of the items this process leased and has not reported back
	wg   sync.WaitGroup
}

var _ interface {
	Add(items ...Item) (int, error)
	Lease(host string, now time.Time, n int) ([]Item, time.Time, error)
	Hosts() ([]string, error)
	Done(it Item, rec *Record) error
	Retry(it Item, notBefore time.Time) error
	Release(items ...Item) error
	Record(url string) (Record, bool, error)
	Recent(since time.Time, fn func(Record) error) error
} = (*Redis)(nil)

// OpenRedis connects to the server rdb talks to, creates the state (its
// run epoch) if there is none, and starts renewing the leases this process
// will hold. ctx bounds the connection attempts and the renewals; calls
// made after it ends still run (a shutdown releases its leases), bounded by
// MaxOutage. The Redis owns rdb and closes it in Close.
func OpenRedis(ctx context.Context, rdb *redis.Client, o RedisOptions) (*Redis, error) {
	if o.Prefix == "" {
		o.Prefix = "gisa:"
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = time.Minute
	}
	if o.MaxOutage <= 0 {
		o.MaxOutage = 10 * time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Worker == "" {
		o.Worker = "unknown"
	}
	s := &Redis{rdb: rdb, p: o.Prefix, ttl: o.LeaseTTL, outage: o.MaxOutage, log: o.Logger,
		name: "redis " + rdb.Options().Addr, worker: o.Worker, held: map[string]string{}}
	var b [12]byte
	_, _ = rand.Read(b[:])
	want := time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
	err := s.retry(ctx, "open", func(ctx context.Context) error {
		ok, err := rdb.SetNX(ctx, s.p+"epoch", want, 0).Result()
		if err != nil {
			return err
		}
		s.fresh = ok
		s.epoch, err = rdb.Get(ctx, s.p+"epoch").Result()
		return err
	})
	if err != nil {
		_ = rdb.Close()
		return nil, fmt.Errorf("open state %s: %w", s.name, err)
	}
	var rctx context.Context
	rctx, s.stop = context.WithCancel(ctx)
	s.ctx = context.WithoutCancel(ctx)
	s.wg.Add(1)
	go s.renew(rctx)
	return s, nil
}

// Epoch is the state's run epoch; Fresh reports whether OpenRedis created
// it (the server held no gisa state under the prefix). A worker that knew
// another epoch, or had queued work, before finds its state was lost.
func (s *Redis) Epoch() (epoch string, fresh bool) { return s.epoch, s.fresh }

// Close stops renewing leases and closes the connection. Items still
// leased go back to the queue when their leases expire; call Release first
// for a clean shutdown.
func (s *Redis) Close() error {
	s.stop()
	s.wg.Wait()
	if err := s.rdb.Close(); err != nil {
		return fmt.Errorf("close state %s: %w", s.name, err)
	}
	return nil
}

// renew extends the leases this process holds every ttl/3 until ctx ends.
func (s *Redis) renew(ctx context.Context) {
	defer s.wg.Done()
	t := time.NewTicker(s.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		urls := make([]any, 0, len(s.held))
		for u := range s.held {
			urls = append(urls, u)
		}
		s.mu.Unlock()
		for len(urls) > 0 {
			n := min(len(urls), 1000)
			args := append([]any{s.p, s.epoch, s.ttl.Milliseconds()}, urls[:n]...)
			urls = urls[n:]
			if err := scriptRenew.Get().Run(ctx, s.rdb, nil, args...).Err(); err != nil && ctx.Err() == nil {
				s.log.Warn("redis: lease renewal failed; retried at the next tick", "server", s.name, "err", err)
				break
			}
		}
	}
}

// hold records that this process holds (host != "") or no longer holds
// the leases of urls.
func (s *Redis) hold(urls []string, host string) {
	s.mu.Lock()
	for _, u := range urls {
		if host != "" {
			s.held[u] = host
		} else {
			delete(s.held, u)
		}
	}
	s.mu.Unlock()
}

// heldBy counts the leases this process holds, by host.
func (s *Redis) heldBy() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := map[string]int{}
	for _, h := range s.held {
		n[h]++
	}
	return n
}

// othersPoll is how soon a worker looks again at a host whose only items
// are leased by other workers: they may fail and come back, or the lease
// may expire.
func (s *Redis) othersPoll() time.Duration { return min(s.ttl/2, 500*time.Millisecond) }

// retryable reports whether err from the server is worth another try: no
// answer (refused, reset, timed out) or a server still loading its data.
// A reply the server made on purpose (a script error, a wrong type) is not.
func retryable(err error) bool {
	if err == nil || errors.Is(err, ErrStateLost) || errors.Is(err, context.Canceled) || errors.Is(err, redis.ErrClosed) {
		return false
	}
	var re redis.Error
	if errors.As(err, &re) {
		msg := re.Error()
		return strings.HasPrefix(msg, "LOADING") || strings.HasPrefix(msg, "BUSY") ||
			strings.HasPrefix(msg, "TRYAGAIN") || strings.HasPrefix(msg, "MASTERDOWN")
	}
	return true
}

// retry runs fn until it succeeds, fails for good, or the server has been
// unreachable for MaxOutage, waiting 100ms doubling to 10s between tries and
// logging each. An epoch error from a script becomes ErrStateLost.
func (s *Redis) retry(ctx context.Context, op string, fn func(context.Context) error) error {
	var start time.Time
	wait := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err != nil && strings.Contains(err.Error(), epochErr) {
			return fmt.Errorf("%w: run epoch %s is gone from %s", ErrStateLost, s.epoch, s.name)
		}
		if !retryable(err) {
			if err != nil && attempt > 1 {
				s.log.Info("redis: reachable again", "server", s.name, "op", op)
			}
			return err
		}
		if start.IsZero() {
			start = time.Now()
		}
		if time.Since(start) > s.outage {
			return fmt.Errorf("%s unreachable for %s: %w", s.name, s.outage, err)
		}
		s.log.Warn("redis: unreachable, pausing", "server", s.name, "op", op, "attempt", attempt, "retry_in", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %w (while unreachable: %w)", op, ctx.Err(), err)
		}
		wait = min(2*wait, 10*time.Second)
	}
}

// epochErr starts the error a script returns when the run epoch is not the
// one the store opened with.
const epochErr = "GISAEPOCH"

// luaHead checks the run epoch (ARGV[1] prefix, ARGV[2] epoch) and defines
// the helpers the scripts share.
const luaHead = `
local p, e = ARGV[1], ARGV[2]
if redis.call('GET', p..'epoch') ~= e then return redis.error_reply('GISAEPOCH run epoch missing or changed') end
local function be8(n)
  local t = {}
  for i = 8, 1, -1 do t[i] = string.char(n % 256); n = math.floor(n / 256) end
  return table.concat(t)
end
local function split(v)
  local z = string.find(v, '\0', 25, true)
  return string.sub(v, 1, 24), string.sub(v, 25, z - 1)
end
local function nowms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function unlease(url, host)
  redis.call('SREM', p..'l:'..host, url)
  if redis.call('SCARD', p..'l:'..host) == 0 then redis.call('SREM', p..'lhosts', host) end
end
local function requeue(url)
  local v = redis.call('HGET', p..'it', url)
  if v then
    local k, host = split(v)
    unlease(url, host)
    redis.call('ZADD', p..'q:'..host, 0, k..url)
    redis.call('SADD', p..'hosts', host)
  end
end
local function tidy(host)
  if redis.call('EXISTS', p..'q:'..host) == 0 and redis.call('EXISTS', p..'d:'..host) == 0 then
    redis.call('SREM', p..'hosts', host)
  end
end
`

// ARGV: p, e, then per item url, host, queue key without seq (16), delayed
// score or "", check record ("1"), item.
var scriptAdd = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
local added = 0
for i = 3, #ARGV, 6 do
  local url, host, k16, nb, chk, blob = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3], ARGV[i+4], ARGV[i+5]
  if redis.call('HEXISTS', p..'it', url) == 0 and not (chk == '1' and redis.call('HEXISTS', p..'rec', url) == 1) then
    local k = k16 .. be8(redis.call('INCR', p..'seq'))
    redis.call('HSET', p..'it', url, k .. host .. '\0' .. blob)
    if nb ~= '' then
      redis.call('ZADD', p..'d:'..host, nb, url)
    else
      redis.call('ZADD', p..'q:'..host, 0, k..url)
    end
    redis.call('SADD', p..'hosts', host)
    added = added + 1
  end
end
return added
`)
})

// ARGV: p, e, host, now (µs), n, lease ttl (ms), max due.
var scriptLease = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
local host, now, n, ttl, maxdue = ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local q, d = p..'q:'..host, p..'d:'..host
for _, url in ipairs(redis.call('ZRANGEBYSCORE', d, '-inf', now, 'LIMIT', 0, maxdue)) do
  redis.call('ZREM', d, url)
  local v = redis.call('HGET', p..'it', url)
  if v then redis.call('ZADD', q, 0, string.sub(v, 1, 24)..url) end
end
local exp = nowms() + ttl
local out = {}
local popped = redis.call('ZPOPMIN', q, n)
for i = 1, #popped, 2 do
  local url = string.sub(popped[i], 25)
  local v = redis.call('HGET', p..'it', url)
  if v then
    redis.call('ZADD', p..'leased', exp, url)
    redis.call('SADD', p..'l:'..host, url)
    out[#out+1] = url
    out[#out+1] = v
  end
end
if #out > 0 then redis.call('SADD', p..'lhosts', host) end
local wait = {}
local first = redis.call('ZRANGE', d, 0, 0)
if first[1] then wait = {first[1], redis.call('HGET', p..'it', first[1]) or ''} end
tidy(host)
return {out, wait}
`)
})

// ARGV: p, e, url, record as read ("" none), new record ("" none), old
// recent member, new recent member.
var scriptDone = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
local url, old, new, oldr, newr = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
if new ~= '' then
  local cur = redis.call('HGET', p..'rec', url) or ''
  if cur ~= old then return 0 end
end
local v = redis.call('HGET', p..'it', url)
if v then
  local k, host = split(v)
  redis.call('ZREM', p..'q:'..host, k..url)
  redis.call('ZREM', p..'d:'..host, url)
  redis.call('ZREM', p..'leased', url)
  unlease(url, host)
  redis.call('HDEL', p..'it', url)
  tidy(host)
end
if new ~= '' then
  redis.call('HSET', p..'rec', url, new)
  if oldr ~= '' then redis.call('ZREM', p..'recent', oldr) end
  if newr ~= '' then redis.call('ZADD', p..'recent', 0, newr) end
end
return 1
`)
})

// ARGV: p, e, url, item as read, new item, delayed score or "".
var scriptRetry = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
local url, old, new, nb = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if not redis.call('ZSCORE', p..'leased', url) then return 1 end
if redis.call('HGET', p..'it', url) ~= old then return 0 end
redis.call('ZREM', p..'leased', url)
redis.call('HSET', p..'it', url, new)
local k, host = split(new)
unlease(url, host)
if nb ~= '' then
  redis.call('ZADD', p..'d:'..host, nb, url)
else
  redis.call('ZADD', p..'q:'..host, 0, k..url)
end
redis.call('SADD', p..'hosts', host)
return 1
`)
})

// ARGV: p, e, urls...
var scriptRelease = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
for i = 3, #ARGV do
  if redis.call('ZREM', p..'leased', ARGV[i]) == 1 then requeue(ARGV[i]) end
end
return 1
`)
})

// ARGV: p, e, ttl (ms), urls...
var scriptRenew = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
local exp = nowms() + tonumber(ARGV[3])
for i = 4, #ARGV do redis.call('ZADD', p..'leased', 'XX', exp, ARGV[i]) end
return 1
`)
})

// delayScore is a NotBefore as a sorted-set score: µs since 1970, rounded
// up, so that an item is never due before its time.
func delayScore(t time.Time) string {
	us := t.UnixMicro()
	if t.Sub(time.UnixMicro(us)) > 0 {
		us++
	}
	return fmt.Sprint(us)
}

// nowScore is now as a delayed score bound: µs, rounded down.
func nowScore(t time.Time) string { return fmt.Sprint(t.UnixMicro()) }

// itemKey16 is the queue key's priority and inverted published time.
func itemKey16(it *Item) string {
	k := make([]byte, 0, 16)
	k = binary.BigEndian.AppendUint64(k, uint64(int64(it.Priority))^1<<63)
	k = binary.BigEndian.AppendUint64(k, publishedKey(it.Published))
	return string(k)
}

// encodeRedisItem encodes it for the it hash, without its URL (the
// field) and host (in the value's head), which the value would repeat.
func encodeRedisItem(it Item) string {
	it.URL, it.Host = "", ""
	return string(encodeItem(&it))
}

// encodeRedisRecord encodes r for the rec hash, without its URL (the field).
func encodeRedisRecord(r Record) string {
	r.URL = ""
	return string(encodeRecord(&r))
}

// decodeRedisRecord decodes the rec hash value v of url.
func decodeRedisRecord(url, v string) (Record, error) {
	r, err := decodeRecord([]byte(v))
	r.URL = url
	return r, err
}

// decodeRedisItem decodes the it hash value v of url.
func decodeRedisItem(url, v string) (Item, error) {
	z := strings.IndexByte(v[min(24, len(v)):], 0)
	if len(v) < 24 || z <= 0 {
		return Item{}, errors.New("bad item value")
	}
	it, err := decodeItemBody([]byte(v[24+z+1:]))
	if err != nil {
		return Item{}, err
	}
	it.URL, it.Host = url, v[24:24+z]
	it.seq = binary.BigEndian.Uint64([]byte(v[16:24]))
	return it, nil
}

func (s *Redis) corrupt(key, field string, err error) error {
	return fmt.Errorf("%w: %s key %s%s field %q: %w", ErrCorrupt, s.name, s.p, key, field, err)
}

// run runs a script with retries.
func (s *Redis) run(op string, sc *redis.Script, args ...any) (any, error) {
	var out any
	err := s.retry(s.ctx, op, func(ctx context.Context) error {
		var err error
		out, err = sc.Run(ctx, s.rdb, nil, append([]any{s.p, s.epoch}, args...)...).Result()
		return err
	})
	return out, err
}

// Add is Store.Add.
func (s *Redis) Add(items ...Item) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	args := make([]any, 0, 6*len(items))
	for _, it := range items {
		u, host, err := normalize(it.URL)
		if err != nil {
			return 0, fmt.Errorf("add: %w", err)
		}
		if !it.Kind.valid() {
			return 0, fmt.Errorf("add %s: unknown kind %q", u, it.Kind)
		}
		it.URL, it.Host, it.seq = u, host, 0
		nb := ""
		if !it.NotBefore.IsZero() {
			nb = delayScore(it.NotBefore)
		}
		chk := "0"
		if it.Kind == KindArticle && !it.Recheck {
			chk = "1"
		}
		args = append(args, u, host, itemKey16(&it), nb, chk, encodeRedisItem(it))
	}
	out, err := s.run("add", scriptAdd.Get(), args...)
	if err != nil {
		return 0, fmt.Errorf("add to %s: %w", s.name, err)
	}
	n, _ := out.(int64)
	return int(n), nil
}

// maxReclaim bounds the expired leases one call puts back.
const maxReclaim = 1000

// Lease is Store.Lease; the items stay leased for LeaseTTL after the last
// renewal.
func (s *Redis) Lease(host string, now time.Time, n int) (items []Item, wait time.Time, err error) {
	if n < 1 {
		return nil, time.Time{}, fmt.Errorf("lease %s: n is %d, want at least 1", host, n)
	}
	host = strings.ToLower(host)
	out, err := s.run("lease", scriptLease.Get(), host, nowScore(now), n, s.ttl.Milliseconds(), maxDue)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("lease %s from %s: %w", host, s.name, err)
	}
	parts, _ := out.([]any)
	if len(parts) != 2 {
		return nil, time.Time{}, fmt.Errorf("lease %s from %s: unexpected reply %v", host, s.name, out)
	}
	vals, _ := parts[0].([]any)
	urls := make([]string, 0, len(vals)/2)
	for i := 0; i+1 < len(vals); i += 2 {
		u, _ := vals[i].(string)
		v, _ := vals[i+1].(string)
		urls = append(urls, u)
		it, err := decodeRedisItem(u, v)
		if err != nil {
			s.hold(urls, host) // leased all the same: renewed, and reclaimed if never reported
			return nil, time.Time{}, s.corrupt("it", u, err)
		}
		items = append(items, it)
	}
	s.hold(urls, host)
	if w, _ := parts[1].([]any); len(w) == 2 {
		u, _ := w[0].(string)
		v, _ := w[1].(string)
		it, err := decodeRedisItem(u, v)
		if err != nil {
			return items, time.Time{}, s.corrupt("it", u, err)
		}
		wait = it.NotBefore
	}
	if len(items) == 0 && wait.IsZero() {
		// Nothing ready here, but other workers may hold some of the
		// host's items: look again soon, so the crawl does not end
		// before theirs (their items may fail, or their lease expire).
		var n int64
		err := s.retry(s.ctx, "lease", func(ctx context.Context) error {
			var err error
			n, err = s.rdb.SCard(ctx, s.p+"l:"+host).Result()
			return err
		})
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("lease %s from %s: %w", host, s.name, err)
		}
		if int(n) > s.heldBy()[host] {
			wait = now.Add(s.othersPoll())
		}
	}
	return items, wait, nil
}

// Hosts is Store.Hosts, but a host whose items are leased by other
// workers is listed too (Lease then tells when to look again), so that a
// worker's crawl ends only when every worker's does. It first puts back
// items whose lease expired. One round trip.
func (s *Redis) Hosts() ([]string, error) {
	out, err := s.run("hosts", scriptHosts.Get(), maxReclaim)
	if err != nil {
		return nil, fmt.Errorf("hosts of %s: %w", s.name, err)
	}
	parts, _ := out.([]any)
	if len(parts) != 2 {
		return nil, fmt.Errorf("hosts of %s: unexpected reply %v", s.name, out)
	}
	queued, _ := parts[0].([]any)
	var hosts []string
	for _, h := range queued {
		hs, _ := h.(string)
		hosts = append(hosts, hs)
	}
	mine := s.heldBy()
	leased, _ := parts[1].([]any)
	for i := 0; i+1 < len(leased); i += 2 {
		h, _ := leased[i].(string)
		n, _ := leased[i+1].(int64)
		if int(n) > mine[h] && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	slices.Sort(hosts)
	return hosts, nil
}

// ARGV: p, e, max. Puts back up to max items whose lease expired, and
// returns the hosts with queued items and, for each host with leased ones,
// the host and how many.
var scriptHosts = lazy.New(func() *redis.Script {
	return redis.NewScript(luaHead + `
for _, url in ipairs(redis.call('ZRANGEBYSCORE', p..'leased', '-inf', nowms(), 'LIMIT', 0, tonumber(ARGV[3]))) do
  redis.call('ZREM', p..'leased', url)
  requeue(url)
end
local leased = {}
for _, h in ipairs(redis.call('SMEMBERS', p..'lhosts')) do
  leased[#leased+1] = h
  leased[#leased+1] = redis.call('SCARD', p..'l:'..h)
end
return {redis.call('SMEMBERS', p..'hosts'), leased}
`)
})

// Done is Store.Done.
func (s *Redis) Done(it Item, rec *Record) error {
	u, r, err := doneRecord(it, rec)
	if err != nil {
		return err
	}
	for {
		var oldV, newV, oldR, newR string
		if rec != nil {
			old, err := s.get("rec", u)
			if err != nil {
				return fmt.Errorf("done %s in %s: %w", u, s.name, err)
			}
			r := r
			if old != "" {
				o, err := decodeRedisRecord(u, old)
				if err != nil {
					return s.corrupt("rec", u, err)
				}
				if !o.FirstFetched.IsZero() {
					r.FirstFetched = o.FirstFetched
				}
				if o.Kind == KindArticle {
					oldR = string(recentKey(recentTime(&o), u))
				}
			}
			if r.FirstFetched.IsZero() {
				r.FirstFetched = r.LastFetched
			}
			if r.Kind == KindArticle {
				newR = string(recentKey(recentTime(&r), u))
			}
			oldV, newV = old, encodeRedisRecord(r)
		}
		out, err := s.run("done", scriptDone.Get(), u, oldV, newV, oldR, newR)
		if err != nil {
			return fmt.Errorf("done %s in %s: %w", u, s.name, err)
		}
		if n, _ := out.(int64); n == 1 {
			s.hold([]string{u}, "")
			return nil
		}
		// Another worker changed the record between the read and the
		// write: read it again.
	}
}

// get reads a field of a hash; "" if there is none.
func (s *Redis) get(key, field string) (string, error) {
	var v string
	err := s.retry(s.ctx, "read", func(ctx context.Context) error {
		var err error
		v, err = s.rdb.HGet(ctx, s.p+key, field).Result()
		if errors.Is(err, redis.Nil) {
			v, err = "", nil
		}
		return err
	})
	return v, err
}

// Retry is Store.Retry.
func (s *Redis) Retry(it Item, notBefore time.Time) error {
	u, _, err := normalize(it.URL)
	if err != nil {
		return fmt.Errorf("retry: %w", err)
	}
	for {
		old, err := s.get("it", u)
		if err != nil {
			return fmt.Errorf("retry %s in %s: %w", u, s.name, err)
		}
		if old == "" {
			s.hold([]string{u}, "")
			return nil
		}
		cur, err := decodeRedisItem(u, old)
		if err != nil {
			return s.corrupt("it", u, err)
		}
		cur.Attempts++
		cur.NotBefore = notBefore
		nb := ""
		if !notBefore.IsZero() {
			nb = delayScore(notBefore)
		}
		head := old[:strings.IndexByte(old[24:], 0)+25]
		out, err := s.run("retry", scriptRetry.Get(), u, old, head+encodeRedisItem(cur), nb)
		if err != nil {
			return fmt.Errorf("retry %s in %s: %w", u, s.name, err)
		}
		if n, _ := out.(int64); n == 1 {
			s.hold([]string{u}, "")
			return nil
		}
	}
}

// Release is Store.Release.
func (s *Redis) Release(items ...Item) error {
	urls := make([]any, len(items))
	held := make([]string, len(items))
	for i, it := range items {
		u, _, err := normalize(it.URL)
		if err != nil {
			return fmt.Errorf("release: %w", err)
		}
		urls[i], held[i] = u, u
	}
	if len(urls) == 0 {
		return nil
	}
	if _, err := s.run("release", scriptRelease.Get(), urls...); err != nil {
		return fmt.Errorf("release in %s: %w", s.name, err)
	}
	s.hold(held, "")
	return nil
}

// Record is Store.Record.
func (s *Redis) Record(url string) (Record, bool, error) {
	u, _, err := normalize(url)
	if err != nil {
		return Record{}, false, fmt.Errorf("record: %w", err)
	}
	v, err := s.get("rec", u)
	if err != nil {
		return Record{}, false, fmt.Errorf("record %s in %s: %w", u, s.name, err)
	}
	if v == "" {
		return Record{}, false, nil
	}
	r, err := decodeRedisRecord(u, v)
	if err != nil {
		return Record{}, false, s.corrupt("rec", u, err)
	}
	return r, true, nil
}

// Recent is Store.Recent.
func (s *Redis) Recent(since time.Time, fn func(Record) error) error {
	min := "[" + string(binary.BigEndian.AppendUint64(nil, timeKey(since)))
	for {
		var keys []string
		var vals []any
		err := s.retry(s.ctx, "recent", func(ctx context.Context) error {
			var err error
			keys, err = s.rdb.ZRangeByLex(ctx, s.p+"recent", &redis.ZRangeBy{Min: min, Max: "+", Count: recentPage}).Result()
			if err != nil || len(keys) == 0 {
				return err
			}
			fields := make([]string, len(keys))
			for i, k := range keys {
				if len(k) <= 8 {
					return s.corrupt("recent", k, errors.New("bad key length"))
				}
				fields[i] = k[8:]
			}
			vals, err = s.rdb.HMGet(ctx, s.p+"rec", fields...).Result()
			return err
		})
		if err != nil {
			return fmt.Errorf("recent records in %s: %w", s.name, err)
		}
		for i, v := range vals {
			sv, ok := v.(string)
			if !ok {
				continue // removed since: not recent any more
			}
			r, err := decodeRedisRecord(keys[i][8:], sv)
			if err != nil {
				return s.corrupt("rec", keys[i][8:], err)
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(keys) < recentPage {
			return nil
		}
		min = "(" + keys[len(keys)-1]
	}
}

// Stats is Store.Stats: it counts every host's queue, so it is for
// progress reports.
func (s *Redis) Stats() (Stats, error) {
	var st Stats
	err := s.retry(s.ctx, "stats", func(ctx context.Context) error {
		st = Stats{}
		hosts, err := s.rdb.SMembers(ctx, s.p+"hosts").Result()
		if err != nil {
			return err
		}
		pipe := s.rdb.Pipeline()
		var cards []*redis.IntCmd
		for _, h := range hosts {
			cards = append(cards, pipe.ZCard(ctx, s.p+"q:"+h), pipe.ZCard(ctx, s.p+"d:"+h))
		}
		leased := pipe.ZCard(ctx, s.p+"leased")
		recs := pipe.HLen(ctx, s.p+"rec")
		if _, err := pipe.Exec(ctx); err != nil {
			return err
		}
		for _, c := range cards {
			st.Queued += int(c.Val())
		}
		st.Leased, st.Records = int(leased.Val()), int(recs.Val())
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats of %s: %w", s.name, err)
	}
	return st, nil
}
