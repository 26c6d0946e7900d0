package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/schedule"
	"github.com/gisa-news/gisa/serve"
)

// defaultRunLockTTL is how long an outlet's run lock outlives its holder's
// last renewal. Renewed every third of it, it survives two missed renewals
// (a GC pause, a Redis failover); a dead worker's outlet is free again
// after at most this long, well within an hourly schedule.
const defaultRunLockTTL = 2 * time.Minute

// runLocker makes each scheduled run of an outlet happen on one worker of
// a fleet (gisa serve on several machines over one Redis state).
//
// A slot is identified by its nominal time, the cron slot (10:00:00), not
// by when a worker's timer fired: every worker computes the same slots from
// the same schedule, however far their clocks drift apart. Two things keep
// a slot to one run:
//
//   - the run lock run:<outlet>, held for the run's duration (TTL renewed
//     every TTL/3), so that a worker firing while another runs the outlet
//     finds it held and skips (held_elsewhere); and
//   - last:<outlet> in Redis, the slot claimed last, set under the lock
//     (frontier.Lock.ClaimSlot), so that a worker firing after the first
//     finished and unlocked (its clock late by more than the run took)
//     finds the slot already run and skips (already_run). A run longer than
//     the interval makes the slots it overlaps skipped on every worker (on
//     its own as still_running, on the others as held_elsewhere), as with
//     one worker.
//
// A slot is claimed when its run starts: a worker that dies mid-run does
// not have its slot run again (its leased URLs are requeued by the lease
// logic, and the next slot, on any worker once the lock expired, goes on
// from there). A lock that cannot be taken (Redis unreachable) skips the
// slot: a run is never unlocked.
type runLocker struct {
	rs  *frontier.Redis
	ttl time.Duration
	// clock times the renewals. The TTL runs on Redis's clock, real time,
	// whatever clock the schedule uses.
	clock schedule.Clock
	log   *slog.Logger
	skip  func(outlet string, slot time.Time, reason string)
}

// errLockUnconfirmed is the cause of a run cancelled because its lock
// could not be renewed for a whole TTL: by then it has expired in Redis,
// and another worker may hold it.
var errLockUnconfirmed = fmt.Errorf("%w: not renewed for a whole TTL", frontier.ErrLockLost)

// acquire takes the outlet's run lock and claims slot. When ok, the run
// goes on under runCtx, which is cancelled (cause wrapping
// frontier.ErrLockLost) if the lock is lost, and release must be called at
// its end. When not ok, the slot was skipped: logged and counted here.
func (r *runLocker) acquire(ctx context.Context, outlet string, slot time.Time) (runCtx context.Context, release func(), ok bool) {
	name := "run:" + outlet
	log := r.log.With("site", outlet, "slot", slot)
	// An unreachable Redis is retried (max_outage), but not for longer
	// than the lock would last: the slot is then skipped, not run late.
	lctx, cancel := context.WithTimeout(ctx, r.ttl)
	l, held, err := r.rs.TryLock(lctx, name, r.ttl)
	cancel()
	if err != nil {
		log.Warn("scheduled run skipped: the fleet's run lock could not be taken (never run unlocked)", "lock", name, "err", err)
		r.skip(outlet, slot, serve.SkipLockError)
		return nil, nil, false
	}
	if !held {
		hctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		holder, err := r.rs.Holder(hctx, name)
		cancel()
		if err != nil {
			holder = "unknown (" + err.Error() + ")"
		}
		log.Info("scheduled run skipped: another worker of the fleet runs this outlet", "holder", holder)
		r.skip(outlet, slot, serve.SkipHeldElsewhere)
		return nil, nil, false
	}
	unlock := func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := l.Unlock(uctx); err != nil {
			log.Warn("run lock: unlocking (it expires on its own)", "lock", name, "err", err)
		}
	}
	cctx, cancel := context.WithTimeout(ctx, r.ttl)
	claimed, last, err := l.ClaimSlot(cctx, outlet, slot)
	cancel()
	switch {
	case err != nil:
		log.Warn("scheduled run skipped: the slot could not be claimed (never run unclaimed)", "lock", name, "err", err)
		unlock()
		r.skip(outlet, slot, serve.SkipLockError)
		return nil, nil, false
	case !claimed:
		log.Info("scheduled run skipped: another worker of the fleet already ran this slot", "last_slot", last)
		unlock()
		r.skip(outlet, slot, serve.SkipAlreadyRun)
		return nil, nil, false
	}

	runCtx, cancelRun := context.WithCancelCause(ctx)
	stop := make(chan struct{})
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		r.renew(ctx, l, log, stop, cancelRun)
	}()
	release = func() {
		close(stop)
		<-renewed
		cancelRun(nil)
		unlock()
	}
	return runCtx, release, true
}

// renew renews l every TTL/3 until stop is closed, cancelling the run when
// the lock is lost, or was not renewed for a whole TTL (Redis unreachable:
// by Redis's clock it has expired).
func (r *runLocker) renew(ctx context.Context, l *frontier.Lock, log *slog.Logger, stop <-chan struct{}, cancelRun context.CancelCauseFunc) {
	every := r.ttl / 3
	confirmed := r.clock.Now()
	for {
		t := r.clock.NewTimer(every)
		select {
		case <-stop:
			t.Stop()
			return
		case <-t.C():
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), every)
		err := l.Renew(rctx)
		cancel()
		switch {
		case err == nil:
			confirmed = r.clock.Now()
			continue
		case errors.Is(err, frontier.ErrLockLost):
		case r.clock.Now().Sub(confirmed) >= r.ttl:
			err = fmt.Errorf("%w (last error: %w)", errLockUnconfirmed, err)
		default:
			log.Warn("run lock: renewal failed, trying again", "err", err, "retry_in", every)
			continue
		}
		log.Error("run lock lost: cancelling the run (its in-flight URLs go back to the queue)", "err", err)
		cancelRun(err)
		return
	}
}

// newRunLocker returns the run locker of a fleet over rs. ttl 0 is
// defaultRunLockTTL; clock nil is the system clock; log nil discards.
func newRunLocker(rs *frontier.Redis, ttl time.Duration, clock schedule.Clock, log *slog.Logger, skip func(outlet string, slot time.Time, reason string)) *runLocker {
	if ttl <= 0 {
		ttl = defaultRunLockTTL
	}
	if clock == nil {
		clock = schedule.SystemClock()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &runLocker{rs: rs, ttl: ttl, clock: clock, log: log, skip: skip}
}
