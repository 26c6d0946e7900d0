package discover

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
)

// Feed reads an RSS 0.9x/1.0/2.0 or Atom feed (JSON Feed too, since gofeed
// reads it) and returns its items' links in feed order, deduplicated.
// Relative links are resolved against base, the URL the feed was fetched
// from ("" when unknown: relative links are then dropped). An item without
// a usable link is skipped. Dates without a zone, and "KST", are read as
// KST. The feed may be in any encoding it declares, or EUC-KR/CP949 without
// a declaration; a BOM or white space before the XML is ignored.
func Feed(body []byte, base string) ([]Link, error) {
	bu, err := parseBase(base)
	if err != nil {
		return nil, fmt.Errorf("feed %s: %w", base, err)
	}
	doc := prepareXML(body)
	if len(doc) == 0 {
		if len(bytes.TrimSpace(body)) == 0 {
			return nil, fmt.Errorf("feed %s: empty body", base)
		}
		return nil, fmt.Errorf("feed %s: not RSS or Atom: no XML element", base)
	}
	// gofeed detects the format in the first 4 KiB: start at the root
	// element when comments or a DOCTYPE push it further.
	if _, off := findRoot(doc); off > 1024 {
		doc = doc[off:]
	}
	f, err := parseFeed(doc)
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, fmt.Errorf("feed %s: not RSS or Atom: root element %s", base, describeRoot(doc))
		}
		return nil, fmt.Errorf("feed %s: %w", base, err)
	}
	links := make([]Link, 0, len(f.Items))
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		u, ok := itemURL(bu, it)
		if !ok {
			continue
		}
		raw, parsed := it.Published, it.PublishedParsed
		// gofeed gives an Atom entry without <published> its <updated> as
		// Published: the two equal is a modification time (or an entry
		// never modified, which then gives no publication date).
		modified := f.FeedType == "atom" && raw != "" && raw == it.Updated
		if raw == "" && parsed == nil {
			raw, parsed, modified = it.Updated, it.UpdatedParsed, true
		}
		l := Link{URL: u, Title: cleanText(it.Title), Published: feedTime(raw, parsed)}
		l.Modified = modified && !l.Published.IsZero()
		links = append(links, l)
	}
	return dedupe(links), nil
}

// parseFeed runs gofeed, turning a panic inside it into an error: it is
// third-party code reading outside input, and one bad feed must not take
// the crawler down.
func parseFeed(doc []byte) (f *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("feed parser failed: %v", r)
		}
	}()
	return gofeed.NewParser().Parse(bytes.NewReader(doc))
}

// itemURL picks an item's link: <link>, then its other links, then a GUID
// that is a URL.
func itemURL(base *url.URL, it *gofeed.Item) (string, bool) {
	if u, ok := resolve(base, it.Link); ok {
		return u, true
	}
	for _, l := range it.Links {
		if u, ok := resolve(base, l); ok {
			return u, true
		}
	}
	g := strings.TrimSpace(it.GUID)
	if strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") || strings.HasPrefix(g, "/") {
		return resolve(base, g)
	}
	return "", false
}

// describeRoot names the first element of an XML document for an error
// message: "<html>", or "none".
func describeRoot(doc []byte) string {
	name := rootElement(doc)
	if name == "" {
		return "none"
	}
	return "<" + name + ">"
}

// rootElement returns the name of the first element of doc, skipping the
// declaration, comments, processing instructions and DOCTYPE.
func rootElement(doc []byte) string {
	name, _ := findRoot(doc)
	return name
}

// findRoot returns the first element's name and offset.
func findRoot(doc []byte) (string, int) {
	off := 0
	for off < len(doc) {
		i := bytes.IndexByte(doc[off:], '<')
		if i < 0 || off+i+1 >= len(doc) {
			return "", 0
		}
		start := off + i
		rest := doc[start+1:]
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			end := bytes.Index(rest, []byte("-->"))
			if end < 0 {
				return "", 0
			}
			off = start + 1 + end + 3
		case rest[0] == '?' || rest[0] == '!':
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				return "", 0
			}
			off = start + 1 + end + 1
		default:
			end := bytes.IndexAny(rest, " \t\r\n/>")
			if end < 0 {
				end = len(rest)
			}
			name := rest[:min(end, 64)]
			return strings.ToValidUTF8(string(name), ""), start
		}
	}
	return "", 0
}
