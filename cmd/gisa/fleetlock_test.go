package main

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/internal/fakeclock"
	"github.com/gisa-news/gisa/internal/redistest"
	"github.com/gisa-news/gisa/serve"
)

// skips records the slots a runLocker skipped.
type skips struct {
	mu  sync.Mutex
	got []string // "outlet slot reason"
}

func (s *skips) add(outlet string, slot time.Time, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, outlet+" "+slot.Format("15:04")+" "+reason)
}

func (s *skips) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.got) == 0 {
		return ""
	}
	return s.got[len(s.got)-1]
}

// TestRunLocker: the fleet's run lock of gisa serve, between two workers.
// A slot held by one is skipped by the other as held_elsewhere, naming the
// holder; fired again after the first unlocked (a late clock), it is
// skipped as already_run; the next slot runs. A lock lost (expired, taken
// over) cancels the run with ErrLockLost at the next renewal, and so does
// a lock that could not be renewed for a whole TTL (Redis gone). With
// Redis unreachable a slot is skipped as lock_error, never run.
func TestRunLocker(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	open := func(worker string) *frontier.Redis {
		f, err := frontier.OpenRedis(t.Context(), redis.NewClient(&redis.Options{Addr: srv.Addr, MaxRetries: -1}),
			frontier.RedisOptions{Worker: worker, MaxOutage: 300 * time.Millisecond, Logger: log})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	const ttl = time.Minute // renewals run on the fake clock: the TTL in Redis never runs out here
	var sa, sb skips
	ca := fakeclock.New(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	a := newRunLocker(open("host-a-1"), ttl, ca, log, sa.add)
	b := newRunLocker(open("host-b-2"), ttl, fakeclock.New(ca.Now()), log, sb.add)
	ctx := t.Context()
	slot := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

	runA, release, ok := a.acquire(ctx, "yna", slot)
	if !ok {
		t.Fatalf("first worker: slot skipped (%s)\n%s", sa.last(), logs.String())
	}
	if _, _, ok := b.acquire(ctx, "yna", slot); ok || sb.last() != "yna 10:00 "+serve.SkipHeldElsewhere {
		t.Errorf("second worker while the first runs: ok %v, skip %q", ok, sb.last())
	}
	if !strings.Contains(logs.String(), "holder=host-a-1") {
		t.Errorf("the holder is not logged:\n%s", logs.String())
	}
	// Renewals keep it: three of them, a TTL in all.
	for range 3 {
		ca.BlockUntil(1)
		ca.Advance(ttl / 3)
	}
	ca.BlockUntil(1) // renewed, waiting for the next one
	if runA.Err() != nil {
		t.Fatalf("run cancelled while its lock was renewed: %v", context.Cause(runA))
	}
	release()
	if runA.Err() == nil {
		t.Error("run context not ended by release")
	}
	if _, _, ok := b.acquire(ctx, "yna", slot); ok || sb.last() != "yna 10:00 "+serve.SkipAlreadyRun {
		t.Errorf("second worker after the first ran the slot: ok %v, skip %q", ok, sb.last())
	}
	if h, _ := b.rs.Holder(ctx, "run:yna"); h != "" {
		t.Errorf("the lock is held by %q after an already-run skip", h)
	}

	// The next slot runs on the other worker; its lock is lost (expired
	// and taken over): the next renewal cancels the run.
	runA, release, ok = a.acquire(ctx, "yna", slot.Add(time.Hour))
	if !ok {
		t.Fatalf("next slot skipped: %s", sa.last())
	}
	if _, err := srv.Do("DEL", "gisa:lock:run:yna"); err != nil {
		t.Fatal(err)
	}
	ca.BlockUntil(1)
	ca.Advance(ttl / 3)
	<-runA.Done()
	if err := context.Cause(runA); !errors.Is(err, frontier.ErrLockLost) {
		t.Errorf("run cancelled by %v, want ErrLockLost", err)
	}
	release()
	if !strings.Contains(logs.String(), "run lock lost") || !strings.Contains(logs.String(), "site=yna") {
		t.Errorf("the loss is not logged by outlet:\n%s", logs.String())
	}

	// Redis gone mid-run: renewals fail; once a TTL passed without one
	// the run is cancelled (by then its lock expired in Redis).
	runA, release, ok = a.acquire(ctx, "yna", slot.Add(2*time.Hour))
	if !ok {
		t.Fatalf("slot skipped: %s", sa.last())
	}
	srv.Stop()
	for range 2 {
		ca.BlockUntil(1)
		ca.Advance(ttl / 3)
		ca.BlockUntil(1)
		if runA.Err() != nil {
			t.Fatalf("run cancelled after one failed renewal, before its TTL: %v", context.Cause(runA))
		}
	}
	ca.Advance(ttl / 3)
	<-runA.Done()
	if err := context.Cause(runA); !errors.Is(err, errLockUnconfirmed) {
		t.Errorf("run cancelled by %v, want errLockUnconfirmed", err)
	}
	release()

	// Redis unreachable when a slot is due: skipped, counted, never run.
	if _, _, ok := b.acquire(ctx, "yna", slot.Add(3*time.Hour)); ok || sb.last() != "yna 13:00 "+serve.SkipLockError {
		t.Errorf("Redis down: ok %v, skip %q", ok, sb.last())
	}
	if !strings.Contains(logs.String(), "never run unlocked") {
		t.Errorf("the lock error is not logged:\n%s", logs.String())
	}
}
