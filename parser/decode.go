package parser

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/unicode"

	"github.com/gisa-news/gisa/internal/lazy"
)

// decode turns the raw bytes of a page into valid UTF-8 and names the
// charset it used. The order is the HTTP header, a BOM, the page's <meta>,
// then the bytes themselves: a declaration that the bytes contradict loses
// (pages re-saved as UTF-8 that still declare EUC-KR, EUC-KR pages served as
// UTF-8). Korean legacy pages are decoded as CP949, the superset of EUC-KR
// that browsers use for both names.
func decode(raw []byte, contentType string) ([]byte, string, error) {
	if name, enc, n := bomEncoding(raw); enc != nil {
		out, err := enc.NewDecoder().Bytes(raw[n:])
		if err != nil {
			return nil, "", fmt.Errorf("decode %s: %w", name, err)
		}
		return []byte(strings.ToValidUTF8(string(out), "\uFFFD")), name, nil
	}
	valid := utf8.Valid(raw)
	if valid && hasMultibyte(raw) {
		// Valid UTF-8 with non-ASCII text is UTF-8 whatever the page
		// declares (see below): the declaration is not read, and the <meta>
		// prescan, a tokenizer over the page's first 4 KB, is not run.
		return raw, "utf-8", nil
	}
	declared := headerCharset(contentType)
	if declared == "" {
		declared = metaCharset(raw)
	}
	name := canonicalCharset(declared)
	switch {
	case valid && (name == "utf-8" || name == "" || hasMultibyte(raw)):
		// Valid UTF-8 with non-ASCII text is UTF-8 whatever the page declares:
		// legacy encodings of Korean text are never valid UTF-8.
		return raw, "utf-8", nil
	case name == "utf-8" || name == "":
		// Not valid UTF-8: Korean pages that are not UTF-8 are EUC-KR/CP949.
		if out, ok := decodeKorean(raw); ok {
			return out, "euc-kr", nil
		}
		return []byte(strings.ToValidUTF8(string(raw), "\uFFFD")), "utf-8", nil
	case name == "euc-kr":
		out, _ := decodeKorean(raw)
		return out, "euc-kr", nil
	}
	if name == "windows-1252" && hasMultibyte(raw) {
		// Korean pages served or declared as Latin-1 (ISO-8859-1, read as
		// windows-1252): bytes that read as Korean text are Korean.
		if out, ok := decodeKorean(raw); ok && hangulShare(string(out)) >= 0.05 {
			return out, "euc-kr", nil
		}
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		// An unknown declared charset: fall back on the bytes.
		if out, ok := decodeKorean(raw); ok {
			return out, "euc-kr", nil
		}
		return []byte(strings.ToValidUTF8(string(raw), "\uFFFD")), "utf-8", nil
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return nil, "", fmt.Errorf("decode %s: %w", name, err)
	}
	return []byte(strings.ToValidUTF8(string(out), "\uFFFD")), name, nil
}

func bomEncoding(b []byte) (string, encoding.Encoding, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8", unicode.UTF8, 3
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2
	}
	return "", nil, 0
}

func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		// Malformed headers are common; look for charset= by hand.
		// ASCII case folding only: strings.ToLower would change the
		// length of a header with invalid UTF-8 in it, and the index with it.
		i := strings.Index(asciiLower(contentType), "charset=")
		if i < 0 {
			return ""
		}
		v := contentType[i+len("charset="):]
		if j := strings.IndexAny(v, "; "); j >= 0 {
			v = v[:j]
		}
		return strings.Trim(v, `"'`)
	}
	return params["charset"]
}

// asciiLower lowers ASCII letters only, keeping every byte where it was.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// metaCharset finds the charset a page declares in its first kilobytes, the
// way browsers prescan (<meta charset>, <meta http-equiv content-type>).
func metaCharset(b []byte) string {
	const prescan = 4096
	if len(b) > prescan {
		b = b[:prescan]
	}
	_, name, certain := charset.DetermineEncoding(b, "text/html")
	if !certain {
		// DetermineEncoding guesses windows-1252 when nothing is declared,
		// and when the declared name is not one the WHATWG list knows
		// ("cp949", "ms949", "x-windows-949" are common on Korean pages):
		// read the declared name itself. (ASCII case folding finds what
		// bytes.ToLower would: no other character lowers to a letter of
		// "charset".)
		if !containsFoldBytes(b, "charset") {
			return ""
		}
		if m := metaCharsetRe.FindSubmatch(b); m != nil {
			return string(m[1])
		}
		return ""
	}
	return name
}

// metaCharsetRe finds a declared charset name in a page's head: <meta
// charset=…> or the Content-Type of <meta http-equiv>.
var metaCharsetRe = lazy.NewRegexp(`(?i)<meta[^>]{0,200}?charset\s*=\s*["']?([a-z0-9_.:\-]{1,40})`)

// canonicalCharset maps a declared name onto "utf-8", "euc-kr" or another
// WHATWG name; "" for none or unknown.
func canonicalCharset(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return ""
	}
	switch name {
	case "utf8", "utf-8", "unicode-1-1-utf-8":
		return "utf-8"
	case "euc-kr", "euckr", "cp949", "ms949", "uhc", "ks_c_5601-1987", "ksc5601", "ks_c_5601", "x-windows-949", "windows-949", "korean", "iso-2022-kr":
		return "euc-kr"
	}
	if enc, err := htmlindex.Get(name); err == nil {
		if n, err := htmlindex.Name(enc); err == nil {
			switch n {
			case "utf-8":
				return "utf-8"
			case "euc-kr":
				return "euc-kr"
			}
			return n
		}
	}
	return name
}

// decodeKorean decodes CP949 bytes; ok is false when the result has more
// than a few undecodable sequences (the bytes are not Korean).
func decodeKorean(raw []byte) ([]byte, bool) {
	out, err := korean.EUCKR.NewDecoder().Bytes(raw)
	if err != nil {
		return []byte(strings.ToValidUTF8(string(raw), "\uFFFD")), false
	}
	bad := bytes.Count(out, []byte("\uFFFD"))
	out = []byte(strings.ToValidUTF8(string(out), "\uFFFD"))
	return out, bad <= 8 || bad*200 < len(out)
}

func hasMultibyte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// Decode turns the raw bytes of a fetched document into valid UTF-8 the way
// Parse does (HTTP charset, BOM, <meta>, then the bytes; EUC-KR read as
// CP949) and names the charset it used. The crawler uses it for the pages it
// reads links from, so every page is decoded by one set of rules.
func Decode(raw []byte, contentType string) ([]byte, string, error) {
	return decode(raw, contentType)
}

// containsFoldBytes reports whether b contains sub, ASCII letters compared
// without case; sub is lower case. It neither copies nor decodes b.
func containsFoldBytes(b []byte, sub string) bool {
	n := len(sub)
	for i := 0; i+n <= len(b); i++ {
		j := 0
		for ; j < n; j++ {
			c := b[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}
