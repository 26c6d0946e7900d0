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
//	gisa version                                   gisa's and the parser's versions
//	gisa completion bash|zsh|fish|powershell       a shell completion script
//	gisa man DIR                                   write the man pages into DIR
//
// `gisa COMMAND --help` describes a command, its flags and examples.
//
// It is the only place that reads flags, the environment and config files,
// and the only one that turns errors into exit codes.
package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK         = 0
	exitFailure    = 1
	exitUsage      = 2
	exitNotArticle = 3 // gisa parse: the page is not an article
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run runs gisa with the arguments (without the program name) and returns
// the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	code := exitOK
	root := newRootCmd(args, stdin, stdout, stderr, &code)
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		plainUsages(root)
	}
	root.SetArgs(longDash(root, args))
	if cmd, err := root.ExecuteC(); err != nil {
		root.PrintErrf("%s: %v\n", cmd.CommandPath(), err)
		root.PrintErrf("Run '%s --help' for usage.\n", cmd.CommandPath())
		return exitUsage
	}
	return code
}
