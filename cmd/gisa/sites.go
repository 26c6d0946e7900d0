package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/gisa-news/gisa/table"
)

// sitesFlags are gisa sites's flags.
type sitesFlags struct {
	profiles []string
	config   string
}

func (f *sitesFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.profiles, "profiles", nil, "a YAML `file` of outlet profiles to add or override (repeatable)")
	fs.StringVar(&f.config, "config", "", "list the outlets this YAML config `file` crawls, with their schedules")
}

// cmdSites implements `gisa sites` and `gisa sites show ID`.
func cmdSites(f *sitesFlags, lf *logFlags, args []string, stdout, stderr io.Writer) int {
	if _, err := lf.logger(io.Discard, "warn"); err != nil {
		fmt.Fprintf(stderr, "gisa sites: %v\n", err)
		return exitUsage
	}
	if f.config != "" {
		if len(args) > 0 {
			fmt.Fprintln(stderr, "usage: gisa sites --config FILE (show ID takes no --config)")
			return exitUsage
		}
		return listConfigured(f.config, f.profiles, stdout, stderr)
	}
	profiles, err := loadProfiles(f.profiles)
	if err != nil {
		fmt.Fprintf(stderr, "gisa sites: %v\n", err)
		return exitUsage
	}
	switch {
	case len(args) == 0:
		tw := table.NewWriter(stdout, 2, 0)
		fmt.Fprintln(tw, "ID\tNAME\tHOSTS\tDISCOVERY\tVERIFIED")
		for _, p := range profiles.All() {
			var disc []string
			for _, d := range []struct {
				name string
				n    int
			}{{"feeds", len(p.Feeds)}, {"sitemaps", len(p.Sitemaps)}, {"sections", len(p.Sections)}, {"archives", len(p.Archives)}} {
				if d.n > 0 {
					disc = append(disc, fmt.Sprintf("%s:%d", d.name, d.n))
				}
			}
			verified := "no"
			if p.Verified {
				verified = "yes"
			}
			hosts := strings.Join(p.Hosts, ",")
			if len(p.Hosts) > 3 {
				hosts = fmt.Sprintf("%s (+%d more)", strings.Join(p.Hosts[:3], ","), len(p.Hosts)-3)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, p.Name, hosts, strings.Join(disc, " "), verified)
		}
		if err := tw.Flush(); err != nil {
			return exitFailure
		}
		return exitOK
	case len(args) == 2 && args[0] == "show":
		p := profiles.ByID(args[1])
		if p == nil {
			fmt.Fprintf(stderr, "gisa sites: no outlet profile %q (see 'gisa sites')\n", args[1])
			return exitFailure
		}
		enc := yaml.NewEncoder(stdout)
		enc.SetIndent(2)
		if err := enc.Encode(p); err != nil {
			fmt.Fprintf(stderr, "gisa sites: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	fmt.Fprintf(stderr, "gisa sites: unexpected arguments %q; usage: gisa sites [--config FILE] [show ID]\n", args)
	return exitUsage
}

// listConfigured lists the outlets a config crawls: built-in ones it names
// and the ones it defines, with their politeness and schedules.
func listConfigured(name string, extra []string, stdout, stderr io.Writer) int {
	cfg, err := loadConfig(name)
	if err != nil {
		fmt.Fprintf(stderr, "gisa sites: %v\n", err)
		return exitUsage
	}
	cfg.Profiles = append(cfg.Profiles, extra...)
	set, err := loadProfiles(cfg.Profiles)
	if err != nil {
		fmt.Fprintf(stderr, "gisa sites: %v\n", err)
		return exitUsage
	}
	if len(cfg.Outlets) == 0 {
		fmt.Fprintf(stderr, "gisa sites: config %s names no outlets (gisa crawl then takes every built-in one; see gisa sites)\n", name)
		return exitFailure
	}
	if _, err := takeCredentials(&cfg); err != nil {
		fmt.Fprintf(stderr, "gisa sites: config: %v\n", err)
		return exitUsage
	}
	outlets, _, err := resolveOutlets(&cfg, nil, set)
	if err != nil {
		fmt.Fprintf(stderr, "gisa sites: %v\n", err)
		return exitUsage
	}
	tw := table.NewWriter(stdout, 2, 0)
	fmt.Fprintln(tw, "ID\tNAME\tHOSTS\tSOURCE\tSCHEDULE\tJITTER")
	for i, o := range outlets {
		oc := cfg.Outlets[i]
		source := "built-in"
		if oc.defines() {
			source = "config"
		}
		sched, jitter := oc.Schedule, oc.Jitter
		if sched == "" && cfg.Schedule != "" {
			sched = cfg.Schedule + " (default)"
		}
		if sched == "" {
			sched = "-"
		}
		if jitter == nil {
			jitter = cfg.Jitter
		}
		j := "-"
		if jitter != nil {
			j = jitter.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", o.Profile.ID, o.Profile.Name, strings.Join(o.Profile.Hosts, ","), source, sched, j)
	}
	if err := tw.Flush(); err != nil {
		return exitFailure
	}
	return exitOK
}
