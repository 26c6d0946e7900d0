package discover

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// MaxSitemapBytes is the most a gzip-compressed sitemap may decompress to:
// 50 MiB, the limit of the sitemap protocol. The crawler should also stop
// reading a plain body there.
const MaxSitemapBytes = 50 << 20

// MaxSitemapURLs is the most entries ParseSitemap keeps from one document:
// 50,000, the limit of the sitemap protocol, for <url> entries and for the
// <sitemap> children of an index alike. Past it the newest are kept (by
// date; undated entries count as the oldest, and among equals the first in
// the document stay), the others counted in Sitemap.Cut and dropped, so a
// sitemap that lists a million URLs costs the memory (and the frontier) of
// 50,000.
const MaxSitemapURLs = 50000

// ErrTooLarge is returned (wrapped) by ParseSitemap for a compressed body
// that decompresses to more than MaxSitemapBytes. It is permanent: the same
// document will fail again.
var ErrTooLarge = errors.New("decompressed size exceeds the limit")

// Sitemap is one sitemap document: an index names other sitemaps, a urlset
// names pages.
type Sitemap struct {
	// Sitemaps are the <sitemapindex> children; Published is <lastmod>.
	Sitemaps []Link
	// URLs are the <urlset> entries; Published is news:publication_date,
	// else <lastmod> (and Modified set); Title is news:title.
	URLs []Link
	// Cut is how many entries were dropped past MaxSitemapURLs.
	Cut int
}

// ParseSitemap reads a sitemap fetched from base: an XML sitemap index, an
// XML urlset (Google News extension read, image and video extensions
// ignored), an RSS or Atom feed (which search engines also accept as
// sitemaps; its items become URLs), or a plain-text sitemap of one URL per
// line. A gzip-compressed body (told by its magic bytes, whatever the
// Content-Type said) is decompressed first, up to MaxSitemapBytes.
//
// The XML is decoded as a stream of tokens, so a 50,000-URL sitemap never
// becomes a tree. Entries without a usable <loc> are skipped; duplicates
// are dropped (the first wins, keeping any title or date a later one adds).
// An unknown root element is an error naming it. A syntax error after the
// root returns the entries read before it together with the error.
//
// At most MaxSitemapURLs entries of each kind are kept; Sitemap.Cut counts
// the others.
func ParseSitemap(body []byte, base string) (Sitemap, error) {
	return parseSitemap(body, base, MaxSitemapBytes)
}

// parseSitemap is ParseSitemap with the decompression limit as a parameter.
func parseSitemap(body []byte, base string, maxBytes int64) (Sitemap, error) {
	bu, err := parseBase(base)
	if err != nil {
		return Sitemap{}, fmt.Errorf("sitemap %s: %w", base, err)
	}
	// A .xml.gz served with Content-Encoding: gzip may arrive compressed
	// twice once the client has undone one layer.
	for range 2 {
		if !isGzip(body) {
			break
		}
		if body, err = gunzip(body, maxBytes); err != nil {
			return Sitemap{}, fmt.Errorf("sitemap %s: %w", base, err)
		}
	}
	start := bytes.TrimLeft(bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n\f\v\x00")
	if len(start) == 0 {
		return Sitemap{}, fmt.Errorf("sitemap %s: empty body", base)
	}
	if start[0] != '<' && !bytes.HasPrefix(body, []byte{0xFE, 0xFF}) && !bytes.HasPrefix(body, []byte{0xFF, 0xFE}) {
		return textSitemap(start, bu, base)
	}
	doc := prepareXML(body)
	switch root := rootElement(doc); localName(root) {
	case "urlset", "sitemapindex":
		return xmlSitemap(doc, bu, base)
	case "rss", "feed", "RDF":
		links, err := Feed(doc, base)
		if err != nil {
			return Sitemap{}, err
		}
		k := keeper{max: MaxSitemapURLs}
		for _, l := range links {
			k.add(l)
		}
		return Sitemap{URLs: k.links(), Cut: k.cut}, nil
	case "":
		return Sitemap{}, fmt.Errorf("sitemap %s: no root element", base)
	default:
		return Sitemap{}, fmt.Errorf("sitemap %s: unknown root element <%s>", base, root)
	}
}

func localName(name string) string {
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// gunzip decompresses b, failing with ErrTooLarge past max bytes.
func gunzip(b []byte, max int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	defer zr.Close()
	var out bytes.Buffer
	// The trailer's size is a hint only: untrusted, and modulo 2^32.
	if len(b) >= 18 {
		hint := int64(binary.LittleEndian.Uint32(b[len(b)-4:]))
		if limit := int64(len(b)) * 1032; hint > limit {
			hint = limit
		}
		if hint <= max {
			out.Grow(int(hint))
		}
	}
	n, err := io.Copy(&out, io.LimitReader(zr, max+1))
	if n > max {
		return nil, fmt.Errorf("gzip: %w (%d bytes)", ErrTooLarge, max)
	}
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return out.Bytes(), nil
}

// textSitemap reads one URL per line; lines that are not absolute http(s)
// URLs are skipped.
func textSitemap(b []byte, bu *url.URL, base string) (Sitemap, error) {
	var sm Sitemap
	urls := keeper{max: MaxSitemapURLs} // undated: the first ones
	nonEmpty := 0
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		nonEmpty++
		if len(line) < 8 || !(hasPrefixFold(line, "http://") || hasPrefixFold(line, "https://")) {
			continue
		}
		if !urls.offer(time.Time{}) {
			continue
		}
		if u, ok := resolve(bu, string(line)); ok {
			urls.add(Link{URL: u})
		}
	}
	sm.URLs, sm.Cut = urls.links(), urls.cut
	if len(sm.URLs) == 0 {
		return Sitemap{}, fmt.Errorf("sitemap %s: neither XML nor a text sitemap: %d lines, none an http(s) URL", base, nonEmpty)
	}
	sm.URLs = dedupe(sm.URLs)
	return sm, nil
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

// sitemap fields captured from character data.
const (
	fieldNone = iota
	fieldLoc
	fieldLastmod
	fieldPubDate
	fieldTitle
)

// xmlSitemap streams a <urlset> or <sitemapindex>. Names are matched by
// local name whatever their prefix; <loc> counts only as a direct child of
// <url> or <sitemap> (so image:loc is not a page), news fields only inside
// a <news> child.
func xmlSitemap(doc []byte, bu *url.URL, base string) (Sitemap, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false // bare '&' in URLs is common
	d.Entity = xml.HTMLEntity
	// prepareXML has made the document UTF-8.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }

	var (
		sm      Sitemap
		depth   int
		item    string // "url" or "sitemap" while inside one
		inNews  bool
		field   int
		fdepth  int
		buf     []byte
		loc     string
		lastmod string
		pubDate string
		title   string
		root    string
	)
	// Past MaxSitemapURLs entries of a kind, the newest are kept.
	urls, sitemaps := keeper{max: MaxSitemapURLs}, keeper{max: MaxSitemapURLs}
	collect := func() {
		sm.URLs, sm.Sitemaps, sm.Cut = urls.links(), sitemaps.links(), urls.cut+sitemaps.cut
	}
	finish := func() {
		var l Link
		k := &urls
		if item == "sitemap" {
			k = &sitemaps
			l.Published, _ = parseDate(lastmod)
			l.Modified = !l.Published.IsZero()
		} else if t, ok := parseDate(pubDate); ok {
			l.Published = t
		} else {
			l.Published, _ = parseDate(lastmod)
			l.Modified = !l.Published.IsZero()
		}
		if !k.offer(l.Published) {
			return
		}
		u, ok := resolve(bu, loc)
		if !ok {
			return
		}
		l.URL = u
		if item != "sitemap" {
			l.Title = cleanText(title)
		}
		k.add(l)
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			collect()
			sm.Sitemaps, sm.URLs = dedupe(sm.Sitemaps), dedupe(sm.URLs)
			return sm, fmt.Errorf("sitemap %s: %w", base, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1:
				root = t.Name.Local
			case depth == 2:
				if t.Name.Local == "url" || t.Name.Local == "sitemap" {
					item = t.Name.Local
					loc, lastmod, pubDate, title = "", "", "", ""
				}
			case depth == 3 && item != "":
				switch t.Name.Local {
				case "loc":
					field = fieldLoc
				case "lastmod":
					field = fieldLastmod
				case "news":
					inNews = true
				}
			case depth == 4 && inNews:
				switch t.Name.Local {
				case "publication_date":
					field = fieldPubDate
				case "title":
					field = fieldTitle
				}
			}
			if field != fieldNone && fdepth == 0 {
				fdepth = depth
				buf = buf[:0]
			}
		case xml.EndElement:
			if depth == fdepth {
				s := string(buf)
				switch field {
				case fieldLoc:
					loc = s
				case fieldLastmod:
					lastmod = s
				case fieldPubDate:
					pubDate = s
				case fieldTitle:
					title = s
				}
				field, fdepth = fieldNone, 0
			}
			switch depth {
			case 3:
				inNews = false
			case 2:
				if item != "" {
					finish()
					item = ""
				}
			}
			if depth > 0 {
				depth--
			}
		case xml.CharData:
			if field != fieldNone && len(buf) < 64<<10 {
				buf = append(buf, t...)
			}
		}
	}
	if item != "" {
		finish() // the last entry of a cut-off document
	}
	collect()
	sm.Sitemaps, sm.URLs = dedupe(sm.Sitemaps), dedupe(sm.URLs)
	if depth > 0 {
		return sm, fmt.Errorf("sitemap %s: document ends inside <%s>: truncated", base, root)
	}
	return sm, nil
}
