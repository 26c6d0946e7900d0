// Package article holds gisa's data model: the Article record every other
// package produces or carries, and the Page it is parsed from. It uses the
// standard library only, and its JSON form is the archive's schema (see
// docs/schema.md).
package article

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SchemaVersion is the version of the JSON written for an Article. It changes
// only when a field changes meaning or is removed; added fields keep it.
const SchemaVersion = 1

// KST is Korea Standard Time (UTC+9, no daylight saving), the zone of every
// time a Korean page states without an offset. A fixed zone, so no tzdata is
// needed.
var KST = time.FixedZone("KST", 9*60*60)

// Article is one news article as gisa archives it. Every field is always
// present in its JSON form: "" / [] / null where unknown.
type Article struct {
	SchemaVersion int        `json:"schema_version"`
	ID            string     `json:"id"`
	URL           string     `json:"url"`
	CanonicalURL  string     `json:"canonical_url"`
	Outlet        Outlet     `json:"outlet"`
	Section       string     `json:"section"`
	Title         string     `json:"title"`
	Subtitle      string     `json:"subtitle"`
	Body          string     `json:"body"`
	Reporters     []Reporter `json:"reporters"`
	PublishedAt   *time.Time `json:"published_at"`
	UpdatedAt     *time.Time `json:"updated_at"`
	Images        []Image    `json:"images"`
	Related       []Link     `json:"related"`
	Tags          []string   `json:"tags"`
	Copyright     string     `json:"copyright"`
	Language      string     `json:"language"`
	Portal        *Portal    `json:"portal"`
	FetchedAt     *time.Time `json:"fetched_at"`
	ContentHash   string     `json:"content_hash"`
	Extraction    Extraction `json:"extraction"`
	// Raw names the raw page the record was parsed from, in the archive's
	// WARC files; nil when none was kept (gisa parse of a file, --no-warc).
	Raw *Raw `json:"raw"`
	// ParserVersion is the version of gisa's parser that made the record
	// (parser.Version); "" for records written before it was recorded.
	ParserVersion string `json:"parser_version"`
}

// Raw locates the WARC response record that holds the HTTP exchange an
// article was parsed from.
type Raw struct {
	File     string `json:"file"`      // key of the WARC file in the archive, e.g. "warc/2024/01/31/gisa-….warc.gz"
	RecordID string `json:"record_id"` // its WARC-Record-ID, "<urn:uuid:…>"
	Offset   int64  `json:"offset"`    // where the record's gzip member begins in the file
	Length   int64  `json:"length"`    // the member's length in bytes
}

// Outlet names the press that published an article.
type Outlet struct {
	ID   string `json:"id"`   // profile slug, e.g. "yonhap"; "" when no profile matched
	Name string `json:"name"` // as the outlet names itself, e.g. "연합뉴스"
}

// Reporter is a person the page names as an author of the article.
type Reporter struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Role  string `json:"role"` // "기자", "특파원", "논설위원", "앵커", … or ""
}

// Image is a picture of the article body.
type Image struct {
	URL     string `json:"url"`
	Caption string `json:"caption"`
	Credit  string `json:"credit"`
}

// Link is a related article the page points to.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Portal describes a portal copy (Naver, Daum) of another outlet's article.
type Portal struct {
	Name        string `json:"name"`         // "naver" or "daum"
	PressCode   string `json:"press_code"`   // Naver oid, Daum cp code; "" when unknown
	ArticleCode string `json:"article_code"` // Naver aid, Daum article id
	OriginalURL string `json:"original_url"` // the 기사원문 link at the outlet
}

// Extraction records how a record was made: the profile used and, per field,
// which layer supplied it ("profile", "json-ld", "meta", "app-json",
// "byline-text", "generic", "url", and "discovery-feed" /
// "discovery-sitemap" for a publication time only the crawl's discovery
// stated: see Page.PublishedHint).
type Extraction struct {
	Profile string            `json:"profile"`
	Sources map[string]string `json:"sources"`
}

// Page is one fetched document, the input of the parser.
type Page struct {
	URL         string    // the URL it was fetched from (after redirects)
	Outlet      string    // profile ID when the caller knows it; "" picks by URL host
	ContentType string    // the HTTP Content-Type header, "" when unknown
	Body        []byte    // the document's bytes as served, any Content-Encoding undone; charset not decoded
	FetchedAt   time.Time // zero when unknown

	// PublishedHint is the publication time discovery stated for the page
	// (a feed item's pubDate, a sitemap's news:publication_date), zero when
	// none; HintFrom names that source: "feed" or "sitemap". The parser
	// uses the hint only when the page itself states no publication time,
	// and records it as the field's source "discovery-" + HintFrom.
	PublishedHint time.Time
	HintFrom      string

	// The HTTP exchange, when the page was fetched (zero for a file): kept so
	// that raw archives (WARC) record what was asked and answered.
	Status        int                 // HTTP status code
	Header        map[string][]string // response header (as received when Payload is set)
	RequestHeader map[string][]string // request header as sent

	// Payload is the HTTP payload exactly as served (transfer coding
	// undone, Content-Encoding kept: gzip bytes for a gzip response), and
	// Header then holds the response header exactly as received. Non-nil
	// (empty for an empty body) when the page was recorded off the wire;
	// nil when Body is all there is, as for a file.
	Payload []byte
}

// Normalize makes a record canonical: nil slices become empty ones, the
// schema version and content hash are set. (Text is made NFC by the parser;
// this package keeps to the standard library.)
func (a *Article) Normalize() {
	a.SchemaVersion = SchemaVersion
	if a.Reporters == nil {
		a.Reporters = []Reporter{}
	}
	if a.Images == nil {
		a.Images = []Image{}
	}
	if a.Related == nil {
		a.Related = []Link{}
	}
	if a.Tags == nil {
		a.Tags = []string{}
	}
	if a.Extraction.Sources == nil {
		a.Extraction.Sources = map[string]string{}
	}
	a.ContentHash = ContentHash(a.Body)
}

// ContentHash is the hash of a body with its white space folded, so that
// re-wrapped copies of the same text agree: "sha256:" followed by 64 hex
// digits.
func ContentHash(body string) string {
	// The words of body (runs of non-space, as strings.Fields splits)
	// joined by single spaces, built in one buffer.
	b := make([]byte, 0, len(body))
	inWord := false
	for i := 0; i < len(body); {
		c := body[i]
		size, space := 1, false
		if c < utf8.RuneSelf {
			space = c == ' ' || '\t' <= c && c <= '\r'
		} else if i+2 < len(body) && (c >= 0xEA && c <= 0xEC && body[i+1] >= 0x80 && body[i+1] <= 0xBF ||
			c == 0xED && body[i+1] >= 0x80 && body[i+1] <= 0x9F) && body[i+2] >= 0x80 && body[i+2] <= 0xBF {
			size = 3 // U+A000–U+D7FF, Hangul syllables most of all: no space there
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(body[i:])
			space = unicode.IsSpace(r)
		}
		if !space {
			if !inWord && len(b) > 0 {
				b = append(b, ' ')
			}
			b = append(b, body[i:i+size]...)
		}
		inWord = !space
		i += size
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// idSafe reports the bytes an article ID may hold: [A-Za-z0-9._-].
func idSafe(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-'
}

// replaceUnsafe replaces each run of bytes that are not idSafe with one
// "_" (what the expression [^A-Za-z0-9._-]+ replaced: no byte of a
// multi-byte or invalid UTF-8 sequence is safe, so runs of bytes and runs
// of characters agree). It compiles no expression at start-up and copies
// nothing when s is safe already.
func replaceUnsafe(s string) string {
	i := 0
	for i < len(s) && idSafe(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		if idSafe(s[i]) {
			b = append(b, s[i])
			i++
			continue
		}
		b = append(b, '_')
		for i < len(s) && !idSafe(s[i]) {
			i++
		}
	}
	return string(b)
}

// MakeID builds an article ID from an outlet slug and the outlet's own article
// key (or any other stable key): "<outlet>-<key>", limited to
// [A-Za-z0-9._-] so it is safe as a file name, never "." or "..".
// It returns "" when either part is empty after cleaning.
func MakeID(outlet, key string) string {
	o := strings.Trim(replaceUnsafe(outlet), "._-")
	k := strings.Trim(replaceUnsafe(key), "._-")
	if o == "" || k == "" {
		return ""
	}
	if len(k) > 120 {
		sum := sha256.Sum256([]byte(key))
		k = k[:80] + "_" + hex.EncodeToString(sum[:8])
	}
	return o + "-" + k
}

// ValidID reports whether id is a well-formed article ID as MakeID builds.
func ValidID(id string) bool {
	if id == "" || len(id) > 250 || id == "." || id == ".." {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !idSafe(id[i]) {
			return false
		}
	}
	return strings.Trim(id, "._-") == id
}
