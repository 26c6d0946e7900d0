package parser

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// App state: the JSON that JavaScript frameworks embed in a page for the
// browser to hydrate (Next.js __NEXT_DATA__ and app-router flight chunks,
// Nuxt, Apollo's cache, window.__X__ = {…} and other application/json
// scripts). Some sites carry their article only there. The article is found
// by its shape, not by the outlet: an object with a headline, a long body
// and, usually, dates, whose headline is the page's own.

// Bounds of the app-state layer: bytes of script read (each and in all),
// nesting depth, and values visited.
const (
	maxStateBytes = 8 << 20
	maxStateDepth = 64
	maxStateNodes = 300_000
	// minStateScript is the shortest script worth decoding: an article
	// body alone is longer.
	minStateScript = 200
	// minStateBody is the least text, in characters, a body candidate has.
	minStateBody = 100
)

// stateScript is a script that looks like app state.
type stateScript struct {
	id, text string
}

// stateScriptKind reports whether a script element holds app state: by its
// id (__NEXT_DATA__, __NUXT_DATA__), its type (application/json) or the
// start of its text (window.__X__ =, self.__next_f.push). Only the first
// bytes of the text are looked at.
func stateScriptKind(n *html.Node, text string) bool {
	if len(text) < minStateScript {
		return false
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "id":
			if strings.HasPrefix(a.Val, "__N") {
				return true
			}
		case "type":
			if t := strings.ToLower(a.Val); strings.Contains(t, "json") && !strings.Contains(t, "ld+json") {
				return true
			}
		}
	}
	head := strings.TrimLeft(text[:min(len(text), 64)], " \t\r\n;")
	return strings.HasPrefix(head, "window.__") || strings.HasPrefix(head, "self.__next_f") ||
		strings.HasPrefix(head, "window[\"__") || strings.HasPrefix(head, "__NUXT__")
}

// parseAppState decodes the page's app-state scripts and returns the
// article object that best fits the page: the one whose headline is one of
// titles (og:title, <title>, the headings), the longest body among those.
// When the page names no title at all, the longest body wins.
func parseAppState(scripts []stateScript, titles []string) *appArticle {
	w := &stateWalker{budget: maxStateBytes}
	var flight []string
	for _, s := range scripts {
		if len(s.text) > w.budget {
			continue
		}
		text := strings.TrimSpace(s.text)
		switch {
		case strings.HasPrefix(text, "self.__next_f"):
			flight = append(flight, text)
			continue
		case s.id == "__NUXT_DATA__":
			w.budget -= len(text)
			if v, ok := decodeValue(text); ok {
				if arr, ok := v.([]any); ok {
					w.walk(w.devalue(arr), 0)
				}
			}
			continue
		}
		w.budget -= len(text)
		if v, ok := decodeStateText(text); ok {
			w.walk(v, 0)
		}
	}
	if len(flight) > 0 {
		w.flight(flight)
	}
	keys := make([]string, 0, len(titles))
	for _, t := range titles {
		if k := skeleton(t); utf8.RuneCountInString(k) >= 4 {
			keys = append(keys, k)
		}
	}
	var best *appArticle
	bestLen := -1
	for _, c := range w.cands {
		match := matchesTitle(skeleton(c.Title), keys)
		// An object without a body (the page's HTML has it) gives its
		// dates and bylines only when its headline is the page's.
		if !match && (len(keys) > 0 || c.Paragraphs == nil) {
			continue
		}
		if n := paraLen(c.Paragraphs); n > bestLen {
			best, bestLen = c, n
		}
	}
	return best
}

// matchesTitle reports whether a headline's skeleton is one of the page's
// titles, or most of one (a <title> with the site's name), or holds one
// that is most of it (a shortened og:title). A site's name in an <h1> is
// not most of a headline.
func matchesTitle(h string, keys []string) bool {
	n := utf8.RuneCountInString(h)
	if n < 4 {
		return false
	}
	for _, k := range keys {
		m := utf8.RuneCountInString(k)
		if strings.Contains(k, h) && 2*n >= m || strings.Contains(h, k) && 2*m >= n {
			return true
		}
	}
	return false
}

// decodeValue decodes one JSON value at the start of s.
func decodeValue(s string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

// decodeJS decodes the JSON value at the start of s, as decodeValue, and
// when that fails once more after the JavaScript string escapes JSON lacks
// (\', \x41, \!) are rewritten: app state is written by JavaScript
// serializers.
func decodeJS(s string) (any, bool) {
	if v, ok := decodeValue(s); ok {
		return v, true
	}
	return decodeValue(jsEscapes(s))
}

// jsEscapes rewrites, inside the strings of s, the escapes JSON does not
// have: \xHH and \v and \0 as \u escapes, any other as the character.
func jsEscapes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inStr := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !inStr {
			inStr = c == '"'
			b.WriteByte(c)
			continue
		}
		switch {
		case c == '"':
			inStr = false
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u':
				b.WriteByte('\\')
				b.WriteByte(e)
			case 'x':
				b.WriteString(`\u00`)
			case 'v':
				b.WriteString(`\u000b`)
			case '0':
				b.WriteString(`\u0000`)
			default:
				b.WriteByte(e)
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// decodeStateText decodes an app-state script: plain JSON, or an
// assignment "window.__X__ = {…}" / "= JSON.parse("…")" whose value is
// JSON, or Nuxt 2's "(function(a,b){return {…}}(…))" (see decodeNuxtCall).
func decodeStateText(s string) (any, bool) {
	if s == "" {
		return nil, false
	}
	if s[0] == '{' || s[0] == '[' {
		return decodeJS(s)
	}
	eq := strings.IndexByte(s[:min(len(s), 200)], '=')
	if eq < 0 {
		return nil, false
	}
	rest := strings.TrimLeft(s[eq+1:], " \t\r\n")
	switch {
	case strings.HasPrefix(rest, "{") || strings.HasPrefix(rest, "["):
		return decodeJS(rest)
	case strings.HasPrefix(rest, "(function("):
		return decodeNuxtCall(rest)
	case strings.HasPrefix(rest, "JSON.parse("):
		lit, ok := jsString(strings.TrimLeft(rest[len("JSON.parse("):], " \t\r\n"))
		if !ok {
			return nil, false
		}
		return decodeValue(lit)
	}
	return nil, false
}

// jsString decodes the JavaScript string literal ('…' or "…") at the start
// of s: \n, \t, \r, \b, \f, \v, \0, \xHH, \uHHHH and \u{…} escapes, and any
// other escaped character as itself.
func jsString(s string) (string, bool) {
	if s == "" || (s[0] != '"' && s[0] != '\'') {
		return "", false
	}
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q:
			return b.String(), true
		case c == '\n':
			return "", false
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		switch e := s[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '0':
			b.WriteByte(0)
		case 'x', 'u':
			n := 2
			if e == 'u' {
				n = 4
				if i+1 < len(s) && s[i+1] == '{' {
					end := strings.IndexByte(s[i:], '}')
					if end < 0 {
						return "", false
					}
					r, err := strconv.ParseUint(s[i+2:i+end], 16, 32)
					if err != nil {
						return "", false
					}
					b.WriteRune(rune(r))
					i += end
					continue
				}
			}
			if i+n >= len(s) {
				return "", false
			}
			r, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			if err != nil {
				return "", false
			}
			// A surrogate pair is two \u escapes.
			if r >= 0xD800 && r < 0xDC00 && i+1+n+6 <= len(s) && s[i+1+n] == '\\' && s[i+2+n] == 'u' {
				if lo, err := strconv.ParseUint(s[i+3+n:i+7+n], 16, 32); err == nil && lo >= 0xDC00 && lo < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
					i += 6
				}
			}
			b.WriteRune(rune(r))
			i += n
		case '\n':
			// a line continuation
		default:
			b.WriteByte(e)
		}
	}
	return "", false
}

// stateWalker walks decoded app state for article-shaped objects.
type stateWalker struct {
	nodes  int
	budget int               // bytes that may still be decoded
	texts  map[string]string // flight text rows by reference ("$1a")
	refs   map[string]any    // an Apollo cache's objects by key ("Article:1")
	cands  []*appArticle
}

func (w *stateWalker) walk(v any, depth int) {
	w.nodes++
	if depth > maxStateDepth || w.nodes > maxStateNodes {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if depth == 0 && w.refs == nil && isApolloCache(x) {
			w.refs = x
		}
		w.consider(x)
		for _, e := range x {
			w.walk(e, depth+1)
		}
	case []any:
		for _, e := range x {
			w.walk(e, depth+1)
		}
	case string:
		// Article JSON embedded as a string (flight props, a CMS field).
		if len(x) >= minStateScript && len(x) <= w.budget && (x[0] == '{' || x[0] == '[') {
			w.budget -= len(x)
			if e, ok := decodeValue(x); ok {
				w.walk(e, depth+1)
			}
		}
	}
}

// isApolloCache reports a normalized cache: keys "Type:id" with objects
// that name their __typename.
func isApolloCache(m map[string]any) bool {
	n := 0
	for k, v := range m {
		if o, ok := v.(map[string]any); ok && strings.IndexByte(k, ':') > 0 {
			if _, ok := o["__typename"]; ok {
				n++
				if n >= 1 {
					return true
				}
			}
		}
	}
	return false
}

// deref follows an Apollo reference {"__ref": "Author:1"} (or {"id":
// "Author:1", "type": "id"}, the older form).
func (w *stateWalker) deref(v any) any {
	m, ok := v.(map[string]any)
	if !ok || w.refs == nil || len(m) > 3 {
		return v
	}
	key := str(m["__ref"])
	if key == "" && str(m["type"]) == "id" {
		key = str(m["id"])
	}
	if key == "" {
		return v
	}
	if t, ok := w.refs[key]; ok {
		return t
	}
	if t, ok := w.refs["$"+key]; ok {
		return t
	}
	return v
}

// text resolves a flight text reference ("$1a") to its text.
func (w *stateWalker) text(s string) string {
	if len(s) > 1 && s[0] == '$' && w.texts != nil {
		if t, ok := w.texts[s[1:]]; ok {
			return t
		}
	}
	return s
}

// flight reads Next.js app-router flight data: the strings of the
// self.__next_f.push([1, "…"]) chunks, joined, are rows "id:JSON" and text
// rows "id:T<hex length>,<text>", which other rows reference as "$id".
func (w *stateWalker) flight(chunks []string) {
	var data strings.Builder
	for _, c := range chunks {
		i := strings.IndexByte(c, '(')
		if i < 0 {
			continue
		}
		v, ok := decodeValue(c[i+1:])
		arr, _ := v.([]any)
		if !ok || len(arr) < 2 || str(arr[0]) != "1" {
			continue
		}
		if s, ok := arr[1].(string); ok && data.Len()+len(s) <= w.budget {
			data.WriteString(s)
		}
	}
	w.budget -= data.Len()
	s := data.String()
	var rows []string
	w.texts = map[string]string{}
	for len(s) > 0 {
		colon := strings.IndexByte(s, ':')
		nl := strings.IndexByte(s, '\n')
		if colon < 0 {
			break
		}
		if nl >= 0 && nl < colon {
			s = s[nl+1:]
			continue
		}
		id, rest := s[:colon], s[colon+1:]
		if len(rest) > 0 && rest[0] == 'T' {
			comma := strings.IndexByte(rest, ',')
			if comma > 0 {
				if n, err := strconv.ParseInt(rest[1:comma], 16, 64); err == nil && n >= 0 && int(n) <= len(rest)-comma-1 {
					w.texts[id] = rest[comma+1 : comma+1+int(n)]
					s = rest[comma+1+int(n):]
					continue
				}
			}
		}
		end := strings.IndexByte(rest, '\n')
		if end < 0 {
			end = len(rest)
		}
		if row := rest[:end]; len(row) > 0 && (row[0] == '{' || row[0] == '[') {
			rows = append(rows, row)
		}
		s = rest[min(end+1, len(rest)):]
	}
	for _, row := range rows {
		if v, ok := decodeValue(row); ok {
			w.walk(v, 0)
		}
	}
}

// devalue rebuilds the tree of a Nuxt 3 payload (__NUXT_DATA__): a flat
// array whose objects and arrays hold the indexes of their values, with
// wrappers ["Reactive", i], ["Date", "…"] and the like.
func (w *stateWalker) devalue(arr []any) any {
	memo := map[int]any{}
	var get func(i, depth int) any
	get = func(i, depth int) any {
		w.nodes++
		if i < 0 || i >= len(arr) || depth > maxStateDepth || w.nodes > maxStateNodes {
			return nil
		}
		if v, ok := memo[i]; ok {
			return v
		}
		memo[i] = nil // a cycle reads as null
		var out any
		switch x := arr[i].(type) {
		case map[string]any:
			m := make(map[string]any, len(x))
			for k, v := range x {
				if j, ok := index(v); ok {
					m[k] = get(j, depth+1)
				}
			}
			out = m
		case []any:
			if len(x) == 2 {
				if tag, ok := x[0].(string); ok {
					switch tag {
					case "Date":
						out = x[1]
					case "Reactive", "ShallowReactive", "Ref", "ShallowRef", "EmptyRef", "EmptyShallowRef", "NuxtError":
						if j, ok := index(x[1]); ok {
							out = get(j, depth+1)
						}
					}
					if out != nil || tag == "Date" {
						break
					}
				}
			}
			if out == nil {
				l := make([]any, 0, len(x))
				for _, v := range x {
					if j, ok := index(v); ok {
						l = append(l, get(j, depth+1))
					}
				}
				out = l
			}
		default:
			out = x
		}
		memo[i] = out
		return out
	}
	if len(arr) == 0 {
		return nil
	}
	return get(0, 0)
}

func index(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n.String())
	return i, err == nil
}

// Keys of an article object, lower case without '_' and '-', best first.
var (
	stateHeadlineKeys = []string{"headline", "headlines", "title", "articletitle", "newstitle", "arttitle", "subject", "atctitle", "titlehtml"}
	stateBodyKeys     = []string{"articlebody", "body", "bodyhtml", "contentelements", "content", "contents", "contenthtml", "articlecontent",
		"articlecontents", "newscontent", "articletext", "bodytext", "html", "text", "blocks"}
	statePublishedKeys = []string{"datepublished", "publishedat", "publishedtime", "publishdate", "publisheddate", "firstpublishdate",
		"firstpublished", "firstpublishedat", "published", "pubdate", "displaydate", "releasedate", "createdat", "createdate",
		"created", "regdate", "regdt", "registdate", "registeredat", "inputdate", "writedate", "servicedate", "servicetime", "sendtime", "date"}
	stateUpdatedKeys = []string{"datemodified", "updatedat", "modifiedat", "updatedtime", "modifiedtime", "lastupdateddate",
		"lastmodified", "lastmodifieddate", "updatedate", "modifydate", "moddate", "moddt", "upddate", "upddt", "editdate", "updated", "modified"}
	stateAuthorKeys   = []string{"authors", "author", "byline", "reporters", "reporter", "writers", "writer", "credits", "reportername", "writername", "authorname"}
	stateEmailKeys    = []string{"reporteremail", "writeremail", "authoremail", "email"}
	stateSubtitleKeys = []string{"subheadlines", "subheadline", "subtitle", "subtitles", "subhead", "alternativeheadline"}
	stateSectionKeys  = []string{"section", "sectionname", "category", "categoryname", "articlesection", "taxonomy"}
	stateImageKeys    = []string{"image", "mainimage", "thumbnail", "thumbnailurl", "imageurl", "ogimage", "featuredimage", "promoitems"}
	stateURLKeys      = []string{"canonicalurl", "url", "shareurl", "permalink", "weburl", "link"}
)

// normKey folds an object key for matching: lower case, no '_' or '-'.
func normKey(k string) string {
	plain := true
	for i := 0; i < len(k); i++ {
		if c := k[i]; c == '_' || c == '-' || c >= 'A' && c <= 'Z' {
			plain = false
			break
		}
	}
	if plain {
		return k
	}
	b := make([]byte, 0, len(k))
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case c == '_' || c == '-':
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// field returns the value of the first key of keys the object has.
func field(keyed map[string]any, keys []string) any {
	for _, k := range keys {
		if v, ok := keyed[k]; ok && v != nil {
			return v
		}
	}
	return nil
}

// consider records m as a candidate when it has an article's shape: a
// plausible headline and a body of some length, or, lacking the body, a
// publication time.
func (w *stateWalker) consider(m map[string]any) {
	if len(m) < 2 {
		return
	}
	has := false
	for k := range m {
		switch normKey(k) {
		case "headline", "headlines", "title", "articletitle", "newstitle", "arttitle", "subject", "atctitle", "titlehtml":
			has = true
		}
		if has {
			break
		}
	}
	if !has {
		return
	}
	keyed := make(map[string]any, len(m))
	for k, v := range m {
		keyed[normKey(k)] = v
	}
	title := ""
	for _, k := range stateHeadlineKeys {
		if title = w.headline(keyed[k]); title != "" {
			break
		}
	}
	if title == "" {
		return
	}
	a := &appArticle{Title: title, BodyWeak: true}
	for _, k := range stateBodyKeys {
		v, ok := keyed[k]
		if !ok {
			continue
		}
		paras, images := w.body(v, 0)
		if paraLen(paras) >= minStateBody {
			a.Paragraphs, a.Images = paras, images
			break
		}
	}
	a.Published = w.timeField(keyed, statePublishedKeys)
	if a.Paragraphs == nil && a.Published == "" {
		return
	}
	a.Modified = w.timeField(keyed, stateUpdatedKeys)
	for _, k := range stateAuthorKeys {
		if a.Reporters = w.people(keyed[k], 0); len(a.Reporters) > 0 {
			break
		}
	}
	if len(a.Reporters) == 1 && a.Reporters[0].Email == "" {
		for _, k := range stateEmailKeys {
			if e := str(keyed[k]); strings.Contains(e, "@") {
				a.Reporters[0].Email = e
				break
			}
		}
	}
	for _, k := range stateSubtitleKeys {
		if a.Subtitle = w.headline(keyed[k]); a.Subtitle != "" {
			break
		}
	}
	for _, k := range stateSectionKeys {
		if a.Section = w.name(keyed[k], 0); a.Section != "" {
			break
		}
	}
	for _, k := range stateURLKeys {
		if u := str(keyed[k]); strings.HasPrefix(u, "http") || strings.HasPrefix(u, "/") {
			a.URL = u
			break
		}
	}
	if im := w.image(field(keyed, stateImageKeys), 0); im != "" {
		a.Images = append([]appImage{{URL: im}}, a.Images...)
	}
	w.cands = append(w.cands, a)
}

// headline reads a headline value: a string, or an object holding one
// ({"basic": …}, {"rendered": …}, {"main": …}).
func (w *stateWalker) headline(v any) string {
	switch x := w.deref(v).(type) {
	case string:
		t := unescapeText(htmlText(w.text(x)))
		n := utf8.RuneCountInString(t)
		if n < 4 || n > 300 || strings.HasPrefix(t, "http") || strings.HasPrefix(t, "$") {
			return ""
		}
		return t
	case map[string]any:
		for _, k := range []string{"basic", "rendered", "main", "text", "value", "ko"} {
			if s, ok := x[k].(string); ok {
				return w.headline(s)
			}
		}
	}
	return ""
}

// Block types that hold no article text.
var stateSkipBlocks = map[string]bool{"image": true, "photo": true, "video": true, "gallery": true, "ad": true,
	"advertisement": true, "embed": true, "rawhtml": true, "iframe": true, "oembed": true, "related": true,
	"relatedarticles": true, "script": true, "social": true, "divider": true, "interstitiallink": true}

// body reads a body value as paragraphs: an HTML or plain-text string, an
// object holding one, or a list of blocks ({type, content}) and strings.
func (w *stateWalker) body(v any, depth int) (paras []string, images []appImage) {
	w.nodes++
	if depth > 6 || w.nodes > maxStateNodes {
		return nil, nil
	}
	switch x := w.deref(v).(type) {
	case string:
		return textParagraphs(w.text(x)), nil
	case map[string]any:
		for _, k := range []string{"rendered", "html", "text", "value", "content", "body", "basic", "json"} {
			if e, ok := x[k]; ok {
				return w.body(e, depth+1)
			}
		}
	case []any:
		for _, e := range x {
			switch b := w.deref(e).(type) {
			case string:
				paras = append(paras, textParagraphs(w.text(b))...)
			case map[string]any:
				typ := normKey(str(b["type"]))
				if typ == "" {
					typ = normKey(str(b["_type"]))
				}
				if typ == "image" || typ == "photo" {
					if u := w.image(b, 0); u != "" {
						images = append(images, appImage{URL: u, Caption: normalizeSpace(htmlText(str(b["caption"])))})
					}
					continue
				}
				if stateSkipBlocks[typ] {
					continue
				}
				if items, ok := b["items"].([]any); ok && typ == "list" {
					p, _ := w.body(items, depth+1)
					paras = append(paras, p...)
					continue
				}
				for _, k := range []string{"content", "text", "html", "value", "body", "children"} {
					if c, ok := b[k]; ok {
						p, im := w.body(c, depth+1)
						paras, images = append(paras, p...), append(images, im...)
						break
					}
				}
			}
		}
	}
	return paras, images
}

// textParagraphs splits a body string into paragraphs: an HTML fragment by
// its blocks, plain text at its line breaks.
func textParagraphs(s string) []string {
	if looksHTML(s) {
		nodes, err := html.ParseFragment(strings.NewReader(s), fragmentContext())
		if err != nil {
			return nil
		}
		var out []string
		for _, n := range nodes {
			out = append(out, paragraphs(n, nil)...)
		}
		return out
	}
	var out []string
	for _, p := range splitBodyText(s) {
		if p = unescapeText(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// looksHTML reports a string with a tag in it.
func looksHTML(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0 && i+1 < len(s); {
		if c := s[i+1]; c == '/' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return true
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// timeField returns the first value of keys that reads as a time.
func (w *stateWalker) timeField(keyed map[string]any, keys []string) string {
	for _, k := range keys {
		s := str(keyed[k])
		if s == "" {
			continue
		}
		if _, ok := parseMachineTime(s); ok {
			return s
		}
	}
	return ""
}

// people reads bylines: a string, an object with a name (and e-mail), a
// list of them, or an Arc credits object ({"by": […]}).
func (w *stateWalker) people(v any, depth int) []ldPerson {
	if depth > 4 {
		return nil
	}
	switch x := w.deref(v).(type) {
	case string:
		if t := unescapeText(x); t != "" && !strings.HasPrefix(t, "http") && utf8.RuneCountInString(t) <= 120 {
			return []ldPerson{{Name: t}}
		}
	case map[string]any:
		if by, ok := x["by"]; ok {
			return w.people(by, depth+1)
		}
		keyed := make(map[string]any, len(x))
		for k, e := range x {
			keyed[normKey(k)] = e
		}
		name := ""
		for _, k := range []string{"byline", "name", "displayname", "fullname", "reportername", "writername", "authorname", "nickname"} {
			if name = unescapeText(str(keyed[k])); name != "" {
				break
			}
		}
		if name == "" {
			return nil
		}
		p := ldPerson{Name: name}
		for _, k := range stateEmailKeys {
			if e := str(keyed[k]); strings.Contains(e, "@") {
				p.Email = e
				break
			}
		}
		if p.Email == "" {
			if ap, ok := x["additional_properties"].(map[string]any); ok {
				if orig, ok := ap["original"].(map[string]any); ok {
					p.Email = str(orig["email"])
				}
			}
		}
		return []ldPerson{p}
	case []any:
		var out []ldPerson
		for _, e := range x {
			out = append(out, w.people(e, depth+1)...)
		}
		return out
	}
	return nil
}

// name reads a section-like value: a string or an object with a name.
func (w *stateWalker) name(v any, depth int) string {
	if depth > 3 {
		return ""
	}
	switch x := w.deref(v).(type) {
	case string:
		if t := unescapeText(x); utf8.RuneCountInString(t) <= 40 && !strings.HasPrefix(t, "http") {
			return t
		}
	case map[string]any:
		for _, k := range []string{"name", "title", "label", "primary_section"} {
			if e, ok := x[k]; ok {
				if t := w.name(e, depth+1); t != "" {
					return t
				}
			}
		}
	case []any:
		if len(x) > 0 {
			return w.name(x[0], depth+1)
		}
	}
	return ""
}

// image reads an image value: a URL, an object with url/src, a list.
func (w *stateWalker) image(v any, depth int) string {
	if depth > 3 {
		return ""
	}
	switch x := w.deref(v).(type) {
	case string:
		if strings.HasPrefix(x, "http") || strings.HasPrefix(x, "//") || strings.HasPrefix(x, "/") {
			return x
		}
	case map[string]any:
		for _, k := range []string{"url", "src", "href", "imageUrl", "path", "basic"} {
			if e, ok := x[k]; ok {
				if u := w.image(e, depth+1); u != "" {
					return u
				}
			}
		}
	case []any:
		if len(x) > 0 {
			return w.image(x[0], depth+1)
		}
	}
	return ""
}

// stateTitles are the page's own names for its headline, that an app-state
// article's headline must match.
func (pg *page) stateTitles() []string {
	ts := []string{pg.meta["og:title"], pg.meta["twitter:title"], pg.titleTag}
	for i, h := range pg.h1s {
		if i >= 4 {
			break
		}
		ts = append(ts, textOf(h))
	}
	out := ts[:0]
	for _, t := range ts {
		if t = unescapeText(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
