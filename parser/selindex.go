package parser

import (
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// A profile's selectors are many (a title, a body, a byline… each with
// fallbacks), and each one run over the document is a walk of the whole
// tree. Most of them name, in their last compound, an id, a class or a tag
// that an element must have to match: the page's single walk (collect)
// files the elements that have one of those keys, and a selector is then
// tried only on them. The result is the one a walk gives: every element
// that can match is a candidate, and the candidates are taken in document
// order.

// selKey is a condition an element must meet to match a selector: an id
// ('#'), a class ('.') or a tag name ('t').
type selKey struct {
	kind byte
	val  string
}

// keySet is what the page walk files for a profile: the ids, classes and
// tags its selectors need, each with its slot in a page's index.
type keySet struct {
	slots        map[selKey]int
	ids, classes map[string]int
	tags         []tagSlot
}

type tagSlot struct {
	name string
	slot int
}

// add files k in the set.
func (ks *keySet) add(k selKey) {
	if _, ok := ks.slots[k]; ok {
		return
	}
	if ks.slots == nil {
		ks.slots = map[selKey]int{}
	}
	slot := len(ks.slots)
	ks.slots[k] = slot
	switch k.kind {
	case '#':
		if ks.ids == nil {
			ks.ids = map[string]int{}
		}
		ks.ids[k.val] = slot
	case '.':
		if ks.classes == nil {
			ks.classes = map[string]int{}
		}
		ks.classes[k.val] = slot
	default:
		ks.tags = append(ks.tags, tagSlot{k.val, slot})
	}
}

// selIndex holds the elements of one page that have a key of its profile,
// each list (one per slot) in document order.
type selIndex struct {
	keys  *keySet
	nodes [][]indexed
	seq   int32
}

// newSelIndex returns an empty index for the keys.
func newSelIndex(keys *keySet) *selIndex {
	return &selIndex{keys: keys, nodes: make([][]indexed, len(keys.slots))}
}

// indexed is an element with its place in the walk.
type indexed struct {
	n   *html.Node
	seq int32
}

// note files n (an element, met in document order) under the keys it has.
func (x *selIndex) note(n *html.Node) {
	x.seq++
	for _, t := range x.keys.tags {
		if n.Data == t.name {
			x.file(t.slot, n)
		}
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "id":
			if slot, ok := x.keys.ids[a.Val]; ok {
				x.file(slot, n)
			}
		case "class":
			if x.keys.classes == nil {
				continue
			}
			// Tokens split as the selector engine splits them.
			v := a.Val
			for v != "" {
				i := strings.IndexAny(v, " \t\r\n\f")
				tok := v
				if i >= 0 {
					tok, v = v[:i], v[i+1:]
				} else {
					v = ""
				}
				if slot, ok := x.keys.classes[tok]; ok && tok != "" {
					x.file(slot, n)
				}
			}
		}
	}
}

func (x *selIndex) file(slot int, n *html.Node) {
	l := x.nodes[slot]
	if len(l) > 0 && l[len(l)-1].n == n {
		return // the same class twice on one element
	}
	x.nodes[slot] = append(l, indexed{n, x.seq})
}

// candidates returns the elements that may match s, in document order, and
// false when s has no key (it is then run over the whole document).
func (x *selIndex) candidates(s selector) ([]*html.Node, bool) {
	if x == nil || len(s.keys) == 0 {
		return nil, false
	}
	var all []indexed
	for _, k := range s.keys {
		slot, ok := x.keys.slots[k]
		if !ok {
			return nil, false // not a selector of the indexed profile
		}
		all = append(all, x.nodes[slot]...)
	}
	if len(s.keys) > 1 {
		slices.SortFunc(all, func(a, b indexed) int { return int(a.seq - b.seq) })
		all = slices.CompactFunc(all, func(a, b indexed) bool { return a.n == b.n })
	}
	out := make([]*html.Node, len(all))
	for i, e := range all {
		out[i] = e.n
	}
	return out, true
}

// selectAll returns the elements under the document's root that s matches,
// in document order: the indexed candidates filtered by s, or a walk of the
// document when s has no key or the page has no index.
func (pg *page) selectAll(s selector) []*html.Node {
	if cands, ok := pg.index.candidates(s); ok {
		return (&goquery.Selection{Nodes: cands}).FilterMatcher(s.sel).Nodes
	}
	return pg.doc.FindMatcher(s.sel).Nodes
}

// selectorKeys returns, for each selector of a group, a key that an element
// must have to match it, read from the selector's last compound (an id
// first, else a class, else a tag); false when one of them has none the
// reader is sure of (only attributes or pseudo-classes, a universal or
// namespaced type, escapes).
func selectorKeys(group string) ([]selKey, bool) {
	if strings.ContainsAny(group, `\|`) {
		return nil, false
	}
	var keys []selKey
	for _, member := range splitTop(group, ',', false) {
		parts := splitTop(strings.TrimSpace(member), 0, true)
		if len(parts) == 0 {
			return nil, false
		}
		k, ok := compoundKey(parts[len(parts)-1])
		if !ok {
			return nil, false
		}
		keys = append(keys, k)
	}
	return keys, len(keys) > 0
}

// splitTop splits s at sep outside brackets, parentheses and quotes; with
// combinators, at white space and the combinators > + ~ instead, dropping
// empty parts.
func splitTop(s string, sep byte, combinators bool) []string {
	var parts []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case depth == 0 && (!combinators && c == sep ||
			combinators && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '>' || c == '+' || c == '~')):
			if p := s[start:i]; p != "" {
				parts = append(parts, p)
			}
			start = i + 1
		}
	}
	if p := s[start:]; p != "" {
		parts = append(parts, p)
	}
	return parts
}

// compoundKey reads a compound selector (tag, #id, .class, [attr], :pseudo
// and :pseudo(…)) and returns its id, else its first class, else its tag.
func compoundKey(c string) (selKey, bool) {
	i := identEnd(c, 0)
	tag := asciiLower(c[:i]) // the engine lowers tag names, ASCII only
	class := ""
	for i < len(c) {
		switch c[i] {
		case '#', '.':
			j := identEnd(c, i+1)
			if j == i+1 {
				return selKey{}, false
			}
			if c[i] == '#' {
				return selKey{'#', c[i+1 : j]}, true
			}
			if class == "" {
				class = c[i+1 : j]
			}
			i = j
		case '[':
			j, ok := skipGroup(c, i)
			if !ok {
				return selKey{}, false
			}
			i = j
		case ':':
			j := i + 1
			for j < len(c) && c[j] == ':' {
				j++
			}
			if j = identEnd(c, j); j < len(c) && c[j] == '(' {
				var ok bool
				if j, ok = skipGroup(c, j); !ok {
					return selKey{}, false
				}
			}
			i = j
		default:
			return selKey{}, false
		}
	}
	switch {
	case class != "":
		return selKey{'.', class}, true
	case tag != "":
		return selKey{'t', tag}, true
	}
	return selKey{}, false
}

// skipGroup returns the index after the bracket or parenthesis opened at
// c[i] is closed; false when it is not.
func skipGroup(c string, i int) (int, bool) {
	depth := 0
	var quote byte
	for j := i; j < len(c); j++ {
		ch := c[j]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
			continue
		case ch == '"' || ch == '\'':
			quote = ch
			continue
		case ch == '(' || ch == '[':
			depth++
		case ch == ')' || ch == ']':
			depth--
		}
		if depth == 0 {
			return j + 1, true
		}
	}
	return 0, false
}

// identEnd returns the end of the CSS identifier starting at i (ASCII
// letters, digits, '-', '_' and any non-ASCII byte).
func identEnd(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80 {
			i++
			continue
		}
		break
	}
	return i
}
