package crawler

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gisa-news/gisa/crawler/discover"
	"github.com/gocolly/colly/v2"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
)

// Fetch failures, decided once here: retryable ones are retried with
// backoff, the others end the URL for this run.
var (
	ErrBlocked       = errors.New("disallowed by robots.txt")
	ErrTooLarge      = errors.New("body larger than the cap")
	ErrRedirectLoop  = errors.New("redirect loop")
	ErrRedirects     = errors.New("too many redirects")
	ErrRedirectScope = errors.New("redirect leaves the crawl's hosts")
	ErrEncoding      = errors.New("unsupported content encoding")
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

// response is one HTTP exchange as the crawler needs it, taken from its
// recording below colly (recorder): what the server sent, not what colly
// made of it.
type response struct {
	url       string // final URL after redirects
	status    int
	header    http.Header // as received, Content-Encoding and Content-Length included
	reqHeader http.Header // as handed to the transport
	payload   []byte      // the payload as served (after transfer decoding, Content-Encoding kept)
	body      []byte      // payload with its Content-Encoding undone: what the parser reads
	fetchedAt time.Time
}

// fetcher performs single requests through colly. Politeness (robots.txt,
// spacing, concurrency) is the scheduler's job; the fetcher enforces the
// per-request limits: timeouts, body cap and redirects.
type fetcher struct {
	col      *colly.Collector
	rec      *recorder
	maxBody  int // pages
	maxDoc   int // discovery documents: sitemaps may hold 50 MB
	ua       string
	inScope  func(host string) bool
	maxRedir int
	now      func() time.Time
	creds    map[string]Credential // Basic auth by host
}

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
	c.MaxBodySize = 0               // the recorder reads the body, with each request's own cap
	c.Context = ctx
	c.DisableCookies() // stateless requests: the same on every worker
	// The recorder sits right above the network: it keeps the exchange as
	// it crossed the wire, and colly, above it, gets the header only. Go's
	// transparent gzip is off (gisa asks for gzip itself) so that the
	// recorded payload is the served one, Content-Encoding and all.
	f.rec = &recorder{base: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ResponseHeaderTimeout: cfg.HeaderTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		// As many idle connections per host as requests may be in flight
		// to it: a smaller pool closes the rest after each response, and
		// the next request dials again.
		MaxIdleConnsPerHost: max(8, cfg.Workers),
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}, open: map[string]*exchange{}}
	c.WithTransport(f.rec)
	c.SetRequestTimeout(cfg.FetchTimeout)
	c.SetRedirectHandler(f.checkRedirect)
	f.col = c
	return f
}

// close lets go of the run's idle connections (and their goroutines): a
// process that runs crawl after crawl (gisa serve) would keep them all.
func (f *fetcher) close() {
	if t, ok := f.rec.base.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
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

// get fetches u with extra request headers, reading at most limit bytes
// of payload and of its decoded form. Every failure is a *fetchError; a
// response with any status is returned as is.
func (f *fetcher) get(ctx context.Context, u string, hdr http.Header, limit int) (*response, error) {
	if hdr == nil {
		hdr = http.Header{}
	}
	hdr.Set("User-Agent", f.ua)
	if hdr.Get("Accept") == "" {
		hdr.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	}
	hdr.Set("Accept-Language", "ko-KR,ko;q=0.9,en;q=0.5")
	hdr.Set("Accept-Encoding", "gzip")
	if cred, ok := f.creds[hostFromURL(u)]; ok {
		hdr.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(cred.User+":"+string(cred.Password))))
	}
	id, ex := f.rec.begin(int64(limit))
	defer f.rec.end(id)
	hdr.Set(exchangeHeader, id)
	err := f.col.Request(http.MethodGet, u, nil, colly.NewContext(), hdr)
	if ctx.Err() != nil {
		return nil, &fetchError{reason: "interrupted", retryable: true, err: ctx.Err()}
	}
	if ex.tooLarge {
		return nil, &fetchError{reason: "too large", err: fmt.Errorf("fetch %s: %w (%d bytes)", u, ErrTooLarge, limit)}
	}
	if err != nil { // a redirect that fails half-way leaves an exchange behind: the error is what counts
		return nil, classify(u, err)
	}
	if ex.status == 0 {
		return nil, &fetchError{reason: "no response", retryable: true, err: fmt.Errorf("fetch %s: no response", u)}
	}
	body, err := decodeContent(ex, int64(limit))
	if err != nil {
		return nil, classify(u, err)
	}
	return &response{url: ex.url, status: ex.status, header: ex.header, reqHeader: ex.reqHeader, payload: ex.payload, body: body, fetchedAt: f.now()}, nil
}

// classify turns a transport error into a fetchError.
func classify(u string, err error) *fetchError {
	fe := &fetchError{err: fmt.Errorf("fetch %s: %w", u, err)}
	var ne net.Error
	switch {
	case errors.Is(err, ErrTooLarge):
		fe.reason = "too large"
	case errors.Is(err, ErrEncoding):
		fe.reason = "bad encoding"
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum), errors.As(err, new(flate.CorruptInputError)):
		fe.reason = "bad gzip"
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

// exchangeHeader ties a colly request to its recording: get puts the
// exchange's ID in it, the recorder takes it out before the request goes to
// the wire.
const exchangeHeader = "Gisa-Exchange"

// exchange is one HTTP exchange as it crossed the wire. The recorder fills
// it in the goroutine that runs the request, before colly's Request
// returns; get reads it after.
type exchange struct {
	limit     int64 // payload bytes read at most; one more is ErrTooLarge
	tooLarge  bool  // the payload passed limit
	url       string
	reqHeader http.Header
	status    int
	header    http.Header
	payload   []byte
}

// recorder is the http.RoundTripper colly is given. It keeps, per request,
// the request header as handed to the network transport and the response's
// status, header and payload exactly as received (after transfer decoding:
// chunks are undone, Content-Encoding is not), reading at most the
// exchange's limit plus one byte: a longer body fails with ErrTooLarge
// without being read further. colly gets the header and an empty body, so
// nothing it does to bodies (charset rewriting, gunzipping) touches what is
// archived. After a redirect the Go client follows (robots.txt only), the
// exchange is the last hop's. Safe for concurrent use.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	next uint64
	open map[string]*exchange
}

// begin opens an exchange; end it when done with it.
func (r *recorder) begin(limit int64) (string, *exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	id := strconv.FormatUint(r.next, 10)
	ex := &exchange{limit: limit}
	r.open[id] = ex
	return id, ex
}

func (r *recorder) end(id string) {
	r.mu.Lock()
	delete(r.open, id)
	r.mu.Unlock()
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	id := req.Header.Get(exchangeHeader)
	r.mu.Lock()
	ex := r.open[id]
	r.mu.Unlock()
	if ex == nil {
		return nil, fmt.Errorf("fetch %s: request without an exchange", req.URL)
	}
	out := req.Clone(req.Context())
	out.Header.Del(exchangeHeader)
	res, err := r.base.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	payload, err := readPayload(res.Body, res.ContentLength, ex.limit)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	if int64(len(payload)) > ex.limit {
		// Kept on the exchange too: the client's timeout, when it fires
		// while the cap is being read, replaces this error with a string.
		ex.tooLarge = true
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, ex.limit)
	}
	ex.url, ex.reqHeader = out.URL.String(), out.Header.Clone()
	// Credentials (the Go client turns a URL's user:password into
	// Authorization) are not kept: the recording goes into the archive.
	ex.reqHeader.Del("Authorization")
	ex.reqHeader.Del("Proxy-Authorization")
	ex.status, ex.header, ex.payload = res.StatusCode, res.Header.Clone(), payload
	res.Body = http.NoBody
	res.Uncompressed = true // nothing for colly to inflate
	return res, nil
}

// readPayload reads r to its end, at most limit+1 bytes (one more than
// limit tells the caller it was too long), into a new slice of the exact
// length read, never nil. A declared length (size, -1 when unknown) within
// the limit sizes the slice at once; a page of unknown length (a chunked
// response, most dynamic pages) is read into a pooled buffer and copied
// out once. Either way a 100 KB page costs one allocation of its size,
// where io.ReadAll doubled its way there from 512 bytes (about 20
// allocations, 2.3 times the page). A length that lies costs at most that
// one allocation.
func readPayload(r io.Reader, size, limit int64) ([]byte, error) {
	if size < 0 || size > limit {
		buf := readBufs.Get().(*bytes.Buffer)
		buf.Reset()
		_, err := buf.ReadFrom(io.LimitReader(r, limit+1))
		out := make([]byte, buf.Len())
		copy(out, buf.Bytes())
		if buf.Cap() <= maxPooledRead {
			readBufs.Put(buf)
		}
		return out, err
	}
	// One byte more than declared, so that the end (or a body longer
	// than it said) is found without growing.
	buf := make([]byte, 0, size+1)
	lr := io.LimitReader(r, limit+1)
	for {
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // a longer body than declared: grow
		}
	}
}

// readBufs are readPayload's buffers for bodies of unknown length; one
// grown past maxPooledRead (a huge sitemap) is left to the collector.
var readBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledRead = 4 << 20

// decodeContent is ex's payload with a gzip Content-Encoding undone, and
// gzip files (sitemap.xml.gz, bodies typed application/x-gzip) inflated,
// at most limit bytes of it. A body that says gzip but is not (no gzip
// magic) is taken as it is; an encoding gisa did not ask for is an error.
func decodeContent(ex *exchange, limit int64) ([]byte, error) {
	ce := strings.ToLower(strings.TrimSpace(ex.header.Get("Content-Encoding")))
	switch ce {
	case "", "identity", "gzip", "x-gzip":
	default:
		return nil, fmt.Errorf("%w %q", ErrEncoding, ce)
	}
	u, _ := url.Parse(ex.url)
	ct := strings.ToLower(ex.header.Get("Content-Type"))
	gz := ce == "gzip" || ce == "x-gzip" || strings.Contains(ct, "gzip") || (u != nil && strings.HasSuffix(strings.ToLower(u.Path), ".gz"))
	p := ex.payload
	if !gz || len(p) < 2 || p[0] != 0x1f || p[1] != 0x8b {
		return p, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(p))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	body, err := readPayload(zr, inflatedSize(p), limit)
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("gunzip: %w (%d bytes)", ErrTooLarge, limit)
	}
	return body, nil
}

// inflatedSize is the length the gzip data p says it inflates to (the last
// member's ISIZE, the length modulo 2^32), for readPayload to size its
// slice at once: it is a hint, and one that lies costs at most one
// allocation. Deflate cannot inflate more than 1032 times, so a larger
// claim is no size at all (-1, read into a pooled buffer).
func inflatedSize(p []byte) int64 {
	if len(p) < 18 { // a gzip header and trailer
		return -1
	}
	n := int64(binary.LittleEndian.Uint32(p[len(p)-4:]))
	if n > 1032*int64(len(p)) {
		return -1
	}
	return n
}
