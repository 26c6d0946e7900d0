package crawler

import (
	"fmt"
	"net/url"
	"time"

	"github.com/temoto/robotstxt"
)

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
// is parsed; 4xx (no file) allows everything, but 429 (slow down) is taken
// as 5xx: everything disallowed for now. A file that cannot be parsed allows everything, as crawlers do with
// lines they do not understand, and the error is returned for the log.
func parseRobots(status int, body []byte) (*robots, error) {
	if status == 429 {
		// Google reads a 429 as a server error: come back later.
		status = 503
	}
	data, err := robotstxt.FromStatusAndBytes(status, body)
	if err != nil {
		if status >= 200 && status < 300 {
			return &robots{}, fmt.Errorf("robots.txt unreadable, treated as allowing all: %w", err)
		}
		data, _ = robotstxt.FromStatusAndBytes(500, nil)
		return &robots{data: data}, fmt.Errorf("robots.txt answered status %d, treated as disallowing all", status)
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
