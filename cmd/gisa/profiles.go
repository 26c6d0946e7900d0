package main

import (
	"fmt"
	"os"

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
