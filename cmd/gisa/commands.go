package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"github.com/gisa-news/gisa/parser"
)

// Every command's flags are defined on its cobra command (pflag), so that
// --help, the man pages and shell completion know them; cobra parses them,
// before or after the arguments. --log-level and --log-format are global.
// Before cobra sees the arguments, a single-dash long flag (-out DIR) is
// rewritten to its double-dash form (see longDash), as the standard flag
// package the commands once used read it.

// newRootCmd returns gisa's command tree for the command line (which
// gisa export records). A command's exit code is put into *code; an error
// from Execute is a usage error.
func newRootCmd(cmdline []string, stdin io.Reader, stdout, stderr io.Writer, code *int) *cobra.Command {
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

--log-level and --log-format may come before or after the command.

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

	lf := &logFlags{}
	lf.register(root.PersistentFlags())
	must(root.RegisterFlagCompletionFunc("log-level", cobra.FixedCompletions([]string{"debug", "info", "warn", "error"}, cobra.ShellCompDirectiveNoFileComp)))
	must(root.RegisterFlagCompletionFunc("log-format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp)))
	root.SetUsageTemplate(root.UsageTemplate() + usageNote)

	// leaf makes c a command that runs fn with its arguments, flags parsed.
	leaf := func(c *cobra.Command, fn func(args []string) int) *cobra.Command {
		c.SilenceErrors, c.SilenceUsage = true, true
		c.RunE = func(cmd *cobra.Command, args []string) error {
			*code = fn(args)
			return nil
		}
		yamlFiles(c)
		plainValues(c)
		return c
	}

	crawl := &cobra.Command{
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
	}
	cf := &crawlFlags{}
	cf.register(crawl.Flags())
	crawl.ValidArgsFunction = completeOutlets(&cf.config, &cf.profiles)
	leaf(crawl, func(args []string) int { return cmdCrawl(cf, lf, args, stdout, stderr) })

	serve := &cobra.Command{
		Use:   "serve --config FILE [--listen ADDR]",
		Short: "crawl on schedules, serve metrics and a status page",
		Long: `Runs each configured outlet on its schedule (cron expressions, @hourly,
@every 10m), one run per outlet at a time, and serves /metrics
(Prometheus), /healthz, /status (JSON) and a status page at /.
SIGHUP reloads the config (a bad one is rejected and the old one kept);
SIGTERM finishes or requeues in-flight work and exits.`,
		Example: `  gisa serve --config gisa.yaml
  gisa serve --config gisa.yaml --listen 127.0.0.1:9300 --log-format json`,
		Args: noArgs("outlets come from the config"),
	}
	sf := &serveFlags{log: lf}
	sf.register(serve.Flags())
	leaf(serve, func([]string) int { return cmdServe(sf, stderr) })

	reparse := &cobra.Command{
		Use:   "reparse [flags]",
		Short: "re-extract articles from the kept raw pages",
		Long: `Parses the raw pages kept in the archive's WARC files again with the
current parser and profiles, and stores what changed as new revisions.
Nothing is fetched.`,
		Example: `  gisa reparse --out /srv/archive
  gisa reparse --outlet hani --since 2024-03-01`,
		Args: noArgs("it takes flags only"),
	}
	rf := &reparseFlags{archiveFlags: archiveFlags{log: lf}}
	rf.register(reparse.Flags())
	must(reparse.RegisterFlagCompletionFunc("outlet", completeOutlets(&rf.config, &rf.profiles)))
	leaf(reparse, func([]string) int { return cmdReparse(rf, stdout, stderr) })

	reindex := &cobra.Command{
		Use:   "reindex [flags]",
		Short: "rebuild the archive's catalog",
		Long: `Rebuilds the archive's catalog (the index of stored articles) from the
article files, or from the manifests with --from-manifests.`,
		Example: `  gisa reindex --out /srv/archive
  gisa reindex --out s3://news/archive --from-manifests`,
		Args: noArgs("it takes flags only"),
	}
	xf := &reindexFlags{archiveFlags: archiveFlags{log: lf}}
	xf.register(reindex.Flags())
	leaf(reindex, func([]string) int { return cmdReindex(xf, stdout, stderr) })

	stats := &cobra.Command{
		Use:   "stats [flags]",
		Short: "counts, sizes and extraction health of an archive",
		Long: `Prints per outlet how many articles the archive holds, their size and the
share of records missing a title, body, reporters or published time.
Read-only: creates nothing.`,
		Example: `  gisa stats --out /srv/archive
  gisa stats --json`,
		Args: noArgs("it takes flags only"),
	}
	tf := &statsFlags{archiveFlags: archiveFlags{log: lf}}
	tf.register(stats.Flags())
	leaf(stats, func([]string) int { return cmdStats(tf, stdout, stderr) })

	export := &cobra.Command{
		Use:   "export --format jsonl|csv|parquet [flags] DEST",
		Short: "export the archive as JSONL, CSV or Parquet",
		Long: `Writes the archive's articles, filtered, to DEST: a file, a folder (for
parts or partitions), - for stdout, or s3://bucket/prefix. --since-last
NAME exports only what changed since the previous export of that name.
Read-only on the archive.`,
		Example: `  gisa export --format jsonl - | jq .title
  gisa export --format csv --excel --outlet hani --since 2024-03-01 hani.csv
  gisa export --format parquet --partition outlet,date out/`,
	}
	ef := &exportFlags{archiveFlags: archiveFlags{log: lf}}
	ef.register(export.Flags())
	must(export.RegisterFlagCompletionFunc("outlet", completeOutlets(&ef.config, nil)))
	must(export.RegisterFlagCompletionFunc("format", completeWords(exportFormats())))
	must(export.RegisterFlagCompletionFunc("compress", completeWords([]string{"gzip", "zstd", "none"})))
	must(export.RegisterFlagCompletionFunc("partition", completeWords([]string{"outlet", "date", "outlet,date"})))
	leaf(export, func(args []string) int {
		return cmdExport(ef, args, append([]string{"gisa"}, cmdline...), stdout, stderr)
	})

	parse := &cobra.Command{
		Use:   "parse [flags] FILE|-",
		Short: "print one page's article as JSON",
		Long: `Extracts the article from one saved HTML page (or stdin with -) and prints
it as JSON. Exit code 3 when the page is not an article.`,
		Example: `  gisa parse --url https://www.hani.co.kr/arti/society/1.html page.html
  curl -s URL | gisa parse --url URL -`,
	}
	pf := &parseFlags{}
	pf.register(parse.Flags())
	must(parse.RegisterFlagCompletionFunc("outlet", completeOutlets(nil, &pf.profiles)))
	leaf(parse, func(args []string) int { return cmdParse(pf, lf, args, stdin, stdout, stderr) })

	eval := &cobra.Command{
		Use:   "eval [flags] DIR...",
		Short: "measure the parser on a corpus",
		Long: `Parses every page of one or more corpora and prints the scores against
their truth. DIR holds html/NAME.html and truth/NAME.json, and optionally
manifest.tsv.`,
		Example: `  gisa eval corpus/
  gisa eval --json --no-profiles corpus/`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
	}
	vf := &evalFlags{}
	vf.register(eval.Flags())
	must(eval.RegisterFlagCompletionFunc("outlet", completeOutlets(nil, &vf.profiles)))
	leaf(eval, func(args []string) int { return cmdEval(vf, lf, args, stdout, stderr) })

	sites := &cobra.Command{
		Use:   "sites [--config FILE] [show ID]",
		Short: "list the outlet profiles, or the outlets of a config",
		Long: `Lists the built-in outlet profiles (and those added with --profiles), or
with --config the outlets that config crawls with their schedules.
'gisa sites show ID' prints one profile as YAML.`,
		Example: `  gisa sites
  gisa sites show hani
  gisa sites --config gisa.yaml`,
	}
	nf := &sitesFlags{}
	nf.register(sites.Flags())
	sites.ValidArgsFunction = completeSitesArgs(&nf.profiles)
	leaf(sites, func(args []string) int { return cmdSites(nf, lf, args, stdout, stderr) })

	root.AddCommand(crawl, serve, reparse, reindex, stats, export, parse, eval, sites)
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
	check := &cobra.Command{
		Use:   "check [--config FILE]",
		Short: "validate a config without running anything",
		Long: `Validates a config without running anything: keys, values, outlets,
profiles and schedules. Exit 0 when good, 2 with the problems listed,
each naming its line.`,
		Example: `  gisa config check --config gisa.yaml`,
		Args:    noArgs("it takes flags only"),
	}
	var checkConfig string
	check.Flags().StringVar(&checkConfig, "config", "", "YAML config `file`")
	leaf(check, func([]string) int { return cmdConfigCheck(checkConfig, lf, stdout, stderr) })
	config.AddCommand(check)
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
			plainUsages(cmd.Root())
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

// usageNote ends every command's help.
const usageNote = `
A long flag may be written -name as well as --name (-out DIR is --out DIR);
flags may follow the arguments; "--" ends the flags.
`

// must panics on an error that only a mistake in this file can cause (a
// completion registered for a flag the command does not have).
func must(err error) {
	if err != nil {
		panic(err)
	}
}

// noArgs refuses any argument, naming the first and why.
func noArgs(why string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return fmt.Errorf("unexpected argument %q (%s)", args[0], why)
		}
		return nil
	}
}

// longDash rewrites the single-dash long flags in args to their
// double-dash form: -name and -name=value, where name (two letters or more)
// is a long flag of the command being run or a global one, become --name
// and --name=value. The standard flag package read them so, and pflag
// would read -out as -o -u -t. Values of flags (the argument after a flag
// that takes one) and everything after "--" are left as they are; so is a
// single-dash word that starts with a shorthand (-vq, -n5). Any other
// single-dash word becomes --word, for pflag to refuse by its whole name.
func longDash(root *cobra.Command, args []string) []string {
	out := make([]string, 0, len(args))
	cmd := root
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if len(a) < 2 || a[0] != '-' {
			if sub := subcommand(cmd, a); sub != nil {
				cmd = sub
			}
			out = append(out, a)
			continue
		}
		var f *pflag.Flag
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case strings.HasPrefix(a, "--"):
			f = lookupFlag(cmd, name)
		case len(name) == 1:
			f = lookupShorthand(cmd, name)
		default:
			if f = lookupFlag(cmd, name); f != nil || lookupShorthand(cmd, name[:1]) == nil {
				// Unknown as a long flag and as a run of shorthands: pflag
				// then names all of it ("unknown flag: --nope"), not its
				// first letter ("unknown shorthand flag: 'n' in -nope").
				a = "-" + a
			}
		}
		out = append(out, a)
		if f != nil && !hasValue && f.NoOptDefVal == "" && i+1 < len(args) {
			i++ // the flag's value, whatever it looks like
			out = append(out, args[i])
		}
	}
	return out
}

// subcommand is cmd's subcommand of that name or alias, or nil.
func subcommand(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return c
		}
	}
	return nil
}

// lookupFlag is the long flag of that name cmd takes (its own, a parent's
// persistent one, --help or --version), or nil.
func lookupFlag(cmd *cobra.Command, name string) *pflag.Flag {
	cmd.InitDefaultHelpFlag()
	cmd.InitDefaultVersionFlag()
	if f := cmd.Flags().Lookup(name); f != nil {
		return f
	}
	return cmd.InheritedFlags().Lookup(name)
}

// lookupShorthand is the flag of that one-letter shorthand cmd takes, or nil.
func lookupShorthand(cmd *cobra.Command, s string) *pflag.Flag {
	cmd.InitDefaultHelpFlag()
	cmd.InitDefaultVersionFlag()
	if f := cmd.Flags().ShorthandLookup(s); f != nil {
		return f
	}
	return cmd.InheritedFlags().ShorthandLookup(s)
}
