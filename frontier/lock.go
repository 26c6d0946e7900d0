package frontier

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/redis/go-redis/v9"
)

// ErrLockLost is returned by Lock.Renew when the lock expired (its holder
// did not renew it in time) or was taken over: the holder must stop the
// work the lock guarded.
var ErrLockLost = errors.New("run lock lost")

// Lock is a named lock in the Redis state, held by one process of the fleet
// at a time, with a TTL: a holder that dies frees it when the TTL runs out.
// The holder keeps it with Renew (every TTL/3 is safe) and frees it with
// Unlock. A Lock is safe for concurrent use.
//
// gisa serve on several machines takes "run:<outlet>" before a scheduled
// run of the outlet, skips the run when TryLock reports false (another
// worker has it), claims the slot with ClaimSlot (skipping it when another
// worker already ran it), renews the lock while the run lasts, cancels the
// run on ErrLockLost, and unlocks it at the end.
type Lock struct {
	rdb    *redis.Client
	key    string
	token  string // "<random> <worker>": the value of the key while held
	prefix string
	ttl    time.Duration
}

// TryLock takes the lock called name for ttl. It returns false and a nil
// error when another holder has it (Holder names it). ttl must be at least
// a millisecond. An unreachable server is retried for MaxOutage or until
// ctx ends.
func (s *Redis) TryLock(ctx context.Context, name string, ttl time.Duration) (*Lock, bool, error) {
	if name == "" || ttl < time.Millisecond {
		return nil, false, fmt.Errorf("lock %q for %s: want a name and a TTL of at least 1ms", name, ttl)
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	l := &Lock{rdb: s.rdb, key: s.p + "lock:" + name, token: hex.EncodeToString(b[:]) + " " + s.worker, prefix: s.p, ttl: ttl}
	var ok bool
	err := s.retry(ctx, "lock", func(ctx context.Context) error {
		var err error
		ok, err = s.rdb.SetNX(ctx, l.key, l.token, ttl).Result()
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("lock %s in %s: %w", name, s.name, err)
	}
	if !ok {
		return nil, false, nil
	}
	return l, true, nil
}

// Holder names the worker (RedisOptions.Worker) holding the lock called
// name, or "" when it is free.
func (s *Redis) Holder(ctx context.Context, name string) (string, error) {
	v, err := s.rdb.Get(ctx, s.p+"lock:"+name).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("holder of lock %s in %s: %w", name, s.name, err)
	}
	_, w, _ := strings.Cut(v, " ")
	return w, nil
}

// LastSlot is the last slot claimed for name (Lock.ClaimSlot), zero when
// none was.
func (s *Redis) LastSlot(ctx context.Context, name string) (time.Time, error) {
	v, err := s.rdb.Get(ctx, s.p+"last:"+name).Result()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last slot of %s in %s: %w", name, s.name, err)
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("last slot of %s in %s: %q is not a time in Unix ms", name, s.name, v)
	}
	return time.UnixMilli(ms), nil
}

var scriptRenewLock = lazy.New(func() *redis.Script {
	return redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)
})

var scriptUnlock = lazy.New(func() *redis.Script {
	return redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)
})

// scriptClaimSlot: KEYS lock, last; ARGV token, slot (Unix ms). Returns
// {-1} when the lock is not the caller's, {0, last} when a slot at or after
// this one was claimed, {1} when claimed.
var scriptClaimSlot = lazy.New(func() *redis.Script {
	return redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
local last = redis.call('GET', KEYS[2])
if last and tonumber(last) >= tonumber(ARGV[2]) then return {0, last} end
redis.call('SET', KEYS[2], ARGV[2])
return {1}`)
})

// Renew extends the lock by its TTL from now. It returns an error wrapping
// ErrLockLost when the lock is no longer this holder's.
func (l *Lock) Renew(ctx context.Context) error {
	n, err := scriptRenewLock.Get().Run(ctx, l.rdb, []string{l.key}, l.token, l.ttl.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("renew %s: %w", l.key, err)
	}
	if n != 1 {
		return fmt.Errorf("renew %s: %w", l.key, ErrLockLost)
	}
	return nil
}

// ClaimSlot records slot as the last one run for name, atomically with a
// check that l is still held: it returns false, and the slot claimed last,
// when a slot at or after this one was claimed already (by any holder of
// any Lock claiming name), and an error wrapping ErrLockLost when the lock
// is no longer this holder's. Slots are compared at millisecond precision.
//
// A lock alone keeps two workers from running at once; ClaimSlot keeps a
// worker whose clock is late, firing once the first worker finished and
// unlocked, from running the same slot again.
func (l *Lock) ClaimSlot(ctx context.Context, name string, slot time.Time) (bool, time.Time, error) {
	if name == "" || slot.IsZero() {
		return false, time.Time{}, fmt.Errorf("claim slot %v of %q: want a name and a slot", slot, name)
	}
	res, err := scriptClaimSlot.Get().Run(ctx, l.rdb, []string{l.key, l.prefix + "last:" + name}, l.token, slot.UnixMilli()).Slice()
	if err != nil {
		return false, time.Time{}, fmt.Errorf("claim slot %v of %s: %w", slot, name, err)
	}
	code, _ := res[0].(int64)
	switch code {
	case 1:
		return true, time.Time{}, nil
	case 0:
		var last time.Time
		if len(res) > 1 {
			if s, ok := res[1].(string); ok {
				if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
					last = time.UnixMilli(ms)
				}
			}
		}
		return false, last, nil
	}
	return false, time.Time{}, fmt.Errorf("claim slot %v of %s under %s: %w", slot, name, l.key, ErrLockLost)
}

// Unlock frees the lock if this holder still has it; it is idempotent.
func (l *Lock) Unlock(ctx context.Context) error {
	if err := scriptUnlock.Get().Run(ctx, l.rdb, []string{l.key}, l.token).Err(); err != nil {
		return fmt.Errorf("unlock %s: %w", l.key, err)
	}
	return nil
}
