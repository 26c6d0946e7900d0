package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/eval"
	"github.com/gisa-news/gisa/parser"
)

// cmdEval implements `gisa eval`: parse every page of one or more corpora
// and print the scores against their truth, as a table or as JSON (an array
// with one report per DIR, in the order given). Flags may come before or
// after the DIRs; "--" ends them.
func cmdEval(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gisa eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logFlags := addLogFlags(fs, "warn") // every command takes them; this one does not log
	var profileFiles multiFlag
	fs.Var(&profileFiles, "profiles", "a YAML file of outlet profiles to add or override (repeatable)")
	asJSON := fs.Bool("json", false, "print the reports as JSON (an array, one per DIR)")
	verbose := fs.Bool("v", false, "list every page's misses after the table")
	outlet := fs.String("outlet", "", "parse every page with this outlet profile instead of picking one by URL")
	noProfiles := fs.Bool("no-profiles", false, "use no outlet profile: the generic layers alone, as an unseen or redesigned outlet gets them")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gisa eval [--json] [-v] [--outlet ID | --no-profiles] DIR...")
		fmt.Fprintln(stderr, "DIR holds html/NAME.html and truth/NAME.json, and optionally manifest.tsv.")
		fs.PrintDefaults()
	}
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	if _, err := logFlags.logger(io.Discard); err != nil {
		fmt.Fprintf(stderr, "gisa eval: %v\n", err)
		return exitUsage
	}
	if len(dirs) == 0 {
		fmt.Fprintln(stderr, "gisa eval: no DIR given")
		fs.Usage()
		return exitUsage
	}

	if *noProfiles && (*outlet != "" || len(profileFiles) > 0) {
		fmt.Fprintln(stderr, "gisa eval: --no-profiles cannot be combined with --outlet or --profiles")
		fs.Usage()
		return exitUsage
	}

	mode := eval.ModeProfiles
	var profiles *parser.Profiles
	if *noProfiles {
		mode = eval.ModeNoProfiles
		profiles, err = parser.NewProfiles() // an empty set: no outlet is ever matched
	} else {
		profiles, err = loadProfiles(profileFiles)
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
	if *outlet != "" {
		parse = func(page article.Page) (article.Article, error) {
			page.Outlet = *outlet
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
	if *asJSON {
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
			if r.Mode == eval.ModeNoProfiles {
				out.WriteString(" with no outlet profiles")
			}
			out.WriteByte('\n')
			_ = r.WriteTable(&out) // a bytes.Buffer does not fail
			if *verbose {
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

// parseInterspersed parses args with fs, letting flags follow the positional
// arguments (which it returns); after "--" everything is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
