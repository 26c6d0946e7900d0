package eval

import (
	"bytes"
	"hash/fnv"
	"strconv"

	"golang.org/x/net/html"
)

// ModeOpaqueNames is the parser with no outlet profile on pages whose
// class and id values are replaced by opaque tokens (see OpaqueNames): the
// generic layers with none of the names they read as hints ("byline",
// "caption", "related", "ranking" …), as on an outlet whose markup names
// nothing in words gisa knows.
const ModeOpaqueNames Mode = "opaque-names"

// OpaqueNames returns page with every class and id value replaced by an
// opaque token: each class word, and each id, by "x" and eight hex digits
// of its hash, so that equal names stay equal (a page's structure and its
// CSS-like repetition are kept) but say nothing. Everything else is kept
// byte for byte: text, scripts, comments, other attributes and the bytes
// of any charset, so a page parses as it did but for its names. A tag
// that holds neither attribute is copied as it was written.
func OpaqueNames(page []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(page))
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			// The tokenizer stops at the end of the input (or a read
			// error, which a bytes.Reader never gives); what it has not
			// returned as a token is nothing.
			return out.Bytes()
		}
		raw := z.Raw()
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken || !namesSomething(raw) {
			out.Write(raw)
			continue
		}
		raw = bytes.Clone(raw) // TagName and TagAttr rewrite the tokenizer's buffer
		name, more := z.TagName()
		out.WriteByte('<')
		out.Write(name)
		for more {
			var key, val []byte
			key, val, more = z.TagAttr()
			out.WriteByte(' ')
			out.Write(key)
			switch string(key) {
			case "class":
				val = opaqueWords(val)
			case "id":
				val = []byte(opaqueToken(val))
			}
			out.WriteString(`="`)
			out.WriteString(html.EscapeString(string(val)))
			out.WriteByte('"')
		}
		if tt == html.SelfClosingTagToken {
			out.WriteByte('/')
		}
		out.WriteByte('>')
	}
}

// namesSomething reports whether the raw start tag may hold a class or id
// attribute: a quick test that lets most tags be copied as they are.
func namesSomething(raw []byte) bool {
	l := bytes.ToLower(raw)
	return bytes.Contains(l, []byte("class")) || bytes.Contains(l, []byte("id"))
}

// opaqueWords replaces each space-separated word of a class value.
func opaqueWords(v []byte) []byte {
	var b []byte
	for _, w := range bytes.Fields(v) {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, opaqueToken(w)...)
	}
	return b
}

// opaqueToken is "x" and the FNV-1a hash of v in hex.
func opaqueToken(v []byte) string {
	h := fnv.New32a()
	h.Write(v)
	return "x" + strconv.FormatUint(uint64(h.Sum32())|1<<32, 16)[1:]
}
