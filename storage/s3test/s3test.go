// Package s3test runs an S3-compatible server inside a test: gofakes3 with
// its in-memory backend behind an httptest.Server on the loopback interface,
// so that code using storage.S3 is tested over real HTTP without a network.
//
//	srv := s3test.NewServer(t, nil)
//	srv.CreateBucket(t, "archive")
//	s3, err := storage.NewS3(t.Context(), "archive", "gisa", srv.Options())
package s3test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/gisa-news/gisa/storage"
)

// Server is a running in-memory S3 server. It is safe for concurrent use.
type Server struct {
	// URL is the server's base URL, "http://127.0.0.1:port", to be used as
	// storage.S3Options.Endpoint.
	URL string

	backend *s3mem.Backend
}

// NewServer starts a server, closed when tb's test ends. If wrap is not nil,
// every request goes through wrap(s3Handler) first, which lets a test count
// requests or answer some itself (faults, delays).
func NewServer(tb testing.TB, wrap func(http.Handler) http.Handler) *Server {
	tb.Helper()
	backend := s3mem.New()
	var h http.Handler = gofakes3.New(backend).Server()
	if wrap != nil {
		h = wrap(h)
	}
	hs := httptest.NewServer(h)
	tb.Cleanup(hs.Close)
	return &Server{URL: hs.URL, backend: backend}
}

// CreateBucket creates a bucket, failing tb if it cannot.
func (s *Server) CreateBucket(tb testing.TB, name string) {
	tb.Helper()
	if err := s.backend.CreateBucket(name); err != nil {
		tb.Fatalf("create bucket %s: %v", name, err)
	}
}

// Credentials are the static credentials Options uses. The server accepts
// any.
func Credentials() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("GISATESTKEY", "gisa-test-secret", "")
}

// Options are storage.S3Options for this server: its endpoint, region
// us-east-1, static credentials, and a backoff short enough for tests.
func (s *Server) Options() storage.S3Options {
	return storage.S3Options{
		Endpoint:    s.URL,
		Region:      "us-east-1",
		Credentials: Credentials(),
		MaxBackoff:  5 * time.Millisecond,
	}
}

// NewStore returns a storage.S3 on this server, in bucket under prefix,
// failing tb if it cannot.
func (s *Server) NewStore(tb testing.TB, bucket, prefix string) *storage.S3 {
	tb.Helper()
	st, err := storage.NewS3(tb.Context(), bucket, prefix, s.Options())
	if err != nil {
		tb.Fatalf("NewS3: %v", err)
	}
	return st
}
