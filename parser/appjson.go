package parser

import (
	"encoding/json"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gisa-news/gisa/internal/lazy"
)

// appArticle is an article read from the JSON an app framework embeds in the
// page, for sites whose static HTML has no article text (Arc XP / Fusion:
// Chosun and other Arc sites).
type appArticle struct {
	Title, Subtitle string
	Paragraphs      []string
	Reporters       []ldPerson
	Published       string
	Modified        string
	Section         string
	URL             string
	Images          []appImage
	Related         []relLink
	// BodyWeak marks a body found by shape in app state: it replaces the
	// page's visible body only when that is much shorter (see extract).
	BodyWeak bool
}

type appImage struct{ URL, Caption string }

type relLink struct{ Title, URL string }

var fusionStart = lazy.NewRegexp(`Fusion\.globalContent\s*=\s*`)
var fusionCache = lazy.NewRegexp(`Fusion\.contentCache\s*=\s*`)

// parseFusion reads Fusion.globalContent (and related stories from
// Fusion.contentCache) out of the page's scripts.
func parseFusion(scripts []string) (*appArticle, bool) {
	var gc map[string]any
	var cache map[string]any
	for _, s := range scripts {
		if gc == nil {
			if loc := fusionStart.FindStringIndex(s); loc != nil {
				gc = decodeObjectPrefix(s[loc[1]:])
			}
		}
		if cache == nil {
			if loc := fusionCache.FindStringIndex(s); loc != nil {
				cache = decodeObjectPrefix(s[loc[1]:])
			}
		}
	}
	if gc == nil {
		return nil, false
	}
	a := &appArticle{
		Published: firstNonEmpty(str(gc["first_publish_date"]), str(gc["display_date"])),
		Modified:  str(gc["last_updated_date"]),
		URL:       firstNonEmpty(str(gc["canonical_url"]), str(gc["website_url"])),
	}
	if h, ok := gc["headlines"].(map[string]any); ok {
		a.Title = unescapeText(htmlText(str(h["basic"])))
	}
	if h, ok := gc["subheadlines"].(map[string]any); ok {
		a.Subtitle = unescapeText(htmlText(str(h["basic"])))
	}
	if t, ok := gc["taxonomy"].(map[string]any); ok {
		if ps, ok := t["primary_section"].(map[string]any); ok {
			a.Section = str(ps["name"])
		}
	}
	if c, ok := gc["credits"].(map[string]any); ok {
		for _, b := range list(c["by"]) {
			m, ok := b.(map[string]any)
			if !ok {
				continue
			}
			p := ldPerson{Name: str(m["name"])}
			if ap, ok := m["additional_properties"].(map[string]any); ok {
				if orig, ok := ap["original"].(map[string]any); ok {
					if by := str(orig["byline"]); by != "" {
						p.Name = by
					}
					p.Email = str(orig["email"])
				}
			}
			if p.Name != "" {
				a.Reporters = append(a.Reporters, p)
			}
		}
	}
	for _, e := range list(gc["content_elements"]) {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		switch str(m["type"]) {
		case "text", "header":
			if t := normalizeSpace(htmlText(str(m["content"]))); t != "" {
				a.Paragraphs = append(a.Paragraphs, t)
			}
		case "list":
			for _, it := range list(m["items"]) {
				if im, ok := it.(map[string]any); ok {
					if t := normalizeSpace(htmlText(str(im["content"]))); t != "" {
						a.Paragraphs = append(a.Paragraphs, t)
					}
				}
			}
		case "image":
			a.Images = append(a.Images, appImage{URL: str(m["url"]), Caption: normalizeSpace(htmlText(str(m["caption"])))})
		case "raw_html":
			a.Related = append(a.Related, htmlLinks(str(m["content"]))...)
		}
	}
	if id := str(gc["_id"]); id != "" && cache != nil {
		if rc, ok := cache["related-content"].(map[string]any); ok {
			for key, v := range rc {
				if !strings.Contains(key, id) {
					continue
				}
				vm, _ := v.(map[string]any)
				data, _ := vm["data"].(map[string]any)
				for _, it := range list(data["basic"]) {
					im, ok := it.(map[string]any)
					if !ok {
						continue
					}
					l := relLink{URL: firstNonEmpty(str(im["canonical_url"]), str(im["website_url"]))}
					if h, ok := im["headlines"].(map[string]any); ok {
						l.Title = unescapeText(str(h["basic"]))
					}
					if l.URL != "" && l.Title != "" {
						a.Related = append(a.Related, l)
					}
				}
			}
		}
	}
	return a, true
}

// decodeObjectPrefix decodes the JSON object at the start of s, ignoring
// whatever follows it.
func decodeObjectPrefix(s string) map[string]any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil
	}
	return m
}

// htmlText is the text of an HTML fragment.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	nodes, err := html.ParseFragment(strings.NewReader(s), fragmentContext())
	if err != nil {
		return s
	}
	var parts []string
	for _, n := range nodes {
		parts = append(parts, paragraphs(n, nil)...)
	}
	return strings.Join(parts, " ")
}

func fragmentContext() *html.Node {
	return &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
}

// htmlLinks returns the links of an HTML fragment.
func htmlLinks(s string) []relLink {
	nodes, err := html.ParseFragment(strings.NewReader(s), fragmentContext())
	if err != nil {
		return nil
	}
	var out []relLink
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			if h := attr(n, "href"); h != "" {
				out = append(out, relLink{Title: textOf(n), URL: h})
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
