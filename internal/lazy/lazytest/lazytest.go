// Package lazytest checks that loading a package builds none of its lazy
// values.
package lazytest

import (
	"os"
	"os/exec"
	"sort"
	"testing"

	"github.com/gisa-news/gisa/internal/lazy"
)

// Builder is a lazy value (lazy.Value, lazy.Regexp).
type Builder interface{ Built() bool }

const env = "GISA_LAZY_AT_START"

// NotBuiltAtStart checks, in a fresh run of the test binary that runs only
// the calling test, that none of vals is built: a process that never uses
// them (gisa version, a one-page gisa parse) pays nothing for them. The
// calling test must be a top-level test named test.
func NotBuiltAtStart(t *testing.T, test string, vals map[string]Builder) {
	t.Helper()
	if os.Getenv(env) == "1" {
		names := make([]string, 0, len(vals))
		for n := range vals {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if vals[n].Built() {
				t.Errorf("%s is built at start", n)
			}
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

// Regexps checks a package's lazy patterns: each compiles (a bad one
// would otherwise panic only when first used), and, as NotBuiltAtStart,
// none is compiled by loading the package.
func Regexps(t *testing.T, test string, res map[string]*lazy.Regexp) {
	t.Helper()
	vals := make(map[string]Builder, len(res))
	for name, re := range res {
		if err := re.Compile(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		vals[name] = re
	}
	NotBuiltAtStart(t, test, vals)
}
