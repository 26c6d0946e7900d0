package crawler

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/gisa-news/gisa/crawler/discover"
	"github.com/gocolly/colly/v2"
)

// Fetch failures, decided once here: retryable ones are retried with
// backoff, the others end the URL for this run.
var (
	ErrBlocked       = errors.New("disallowed by robots.txt")
	ErrTooLarge      = errors.New("body larger than the cap")
	ErrRedirectLoop  = errors.New("redirect loop")
	ErrRedirects     = errors.New("too many redirects")
	ErrRedirectScope = errors.New("redirect leaves the crawl's hosts")
)

// fetchError is a failed fetch: the reason counted in the summary, whether
// it is worth another try, and how long the server asked us to wait.
type fetchError struct {
	reason     string
	retryable  bool
	retryAfter time.Duration
	err        error
}

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

// response is one HTTP exchange as the crawler needs it.
type response struct {
	url       string // final URL after redirects
	status    int
	header    http.Header
	reqHeader http.Header
	body      []byte
	fetchedAt time.Time
}

// fetcher performs single requests through colly. Politeness (robots.txt,
// spacing, concurrency) is the scheduler's job; the fetcher enforces the
// per-request limits: timeouts, body cap and redirects.
type fetcher struct {
	col      *colly.Collector
	maxBody  int // pages
	maxDoc   int // discovery documents: sitemaps may hold 50 MB
	ua       string
	inScope  func(host string) bool
	maxRedir int
	now      func() time.Time
	creds    map[string]Credential // Basic auth by host
}

const (
	ctxResponse = "gisa.response"
	ctxError    = "gisa.error"
)

func newFetcher(ctx context.Context, cfg *Config, inScope func(host string) bool) *fetcher {
	f := &fetcher{maxBody: cfg.MaxBodyBytes, maxDoc: max(cfg.MaxBodyBytes, discover.MaxSitemapBytes), ua: UserAgent(cfg.Contact), inScope: inScope, maxRedir: cfg.MaxRedirects, now: cfg.Now, creds: map[string]Credential{}}
	for h, c := range cfg.Credentials {
		f.creds[strings.ToLower(h)] = c
	}
	// colly.NewCollector would read COLLY_* environment variables that
	// silently override these settings, so the collector is built by hand.
	c := &colly.Collector{}
	c.Init()
	c.UserAgent = f.ua
	// gisa reads robots.txt itself (robots.go): colly's check would fetch
	// robots.txt outside the per-host spacing, ignores Crawl-delay, and
	// cannot tell a robots skip from other errors for the run summary.
	c.IgnoreRobotsTxt = true
	c.AllowURLRevisit = true        // the frontier decides what is fetched again
	c.ParseHTTPErrorResponse = true // 304, 429 and 5xx reach the crawler with their headers
	c.DetectCharset = false         // raw bytes go to the parser's decoder
	c.MaxBodySize = f.maxDoc + 1    // one byte more tells an oversized body from a full one
	c.Context = ctx
	c.DisableCookies() // stateless requests: the same on every worker
	c.WithTransport(&gunzipTransport{max: int64(f.maxDoc), base: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ResponseHeaderTimeout: cfg.HeaderTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
	}})
	c.SetRequestTimeout(cfg.FetchTimeout)
	c.SetRedirectHandler(f.checkRedirect)
	c.OnResponse(func(r *colly.Response) { r.Ctx.Put(ctxResponse, r) })
	c.OnError(func(r *colly.Response, err error) {
		r.Ctx.Put(ctxError, err)
		if r.StatusCode != 0 {
			r.Ctx.Put(ctxResponse, r)
		}
	})
	f.col = c
	return f
}

// checkRedirect stops at every redirect but robots.txt's: the crawler
// queues the target as a new URL, so each hop keeps the host's spacing and
// passes the robots.txt check. robots.txt itself (often http → https) is
// followed here, within the same limits.
func (f *fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if via[0].URL.Path != "/robots.txt" {
		return http.ErrUseLastResponse
	}
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("%w at %s", ErrRedirectLoop, req.URL)
		}
	}
	if len(via) > f.maxRedir {
		return fmt.Errorf("%w (%d) at %s", ErrRedirects, len(via), req.URL)
	}
	if !f.inScope(hostOf(req.URL)) {
		return fmt.Errorf("%w: %s", ErrRedirectScope, req.URL)
	}
	return nil
}

// get fetches u with extra request headers. Every failure is a
// *fetchError; a response with any status is returned as is.
func (f *fetcher) get(ctx context.Context, u string, hdr http.Header, limit int) (*response, error) {
	if hdr == nil {
		hdr = http.Header{}
	}
	hdr.Set("User-Agent", f.ua)
	if hdr.Get("Accept") == "" {
		hdr.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	}
	hdr.Set("Accept-Language", "ko-KR,ko;q=0.9,en;q=0.5")
	cred, auth := f.creds[hostFromURL(u)]
	if auth {
		hdr.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(cred.User+":"+string(cred.Password))))
	}
	cctx := colly.NewContext()
	err := f.col.Request(http.MethodGet, u, nil, cctx, hdr)
	if ctx.Err() != nil {
		return nil, &fetchError{reason: "interrupted", retryable: true, err: ctx.Err()}
	}
	r, _ := cctx.GetAny(ctxResponse).(*colly.Response)
	if err == nil {
		if e, ok := cctx.GetAny(ctxError).(error); ok {
			err = e
		}
	}
	if err != nil && r == nil {
		return nil, classify(u, err)
	}
	if r == nil {
		return nil, &fetchError{reason: "no response", retryable: true, err: fmt.Errorf("fetch %s: no response", u)}
	}
	if len(r.Body) > limit {
		return nil, &fetchError{reason: "too large", err: fmt.Errorf("fetch %s: %w (%d bytes)", u, ErrTooLarge, limit)}
	}
	resp := &response{url: u, status: r.StatusCode, body: r.Body, fetchedAt: f.now()}
	if r.Request != nil && r.Request.URL != nil {
		resp.url = r.Request.URL.String()
	}
	if r.Headers != nil {
		resp.header = *r.Headers
	}
	if r.Request != nil && r.Request.Headers != nil {
		resp.reqHeader = r.Request.Headers.Clone()
		if auth {
			// The raw archive keeps the exchange, not the credentials.
			resp.reqHeader.Del("Authorization")
		}
	}
	return resp, nil
}

// classify turns a transport error into a fetchError.
func classify(u string, err error) *fetchError {
	fe := &fetchError{err: fmt.Errorf("fetch %s: %w", u, err)}
	var ne net.Error
	switch {
	case errors.Is(err, ErrTooLarge):
		fe.reason = "too large"
	case errors.Is(err, ErrRedirectLoop):
		fe.reason = "redirect loop"
	case errors.Is(err, ErrRedirects):
		fe.reason = "too many redirects"
	case errors.Is(err, ErrRedirectScope):
		fe.reason = "redirect out of scope"
	case errors.Is(err, context.Canceled):
		fe.reason, fe.retryable = "interrupted", true
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		fe.reason, fe.retryable = "timeout", true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE), strings.Contains(err.Error(), "unexpected EOF"):
		fe.reason, fe.retryable = "connection", true
	default:
		var dns *net.DNSError
		var ue *url.Error
		switch {
		case errors.As(err, &dns):
			fe.reason, fe.retryable = "dns", dns.IsTemporary
		case errors.As(err, &ue):
			fe.reason, fe.retryable = "connection", true
		default:
			fe.reason = "bad url"
		}
	}
	return fe
}

// statusError classifies a non-2xx, non-304 response.
func statusError(r *response, now time.Time) *fetchError {
	fe := &fetchError{reason: fmt.Sprintf("http %d", r.status), err: fmt.Errorf("fetch %s: http status %d", r.url, r.status)}
	switch {
	case r.status == http.StatusTooManyRequests || r.status == http.StatusServiceUnavailable:
		fe.retryable = true
		fe.retryAfter = retryAfter(r.header.Get("Retry-After"), now)
	case r.status >= 500:
		fe.retryable = true
	}
	return fe
}

// retryAfter reads a Retry-After header: seconds or an HTTP date. 0 when
// absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var secs int
	if _, err := fmt.Sscanf(v, "%d", &secs); err == nil && fmt.Sprint(secs) == v {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

func hostOf(u *url.URL) string { return strings.ToLower(u.Host) }

// gunzipTransport decompresses gzip files (sitemap.xml.gz, bodies typed
// application/x-gzip) itself, capped: colly would inflate them without a
// limit, its body cap counting only the compressed bytes, so a small file
// could fill the memory. The response is marked uncompressed so colly
// leaves it alone, and its body cap then counts the inflated bytes.
type gunzipTransport struct {
	base http.RoundTripper
	max  int64
}

func (t *gunzipTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(req)
	if err != nil || res.Uncompressed {
		return res, err
	}
	ce := strings.ToLower(res.Header.Get("Content-Encoding"))
	ct := strings.ToLower(res.Header.Get("Content-Type"))
	if !strings.Contains(ce, "gzip") && !strings.Contains(ct, "gzip") && !strings.HasSuffix(strings.ToLower(req.URL.Path), ".gz") {
		return res, nil
	}
	br := bufio.NewReader(res.Body)
	if magic, _ := br.Peek(2); len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		res.Body = readCloser{br, res.Body}
		res.Uncompressed = true // not gzip after all: as it is
		return res, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		res.Body.Close()
		return nil, fmt.Errorf("gunzip %s: %w", req.URL, err)
	}
	res.Body = readCloser{&capReader{r: zr, left: t.max, url: req.URL.String()}, res.Body}
	res.Uncompressed = true
	res.Header.Del("Content-Encoding")
	res.Header.Del("Content-Length")
	res.ContentLength = -1
	return res, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// capReader fails once more than left bytes come out.
type capReader struct {
	r    io.Reader
	left int64
	url  string
}

func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, fmt.Errorf("gunzip %s: %w", c.url, ErrTooLarge)
	}
	return n, err
}
