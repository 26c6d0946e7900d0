// Package parser turns a fetched page into an article.Article. It does no
// network or file I/O: Parse(page) is the whole contract.
//
// Fields come from layers, each field from the best layer that has it: the
// outlet profile, JSON-LD, meta tags, embedded app JSON, the byline text and
// a generic main-content extractor. Which layer gave each field is recorded
// in Article.Extraction.Sources.
package parser

import (
	"errors"
	"maps"
)

// ErrNotArticle means the page is not an article (an index or error page, or
// one with no body). Crawlers skip such pages; they are not failures.
var ErrNotArticle = errors.New("not an article")

// ErrTooLarge means the page is larger than the parser's input cap.
var ErrTooLarge = errors.New("page too large")

// Version is the version of gisa's extraction, written into every record
// (Article.ParserVersion) so that an archive tells which records a newer
// parser would make differently. It is bumped whenever a change to the
// parser or its profiles changes what is extracted; gisa's own version
// (crawler.Version, in the User-Agent and the WARC files) is this one.
const Version = "0.6"

// DefaultMaxBytes caps the input Parse accepts (after decoding).
const DefaultMaxBytes = 16 << 20

// Options configure a Parser. The zero value is ready to use: built-in
// profiles and DefaultMaxBytes.
type Options struct {
	// Profiles are the outlet profiles to use; nil means the built-in ones.
	Profiles *Profiles
	// MaxBytes caps the page size; 0 means DefaultMaxBytes.
	MaxBytes int
	// Hooks are Go code per outlet, keyed by profile ID, run after the
	// layers and the profile on that outlet's pages (see Hook). Every key
	// must name one of the Profiles.
	Hooks map[string]Hook
}

// Parser turns pages into articles. It is safe for concurrent use.
type Parser struct {
	profiles *Profiles
	maxBytes int
	hooks    map[string]Hook
}

// New returns a Parser for opts.
func New(opts Options) (*Parser, error) {
	p := &Parser{profiles: opts.Profiles, maxBytes: opts.MaxBytes}
	if p.maxBytes <= 0 {
		p.maxBytes = DefaultMaxBytes
	}
	if p.profiles == nil {
		var err error
		if p.profiles, err = Builtin(); err != nil {
			return nil, err
		}
	}
	if err := checkHooks(opts.Hooks, p.profiles); err != nil {
		return nil, err
	}
	if len(opts.Hooks) > 0 {
		p.hooks = maps.Clone(opts.Hooks)
	}
	return p, nil
}
