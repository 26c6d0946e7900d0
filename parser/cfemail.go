package parser

import (
	"encoding/hex"
	"strings"

	"golang.org/x/net/html"
)

// decodeCFEmail restores an e-mail address Cloudflare's address
// obfuscation hid in n, as the script it adds does in the reader's
// browser: an element with the address XOR-coded in data-cfemail, served
// as "[email protected]", shows the address; a link to
// /cdn-cgi/l/email-protection with the code after "#" becomes a mailto
// link, its text unchanged unless it is that placeholder. Bylines then
// read the address as the reader sees it.
func decodeCFEmail(n *html.Node) {
	data, hash, link := "", "", false
	for _, a := range n.Attr {
		switch {
		case a.Key == "data-cfemail":
			data = a.Val
		case a.Key == "href" && strings.Contains(a.Val, "/cdn-cgi/l/email-protection"):
			link = true
			_, hash, _ = strings.Cut(a.Val, "#")
		}
	}
	if data == "" && hash == "" {
		return
	}
	addr := cfDecode(data)
	if addr == "" {
		addr = cfDecode(hash)
	}
	if addr == "" {
		return
	}
	if data != "" || cfPlaceholder(n) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			n.RemoveChild(c)
			c = next
		}
		n.AppendChild(&html.Node{Type: html.TextNode, Data: addr})
	}
	if link {
		for i := range n.Attr {
			if n.Attr[i].Key == "href" {
				n.Attr[i].Val = "mailto:" + addr
			}
		}
	}
}

// cfPlaceholder reports whether n's text is the obfuscation's
// "[email protected]".
func cfPlaceholder(n *html.Node) bool {
	t := strings.ToLower(textAll(n))
	return strings.Contains(t, "email") && strings.Contains(t, "protected")
}

// cfDecode decodes a data-cfemail value: hex bytes, the first the key the
// others are XORed with. "" when the result is not an e-mail address.
func cfDecode(code string) string {
	b, err := hex.DecodeString(strings.TrimSpace(code))
	if err != nil || len(b) < 6 || len(b) > 255 {
		return ""
	}
	out := make([]byte, len(b)-1)
	for i := range out {
		out[i] = b[i+1] ^ b[0]
	}
	addr := string(out)
	if emailRe.FindString(addr) != addr {
		return ""
	}
	return addr
}
