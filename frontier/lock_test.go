package frontier

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gisa-news/gisa/internal/redistest"
)

// TestRedisLock: one holder at a time across processes (two stores); a
// holder that stops renewing loses the lock to the next, and its Renew
// then reports ErrLockLost; Unlock frees it at once and only for its
// holder.
func TestRedisLock(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t, redistest.Options{})
	a := openRedisTest(t, srv, RedisOptions{})
	b := openRedisTest(t, srv, RedisOptions{})

	la, ok, err := a.TryLock(ctx, "run:yna", time.Minute)
	if err != nil || !ok {
		t.Fatalf("first TryLock: %v %v", ok, err)
	}
	if _, ok, err := b.TryLock(ctx, "run:yna", time.Minute); err != nil || ok {
		t.Fatalf("second TryLock while held: %v %v, want false", ok, err)
	}
	if _, ok, _ := b.TryLock(ctx, "run:hani", time.Minute); !ok {
		t.Error("another name is locked too")
	}
	if err := la.Renew(ctx); err != nil {
		t.Errorf("Renew by the holder: %v", err)
	}
	if err := la.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	lb, ok, err := b.TryLock(ctx, "run:yna", 200*time.Millisecond)
	if err != nil || !ok {
		t.Fatalf("TryLock after Unlock: %v %v", ok, err)
	}
	if err := la.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.TryLock(ctx, "run:yna", time.Minute); ok {
		t.Fatal("an old holder's Unlock freed the new holder's lock")
	}
	// b stops renewing: the lock expires and a takes it.
	var la2 *Lock
	eventually(t, "expired lock taken over", func() bool {
		la2, ok, err = a.TryLock(ctx, "run:yna", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	})
	if err := lb.Renew(ctx); !errors.Is(err, ErrLockLost) {
		t.Errorf("Renew of an expired lock: %v, want ErrLockLost", err)
	}
	if err := la2.Renew(ctx); err != nil {
		t.Errorf("Renew by the new holder: %v", err)
	}
	if _, _, err := a.TryLock(ctx, "", time.Minute); err == nil {
		t.Error("TryLock with no name: no error")
	}
}
