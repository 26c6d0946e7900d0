package storage

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/gisa-news/gisa/internal/redact"
)

// S3 limits on multipart uploads.
const (
	minPartSize = 5 << 20 // every part but the last
	maxPartSize = 5 << 30
	maxParts    = 10_000
)

// S3Options configure NewS3. The zero value talks to AWS with the standard
// credential chain and the defaults below.
type S3Options struct {
	// Endpoint is the S3-compatible server to use instead of AWS, such as
	// "http://127.0.0.1:9000" (MinIO, Ceph, R2 …). With an endpoint, here or
	// from the SDK's own settings (AWS_ENDPOINT_URL_S3 …), path-style
	// addressing is used: http://host/bucket/key.
	Endpoint string

	// Region is the bucket's region. "" takes it from the standard chain
	// (AWS_REGION, the shared config file …), else "us-east-1".
	Region string

	// PartSize is the size of the parts of a multipart upload, and the size
	// above which an object is uploaded in parts. At least 5 MiB (S3's
	// minimum) and at most 5 GiB; 0 means 16 MiB. It grows for a file that
	// would need more than 10,000 parts.
	PartSize int64

	// Concurrency is how many parts of one object are uploaded at once;
	// 0 means 4.
	Concurrency int

	// MaxAttempts is how many times one request is tried, first attempt
	// included, when it fails in a way worth retrying (throttling such as
	// 503 SlowDown, 500, 502, 504, a broken connection); 0 means 8.
	MaxAttempts int

	// MaxBackoff caps the wait between attempts, which grows exponentially
	// with jitter (the SDK's standard retryer); 0 means 20 s.
	MaxBackoff time.Duration

	// Credentials, when not nil, replace the standard credential chain
	// (environment, shared config and credentials files, SSO, web identity,
	// ECS and EC2 instance metadata).
	Credentials aws.CredentialsProvider

	// HTTPClient, when not nil, sends the requests (tests use it).
	HTTPClient *http.Client

	// Logger receives the SDK's warnings (and debug messages); nil discards
	// them.
	Logger *slog.Logger
}

// S3 is a Store in an S3 bucket, or any S3-compatible one: the object under
// key "a/b/c.json" is the S3 object <prefix>/a/b/c.json (a/b/c.json without
// a prefix), the same layout as Disk's, so a directory made by Disk can be
// copied to the bucket as it is (for example with `aws s3 sync`).
//
// Put is one PutObject, which S3 makes visible whole or not at all; objects
// above the part size are uploaded in parts and appear only when the upload
// completes, and an upload that fails is aborted. Every upload carries a
// Content-MD5, which the server checks, and a Content-Type chosen by the
// key's extension (see ContentType).
//
// Requests that fail in a way worth retrying are retried with exponential
// backoff (S3Options.MaxAttempts). Errors name the operation, bucket and key
// and say what went wrong in words ("access denied (403 AccessDenied)");
// they wrap the SDK's error, so errors.As finds smithy.APIError, and wrap
// ErrNotFound for a missing object and ctx.Err() when ctx is done.
//
// Unlike Disk, S3 can hold both "a" and "a/b". List skips objects whose names
// under the prefix are not valid keys (folder markers such as "a/",
// objects put by other tools). ModTime is S3's Last-Modified, truncated to
// the second (what HEAD responses carry) so that Stat and List agree.
//
// Stat cannot tell a missing object from a missing bucket (a HEAD response
// has no body to say which), and S3 answers 403 rather than 404 for a
// missing object to a caller without s3:ListBucket on the bucket; NewS3
// checks the bucket once.
//
// An S3 is safe for concurrent use. It needs no Close.
type S3 struct {
	client      *s3.Client
	bucket      string
	base        string // "" or "<prefix>/": what begins every object name
	endpoint    string // for messages
	region      string
	partSize    int64
	concurrency int
}

var _ Store = (*S3)(nil)

// ParseS3URL splits "s3://bucket/prefix/..." into bucket and prefix, the
// prefix without leading or trailing '/'. It is taken literally, as the AWS
// CLI does, not percent-decoded. The prefix, when not empty, must be a valid
// key (see ValidKey).
func ParseS3URL(u string) (bucket, prefix string, err error) {
	bad := func(reason string) error { return fmt.Errorf("s3 url %q: %s", u, reason) }
	rest, ok := strings.CutPrefix(u, "s3://")
	if !ok {
		return "", "", bad(`does not begin with "s3://"`)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if err := validBucket(bucket); err != nil {
		return "", "", bad(err.Error())
	}
	prefix = strings.Trim(prefix, "/")
	if prefix != "" {
		if err := ValidKey(prefix); err != nil {
			return "", "", fmt.Errorf("s3 url %q: prefix: %w", u, err)
		}
	}
	return bucket, prefix, nil
}

// validBucket checks the characters of a bucket name, leniently: AWS allows
// fewer (lower case, 3 to 63 bytes), some S3-compatible servers more.
func validBucket(bucket string) error {
	if bucket == "" {
		return errors.New("no bucket name")
	}
	for _, r := range bucket {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
		default:
			return fmt.Errorf("bucket name %q has %q", bucket, r)
		}
	}
	return nil
}

// NewS3 returns an S3 store in bucket under prefix ("" for none; leading and
// trailing '/' are ignored). It loads the SDK's configuration with the
// standard credential chain (config.LoadDefaultConfig) and checks with
// HeadBucket that the bucket exists and is reachable with those credentials,
// so that a wrong bucket, endpoint, region or credential fails here, with an
// error naming the bucket and the endpoint. ctx bounds that check only; the
// S3 does not keep it.
func NewS3(ctx context.Context, bucket, prefix string, opts S3Options) (*S3, error) {
	prefix = strings.Trim(prefix, "/")
	where := "s3://" + bucket
	if prefix != "" {
		where += "/" + prefix
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("s3 store %s: "+format, append([]any{where}, args...)...)
	}
	if err := validBucket(bucket); err != nil {
		return nil, bad("%v", err)
	}
	if prefix != "" {
		if err := ValidKey(prefix); err != nil {
			return nil, bad("prefix: %w", err)
		}
	}
	if opts.Endpoint != "" {
		u, err := url.Parse(opts.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, bad("endpoint %q is not an http:// or https:// URL", redact.URL(opts.Endpoint))
		}
		// The SDK signs with the credential chain's keys and ignores a
		// user:password@ in the endpoint: accepting it would drop the
		// credentials silently and carry the password into every message.
		if u.User != nil {
			return nil, bad("endpoint %q has credentials in it: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead (or AWS_PROFILE)", u.Redacted())
		}
	}
	if opts.PartSize == 0 {
		opts.PartSize = 16 << 20
	}
	if opts.PartSize < minPartSize || opts.PartSize > maxPartSize {
		return nil, bad("part size %d bytes is outside S3's limits, 5 MiB to 5 GiB", opts.PartSize)
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 8
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 20 * time.Second
	}

	load := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = opts.MaxAttempts
				o.MaxBackoff = opts.MaxBackoff
				// Every request gets its attempts: a crawl that S3 throttles
				// should slow down, not drop articles once a shared retry
				// budget runs out.
				o.RateLimiter = ratelimit.None
			})
		}),
		config.WithRetryMaxAttempts(opts.MaxAttempts), // not AWS_MAX_ATTEMPTS
		// We send Content-MD5 ourselves, which every S3-compatible server
		// checks; the SDK's default CRC in an aws-chunked trailer is not
		// understood by all of them.
		config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
	}
	if opts.Region != "" {
		load = append(load, config.WithRegion(opts.Region))
	}
	if opts.Credentials != nil {
		load = append(load, config.WithCredentialsProvider(opts.Credentials))
	}
	if opts.HTTPClient != nil {
		load = append(load, config.WithHTTPClient(opts.HTTPClient))
	}
	if opts.Logger != nil {
		load = append(load, config.WithLogger(sdkLogger{l: opts.Logger}))
	} else {
		load = append(load, config.WithLogger(logging.Nop{}))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, bad("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Credentials != nil {
		// The standard chain falls back to the EC2 instance role when it
		// finds nothing else; its failure then means "no credentials at
		// all", which the user should hear in those words.
		none := opts.Credentials == nil && aws.IsCredentialsProvider(cfg.Credentials, (*ec2rolecreds.Provider)(nil))
		cfg.Credentials = credentialsTagger{p: cfg.Credentials, none: none}
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
		if o.BaseEndpoint != nil {
			o.UsePathStyle = true
		}
		// Said of every object without a checksum of its own, such as
		// those uploaded in parts and all on some S3-compatible servers.
		o.DisableLogOutputChecksumValidationSkipped = true
	})
	s := &S3{
		client:      client,
		bucket:      bucket,
		endpoint:    "AWS S3 in " + cfg.Region,
		region:      cfg.Region,
		partSize:    opts.PartSize,
		concurrency: opts.Concurrency,
	}
	if prefix != "" {
		s.base = prefix + "/"
	}
	if ep := client.Options().BaseEndpoint; ep != nil {
		s.endpoint = redact.URL(*ep) // it may come from AWS_ENDPOINT_URL_S3, unchecked
	}

	// A few attempts only: a wrong endpoint should fail in seconds, not after
	// the backoff that suits a running crawl.
	_, err = client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}, func(o *s3.Options) {
		o.RetryMaxAttempts = min(3, opts.MaxAttempts)
	})
	if err != nil {
		return nil, s.fail(ctx, opBucket, bucket+" at "+s.endpoint, err)
	}
	return s, nil
}

// credentialsTagger marks the errors of getting credentials, so that they
// can be told from others without reading their text. none says that p is
// the standard chain's last resort, the instance role: its failure means no
// credentials were found anywhere.
type credentialsTagger struct {
	p    aws.CredentialsProvider
	none bool
}

func (t credentialsTagger) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := t.p.Retrieve(ctx)
	if err != nil {
		return c, &credentialsError{err: err, none: t.none}
	}
	return c, nil
}

// IsCredentialsProvider lets the SDK see through the tagger (for
// aws.AnonymousCredentials, for example).
func (t credentialsTagger) IsCredentialsProvider(target aws.CredentialsProvider) bool {
	return aws.IsCredentialsProvider(t.p, target)
}

type credentialsError struct {
	err  error
	none bool // nothing in the chain had credentials
}

// noCredentials is what a user without credentials is told.
const noCredentials = "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY " +
	"(or AWS_PROFILE for a profile in ~/.aws/config, or run where an instance or task role provides them)"

func (e *credentialsError) Error() string { return e.err.Error() }
func (e *credentialsError) Unwrap() error { return e.err }

// sdkLogger passes the SDK's messages to a slog.Logger.
type sdkLogger struct {
	l   *slog.Logger
	ctx context.Context // of the request, when the SDK gives it
}

func (s sdkLogger) Logf(c logging.Classification, format string, v ...any) {
	level := slog.LevelDebug
	if c == logging.Warn {
		level = slog.LevelWarn
	}
	s.l.Log(s.ctx, level, "aws sdk: "+fmt.Sprintf(format, v...)) // a nil ctx is fine with slog
}

func (s sdkLogger) WithContext(ctx context.Context) logging.Logger {
	return sdkLogger{l: s.l, ctx: ctx}
}

// ContentType is the Content-Type S3 stores with an object under key:
// "application/json; charset=utf-8" for .json, "application/warc" for
// .warc.gz and .warc, else "application/octet-stream".
func ContentType(key string) string {
	switch {
	case strings.HasSuffix(key, ".json"):
		return "application/json; charset=utf-8"
	case strings.HasSuffix(key, ".warc.gz"), strings.HasSuffix(key, ".warc"):
		return "application/warc"
	default:
		return "application/octet-stream"
	}
}

// object is the S3 object name of a valid key.
func (s *S3) object(key string) string { return s.base + key }

// where names an object in messages: bucket/prefix/key.
func (s *S3) where(key string) string { return s.bucket + "/" + s.object(key) }

// Put stores data under key; see Store. Data larger than the part size is
// uploaded in parts.
func (s *S3) Put(ctx context.Context, key string, data []byte) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("s3 put: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("s3 put %s: %w", s.where(key), err)
	}
	r := bytes.NewReader(data)
	if int64(len(data)) > s.partSize {
		return s.putParts(ctx, key, r, r.Size())
	}
	return s.putObject(ctx, key, r, r.Size())
}

// PutFile uploads the regular file at path under key, reading it as it goes
// (in parts, several at once, when it is larger than the part size) rather
// than into memory; the object appears whole when the upload completes.
// The file must not change meanwhile: a part that does fails its checksum.
// It is meant for rotated WARC files.
func (s *S3) PutFile(ctx context.Context, key, path string) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("s3 put: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("s3 put %s: %w", s.where(key), err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("s3 put %s: %w", s.where(key), err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("s3 put %s: %w", s.where(key), err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("s3 put %s: %s is not a regular file", s.where(key), path)
	}
	if fi.Size() > s.partSize {
		return s.putParts(ctx, key, f, fi.Size())
	}
	return s.putObject(ctx, key, io.NewSectionReader(f, 0, fi.Size()), fi.Size())
}

// contentMD5 returns the base64 MD5 of r's size bytes, leaving r at its
// start again.
func contentMD5(r io.ReadSeeker, size int64) (string, error) {
	h := md5.New()
	if n, err := io.Copy(h, r); err != nil {
		return "", err
	} else if n != size {
		return "", fmt.Errorf("read %d bytes, want %d: changed meanwhile", n, size)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}

// putObject uploads r, seekable so that a retry can send it again, in one
// request.
func (s *S3) putObject(ctx context.Context, key string, r io.ReadSeeker, size int64) error {
	sum, err := contentMD5(r, size)
	if err != nil {
		return fmt.Errorf("s3 put %s: %w", s.where(key), err)
	}
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(s.object(key)),
		Body:          r,
		ContentLength: aws.Int64(size),
		ContentMD5:    aws.String(sum),
		ContentType:   aws.String(ContentType(key)),
	})
	if err != nil {
		return s.fail(ctx, "put", s.where(key), err)
	}
	return nil
}

// putParts uploads size bytes of r under key as a multipart upload, up to
// s.concurrency parts at once, and aborts the upload if any step fails.
func (s *S3) putParts(ctx context.Context, key string, r io.ReaderAt, size int64) error {
	partSize := max(s.partSize, (size+maxParts-1)/maxParts)
	if partSize > maxPartSize {
		return fmt.Errorf("s3 put %s: %d bytes is more than S3 takes in one object", s.where(key), size)
	}
	nparts := int((size + partSize - 1) / partSize)
	created, err := s.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket:      aws.String(s.bucket),
		Key:         aws.String(s.object(key)),
		ContentType: aws.String(ContentType(key)),
	})
	if err != nil {
		return s.fail(ctx, "put", s.where(key), err)
	}
	upload := created.UploadId

	partCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		parts    = make([]types.CompletedPart, nparts)
		next     = make(chan int)
	)
	for range min(s.concurrency, nparts) {
		wg.Go(func() {
			for i := range next {
				off := int64(i) * partSize
				etag, err := s.uploadPart(partCtx, key, upload, int32(i+1), io.NewSectionReader(r, off, min(partSize, size-off)))
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					continue
				}
				parts[i] = types.CompletedPart{ETag: etag, PartNumber: aws.Int32(int32(i + 1))}
			}
		})
	}
feed:
	for i := range nparts {
		select {
		case next <- i:
		case <-partCtx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()

	err = firstErr
	if err == nil && ctx.Err() != nil {
		err = fmt.Errorf("s3 put %s: %w", s.where(key), ctx.Err())
	}
	if err == nil {
		_, err = s.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
			Bucket:          aws.String(s.bucket),
			Key:             aws.String(s.object(key)),
			UploadId:        upload,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
		})
		if err == nil {
			return nil
		}
		err = s.fail(ctx, "put", s.where(key), err)
	}

	// Abort even when ctx is done, or the parts are kept (and billed).
	actx, acancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer acancel()
	if _, aerr := s.client.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{
		Bucket:   aws.String(s.bucket),
		Key:      aws.String(s.object(key)),
		UploadId: upload,
	}); aerr != nil {
		return fmt.Errorf("%w (and aborting upload %s failed: %v)", err, aws.ToString(upload), aerr)
	}
	return err
}

func (s *S3) uploadPart(ctx context.Context, key string, upload *string, n int32, part *io.SectionReader) (*string, error) {
	sum, err := contentMD5(part, part.Size())
	if err != nil {
		return nil, fmt.Errorf("s3 put %s: part %d: %w", s.where(key), n, err)
	}
	out, err := s.client.UploadPart(ctx, &s3.UploadPartInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(s.object(key)),
		UploadId:      upload,
		PartNumber:    aws.Int32(n),
		Body:          part,
		ContentLength: aws.Int64(part.Size()),
		ContentMD5:    aws.String(sum),
	})
	if err != nil {
		return nil, s.fail(ctx, fmt.Sprintf("put (part %d)", n), s.where(key), err)
	}
	return out.ETag, nil
}

// Get returns the object under key; see Store.
func (s *S3) Get(ctx context.Context, key string) ([]byte, error) {
	if err := ValidKey(key); err != nil {
		return nil, fmt.Errorf("s3 get: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("s3 get %s: %w", s.where(key), err)
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.object(key)),
	})
	if err != nil {
		return nil, s.fail(ctx, "get", s.where(key), err)
	}
	defer out.Body.Close()
	var buf bytes.Buffer
	if n := aws.ToInt64(out.ContentLength); n > 0 && n < 1<<30 {
		buf.Grow(int(n) + bytes.MinRead) // no copy when ReadFrom meets EOF
	}
	if _, err := buf.ReadFrom(out.Body); err != nil {
		return nil, s.fail(ctx, "get", s.where(key), err)
	}
	return buf.Bytes(), nil
}

// Stat describes the object under key; see Store.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, fmt.Errorf("s3 stat: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Info{}, fmt.Errorf("s3 stat %s: %w", s.where(key), err)
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.object(key)),
	})
	if err != nil {
		return Info{}, s.fail(ctx, "stat", s.where(key), err)
	}
	return Info{Key: key, Size: aws.ToInt64(out.ContentLength), ModTime: modTime(out.LastModified)}, nil
}

func modTime(t *time.Time) time.Time { return aws.ToTime(t).UTC().Truncate(time.Second) }

// Delete removes the object under key, if any; see Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("s3 delete: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("s3 delete %s: %w", s.where(key), err)
	}
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.object(key)),
	})
	if err != nil {
		if err := s.fail(ctx, "delete", s.where(key), err); !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

// List calls fn for every object whose key begins with prefix, in key order;
// see Store. It reads ListObjectsV2 pages of up to 1,000 objects, never
// asking for names outside the store's prefix.
func (s *S3) List(ctx context.Context, prefix string, fn func(Info) error) error {
	where := s.bucket + "/" + s.base + prefix + "*"
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("s3 list %s: %w", where, err)
	}
	in := &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket)}
	if p := s.base + prefix; p != "" {
		in.Prefix = aws.String(p)
	}
	pages := s3.NewListObjectsV2Paginator(s.client, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "list", where, err)
		}
		for _, o := range page.Contents {
			key, ok := strings.CutPrefix(aws.ToString(o.Key), s.base)
			if !ok || !strings.HasPrefix(key, prefix) || ValidKey(key) != nil {
				continue
			}
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("s3 list %s: %w", where, err)
			}
			if err := fn(Info{Key: key, Size: aws.ToInt64(o.Size), ModTime: modTime(o.LastModified)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// s3Error is an error of one S3 request, worded for a person: "s3 put
// bucket/key: access denied (403 AccessDenied): Access Denied". It wraps the
// SDK's error, and ErrNotFound or ctx.Err() where they apply.
type s3Error struct {
	op, where string // "put", "bucket/prefix/key"
	what      string // "access denied (403 AccessDenied) after 3 attempts"
	detail    string // the server's message, or the underlying error
	errs      []error
}

func (e *s3Error) Error() string {
	msg := "s3 " + e.op + " " + e.where + ": " + e.what
	if e.detail != "" {
		msg += ": " + e.detail
	}
	return msg
}

func (e *s3Error) Unwrap() []error { return e.errs }

// opBucket is the operation NewS3's check of the bucket fails as.
const opBucket = "bucket"

// fail turns err, from an S3 request for where, into an s3Error. It decides
// by the error's types, API code and HTTP status, never by its text.
func (s *S3) fail(ctx context.Context, op, where string, err error) error {
	e := &s3Error{op: op, where: where, errs: []error{err}}
	if cerr := ctx.Err(); cerr != nil {
		e.what = cerr.Error()
		e.errs = []error{cerr, err}
		return e
	}

	var (
		status   int
		code     string
		attempts int
		apiErr   smithy.APIError
		respErr  *awshttp.ResponseError
		maxErr   *retry.MaxAttemptsError
		credErr  *credentialsError
		sendErr  *smithyhttp.RequestSendError
	)
	if errors.As(err, &respErr) {
		status = respErr.HTTPStatusCode()
	}
	if errors.As(err, &apiErr) {
		code = apiErr.ErrorCode()
		e.detail = apiErr.ErrorMessage()
	}
	if errors.As(err, &maxErr) {
		attempts = maxErr.Attempt
	}

	switch {
	case errors.As(err, &credErr) && credErr.none:
		// The SDK's own words are about the instance metadata service,
		// the chain's last link, which tells the user nothing.
		e.what = noCredentials
	case errors.As(err, &credErr):
		e.what, e.detail = "no usable credentials", credErr.Error()
	case errors.As(err, &sendErr):
		e.what, e.detail = "cannot reach "+s.endpoint, sendErr.Err.Error()
	case status == 0 && code == "":
		e.what = err.Error()
	default:
		switch {
		case op != opBucket && (code == "NoSuchKey" || (status == http.StatusNotFound && (code == "NotFound" || code == ""))):
			e.what = "not found"
			e.errs = []error{ErrNotFound, err}
		case code == "NoSuchBucket" || (op == opBucket && status == http.StatusNotFound):
			// HeadBucket's answer has no body: its code comes from the status.
			e.what = "no such bucket"
		case code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" ||
			code == "ExpiredToken" || code == "TokenRefreshRequired" || code == "InvalidToken":
			e.what = "credentials rejected"
		case code == "RequestTimeTooSkewed":
			e.what = "clock too far from the server's"
		case code == "AccessDenied" || code == "AllAccessDisabled" || status == http.StatusForbidden:
			e.what = "access denied"
		case code == "BadDigest" || code == "InvalidDigest":
			e.what = "data corrupted on the way (Content-MD5 mismatch)"
		case respErr != nil && respErr.Response.Header.Get("X-Amz-Bucket-Region") != "" &&
			respErr.Response.Header.Get("X-Amz-Bucket-Region") != s.region:
			e.what = fmt.Sprintf("bucket is in region %s, not %s", respErr.Response.Header.Get("X-Amz-Bucket-Region"), s.region)
		case code == "SlowDown" || status == http.StatusServiceUnavailable:
			e.what = "throttled or unavailable"
		case status >= 500:
			e.what = "server error"
		case code != "":
			e.what = "error"
		default:
			e.what = strings.ToLower(http.StatusText(status))
		}
		switch {
		case status != 0 && code != "":
			e.what += fmt.Sprintf(" (%d %s)", status, code)
		case code != "":
			e.what += " (" + code + ")"
		default:
			e.what += fmt.Sprintf(" (%d)", status)
		}
		if e.detail == http.StatusText(status) { // a HEAD response's, made up from the status
			e.detail = ""
		}
		if respErr != nil && respErr.RequestID != "" {
			if e.detail == "" {
				e.detail = "request id " + respErr.RequestID
			} else {
				e.detail += " (request id " + respErr.RequestID + ")"
			}
		}
	}
	if attempts > 1 {
		e.what += fmt.Sprintf(" after %d attempts", attempts)
	}
	if s3Permanent(status, code, credErr != nil) && !errors.Is(e, ErrNotFound) {
		e.errs = append(e.errs, ErrPermanent)
	}
	return e
}

// s3Permanent decides, from an answer's HTTP status and API code, whether
// trying the request again cannot succeed: no usable credentials, and every
// 4xx answer but 408 (request timeout) and 429 (too many requests), among
// them 403 AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch and
// 404 NoSuchBucket. 5xx answers, throttling (SlowDown), a corrupted upload
// (BadDigest) and network errors are transient.
func s3Permanent(status int, code string, noCredentials bool) bool {
	switch {
	case noCredentials:
		return true
	case code == "SlowDown" || code == "RequestTimeout" || code == "BadDigest" || code == "InvalidDigest" ||
		code == "Throttling" || code == "ThrottlingException" || code == "RequestLimitExceeded":
		return false
	case code == "NoSuchBucket" || code == "AccessDenied" || code == "AllAccessDisabled" ||
		code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch":
		return true
	}
	return status >= 400 && status < 500 && status != http.StatusRequestTimeout && status != http.StatusTooManyRequests
}
