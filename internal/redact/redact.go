// Package redact keeps credentials out of what gisa prints: URLs named in
// logs and error messages lose the password of their user information.
package redact

import "strings"

// URL returns raw with the password of its user information replaced by
// "xxxxx" (the whole user information when it has no password, as it may
// be a token). It works on the text, so raw need not parse: a URL that
// url.Parse refuses is masked as well.
func URL(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		return raw
	}
	start := i + 3
	end := len(raw)
	if j := strings.IndexAny(raw[start:], "/?#"); j >= 0 {
		end = start + j
	}
	at := strings.LastIndexByte(raw[start:end], '@')
	if at < 0 {
		return raw
	}
	info := raw[start : start+at]
	if user, _, ok := strings.Cut(info, ":"); ok {
		info = user + ":xxxxx"
	} else {
		info = "xxxxx"
	}
	return raw[:start] + info + raw[start+at:]
}
