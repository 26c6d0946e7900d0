// Package lazy holds package-level values built on their first use instead
// of at program start: compiled regular expressions, templates, tables. A
// gisa process loads every package (one binary), so a value built in a
// package's init is paid by every command, even `gisa version` and a
// one-page `gisa parse`; together they pushed the heap past the first
// garbage-collection trigger during start-up.
package lazy

import (
	"regexp"
	"sync"
	"sync/atomic"
)

// Value is a value built by a function on the first Get. It is safe for
// concurrent use; the function runs once.
type Value[T any] struct {
	once  sync.Once
	build func() T
	v     T
	built atomic.Bool
}

// New returns a Value built by build on its first Get.
func New[T any](build func() T) *Value[T] { return &Value[T]{build: build} }

// Get returns the value, building it on the first call.
func (l *Value[T]) Get() T {
	l.once.Do(func() {
		l.v = l.build()
		l.built.Store(true)
	})
	return l.v
}

// Built reports whether the value has been built (for tests that check
// that loading a package builds nothing).
func (l *Value[T]) Built() bool { return l.built.Load() }

// Regexp is a regular expression compiled on its first use, with the
// methods of *regexp.Regexp that gisa calls, so that a package-level
// `regexp.MustCompile` becomes lazy by changing its declaration only. The
// pattern must be a constant: a bad one panics on first use, so each
// package's tests compile all of theirs (see Regexp.Compile). It is safe
// for concurrent use.
type Regexp struct {
	v *Value[*regexp.Regexp]
	// Src is the pattern.
	Src string
}

// NewRegexp returns the lazily compiled expression src.
func NewRegexp(src string) *Regexp {
	return &Regexp{Src: src, v: New(func() *regexp.Regexp { return regexp.MustCompile(src) })}
}

// Compile checks the pattern without compiling it for use (tests).
func (l *Regexp) Compile() error {
	_, err := regexp.Compile(l.Src)
	return err
}

// Built reports whether the expression has been compiled.
func (l *Regexp) Built() bool { return l.v.Built() }

// Get returns the compiled expression.
func (l *Regexp) Get() *regexp.Regexp { return l.v.Get() }

func (l *Regexp) MatchString(s string) bool { return l.Get().MatchString(s) }

func (l *Regexp) Match(b []byte) bool { return l.Get().Match(b) }

func (l *Regexp) FindStringSubmatch(s string) []string { return l.Get().FindStringSubmatch(s) }

func (l *Regexp) FindSubmatch(b []byte) [][]byte { return l.Get().FindSubmatch(b) }

func (l *Regexp) FindString(s string) string { return l.Get().FindString(s) }

func (l *Regexp) FindStringIndex(s string) []int { return l.Get().FindStringIndex(s) }

func (l *Regexp) FindStringSubmatchIndex(s string) []int { return l.Get().FindStringSubmatchIndex(s) }

func (l *Regexp) FindAllStringIndex(s string, n int) [][]int { return l.Get().FindAllStringIndex(s, n) }

func (l *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return l.Get().FindAllStringSubmatchIndex(s, n)
}

func (l *Regexp) ReplaceAllString(src, repl string) string {
	return l.Get().ReplaceAllString(src, repl)
}

func (l *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return l.Get().ReplaceAllStringFunc(src, repl)
}

func (l *Regexp) ReplaceAll(src, repl []byte) []byte { return l.Get().ReplaceAll(src, repl) }
