package schedule_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gisa-news/gisa/internal/fakeclock"
	"github.com/gisa-news/gisa/schedule"
)

var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in      string
		next    time.Time // after start
		wantErr string
	}{
		{in: "@hourly", next: start.Add(time.Hour)},
		{in: "@every 10m", next: start.Add(10 * time.Minute)},
		{in: "@daily", next: start.Add(24 * time.Hour)},
		{in: "15 * * * *", next: start.Add(15 * time.Minute)},
		{in: "*/30 9-18 * * 1-5", next: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)},
		{in: "", wantErr: "empty schedule"},
		{in: "* * * *", wantErr: "expected exactly 5 fields"},
		{in: "0 0 * * * *", wantErr: "expected exactly 5 fields"},
		{in: "61 * * * *", wantErr: "61"},
		{in: "@sometimes", wantErr: "unrecognized descriptor"},
		{in: "@every 5s", wantErr: "at least 1m"},
		{in: "@every soon", wantErr: "soon"},
		{in: "CRON_TZ=Asia/Seoul 0 * * * *", wantErr: "time zones"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			sp, err := schedule.Parse(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Parse(%q) = %v, want an error containing %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sp.Next(start); !got.Equal(tc.next) {
				t.Errorf("Next = %v, want %v", got, tc.next)
			}
		})
	}
}

// harness runs a scheduler on a fake clock and records runs.
type harness struct {
	clock *fakeclock.Clock
	s     *schedule.Scheduler
	done  chan string
	began chan string
	mu    sync.Mutex
	runs  map[string][]time.Time // job → slots run
	at    map[string][]time.Time // job → clock time when started
	skips map[string]int
	block map[string]chan struct{} // runs of these jobs wait for a close
	stop  func()
	ended chan struct{}
}

func newHarness(t *testing.T, jobs []schedule.Job, grace time.Duration) *harness {
	h := &harness{clock: fakeclock.New(start), done: make(chan string, 1000), began: make(chan string, 1000), runs: map[string][]time.Time{}, at: map[string][]time.Time{}, skips: map[string]int{}, block: map[string]chan struct{}{}, ended: make(chan struct{})}
	run := func(ctx context.Context, id string, slot time.Time) {
		h.mu.Lock()
		h.runs[id] = append(h.runs[id], slot)
		h.at[id] = append(h.at[id], h.clock.Now())
		b := h.block[id]
		h.mu.Unlock()
		select { // the month's runs would fill it: only the first thousand
		case h.began <- id:
		default:
		}
		if b != nil {
			select {
			case <-b:
			case <-ctx.Done():
			}
		}
	}
	h.s = schedule.New(jobs, run, schedule.Options{Clock: h.clock, Grace: grace,
		OnSkip: func(id string, _ time.Time) { h.mu.Lock(); h.skips[id]++; h.mu.Unlock() },
		OnDone: func(id string) { h.done <- id },
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { h.s.Run(ctx); close(h.ended) }()
	h.stop = func() { cancel(); <-h.ended }
	t.Cleanup(func() {
		cancel()
		<-h.ended
	})
	h.clock.BlockUntil(1)
	return h
}

// step advances the clock by d and waits for n runs to end and the
// scheduler to wait again.
func (h *harness) step(d time.Duration, n int) {
	h.clock.Advance(d)
	for range n {
		<-h.done
	}
	h.clock.BlockUntil(1)
}

func hourly(n int) []schedule.Job {
	var jobs []schedule.Job
	for i := range n {
		jobs = append(jobs, schedule.Job{ID: fmt.Sprintf("outlet%02d", i), Spec: schedule.MustParse("@hourly")})
	}
	return jobs
}

// A simulated month of hourly schedules for 40 outlets: exactly one run per
// outlet per slot, and goroutines and heap flat from the first day to the
// last.
func TestMonthOfHourlyRuns(t *testing.T) {
	const outlets, days = 40, 30
	h := newHarness(t, hourly(outlets), 0)
	var goroutines [2]int
	var heap [2]uint64
	measure := func(i int) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		goroutines[i], heap[i] = runtime.NumGoroutine(), ms.HeapAlloc
	}
	for day := range days {
		for range 24 {
			h.step(time.Hour, outlets)
		}
		// Check the day's runs, then forget them: the record must not
		// be what grows.
		h.mu.Lock()
		if len(h.runs) != outlets {
			t.Errorf("day %d: %d outlets ran, want %d", day+1, len(h.runs), outlets)
		}
		for id, slots := range h.runs {
			if len(slots) != 24 {
				t.Errorf("day %d: %s ran %d times, want 24", day+1, id, len(slots))
			}
			for i, s := range slots {
				if want := start.Add(time.Duration(day*24+i+1) * time.Hour); !s.Equal(want) {
					t.Fatalf("%s run for slot %v, want %v", id, s, want)
				}
			}
		}
		clear(h.runs)
		clear(h.at)
		h.mu.Unlock()
		if day == 0 {
			measure(0)
		}
	}
	measure(1)
	t.Logf("day 1: %d goroutines, heap %d KB; day %d: %d goroutines, heap %d KB", goroutines[0], heap[0]>>10, days, goroutines[1], heap[1]>>10)
	if goroutines[1] > goroutines[0] {
		t.Errorf("goroutines grew from %d to %d", goroutines[0], goroutines[1])
	}
	if heap[1] > heap[0]+1<<20 {
		t.Errorf("heap grew from %d to %d bytes", heap[0], heap[1])
	}
}

// A run still going when the next slot comes: that slot is skipped and
// counted, and the slot after it runs once the run has ended.
func TestOverlappingRunIsSkipped(t *testing.T) {
	h := newHarness(t, hourly(2), 0)
	release := make(chan struct{})
	h.mu.Lock()
	h.block["outlet00"] = release
	h.mu.Unlock()
	h.step(time.Hour, 1) // outlet01 ends; outlet00 hangs
	for id := range h.began {
		if id == "outlet00" {
			break
		}
	}
	h.step(time.Hour, 1) // outlet00's second slot skipped
	h.mu.Lock()
	skips, runs0 := h.skips["outlet00"], len(h.runs["outlet00"])
	h.block["outlet00"] = nil
	h.mu.Unlock()
	if skips != 1 || runs0 != 1 {
		t.Fatalf("after two slots with the first run hanging: %d skips, %d runs; want 1, 1", skips, runs0)
	}
	for _, st := range h.s.Jobs() {
		if st.ID == "outlet00" && (st.Skipped != 1 || !st.Running) {
			t.Errorf("status %+v: want 1 skipped, running", st)
		}
	}
	close(release)
	<-h.done
	h.step(time.Hour, 2)
	h.mu.Lock()
	defer h.mu.Unlock()
	if got := h.runs["outlet00"]; len(got) != 2 || !got[1].Equal(start.Add(3*time.Hour)) {
		t.Errorf("outlet00 slots %v, want hours 1 and 3", got)
	}
	if got := h.runs["outlet01"]; len(got) != 3 {
		t.Errorf("outlet01 ran %d times, want 3", len(got))
	}
}

// Jitter delays each job's run by a fixed offset below it.
func TestJitter(t *testing.T) {
	jobs := []schedule.Job{{ID: "a", Spec: schedule.MustParse("@hourly"), Jitter: 10 * time.Minute}}
	off := jobs[0].Offset()
	if off < 0 || off >= 10*time.Minute || off == 0 {
		t.Fatalf("offset %v, want in (0, 10m)", off)
	}
	h := newHarness(t, jobs, 0)
	// Started on the slot: its run is off later.
	if next := h.s.Jobs()[0].Next; !next.Equal(start.Add(off)) {
		t.Errorf("next %v, want %v", next, start.Add(off))
	}
	h.step(off, 1)
	h.clock.Advance(time.Hour - time.Nanosecond) // past the next slot, not yet its offset
	h.clock.BlockUntil(1)
	h.mu.Lock()
	n := len(h.runs["a"])
	h.mu.Unlock()
	if n != 1 {
		t.Fatalf("ran %d times: before its offset", n)
	}
	h.step(time.Nanosecond, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.at["a"]) != 2 || !h.at["a"][1].Equal(start.Add(time.Hour+off)) || !h.runs["a"][1].Equal(start.Add(time.Hour)) {
		t.Errorf("started at %v for slots %v", h.at["a"], h.runs["a"])
	}
}

// Set replaces the jobs: a new schedule takes effect, a removed job stops,
// an added one starts.
func TestSetReplacesJobs(t *testing.T) {
	h := newHarness(t, hourly(2), 0)
	h.step(time.Hour, 2)
	h.s.Set([]schedule.Job{
		{ID: "outlet00", Spec: schedule.MustParse("@every 30m")},
		{ID: "new", Spec: schedule.MustParse("@hourly")},
	})
	h.clock.BlockUntil(1)
	for h.s.Jobs()[0].ID != "new" || len(h.s.Jobs()) != 2 {
		h.clock.BlockUntil(1) // the loop applies Set between timers
		runtime.Gosched()
	}
	h.step(30*time.Minute, 1)
	h.step(30*time.Minute, 2)
	h.mu.Lock()
	defer h.mu.Unlock()
	if n := len(h.runs["outlet00"]); n != 3 {
		t.Errorf("outlet00 ran %d times, want 3 (1 hourly, 2 every 30m)", n)
	}
	if n := len(h.runs["outlet01"]); n != 1 {
		t.Errorf("removed outlet01 ran %d times, want 1", n)
	}
	if n := len(h.runs["new"]); n != 1 {
		t.Errorf("added job ran %d times, want 1", n)
	}
}

// A job whose last slot (from an earlier process) is before a slot that
// has passed runs once at start, for that slot.
func TestMissedSlotRunsOnceAtStart(t *testing.T) {
	jobs := hourly(1)
	jobs[0].Last = start.Add(-3 * time.Hour)
	h := newHarness(t, jobs, 0)
	// Due at once: the fake clock's timer fired at creation.
	<-h.done
	h.clock.BlockUntil(1)
	h.mu.Lock()
	got := append([]time.Time(nil), h.runs["outlet00"]...)
	h.mu.Unlock()
	if len(got) != 1 || !got[0].Equal(start.Add(-2*time.Hour)) {
		t.Fatalf("catch-up runs %v, want one for %v", got, start.Add(-2*time.Hour))
	}
	h.step(time.Hour, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if got := h.runs["outlet00"]; len(got) != 2 || !got[1].Equal(start.Add(time.Hour)) {
		t.Errorf("runs %v: want the catch-up and then hour 1", got)
	}
}

// Stopping lets a running job go on for the grace period, then cancels it.
func TestStopCancelsAfterGrace(t *testing.T) {
	h := newHarness(t, hourly(1), 5*time.Minute)
	release := make(chan struct{})
	defer close(release)
	h.mu.Lock()
	h.block["outlet00"] = release
	h.mu.Unlock()
	h.clock.Advance(time.Hour)
	<-h.began
	h.clock.BlockUntil(1) // the next slot's timer
	made := h.clock.Made()
	ctxStopped := make(chan struct{})
	go func() { h.stop(); close(ctxStopped) }()
	h.clock.BlockUntilMade(made + 1) // the grace timer
	select {
	case <-ctxStopped:
		t.Fatal("stopped before the grace period ended")
	default:
	}
	h.clock.Advance(5 * time.Minute)
	<-ctxStopped
}
