package main

import (
	"bytes"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/gisa-news/gisa/parser"
)

// A command's flags are parsed by the command itself with the standard flag
// package (flags before or after the arguments, -flag and --flag alike), so
// that every command keeps the flags, messages and exit codes it had;
// cobra gives the command tree, help pages with examples, --version,
// shell completion and man pages. Its own flag parsing is therefore off
// for the leaves, and --help is answered here.

// leafFunc runs one command with its arguments (flags included) and
// returns the exit code.
type leafFunc func(args []string, stdout, stderr io.Writer) int

// newRootCmd returns gisa's command tree. A command's exit code is put
// into *code; an error from Execute is a usage error.
func newRootCmd(stdin io.Reader, stdout, stderr io.Writer, code *int) *cobra.Command {
	root := &cobra.Command{
		Use:   "gisa",
		Short: "a Korean news scraper and archiver",
		Long: `gisa discovers, fetches, parses and archives Korean news articles.

It finds new articles on the outlets' feeds, sitemaps and section pages,
fetches each politely (robots.txt, per-host limits), extracts title, body,
reporters and dates, and keeps them as JSON in an archive folder or an S3
bucket, with the raw pages as WARC files. The archive can be re-parsed,
re-indexed, summarised and exported.

--profiles adds outlet profiles from a YAML file (or replaces built-in ones
of the same id); it may be given more than once.

Exit codes: 0 ok, 1 failure, 2 usage error, 3 not an article (gisa parse).`,
		Example: `  gisa crawl hani --max-articles 20
  gisa serve --config gisa.yaml
  gisa export --format csv --since 2024-03-01 articles.csv
  gisa crawl --help`,
		Version:           versionString(),
		SilenceErrors:     true,
		SilenceUsage:      true,
		DisableAutoGenTag: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SetOut(stderr)
			*code = exitUsage
			return cmd.Usage()
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("gisa {{.Version}}\n")

	leaf := func(c *cobra.Command, fn leafFunc) *cobra.Command {
		c.DisableFlagParsing = true
		c.SilenceErrors, c.SilenceUsage = true, true
		c.DisableFlagsInUseLine = true
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if wantsHelp(args) {
				return cmd.Help()
			}
			*code = fn(args, stdout, stderr)
			return nil
		}
		c.SetHelpFunc(func(cmd *cobra.Command, _ []string) { writeHelp(cmd, fn) })
		return c
	}

	root.AddCommand(
		leaf(&cobra.Command{
			Use:   "crawl [OUTLET...] [flags]",
			Short: "crawl outlets into the archive",
			Long: `Finds new articles on the outlets (all built-in ones when none is named and
the config names none), fetches each politely, parses it and archives it as
JSON, with the raw pages as WARC files. Killed at any moment, the next run
continues where it stopped. Prints a summary table (or JSON) at the end.`,
			Example: `  gisa crawl hani yna --max-articles 50
  gisa crawl --config gisa.yaml --log-format json
  gisa crawl hani --since 2024-03-01 --until 2024-03-07 --out /srv/archive
  gisa crawl --out s3://news/archive --s3-endpoint http://minio:9000`,
		}, cmdCrawl),
		leaf(&cobra.Command{
			Use:   "serve --config FILE [--listen ADDR]",
			Short: "crawl on schedules, serve metrics and a status page",
			Long: `Runs each configured outlet on its schedule (cron expressions, @hourly,
@every 10m), one run per outlet at a time, and serves /metrics
(Prometheus), /healthz, /status (JSON) and a status page at /.
SIGHUP reloads the config (a bad one is rejected and the old one kept);
SIGTERM finishes or requeues in-flight work and exits.`,
			Example: `  gisa serve --config gisa.yaml
  gisa serve --config gisa.yaml --listen 127.0.0.1:9300 --log-format json`,
		}, cmdServe),
		leaf(&cobra.Command{
			Use:   "reparse [flags]",
			Short: "re-extract articles from the kept raw pages",
			Long: `Parses the raw pages kept in the archive's WARC files again with the
current parser and profiles, and stores what changed as new revisions.
Nothing is fetched.`,
			Example: `  gisa reparse --out /srv/archive
  gisa reparse --outlet hani --since 2024-03-01`,
		}, cmdReparse),
		leaf(&cobra.Command{
			Use:   "reindex [flags]",
			Short: "rebuild the archive's catalog",
			Long: `Rebuilds the archive's catalog (the index of stored articles) from the
article files, or from the manifests with --from-manifests.`,
			Example: `  gisa reindex --out /srv/archive
  gisa reindex --out s3://news/archive --from-manifests`,
		}, cmdReindex),
		leaf(&cobra.Command{
			Use:   "stats [flags]",
			Short: "counts, sizes and extraction health of an archive",
			Long: `Prints per outlet how many articles the archive holds, their size and the
share of records missing a title, body, reporters or published time.
Read-only: creates nothing.`,
			Example: `  gisa stats --out /srv/archive
  gisa stats --json`,
		}, cmdStats),
		leaf(&cobra.Command{
			Use:   "export --format jsonl|csv|parquet [flags] DEST",
			Short: "export the archive as JSONL, CSV or Parquet",
			Long: `Writes the archive's articles, filtered, to DEST: a file, a folder (for
parts or partitions), - for stdout, or s3://bucket/prefix. --since-last
NAME exports only what changed since the previous export of that name.
Read-only on the archive.`,
			Example: `  gisa export --format jsonl - | jq .title
  gisa export --format csv --excel --outlet hani --since 2024-03-01 hani.csv
  gisa export --format parquet --partition outlet,date out/`,
		}, cmdExport),
		leaf(&cobra.Command{
			Use:   "parse [flags] FILE|-",
			Short: "print one page's article as JSON",
			Long: `Extracts the article from one saved HTML page (or stdin with -) and prints
it as JSON. Exit code 3 when the page is not an article.`,
			Example: `  gisa parse --url https://www.hani.co.kr/arti/society/1.html page.html
  curl -s URL | gisa parse --url URL -`,
		}, func(args []string, stdout, stderr io.Writer) int { return cmdParse(args, stdin, stdout, stderr) }),
		leaf(&cobra.Command{
			Use:   "eval [flags] DIR...",
			Short: "measure the parser on a corpus",
			Long: `Parses every page of one or more corpora and prints the scores against
their truth. DIR holds html/NAME.html and truth/NAME.json, and optionally
manifest.tsv.`,
			Example: `  gisa eval corpus/
  gisa eval --json --no-profiles corpus/`,
		}, cmdEval),
		leaf(&cobra.Command{
			Use:   "sites [--config FILE] [show ID]",
			Short: "list the outlet profiles, or the outlets of a config",
			Long: `Lists the built-in outlet profiles (and those added with --profiles), or
with --config the outlets that config crawls with their schedules.
'gisa sites show ID' prints one profile as YAML.`,
			Example: `  gisa sites
  gisa sites show hani
  gisa sites --config gisa.yaml`,
		}, cmdSites),
	)

	config := &cobra.Command{
		Use:   "config",
		Short: "work with a config file",
		Long:  "Commands about gisa's YAML config file.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SetOut(stderr)
			*code = exitUsage
			return cmd.Usage()
		},
	}
	config.AddCommand(leaf(&cobra.Command{
		Use:   "check [--config FILE]",
		Short: "validate a config without running anything",
		Long: `Validates a config without running anything: keys, values, outlets,
profiles and schedules. Exit 0 when good, 2 with the problems listed,
each naming its line.`,
		Example: `  gisa config check --config gisa.yaml`,
	}, func(args []string, stdout, stderr io.Writer) int {
		return cmdConfig(append([]string{"check"}, args...), stdout, stderr)
	}))
	root.AddCommand(config)

	root.AddCommand(&cobra.Command{
		Use:     "version",
		Short:   "print gisa's version",
		Long:    "Prints gisa's version, the parser's version (written into every record) and the Go and module versions it was built with.",
		Example: "  gisa version",
		Args:    cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintf(stdout, "gisa %s\n", versionString())
			if bi, ok := debug.ReadBuildInfo(); ok {
				fmt.Fprintf(stdout, "go: %s\nmodule: %s %s\n", bi.GoVersion, bi.Main.Path, bi.Main.Version)
				for _, s := range bi.Settings {
					if strings.HasPrefix(s.Key, "vcs.") {
						fmt.Fprintf(stdout, "%s: %s\n", s.Key, s.Value)
					}
				}
			}
		},
	})
	root.AddCommand(&cobra.Command{
		Use:   "man DIR",
		Short: "write gisa's man pages into a folder",
		Long:  "Writes one man page (section 1) for gisa and each of its commands into DIR, which must exist.",
		Example: `  gisa man /usr/local/share/man/man1
  gisa man . && man ./gisa-crawl.1`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			hdr := &doc.GenManHeader{Title: "GISA", Section: "1", Source: "gisa " + parser.Version}
			if err := doc.GenManTree(cmd.Root(), hdr, args[0]); err != nil {
				*code = exitFailure
				fmt.Fprintf(stderr, "gisa man: %v\n", err)
			}
			return nil
		},
	})
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Args = cobra.NoArgs // a shell it does not know is an error, not its help
			c.RunE = func(cmd *cobra.Command, args []string) error {
				cmd.SetOut(stderr)
				*code = exitUsage
				return cmd.Usage()
			}
			c.Example = "  gisa completion bash > /etc/bash_completion.d/gisa\n  gisa completion zsh > \"${fpath[1]}/_gisa\"\n  gisa completion fish > ~/.config/fish/completions/gisa.fish"
		}
	}
	return root
}

// versionString is gisa's module version and the parser's version.
func versionString() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return fmt.Sprintf("%s (parser %s)", v, parser.Version)
}

// wantsHelp reports whether the arguments ask for help before "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// writeHelp prints a leaf command's help page: description, usage,
// examples and the flags its own flag set defines.
func writeHelp(cmd *cobra.Command, fn leafFunc) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s\n\nUsage:\n  %s\n", strings.TrimSpace(cmd.Long), cmd.UseLine())
	if cmd.Example != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", cmd.Example)
	}
	if flags := flagDefaults(fn); flags != "" {
		fmt.Fprintf(w, "\nFlags:\n%s", flags)
	}
}

// flagDefaults is the flag list a command prints for -h, without any usage
// line above it.
func flagDefaults(fn leafFunc) string {
	var buf bytes.Buffer
	fn([]string{"-h"}, io.Discard, &buf)
	lines := strings.SplitAfter(buf.String(), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "  -") {
			lines = lines[i:]
			for j, l := range lines {
				if strings.HasPrefix(l, "  -") {
					lines[j] = "  --" + l[3:] // the flag package takes both; the help shows the GNU form
				}
			}
			return strings.Join(lines, "")
		}
	}
	return ""
}
