package discover

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/unicode"

	"github.com/gisa-news/gisa/internal/lazy"
)

// prepareXML turns an XML document as served into UTF-8 that encoding/xml
// reads without a CharsetReader: BOM and anything before the first '<'
// dropped, the declared (or, for bytes that are not UTF-8, guessed EUC-KR)
// encoding decoded, the declaration's encoding removed, and the control
// characters XML forbids dropped. It copies only when it has to.
//
// gofeed converts declared encodings itself (golang.org/x/net/html/charset
// knows "euc-kr" and "ks_c_5601-1987"), but not the labels Korean servers
// also use (cp949, ms949, uhc), feeds that declare UTF-8 and are EUC-KR, or
// the reverse; so feeds and sitemaps both come through here.
func prepareXML(b []byte) []byte {
	if name, enc, n := xmlBOM(b); enc != nil {
		b = b[n:]
		if name != "utf-8" {
			out, err := enc.NewDecoder().Bytes(b)
			if err != nil {
				out = nil
			}
			b = dropDeclEncoding(out)
		}
	}
	i := bytes.IndexByte(b, '<')
	if i < 0 {
		return nil
	}
	b = b[i:]
	label := declEncoding(b)
	canon := charsetName(label)
	valid := utf8.Valid(b)
	switch {
	case valid && (canon == "" || canon == "utf-8" || hasHighByte(b)):
		// Legacy encodings of Korean text are never valid UTF-8: text
		// that is, is UTF-8 whatever it declares.
		if canon != "" && canon != "utf-8" {
			b = dropDeclEncoding(b)
		}
	default:
		var enc encoding.Encoding = korean.EUCKR
		if canon != "" && canon != "utf-8" && canon != "euc-kr" {
			if e, err := htmlindex.Get(canon); err == nil {
				enc = e
			}
		}
		out, err := enc.NewDecoder().Bytes(b)
		if err != nil {
			out = []byte(strings.ToValidUTF8(string(b), "\uFFFD"))
		} else if !utf8.Valid(out) {
			out = []byte(strings.ToValidUTF8(string(out), "\uFFFD"))
		}
		b = dropDeclEncoding(out)
	}
	return dropXMLControls(b)
}

func xmlBOM(b []byte) (string, encoding.Encoding, int) {
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

var declEncodingRe = lazy.NewRegexp(`(?i)\sencoding\s*=\s*["']?([A-Za-z0-9._:-]*)["']?`)

// declEncoding returns the encoding an XML declaration at the start of b
// names, or "".
func declEncoding(b []byte) string {
	decl, ok := xmlDecl(b)
	if !ok {
		return ""
	}
	m := declEncodingRe.FindSubmatch(decl)
	if m == nil {
		return ""
	}
	return string(m[1])
}

func xmlDecl(b []byte) ([]byte, bool) {
	if len(b) < 5 || !bytes.EqualFold(b[:5], []byte("<?xml")) {
		return nil, false
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 || end > 512 {
		return nil, false
	}
	return b[:end+2], true
}

// dropDeclEncoding removes the encoding from the XML declaration of a
// document that is now UTF-8.
func dropDeclEncoding(b []byte) []byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	decl, ok := xmlDecl(b)
	if !ok || !declEncodingRe.Match(decl) {
		return b
	}
	nd := declEncodingRe.ReplaceAll(decl, nil)
	out := make([]byte, 0, len(b)-len(decl)+len(nd))
	out = append(out, nd...)
	return append(out, b[len(decl):]...)
}

// charsetName maps an encoding label onto "utf-8", "euc-kr", another WHATWG
// name, or "" for none.
func charsetName(label string) string {
	label = strings.ToLower(strings.TrimSpace(label))
	switch label {
	case "":
		return ""
	case "utf8", "utf-8":
		return "utf-8"
	case "euc-kr", "euckr", "cp949", "ms949", "uhc", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "ksc_5601",
		"x-windows-949", "windows-949", "korean", "iso-2022-kr", "csksc56011987", "cseuckr":
		return "euc-kr"
	}
	if e, err := htmlindex.Get(label); err == nil {
		if n, err := htmlindex.Name(e); err == nil {
			return n
		}
	}
	return "unknown"
}

func hasHighByte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// dropXMLControls removes the C0 controls XML 1.0 forbids (all but tab, LF
// and CR) and U+FFFE/U+FFFF, which encoding/xml rejects even when not strict.
func dropXMLControls(b []byte) []byte {
	bad := false
	for i, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			bad = true
			break
		}
		if c == 0xEF && i+2 < len(b) && b[i+1] == 0xBF && (b[i+2] == 0xBE || b[i+2] == 0xBF) {
			bad = true
			break
		}
	}
	if !bad {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			continue
		}
		if c == 0xEF && i+2 < len(b) && b[i+1] == 0xBF && (b[i+2] == 0xBE || b[i+2] == 0xBF) {
			i += 2
			continue
		}
		out = append(out, c)
	}
	return out
}
