package frontier

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/gisa-news/gisa/internal/redact"
)

// Normalize returns the canonical form of an absolute http or https URL, the
// form under which the frontier dedupes URLs and keys records:
//
//   - surrounding white space is trimmed;
//   - the scheme must be http or https and the URL must have a host;
//   - scheme and host are lowercased, an internationalized host is converted
//     to its ASCII (punycode) form, trailing dots of the host and the default
//     port (:80 for http, :443 for https) are dropped; a host may hold only
//     letters, digits, '-', '_' and '.' (or be a bracketed IPv6 address
//     without a zone);
//   - the fragment is removed;
//   - path and query are percent-encoded canonically: escapes of unreserved
//     characters (letters, digits, "-._~") are decoded, every other escape is
//     upper case, and bytes that must be escaped (non-ASCII, such as raw
//     UTF-8 Korean, spaces, quotes) are escaped; an escaped '/' stays escaped;
//   - an empty path becomes "/" and dot segments are resolved;
//   - tracking query parameters are removed: utm_* and fbclid, gclid, dclid,
//     gbraid, wbraid, msclkid, mc_cid, mc_eid, igshid, yclid, _ga and sid
//     (Naver appends ?sid= section codes to article URLs), compared without
//     regard to case; empty parameters ("a=1&&b=2") are dropped;
//   - the remaining parameters are sorted by key, keeping the order of equal
//     keys, and a query left empty loses its "?".
//
// User information ("user:pass@") is dropped: URLs are logged and stored,
// and credentials go with the request (crawler.Config.Credentials), never
// in a URL; an error names the URL with its password as "xxxxx". The result is ASCII, and
// Normalize(Normalize(x)) == Normalize(x). An error wraps ErrInvalidURL and
// names the URL. Normalize is safe for concurrent use.
func Normalize(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", invalidURL(raw, err.Error())
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", invalidURL(raw, fmt.Sprintf("scheme %q is not http or https", u.Scheme))
	}
	if u.Opaque != "" || u.Host == "" {
		return "", invalidURL(raw, "no host")
	}
	host, why := normalizeHost(u)
	if why != "" {
		return "", invalidURL(raw, why)
	}

	rawPath := u.RawPath // the path as written, when it differs from escape(Path)
	if rawPath == "" {
		rawPath = u.EscapedPath()
	}
	path := removeDotSegments(canonEscape(rawPath, &pathLiteral))
	if path == "" {
		path = "/"
	}

	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(u.Scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(path)
	if q := normalizeQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String(), nil
}

func invalidURL(raw, why string) error {
	if !utf8.ValidString(raw) {
		raw = strings.ToValidUTF8(raw, "\uFFFD")
	}
	return fmt.Errorf("%w %q: %s", ErrInvalidURL, redact.URL(raw), why)
}

// normalizeHost returns host[:port] in canonical form, or why it is invalid.
func normalizeHost(u *url.URL) (host, why string) {
	name, port := u.Hostname(), u.Port()
	if strings.HasPrefix(u.Host, "[") {
		name = strings.ToLower(name)
		for i := 0; i < len(name); i++ {
			if c := name[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || c == ':' || c == '.') {
				return "", fmt.Sprintf("invalid IPv6 host %q", name)
			}
		}
		host = "[" + name + "]"
	} else {
		if !isASCII(name) {
			if !utf8.ValidString(name) {
				return "", "host is not valid UTF-8"
			}
			a, err := idna.Lookup.ToASCII(name)
			if err != nil {
				return "", fmt.Sprintf("invalid internationalized host: %v", err)
			}
			name = a
		}
		name = strings.TrimRight(strings.ToLower(name), ".")
		if name == "" {
			return "", "no host"
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
				return "", fmt.Sprintf("invalid character %q in host %q", c, name)
			}
		}
		host = name
	}
	if port != "" {
		p, err := strconv.ParseUint(port, 10, 16)
		if err != nil {
			return "", fmt.Sprintf("invalid port %q", port)
		}
		if !(u.Scheme == "http" && p == 80 || u.Scheme == "https" && p == 443) {
			host += ":" + strconv.FormatUint(p, 10)
		}
	}
	return host, ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// pathLiteral and queryLiteral are the bytes left as they are in a path and in
// a query key or value (RFC 3986 pchar, and for queries also '/' and '?').
// '&' and '=' never reach canonEscape unescaped in a query key, and '=' is
// kept literally in a value.
var (
	pathLiteral  = literalSet("!$&'()*+,;=:@/")
	queryLiteral = literalSet("!$'()*+,;=:@/?")
)

func literalSet(extra string) (set [256]bool) {
	for c := 0; c < 256; c++ {
		set[c] = unreserved(byte(c)) || strings.IndexByte(extra, byte(c)) >= 0
	}
	return set
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

const upperHex = "0123456789ABCDEF"

// canonEscape rewrites an escaped URL component in canonical form: escapes of
// unreserved bytes decoded, other escapes in upper case, bytes outside
// literal escaped, and a '%' that starts no escape escaped as %25.
func canonEscape(s string, literal *[256]bool) string {
	if canonical(s, literal) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				v := hi<<4 | lo
				if unreserved(v) {
					b.WriteByte(v)
				} else {
					b.WriteByte('%')
					b.WriteByte(upperHex[v>>4])
					b.WriteByte(upperHex[v&15])
				}
				i += 2
				continue
			}
		}
		if literal[c] {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

// canonical reports whether canonEscape would return s unchanged.
func canonical(s string, literal *[256]bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) {
				return false
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 || unreserved(hi<<4|lo) ||
				s[i+1] >= 'a' || s[i+2] >= 'a' {
				return false
			}
			i += 2
			continue
		}
		if !literal[c] {
			return false
		}
	}
	return true
}

// removeDotSegments is RFC 3986 section 5.2.4 for an absolute path.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	in := p
	out := make([]string, 0, strings.Count(p, "/")+1) // output segments, each with its leading "/"
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "/..":
			in = "/"
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "." || in == "..":
			in = ""
		default:
			j := strings.IndexByte(in[1:], '/')
			if j < 0 {
				out = append(out, in)
				in = ""
			} else {
				out = append(out, in[:j+1])
				in = in[j+1:]
			}
		}
	}
	return strings.Join(out, "")
}

// tracking reports whether a canonical query key is a tracking parameter.
func tracking(key string) bool {
	if len(key) >= 4 && strings.EqualFold(key[:4], "utm_") {
		return true
	}
	switch strings.ToLower(key) {
	case "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid",
		"mc_eid", "igshid", "yclid", "_ga", "sid":
		return true
	}
	return false
}

type queryParam struct {
	key, value string
	eq         bool // "k=" rather than "k"
}

func normalizeQuery(raw string) string {
	if raw == "" {
		return ""
	}
	params := make([]queryParam, 0, strings.Count(raw, "&")+1)
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, eq := strings.Cut(part, "=")
		k = canonEscape(k, &queryLiteral)
		if tracking(k) {
			continue
		}
		params = append(params, queryParam{key: k, value: canonEscape(v, &queryLiteral), eq: eq})
	}
	slices.SortStableFunc(params, func(a, b queryParam) int { return strings.Compare(a.key, b.key) })
	var b strings.Builder
	b.Grow(len(raw))
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		if p.eq {
			b.WriteByte('=')
			b.WriteString(p.value)
		}
	}
	return b.String()
}
