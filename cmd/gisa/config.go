package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/frontier"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/schedule"
	"github.com/gisa-news/gisa/serve"
)

// defaultContact goes into the User-Agent when the config names none: the
// project's page, which explains what gisa is.
const defaultContact = "https://github.com/gisa-news/gisa"

// Config is gisa's configuration file (YAML, unknown keys refused). Every
// key is optional; DefaultConfig gives the values of an absent one.
type Config struct {
	// Contact is a URL or e-mail for site owners; it goes into the
	// User-Agent.
	Contact string `yaml:"contact"`
	// Out is the archive: a directory, or s3://bucket/prefix.
	Out string `yaml:"out"`
	// State is the crawl state (frontier) file; default <out>/.gisa, or
	// ./.gisa-state when out is in S3.
	State string `yaml:"state"`
	// Outlets to crawl: built-in profiles by id, or user-defined outlets.
	Outlets []OutletConfig `yaml:"outlets"`
	// Profiles are extra profile files (as gisa sites --profiles).
	Profiles []string `yaml:"profiles"`

	// Politeness for every host unless an outlet sets its own.
	Delay       *time.Duration `yaml:"delay"`
	Concurrency int            `yaml:"concurrency"`
	Workers     int            `yaml:"workers"`
	// IgnoreRobots names hosts whose robots.txt gisa does not obey (and the
	// Naver/Daum hosts it otherwise refuses). Use only with the site's
	// permission; every use is logged.
	IgnoreRobots []string `yaml:"ignore_robots"`

	RecheckWindow   *time.Duration `yaml:"recheck_window"`
	RecheckInterval *time.Duration `yaml:"recheck_interval"`
	MaxPages        int            `yaml:"max_pages"`
	FetchTimeout    time.Duration  `yaml:"fetch_timeout"`
	MaxAttempts     int            `yaml:"max_attempts"`
	RetryBase       time.Duration  `yaml:"retry_base"`

	// NaverQueries are searched with the Naver Search Open API on every
	// crawl (credentials from NAVER_CLIENT_ID / NAVER_CLIENT_SECRET).
	NaverQueries []string `yaml:"naver_queries"`

	// Storage is where the archive and the state go: out, state and the
	// S3 endpoint (out and state may be given at the top level instead).
	Storage StorageConfig `yaml:"storage"`
	// S3Endpoint is storage.s3_endpoint once loaded.
	S3Endpoint string `yaml:"-"`

	// Schedule is gisa serve's default for outlets that set none: a
	// five-field cron expression or a descriptor (@hourly, @every 30m).
	Schedule string `yaml:"schedule"`
	// Jitter delays each outlet's runs by a fixed offset below it, so that
	// outlets of one schedule do not start together.
	Jitter *time.Duration `yaml:"jitter"`
	// Serve configures gisa serve.
	Serve ServeConfig `yaml:"serve"`
	// Alarms set when gisa serve warns of an outlet.
	Alarms AlarmsConfig `yaml:"alarms"`
}

// StorageConfig is the storage: key.
type StorageConfig struct {
	Out        string `yaml:"out"`
	State      string `yaml:"state"`
	S3Endpoint string `yaml:"s3_endpoint"`
}

// ServeConfig is the serve: key.
type ServeConfig struct {
	// Listen is the address of the HTTP endpoints; default 127.0.0.1:9300.
	Listen string `yaml:"listen"`
	// Grace is how long runs may go on after SIGTERM before their
	// in-flight work is requeued; default 30s.
	Grace *time.Duration `yaml:"grace"`
	// StateFile keeps the history of runs; default <state>-serve.json.
	StateFile string `yaml:"state_file"`
}

// AlarmsConfig is the alarms: key (see serve.AlarmConfig).
type AlarmsConfig struct {
	Runs      int      `yaml:"runs"`
	MinHealth *float64 `yaml:"min_health"`
	Fields    []string `yaml:"fields"`
	EmptyRuns int      `yaml:"empty_runs"`
}

// defaultListen is where gisa serve listens unless told otherwise.
const defaultListen = "127.0.0.1:9300"

// OutletConfig is one entry of outlets: an id alone picks the built-in
// profile; with hosts it defines an outlet (every profile key is allowed, as
// in parser/profiles/*.yaml). delay and concurrency set its politeness.
type OutletConfig struct {
	parser.Profile `yaml:",inline"`
	// ArticlePattern is a single article URL pattern (article_patterns
	// takes a list).
	ArticlePattern string         `yaml:"article_pattern"`
	Delay          *time.Duration `yaml:"delay"`
	Concurrency    int            `yaml:"concurrency"`
	// Schedule and Jitter override the config's for gisa serve.
	Schedule string         `yaml:"schedule"`
	Jitter   *time.Duration `yaml:"jitter"`
}

// DefaultConfig is the configuration without a file: built-in outlets into
// ./archive, the state beside it.
func DefaultConfig() Config {
	return Config{Contact: defaultContact, Out: "archive"}
}

// loadConfig reads a config file strictly over the defaults.
func loadConfig(name string) (Config, error) {
	cfg := DefaultConfig()
	if name == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return cfg, fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return cfg, fmt.Errorf("config %s: %w", name, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return cfg, fmt.Errorf("config %s: %w", name, err)
	}
	if err := cfg.validateServe(&doc); err != nil {
		return cfg, fmt.Errorf("config %s: %w", name, err)
	}
	switch {
	case cfg.Storage.Out != "" && hasKey(&doc, "out"):
		return cfg, fmt.Errorf("config %s: line %d: storage.out and out both set: keep one", name, keyLine(&doc, "storage", "out"))
	case cfg.Storage.State != "" && hasKey(&doc, "state"):
		return cfg, fmt.Errorf("config %s: line %d: storage.state and state both set: keep one", name, keyLine(&doc, "storage", "state"))
	}
	if cfg.Storage.Out != "" {
		cfg.Out = cfg.Storage.Out
	}
	if cfg.Storage.State != "" {
		cfg.State = cfg.Storage.State
	}
	cfg.S3Endpoint = cfg.Storage.S3Endpoint
	if cfg.Contact == "" {
		cfg.Contact = defaultContact
	}
	if cfg.Out == "" {
		cfg.Out = "archive"
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("config %s: %w", name, err)
	}
	// Relative profile files are relative to the config file.
	for i, p := range cfg.Profiles {
		if !filepath.IsAbs(p) {
			cfg.Profiles[i] = filepath.Join(filepath.Dir(name), p)
		}
	}
	return cfg, nil
}

// Validate checks what can be checked without the profiles.
func (c *Config) Validate() error {
	var errs []error
	for i, o := range c.Outlets {
		if o.ID == "" {
			errs = append(errs, fmt.Errorf("outlets[%d]: id is required", i))
		}
		if o.Concurrency < 0 {
			errs = append(errs, fmt.Errorf("outlet %s: concurrency %d is negative", o.ID, o.Concurrency))
		}
		if o.Delay != nil && *o.Delay < 0 {
			errs = append(errs, fmt.Errorf("outlet %s: delay %v is negative", o.ID, *o.Delay))
		}
	}
	if c.Delay != nil && *c.Delay < 0 {
		errs = append(errs, fmt.Errorf("delay %v is negative", *c.Delay))
	}
	if c.Concurrency < 0 || c.Workers < 0 || c.MaxPages < 0 || c.MaxAttempts < 0 || c.FetchTimeout < 0 || c.RetryBase < 0 {
		errs = append(errs, errors.New("concurrency, workers, max_pages, max_attempts, fetch_timeout and retry_base must not be negative"))
	}
	return errors.Join(errs...)
}

// takeCredentials moves the user:password@ of the config's discovery
// sources into a table of Basic-auth credentials by host, leaving the URLs
// without them: the crawler logs and stores URLs, and the password must be
// in neither. Two different credentials for one host are an error.
func takeCredentials(cfg *Config) (map[string]crawler.Credential, error) {
	creds := map[string]crawler.Credential{}
	var errs []error
	for i := range cfg.Outlets {
		o := &cfg.Outlets[i]
		for _, list := range [][]string{o.Feeds, o.Sitemaps, o.Sections, o.Archives} {
			for j, s := range list {
				u, err := url.Parse(s)
				if err != nil || u.User == nil {
					continue // the crawler's checks name a bad URL, redacted
				}
				pw, _ := u.User.Password()
				c := crawler.Credential{User: u.User.Username(), Password: crawler.Secret(pw)}
				u.User = nil
				list[j] = u.String()
				host := strings.ToLower(u.Host)
				if n, err := frontier.Normalize(list[j]); err == nil {
					if nu, err := url.Parse(n); err == nil {
						host = nu.Host // as the crawler's URLs spell it
					}
				}
				if prev, ok := creds[host]; ok && prev != c {
					errs = append(errs, fmt.Errorf("outlet %s: %s: other credentials than another source of host %s; one per host", o.ID, list[j], host))
					continue
				}
				creds[host] = c
			}
		}
	}
	return creds, errors.Join(errs...)
}

// defines reports whether an outlet entry defines a profile rather than
// naming a built-in one.
func (o *OutletConfig) defines() bool {
	p := o.Profile
	return p.Name != "" || len(p.Hosts) > 0 || len(p.ArticlePatterns) > 0 || o.ArticlePattern != "" ||
		len(p.Feeds) > 0 || len(p.Sitemaps) > 0 || len(p.Sections) > 0 || len(p.Archives) > 0 || p.Detect != ""
}

// resolveOutlets turns the config's outlets (or the command line's ids) into
// crawler outlets, adding user-defined profiles to set. With neither, every
// built-in outlet that has discovery sources is crawled, portals excepted.
func resolveOutlets(cfg *Config, ids []string, set *parser.Profiles) ([]crawler.Outlet, *parser.Profiles, error) {
	var defined []*parser.Profile
	for i := range cfg.Outlets {
		o := &cfg.Outlets[i]
		if !o.defines() {
			continue
		}
		p := o.Profile
		if o.ArticlePattern != "" {
			p.ArticlePatterns = append([]string{o.ArticlePattern}, p.ArticlePatterns...)
		}
		if p.Language == "" {
			p.Language = "ko"
		}
		if p.Name == "" {
			p.Name = p.ID
		}
		if len(p.Hosts) == 0 {
			// The hosts of its own discovery sources.
			seen := map[string]bool{}
			for _, list := range [][]string{p.Feeds, p.Sitemaps, p.Sections, p.Archives} {
				for _, s := range list {
					if u, err := url.Parse(s); err == nil && u.Hostname() != "" && !seen[u.Hostname()] {
						seen[u.Hostname()] = true
						p.Hosts = append(p.Hosts, u.Hostname())
					}
				}
			}
		}
		defined = append(defined, &p)
	}
	if len(defined) > 0 {
		var err error
		if set, err = set.With(defined...); err != nil {
			return nil, nil, fmt.Errorf("config outlets: %w", err)
		}
	}
	settings := map[string]*OutletConfig{}
	for i := range cfg.Outlets {
		settings[cfg.Outlets[i].ID] = &cfg.Outlets[i]
	}
	if len(ids) == 0 {
		for _, o := range cfg.Outlets {
			ids = append(ids, o.ID)
		}
	}
	if len(ids) == 0 && len(cfg.NaverQueries) == 0 {
		for _, p := range set.All() {
			if p.Portal == "" && len(p.Hosts) > 0 && len(p.Feeds)+len(p.Sitemaps)+len(p.Sections) > 0 {
				ids = append(ids, p.ID)
			}
		}
	}
	var out []crawler.Outlet
	var unknown []string
	for _, id := range ids {
		p := set.ByID(id)
		if p == nil {
			unknown = append(unknown, id)
			continue
		}
		o := crawler.Outlet{Profile: p, Delay: -1}
		if s := settings[id]; s != nil {
			if s.Delay != nil {
				o.Delay = *s.Delay
			}
			o.Concurrency = s.Concurrency
		}
		out = append(out, o)
	}
	if len(unknown) > 0 {
		return nil, nil, fmt.Errorf("unknown outlet %s (gisa sites lists them; a config entry with hosts defines a new one)", strings.Join(unknown, ", "))
	}
	return out, set, nil
}

// validateServe checks the keys of gisa serve (schedules, jitter, serve,
// alarms, the S3 endpoint), naming the line of a bad value.
func (c *Config) validateServe(doc *yaml.Node) error {
	var errs []error
	bad := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("line %d: %s", line, fmt.Sprintf(format, args...)))
	}
	if c.Schedule != "" {
		if _, err := schedule.Parse(c.Schedule); err != nil {
			bad(keyLine(doc, "schedule"), "%v", err)
		}
	}
	if c.Jitter != nil && *c.Jitter < 0 {
		bad(keyLine(doc, "jitter"), "jitter %v is negative", *c.Jitter)
	}
	for i, o := range c.Outlets {
		if o.Schedule != "" {
			if _, err := schedule.Parse(o.Schedule); err != nil {
				bad(keyLine(doc, "outlets", strconv.Itoa(i), "schedule"), "outlet %s: %v", o.ID, err)
			}
		}
		if o.Jitter != nil && *o.Jitter < 0 {
			bad(keyLine(doc, "outlets", strconv.Itoa(i), "jitter"), "outlet %s: jitter %v is negative", o.ID, *o.Jitter)
		}
	}
	if l := c.Serve.Listen; l != "" {
		if _, port, err := net.SplitHostPort(l); err != nil {
			bad(keyLine(doc, "serve", "listen"), "serve.listen %q: want host:port (127.0.0.1:9300)", l)
		} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			bad(keyLine(doc, "serve", "listen"), "serve.listen %q: port %q is not a number from 0 to 65535", l, port)
		}
	}
	if g := c.Serve.Grace; g != nil && *g < 0 {
		bad(keyLine(doc, "serve", "grace"), "serve.grace %v is negative", *g)
	}
	if e := c.Storage.S3Endpoint; e != "" {
		if u, err := url.Parse(e); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(keyLine(doc, "storage", "s3_endpoint"), "storage.s3_endpoint %q: want an http(s) URL", e)
		} else if u.User != nil {
			bad(keyLine(doc, "storage", "s3_endpoint"), "storage.s3_endpoint: no credentials in the URL (use AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)")
		}
	}
	if c.Alarms.Runs < 0 {
		bad(keyLine(doc, "alarms", "runs"), "alarms.runs %d is negative", c.Alarms.Runs)
	}
	if c.Alarms.EmptyRuns < 0 {
		bad(keyLine(doc, "alarms", "empty_runs"), "alarms.empty_runs %d is negative", c.Alarms.EmptyRuns)
	}
	if h := c.Alarms.MinHealth; h != nil && (*h < 0 || *h > 1) {
		bad(keyLine(doc, "alarms", "min_health"), "alarms.min_health %v: want a share from 0 to 1 (0.8 is 80 %%)", *h)
	}
	for i, f := range c.Alarms.Fields {
		if !slices.Contains(serve.Fields, f) {
			bad(keyLine(doc, "alarms", "fields", strconv.Itoa(i)), "alarms.fields: %q is not one of %s", f, strings.Join(serve.Fields, ", "))
		}
	}
	return errors.Join(errs...)
}

// alarmConfig is the alarms of the config over the defaults.
func (c *Config) alarmConfig() serve.AlarmConfig {
	a := serve.DefaultAlarms()
	if c.Alarms.Runs > 0 {
		a.Runs = c.Alarms.Runs
	}
	if c.Alarms.EmptyRuns > 0 {
		a.EmptyRuns = c.Alarms.EmptyRuns
	}
	if c.Alarms.MinHealth != nil {
		a.MinHealth = *c.Alarms.MinHealth
	}
	if c.Alarms.Fields != nil {
		a.Fields = c.Alarms.Fields
	}
	return a
}

// keyLine is the line of the value at path (mapping keys, or sequence
// indexes as numbers) in a YAML document, or of the deepest part of it
// that exists.
func keyLine(doc *yaml.Node, path ...string) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, p := range path {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					next = n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(p); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return line
		}
		n, line = next, next.Line
	}
	return line
}

// hasKey reports whether the document's top-level mapping has key.
func hasKey(doc *yaml.Node, key string) bool {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}
