package frontier

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gisa-news/gisa/internal/redistest"
)

// conformer is what the conformance suite calls: the crawler's Frontier
// interface and Stats. Every implementation runs every conformance test
// (see conform).
type conformer interface {
	Add(items ...Item) (int, error)
	Lease(host string, now time.Time, n int) ([]Item, time.Time, error)
	Hosts() ([]string, error)
	Done(it Item, rec *Record) error
	Retry(it Item, notBefore time.Time) error
	Release(items ...Item) error
	Record(url string) (Record, bool, error)
	Recent(since time.Time, fn func(Record) error) error
	Stats() (Stats, error)
}

// conform runs fn against a fresh Store (bbolt) and a fresh Redis (a real
// redis-server: skipped with a message when there is none, outside CI).
func conform(t *testing.T, fn func(t *testing.T, s conformer)) {
	t.Run("bbolt", func(t *testing.T) {
		s, _ := openTest(t)
		fn(t, s)
	})
	t.Run("redis", func(t *testing.T) {
		fn(t, openRedisTest(t, redistest.Start(t, redistest.Options{}), RedisOptions{}))
	})
}

// openRedisTest opens a Redis frontier on srv, closed at the end of the test.
func openRedisTest(t testing.TB, srv *redistest.Server, o RedisOptions) *Redis {
	t.Helper()
	if o.MaxOutage == 0 {
		o.MaxOutage = 5 * time.Second
	}
	s, err := OpenRedis(context.Background(), redis.NewClient(&redis.Options{Addr: srv.Addr}), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
