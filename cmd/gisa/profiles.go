package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/gisa-news/gisa/parser"
)

// loadProfiles returns the built-in outlet profiles, with the profiles of
// each user file (YAML: one profile or a list) added or replacing built-in
// ones of the same ID. Errors name the file, the profile and the reason.
func loadProfiles(files []string) (*parser.Profiles, error) {
	set, err := parser.Builtin()
	if err != nil {
		return nil, fmt.Errorf("built-in profiles: %w", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("profiles: %w", err)
		}
		ps, err := parser.DecodeProfiles(name, data)
		if err != nil {
			return nil, err
		}
		if set, err = set.With(ps...); err != nil {
			return nil, fmt.Errorf("profile file %s: %w", name, err)
		}
	}
	return set, nil
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint(*m) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// interleave moves flags before positional arguments, so that
// "gisa crawl hani --max-articles 5" works as well as the flags-first form
// the flag package expects. "--" ends the flags.
func interleave(args []string, fs *flag.FlagSet) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}
