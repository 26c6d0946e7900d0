package frontier

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// crashEnv, when set, makes TestCrashRecovery the child process that works
// on the frontier at that path until it is killed.
const crashEnv = "GISA_FRONTIER_CRASH_CHILD"

const (
	crashHosts   = 3
	crashPerHost = 400
	crashLeased  = 120 // per host
	crashDone    = 20  // per host, of the leased ones
)

func crashURL(h, i int) string { return fmt.Sprintf("https://h%d.example.com/article/%d", h, i) }

// crashChild adds and leases items, reports some done, says "ready" and
// waits to be killed with SIGKILL: the previous process dying mid-fetch.
func crashChild(path string) error {
	s, err := Open(path, Options{}) // with fsync, as in production
	if err != nil {
		return err
	}
	var items []Item
	for h := range crashHosts {
		for i := range crashPerHost {
			items = append(items, Item{URL: crashURL(h, i), Kind: KindArticle, Priority: i % 2})
		}
	}
	if _, err := s.Add(items...); err != nil {
		return err
	}
	for h := range crashHosts {
		leased, _, err := s.Lease(fmt.Sprintf("h%d.example.com", h), t0, crashLeased)
		if err != nil {
			return err
		}
		for _, it := range leased[:crashDone] {
			if err := s.Done(it, &Record{Status: 200, LastFetched: t0}); err != nil {
				return err
			}
		}
	}
	fmt.Println("ready")
	_, err = io.Copy(io.Discard, os.Stdin) // the parent never closes it
	return err
}

func TestCrashRecovery(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		if err := crashChild(path); err != nil {
			fmt.Println("child:", err)
		}
		return
	}
	path := filepath.Join(t.TempDir(), "frontier.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashRecovery$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	sc := bufio.NewScanner(stdout)
	ready := false
	for sc.Scan() {
		if sc.Text() == "ready" {
			ready = true
			break
		}
		t.Logf("child: %s", sc.Text())
	}
	if !ready {
		t.Fatal("child exited before it was ready")
	}

	// While the child holds the file, another process cannot open it.
	if s, err := Open(path, Options{LockTimeout: 100 * time.Millisecond}); !errors.Is(err, ErrInUse) {
		if err == nil {
			_ = s.Close()
		}
		t.Errorf("Open while another process has the file: %v, want ErrInUse", err)
	}

	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()
	killed = true

	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := Stats{Queued: crashHosts * (crashPerHost - crashDone), Records: crashHosts * crashDone}
	if st := mustStats(t, s); st != want {
		t.Errorf("after the crash: %+v, want %+v", st, want)
	}
	hosts, err := s.Hosts()
	if err != nil || len(hosts) != crashHosts {
		t.Fatalf("Hosts = %q, %v", hosts, err)
	}
	for h, host := range hosts {
		items, _ := mustLease(t, s, host, t0, 10*crashPerHost)
		got := urlsOf(items)
		// Leased items went back to their places: first come the priority
		// 0 items, starting with the first leased and not done.
		if first := crashURL(h, 2*crashDone); len(got) == 0 || got[0] != first {
			t.Errorf("%s: first after the crash is %q, want %s", host, got[:min(1, len(got))], first)
		}
		var want []string
		// The first leased were priority 0 items, crashDone of them done.
		for i := range crashPerHost {
			if i%2 == 0 && i/2 < crashDone {
				continue
			}
			want = append(want, crashURL(h, i))
		}
		slices.Sort(got)
		slices.Sort(want)
		if len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("%s: duplicates after the crash", host)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d items after the crash, want %d", host, len(got), len(want))
		}
	}
}
