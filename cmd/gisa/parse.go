package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/parser"
)

// cmdParse implements `gisa parse`: one page in, its Article as JSON out.
func cmdParse(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gisa parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logFlags := addLogFlags(fs, "warn") // every command takes them; this one does not log
	var profileFiles multiFlag
	fs.Var(&profileFiles, "profiles", "a YAML file of outlet profiles to add or override (repeatable)")
	pageURL := fs.String("url", "", "the URL the page was fetched from (picks the outlet profile, resolves links)")
	outlet := fs.String("outlet", "", "parse with this outlet profile instead of picking one by URL")
	contentType := fs.String("content-type", "", "the HTTP Content-Type the page was served with (its charset wins over the page's own)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gisa parse [--url URL] [--outlet ID] [--content-type TYPE] FILE|-")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if _, err := logFlags.logger(io.Discard); err != nil {
		fmt.Fprintf(stderr, "gisa parse: %v\n", err)
		return exitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	defer oneShotGC(os.Getenv)()
	name := fs.Arg(0)
	body, err := readInput(name, stdin, parser.DefaultMaxBytes)
	if err != nil {
		fmt.Fprintf(stderr, "gisa parse: %v\n", err)
		return exitFailure
	}
	profiles, err := loadProfiles(profileFiles)
	if err != nil {
		fmt.Fprintf(stderr, "gisa parse: %v\n", err)
		return exitFailure
	}
	p, err := parser.New(parser.Options{Profiles: profiles})
	if err != nil {
		fmt.Fprintf(stderr, "gisa parse: %v\n", err)
		return exitFailure
	}
	a, err := p.Parse(article.Page{URL: *pageURL, Outlet: *outlet, ContentType: *contentType, Body: body})
	if err != nil {
		fmt.Fprintf(stderr, "gisa parse: %s: %v\n", name, err)
		if errors.Is(err, parser.ErrNotArticle) {
			return exitNotArticle
		}
		return exitFailure
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a); err != nil {
		fmt.Fprintf(stderr, "gisa parse: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// readInput reads a file (or standard input for "-"), refusing more than
// limit bytes.
func readInput(name string, stdin io.Reader, limit int) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = stdin
		name = "standard input"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, fmt.Errorf("%s is a directory", name)
		}
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > limit {
		return nil, fmt.Errorf("%s: %w: more than %d bytes", name, parser.ErrTooLarge, limit)
	}
	return b, nil
}
