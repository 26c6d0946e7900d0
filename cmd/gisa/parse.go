package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/gcpolicy"
	"github.com/gisa-news/gisa/parser"
)

// parseFlags are gisa parse's flags.
type parseFlags struct {
	profiles                 []string
	url, outlet, contentType string
}

func (f *parseFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.profiles, "profiles", nil, "a YAML `file` of outlet profiles to add or override (repeatable)")
	fs.StringVar(&f.url, "url", "", "the `URL` the page was fetched from (picks the outlet profile, resolves links)")
	fs.StringVar(&f.outlet, "outlet", "", "parse with this outlet profile `ID` instead of picking one by URL")
	fs.StringVar(&f.contentType, "content-type", "", "the HTTP Content-Type the page was served with (its charset wins over the page's own)")
}

// cmdParse implements `gisa parse`: one page (args: FILE or -) in, its
// Article as JSON out.
func cmdParse(f *parseFlags, lf *logFlags, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if _, err := lf.logger(io.Discard, "warn"); err != nil {
		fmt.Fprintf(stderr, "gisa parse: %v\n", err)
		return exitUsage
	}
	if len(args) != 1 {
		fmt.Fprintf(stderr, "usage: gisa parse [--url URL] [--outlet ID] [--content-type TYPE] FILE|-\ngisa parse: want one FILE or -, got %d arguments %q\n", len(args), args)
		return exitUsage
	}
	defer gcpolicy.OneShot.Set(os.Getenv)()
	name := args[0]
	body, err := readInput(name, stdin, parser.DefaultMaxBytes)
	if err != nil {
		fmt.Fprintf(stderr, "gisa parse: %v\n", err)
		return exitFailure
	}
	profiles, err := loadProfiles(f.profiles)
	if err != nil {
		fmt.Fprintf(stderr, "gisa parse: %v\n", err)
		return exitUsage
	}
	p, err := parser.New(parser.Options{Profiles: profiles})
	if err != nil {
		fmt.Fprintf(stderr, "gisa parse: %v\n", err)
		return exitFailure
	}
	a, err := p.Parse(article.Page{URL: f.url, Outlet: f.outlet, ContentType: f.contentType, Body: body})
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
