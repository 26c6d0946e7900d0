package crawler

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseRobots(t *testing.T) {
	const file = "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\nUser-agent: gisa\nDisallow: /news/secret\nAllow: /news/secret/ok\nCrawl-delay: 0.5\n\nSitemap: https://x.example/sitemap.xml\n"
	cases := []struct {
		name   string
		status int
		body   string
		allow  map[string]bool
		delay  time.Duration
		errs   bool
	}{
		{"gisa group wins over *", 200, file, map[string]bool{"/private/a": true, "/news/secret": false, "/news/secret/ok": true, "/news/1": true}, 500 * time.Millisecond, false},
		{"only *", 200, "User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n", map[string]bool{"/private/a": false, "/news/1": true}, 3 * time.Second, false},
		{"no file (404)", 404, "", map[string]bool{"/anything": true}, 0, false},
		{"forbidden (403) is no file", 403, "", map[string]bool{"/anything": true}, 0, false},

		{"empty", 200, "", map[string]bool{"/x": true}, 0, false},
		{"query is part of the path", 200, "User-agent: *\nDisallow: /search?\n", map[string]bool{"/search?q=1": false, "/search": true}, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := parseRobots(tc.status, []byte(tc.body))
			if (err != nil) != tc.errs {
				t.Fatalf("err = %v, want error %v", err, tc.errs)
			}
			for p, want := range tc.allow {
				u, _ := url.Parse("https://x.example" + p)
				if got := r.allows(u); got != want {
					t.Errorf("allows(%s) = %v, want %v", p, got, want)
				}
			}
			if r.delay != tc.delay {
				t.Errorf("delay = %v, want %v", r.delay, tc.delay)
			}
		})
	}
	// Not now: a server error, a 429, a status that is no answer.
	for _, status := range []int{500, 503, 429, 302, 100} {
		if r, err := parseRobots(status, nil); r != nil || err == nil || !strings.Contains(err.Error(), fmt.Sprint(status)) {
			t.Errorf("parseRobots(%d) = %v, %v; want nil and an error naming the status", status, r, err)
		}
	}
	r, _ := parseRobots(200, []byte(file))
	if len(r.sitemaps) != 1 || r.sitemaps[0] != "https://x.example/sitemap.xml" {
		t.Errorf("sitemaps = %q", r.sitemaps)
	}
	ignored := &robots{data: r.data, ignored: true}
	if u, _ := url.Parse("https://x.example/news/secret"); !ignored.allows(u) {
		t.Errorf("an ignored robots.txt still disallows")
	}
}

func FuzzParseRobots(f *testing.F) {
	f.Add(200, []byte("User-agent: *\nDisallow: /a\nCrawl-delay: 1.5\nSitemap: http://x/s.xml\n"))
	f.Add(200, []byte("User-agent: gisa\nAllow: /\n\x00\xff"))
	f.Add(500, []byte{})
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		r, err := parseRobots(status, body)
		if r == nil && err == nil {
			t.Fatal("nil robots without an error")
		}
		u, _ := url.Parse("https://x.example/a/b?c=d")
		r.allows(u) // nil-safe
	})
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"5", 5 * time.Second}, {" 120 ", 2 * time.Minute}, {"-3", 0}, {"soon", 0}, {"1.5", 0},
		{"Tue, 02 Jan 2024 03:04:35 GMT", 30 * time.Second}, {"Tue, 02 Jan 2024 03:00:00 GMT", 0},
	} {
		if got := retryAfter(tc.in, now); got != tc.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	c := &Crawler{cfg: Config{RetryBase: time.Second, RetryMax: 10 * time.Second}}
	for attempt, hi := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 5: 10 * time.Second, 30: 10 * time.Second} {
		for range 50 {
			d := c.backoff(attempt, 0)
			if d < hi/2 || d > hi {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, hi/2, hi)
			}
		}
	}
	if d := c.backoff(1, 7*time.Second); d != 7*time.Second {
		t.Errorf("a longer Retry-After must win: %v", d)
	}
	if d := c.backoff(1, time.Hour); d != 10*time.Second {
		t.Errorf("Retry-After must be capped at RetryMax: %v", d)
	}
}

func TestGateSpacing(t *testing.T) {
	g := newGate(100*time.Millisecond, time.Now)
	ctx := t.Context()
	// The moment each caller took the gate, as the gate saw it.
	taken := func() time.Time {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.next.Add(-g.delay)
	}
	var claims []time.Time
	for range 4 {
		if err := g.wait(ctx); err != nil {
			t.Fatal(err)
		}
		claims = append(claims, taken())
	}
	for i := 1; i < len(claims); i++ {
		if gap := claims[i].Sub(claims[i-1]); gap < 100*time.Millisecond {
			t.Errorf("gap %d = %v, want ≥ 100ms", i, gap)
		}
	}
	hold := time.Now().Add(300 * time.Millisecond)
	g.hold(hold)
	g.wait(ctx)
	if at := taken(); at.Before(hold) {
		t.Errorf("taken at %v, before the hold ended (%v)", at, hold)
	}
}
