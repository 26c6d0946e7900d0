package parser

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"go.yaml.in/yaml/v3"
)

//go:embed profiles/*.yaml
var builtinFS embed.FS

// Profile is what gisa knows about one outlet: where its articles are, how to
// find them, and where each field sits on its pages. Profiles are data
// (parser/profiles/*.yaml, and users' config files); the fields below are
// their YAML keys.
type Profile struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`    // as the outlet names itself
	NameEn   string   `yaml:"name_en"` // English name
	Hosts    []string `yaml:"hosts"`   // a host also matches its subdomains
	Language string   `yaml:"language"`
	// Verified is true when the selectors were checked against real pages.
	Verified bool `yaml:"verified"`
	// Portal marks Naver/Daum style portals that carry other outlets'
	// articles ("naver", "daum").
	Portal string `yaml:"portal"`

	// ArticlePatterns are regular expressions (RE2) that accept the URLs of
	// article pages; a named group "id" (or the first group) is the outlet's
	// own article key.
	ArticlePatterns []string `yaml:"article_patterns"`

	// Discovery sources, used by the crawler.
	Feeds    []string `yaml:"feeds"`
	Sitemaps []string `yaml:"sitemaps"`
	Sections []string `yaml:"sections"`
	// Archives are date-archive URL templates for backfill, with {yyyy},
	// {mm}, {dd} and {page} placeholders.
	Archives []string `yaml:"archives"`

	// Detect is a CSS selector that identifies the outlet's pages when the
	// URL does not (saved pages, archive viewers).
	Detect string `yaml:"detect"`

	Extract Extract `yaml:"extract"`

	// Boilerplate are regular expressions for whole paragraphs that are never
	// article text on this outlet.
	Boilerplate []string `yaml:"boilerplate"`

	// compiled is set once the profile is checked; code then holds (or
	// builds on first use, see Builtin) its patterns and selectors.
	compiled bool
	lazy     *lazyCode
}

// profileCode is what a profile's patterns and selectors compile to.
type profileCode struct {
	patterns    []*regexp.Regexp
	boilerplate []*regexp.Regexp
	detect      goquery.Matcher
	sel         compiledExtract
	// keys are the ids, classes and tags the page walk files for the
	// selectors of sel (drop excepted: it runs inside the body only); nil
	// when there are none.
	keys  *keySet
	match map[string]*regexp.Regexp
}

// lazyCode holds a profile's code, built once, on first use when it was not
// built when the profile was loaded. It is safe for concurrent use.
type lazyCode struct {
	once sync.Once
	code *profileCode
}

// noCode is the code of a profile that was never compiled (a Profile value
// not loaded through NewProfiles or DecodeProfiles): no patterns, no
// selectors. It is never written.
var noCode = &profileCode{}

// code returns the profile's compiled patterns and selectors, building them
// on the first call for a built-in profile. The built-in profiles are
// compiled by the tests (TestBuiltinGenerated decodes and compiles every
// one), so building them cannot fail; if it did, that is a bug in gisa's
// own data, and code panics naming the profile.
func (p *Profile) code() *profileCode {
	l := p.lazy
	if l == nil {
		return noCode
	}
	l.once.Do(func() {
		if l.code != nil {
			return
		}
		c, err := p.build()
		if err != nil {
			panic(fmt.Sprintf("built-in profile %s: %v", p.ID, err))
		}
		l.code = c
	})
	return l.code
}

// Extract holds a profile's extraction overrides. Each entry is a list of CSS
// selectors tried in order; "SELECTOR@attr" reads an attribute instead of the
// text. A selector that matches nothing falls through to the layers below.
type Extract struct {
	Title     []string `yaml:"title"`
	Subtitle  []string `yaml:"subtitle"`
	Body      []string `yaml:"body"`
	Byline    []string `yaml:"byline"`
	Published []string `yaml:"published"`
	Updated   []string `yaml:"updated"`
	// Dates are elements whose text carries labeled times (입력 …, 수정 …).
	Dates   []string `yaml:"dates"`
	Section []string `yaml:"section"`
	Related []string `yaml:"related"`
	// Outlet is the press name where the profile's own name is not it:
	// portals, shared-CMS profiles, archive viewers.
	Outlet []string `yaml:"outlet"`
	// Original is the link to the outlet's own copy, on portals (기사원문).
	Original []string `yaml:"original"`
	// Drop are elements removed from the body before its text is read.
	Drop []string `yaml:"drop"`
	// Breaks says how a single <br> splits body text: "paragraph" (default)
	// or "space".
	Breaks string `yaml:"breaks"`
	// Match narrows a field's selected text with a regular expression, per
	// field name (title, subtitle, byline, published, updated, dates,
	// section, outlet, original): the first group, or the whole match, is
	// kept; a value that does not match is dropped.
	Match map[string]string `yaml:"match"`
}

type selector struct {
	sel  goquery.Matcher
	attr string
	src  string
	// keys are what an element needs to match (see selindex.go); nil
	// when the selector must be run over the whole document.
	keys []selKey
}

type compiledExtract struct {
	title, subtitle, body, byline, published, updated, dates, section, related, outlet, original, drop []selector
}

// Profiles is a set of outlet profiles, looked up by ID or by host. It is
// read-only once built and safe for concurrent use.
type Profiles struct {
	list   []*Profile
	byID   map[string]*Profile
	byHost map[string]*Profile
}

// Builtin returns the profiles built into gisa. They are written in
// profiles/*.yaml and loaded from Go data generated from those files
// (builtin_profiles.go), so that starting a process decodes no YAML.
//
// Their patterns and selectors are compiled on first use, per profile: a
// process that parses one page compiles one profile, not all of them
// (compiling them all was a third of a one-page gisa parse). The tests
// compile every one, so none can fail at that point.
func Builtin() (*Profiles, error) {
	ps := builtinProfiles()
	for _, p := range ps {
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("profile %s: %w", p.ID, err)
		}
		p.lazy = &lazyCode{}
		p.compiled = true
	}
	return NewProfiles(ps...)
}

// DecodeProfiles reads profiles from YAML: one profile, a list of them, or
// several documents. Unknown keys are errors. name is used in errors only.
func DecodeProfiles(name string, data []byte) ([]*Profile, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var out []*Profile
	for i := 0; ; i++ {
		var node yaml.Node
		if err := dec.Decode(&node); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("profile file %s: %w", name, err)
		}
		var ps []*Profile
		if len(node.Content) > 0 && node.Content[0].Kind == yaml.SequenceNode {
			if err := decodeStrict(&node, &ps); err != nil {
				return nil, fmt.Errorf("profile file %s: %w", name, err)
			}
		} else {
			var p Profile
			if err := decodeStrict(&node, &p); err != nil {
				return nil, fmt.Errorf("profile file %s: %w", name, err)
			}
			ps = []*Profile{&p}
		}
		for j, p := range ps {
			if err := p.compile(); err != nil {
				id := p.ID
				if id == "" {
					id = fmt.Sprintf("#%d", j+1)
				}
				return nil, fmt.Errorf("profile file %s: profile %s: %w", name, id, err)
			}
		}
		out = append(out, ps...)
	}
	return out, nil
}

// decodeStrict decodes a YAML node refusing unknown keys (Node.Decode does
// not apply the decoder's KnownFields, so re-encode through one that does).
func decodeStrict(node *yaml.Node, v any) error {
	b, err := yaml.Marshal(node)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// validID reports whether id is a profile ID: 1 to 40 lower-case ASCII
// letters, digits, '-' or '_', starting with a letter or a digit. It is the
// expression ^[a-z0-9][a-z0-9_-]{0,39}$ (TestValidID), whose forty-fold
// repetition took 80-110 µs to compile in every process that loads
// profiles.
func validID(id string) bool {
	if len(id) == 0 || len(id) > 40 || id[0] == '-' || id[0] == '_' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (p *Profile) compile() error {
	if err := p.check(); err != nil {
		return err
	}
	c, err := p.build()
	if err != nil {
		return err
	}
	p.lazy = &lazyCode{code: c}
	p.compiled = true
	return nil
}

// check validates what compiling does not (the ID, the name, the hosts and
// the field names) and normalises the hosts.
func (p *Profile) check() error {
	if !validID(p.ID) {
		return fmt.Errorf("id %q: want lower-case letters, digits, '-' or '_'", p.ID)
	}
	if p.Name == "" {
		return errors.New("name is empty")
	}
	for i, h := range p.Hosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if hh, port, err := net.SplitHostPort(h); err == nil && port != "" && strings.Trim(port, "0123456789") == "" {
			h = hh // "127.0.0.1:8080": hosts match whatever the port
		}
		if h == "" || strings.ContainsAny(h, "/:@ ") {
			return fmt.Errorf("host %q: want a bare host name", p.Hosts[i])
		}
		p.Hosts[i] = h
	}
	switch p.Extract.Breaks {
	case "", "paragraph", "space":
	default:
		return fmt.Errorf("extract.breaks %q: want paragraph or space", p.Extract.Breaks)
	}
	for field := range p.Extract.Match {
		switch field {
		case "title", "subtitle", "byline", "published", "updated", "dates", "section", "outlet", "original":
		default:
			return fmt.Errorf("extract.match: unknown field %q", field)
		}
	}
	return nil
}

// build compiles the profile's patterns and selectors.
func (p *Profile) build() (*profileCode, error) {
	c := &profileCode{}
	for _, s := range p.ArticlePatterns {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("article pattern %q: %w", s, err)
		}
		c.patterns = append(c.patterns, re)
	}
	for _, s := range p.Boilerplate {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("boilerplate %q: %w", s, err)
		}
		c.boilerplate = append(c.boilerplate, re)
	}
	if p.Detect != "" {
		s, err := compileCSS(p.Detect)
		if err != nil {
			return nil, fmt.Errorf("detect %q: %w", p.Detect, err)
		}
		c.detect = s
	}
	e := &p.Extract
	c.match = map[string]*regexp.Regexp{}
	for field, expr := range e.Match {
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("extract.match.%s %q: %w", field, expr, err)
		}
		c.match[field] = re
	}
	for _, f := range []struct {
		name string
		in   []string
		out  *[]selector
	}{
		{"title", e.Title, &c.sel.title}, {"subtitle", e.Subtitle, &c.sel.subtitle},
		{"body", e.Body, &c.sel.body}, {"byline", e.Byline, &c.sel.byline},
		{"published", e.Published, &c.sel.published}, {"updated", e.Updated, &c.sel.updated},
		{"dates", e.Dates, &c.sel.dates}, {"section", e.Section, &c.sel.section},
		{"related", e.Related, &c.sel.related}, {"outlet", e.Outlet, &c.sel.outlet},
		{"original", e.Original, &c.sel.original}, {"drop", e.Drop, &c.sel.drop},
	} {
		for _, s := range f.in {
			sel, err := compileSelector(s)
			if err != nil {
				return nil, fmt.Errorf("extract.%s: %w", f.name, err)
			}
			*f.out = append(*f.out, sel)
		}
	}
	for _, list := range [][]selector{c.sel.title, c.sel.subtitle, c.sel.body, c.sel.byline, c.sel.published,
		c.sel.updated, c.sel.dates, c.sel.section, c.sel.related, c.sel.outlet, c.sel.original} {
		for _, s := range list {
			for _, k := range s.keys {
				if c.keys == nil {
					c.keys = &keySet{}
				}
				c.keys.add(k)
			}
		}
	}
	return c, nil
}

func compileSelector(s string) (selector, error) {
	src := s
	attr := ""
	if i := strings.LastIndex(s, "@"); i > 0 && !strings.ContainsAny(s[i:], "]) ") {
		s, attr = s[:i], s[i+1:]
	}
	sel, err := compileCSS(s)
	if err != nil {
		return selector{}, fmt.Errorf("selector %q: %w", src, err)
	}
	keys, _ := selectorKeys(s)
	return selector{sel: sel, attr: attr, src: src, keys: keys}, nil
}

// compileCSS compiles a CSS selector group into a goquery matcher.
// goquery's own string selectors (Find, Is) compile the same way but turn a
// bad selector into one that silently matches nothing; compiling here
// reports it when the profile is loaded.
func compileCSS(s string) (goquery.Matcher, error) {
	m, err := cascadia.Compile(s)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// NewProfiles builds a set from profiles; a later profile with the ID of an
// earlier one replaces it (user profiles override built-in ones). Two
// different profiles claiming one host is an error.
func NewProfiles(ps ...*Profile) (*Profiles, error) {
	s := &Profiles{byID: map[string]*Profile{}, byHost: map[string]*Profile{}}
	for _, p := range ps {
		if !p.compiled {
			if err := p.compile(); err != nil {
				return nil, fmt.Errorf("profile %s: %w", p.ID, err)
			}
		}
		if old, ok := s.byID[p.ID]; ok {
			for i, q := range s.list {
				if q == old {
					s.list = append(s.list[:i], s.list[i+1:]...)
					break
				}
			}
			for _, h := range old.Hosts {
				delete(s.byHost, h)
			}
		}
		for _, h := range p.Hosts {
			if other, ok := s.byHost[h]; ok && other.ID != p.ID {
				return nil, fmt.Errorf("profile %s: host %s is already claimed by profile %s", p.ID, h, other.ID)
			}
			s.byHost[h] = p
		}
		s.byID[p.ID] = p
		s.list = append(s.list, p)
	}
	return s, nil
}

// With returns a new set: s with ps added, replacing profiles of the same ID.
func (s *Profiles) With(ps ...*Profile) (*Profiles, error) {
	return NewProfiles(append(append([]*Profile(nil), s.list...), ps...)...)
}

// All returns the profiles in load order.
func (s *Profiles) All() []*Profile { return append([]*Profile(nil), s.list...) }

// ByID returns the profile with id, or nil.
func (s *Profiles) ByID(id string) *Profile { return s.byID[id] }

// ForURL returns the profile whose hosts include the URL's host (or a parent
// domain of it), or nil.
func (s *Profiles) ForURL(raw string) *Profile {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return nil
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	for h := host; h != ""; {
		if p, ok := s.byHost[h]; ok {
			return p
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return nil
}

// forDocument returns the first profile whose Detect selector matches doc.
func (s *Profiles) forDocument(doc *goquery.Document) *Profile {
	for _, p := range s.list {
		if p.Detect == "" {
			continue
		}
		if d := p.code().detect; d != nil && len(doc.FindMatcher(goquery.SingleMatcher(d)).Nodes) > 0 {
			return p
		}
	}
	return nil
}

// IsArticleURL reports whether u is an article URL of the profile.
func (p *Profile) IsArticleURL(u string) bool {
	for _, re := range p.code().patterns {
		if re.MatchString(u) {
			return true
		}
	}
	return false
}

// ArticleKey returns the outlet's own article key from an article URL: the
// "id" group of the first matching pattern (or its first group). "" when no
// pattern matches.
func (p *Profile) ArticleKey(u string) string {
	if p.Portal != "" {
		// Portal URLs come in path and query forms; the codes are the key.
		if press, code := portalCodes(p.Portal, u); code != "" {
			if press != "" {
				return press + "-" + code
			}
			return code
		}
	}
	for _, re := range p.code().patterns {
		m := re.FindStringSubmatch(u)
		if m == nil {
			continue
		}
		if i := re.SubexpIndex("id"); i > 0 && m[i] != "" {
			return m[i]
		}
		for _, g := range m[1:] {
			if g != "" {
				return g
			}
		}
		return path.Base(strings.TrimSuffix(m[0], "/"))
	}
	return ""
}
