// Command gisa discovers, fetches, parses and archives Korean news articles.
//
//	gisa crawl [OUTLET...] [--config FILE] ...     crawl outlets into ./archive
//	gisa reparse [--out DIR|s3://…] ...            re-extract articles from the kept raw pages
//	gisa reindex [--out DIR|s3://…]                rebuild the archive's catalog
//	gisa stats [--out DIR|s3://…] [--json]         counts, sizes, extraction health
//	gisa export --format F [filters] DEST          the archive as JSONL, CSV or Parquet
//	gisa parse [--url URL] [--outlet ID] FILE|-   print one page's article as JSON
//	gisa eval [--json] [-v] [--outlet ID] DIR...   measure the parser on a corpus
//	gisa sites [show ID]                           list the outlet profiles
//	gisa serve --config FILE [--listen ADDR]       crawl on schedules, serve metrics and status
//	gisa config check [--config FILE]              validate a config
//
// It is the only place that reads flags, the environment and config files,
// and the only one that turns errors into exit codes.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit codes.
const (
	exitOK         = 0
	exitFailure    = 1
	exitUsage      = 2
	exitNotArticle = 3 // gisa parse: the page is not an article
)

const usage = `gisa — a Korean news scraper and archiver

Usage:
  gisa crawl [OUTLET...] [--config FILE] [--out DIR] [--state FILE]
             [--since DATE] [--until DATE] [--max-articles N] [--max-duration D]
  gisa reparse [--out DIR|s3://…] [--outlet ID] [--since DATE] [--until DATE]
  gisa reindex [--out DIR|s3://…] [--from-manifests]
  gisa stats [--out DIR|s3://…] [--json]
  gisa export --format jsonl|csv|parquet [--out DIR|s3://…] [--outlet ID] [--since DATE]
             [--until DATE] [--since-last NAME] [--partition outlet,date] [...] DEST
  gisa parse [--url URL] [--outlet ID] [--content-type TYPE] [--profiles FILE] FILE|-
  gisa eval [--json] [-v] [--outlet ID] [--profiles FILE] DIR...
  gisa sites [--profiles FILE] [--config FILE] [show ID]
  gisa serve --config FILE [--listen ADDR]
  gisa config check [--config FILE]

--profiles adds outlet profiles from a YAML file (or replaces built-in ones
of the same id); it may be given more than once.

Run 'gisa COMMAND -h' for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "crawl":
		return cmdCrawl(args[1:], stdout, stderr)
	case "reparse":
		return cmdReparse(args[1:], stdout, stderr)
	case "reindex":
		return cmdReindex(args[1:], stdout, stderr)
	case "export":
		return cmdExport(args[1:], stdout, stderr)
	case "stats":
		return cmdStats(args[1:], stdout, stderr)
	case "parse":
		return cmdParse(args[1:], stdin, stdout, stderr)
	case "eval":
		return cmdEval(args[1:], stdout, stderr)
	case "sites":
		return cmdSites(args[1:], stdout, stderr)
	case "serve":
		return cmdServe(args[1:], stdout, stderr)
	case "config":
		return cmdConfig(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "gisa: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
