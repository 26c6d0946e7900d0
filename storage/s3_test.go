package storage_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/s3test"
	"github.com/gisa-news/gisa/storage/storetest"
)

// s3Bucket is the bucket the S3 tests create on their in-memory servers.
const s3Bucket = "gisa-test"

func TestS3(t *testing.T) {
	srv := s3test.NewServer(t, nil)
	srv.CreateBucket(t, s3Bucket)
	var n atomic.Int64
	t.Run("prefix", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storage.Store {
			return srv.NewStore(t, s3Bucket, fmt.Sprintf("/archive/%d/", n.Add(1)))
		})
	})
	t.Run("no prefix", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storage.Store {
			bucket := fmt.Sprintf("bucket-%d", n.Add(1))
			srv.CreateBucket(t, bucket)
			return srv.NewStore(t, bucket, "")
		})
	})
}

// s3Request is what the tests' servers saw of one request.
type s3Request struct {
	method, path string
	query        url.Values
	header       http.Header
}

// s3Recorder records the requests to a server and lets a test answer some
// of them itself.
type s3Recorder struct {
	// answer, when not nil, sees each request first, with the number of
	// earlier requests that match has matched; it returns true when it has
	// written the response.
	answer func(w http.ResponseWriter, r *http.Request, n int) bool
	match  func(r *http.Request) bool // nil: every request

	mu   sync.Mutex
	reqs []s3Request
	n    int
}

func (rec *s3Recorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, s3Request{r.Method, r.URL.Path, r.URL.Query(), r.Header.Clone()})
		matched := rec.match == nil || rec.match(r)
		n := rec.n
		if matched {
			rec.n++
		}
		rec.mu.Unlock()
		if matched && rec.answer != nil && rec.answer(w, r, n) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requests returns the requests seen so far.
func (rec *s3Recorder) requests() []s3Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.reqs)
}

// count is the number of requests for which f is true.
func (rec *s3Recorder) count(f func(s3Request) bool) int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	n := 0
	for _, r := range rec.reqs {
		if f(r) {
			n++
		}
	}
	return n
}

// writeS3Error answers as S3 does when it refuses a request.
func writeS3Error(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	w.Header().Set("x-amz-request-id", "FAULT0001")
	if r.Method == http.MethodHead { // no body, as S3 does
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>%s</Code><Message>%s</Message><RequestId>FAULT0001</RequestId></Error>`, code, msg)
}

// isObject reports whether r is about an object, not the bucket.
func isObject(r *http.Request) bool {
	return strings.Count(strings.TrimPrefix(r.URL.Path, "/"), "/") >= 1
}

func TestS3Faults(t *testing.T) {
	const key = "2024/01/31/obj.json"
	where := s3Bucket + "/faults/" + key
	tests := []struct {
		name         string
		op           string // "put", "get" or "stat"
		maxAttempts  int
		answer       func(w http.ResponseWriter, r *http.Request, n int) bool
		wantErr      string // "" for success, else the whole message up to ": <server's message>"
		wantAttempts int
		wantCode     string // smithy.APIError's code, when an error
		wantNotFound bool
		// wantPermanent: the error wraps storage.ErrPermanent, so that a
		// crawl stops at it instead of fetching pages it cannot keep.
		wantPermanent bool
	}{
		{
			name: "503 SlowDown twice, then OK",
			op:   "put",
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				if n < 2 {
					writeS3Error(w, r, 503, "SlowDown", "Please reduce your request rate.")
					return true
				}
				return false
			},
			wantAttempts: 3,
		},
		{
			name: "500 once, then OK",
			op:   "get",
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				if n < 1 {
					writeS3Error(w, r, 500, "InternalError", "We encountered an internal error. Please try again.")
					return true
				}
				return false
			},
			wantAttempts: 2,
		},
		{
			name: "403 AccessDenied, not retried",
			op:   "put",
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				writeS3Error(w, r, 403, "AccessDenied", "Access Denied")
				return true
			},
			wantErr:       "s3 put " + where + ": access denied (403 AccessDenied): Access Denied (request id FAULT0001)",
			wantPermanent: true,
			wantAttempts:  1,
			wantCode:      "AccessDenied",
		},
		{
			name: "403 on HEAD, no body",
			op:   "stat",
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				writeS3Error(w, r, 403, "", "")
				return true
			},
			wantErr:       "s3 stat " + where + ": access denied (403 Forbidden): request id FAULT0001",
			wantPermanent: true,
			wantAttempts:  1,
		},
		{
			name: "unknown access key",
			op:   "get",
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				writeS3Error(w, r, 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
				return true
			},
			wantErr:       "s3 get " + where + ": credentials rejected (403 InvalidAccessKeyId)",
			wantPermanent: true,
			wantAttempts:  1,
			wantCode:      "InvalidAccessKeyId",
		},
		{
			name: "expired token",
			op:   "put",
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				writeS3Error(w, r, 400, "ExpiredToken", "The provided token has expired.")
				return true
			},
			wantErr:       "s3 put " + where + ": credentials rejected (400 ExpiredToken)",
			wantPermanent: true,
			wantAttempts:  1,
			wantCode:      "ExpiredToken",
		},
		{
			name:        "500 forever",
			op:          "put",
			maxAttempts: 3,
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				writeS3Error(w, r, 500, "InternalError", "We encountered an internal error. Please try again.")
				return true
			},
			wantErr:      "s3 put " + where + ": server error (500 InternalError) after 3 attempts",
			wantAttempts: 3,
			wantCode:     "InternalError",
		},
		{
			name:        "SlowDown forever",
			op:          "get",
			maxAttempts: 4,
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				writeS3Error(w, r, 503, "SlowDown", "Please reduce your request rate.")
				return true
			},
			wantErr:      "s3 get " + where + ": throttled or unavailable (503 SlowDown) after 4 attempts",
			wantAttempts: 4,
			wantCode:     "SlowDown",
		},
		{
			name: "bucket deleted meanwhile",
			op:   "get",
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				writeS3Error(w, r, 404, "NoSuchBucket", "The specified bucket does not exist")
				return true
			},
			wantErr:       "s3 get " + where + ": no such bucket (404 NoSuchBucket)",
			wantPermanent: true,
			wantAttempts:  1,
			wantCode:      "NoSuchBucket",
		},
		{
			name: "no such key",
			op:   "get",
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				writeS3Error(w, r, 404, "NoSuchKey", "The specified key does not exist.")
				return true
			},
			wantErr:      "s3 get " + where + ": not found (404 NoSuchKey)",
			wantAttempts: 1,
			wantCode:     "NoSuchKey",
			wantNotFound: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &s3Recorder{}
			srv := s3test.NewServer(t, rec.wrap)
			srv.CreateBucket(t, s3Bucket)
			opts := srv.Options()
			opts.MaxAttempts = tt.maxAttempts
			s, err := storage.NewS3(t.Context(), s3Bucket, "faults", opts)
			if err != nil {
				t.Fatal(err)
			}
			data := []byte(`{"title": "기사"}`)
			if err := s.Put(t.Context(), key, data); err != nil {
				t.Fatal(err)
			}
			method := map[string]string{"put": "PUT", "get": "GET", "stat": "HEAD"}[tt.op]
			rec.mu.Lock()
			rec.match = func(r *http.Request) bool { return r.Method == method && isObject(r) }
			rec.answer = tt.answer
			rec.n = 0
			rec.mu.Unlock()

			switch tt.op {
			case "put":
				err = s.Put(t.Context(), key, data)
			case "get":
				var got []byte
				got, err = s.Get(t.Context(), key)
				if err == nil && !bytes.Equal(got, data) {
					t.Errorf("Get = %q, want %q", got, data)
				}
			case "stat":
				_, err = s.Stat(t.Context(), key)
			}
			rec.mu.Lock()
			attempts := rec.n
			rec.mu.Unlock()
			if attempts != tt.wantAttempts {
				t.Errorf("%d attempts, want %d", attempts, tt.wantAttempts)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("error %v, want success", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.wantErr)
			}
			t.Log(err)
			if msg := err.Error(); msg != tt.wantErr && !strings.HasPrefix(msg, tt.wantErr+": ") {
				t.Errorf("error\n%s\nwant\n%s[: …]", msg, tt.wantErr)
			}
			if got := errors.Is(err, storage.ErrPermanent); got != tt.wantPermanent {
				t.Errorf("errors.Is(err, ErrPermanent) = %v, want %v", got, tt.wantPermanent)
			}
			if got := errors.Is(err, storage.ErrNotFound); got != tt.wantNotFound {
				t.Errorf("errors.Is(err, ErrNotFound) = %v, want %v", got, tt.wantNotFound)
			}
			if tt.wantCode != "" {
				var apiErr smithy.APIError
				if !errors.As(err, &apiErr) || apiErr.ErrorCode() != tt.wantCode {
					t.Errorf("errors.As(err, smithy.APIError) gives %v, want code %s", apiErr, tt.wantCode)
				}
			}
		})
	}
}

// TestS3Deadline: a server that stops answering holds no method past its
// context's deadline.
func TestS3Deadline(t *testing.T) {
	rec := &s3Recorder{
		match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/slow") },
		answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
			io.Copy(io.Discard, r.Body)
			stuck := time.NewTimer(10 * time.Second)
			defer stuck.Stop()
			select {
			case <-r.Context().Done():
			case <-stuck.C:
			}
			return true
		},
	}
	srv := s3test.NewServer(t, rec.wrap)
	srv.CreateBucket(t, s3Bucket)
	s := srv.NewStore(t, s3Bucket, "")
	for name, op := range map[string]func(ctx context.Context) error{
		"put":    func(ctx context.Context) error { return s.Put(ctx, "slow", []byte("x")) },
		"get":    func(ctx context.Context) error { _, err := s.Get(ctx, "slow"); return err },
		"stat":   func(ctx context.Context) error { _, err := s.Stat(ctx, "slow"); return err },
		"delete": func(ctx context.Context) error { return s.Delete(ctx, "slow") },
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := op(ctx)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v, want one wrapping context.DeadlineExceeded", err)
			}
			if !strings.HasPrefix(fmt.Sprint(err), "s3 "+name+" "+s3Bucket+"/slow: ") {
				t.Errorf("error %q does not name the operation, bucket and key", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("returned after %v", d)
			}
		})
	}
}

func TestNewS3Errors(t *testing.T) {
	refuse := func(status int, code string, header ...string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodHead && !isObject(r) {
					for i := 0; i+1 < len(header); i += 2 {
						w.Header().Set(header[i], header[i+1])
					}
					writeS3Error(w, r, status, code, "")
					return
				}
				next.ServeHTTP(w, r)
			})
		}
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	tests := []struct {
		name    string
		wrap    func(http.Handler) http.Handler
		bucket  string
		prefix  string
		opts    func(*storage.S3Options)
		wantErr []string // all in the message
		wantIs  error
	}{
		{name: "no such bucket", bucket: "no-such-bucket",
			wantErr: []string{"s3 bucket no-such-bucket at http://127.0.0.1:", ": no such bucket (404 NotFound)"}},
		{name: "access denied", bucket: s3Bucket, wrap: refuse(403, ""),
			wantErr: []string{"s3 bucket gisa-test at http://127.0.0.1:", ": access denied (403 Forbidden)"}},
		{name: "other region", bucket: s3Bucket, wrap: refuse(301, "", "X-Amz-Bucket-Region", "ap-northeast-2"),
			wantErr: []string{"s3 bucket gisa-test at ", ": bucket is in region ap-northeast-2, not us-east-1 (301 MovedPermanently)"}},
		{name: "unreachable endpoint", bucket: s3Bucket,
			opts:    func(o *storage.S3Options) { o.Endpoint = closed.URL },
			wantErr: []string{"s3 bucket gisa-test at " + closed.URL + ": cannot reach " + closed.URL + " after 3 attempts: ", "connection refused"}},
		{name: "no credentials", bucket: s3Bucket,
			opts: func(o *storage.S3Options) {
				o.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
					return aws.Credentials{}, errors.New("no credentials in the environment")
				})
			},
			wantErr: []string{"s3 bucket gisa-test at http://127.0.0.1:", ": no usable credentials: ", "no credentials in the environment"}},
		{name: "bad prefix", bucket: s3Bucket, prefix: "a//b",
			wantErr: []string{"s3 store s3://gisa-test/a//b: prefix: "}, wantIs: storage.ErrInvalidKey},
		{name: "no bucket", bucket: "", wantErr: []string{"s3 store s3://: no bucket name"}},
		{name: "bad bucket", bucket: "a/b", wantErr: []string{`bucket name "a/b" has '/'`}},
		{name: "bad endpoint", bucket: s3Bucket,
			opts:    func(o *storage.S3Options) { o.Endpoint = "minio:9000" },
			wantErr: []string{`s3 store s3://gisa-test: endpoint "minio:9000" is not an http:// or https:// URL`}},
		// A password in the endpoint is refused, and never repeated.
		{name: "endpoint with credentials", bucket: s3Bucket,
			opts: func(o *storage.S3Options) { o.Endpoint = "http://minio:s3cr3t-pw@127.0.0.1:9000" },
			wantErr: []string{`s3 store s3://gisa-test: endpoint "http://minio:xxxxx@127.0.0.1:9000" has credentials in it: ` +
				`set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead`}},
		{name: "bad endpoint with credentials", bucket: s3Bucket,
			opts:    func(o *storage.S3Options) { o.Endpoint = "minio://minio:s3cr3t-pw@127.0.0.1:9000" },
			wantErr: []string{`is not an http:// or https:// URL`}},
		{name: "unparsable endpoint with credentials", bucket: s3Bucket,
			opts:    func(o *storage.S3Options) { o.Endpoint = "http://minio:s3cr3t-pw@127.0.0.1:90 00" },
			wantErr: []string{`is not an http:// or https:// URL`}},
		{name: "small parts", bucket: s3Bucket,
			opts:    func(o *storage.S3Options) { o.PartSize = 1 << 20 },
			wantErr: []string{"part size 1048576 bytes is outside S3's limits"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := s3test.NewServer(t, tt.wrap)
			srv.CreateBucket(t, s3Bucket)
			opts := srv.Options()
			if tt.opts != nil {
				tt.opts(&opts)
			}
			start := time.Now()
			s, err := storage.NewS3(t.Context(), tt.bucket, tt.prefix, opts)
			if err == nil {
				t.Fatalf("NewS3 = %v, nil; want an error", s)
			}
			t.Log(err)
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q\ndoes not contain %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "s3cr3t-pw") {
				t.Errorf("error %q shows the endpoint's password", err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v does not wrap %v", err, tt.wantIs)
			}
			if errors.Is(err, storage.ErrNotFound) {
				t.Errorf("error %v wraps ErrNotFound, meant for objects", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("NewS3 took %v to fail", d)
			}
		})
	}
}

func TestParseS3URL(t *testing.T) {
	tests := []struct {
		url, bucket, prefix string
		wantErr             string
	}{
		{url: "s3://archive", bucket: "archive"},
		{url: "s3://archive/", bucket: "archive"},
		{url: "s3://archive/gisa", bucket: "archive", prefix: "gisa"},
		{url: "s3://archive//gisa/prod/", bucket: "archive", prefix: "gisa/prod"},
		{url: "s3://my.bucket-1/기사 모음", bucket: "my.bucket-1", prefix: "기사 모음"},
		{url: "s3://archive/a%20b", bucket: "archive", prefix: "a%20b"},
		{url: "https://archive/gisa", wantErr: `s3 url "https://archive/gisa": does not begin with "s3://"`},
		{url: "s3:///gisa", wantErr: `s3 url "s3:///gisa": no bucket name`},
		{url: "s3://user@archive/gisa", wantErr: `s3 url "s3://user@archive/gisa": bucket name "user@archive" has '@'`},
		{url: "s3://archive/a/../b", wantErr: `s3 url "s3://archive/a/../b": prefix: invalid key`},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			bucket, prefix, err := storage.ParseS3URL(tt.url)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("ParseS3URL = %q, %q, %v; want error %q", bucket, prefix, err, tt.wantErr)
				}
				return
			}
			if err != nil || bucket != tt.bucket || prefix != tt.prefix {
				t.Fatalf("ParseS3URL = %q, %q, %v; want %q, %q", bucket, prefix, err, tt.bucket, tt.prefix)
			}
		})
	}
}

func TestContentType(t *testing.T) {
	for key, want := range map[string]string{
		"articles/hani/2024/01/31/hani-1.json": "application/json; charset=utf-8",
		"warc/2024/01/crawl-00001.warc.gz":     "application/warc",
		"warc/crawl.warc":                      "application/warc",
		"a.gz":                                 "application/octet-stream",
		"json":                                 "application/octet-stream",
	} {
		if got := storage.ContentType(key); got != want {
			t.Errorf("ContentType(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestS3List: listing pages through continuation tokens, sees nothing
// outside the store's prefix, and skips names that are not keys.
func TestS3List(t *testing.T) {
	rec := &s3Recorder{
		match: func(r *http.Request) bool { return r.URL.Query().Get("list-type") == "2" },
		answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
			q := r.URL.Query()
			q.Set("max-keys", "2") // small pages
			r.URL.RawQuery = q.Encode()
			return false
		},
	}
	srv := s3test.NewServer(t, rec.wrap)
	srv.CreateBucket(t, s3Bucket)
	root := srv.NewStore(t, s3Bucket, "")
	p := srv.NewStore(t, s3Bucket, "p")
	ctx := t.Context()
	for _, k := range []string{"o", "p.json", "p0/x", "pa/x", "q"} {
		if err := root.Put(ctx, k, []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	inP := []string{"a", "a/b", "a b", "b/c.json", "b/d", "c", "가/나"}
	for _, k := range inP {
		if err := p.Put(ctx, k, []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	// Objects other tools may leave, whose names are not keys.
	for _, name := range []string{"p/dir/", "p/x//y", "p/.tmp-123"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, srv.URL+"/"+s3Bucket+"/"+name, strings.NewReader("z"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("PUT %s: %s", name, resp.Status)
		}
	}
	list := func(s *storage.S3, prefix string) []string {
		t.Helper()
		keys := []string{}
		if err := s.List(ctx, prefix, func(i storage.Info) error {
			if i.Size != int64(len(i.Key)) && !strings.HasPrefix(i.Key, "p/") {
				t.Errorf("%s: size %d", i.Key, i.Size)
			}
			keys = append(keys, i.Key)
			return nil
		}); err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		return keys
	}

	before := rec.count(func(r s3Request) bool { return r.query["list-type"] != nil })
	want := slices.Sorted(slices.Values(inP))
	if got := list(p, ""); !slices.Equal(got, want) {
		t.Errorf("List under p = %q, want %q", got, want)
	}
	if n := rec.count(func(r s3Request) bool { return r.query["list-type"] != nil }) - before; n < (len(inP)+3)/2 {
		t.Errorf("listed in %d requests, want pages of 2", n)
	}
	if got, want := list(p, "b/"), []string{"b/c.json", "b/d"}; !slices.Equal(got, want) {
		t.Errorf("List(b/) under p = %q, want %q", got, want)
	}
	if got, want := list(p, "a"), []string{"a", "a b", "a/b"}; !slices.Equal(got, want) {
		t.Errorf("List(a) under p = %q, want %q", got, want)
	}
	wantRoot := []string{"o", "p.json", "p/a", "p/a b", "p/a/b", "p/b/c.json", "p/b/d", "p/c", "p/가/나", "p0/x", "pa/x", "q"}
	if got := list(root, ""); !slices.Equal(got, wantRoot) {
		t.Errorf("List of the bucket = %q, want %q", got, wantRoot)
	}
	for _, r := range rec.requests() {
		if r.query["list-type"] != nil && !strings.HasPrefix(r.query.Get("prefix"), "p/") && r.query.Get("prefix") != "" {
			t.Errorf("listed with prefix %q", r.query.Get("prefix"))
		}
	}
}

// TestS3Upload: uploads carry Content-Type and Content-MD5; files and large
// slices go up in parts; a failed or canceled multipart upload is aborted
// and leaves no object.
func TestS3Upload(t *testing.T) {
	const partSize = 5 << 20
	isPart := func(r s3Request) bool { return r.method == http.MethodPut && r.query["partNumber"] != nil }
	isAbort := func(r s3Request) bool { return r.method == http.MethodDelete && r.query["uploadId"] != nil }
	newStore := func(t *testing.T, rec *s3Recorder) *storage.S3 {
		srv := s3test.NewServer(t, rec.wrap)
		srv.CreateBucket(t, s3Bucket)
		opts := srv.Options()
		opts.PartSize = partSize
		opts.Concurrency = 3
		s, err := storage.NewS3(t.Context(), s3Bucket, "up", opts)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	writeFile := func(t *testing.T, name string, data []byte) string {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	mustEqual := func(t *testing.T, s *storage.S3, key string, want []byte) {
		t.Helper()
		got, err := s.Get(t.Context(), key)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("Get(%q) = %d bytes, not the %d put", key, len(got), len(want))
		}
	}

	t.Run("headers", func(t *testing.T) {
		rec := &s3Recorder{}
		s := newStore(t, rec)
		for key, want := range map[string]string{
			"a/1.json":           "application/json; charset=utf-8",
			"warc/x.warc.gz":     "application/warc",
			"bin/x":              "application/octet-stream",
			"empty/nothing.json": "application/json; charset=utf-8",
		} {
			data := []byte(key)
			if strings.HasPrefix(key, "empty/") {
				data = nil
			}
			if err := s.Put(t.Context(), key, data); err != nil {
				t.Fatal(err)
			}
			for _, r := range rec.requests() {
				if r.method == http.MethodPut && r.path == "/"+s3Bucket+"/up/"+key {
					if got := r.header.Get("Content-Type"); got != want {
						t.Errorf("%s: Content-Type %q, want %q", key, got, want)
					}
					if r.header.Get("Content-MD5") == "" {
						t.Errorf("%s: no Content-MD5", key)
					}
				}
			}
			mustEqual(t, s, key, data)
		}
	})

	t.Run("40 MB file", func(t *testing.T) {
		rec := &s3Recorder{}
		s := newStore(t, rec)
		data := s3RandBytes(40_000_000)
		path := writeFile(t, "crawl-00001.warc.gz", data)
		key := "warc/2024/01/31/crawl-00001.warc.gz"
		start := time.Now()
		if err := s.PutFile(t.Context(), key, path); err != nil {
			t.Fatal(err)
		}
		t.Logf("PutFile of %d bytes in %d parts: %v", len(data), rec.count(isPart), time.Since(start))
		if n, want := rec.count(isPart), (len(data)+partSize-1)/partSize; n != want {
			t.Errorf("%d parts uploaded, want %d", n, want)
		}
		if n := rec.count(func(r s3Request) bool { return isPart(r) && r.header.Get("Content-MD5") == "" }); n > 0 {
			t.Errorf("%d parts without Content-MD5", n)
		}
		if n := rec.count(func(r s3Request) bool {
			return r.method == http.MethodPost && r.query["uploads"] != nil && r.header.Get("Content-Type") == "application/warc"
		}); n != 1 {
			t.Errorf("%d uploads created with Content-Type application/warc, want 1", n)
		}
		mustEqual(t, s, key, data)
		info, err := s.Stat(t.Context(), key)
		if err != nil || info.Size != int64(len(data)) {
			t.Errorf("Stat = %+v, %v", info, err)
		}
	})

	t.Run("small file", func(t *testing.T) {
		rec := &s3Recorder{}
		s := newStore(t, rec)
		for _, data := range [][]byte{nil, []byte("WARC/1.1\r\n"), s3RandBytes(partSize)} {
			path := writeFile(t, "small.warc.gz", data)
			if err := s.PutFile(t.Context(), "small.warc.gz", path); err != nil {
				t.Fatal(err)
			}
			mustEqual(t, s, "small.warc.gz", data)
		}
		if n := rec.count(isPart); n != 0 {
			t.Errorf("%d parts uploaded for files of at most one part", n)
		}
	})

	t.Run("large Put", func(t *testing.T) {
		rec := &s3Recorder{}
		s := newStore(t, rec)
		data := s3RandBytes(2*partSize + 1)
		if err := s.Put(t.Context(), "big.bin", data); err != nil {
			t.Fatal(err)
		}
		if n := rec.count(isPart); n != 3 {
			t.Errorf("%d parts uploaded, want 3", n)
		}
		mustEqual(t, s, "big.bin", data)
	})

	t.Run("part refused", func(t *testing.T) {
		rec := &s3Recorder{
			match: func(r *http.Request) bool { return r.URL.Query().Get("partNumber") == "2" },
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				// Read the part first, as S3 does: answering mid-upload
				// makes the client see a reset instead of the 403.
				io.Copy(io.Discard, r.Body)
				writeS3Error(w, r, 403, "AccessDenied", "Access Denied")
				return true
			},
		}
		s := newStore(t, rec)
		path := writeFile(t, "f", s3RandBytes(4*partSize))
		err := s.PutFile(t.Context(), "refused.bin", path)
		if want := "s3 put (part 2) " + s3Bucket + "/up/refused.bin: access denied (403 AccessDenied)"; err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("PutFile error %v, want %q…", err, want)
		}
		if n := rec.count(isAbort); n != 1 {
			t.Errorf("upload aborted %d times, want 1", n)
		}
		if _, err := s.Stat(t.Context(), "refused.bin"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Stat after the failed upload: %v, want ErrNotFound", err)
		}
	})

	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		rec := &s3Recorder{
			match: func(r *http.Request) bool { return r.URL.Query().Get("partNumber") != "" },
			answer: func(w http.ResponseWriter, r *http.Request, n int) bool {
				if n == 1 {
					cancel() // while parts are being uploaded
				}
				return false
			},
		}
		s := newStore(t, rec)
		path := writeFile(t, "f", s3RandBytes(6*partSize))
		err := s.PutFile(ctx, "canceled.bin", path)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("PutFile error %v, want context.Canceled", err)
		}
		if n := rec.count(isAbort); n != 1 {
			t.Errorf("upload aborted %d times, want 1", n)
		}
		if _, err := s.Stat(t.Context(), "canceled.bin"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Stat after the canceled upload: %v, want ErrNotFound", err)
		}
	})

	t.Run("bad file", func(t *testing.T) {
		rec := &s3Recorder{}
		s := newStore(t, rec)
		missing := filepath.Join(t.TempDir(), "missing.warc.gz")
		if err := s.PutFile(t.Context(), "x", missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
			t.Errorf("PutFile of a missing file: %v", err)
		}
		if err := s.PutFile(t.Context(), "x", t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("PutFile of a directory: %v", err)
		}
		if err := s.PutFile(t.Context(), "../x", missing); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("PutFile to an invalid key: %v", err)
		}
		if n := rec.count(func(r s3Request) bool { return r.method != http.MethodHead }); n != 0 {
			t.Errorf("%d requests for bad files", n)
		}
	})
}

// TestS3Archive: the article layout works on S3 as on Disk.
func TestS3Archive(t *testing.T) {
	srv := s3test.NewServer(t, nil)
	srv.CreateBucket(t, s3Bucket)
	arc := storage.NewArchive(srv.NewStore(t, s3Bucket, "gisa"))
	published := time.Date(2024, 1, 31, 18, 6, 10, 0, article.KST)
	a := &article.Article{
		ID:          "hani-1128383",
		URL:         "https://www.hani.co.kr/arti/society/1128383.html",
		Outlet:      article.Outlet{ID: "hani", Name: "한겨레"},
		Title:       "제목",
		Body:        "첫 문단.",
		PublishedAt: &published,
		Language:    "ko",
	}
	a.Normalize()
	for _, want := range []storage.Outcome{storage.Created, storage.Unchanged} {
		got, key, err := arc.PutArticle(t.Context(), a)
		if err != nil || got != want {
			t.Fatalf("PutArticle = %v, %q, %v; want %v", got, key, err, want)
		}
	}
	b := *a
	b.Title = "고친 제목"
	got, key, err := arc.PutArticle(t.Context(), &b)
	if err != nil || got != storage.Updated {
		t.Fatalf("PutArticle of a changed article = %v, %v; want Updated", got, err)
	}
	stored, err := arc.GetArticle(t.Context(), key)
	if err != nil || stored.Title != b.Title {
		t.Fatalf("GetArticle = %+v, %v", stored, err)
	}
	revs, err := arc.Revisions(t.Context(), key)
	if err != nil || len(revs) != 1 {
		t.Fatalf("Revisions = %q, %v; want one", revs, err)
	}
}

// TestS3RealEndpoint runs the conformance suite against a real S3-compatible
// server, under a new random prefix that it removes afterwards.
func TestS3RealEndpoint(t *testing.T) {
	endpoint, bucket := os.Getenv("GISA_TEST_S3_ENDPOINT"), os.Getenv("GISA_TEST_S3_BUCKET")
	if endpoint == "" || bucket == "" {
		t.Skip("set GISA_TEST_S3_ENDPOINT (a URL such as http://127.0.0.1:9000, or \"aws\") and GISA_TEST_S3_BUCKET, " +
			"with credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) and AWS_REGION if needed, " +
			"to run the Store conformance suite against a real S3-compatible server")
	}
	if endpoint == "aws" {
		endpoint = "" // real AWS: an instance role is a legitimate source
	} else {
		// An S3-compatible server on this side of the network: the
		// credential chain must not fall back to the EC2 metadata address.
		t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	}
	opts := storage.S3Options{Endpoint: endpoint}
	tag := make([]byte, 6)
	rand.Read(tag)
	root := "gisa-test-" + time.Now().UTC().Format("20060102-150405") + "-" + hex.EncodeToString(tag)
	cleanup, err := storage.NewS3(t.Context(), bucket, root, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// t.Context() is done by now.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var keys []string
		if err := cleanup.List(ctx, "", func(i storage.Info) error { keys = append(keys, i.Key); return nil }); err != nil {
			t.Errorf("clean up s3://%s/%s: %v", bucket, root, err)
		}
		for _, k := range keys {
			if err := cleanup.Delete(ctx, k); err != nil {
				t.Errorf("clean up: %v", err)
			}
		}
		t.Logf("removed %d objects under s3://%s/%s", len(keys), bucket, root)
	})
	var n atomic.Int64
	storetest.Run(t, func(t *testing.T) storage.Store {
		s, err := storage.NewS3(t.Context(), bucket, fmt.Sprintf("%s/%d", root, n.Add(1)), opts)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func ExampleParseS3URL() {
	bucket, prefix, err := storage.ParseS3URL("s3://news-archive/gisa/prod/")
	fmt.Println(bucket, prefix, err)
	_, _, err = storage.ParseS3URL("news-archive/gisa")
	fmt.Println(err)
	// Output:
	// news-archive gisa/prod <nil>
	// s3 url "news-archive/gisa": does not begin with "s3://"
}

func s3RandBytes(n int) []byte {
	b := make([]byte, n)
	r := mrand.NewChaCha8([32]byte{1})
	r.Read(b)
	return b
}

// s3JSON is a JSON object of about size bytes, mostly Hangul, like an
// article record.
func s3JSON(size int) []byte {
	body := strings.Repeat("정부는 오늘 새로운 정책을 발표했다. ", size/50)
	b, _ := json.Marshal(map[string]string{"id": "hani-1128383", "title": "제목", "body": body})
	return b
}

// BenchmarkS3Put puts an 8 KB JSON object to the in-process server: the
// cost of the client (signing, MD5, HTTP) and of gofakes3, loopback only.
// Compare with BenchmarkDiskPut.
func BenchmarkS3Put(b *testing.B) {
	srv := s3test.NewServer(b, nil)
	srv.CreateBucket(b, s3Bucket)
	s := srv.NewStore(b, s3Bucket, "bench")
	data := s3JSON(8 << 10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// A bounded set of keys keeps the in-memory server small.
		key := fmt.Sprintf("articles/hani/2024/01/31/hani-%d.json", i%1024)
		if err := s.Put(b.Context(), key, data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}

// TestNewS3NoCredentials: a user with no credentials anywhere (no AWS_*
// variables, no ~/.aws, no instance role) is told what to set, not what the
// EC2 instance metadata service answered; the metadata address is never
// called (AWS_EC2_METADATA_DISABLED).
func TestNewS3NoCredentials(t *testing.T) {
	srv := s3test.NewServer(t, nil)
	srv.CreateBucket(t, s3Bucket)
	home := t.TempDir()
	for _, k := range []string{
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
	} {
		t.Setenv(k, "")
	}
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "no-credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_REGION", "us-east-1")

	opts := srv.Options()
	opts.Credentials = nil // the standard chain
	_, err := storage.NewS3(t.Context(), s3Bucket, "", opts)
	if err == nil {
		t.Fatal("NewS3 without credentials succeeded")
	}
	t.Log(err)
	msg := err.Error()
	if !strings.Contains(msg, "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE") {
		t.Errorf("error %q does not say which credentials to set", msg)
	}
	for _, bad := range []string{"IMDS", "imds", "EC2", "169.254", "metadata"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error %q speaks of the instance metadata service (%q)", msg, bad)
		}
	}
}
