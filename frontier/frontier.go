// Package frontier is the crawler's crash-safe URL frontier and fetch state,
// kept in one bbolt file.
//
// A [Store] holds three kinds of things:
//
//   - queued items: URLs waiting to be fetched, per host, in lease order;
//   - leased items: URLs handed to a fetcher and not yet reported back with
//     [Store.Done], [Store.Retry] or [Store.Release];
//   - records: what is known about each fetched URL (status, validators,
//     content hash), used for conditional re-fetches and deduplication.
//
// Every change is one bbolt transaction, so a crash loses at most the call in
// flight; on [Open] every item that was leased when the previous process died
// goes back to the queue.
//
// # Layout
//
// All integers in keys are big-endian so that byte order is numeric order;
// signed values are offset by 2^63 and times are Unix nanoseconds clamped to
// the int64 range (years 1678–2262) and offset the same way.
//
//	meta      "format" → "1"
//	queue     host 0x00 | priority(8) | inverted published(8) | seq(8) → item
//	leased    the item's queue key                                 → item
//	delayed   host 0x00 | not before(8) | seq(8)                   → item
//	urls      url → 'q' | queue key, or 'd' | delayed key
//	records   url → record
//	recent    published or first fetched(8) | url → empty (articles only)
//
// The inverted published time is ^t for a dated item and 2^64-1 for an undated
// one, so that a cursor walking a host's prefix of the queue meets items by
// priority, then newest first, then undated ones, each group in insertion
// order (seq, from the queue bucket's sequence). Items whose NotBefore is set
// wait in delayed, ordered by time; [Store.Lease] moves the host's due ones to
// the queue before it reads the queue. Both are short cursor scans over one
// host's prefix, so a lease costs O((n+due) log N) whatever the queue length.
//
// The urls bucket is the dedupe index and tells Done, Retry and Release where
// a URL is without a scan. A leased item keeps its queue key, so Lease moves a
// run of adjacent keys from queue to leased and does not touch the index
// ('q' means queued or leased: leased is looked up first), and Release puts
// the item back where it was. Done then writes few pages: the index and the
// record (both random by URL), the small leased bucket and the recent index,
// which grows at its end as fetch and publication times advance.
//
// Values are a small versioned binary encoding; a value that does not decode
// is reported as an error naming the bucket and key, never a panic.
package frontier

import (
	"errors"
	"time"
)

// Kind is what a URL is expected to hold; it decides how the crawler treats
// the page and whether a fetched URL is queued again.
type Kind string

// The kinds of URL the frontier holds. Add rejects any other value.
const (
	KindFeed    Kind = "feed"
	KindSitemap Kind = "sitemap"
	KindSection Kind = "section"
	KindSearch  Kind = "search"
	KindArticle Kind = "article"
	// KindRedirect marks the Record of a URL that answered with a
	// redirect (its target is queued as an item of its own). Not re-checked.
	KindRedirect Kind = "redirect"
)

func (k Kind) valid() bool {
	switch k {
	case KindFeed, KindSitemap, KindSection, KindSearch, KindArticle, KindRedirect:
		return true
	}
	return false
}

// Item is a URL waiting to be fetched.
type Item struct {
	URL       string    // normalized by Add (see Normalize)
	Host      string    // set by Add: lowercased host[:port] of URL
	Outlet    string    // outlet/profile id
	Kind      Kind      // one of the Kind constants
	Priority  int       // lower is leased first (set by the crawler)
	Published time.Time // zero if unknown; within one priority, newest first, then unknown dates in insertion order
	NotBefore time.Time // not leased before this (retries with backoff)
	Attempts  int       // failed fetches so far, counted by Retry
	Depth     int       // link depth from a seed (pagination)
	Recheck   bool      // a conditional re-fetch of a URL that has a Record
	// PublishedFrom names the discovery document that stated Published as
	// the page's publication time ("feed", "sitemap"), for the parser to
	// use when the page states none; "" when Published is no such date.
	PublishedFrom string

	seq uint64 // insertion order, set by Add
}

// Record is what is known about a fetched URL.
type Record struct {
	URL, Outlet        string
	Kind               Kind
	Status             int // last HTTP status
	ETag, LastModified string
	ContentHash        string // of the parsed article body, "" for non-articles
	ArticleID          string
	Published          time.Time
	FirstFetched       time.Time
	LastFetched        time.Time
	Revisions          int // times the content changed after the first fetch
	// PublishedFrom is "feed" or "sitemap" when Published is a date only
	// discovery stated (the page stated none), "" otherwise: a re-check
	// hands it to the parser again.
	PublishedFrom string
}

// Stats counts what a Store holds.
type Stats struct {
	Queued  int // waiting, ready or not (NotBefore in the future)
	Leased  int // handed out by Lease and not yet reported back
	Records int // fetched URLs with a Record
}

// Options configure Open. The zero value is ready to use.
type Options struct {
	// LockTimeout is how long Open waits for another process to release the
	// file. Zero means one second; a negative value tries once.
	LockTimeout time.Duration
	// NoSync skips fsync after each commit: faster, but a machine crash (not
	// a process crash) can lose or corrupt recent changes. Tests and
	// benchmarks only.
	NoSync bool
}

var (
	// ErrInvalidURL is wrapped by errors for URLs that Normalize rejects.
	ErrInvalidURL = errors.New("invalid URL")
	// ErrInUse is returned by Open when another process (or another Store in
	// this process) has the file open.
	ErrInUse = errors.New("in use by another gisa process")
	// ErrNotFrontier is returned by Open for a file that is not a gisa
	// frontier: not a bbolt file, another program's bbolt file, or an
	// unknown format version.
	ErrNotFrontier = errors.New("not a gisa frontier")
	// ErrCorrupt is wrapped by errors for a value or key in the file that
	// does not decode; the error names the bucket and the key.
	ErrCorrupt = errors.New("corrupt frontier")
)
