package frontier

import (
	"context"
	"errors"
	"strings"
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

// TestRedisLockClaimSlot: a slot is claimed once across holders, however
// late a second holder comes for it (its clock behind, or after the first
// unlocked); a later slot is claimed again; an earlier one is refused;
// a holder whose lock was lost claims nothing. Holder names the worker
// holding a lock, and LastSlot the slot claimed last.
func TestRedisLockClaimSlot(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t, redistest.Options{})
	a := openRedisTest(t, srv, RedisOptions{Worker: "host-a-1"})
	b := openRedisTest(t, srv, RedisOptions{Worker: "host-b-2"})
	slot := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

	if last, err := a.LastSlot(ctx, "yna"); err != nil || !last.IsZero() {
		t.Fatalf("LastSlot before any claim: %v %v", last, err)
	}
	la, ok, err := a.TryLock(ctx, "run:yna", time.Minute)
	if err != nil || !ok {
		t.Fatalf("TryLock: %v %v", ok, err)
	}
	if h, err := b.Holder(ctx, "run:yna"); err != nil || h != "host-a-1" {
		t.Errorf("Holder = %q, %v; want host-a-1", h, err)
	}
	if h, err := b.Holder(ctx, "run:hani"); err != nil || h != "" {
		t.Errorf("Holder of a free lock = %q, %v", h, err)
	}
	if ok, _, err := la.ClaimSlot(ctx, "yna", slot); err != nil || !ok {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if err := la.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if last, err := b.LastSlot(ctx, "yna"); err != nil || !last.Equal(slot) {
		t.Errorf("LastSlot = %v, %v; want %v", last, err, slot)
	}
	// b fires for the same slot after a finished: refused, told the last.
	lb, ok, err := b.TryLock(ctx, "run:yna", time.Minute)
	if err != nil || !ok {
		t.Fatalf("TryLock after unlock: %v %v", ok, err)
	}
	for _, s := range []time.Time{slot, slot.Add(-time.Hour)} {
		if ok, last, err := lb.ClaimSlot(ctx, "yna", s); err != nil || ok || !last.Equal(slot) {
			t.Errorf("claim of %v after %v was claimed: %v, last %v, %v", s, slot, ok, last, err)
		}
	}
	if ok, _, err := lb.ClaimSlot(ctx, "yna", slot.Add(time.Hour)); err != nil || !ok {
		t.Errorf("claim of the next slot: %v %v", ok, err)
	}
	// Another outlet's slots are its own.
	if ok, _, err := lb.ClaimSlot(ctx, "hani", slot); err != nil || !ok {
		t.Errorf("claim of another name: %v %v", ok, err)
	}
	// The lock lost (expired, taken over): nothing is claimed.
	if _, err := srv.Do("DEL", "gisa:lock:run:yna"); err != nil {
		t.Fatal(err)
	}
	if ok, _, err := lb.ClaimSlot(ctx, "yna", slot.Add(2*time.Hour)); ok || !errors.Is(err, ErrLockLost) {
		t.Errorf("claim without the lock: %v %v, want ErrLockLost", ok, err)
	}
	if last, _ := a.LastSlot(ctx, "yna"); !last.Equal(slot.Add(time.Hour)) {
		t.Errorf("LastSlot after a refused claim = %v", last)
	}
	if _, _, err := lb.ClaimSlot(ctx, "", slot); err == nil {
		t.Error("claim with no name: no error")
	}
	if _, err := srv.Do("SET", "gisa:last:bad", "yesterday"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.LastSlot(ctx, "bad"); err == nil || !strings.Contains(err.Error(), "yesterday") {
		t.Errorf("LastSlot of a bad value: %v", err)
	}
}
