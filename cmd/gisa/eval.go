package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/eval"
	"github.com/gisa-news/gisa/parser"
)

// evalFlags are gisa eval's flags.
type evalFlags struct {
	profiles                          []string
	json, verbose, noProfiles, opaque bool
	outlet                            string
}

func (f *evalFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.profiles, "profiles", nil, "a YAML `file` of outlet profiles to add or override (repeatable)")
	fs.BoolVar(&f.json, "json", false, "print the reports as JSON (an array, one per DIR)")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "list every page's misses after the table (also --v)")
	fs.StringVar(&f.outlet, "outlet", "", "parse every page with this outlet profile `ID` instead of picking one by URL")
	fs.BoolVar(&f.noProfiles, "no-profiles", false, "use no outlet profile: the generic layers alone, as an unseen or redesigned outlet gets them")
	fs.BoolVar(&f.opaque, "opaque-names", false, "as --no-profiles, on pages whose class and id values are replaced by opaque tokens: the generic layers with no names to go by")
	fs.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if name == "v" { // the flag's name before it had a long one
			name = "verbose"
		}
		return pflag.NormalizedName(name)
	})
}

// evalUsage is the usage line gisa eval prints with a usage error.
const evalUsage = "usage: gisa eval [--json] [-v] [--outlet ID | --no-profiles | --opaque-names] DIR...\nDIR holds html/NAME.html and truth/NAME.json, and optionally manifest.tsv."

// cmdEval implements `gisa eval`: parse every page of one or more corpora
// (dirs) and print the scores against their truth, as a table or as JSON
// (an array with one report per DIR, in the order given).
func cmdEval(f *evalFlags, lf *logFlags, dirs []string, stdout, stderr io.Writer) int {
	if _, err := lf.logger(io.Discard, "warn"); err != nil {
		fmt.Fprintf(stderr, "gisa eval: %v\n", err)
		return exitUsage
	}
	if len(dirs) == 0 {
		fmt.Fprintf(stderr, "gisa eval: no DIR given\n%s\n", evalUsage)
		return exitUsage
	}

	for _, c := range []struct {
		on   bool
		name string
	}{{f.noProfiles, "--no-profiles"}, {f.opaque, "--opaque-names"}} {
		if c.on && (f.outlet != "" || len(f.profiles) > 0) {
			fmt.Fprintf(stderr, "gisa eval: %s cannot be combined with --outlet or --profiles\n%s\n", c.name, evalUsage)
			return exitUsage
		}
	}

	mode := eval.ModeProfiles
	var (
		profiles *parser.Profiles
		err      error
	)
	if f.noProfiles || f.opaque {
		mode = eval.ModeNoProfiles
		if f.opaque {
			mode = eval.ModeOpaqueNames
		}
		profiles, err = parser.NewProfiles() // an empty set: no outlet is ever matched
	} else if profiles, err = loadProfiles(f.profiles); err != nil {
		fmt.Fprintf(stderr, "gisa eval: %v\n", err)
		return exitUsage // a --profiles file that does not load
	}
	if err != nil {
		fmt.Fprintf(stderr, "gisa eval: %v\n", err)
		return exitFailure
	}
	p, err := parser.New(parser.Options{Profiles: profiles})
	if err != nil {
		fmt.Fprintf(stderr, "gisa eval: %v\n", err)
		return exitFailure
	}
	parse := p.Parse
	switch {
	case f.outlet != "":
		parse = func(page article.Page) (article.Article, error) {
			page.Outlet = f.outlet
			return p.Parse(page)
		}
	case f.opaque:
		parse = func(page article.Page) (article.Article, error) {
			page.Body = eval.OpaqueNames(page.Body)
			return p.Parse(page)
		}
	}

	// Every corpus is read before anything is printed, so a bad DIR leaves
	// no partial output behind.
	reports := make([]*eval.Report, 0, len(dirs))
	failed := false
	for _, dir := range dirs {
		r, err := eval.Run(dir, parse)
		if err != nil {
			fmt.Fprintf(stderr, "gisa eval: %v\n", err) // names dir
			failed = true
			continue
		}
		r.Mode = mode
		reports = append(reports, r)
	}
	if failed {
		return exitFailure
	}

	var out bytes.Buffer
	if f.json {
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			fmt.Fprintf(stderr, "gisa eval: %v\n", err)
			return exitFailure
		}
	} else {
		for i, r := range reports {
			if i > 0 {
				out.WriteByte('\n')
			}
			fmt.Fprintf(&out, "%s (%d pages)", r.Dir, r.Overall.Pages)
			switch r.Mode {
			case eval.ModeNoProfiles:
				out.WriteString(" with no outlet profiles")
			case eval.ModeOpaqueNames:
				out.WriteString(" with no outlet profiles and opaque class and id names")
			}
			out.WriteByte('\n')
			_ = r.WriteTable(&out) // a bytes.Buffer does not fail
			if f.verbose {
				out.WriteString("\nmisses:\n")
				_ = r.WriteMisses(&out)
			}
		}
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "gisa eval: %v\n", err)
		return exitFailure
	}
	return exitOK
}
