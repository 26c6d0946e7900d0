package parser

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// flattenDepth is the nesting flattenDeep leaves, well under the 512 open
// elements html.Parse accepts.
const flattenDepth = 256

// flattenDeep rewrites page so that no element opens deeper than
// flattenDepth, counting the elements whose end tag is required: the start
// tags past that depth (a block's replaced by a <br>, so that its text
// stays a line of its own), and as many end tags after them, are left
// out, and everything else (text, scripts, comments, void and self-closing
// tags) is kept byte for byte. It is the fallback for a page html.Parse
// refuses.
func flattenDeep(page []byte) []byte {
	z := html.NewTokenizer(bytes.NewReader(page))
	var out bytes.Buffer
	out.Grow(len(page))
	depth, extra := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out.Bytes()
		case html.StartTagToken:
			name, _ := z.TagName()
			if a := atom.Lookup(name); !optionalEnd(a) {
				if depth >= flattenDepth {
					extra++
					if blockAtom(a) {
						out.WriteString("<br>") // the lines of the boxes left out stay apart
					}
					continue
				}
				depth++
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if a := atom.Lookup(name); !optionalEnd(a) {
				if extra > 0 {
					extra--
					continue
				}
				depth = max(depth-1, 0)
			}
		}
		out.Write(z.Raw())
	}
}

// optionalEnd reports the elements that do not nest by their start tags
// alone: void elements, and those the parser closes when the next one
// opens (p, li, td …).
func optionalEnd(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link,
		atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr,
		atom.P, atom.Li, atom.Dt, atom.Dd, atom.Tr, atom.Td, atom.Th, atom.Option, atom.Optgroup,
		atom.Tbody, atom.Thead, atom.Tfoot, atom.Colgroup, atom.Rb, atom.Rt, atom.Rtc, atom.Rp,
		atom.Html, atom.Head, atom.Body:
		return true
	}
	return false
}

// blockAtom reports the elements that start a line of their own.
func blockAtom(a atom.Atom) bool {
	switch a {
	case atom.Div, atom.Section, atom.Article, atom.Aside, atom.Nav, atom.Header, atom.Footer, atom.Main,
		atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Blockquote, atom.Figure, atom.Pre, atom.Address, atom.Form,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}
