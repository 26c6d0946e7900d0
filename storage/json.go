package storage

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gisa-news/gisa/article"
)

// This file reads the JSON form of an article.Article as encoding/json does,
// value for value and error for error, but about 3.5 times as fast on
// Korean text, which encoding/json scans twice, one byte and one rune at a
// time (an export or a reindex reads every record of the archive). It
// takes a fast path for the records gisa writes and leaves anything else
// to encoding/json, so the two can differ only in speed; json_internal_test.go
// checks that they agree, on every field, by fuzzing. (Writing is left to
// encoding/json: a writer made for the type was no faster.)

// decodeArticle returns the article whose JSON form is data: what
// json.Unmarshal of data into a zero article.Article makes, or its error.
//
// The fast path reads the records gisa writes: the fields of this schema,
// each at most once and spelled as here, strings of valid UTF-8 without
// UTF-16 surrogate escapes. Anything else (an unknown or repeated key, a
// value of another type, invalid input) goes to encoding/json, which
// decides.
func decodeArticle(data []byte) (*article.Article, error) {
	a := new(article.Article)
	d := decoder{b: data}
	if d.articleObject(a) && d.end() {
		return a, nil
	}
	*a = article.Article{}
	if err := json.Unmarshal(data, a); err != nil {
		return nil, err
	}
	return a, nil
}

// decoder reads a subset of JSON: every input it accepts is valid JSON
// that encoding/json decodes to the same value. It answers false on
// anything outside the subset, and then the caller falls back.
type decoder struct {
	b   []byte
	i   int
	buf []byte // unescaped string bytes, reused
}

// peek skips white space and returns the next byte, 0 at the end.
func (d *decoder) peek() byte {
	for d.i < len(d.b) {
		switch c := d.b[d.i]; c {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return c
		}
	}
	return 0
}

func (d *decoder) consume(c byte) bool {
	if d.peek() == c {
		d.i++
		return true
	}
	return false
}

func (d *decoder) end() bool { return d.peek() == 0 && d.i == len(d.b) }

// null consumes a null literal if one comes next.
func (d *decoder) null() bool {
	if d.peek() == 'n' && bytes.HasPrefix(d.b[d.i:], []byte("null")) {
		d.i += 4
		return true
	}
	return false
}

// plain reports whether s, a run of a JSON string between escapes, holds
// no control character and is valid UTF-8 (encoding/json would replace
// invalid bytes with U+FFFD: that is left to it). One pass, a valid
// three-byte character (Hangul, CJK, most punctuation) at a time: 1.6x
// as fast as utf8.Valid after a check for control characters.
func plain(s []byte) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 {
				return false
			}
			i++
			continue
		}
		// E0 A0–BF, E1–EC, ED 80–9F (not a surrogate), EE–EF, then a
		// continuation byte.
		if i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
			(0xE1 <= c && c <= 0xEC || c == 0xEE || c == 0xEF || c == 0xED && s[i+1] < 0xA0 || c == 0xE0 && s[i+1] >= 0xA0) {
			i += 3
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		i += size
	}
	return true
}

// stringBytes reads a string and returns its bytes: the input itself when the
// string has no escape (valid until the input changes), else d.buf.
func (d *decoder) stringBytes() ([]byte, bool) {
	if d.peek() != '"' {
		return nil, false
	}
	b := d.b
	i := d.i + 1
	seg := i
	out := d.buf[:0]
	escaped := false
	q := -1 // the next '"' at or after i, found once per quote
	for {
		if q < i {
			if q = bytes.IndexByte(b[i:], '"'); q < 0 {
				return nil, false
			}
			q += i
		}
		e := bytes.IndexByte(b[i:q], '\\')
		if e < 0 {
			if !plain(b[seg:q]) {
				return nil, false
			}
			d.i = q + 1
			if !escaped {
				return b[seg:q], true
			}
			out = append(out, b[seg:q]...)
			d.buf = out
			return out, true
		}
		e += i
		if !plain(b[seg:e]) || e+1 >= len(b) {
			return nil, false
		}
		escaped = true
		out = append(out, b[seg:e]...)
		switch c := b[e+1]; c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(b[e+2:])
			if !ok || utf16.IsSurrogate(r) {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
			e += 4
		default:
			return nil, false
		}
		i = e + 2
		seg = i
	}
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// key reads an object key without escapes.
func (d *decoder) key() ([]byte, bool) {
	if d.peek() != '"' {
		return nil, false
	}
	start := d.i + 1
	q := bytes.IndexByte(d.b[start:], '"')
	if q < 0 {
		return nil, false
	}
	k := d.b[start : start+q]
	if bytes.IndexByte(k, '\\') >= 0 || !plain(k) {
		return nil, false
	}
	d.i = start + q + 1
	return k, d.consume(':')
}

// object reads an object, calling field for each key, which reads the
// value. seen marks the keys read: a repeated key is left to
// encoding/json (which merges some kinds of values).
func (d *decoder) object(field func(k []byte) (bit uint64, ok bool)) bool {
	if !d.consume('{') {
		return false
	}
	if d.consume('}') {
		return true
	}
	var seen uint64
	for {
		k, ok := d.key()
		if !ok {
			return false
		}
		bit, ok := field(k)
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		if d.consume(',') {
			continue
		}
		return d.consume('}')
	}
}

// array reads an array, calling elem for each element.
func (d *decoder) array(elem func() bool) bool {
	if !d.consume('[') {
		return false
	}
	if d.consume(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if d.consume(',') {
			continue
		}
		return d.consume(']')
	}
}

// str reads a string or null (which leaves a string as it was: "").
func (d *decoder) str(s *string) bool {
	if d.null() {
		return true
	}
	b, ok := d.stringBytes()
	if ok {
		*s = string(b)
	}
	return ok
}

// int reads an integer or null into n, as encoding/json reads one into
// a Go integer of bits bits: no fraction, no exponent, in range.
func (d *decoder) int(n *int64, bits int) bool {
	if d.null() {
		return true
	}
	j := d.i
	if j < len(d.b) && d.b[j] == '-' {
		j++
	}
	digits := j
	for j < len(d.b) && '0' <= d.b[j] && d.b[j] <= '9' {
		j++
	}
	if j == digits || d.b[digits] == '0' && j-digits > 1 {
		return false
	}
	v, err := strconv.ParseInt(string(d.b[d.i:j]), 10, bits)
	if err != nil {
		return false
	}
	*n = v
	d.i = j
	return true
}

func (d *decoder) intField(n *int) bool {
	var v int64
	ok := d.int(&v, strconv.IntSize)
	*n = int(v)
	return ok
}

// time reads a time or null, as time.Time's UnmarshalJSON reads one.
func (d *decoder) time(t **time.Time) bool {
	if d.null() {
		return true
	}
	v := new(time.Time)
	*t = v
	return d.timeValue(v)
}

// strings reads an array of strings; a null in it (a "" in encoding/json)
// is left to encoding/json.
func (d *decoder) strings(list *[]string) bool {
	return structs(d, list, func(s *string) bool { return d.peek() == '"' && d.str(s) })
}

// structs reads an array (null: nil) of values, each read by one.
func structs[T any](d *decoder, list *[]T, one func(*T) bool) bool {
	if d.null() {
		return true
	}
	l := []T{}
	ok := d.array(func() bool {
		var v T
		ok := one(&v)
		l = append(l, v)
		return ok
	})
	*list = l
	return ok
}

func (d *decoder) articleObject(a *article.Article) bool {
	return d.object(func(k []byte) (uint64, bool) {
		switch string(k) {
		case "schema_version":
			return 1 << 0, d.intField(&a.SchemaVersion)
		case "id":
			return 1 << 1, d.str(&a.ID)
		case "url":
			return 1 << 2, d.str(&a.URL)
		case "canonical_url":
			return 1 << 3, d.str(&a.CanonicalURL)
		case "outlet":
			return 1 << 4, d.null() || d.object(func(k []byte) (uint64, bool) {
				switch string(k) {
				case "id":
					return 1 << 0, d.str(&a.Outlet.ID)
				case "name":
					return 1 << 1, d.str(&a.Outlet.Name)
				}
				return 0, false
			})
		case "section":
			return 1 << 5, d.str(&a.Section)
		case "title":
			return 1 << 6, d.str(&a.Title)
		case "subtitle":
			return 1 << 7, d.str(&a.Subtitle)
		case "body":
			return 1 << 8, d.str(&a.Body)
		case "reporters":
			return 1 << 9, structs(d, &a.Reporters, d.reporter)
		case "published_at":
			return 1 << 10, d.time(&a.PublishedAt)
		case "updated_at":
			return 1 << 11, d.time(&a.UpdatedAt)
		case "images":
			return 1 << 12, structs(d, &a.Images, d.image)
		case "related":
			return 1 << 13, structs(d, &a.Related, d.link)
		case "tags":
			return 1 << 14, d.strings(&a.Tags)
		case "copyright":
			return 1 << 15, d.str(&a.Copyright)
		case "language":
			return 1 << 16, d.str(&a.Language)
		case "portal":
			return 1 << 17, d.portal(&a.Portal)
		case "fetched_at":
			return 1 << 18, d.time(&a.FetchedAt)
		case "content_hash":
			return 1 << 19, d.str(&a.ContentHash)
		case "extraction":
			return 1 << 20, d.null() || d.object(func(k []byte) (uint64, bool) {
				switch string(k) {
				case "profile":
					return 1 << 0, d.str(&a.Extraction.Profile)
				case "sources":
					return 1 << 1, d.sources(&a.Extraction.Sources)
				}
				return 0, false
			})
		case "raw":
			return 1 << 21, d.rawRef(&a.Raw)
		case "parser_version":
			return 1 << 22, d.str(&a.ParserVersion)
		}
		return 0, false
	})
}

func (d *decoder) reporter(r *article.Reporter) bool {
	return d.object(func(k []byte) (uint64, bool) {
		switch string(k) {
		case "name":
			return 1 << 0, d.str(&r.Name)
		case "email":
			return 1 << 1, d.str(&r.Email)
		case "role":
			return 1 << 2, d.str(&r.Role)
		}
		return 0, false
	})
}

func (d *decoder) image(im *article.Image) bool {
	return d.object(func(k []byte) (uint64, bool) {
		switch string(k) {
		case "url":
			return 1 << 0, d.str(&im.URL)
		case "caption":
			return 1 << 1, d.str(&im.Caption)
		case "credit":
			return 1 << 2, d.str(&im.Credit)
		}
		return 0, false
	})
}

func (d *decoder) link(l *article.Link) bool {
	return d.object(func(k []byte) (uint64, bool) {
		switch string(k) {
		case "title":
			return 1 << 0, d.str(&l.Title)
		case "url":
			return 1 << 1, d.str(&l.URL)
		}
		return 0, false
	})
}

func (d *decoder) portal(p **article.Portal) bool {
	if d.null() {
		return true
	}
	v := new(article.Portal)
	*p = v
	return d.object(func(k []byte) (uint64, bool) {
		switch string(k) {
		case "name":
			return 1 << 0, d.str(&v.Name)
		case "press_code":
			return 1 << 1, d.str(&v.PressCode)
		case "article_code":
			return 1 << 2, d.str(&v.ArticleCode)
		case "original_url":
			return 1 << 3, d.str(&v.OriginalURL)
		}
		return 0, false
	})
}

// rawRef reads the raw field.
func (d *decoder) rawRef(r **article.Raw) bool {
	if d.null() {
		return true
	}
	v := new(article.Raw)
	*r = v
	return d.object(func(k []byte) (uint64, bool) {
		switch string(k) {
		case "file":
			return 1 << 0, d.str(&v.File)
		case "record_id":
			return 1 << 1, d.str(&v.RecordID)
		case "offset":
			return 1 << 2, d.int(&v.Offset, 64)
		case "length":
			return 1 << 3, d.int(&v.Length, 64)
		}
		return 0, false
	})
}

// sources reads a map of strings; a key given twice keeps its last value,
// as in encoding/json.
func (d *decoder) sources(m *map[string]string) bool {
	if d.null() {
		return true
	}
	if !d.consume('{') {
		return false
	}
	v := map[string]string{}
	*m = v
	if d.consume('}') {
		return true
	}
	for {
		var k, s string
		if d.peek() != '"' || !d.str(&k) || !d.consume(':') || d.null() || !d.str(&s) {
			return false
		}
		v[k] = s
		if d.consume(',') {
			continue
		}
		return d.consume('}')
	}
}

// decodeEntry returns the catalog entry whose JSON form is data: what
// json.Unmarshal of data into a zero Entry makes, or its error; the fast
// path as for decodeArticle (an archive's catalog is read entry by entry:
// a tenth of an export's CPU went to decoding them).
func decodeEntry(data []byte) (Entry, error) {
	var e Entry
	d := decoder{b: data}
	if d.entryObject(&e) && d.end() {
		return e, nil
	}
	e = Entry{}
	err := json.Unmarshal(data, &e)
	return e, err
}

func (d *decoder) entryObject(e *Entry) bool {
	return d.object(func(k []byte) (uint64, bool) {
		switch string(k) {
		case "id":
			return 1 << 0, d.str(&e.ID)
		case "outlet":
			return 1 << 1, d.str(&e.Outlet)
		case "url":
			return 1 << 2, d.str(&e.URL)
		case "canonical_url":
			return 1 << 3, d.str(&e.CanonicalURL)
		case "key":
			return 1 << 4, d.str(&e.Key)
		case "content_hash":
			return 1 << 5, d.str(&e.ContentHash)
		case "published":
			return 1 << 6, d.timeValue(&e.Published)
		case "fetched":
			return 1 << 7, d.timeValue(&e.Fetched)
		case "revisions":
			return 1 << 8, d.intField(&e.Revisions)
		case "size":
			return 1 << 9, d.int(&e.Size, 64)
		case "fingerprint":
			return 1 << 10, d.str(&e.Fingerprint)
		case "missing":
			return 1 << 11, d.strings(&e.Missing)
		case "sources":
			return 1 << 12, d.sources(&e.Sources)
		case "pending":
			return 1 << 13, d.bool(&e.Pending)
		}
		return 0, false
	})
}

// timeValue reads a time or null (which leaves it zero, as time.Time's
// UnmarshalJSON does).
func (d *decoder) timeValue(t *time.Time) bool {
	if d.null() {
		return true
	}
	start := d.i
	if _, ok := d.stringBytes(); !ok {
		return false
	}
	return t.UnmarshalJSON(d.b[start:d.i]) == nil
}

// bool reads true, false or null (which leaves it false).
func (d *decoder) bool(b *bool) bool {
	switch {
	case d.null():
		return true
	case bytes.HasPrefix(d.b[d.i:], []byte("true")):
		*b = true
		d.i += 4
		return true
	case bytes.HasPrefix(d.b[d.i:], []byte("false")):
		d.i += 5
		return true
	}
	return false
}
