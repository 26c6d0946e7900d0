package frontier

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

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
// worker has it), renews it while the run lasts, cancels the run on
// ErrLockLost, and unlocks it at the end.
type Lock struct {
	rdb   *redis.Client
	key   string
	token string
	ttl   time.Duration
}

// TryLock takes the lock called name for ttl. It returns false and a nil
// error when another holder has it. ttl must be at least a millisecond.
func (s *Redis) TryLock(ctx context.Context, name string, ttl time.Duration) (*Lock, bool, error) {
	if name == "" || ttl < time.Millisecond {
		return nil, false, fmt.Errorf("lock %q for %s: want a name and a TTL of at least 1ms", name, ttl)
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	l := &Lock{rdb: s.rdb, key: s.p + "lock:" + name, token: hex.EncodeToString(b[:]), ttl: ttl}
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

var scriptRenewLock = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)

var scriptUnlock = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// Renew extends the lock by its TTL from now. It returns an error wrapping
// ErrLockLost when the lock is no longer this holder's.
func (l *Lock) Renew(ctx context.Context) error {
	n, err := scriptRenewLock.Run(ctx, l.rdb, []string{l.key}, l.token, l.ttl.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("renew %s: %w", l.key, err)
	}
	if n != 1 {
		return fmt.Errorf("renew %s: %w", l.key, ErrLockLost)
	}
	return nil
}

// Unlock frees the lock if this holder still has it; it is idempotent.
func (l *Lock) Unlock(ctx context.Context) error {
	if err := scriptUnlock.Run(ctx, l.rdb, []string{l.key}, l.token).Err(); err != nil {
		return fmt.Errorf("unlock %s: %w", l.key, err)
	}
	return nil
}
