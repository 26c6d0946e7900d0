package main

import (
	"cmp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gisa-news/gisa/export"
)

// Shell completion: cobra's scripts ask `gisa __complete ARGS...` at each
// TAB, so what they offer is what this binary defines. Flags complete
// their values here; completion is best effort and never an error.

// plainUsages removes the backquotes from the help text of every flag of
// cmd and its subcommands. In --help they name the flag's value (--out
// dir); the man pages and the completions' descriptions print the text as
// it is, so gisa man and gisa __complete call this first.
func plainUsages(cmd *cobra.Command) {
	strip := func(f *pflag.Flag) { f.Usage = strings.ReplaceAll(f.Usage, "`", "") }
	cmd.Flags().VisitAll(strip)
	cmd.PersistentFlags().VisitAll(strip)
	for _, c := range cmd.Commands() {
		plainUsages(c)
	}
}

// yamlFiles makes --config and --profiles, where cmd has them, complete
// YAML file names.
func yamlFiles(cmd *cobra.Command) {
	for _, name := range []string{"config", "profiles"} {
		if cmd.Flags().Lookup(name) != nil {
			must(cmd.MarkFlagFilename(name, "yaml", "yml"))
		}
	}
}

// plainValues makes the flags of cmd whose values are neither files nor
// folders (dates, numbers, URLs, words), and that complete nothing else,
// complete nothing rather than the shell's file names.
func plainValues(cmd *cobra.Command) {
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		switch f.Name {
		case "config", "profiles", "out", "state", "help":
			return
		}
		if _, ok := cmd.GetFlagCompletionFunc(f.Name); ok || f.NoOptDefVal != "" {
			return // completes already, or takes no value (a bool)
		}
		must(cmd.RegisterFlagCompletionFunc(f.Name, cobra.NoFileCompletions))
	})
}

// completeWords completes a flag's value from a fixed list.
func completeWords(words []string) cobra.CompletionFunc {
	return cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp)
}

// exportFormats are the values of gisa export --format.
func exportFormats() []string {
	var fs []string
	for _, f := range export.Formats {
		fs = append(fs, string(f))
	}
	return fs
}

// completeOutlets completes outlet IDs, each with its name: the built-in
// profiles, those of the --profiles files given so far and, with a
// --config, the outlets that config defines or names. IDs already among
// the arguments are left out. config or profiles may be nil for a command
// without that flag.
func completeOutlets(config *string, profiles *[]string) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var cfg Config
		if config != nil && *config != "" {
			c, err := loadConfig(*config)
			if err == nil {
				cfg = c
			}
		}
		files := cfg.Profiles
		if profiles != nil {
			files = append(files, *profiles...)
		}
		set, err := loadProfiles(files)
		if err != nil {
			if set, err = loadProfiles(nil); err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
		}
		names := map[string]string{}
		for _, p := range set.All() {
			names[p.ID] = p.Name
		}
		for _, o := range cfg.Outlets {
			if _, ok := names[o.ID]; !ok || o.Name != "" {
				names[o.ID] = cmp.Or(o.Name, "defined in "+*config)
			}
		}
		var out []cobra.Completion
		for id, name := range names {
			if strings.HasPrefix(id, toComplete) && !slices.Contains(args, id) {
				out = append(out, cobra.CompletionWithDesc(id, name))
			}
		}
		slices.Sort(out)
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeSitesArgs completes gisa sites's arguments: show, then an
// outlet ID.
func completeSitesArgs(profiles *[]string) cobra.CompletionFunc {
	outlets := completeOutlets(nil, profiles)
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		switch {
		case len(args) == 0:
			return []cobra.Completion{cobra.CompletionWithDesc("show", "print one profile as YAML")}, cobra.ShellCompDirectiveNoFileComp
		case len(args) == 1 && args[0] == "show":
			return outlets(cmd, nil, toComplete)
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}
