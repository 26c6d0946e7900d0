package crawler

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/temoto/robotstxt"
)

// RobotsCache keeps robots.txt answers (status and body) by host
// (frontier.Item.Host) for a while, for every worker of a fleet. Robots
// reports ok false for a host it does not know (or no longer: entries
// expire after the ttl given to PutRobots); PutRobots replaces an entry.
// Implementations are safe for concurrent use.
type RobotsCache interface {
	Robots(ctx context.Context, host string) (status int, body []byte, ok bool, err error)
	PutRobots(ctx context.Context, host string, status int, body []byte, ttl time.Duration) error
}

// robotsAgent is the product token gisa matches in robots.txt groups.
const robotsAgent = "gisa"

// robots is what one host's robots.txt says to gisa.
type robots struct {
	data     *robotstxt.RobotsData // nil: everything allowed
	delay    time.Duration         // Crawl-delay of gisa's group
	sitemaps []string
	ignored  bool // the operator told gisa to ignore this host's robots.txt
}

// parseRobots reads a robots.txt response the way Google documents it: 2xx
// is parsed; 4xx (no file) allows everything. A 5xx, a 429 (slow down) or
// any other status means "not now": it returns nil and an error, and the
// host is skipped for the run with its URLs left queued, rather than every
// URL ended as disallowed. A 2xx file that cannot be parsed allows
// everything, as crawlers do with lines they do not understand, and the
// error is returned for the log.
func parseRobots(status int, body []byte) (*robots, error) {
	if status >= 500 || status == 429 || status < 200 || (status >= 300 && status < 400) {
		return nil, fmt.Errorf("robots.txt answered status %d", status)
	}
	data, err := robotstxt.FromStatusAndBytes(status, body)
	if err != nil {
		return &robots{}, fmt.Errorf("robots.txt unreadable, treated as allowing all: %w", err)
	}
	return &robots{data: data, delay: data.FindGroup(robotsAgent).CrawlDelay, sitemaps: data.Sitemaps}, nil
}

// allows reports whether robots.txt lets gisa fetch u.
func (r *robots) allows(u *url.URL) bool {
	if r == nil || r.ignored || r.data == nil {
		return true
	}
	return r.data.TestAgent(u.RequestURI(), robotsAgent)
}
