package parser

import (
	"encoding/json"
	"html"
	"strings"
)

// ldArticle is what gisa reads from a JSON-LD article object.
type ldArticle struct {
	Headline    string
	Alternative string
	Description string
	Body        string
	Authors     []ldPerson
	Published   string
	Modified    string
	Section     string
	Publisher   string
	URL         string
	Images      []string
	Keywords    []string
	Language    string
}

type ldPerson struct {
	Name, Email, Role string
	Org               bool // an Organization, not a person
}

var articleTypes = map[string]bool{
	"newsarticle": true, "article": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "blogposting": true,
	"backgroundnewsarticle": true, "reviewnewsarticle": true, "socialmediaposting": true,
	"liveblogposting": true, "scholarlyarticle": true, "techarticle": true, "report": true,
}

// parseJSONLD reads the JSON-LD scripts of a page and returns the best
// article object: the one whose url, @id or mainEntityOfPage is one of
// self (the page's own URLs) when any is, else the first of an article
// type, the one with a body when several are (pages describe their
// related articles in JSON-LD too). Broken JSON (comments, trailing
// commas, raw newlines in strings) is repaired first; scripts that still
// do not parse are skipped.
func parseJSONLD(scripts []string, self ...string) (*ldArticle, bool) {
	var best, own map[string]any
	for _, s := range scripts {
		v, ok := decodeLooseJSON(s)
		if !ok {
			continue
		}
		walkLD(v, 0, func(m map[string]any) {
			if !isArticleType(m["@type"]) {
				return
			}
			if own == nil && ldNames(m, self) {
				own = m
			}
			if best == nil || (str(best["articleBody"]) == "" && str(m["articleBody"]) != "") {
				best = m
			}
		})
	}
	if own != nil {
		best = own
	}
	if best == nil {
		return nil, false
	}
	a := &ldArticle{
		Headline:    unescapeText(str(best["headline"])),
		Alternative: unescapeText(str(best["alternativeHeadline"])),
		Description: unescapeText(str(best["description"])),
		Body:        unescapeText(str(best["articleBody"])),
		Published:   str(best["datePublished"]),
		Modified:    str(best["dateModified"]),
		Section:     unescapeText(firstStr(best["articleSection"])),
		URL:         firstStr(best["url"]),
		Language:    firstStr(best["inLanguage"]),
	}
	if a.URL == "" {
		if m, ok := best["mainEntityOfPage"].(map[string]any); ok {
			a.URL = firstStr(m["@id"])
		} else {
			a.URL = firstStr(best["mainEntityOfPage"])
		}
	}
	if p, ok := best["publisher"].(map[string]any); ok {
		a.Publisher = unescapeText(str(p["name"]))
	}
	for _, au := range list(best["author"]) {
		switch v := au.(type) {
		case string:
			a.Authors = append(a.Authors, ldPerson{Name: unescapeText(v)})
		case map[string]any:
			p := ldPerson{Name: unescapeText(str(v["name"])), Email: str(v["email"]), Role: unescapeText(str(v["jobTitle"]))}
			t := strings.ToLower(firstStr(v["@type"]))
			p.Org = strings.Contains(t, "organization")
			if p.Name != "" {
				a.Authors = append(a.Authors, p)
			}
		}
	}
	for _, im := range list(best["image"]) {
		switch v := im.(type) {
		case string:
			a.Images = append(a.Images, v)
		case map[string]any:
			if u := firstStr(v["url"]); u != "" {
				a.Images = append(a.Images, u)
			} else if u := firstStr(v["@id"]); u != "" {
				a.Images = append(a.Images, u)
			}
		}
	}
	switch k := best["keywords"].(type) {
	case string:
		for _, w := range strings.Split(k, ",") {
			if w = strings.TrimSpace(unescapeText(w)); w != "" {
				a.Keywords = append(a.Keywords, w)
			}
		}
	case []any:
		for _, w := range k {
			if s := strings.TrimSpace(unescapeText(str(w))); s != "" {
				a.Keywords = append(a.Keywords, s)
			}
		}
	}
	return a, true
}

// ldNames reports whether the article object m names one of the URLs
// self as its own (url, @id, mainEntityOfPage).
func ldNames(m map[string]any, self []string) bool {
	if len(self) == 0 {
		return false
	}
	ids := []string{firstStr(m["url"]), firstStr(m["@id"])}
	if e, ok := m["mainEntityOfPage"].(map[string]any); ok {
		ids = append(ids, firstStr(e["@id"]), firstStr(e["url"]))
	} else {
		ids = append(ids, firstStr(m["mainEntityOfPage"]))
	}
	for _, id := range ids {
		id, _, _ = strings.Cut(strings.TrimSpace(id), "#")
		if id == "" {
			continue
		}
		k := linkKey(stripTracking(id))
		for _, u := range self {
			if u, _, _ = strings.Cut(u, "#"); u != "" && linkKey(stripTracking(u)) == k {
				return true
			}
		}
	}
	return false
}

func walkLD(v any, depth int, f func(map[string]any)) {
	if depth > 8 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkLD(e, depth+1, f)
		}
	case map[string]any:
		f(x)
		if g, ok := x["@graph"]; ok {
			walkLD(g, depth+1, f)
		}
		if m, ok := x["mainEntity"]; ok {
			walkLD(m, depth+1, f)
		}
	}
}

func isArticleType(t any) bool {
	for _, e := range list(t) {
		if s, ok := e.(string); ok {
			s = strings.ToLower(s)
			s = s[strings.LastIndexAny(s, "/:")+1:]
			if articleTypes[s] {
				return true
			}
		}
	}
	return false
}

func list(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case json.Number:
		return x.String()
	}
	return ""
}

func firstStr(v any) string {
	for _, e := range list(v) {
		if s := str(e); s != "" {
			return s
		}
	}
	return ""
}

// unescapeText decodes HTML entities that pages leave in JSON and meta
// values, twice at most (some are double-encoded: "&amp;quot;"), and folds
// white space.
func unescapeText(s string) string {
	for i := 0; i < 2 && strings.IndexByte(s, '&') >= 0; i++ {
		s = html.UnescapeString(s)
	}
	return normalizeSpace(s)
}

// decodeLooseJSON parses JSON as pages write it: with // and /* */ comments,
// trailing commas, raw control characters inside strings, HTML comment or
// CDATA wrappers, or several values in a row.
func decodeLooseJSON(s string) (any, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "<!--")
	s = strings.TrimSuffix(s, "-->")
	s = strings.TrimPrefix(strings.TrimSpace(s), "//<![CDATA[")
	s = strings.TrimSuffix(strings.TrimSpace(s), "//]]>")
	s = strings.TrimSpace(s)
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err == nil {
		if !dec.More() {
			return v, true
		}
	}
	clean := repairJSON(s)
	dec = json.NewDecoder(strings.NewReader(clean))
	dec.UseNumber()
	var vals []any
	for dec.More() {
		var x any
		if err := dec.Decode(&x); err != nil {
			break
		}
		vals = append(vals, x)
	}
	switch len(vals) {
	case 0:
		return nil, false
	case 1:
		return vals[0], true
	}
	return vals, true
}

// repairJSON removes comments and trailing commas outside strings and
// escapes raw control characters inside them.
func repairJSON(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			case c == '\n' || c == '\r' || c == '\t':
				b.WriteByte(' ')
				continue
			case c < 0x20:
				continue
			}
			b.WriteByte(c)
			continue
		}
		switch {
		case c == '"':
			inStr = true
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += end + 3
			continue
		case c == ',':
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\n' || s[j] == '\r' || s[j] == '\t') {
				j++
			}
			if j < len(s) && (s[j] == '}' || s[j] == ']') {
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}
