package parser

import (
	"encoding/json"
	"strings"
)

// Nuxt 2 writes its state as a function call that shares repeated values
// through parameters:
//
//	window.__NUXT__=(function(a,b){return {data:[{title:"…",body:a}]}}("…",b))
//
// decodeNuxtCall reads that form: the object the function returns, a
// JavaScript literal (unquoted keys, '…' strings, undefined), with each
// parameter replaced by its argument. Statements before the return are
// skipped, not run.
func decodeNuxtCall(s string) (any, bool) {
	i := strings.Index(s, "function(")
	if i < 0 || i > 40 {
		return nil, false
	}
	s = s[i+len("function("):]
	end := strings.IndexByte(s, ')')
	if end < 0 {
		return nil, false
	}
	var params []string
	for _, p := range strings.Split(s[:end], ",") {
		if p = strings.TrimSpace(p); p != "" {
			params = append(params, p)
		}
	}
	s = s[end+1:]
	ret := strings.Index(s, "return")
	if ret < 0 {
		return nil, false
	}
	p := &jsParser{s: s, i: ret + len("return")}
	body, ok := p.value(0)
	if !ok {
		return nil, false
	}
	// The function's closing brace, then its arguments.
	p.space()
	if !p.eat('}') {
		return nil, false
	}
	p.space()
	p.eat(')') // "(function(){…})(…)" as well as "(function(){…}(…))"
	p.space()
	args := map[string]any{}
	if p.eat('(') {
		for n := 0; ; n++ {
			p.space()
			if p.eat(')') {
				break
			}
			v, ok := p.value(0)
			if !ok {
				return nil, false
			}
			if n < len(params) {
				args[params[n]] = v
			}
			p.space()
			if !p.eat(',') {
				p.space()
				if !p.eat(')') {
					return nil, false
				}
				break
			}
		}
	}
	return bindIdents(body, args, 0), true
}

// jsIdent is an identifier in a JavaScript literal, bound later.
type jsIdent string

// bindIdents replaces the identifiers in v by their values (null when
// unbound).
func bindIdents(v any, args map[string]any, depth int) any {
	if depth > maxStateDepth {
		return nil
	}
	switch x := v.(type) {
	case jsIdent:
		return args[string(x)]
	case map[string]any:
		for k, e := range x {
			x[k] = bindIdents(e, args, depth+1)
		}
	case []any:
		for i, e := range x {
			x[i] = bindIdents(e, args, depth+1)
		}
	}
	return v
}

// jsParser reads JavaScript object, array and scalar literals.
type jsParser struct {
	s     string
	i     int
	nodes int
}

func (p *jsParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func (p *jsParser) ident() string {
	start := p.i
	for p.i < len(p.s) && isIdentByte(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// str reads a string literal at p.i.
func (p *jsParser) str() (string, bool) {
	q := p.s[p.i]
	j := p.i + 1
	for j < len(p.s) && p.s[j] != q {
		if p.s[j] == '\\' {
			j++
		}
		j++
	}
	if j >= len(p.s) {
		return "", false
	}
	v, ok := jsString(p.s[p.i : j+1])
	p.i = j + 1
	return v, ok
}

func (p *jsParser) value(depth int) (any, bool) {
	p.nodes++
	if depth > maxStateDepth || p.nodes > maxStateNodes {
		return nil, false
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		m := map[string]any{}
		for {
			p.space()
			if p.eat('}') {
				return m, true
			}
			var key string
			switch {
			case p.i < len(p.s) && (p.s[p.i] == '"' || p.s[p.i] == '\''):
				k, ok := p.str()
				if !ok {
					return nil, false
				}
				key = k
			default:
				key = p.ident()
				if key == "" {
					return nil, false
				}
			}
			p.space()
			if !p.eat(':') {
				return nil, false
			}
			v, ok := p.value(depth + 1)
			if !ok {
				return nil, false
			}
			m[key] = v
			p.space()
			if !p.eat(',') {
				p.space()
				if !p.eat('}') {
					return nil, false
				}
				return m, true
			}
		}
	case c == '[':
		p.i++
		var l []any
		for {
			p.space()
			if p.eat(']') {
				return l, true
			}
			v, ok := p.value(depth + 1)
			if !ok {
				return nil, false
			}
			l = append(l, v)
			p.space()
			if !p.eat(',') {
				p.space()
				if !p.eat(']') {
					return nil, false
				}
				return l, true
			}
		}
	case c == '"' || c == '\'':
		return p.str()
	case c == '!': // !0, !1: Nuxt's booleans
		p.i++
		v, ok := p.value(depth + 1)
		n, num := v.(json.Number)
		return num && n == "0", ok
	case c == '-' || c == '.' || c >= '0' && c <= '9':
		start := p.i
		p.i++
		for p.i < len(p.s) && (isIdentByte(p.s[p.i]) || p.s[p.i] == '.' || (p.s[p.i] == '-' || p.s[p.i] == '+') && (p.s[p.i-1] == 'e' || p.s[p.i-1] == 'E')) {
			p.i++
		}
		n := json.Number(p.s[start:p.i])
		if _, err := n.Float64(); err != nil {
			return nil, false
		}
		return n, true
	case isIdentByte(c):
		switch id := p.ident(); id {
		case "true":
			return true, true
		case "false":
			return false, true
		case "null", "undefined":
			return nil, true
		case "void":
			p.space()
			p.ident() // void 0
			return nil, true
		default:
			return jsIdent(id), true
		}
	}
	return nil, false
}
