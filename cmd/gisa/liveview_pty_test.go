//go:build linux

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/gisa-news/gisa/internal/fixture"
)

// openPTY opens a pseudo-terminal of cols×rows: the side a program
// writes to (a terminal for it) and the side that reads what it wrote.
func openPTY(t *testing.T, cols, rows uint16) (term, reader *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	ioctl := func(req uintptr, arg unsafe.Pointer) error {
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), req, uintptr(arg)); e != 0 {
			return e
		}
		return nil
	}
	var unlock int32
	var n uint32
	if err := ioctl(syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		m.Close()
		t.Skipf("no pseudo-terminal: unlock: %v", err)
	}
	if err := ioctl(syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		m.Close()
		t.Skipf("no pseudo-terminal: number: %v", err)
	}
	ws := struct{ rows, cols, x, y uint16 }{rows, cols, 0, 0}
	if err := ioctl(syscall.TIOCSWINSZ, unsafe.Pointer(&ws)); err != nil {
		m.Close()
		t.Skipf("no pseudo-terminal: size: %v", err)
	}
	s, err := os.OpenFile("/dev/pts/"+itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("no pseudo-terminal: %v", err)
	}
	return s, m
}

func itoa(n uint32) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// gisa crawl with stderr on a terminal draws the view there, redrawn in
// place, its last drawing the summary's counts; stdout gets the summary
// only, as without a terminal. A run cut by --max-duration or SIGTERM
// ends the same way: the view's last drawing, then the summary.
func TestCrawlViewOnTerminal(t *testing.T) {
	// The slow article stalls 5 s: the run is cut before it ends.
	site := fixture.New(fixture.Options{SlowDelay: 5 * time.Second, BigSize: 17 << 20})
	defer site.Close()
	for _, tc := range []struct {
		name    string
		args    []string
		sigterm bool
		stopped string
	}{
		{"max-duration", []string{"--max-duration", "1500ms"}, false, "max-duration"},
		{"sigterm", nil, true, "interrupted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
			conf := writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: `+filepath.Join(dir, "archive")+`
profiles: [`+filepath.Join(dir, "fixture.yaml")+`]
fetch_timeout: 10s
retry_base: 10ms
max_attempts: 2
outlets:
  - id: fixture
    delay: 0s
    concurrency: 4
`)
			tty, reader := openPTY(t, 160, 40)
			defer reader.Close()
			var (
				mu    sync.Mutex
				drawn []byte
			)
			shown := make(chan struct{}) // the view's header is on the terminal
			read := make(chan struct{})
			go func() {
				defer close(read)
				buf := make([]byte, 4096)
				for {
					n, err := reader.Read(buf) // until the terminal side is closed (EIO)
					mu.Lock()
					had := bytes.Contains(drawn, []byte("outlet "))
					drawn = append(drawn, buf[:n]...)
					if !had && bytes.Contains(drawn, []byte("outlet ")) {
						close(shown)
					}
					mu.Unlock()
					if err != nil {
						return
					}
				}
			}()
			if tc.sigterm {
				// The view is drawn once gisa crawl handles SIGTERM itself,
				// and the run lasts until the slow article answers.
				go func() {
					select {
					case <-shown:
						syscall.Kill(os.Getpid(), syscall.SIGTERM)
					case <-read:
					}
				}()
			}
			var stdout bytes.Buffer
			code := run(append([]string{"crawl", "--config", conf}, tc.args...), strings.NewReader(""), &stdout, tty)
			tty.Close()
			<-read
			mu.Lock()
			out := strings.ReplaceAll(string(drawn), "\r", "")
			mu.Unlock()
			if code != exitOK {
				t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), out)
			}
			if !strings.Contains(out, "\x1b[") {
				t.Errorf("the view was not redrawn in place (no cursor movement):\n%q", out)
			}
			if strings.Contains(stdout.String(), "\x1b") || !strings.Contains(stdout.String(), "stopped: "+tc.stopped) {
				t.Errorf("stdout is not the plain summary of a run stopped by %s:\n%q", tc.stopped, stdout.String())
			}
			// The summary's row of the outlet: discovered, fetched, …, new, updated.
			var sum []string
			for _, line := range strings.Split(stdout.String(), "\n") {
				if f := strings.Fields(line); len(f) > 5 && f[0] == "fixture" {
					sum = f
				}
			}
			if sum == nil {
				t.Fatalf("no fixture row in the summary:\n%s", stdout.String())
			}
			frame := lastFrame(out)
			var row []string
			for _, line := range frame {
				if strings.HasPrefix(line, "fixture ") {
					row = strings.Fields(line)
				}
			}
			// The view: fixture, its name, discovered, fetched, new, updated,
			// errors, pages/s. The summary: fixture, discovered, fetched, not
			// modified, new, updated, ….
			if len(row) != 8 || row[2] != sum[1] || row[3] != sum[2] || row[4] != sum[4] || row[5] != sum[5] {
				t.Errorf("the view's last line of fixture %v, the summary's %v\n%s", row, sum, strings.Join(frame, "\n"))
			}
			if !strings.HasPrefix(frame[len(frame)-1], "total ") {
				t.Errorf("the view's last drawing does not end with the total:\n%s", strings.Join(frame, "\n"))
			}
			// The log (info by default) went through the view, above it.
			if !strings.Contains(out, "crawl started") {
				t.Errorf("the log's lines are missing from the terminal:\n%s", out)
			}
		})
	}
}
