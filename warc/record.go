package warc

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"hash"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"
	"golang.org/x/net/http/httpguts"
)

// memLimit is how much of a record gowarc keeps in memory before it spills to
// a temporary file. Pages are in memory already (article.Page.Body), so a
// record of one never spills.
const memLimit = 1 << 30

// recordOptions make gowarc fill in Content-Length,
// WARC-Block-Digest and WARC-Payload-Digest (SHA-1 in base 32, as most WARC
// tools write and deduplicate by). gowarc builds the warcinfo records; the
// request and response records, one pair per page, are written by
// encoder.record, which makes the same bytes at a fraction of the cost.
var recordOptions = []gowarc.WarcRecordOption{
	gowarc.WithDefaultDigestAlgorithm("sha1"),
	gowarc.WithAddMissingDigest(true),
	gowarc.WithBufferMaxMemBytes(memLimit),
}

var marshaler = gowarc.NewMarshaler()

// gowarcMu serialises the making of gowarc builders and unmarshalers. Each
// one calls uuid.EnableRandPool, which writes a variable of
// github.com/google/uuid without synchronisation (gowarc v3.1.0): a data race
// between concurrent Writes and Reads. Record IDs are made here (newRecordID)
// so that gowarc never calls uuid.New, which reads that variable.
var gowarcMu sync.Mutex

func newBuilder(rt gowarc.RecordType) gowarc.WarcRecordBuilder {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewRecordBuilder(rt, recordOptions...)
}

func newUnmarshaler() gowarc.Unmarshaler {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewUnmarshaler(gowarc.WithBufferMaxMemBytes(memLimit))
}

// newRecordID is a WARC-Record-ID: a random (version 4) UUID URN in angle
// brackets.
func newRecordID() string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("<urn:uuid:%x-%x-%x-%x-%x>", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

// encoder turns records into gzip members. Encoders are pooled.
type encoder struct {
	gz     *gzip.Writer
	hdr    bytes.Buffer // HTTP header block under construction
	w      bytes.Buffer // WARC header under construction
	req    bytes.Buffer // the request record's gzip member
	resp   bytes.Buffer // the response record's gzip member
	header http.Header  // scratch copy of a header
	fields []field      // scratch WARC fields
	sha    hash.Hash    // SHA-1 of digests
	sum    [sha1.Size]byte
}

// gzipLevel is the records' compression level, chosen by
// BenchmarkGzipLevels over the shared corpus's Korean pages: level 1 keeps
// 26 % of a page (27.9 KB of 106 KB) for about 0.7 ms, the default level
// (5 in klauspost/compress) 23 % (24.2 KB) for about 1.0–1.1 ms, level 9
// 22 % for 3.5 ms. Compression was most of the WARC's CPU and the WARC a
// third of the crawl's; 15 % more bytes buy a third less of that CPU.
// Huffman-only coding halves level 1's CPU again (0.37–0.40 ms against
// 0.70–1.06 ms) but keeps 71 % of a page: 2.7 times the disk for a
// twentieth of the crawl's CPU, not worth it.
const gzipLevel = gzip.BestSpeed

var encoders = sync.Pool{New: func() any {
	gz, _ := gzip.NewWriterLevel(nil, gzipLevel)
	return &encoder{gz: gz, sha: sha1.New()}
}}

func getEncoder() *encoder { return encoders.Get().(*encoder) }

func putEncoder(e *encoder) {
	e.hdr.Reset()
	e.w.Reset()
	e.req.Reset()
	e.resp.Reset()
	clear(e.header)
	encoders.Put(e)
}

// encodePair fills e.req and e.resp with the request and response records of
// page, dated date, each record a complete gzip member. The request record
// names the response in WARC-Concurrent-To. It returns the response
// record's ID.
func (e *encoder) encodePair(page *article.Page, date time.Time) (string, error) {
	u, err := pageURL(page)
	if err != nil {
		return "", err
	}
	respID := newRecordID()
	payload := e.responseHead(page)
	d := date.UTC().Format(time.RFC3339Nano)
	e.fields = append(e.fields[:0],
		field{gowarc.WarcRecordID, respID},
		field{gowarc.WarcTargetURI, page.URL},
		field{gowarc.WarcDate, d},
		field{gowarc.ContentType, "application/http;msgtype=response"})
	if err := e.record(&e.resp, "response", e.fields, e.hdr.Bytes(), payload); err != nil {
		return "", err
	}
	e.requestHead(page, u)
	e.fields = append(e.fields[:0],
		field{gowarc.WarcRecordID, newRecordID()},
		field{gowarc.WarcTargetURI, page.URL},
		field{gowarc.WarcDate, d},
		field{gowarc.ContentType, "application/http;msgtype=request"},
		field{gowarc.WarcConcurrentTo, respID})
	if err := e.record(&e.req, "request", e.fields, e.hdr.Bytes(), nil); err != nil {
		return "", err
	}
	return respID, nil
}

// field is one named field of a WARC header.
type field struct{ name, value string }

// record appends to buf one WARC/1.1 record as a gzip member: "WARC-Type:
// typ", fields, then the Content-Length, WARC-Block-Digest and
// WARC-Payload-Digest (SHA-1, base 32) of the HTTP message head+payload,
// then that block. These are the bytes gowarc's builder makes of the same
// record (TestRecordMatchesGowarc), without its copy of the block, its
// parse of the HTTP head and its second reading of the block to check the
// digests it has just computed. Each digest is computed once. Values are
// written as given: callers pass values with no CR or LF (a URL that
// pageURL accepted, a formatted date, record IDs).
func (e *encoder) record(buf *bytes.Buffer, typ string, fields []field, head, payload []byte) error {
	h := e.sha
	h.Reset()
	h.Write(head)
	h.Write(payload)
	block := h.Sum(e.sum[:0])
	e.w.Reset()
	e.w.WriteString("WARC/1.1\r\nWARC-Type: ")
	e.w.WriteString(typ)
	e.w.WriteString("\r\n")
	for _, f := range fields {
		e.w.WriteString(f.name)
		e.w.WriteString(": ")
		e.w.WriteString(f.value)
		e.w.WriteString("\r\n")
	}
	e.w.WriteString("Content-Length: ")
	e.w.WriteString(strconv.Itoa(len(head) + len(payload)))
	e.w.WriteString("\r\nWARC-Block-Digest: sha1:")
	e.w.WriteString(base32.StdEncoding.EncodeToString(block))
	h.Reset()
	h.Write(payload)
	e.w.WriteString("\r\nWARC-Payload-Digest: sha1:")
	e.w.WriteString(base32.StdEncoding.EncodeToString(h.Sum(e.sum[:0])))
	e.w.WriteString("\r\n\r\n")
	e.gz.Reset(buf)
	for _, b := range [][]byte{e.w.Bytes(), head, payload, []byte("\r\n\r\n")} {
		if _, err := e.gz.Write(b); err != nil {
			return fmt.Errorf("warc: write record: %w", err)
		}
	}
	if err := e.gz.Close(); err != nil {
		return fmt.Errorf("warc: write record: %w", err)
	}
	return nil
}

// pageURL checks that page can be recorded as an HTTP exchange.
func pageURL(page *article.Page) (*url.URL, error) {
	if page.URL == "" {
		return nil, fmt.Errorf("warc: %w: no URL", ErrBadPage)
	}
	u, err := url.Parse(page.URL)
	if err != nil {
		return nil, fmt.Errorf("warc: %w: %v", ErrBadPage, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("warc: %w: %q is not an absolute http(s) URL", ErrBadPage, page.URL)
	}
	if page.Status < 100 || page.Status > 999 {
		return nil, fmt.Errorf("warc: %w: %s: status %d", ErrBadPage, page.URL, page.Status)
	}
	return u, nil
}

// requestHead puts into e.hdr the request's HTTP head: "GET <request-URI>
// HTTP/1.1", the Host, and the request header as sent.
func (e *encoder) requestHead(page *article.Page, u *url.URL) {
	e.hdr.Reset()
	fmt.Fprintf(&e.hdr, "GET %s HTTP/1.1\r\n", u.RequestURI())
	host := u.Host
	if h := http.Header(page.RequestHeader).Get("Host"); h != "" {
		host = h
	}
	e.hdr.WriteString("Host: ")
	e.hdr.WriteString(cleanValue(host))
	e.hdr.WriteString("\r\n")
	e.copyHeader(page.RequestHeader, "Host")
	writeHeader(&e.hdr, e.header)
	e.hdr.WriteString("\r\n")
}

// responseHead puts into e.hdr the response's status line and header, and
// returns its payload, as Write's doc says: the served payload under the
// header as received (without Transfer-Encoding) when the page has one,
// else the decoded body's header (no Content-Encoding or
// Transfer-Encoding, Content-Length = len(Body)).
func (e *encoder) responseHead(page *article.Page) []byte {
	e.hdr.Reset()
	e.hdr.WriteString("HTTP/1.1 ")
	e.hdr.WriteString(strconv.Itoa(page.Status))
	if text := http.StatusText(page.Status); text != "" {
		e.hdr.WriteString(" ")
		e.hdr.WriteString(text)
	}
	e.hdr.WriteString("\r\n")
	payload := page.Payload
	if payload != nil {
		e.copyHeader(page.Header, "Transfer-Encoding")
	} else {
		payload = page.Body
		e.copyHeader(page.Header, "Content-Encoding", "Transfer-Encoding", "Content-Length")
		if noBody := page.Status < 200 || page.Status == 204 || page.Status == 304; !noBody || len(page.Body) > 0 {
			e.header["Content-Length"] = []string{strconv.Itoa(len(page.Body))}
		}
	}
	writeHeader(&e.hdr, e.header)
	e.hdr.WriteString("\r\n")
	return payload
}

// warcinfoRecord builds the record that begins every file.
func warcinfoRecord(name string, date time.Time, opts *Options) (gowarc.WarcRecord, error) {
	var body bytes.Buffer
	field := func(k, v string) {
		if v = cleanValue(v); v != "" {
			body.WriteString(k + ": " + v + "\r\n")
		}
	}
	field("software", opts.Software)
	field("operator", opts.Operator)
	field("format", "WARC File Format 1.1")
	field("conformsTo", "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/")
	b := newBuilder(gowarc.Warcinfo)
	b.AddWarcHeader(gowarc.WarcRecordID, newRecordID())
	b.AddWarcHeaderTime(gowarc.WarcDate, date)
	b.AddWarcHeader(gowarc.WarcFilename, name)
	b.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
	return build(b, body.Bytes(), nil)
}

func build(b gowarc.WarcRecordBuilder, head, body []byte) (gowarc.WarcRecord, error) {
	if _, err := b.Write(head); err != nil {
		b.Close()
		return nil, fmt.Errorf("warc: build record: %w", err)
	}
	if _, err := b.Write(body); err != nil {
		b.Close()
		return nil, fmt.Errorf("warc: build record: %w", err)
	}
	rec, _, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("warc: build record: %w", err)
	}
	return rec, nil
}

// member appends rec to buf as one gzip member.
func (e *encoder) member(buf *bytes.Buffer, rec gowarc.WarcRecord) error {
	e.gz.Reset(buf)
	if _, _, err := marshaler.Marshal(e.gz, rec, 0); err != nil {
		return fmt.Errorf("warc: write record: %w", err)
	}
	if err := e.gz.Close(); err != nil {
		return fmt.Errorf("warc: write record: %w", err)
	}
	return nil
}

// copyHeader copies h into e.header, leaving out the keys in drop (given in
// canonical form) and fields that cannot be written: names that are not
// HTTP tokens. Values are cleaned by writeHeader.
func (e *encoder) copyHeader(h map[string][]string, drop ...string) {
	if e.header == nil {
		e.header = http.Header{}
	}
	clear(e.header)
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		if slices.Contains(drop, ck) || !httpguts.ValidHeaderFieldName(k) {
			continue
		}
		e.header[ck] = append(e.header[ck], vs...)
	}
}

// writeHeader writes h as header lines, keys sorted, values of one key in
// their order.
func writeHeader(buf *bytes.Buffer, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			buf.WriteString(k)
			buf.WriteString(": ")
			buf.WriteString(cleanValue(v))
			buf.WriteString("\r\n")
		}
	}
}

// cleanValue makes v a valid field value: control characters other than tab
// (CR and LF among them, which would end the field) become spaces, and
// surrounding white space goes, as a parser would drop it.
func cleanValue(v string) string {
	clean := true
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			clean = false
			break
		}
	}
	if !clean {
		b := []byte(v)
		for i, c := range b {
			if (c < 0x20 && c != '\t') || c == 0x7f {
				b[i] = ' '
			}
		}
		v = string(b)
	}
	return trimSpace(v)
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	return s[i:j]
}
