package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/gisa-news/gisa/parser"
)

// TestHelpExitsZero: every command's --help (and -h) exits 0 and prints a
// man-page-like help on stdout: a description, the usage, examples and,
// for commands with flags, the flags in their --flag form.
func TestHelpExitsZero(t *testing.T) {
	cases := []struct {
		args  []string
		flags string // a flag the help must list; "" for none
	}{
		{[]string{"--help"}, ""},
		{[]string{"crawl", "--help"}, "--max-articles"},
		{[]string{"serve", "--help"}, "--listen"},
		{[]string{"reparse", "--help"}, "--outlet"},
		{[]string{"reindex", "-h"}, "--from-manifests"},
		{[]string{"stats", "--help"}, "--json"},
		{[]string{"export", "--help"}, "--format"},
		{[]string{"parse", "--help"}, "--url"},
		{[]string{"eval", "--help"}, "--no-profiles"},
		{[]string{"sites", "--help"}, "--config"},
		{[]string{"config", "check", "--help"}, "--config"},
		{[]string{"version", "--help"}, ""},
		{[]string{"man", "--help"}, ""},
		{[]string{"help", "crawl"}, "--out"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errs := runCmd(t, "", tc.args...)
			if code != exitOK {
				t.Fatalf("exit %d, want 0; stderr:\n%s", code, errs)
			}
			for _, want := range []string{"Usage:", "Examples:\n  gisa"} {
				if !strings.Contains(out, want) {
					t.Errorf("help lacks %q:\n%s", want, out)
				}
			}
			if tc.flags != "" && !strings.Contains(out, "  "+tc.flags+" ") {
				t.Errorf("help does not list %s:\n%s", tc.flags, out)
			}
		})
	}
}

// TestVersion: gisa version and gisa --version name the parser's version.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errs := runCmd(t, "", args...)
		if code != exitOK || !strings.Contains(out, "parser "+parser.Version) {
			t.Errorf("gisa %v: exit %d, stdout %q, stderr %q; want 0 and the parser version", args, code, out, errs)
		}
	}
}

// TestUnknownArguments: arguments a command does not take, unknown
// commands and unknown flags are usage errors (exit 2) naming the culprit,
// and nothing is run.
func TestUnknownArguments(t *testing.T) {
	const out = "ARCHIVE" // a fresh missing folder in each case
	cases := [][]string{
		{"stats", "--out", out, "extra"},
		{"reindex", "--out", out, "extra"},
		{"reparse", "--out", out, "extra"},
		{"serve", "--config", "x.yaml", "extra"},
		{"config", "check", "extra"},
		{"config", "extra"},
		{"version", "extra"},
		{"sites", "extra"},
		{"frobnicate"},
		{"stats", "--out", out, "--nope"},
		{"crawl", "hani", "--out", out, "--nope"},
		{"reparse", "--out", out, "-nope"},
		{"reindex", "--out=" + out, "--nope"},
		{"export", "--format", "jsonl", "--out", out, "-", "--nope"},
		{"export", "--format", "jsonl", "--out", out, "a.jsonl", "b.jsonl"},
		{"parse", "--nope", "-"},
		{"parse", "a.html", "b.html"},
		{"eval", "corpus", "--out"},
		{"sites", "--nope"},
		{"serve", "--config", "x.yaml", "--nope"},
		{"config", "check", "--config", "x.yaml", "--nope"},
		{"completion", "tcsh"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "archive")
			args := append([]string(nil), args...)
			for i := range args {
				args[i] = strings.ReplaceAll(args[i], "ARCHIVE", out)
			}
			code, _, errs := runCmd(t, "", args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitUsage, errs)
			}
			if culprit := strings.TrimLeft(args[len(args)-1], "-"); !strings.Contains(errs, culprit) {
				t.Errorf("stderr does not name %q:\n%s", culprit, errs)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s was created (stat: %v)", out, err)
			}
		})
	}
}

// TestCompletionAndMan: gisa completion writes a script for each shell and
// gisa man writes one man page per command.
func TestCompletionAndMan(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, errs := runCmd(t, "", "completion", sh)
		if code != exitOK || !strings.Contains(out, "gisa") {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", sh, code, len(out), errs)
		}
	}
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "", "man", dir); code != exitOK {
		t.Fatalf("man: exit %d: %s", code, errs)
	}
	for _, page := range []string{"gisa.1", "gisa-crawl.1", "gisa-config-check.1", "gisa-sites.1"} {
		data, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Error(err)
			continue
		}
		if !strings.Contains(string(data), ".SH EXAMPLE") && !strings.Contains(string(data), ".SH EXAMPLES") {
			t.Errorf("%s has no examples section", page)
		}
	}
	if code, _, _ := runCmd(t, "", "man", filepath.Join(dir, "missing")); code != exitFailure {
		t.Errorf("man into a missing folder: exit %d, want %d", code, exitFailure)
	}
}

// TestSitesHangulAligns: in gisa sites, whose NAME column holds Hangul,
// each outlet's HOSTS cell starts at the same display column as the
// HOSTS heading.
func TestSitesHangulAligns(t *testing.T) {
	code, out, errs := runCmd(t, "", "sites")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	set, err := parser.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := runewidth.StringWidth(lines[0][:strings.Index(lines[0], "HOSTS")])
	hangul := 0
	for i, p := range set.All() {
		line := lines[i+1]
		at := strings.Index(line, p.Hosts[0])
		if at < 0 {
			t.Fatalf("line %q lacks host %s", line, p.Hosts[0])
		}
		if got := runewidth.StringWidth(line[:at]); got != want {
			t.Errorf("outlet %s (%s): hosts at display column %d, heading at %d:\n%s", p.ID, p.Name, got, want, out)
		}
		if strings.ContainsFunc(p.Name, func(r rune) bool { return r >= '가' && r <= '힣' }) {
			hangul++
		}
	}
	if hangul == 0 {
		t.Fatal("no built-in outlet has a Hangul name: the test checks nothing")
	}
}

// TestReadOnlyCommandsCreateNothing: stats, export, sites, parse, eval and
// config check, run in an empty folder against a missing archive (the
// default ./archive, --out and a config's out and state), create no file
// or folder, whatever they answer.
func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	page := writeFile(t, t.TempDir(), "page.html", testPage)
	// CONF is a config whose out and state are missing; MISSING a missing
	// archive; both under the folder the command runs in.
	cases := [][]string{
		{"stats"},
		{"stats", "--out", "MISSING"},
		{"stats", "--config", "CONF", "--json"},
		{"export", "--format", "jsonl", "-"},
		{"export", "--format", "jsonl", "--out", "MISSING", "--since-last", "weekly", "-"},
		{"export", "--format", "csv", "--config", "CONF", "MISSING.csv"},
		{"sites"},
		{"sites", "--config", "CONF"},
		{"sites", "show", "hani"},
		{"parse", "--url", "https://www.hani.co.kr/arti/society/1.html", page},
		{"eval", "MISSING"},
		{"config", "check", "--config", "CONF"},
		{"config", "check"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc, " "), func(t *testing.T) {
			dir := t.TempDir()
			missing := filepath.Join(dir, "missing", "archive")
			conf := writeFile(t, t.TempDir(), "gisa.yaml", "out: "+missing+"\nstate: "+filepath.Join(dir, "missing", "state")+"\nschedule: \"@hourly\"\noutlets:\n  - id: hani\n")
			args := make([]string, len(tc))
			for i, a := range tc {
				args[i] = strings.NewReplacer("MISSING", missing, "CONF", conf).Replace(a)
			}
			code, _, errs := runCmdIn(t, dir, args...)
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				t.Errorf("exit %d created %s (stderr: %s)", code, e.Name(), errs)
			}
		})
	}
}
