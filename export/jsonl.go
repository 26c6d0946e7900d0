package export

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gisa-news/gisa/article"
)

// This file writes a JSON Lines line as a json.Encoder with HTML escaping
// off writes it, byte for byte (jsonl_test.go holds it to that, by
// fuzzing too), about twice as fast: encoding/json walks the record by
// reflection and decodes every non-ASCII character of its text to check
// it, where appendString passes over a Hangul syllable's three bytes at
// once.

// encodeJSONL is a record's JSON Lines line: the archive's record
// (docs/schema.md) after archive_key and revision, where it is in the
// archive and which version.
func encodeJSONL(r *Record) ([]byte, error) {
	size := int(r.Size) // of the stored (indented) JSON, from the catalog: more than the line
	if size == 0 {
		a := r.Article
		size = len(a.Body) + len(a.Title) + len(a.Subtitle) + 2048
	}
	b := make([]byte, 0, size+len(r.Key)+64)
	b = append(b, `{"archive_key":`...)
	b = appendString(b, r.Key)
	b = append(b, `,"revision":`...)
	b = strconv.AppendInt(b, int64(r.Revision), 10)
	b = append(b, ',')
	b, err := appendArticleFields(b, r.Article)
	if err != nil {
		return nil, fmt.Errorf("jsonl %s: %w", r.Key, err)
	}
	return append(b, '}', '\n'), nil
}

// appendArticleFields appends the members of a's JSON object, without its
// braces, to dst: what a json.Encoder with SetEscapeHTML(false) writes
// between them for a.
func appendArticleFields(dst []byte, a *article.Article) ([]byte, error) {
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
	dst = appendList(dst, a.Reporters, func(dst []byte, r article.Reporter) []byte {
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
	dst = appendList(dst, a.Images, func(dst []byte, im article.Image) []byte {
		dst = append(dst, `{"url":`...)
		dst = appendString(dst, im.URL)
		dst = appendField(dst, "caption", im.Caption)
		dst = appendField(dst, "credit", im.Credit)
		return append(dst, '}')
	})
	dst = append(dst, `,"related":`...)
	dst = appendList(dst, a.Related, func(dst []byte, l article.Link) []byte {
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
		for i, k := range slices.Sorted(maps.Keys(m)) {
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

// appendString appends s as encoding/json writes a string with HTML
// escaping off: control characters, '"' and '\\' escaped, each byte of
// invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if escape[c] {
				dst = append(dst, s[start:i]...)
				dst = appendEscape(dst, c)
				start = i + 1
			}
			i++
			continue
		}
		// A valid three-byte character that is not U+2028 or U+2029
		// (lead E2) nor a surrogate (ED A0-BF): Hangul, CJK, most
		// punctuation, kept as it is.
		if i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
			(0xE3 <= c && c <= 0xEC || c == 0xE1 || c == 0xED && s[i+1] < 0xA0 || c == 0xEE || c == 0xEF) {
			i += 3
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
	dst = append(dst, s[start:]...)
	return append(dst, '"')
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
