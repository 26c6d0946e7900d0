package article

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// This file reads and writes the JSON form of an Article as encoding/json
// does, byte for byte and error for error, but several times faster on
// Korean text, which encoding/json scans one byte and one rune at a time
// (an export or a reindex reads every record of the archive). Each
// function takes a fast path for the records gisa writes and leaves
// anything else to encoding/json, so the two can differ only in speed;
// json_test.go checks that they agree, on every field, by fuzzing.

// DecodeJSON returns the Article whose JSON form is data: what
// json.Unmarshal of data into a zero Article makes, or its error.
//
// The fast path reads the records gisa writes: the fields of this schema,
// each at most once and spelled as here, strings of valid UTF-8 without
// UTF-16 surrogate escapes. Anything else (an unknown or repeated key, a
// value of another type, invalid input) goes to encoding/json, which
// decides.
func DecodeJSON(data []byte) (*Article, error) {
	a := new(Article)
	d := decoder{b: data}
	if d.article(a) && d.end() {
		return a, nil
	}
	*a = Article{}
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
// invalid bytes with U+FFFD: that is left to it).
func plain(s []byte) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		// A byte below 0x20 among eight, with no carry between bytes.
		x := binary.LittleEndian.Uint64(s[i:])
		if (x-0x2020202020202020)&^x&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] < 0x20 {
			return false
		}
	}
	return utf8.Valid(s)
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
	start := d.i
	if _, ok := d.stringBytes(); !ok {
		return false
	}
	v := new(time.Time)
	if v.UnmarshalJSON(d.b[start:d.i]) != nil {
		return false
	}
	*t = v
	return true
}

func (d *decoder) strings(list *[]string) bool {
	if d.null() {
		return true
	}
	l := []string{}
	ok := d.array(func() bool {
		var s string
		if d.null() {
			return false // a string of "" in encoding/json; rare: left to it
		}
		ok := d.str(&s)
		l = append(l, s)
		return ok
	})
	*list = l
	return ok
}

// structs reads an array of objects, each read by one.
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

func (d *decoder) article(a *Article) bool {
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

func (d *decoder) reporter(r *Reporter) bool {
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

func (d *decoder) image(im *Image) bool {
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

func (d *decoder) link(l *Link) bool {
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

func (d *decoder) portal(p **Portal) bool {
	if d.null() {
		return true
	}
	v := new(Portal)
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
func (d *decoder) rawRef(r **Raw) bool {
	if d.null() {
		return true
	}
	v := new(Raw)
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

// AppendJSONFields appends the members of a's JSON object, without its
// braces, to dst: what a json.Encoder with SetEscapeHTML(false) writes
// between them for a, so that a caller can add members of its own.
func AppendJSONFields(dst []byte, a *Article) ([]byte, error) {
	dst = append(dst, `"schema_version":`...)
	dst = strconv.AppendInt(dst, int64(a.SchemaVersion), 10)
	dst = appendField(dst, "id", a.ID)
	dst = appendField(dst, "url", a.URL)
	dst = appendField(dst, "canonical_url", a.CanonicalURL)
	dst = append(dst, `,"outlet":{"id":`...)
	dst = appendString(dst, a.Outlet.ID)
	dst = appendField(dst, "name", a.Outlet.Name)
	dst = append(dst, '}')
	dst = appendField(dst, "section", a.Section)
	dst = appendField(dst, "title", a.Title)
	dst = appendField(dst, "subtitle", a.Subtitle)
	dst = appendField(dst, "body", a.Body)
	dst = append(dst, `,"reporters":`...)
	dst = appendList(dst, a.Reporters, func(dst []byte, r Reporter) []byte {
		dst = append(dst, `{"name":`...)
		dst = appendString(dst, r.Name)
		dst = appendField(dst, "email", r.Email)
		dst = appendField(dst, "role", r.Role)
		return append(dst, '}')
	})
	var err error
	if dst, err = appendTime(dst, "published_at", a.PublishedAt); err != nil {
		return nil, err
	}
	if dst, err = appendTime(dst, "updated_at", a.UpdatedAt); err != nil {
		return nil, err
	}
	dst = append(dst, `,"images":`...)
	dst = appendList(dst, a.Images, func(dst []byte, im Image) []byte {
		dst = append(dst, `{"url":`...)
		dst = appendString(dst, im.URL)
		dst = appendField(dst, "caption", im.Caption)
		dst = appendField(dst, "credit", im.Credit)
		return append(dst, '}')
	})
	dst = append(dst, `,"related":`...)
	dst = appendList(dst, a.Related, func(dst []byte, l Link) []byte {
		dst = append(dst, `{"title":`...)
		dst = appendString(dst, l.Title)
		dst = appendField(dst, "url", l.URL)
		return append(dst, '}')
	})
	dst = append(dst, `,"tags":`...)
	dst = appendList(dst, a.Tags, appendString)
	dst = appendField(dst, "copyright", a.Copyright)
	dst = appendField(dst, "language", a.Language)
	dst = append(dst, `,"portal":`...)
	if p := a.Portal; p == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, `{"name":`...)
		dst = appendString(dst, p.Name)
		dst = appendField(dst, "press_code", p.PressCode)
		dst = appendField(dst, "article_code", p.ArticleCode)
		dst = appendField(dst, "original_url", p.OriginalURL)
		dst = append(dst, '}')
	}
	if dst, err = appendTime(dst, "fetched_at", a.FetchedAt); err != nil {
		return nil, err
	}
	dst = appendField(dst, "content_hash", a.ContentHash)
	dst = append(dst, `,"extraction":{"profile":`...)
	dst = appendString(dst, a.Extraction.Profile)
	dst = append(dst, `,"sources":`...)
	if m := a.Extraction.Sources; m == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '{')
		for i, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range m {
				if !yield(k) {
					return
				}
			}
		}) {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, k)
			dst = append(dst, ':')
			dst = appendString(dst, m[k])
		}
		dst = append(dst, '}')
	}
	dst = append(dst, `},"raw":`...)
	if r := a.Raw; r == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, `{"file":`...)
		dst = appendString(dst, r.File)
		dst = appendField(dst, "record_id", r.RecordID)
		dst = append(dst, `,"offset":`...)
		dst = strconv.AppendInt(dst, r.Offset, 10)
		dst = append(dst, `,"length":`...)
		dst = strconv.AppendInt(dst, r.Length, 10)
		dst = append(dst, '}')
	}
	dst = appendField(dst, "parser_version", a.ParserVersion)
	return dst, nil
}

// appendField appends ,"name":"value".
func appendField(dst []byte, name, value string) []byte {
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return appendString(dst, value)
}

func appendList[T any](dst []byte, l []T, one func([]byte, T) []byte) []byte {
	if l == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, v := range l {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = one(dst, v)
	}
	return append(dst, ']')
}

func appendTime(dst []byte, name string, t *time.Time) ([]byte, error) {
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	if t == nil {
		return append(dst, "null"...), nil
	}
	b, err := t.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

// escape marks the ASCII bytes a JSON string cannot hold as they are.
var escape = func() (e [utf8.RuneSelf]bool) {
	for c := range 0x20 {
		e[c] = true
	}
	e['"'], e['\\'] = true, true
	return e
}()

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string, as a json.Encoder with
// SetEscapeHTML(false) writes it: control characters, '"' and '\\'
// escaped, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func AppendJSONString(dst []byte, s string) []byte { return appendString(dst, s) }

func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	if !utf8.ValidString(s) || strings.Contains(s, "\u2028") || strings.Contains(s, "\u2029") {
		return append(appendStringSlow(dst, s), '"')
	}
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || !escape[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = appendEscape(dst, c)
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendStringSlow is appendString, without quotes, of a string that is
// not valid UTF-8 or holds U+2028 or U+2029: rune by rune.
func appendStringSlow(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if escape[c] {
				dst = append(dst, s[start:i-1]...)
				dst = appendEscape(dst, c)
				start = i
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(dst, s[start:]...)
}

// appendEscape appends the escape of an ASCII byte marked in escape.
func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
