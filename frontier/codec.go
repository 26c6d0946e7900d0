package frontier

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// Bucket names and the meta keys.
var (
	bucketMeta    = []byte("meta")
	bucketQueue   = []byte("queue")
	bucketDelayed = []byte("delayed")
	bucketLeased  = []byte("leased")
	bucketURLs    = []byte("urls")
	bucketRecords = []byte("records")
	bucketRecent  = []byte("recent")

	metaFormat    = []byte("format")
	formatVersion = []byte("1")
)

// States in the urls index (stateLeased is never stored: see where).
const (
	stateQueued  = 'q'
	stateDelayed = 'd'
	stateLeased  = 'l'
)

// Value encodings start with a version byte.
const (
	itemV1   = 1 // without PublishedFrom; still read
	itemV2   = 2
	recordV1 = 1 // without PublishedFrom; still read
	recordV2 = 2
)

// corrupt is the error for a key or value that does not decode.
func corrupt(bucket, key []byte, err error) error {
	return fmt.Errorf("%w: bucket %s key %q: %w", ErrCorrupt, bucket, key, err)
}

// timeKey maps t to a uint64 whose order is t's order: Unix nanoseconds,
// clamped to [MinInt64+1, MaxInt64] and offset by 2^63. It is never 0.
func timeKey(t time.Time) uint64 {
	const maxSec, minSec = math.MaxInt64/int64(1e9) - 1, math.MinInt64/int64(1e9) + 1
	var ns int64
	switch s := t.Unix(); {
	case s > maxSec:
		ns = math.MaxInt64
	case s < minSec:
		ns = math.MinInt64 + 1
	default:
		ns = s*1e9 + int64(t.Nanosecond())
	}
	return uint64(ns) ^ 1<<63
}

// publishedKey orders dated items newest first and undated ones after them.
func publishedKey(t time.Time) uint64 {
	if t.IsZero() {
		return math.MaxUint64
	}
	return ^timeKey(t)
}

func hostPrefix(host string) []byte {
	k := make([]byte, 0, len(host)+1)
	return append(append(k, host...), 0)
}

func queueKey(it *Item) []byte {
	k := make([]byte, 0, len(it.Host)+1+24)
	k = append(append(k, it.Host...), 0)
	k = binary.BigEndian.AppendUint64(k, uint64(int64(it.Priority))^1<<63)
	k = binary.BigEndian.AppendUint64(k, publishedKey(it.Published))
	return binary.BigEndian.AppendUint64(k, it.seq)
}

func delayedKey(it *Item) []byte {
	k := make([]byte, 0, len(it.Host)+1+16)
	k = append(append(k, it.Host...), 0)
	k = binary.BigEndian.AppendUint64(k, timeKey(it.NotBefore))
	return binary.BigEndian.AppendUint64(k, it.seq)
}

func recentKey(t time.Time, url string) []byte {
	k := make([]byte, 0, 8+len(url))
	k = binary.BigEndian.AppendUint64(k, timeKey(t))
	return append(k, url...)
}

// recentTime is the time by which Recent finds a record.
func recentTime(r *Record) time.Time {
	if !r.Published.IsZero() {
		return r.Published
	}
	return r.FirstFetched
}

// indexValue is a urls bucket value.
func indexValue(state byte, key []byte) []byte {
	v := make([]byte, 0, 1+len(key))
	return append(append(v, state), key...)
}

type encoder struct{ b []byte }

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// time stores a flag byte, then Unix seconds and nanoseconds; the location
// is not kept (times decode in UTC).
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.varint(t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
}

var errShort = errors.New("value ends early")

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.fail(errShort)
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(errors.New("bad unsigned varint"))
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(errors.New("bad varint"))
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int {
	v := d.varint()
	if int64(int(v)) != v {
		d.fail(fmt.Errorf("integer %d out of range", v))
		return 0
	}
	return int(v)
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.fail(errShort)
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) bool() bool {
	switch c := d.byte(); c {
	case 0:
		return false
	case 1:
		return true
	default:
		d.fail(fmt.Errorf("bad bool %d", c))
		return false
	}
}

func (d *decoder) time() time.Time {
	switch c := d.byte(); c {
	case 0:
		return time.Time{}
	case 1:
		sec := d.varint()
		nsec := d.uvarint()
		if nsec >= 1e9 {
			d.fail(fmt.Errorf("bad nanoseconds %d", nsec))
			return time.Time{}
		}
		return time.Unix(sec, int64(nsec)).UTC()
	default:
		d.fail(fmt.Errorf("bad time flag %d", c))
		return time.Time{}
	}
}

func (d *decoder) end() error {
	if d.err == nil && len(d.b) != 0 {
		d.fail(fmt.Errorf("%d bytes after the value", len(d.b)))
	}
	return d.err
}

func encodeItem(it *Item) []byte {
	e := encoder{b: make([]byte, 0, 64+len(it.URL)+len(it.Host)+len(it.Outlet)+len(it.Kind)+len(it.PublishedFrom))}
	e.b = append(e.b, itemV2)
	e.uvarint(it.seq)
	e.str(it.URL)
	e.str(it.Host)
	e.str(it.Outlet)
	e.str(string(it.Kind))
	e.varint(int64(it.Priority))
	e.time(it.Published)
	e.time(it.NotBefore)
	e.varint(int64(it.Attempts))
	e.varint(int64(it.Depth))
	e.bool(it.Recheck)
	e.str(it.PublishedFrom)
	return e.b
}

func decodeItem(b []byte) (Item, error) {
	it, err := decodeItemBody(b)
	if err != nil {
		return Item{}, err
	}
	if it.URL == "" || it.Host == "" {
		return Item{}, errors.New("item without URL or host")
	}
	return it, nil
}

// decodeItemBody is decodeItem that lets URL and Host be empty (the Redis
// frontier keeps them beside the item, not in it).
func decodeItemBody(b []byte) (Item, error) {
	d := decoder{b: b}
	v := d.byte()
	if d.err == nil && v != itemV1 && v != itemV2 {
		return Item{}, fmt.Errorf("unknown item encoding %d", v)
	}
	var it Item
	it.seq = d.uvarint()
	it.URL = d.str()
	it.Host = d.str()
	it.Outlet = d.str()
	it.Kind = Kind(d.str())
	it.Priority = d.int()
	it.Published = d.time()
	it.NotBefore = d.time()
	it.Attempts = d.int()
	it.Depth = d.int()
	it.Recheck = d.bool()
	if v == itemV2 {
		it.PublishedFrom = d.str()
	}
	if err := d.end(); err != nil {
		return Item{}, err
	}
	return it, nil
}

func encodeRecord(r *Record) []byte {
	e := encoder{b: make([]byte, 0, 64+len(r.URL)+len(r.Outlet)+len(r.ETag)+len(r.LastModified)+len(r.ContentHash)+len(r.ArticleID))}
	e.b = append(e.b, recordV2)
	e.str(r.URL)
	e.str(r.Outlet)
	e.str(string(r.Kind))
	e.varint(int64(r.Status))
	e.str(r.ETag)
	e.str(r.LastModified)
	e.str(r.ContentHash)
	e.str(r.ArticleID)
	e.time(r.Published)
	e.time(r.FirstFetched)
	e.time(r.LastFetched)
	e.varint(int64(r.Revisions))
	e.str(r.PublishedFrom)
	return e.b
}

func decodeRecord(b []byte) (Record, error) {
	d := decoder{b: b}
	v := d.byte()
	if d.err == nil && v != recordV1 && v != recordV2 {
		return Record{}, fmt.Errorf("unknown record encoding %d", v)
	}
	var r Record
	r.URL = d.str()
	r.Outlet = d.str()
	r.Kind = Kind(d.str())
	r.Status = d.int()
	r.ETag = d.str()
	r.LastModified = d.str()
	r.ContentHash = d.str()
	r.ArticleID = d.str()
	r.Published = d.time()
	r.FirstFetched = d.time()
	r.LastFetched = d.time()
	r.Revisions = d.int()
	if v == recordV2 {
		r.PublishedFrom = d.str()
	}
	if err := d.end(); err != nil {
		return Record{}, err
	}
	return r, nil
}
