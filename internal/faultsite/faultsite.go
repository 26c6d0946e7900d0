// Package faultsite is a scripted news site on a local httptest server,
// for tests of what a crawler does when a server misbehaves. Each path is
// given an Answer: any status code, Retry-After in seconds, as an HTTP date
// or as garbage, a connection reset, a stall before the headers or in the
// middle of the body, a slow body, an endless body, a gzip bomb, redirect
// chains, loops and off-site redirects, charset lies, binary bodies labelled
// text/html, endless sitemap index chains and robots.txt faults. The site
// records every request with its arrival time (for politeness assertions)
// and a digest of the body bytes it sent (for "the archive holds the wire
// bytes" assertions).
//
// Pages are built with Article, Feed, Sitemap, SitemapIndex and Robots;
// nothing here knows gisa's types, so a test decides what a row expects.
package faultsite

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"html"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/encoding/korean"
)

// Request is one request the site received.
type Request struct {
	Time     time.Time // arrival, by the server's clock
	Host     string    // as the client named the server
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	// Status is the status code answered; 0 when none was (a reset, a stall
	// the client gave up on).
	Status int
	// Sent is the SHA-256 of the body bytes written, and SentBytes their
	// number: the payload as it left the server (compressed, for an answer
	// that sets Content-Encoding).
	Sent      [sha256.Size]byte
	SentBytes int64
}

// An Answer serves one request. stop is closed when the site closes:
// answers that wait (stalls, slow and endless bodies) return then, or when
// the client goes away.
type Answer func(w http.ResponseWriter, r *http.Request, stop <-chan struct{})

// Site is a running scripted site. Its methods are safe for concurrent use.
type Site struct {
	// URL is the base URL, "http://127.0.0.1:PORT", no trailing slash.
	URL string

	srv  *httptest.Server
	stop chan struct{}
	once sync.Once

	mu       sync.Mutex
	routes   map[string]Answer // by path, or path?query
	prefixes map[string]Answer // by path prefix
	calls    map[string]int    // answers given per route key, for Sequence
	log      []Request
}

// New starts an empty site: every path answers 404 (robots.txt too, which
// allows everything) until Handle gives it an Answer. Close it when done.
func New() *Site {
	s := &Site{stop: make(chan struct{}), routes: map[string]Answer{}, prefixes: map[string]Answer{}, calls: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close ends every waiting answer, drops the connections and stops the
// server.
func (s *Site) Close() {
	s.once.Do(func() { close(s.stop) })
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Host is "127.0.0.1:PORT".
func (s *Site) Host() string { return strings.TrimPrefix(s.URL, "http://") }

// Handle makes path (with "?query" to match one query exactly) answer with
// a. A later Handle of the same path replaces it.
func (s *Site) Handle(path string, a Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[path] = a
}

// HandlePrefix makes every path under prefix that has no route of its own
// answer with a.
func (s *Site) HandlePrefix(prefix string, a Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prefixes[prefix] = a
}

// Requests returns the requests received so far, in arrival order.
func (s *Site) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	copy(out, s.log)
	return out
}

// Count is how many requests path (without query) received.
func (s *Site) Count(path string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := len(s.log)
	s.log = append(s.log, Request{Time: time.Now(), Host: r.Host, Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone()})
	a, key := s.routes[r.URL.Path+"?"+r.URL.RawQuery], r.URL.Path+"?"+r.URL.RawQuery
	if a == nil {
		a, key = s.routes[r.URL.Path], r.URL.Path
	}
	if a == nil {
		best := ""
		for p, pa := range s.prefixes {
			if strings.HasPrefix(r.URL.Path, p) && len(p) > len(best) {
				a, key, best = pa, p, p
			}
		}
	}
	s.calls[key]++
	ctx := withCall(r, s.calls[key])
	s.mu.Unlock()
	if a == nil {
		a = Status(http.StatusNotFound)
	}
	rec := &recorder{ResponseWriter: w, h: sha256.New()}
	a(rec, ctx, s.stop)
	s.mu.Lock()
	s.log[i].Status = rec.status
	copy(s.log[i].Sent[:], rec.h.Sum(nil))
	s.log[i].SentBytes = rec.n
	s.mu.Unlock()
}

// recorder notes the status and digests the body an Answer writes.
type recorder struct {
	http.ResponseWriter
	status int
	h      hash.Hash
	n      int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.h.Write(b[:n])
	r.n += int64(n)
	return n, err
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Digest is the SHA-256 of b, to compare with Request.Sent.
func Digest(b []byte) [sha256.Size]byte { return sha256.Sum256(b) }

// Answers.

// Page answers status with contentType and body; header adds name, value
// pairs.
func Page(status int, contentType string, body []byte, header ...string) Answer {
	return func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(body)
		}
	}
}

// HTML answers 200 with a UTF-8 HTML body.
func HTML(body []byte) Answer { return Page(http.StatusOK, "text/html; charset=utf-8", body) }

// XML answers 200 with an XML body (feeds, sitemaps).
func XML(body []byte) Answer { return Page(http.StatusOK, "application/xml; charset=utf-8", body) }

// Text answers 200 with a plain-text body (robots.txt).
func Text(body string) Answer { return Page(http.StatusOK, "text/plain; charset=utf-8", []byte(body)) }

// Status answers code with a short text body.
func Status(code int) Answer {
	return Page(code, "text/plain; charset=utf-8", []byte(http.StatusText(code)+"\n"))
}

// RetryAfter answers code (429, 503) with a Retry-After header of value:
// seconds ("2"), an HTTP date (see HTTPDate) or garbage ("soon").
func RetryAfter(code int, value string) Answer {
	return Page(code, "text/plain; charset=utf-8", []byte(http.StatusText(code)+"\n"), "Retry-After", value)
}

// RetryAfterDate answers code with a Retry-After HTTP date d after the
// request arrived (whole seconds: the wait the client sees is between d-1s
// and d).
func RetryAfterDate(code int, d time.Duration) Answer {
	return func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		RetryAfter(code, HTTPDate(time.Now().Add(d)))(w, r, stop)
	}
}

// HTTPDate formats t for a Retry-After or Last-Modified header.
func HTTPDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// Truncated declares body's full Content-Length but sends only its first
// n bytes, then closes the connection.
func Truncated(contentType string, body []byte, n int) Answer {
	return func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:min(n, len(body))])
		http.NewResponseController(w).Flush()
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	}
}

// Redirect answers code with Location to (relative or absolute).
func Redirect(code int, to string) Answer {
	return func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
		w.Header().Set("Location", to)
		w.WriteHeader(code)
	}
}

// Reset drops the connection without an answer: hijacked and closed with
// SO_LINGER 0, so the client sees a TCP reset.
func Reset() Answer {
	return func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
		rc := http.NewResponseController(w)
		conn, _, err := rc.Hijack()
		if err != nil {
			panic(fmt.Sprintf("faultsite: hijack: %v", err)) // httptest's HTTP/1 server always allows it
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
		conn.Close()
	}
}

// StallHeaders never answers: it waits until the client gives up or the
// site closes.
func StallHeaders() Answer {
	return func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}
}

// StallBody sends the headers (no Content-Length) and prefix, then waits
// until the client gives up or the site closes.
func StallBody(contentType string, prefix []byte) Answer {
	return func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(http.StatusOK)
		w.Write(prefix)
		http.NewResponseController(w).Flush()
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}
}

// Slow sends body in chunks of chunk bytes, one every every, with its
// Content-Length.
func Slow(contentType string, body []byte, chunk int, every time.Duration) Answer {
	return func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusOK)
		t := time.NewTicker(every)
		defer t.Stop()
		for len(body) > 0 {
			n := min(chunk, len(body))
			if _, err := w.Write(body[:n]); err != nil {
				return
			}
			http.NewResponseController(w).Flush()
			body = body[n:]
			if len(body) == 0 {
				return
			}
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			case <-stop:
				return
			}
		}
	}
}

// Endless sends an HTML-looking body that never ends, until the client
// goes away or the site closes.
func Endless(contentType string) Answer {
	return func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(http.StatusOK)
		chunk := bytes.Repeat([]byte("<p>끝없는 본문입니다. endless body.</p>\n"), 512)
		for {
			select {
			case <-r.Context().Done():
				return
			case <-stop:
				return
			default:
			}
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

// GzipBomb answers with Content-Encoding: gzip and a body of gzip members
// that inflate to inflated bytes of zeros (about 1 KiB per MiB sent).
func GzipBomb(contentType string, inflated int64) Answer {
	member := gzipZeros(1 << 20)
	n := int((inflated + 1<<20 - 1) >> 20)
	body := bytes.Repeat(member, n)
	return Page(http.StatusOK, contentType, body, "Content-Encoding", "gzip")
}

func gzipZeros(n int) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression) // a valid level never fails
	zw.Write(make([]byte, n))
	zw.Close()
	return b.Bytes()
}

// Sequence gives the n-th request of its route the n-th answer; the last
// answer repeats.
func Sequence(answers ...Answer) Answer {
	if len(answers) == 0 {
		panic("faultsite: Sequence of no answers")
	}
	return func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		n := callOf(r)
		answers[min(n, len(answers))-1](w, r, stop)
	}
}

// SitemapChain answers every path under its prefix, /PREFIX/N.xml, with a
// sitemap index naming /PREFIX/(N+1).xml: a chain without end.
func SitemapChain(base, prefix string) Answer {
	return func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		var n int
		if _, err := fmt.Sscanf(strings.TrimPrefix(r.URL.Path, prefix), "%d.xml", &n); err != nil {
			Status(http.StatusNotFound)(w, r, stop)
			return
		}
		XML(SitemapIndex(fmt.Sprintf("%s%s%d.xml", base, prefix, n+1)))(w, r, stop)
	}
}

type callKey struct{}

func withCall(r *http.Request, n int) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), callKey{}, n))
}

func callOf(r *http.Request) int {
	if n, ok := r.Context().Value(callKey{}).(int); ok {
		return n
	}
	return 1
}

// Pages.

// Article is a Korean news article page at url (UTF-8, or charset as
// declared by the caller's Content-Type: the page itself declares none):
// headline, 입력 line, byline, body paragraphs, JSON-LD and og: tags.
func Article(url string, id int, title string) []byte {
	pub := time.Date(2024, 3, 11, 9, 0, 0, 0, time.FixedZone("KST", 9*3600)).Add(time.Duration(id) * time.Hour)
	body := []string{
		fmt.Sprintf("%s 관련 소식이 전해졌다. 관계 당국은 이번 사안을 면밀히 살펴보고 있다고 밝혔다 (기사 번호 %d).", title, id),
		"전문가들은 이번 조치가 지역 경제와 시민 생활에 적지 않은 영향을 미칠 것으로 내다봤다.",
		"당국은 다음 달까지 세부 계획을 마련해 발표할 예정이며, 시민들의 의견도 폭넓게 듣겠다고 설명했다.",
	}
	var b strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n<title>%s - 장애일보</title>\n", e(title))
	fmt.Fprintf(&b, "<link rel=\"canonical\" href=\"%s\">\n<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"%s\">\n", e(url), e(title))
	fmt.Fprintf(&b, "<meta property=\"article:published_time\" content=\"%s\">\n", pub.Format(time.RFC3339))
	fmt.Fprintf(&b, `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":%q,"datePublished":%q,"author":[{"@type":"Person","name":"김장애"}],"mainEntityOfPage":%q}</script>`+"\n",
		title, pub.Format(time.RFC3339), url)
	b.WriteString("</head>\n<body>\n<main><article>\n")
	fmt.Fprintf(&b, "<h1>%s</h1>\n<p class=\"date\">입력 %s</p>\n<p class=\"byline\">김장애 기자 (fault@example.org)</p>\n<div id=\"article-body\" itemprop=\"articleBody\">\n", e(title), pub.Format("2006.01.02 15:04"))
	for _, p := range body {
		fmt.Fprintf(&b, "<p>%s</p>\n", e(p))
	}
	b.WriteString("</div>\n</article></main>\n</body>\n</html>\n")
	return []byte(b.String())
}

// EUCKR encodes UTF-8 text as EUC-KR (CP949); it panics on text EUC-KR
// cannot hold, which is a bug in the test.
func EUCKR(utf8 []byte) []byte {
	b, err := korean.EUCKR.NewEncoder().Bytes(utf8)
	if err != nil {
		panic(fmt.Sprintf("faultsite: EUC-KR: %v", err))
	}
	return b
}

// Feed is an RSS 2.0 feed listing urls.
func Feed(urls ...string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<rss version=\"2.0\"><channel><title>장애일보</title><link>http://127.0.0.1/</link><description>faults</description>\n")
	for i, u := range urls {
		fmt.Fprintf(&b, "<item><title>기사 %d</title><link>%s</link><pubDate>%s</pubDate></item>\n", i+1, html.EscapeString(u),
			time.Date(2024, 3, 11, 9, i, 0, 0, time.UTC).Format(time.RFC1123Z))
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// Sitemap is a urlset listing urls.
func Sitemap(urls ...string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		fmt.Fprintf(&b, "<url><loc>%s</loc></url>\n", html.EscapeString(u))
	}
	b.WriteString("</urlset>\n")
	return []byte(b.String())
}

// SitemapIndex is a sitemap index naming sitemaps.
func SitemapIndex(sitemaps ...string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range sitemaps {
		fmt.Fprintf(&b, "<sitemap><loc>%s</loc></sitemap>\n", html.EscapeString(u))
	}
	b.WriteString("</sitemapindex>\n")
	return []byte(b.String())
}

// Robots is a robots.txt of lines.
func Robots(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// Garbage is n pseudo-random bytes (the same for the same seed): a binary
// body to label text/html.
func Garbage(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// Sorted returns the requests' arrival times for path prefix p ("" for
// all), in order: the spacing a politeness check reads.
func Sorted(reqs []Request, p string) []time.Time {
	var ts []time.Time
	for _, r := range reqs {
		if strings.HasPrefix(r.Path, p) {
			ts = append(ts, r.Time)
		}
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	return ts
}
