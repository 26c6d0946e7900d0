package crawler

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gisa-news/gisa/internal/redact"
	"github.com/gisa-news/gisa/parser"
)

// Version names gisa in the User-Agent: the parser's version, which is
// gisa's (see parser.Version).
const Version = parser.Version

// Outlet is one outlet to crawl: its profile (hosts, article patterns and
// discovery sources) and its politeness settings.
type Outlet struct {
	Profile *parser.Profile
	// Delay spaces requests to each of the outlet's hosts; negative means
	// Config.Delay. A robots.txt Crawl-delay that is longer wins.
	Delay time.Duration
	// Concurrency caps requests in flight per host; 0 means
	// Config.Concurrency.
	Concurrency int
}

// Secret is a credential: it prints and logs as "[redacted]".
type Secret string

func (Secret) String() string { return "[redacted]" }

// LogValue keeps the secret out of logs.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// Credential is a user name and password sent as HTTP Basic auth. It logs
// with the password redacted.
type Credential struct {
	User     string
	Password Secret
}

// LogValue keeps the password out of logs.
func (c Credential) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", c.User), slog.Any("password", c.Password))
}

// Config configures a Crawler. Start from DefaultConfig.
type Config struct {
	Outlets []Outlet
	// Contact is a URL (or e-mail) where site owners learn about the crawl
	// and its operator; it goes into the User-Agent. Required.
	Contact string

	// Politeness per host, unless an outlet sets its own.
	Delay       time.Duration // spacing between request starts (default 1s)
	Concurrency int           // requests in flight per host (default 2)
	// Workers caps requests in flight over all hosts.
	Workers int
	// IgnoreRobots names hosts whose robots.txt is not obeyed, and the
	// portal hosts (Naver, Daum) that gisa otherwise refuses. Each use is
	// logged.
	IgnoreRobots []string

	// Fetching.
	ConnectTimeout time.Duration // TCP+TLS connect
	HeaderTimeout  time.Duration // request sent until response headers
	FetchTimeout   time.Duration // whole request, body included
	MaxBodyBytes   int           // a larger page fails with reason "too large" (feeds and sitemaps: 50 MB)
	MaxRedirects   int
	MaxAttempts    int           // tries per URL for retryable failures
	RetryBase      time.Duration // first backoff; doubles per attempt, with jitter
	RetryMax       time.Duration // backoff cap; also caps a Retry-After

	// Discovery.
	// MaxPages caps how many pages of a section list are followed from its
	// first page. Pagination also stops at a page that yields no new
	// article, so incremental crawls read one or two pages.
	MaxPages int
	// Since and Until (inclusive days, KST) turn on backfill: date-archive
	// pages for each day, and only sitemap entries in the range.
	Since, Until time.Time
	// NaverQueries are searched with the Naver Search Open API; each result
	// is fetched at its outlet. NaverID and NaverSecret are the API
	// credentials.
	NaverQueries  []string
	NaverID       string
	NaverSecret   Secret
	NaverEndpoint string // default discover.NaverSearchEndpoint
	NaverMax      int    // results per query (the API stops at 1,100)

	// Credentials are sent as HTTP Basic auth with every request to their
	// host, keyed as a normalized URL spells it ("host" or "host:port",
	// lower case, no default port), and to no other host. They stay in
	// memory: discovery sources must not carry user:password@, which would
	// be logged and stored with the URL (Validate refuses it).
	Credentials map[string]Credential

	// Incremental crawling: articles first fetched (or published) within
	// RecheckWindow are fetched again with a conditional GET; a changed body
	// becomes a new revision. 0 turns re-checks off.
	RecheckWindow time.Duration
	// RecheckInterval spares articles fetched less than this long ago.
	RecheckInterval time.Duration

	// Limits of one run: 0 means none.
	MaxArticles int           // new and updated articles stored
	MaxDuration time.Duration // then in-flight work finishes or is requeued

	// Gates, when not nil, makes each host's Gate from the host (as in
	// frontier.Item.Host), its spacing and its concurrency: a shared gate
	// (frontier.Redis.Gate) holds politeness across every worker of a
	// fleet. nil: gates within this process.
	Gates func(host string, delay time.Duration, concurrency int) Gate
	// Robots, when not nil, shares robots.txt answers among workers: a
	// host's file is fetched by one and read from the cache by the others.
	Robots RobotsCache
	// SharedFrontier says other runs (of other outlets, in the same
	// process) use the frontier too: URLs of hosts no selected outlet owns
	// are theirs, left queued rather than ended as out of scope.
	SharedFrontier bool

	Logger *slog.Logger // nil discards
	// Observer hears fetches, stored articles and the like, for metrics;
	// nil means none.
	Observer Observer
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time
}

// DefaultConfig returns the polite defaults: 1 request/s and 2 in flight
// per host, robots.txt obeyed, 3-day re-check window.
func DefaultConfig() Config {
	return Config{
		Delay:           time.Second,
		Concurrency:     2,
		Workers:         16,
		ConnectTimeout:  10 * time.Second,
		HeaderTimeout:   20 * time.Second,
		FetchTimeout:    60 * time.Second,
		MaxBodyBytes:    parser.DefaultMaxBytes,
		MaxRedirects:    5,
		MaxAttempts:     4,
		RetryBase:       2 * time.Second,
		RetryMax:        5 * time.Minute,
		MaxPages:        10,
		NaverMax:        100,
		RecheckWindow:   72 * time.Hour,
		RecheckInterval: time.Hour,
	}
}

// Validate reports the first setting that cannot work, naming it.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(c.Outlets) == 0 && len(c.NaverQueries) == 0 {
		bad("no outlets to crawl")
	}
	seen := map[string]bool{}
	for i, o := range c.Outlets {
		if o.Profile == nil {
			bad("outlets[%d]: no profile", i)
			continue
		}
		if seen[o.Profile.ID] {
			bad("outlets[%d]: outlet %q listed twice", i, o.Profile.ID)
		}
		seen[o.Profile.ID] = true
		if len(o.Profile.Hosts) == 0 {
			bad("outlet %q: no hosts", o.Profile.ID)
		}
		if o.Concurrency < 0 {
			bad("outlet %q: concurrency %d is negative", o.Profile.ID, o.Concurrency)
		}
		for _, list := range [][]string{o.Profile.Feeds, o.Profile.Sitemaps, o.Profile.Sections} {
			for _, s := range list {
				if err := checkURL(s); err != nil {
					bad("outlet %q: %v", o.Profile.ID, err)
				} else if u, _ := url.Parse(s); u.User != nil {
					bad("outlet %q: url %q has credentials in it: give them in Config.Credentials, kept out of logs and state", o.Profile.ID, u.Redacted())
				}
			}
		}
	}
	if err := checkContact(c.Contact); err != nil {
		bad("contact: %v", err)
	}
	if c.Delay < 0 {
		bad("delay %v is negative", c.Delay)
	}
	if c.Concurrency < 1 {
		bad("concurrency %d: must be at least 1", c.Concurrency)
	}
	if c.Workers < 1 {
		bad("workers %d: must be at least 1", c.Workers)
	}
	for name, d := range map[string]time.Duration{"connect timeout": c.ConnectTimeout, "header timeout": c.HeaderTimeout, "fetch timeout": c.FetchTimeout} {
		if d <= 0 {
			bad("%s %v: must be positive", name, d)
		}
	}
	if c.MaxBodyBytes < 1 {
		bad("max body bytes %d: must be positive", c.MaxBodyBytes)
	}
	if c.MaxRedirects < 0 || c.MaxAttempts < 1 || c.RetryBase < 0 || c.RetryMax < c.RetryBase {
		bad("retry settings: redirects %d, attempts %d, base %v, max %v", c.MaxRedirects, c.MaxAttempts, c.RetryBase, c.RetryMax)
	}
	if !c.Since.IsZero() || !c.Until.IsZero() {
		if c.Since.IsZero() {
			bad("until without since")
		} else if !c.Until.IsZero() && c.Until.Before(c.Since) {
			bad("until %s is before since %s", c.Until.Format(time.DateOnly), c.Since.Format(time.DateOnly))
		}
	}
	if len(c.NaverQueries) > 0 && (c.NaverID == "" || c.NaverSecret == "") {
		bad("naver search needs NAVER_CLIENT_ID and NAVER_CLIENT_SECRET")
	}
	if c.MaxArticles < 0 || c.MaxDuration < 0 || c.RecheckWindow < 0 || c.RecheckInterval < 0 || c.MaxPages < 0 || c.NaverMax < 0 {
		bad("limits must not be negative")
	}
	return errors.Join(errs...)
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		// The parser's error quotes the URL: it may hold a password.
		return fmt.Errorf("url %q: not a URL", redact.URL(s))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url %q: not an absolute http(s) URL", u.Redacted())
	}
	return nil
}

func checkContact(s string) error {
	switch {
	case s == "":
		return errors.New("required: a URL or e-mail where site owners can reach the operator")
	case strings.ContainsAny(s, "\r\n()"):
		return fmt.Errorf("%q: must not contain line breaks or parentheses", s)
	case strings.Contains(s, "@") && !strings.Contains(s, "/"):
		return nil
	}
	return checkURL(s)
}

// UserAgent is the honest User-Agent gisa sends: its name, version and the
// operator's contact.
func UserAgent(contact string) string {
	return "gisa/" + Version + " (+" + contact + ")"
}
