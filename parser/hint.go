package parser

import "strings"

// srcDiscovery is the source of a publication time that only the crawl's
// discovery stated (a feed's pubDate, a sitemap's news:publication_date):
// "discovery-feed", "discovery-sitemap".
const srcDiscovery = "discovery"

// fromHint fills the publication time from the caller's discovery hint
// (article.Page.PublishedHint) when no layer of the page gave one: a page
// that states its own time is always believed over its feed.
func (pg *page) fromHint(f *fields) {
	if !f.published.IsZero() || pg.in.PublishedHint.IsZero() {
		return
	}
	src := srcDiscovery
	if from := strings.ToLower(strings.TrimSpace(pg.in.HintFrom)); from != "" {
		src += "-" + from
	}
	f.setTime("published_at", &f.published, pg.in.PublishedHint, src)
}

// pageDated reports whether the page itself gave the publication time, not
// a discovery hint.
func (f *fields) pageDated() bool {
	return !f.published.IsZero() && !strings.HasPrefix(f.sources["published_at"], srcDiscovery)
}
