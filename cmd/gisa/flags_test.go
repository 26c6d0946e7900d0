package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// commandFlags are a few flags each command must show in its help, its man
// page and its completions (every flag is checked too, but only a list
// written here fails when the commands define none).
var commandFlags = map[string][]string{
	"crawl":        {"config", "out", "state", "since", "max-articles", "max-duration", "naver-query", "no-warc", "profiles"},
	"serve":        {"config", "listen", "s3-endpoint"},
	"reparse":      {"out", "outlet", "profiles", "since", "until"},
	"reindex":      {"out", "from-manifests", "s3-endpoint"},
	"stats":        {"config", "out", "json"},
	"export":       {"format", "compress", "outlet", "word", "since-last", "partition", "max-bytes", "overwrite"},
	"parse":        {"url", "outlet", "content-type", "profiles"},
	"eval":         {"json", "verbose", "outlet", "no-profiles"},
	"sites":        {"config", "profiles"},
	"config check": {"config"},
}

// globalFlags are taken by every command.
var globalFlags = []string{"log-level", "log-format"}

// commands is every runnable command of gisa's tree but cobra's hidden
// ones, with its path without "gisa ".
func commands(t *testing.T) map[string]*cobra.Command {
	t.Helper()
	code := 0
	root := newRootCmd(nil, strings.NewReader(""), io.Discard, io.Discard, &code)
	cmds := map[string]*cobra.Command{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		if c.Runnable() && c.HasParent() {
			cmds[strings.TrimPrefix(c.CommandPath(), "gisa ")] = c
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	for name := range commandFlags {
		if cmds[name] == nil {
			t.Fatalf("no command %q in the tree", name)
		}
	}
	return cmds
}

// flagNames are the names of the flags cmd takes: the list above, and
// every one it defines (help aside) or inherits.
func flagNames(name string, cmd *cobra.Command) []string {
	names := slices.Clone(commandFlags[name])
	add := func(f *pflag.Flag) {
		if !f.Hidden && f.Name != "help" && !slices.Contains(names, f.Name) {
			names = append(names, f.Name)
		}
	}
	cmd.LocalFlags().VisitAll(add)
	cmd.InheritedFlags().VisitAll(add)
	return names
}

// plainUsage is the help text of cmd's flag name without backquotes.
func plainUsage(t *testing.T, cmd *cobra.Command, name string) string {
	t.Helper()
	f := lookupFlag(cmd, name)
	if f == nil {
		t.Errorf("%s has no flag --%s", cmd.CommandPath(), name)
		return "--" + name
	}
	return strings.ReplaceAll(f.Usage, "`", "")
}

// TestEveryHelpListsItsFlags: gisa CMD --help exits 0 for every command
// and lists each of its flags with its help text, the global ones too.
func TestEveryHelpListsItsFlags(t *testing.T) {
	for name, cmd := range commands(t) {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runCmd(t, "", append(strings.Fields(name), "--help")...)
			if code != exitOK {
				t.Fatalf("exit %d, want 0; stderr:\n%s", code, errs)
			}
			for _, f := range flagNames(name, cmd) {
				fl := lookupFlag(cmd, f)
				if fl == nil {
					t.Errorf("no flag --%s", f)
					continue
				}
				_, usage := pflag.UnquoteUsage(fl)
				if !strings.Contains(out, "--"+f+" ") || !strings.Contains(out, usage) {
					t.Errorf("help does not list --%s with %q:\n%s", f, usage, out)
				}
			}
			if len(commandFlags[name]) > 0 {
				for _, g := range globalFlags {
					if !strings.Contains(out, "--"+g+" ") {
						t.Errorf("help does not list the global --%s", g)
					}
				}
			}
		})
	}
}

// TestManPagesNameEveryFlag: gisa man writes a page per command that names
// each of its flags with its help text (without the help's backquotes).
func TestManPagesNameEveryFlag(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "", "man", dir); code != exitOK {
		t.Fatalf("man: exit %d: %s", code, errs)
	}
	for name, cmd := range commands(t) {
		page := filepath.Join(dir, "gisa-"+strings.ReplaceAll(name, " ", "-")+".1")
		data, err := os.ReadFile(page)
		if err != nil {
			t.Error(err)
			continue
		}
		man := string(data)
		for _, f := range flagNames(name, cmd) {
			usage := plainUsage(t, cmd, f)
			if !strings.Contains(man, `\fB--`+f+`\fP`) || !strings.Contains(man, usage) {
				t.Errorf("%s does not name --%s with %q", filepath.Base(page), f, usage)
			}
		}
		if strings.Contains(man, "`") {
			t.Errorf("%s has backquotes", filepath.Base(page))
		}
	}
}

// complete runs gisa __complete (what the shell scripts run at each TAB)
// and returns the candidates (with their descriptions) and the directive.
func complete(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	code, out, errs := runCmd(t, "", append([]string{cobra.ShellCompRequestCmd}, args...)...)
	if code != exitOK {
		t.Fatalf("__complete %q: exit %d: %s", args, code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	return lines[:len(lines)-1], lines[len(lines)-1]
}

// TestCompletionOffersEveryFlag: completing "--" after any command offers
// each of its flags, the global ones too, with its help text as the
// description; and the bash, zsh and fish scripts get their candidates
// from that same __complete command.
func TestCompletionOffersEveryFlag(t *testing.T) {
	for name, cmd := range commands(t) {
		t.Run(name, func(t *testing.T) {
			got, _ := complete(t, append(strings.Fields(name), "--")...)
			for _, f := range flagNames(name, cmd) {
				want := "--" + f + "\t" + plainUsage(t, cmd, f)
				if !slices.Contains(got, want) {
					t.Errorf("completions lack %q:\n%s", want, strings.Join(got, "\n"))
				}
			}
		})
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, errs := runCmd(t, "", "completion", sh)
		if code != exitOK || !strings.Contains(out, cobra.ShellCompRequestCmd) {
			t.Errorf("completion %s: exit %d, script does not call %s: %s", sh, code, cobra.ShellCompRequestCmd, errs)
		}
	}
}

// TestCompletionValues: flag values and outlet arguments complete: export
// formats, compressions and partitions, the global log flags, outlet IDs
// (built-in, from --profiles files and from a --config), YAML files for
// --config and --profiles, and gisa sites show ID.
func TestCompletionValues(t *testing.T) {
	dir := t.TempDir()
	profiles := writeFile(t, dir, "mine.yaml", "id: myoutlet\nname: 내신문\nhosts: [news.example.com]\narticle_patterns: ['^https://news\\.example\\.com/a/\\d+$']\n")
	conf := writeFile(t, dir, "gisa.yaml", "outlets:\n  - id: hani\n  - id: confoutlet\n    name: 설정일보\n    feeds: [https://conf.example.com/rss]\n    article_patterns: ['^https://conf\\.example\\.com/a/\\d+$']\n")
	const yamlFiles = ":8" // cobra.ShellCompDirectiveFilterFileExt
	for _, tc := range []struct {
		args      []string
		want      []string // candidates, each with its description if any
		wantNot   []string
		directive string
	}{
		{[]string{"export", "--format", ""}, []string{"jsonl", "csv", "parquet"}, nil, ":4"},
		{[]string{"export", "--format="}, []string{"jsonl", "csv", "parquet"}, nil, ":4"},
		{[]string{"export", "--compress", ""}, []string{"gzip", "zstd"}, nil, ":4"},
		{[]string{"export", "--partition", ""}, []string{"outlet", "date", "outlet,date"}, nil, ":4"},
		{[]string{"stats", "--log-format", ""}, []string{"text", "json"}, nil, ":4"},
		{[]string{"--log-level", ""}, []string{"debug", "info", "warn", "error"}, nil, ":4"},
		{[]string{"crawl", ""}, []string{"hani\t한겨레", "yonhap\t연합뉴스"}, nil, ":4"},
		{[]string{"crawl", "hani", "yo"}, []string{"yonhap\t연합뉴스"}, []string{"hani\t한겨레"}, ":4"},
		{[]string{"crawl", "hani", ""}, []string{"yonhap\t연합뉴스"}, []string{"hani\t한겨레"}, ":4"},
		{[]string{"crawl", "--profiles", profiles, ""}, []string{"myoutlet\t내신문", "hani\t한겨레"}, nil, ":4"},
		{[]string{"crawl", "--config", conf, ""}, []string{"confoutlet\t설정일보", "hani\t한겨레"}, nil, ":4"},
		{[]string{"export", "--config", conf, "--outlet", "c"}, []string{"confoutlet\t설정일보"}, []string{"hani\t한겨레"}, ":4"},
		{[]string{"reparse", "--outlet", "ha"}, []string{"hani\t한겨레"}, nil, ":4"},
		{[]string{"parse", "--profiles", profiles, "--outlet", "my"}, []string{"myoutlet\t내신문"}, nil, ":4"},
		{[]string{"eval", "--outlet", "ha"}, []string{"hani\t한겨레"}, nil, ":4"},
		{[]string{"sites", ""}, []string{"show\tprint one profile as YAML"}, nil, ":4"},
		{[]string{"sites", "show", "ha"}, []string{"hani\t한겨레"}, nil, ":4"},
		{[]string{"crawl", "--config", ""}, []string{"yaml", "yml"}, nil, yamlFiles},
		{[]string{"serve", "--config", ""}, []string{"yaml", "yml"}, nil, yamlFiles},
		{[]string{"sites", "--profiles", ""}, []string{"yaml", "yml"}, nil, yamlFiles},
		{[]string{"eval", ""}, nil, nil, ":16"}, // cobra.ShellCompDirectiveFilterDirs
		{[]string{"crawl", "--since", ""}, nil, nil, ":4"},
		{[]string{"export", "--reporter", ""}, nil, nil, ":4"},
		{[]string{"serve", "--listen", ""}, nil, nil, ":4"},
		{[]string{"stats", "--out", ""}, nil, nil, ":0"}, // a folder: the shell's file names
		{[]string{"export", "--since-last", ""}, nil, nil, ":4"},
		{[]string{"parse", ""}, nil, nil, ":0"}, // FILE
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			got, directive := complete(t, tc.args...)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("lacks %q; got:\n%s", w, strings.Join(got, "\n"))
				}
			}
			for _, w := range tc.wantNot {
				if slices.Contains(got, w) {
					t.Errorf("offers %q", w)
				}
			}
			if directive != tc.directive {
				t.Errorf("directive %s, want %s", directive, tc.directive)
			}
		})
	}
}

// TestLongDash: a single-dash long flag of the command (or a global one)
// becomes its double-dash form; shorthands, values, words that name no
// flag and everything after "--" stay as they are.
func TestLongDash(t *testing.T) {
	code := 0
	root := newRootCmd(nil, strings.NewReader(""), io.Discard, io.Discard, &code)
	for _, tc := range []struct{ in, want string }{
		{"crawl -out /srv/a", "crawl --out /srv/a"},
		{"crawl hani -out=/srv/a -json -max-articles 5", "crawl hani --out=/srv/a --json --max-articles 5"},
		{"crawl -out -json", "crawl --out -json"},  // a value, however it looks
		{"crawl --out -json", "crawl --out -json"}, // likewise
		{"crawl -naver-query -x", "crawl --naver-query -x"},
		{"-log-level debug stats -json", "--log-level debug stats --json"},
		{"stats -log-format json", "stats --log-format json"},
		{"config check -config x.yaml", "config check --config x.yaml"},
		{"eval -v dir -json", "eval -v dir --json"},
		{"eval dir -- -json -v", "eval dir -- -json -v"},
		{"parse - -url u", "parse - --url u"},
		{"stats -nope", "stats --nope"},   // pflag refuses it, naming it whole
		{"sites -out x", "sites --out x"}, // not a flag of sites: likewise
		{"eval -vx dir", "eval -vx dir"},  // -v and -x, as pflag reads them
		{"export -format jsonl -", "export --format jsonl -"},
		{"stats -help", "stats --help"},
		{"stats -h", "stats -h"},
		{"-version", "--version"},
		{"help -out", "help --out"},
	} {
		if got := strings.Join(longDash(root, strings.Fields(tc.in)), " "); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSingleDashLongFlags: gisa reads -name like --name, as a cron line
// written for the standard flag package expects: -out names the archive
// (not -o -u -t), -json and -since work, before or after the arguments.
func TestSingleDashLongFlags(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	code, _, errs := runCmd(t, "", "stats", "-out", missing, "-json", "-log-level", "error")
	if code != exitFailure || !strings.Contains(errs, missing) {
		t.Errorf("stats -out MISSING: exit %d, stderr %q; want %d naming the archive", code, errs, exitFailure)
	}
	code, _, errs = runCmd(t, "", "crawl", "hani", "-out="+missing, "-since", "2024-13-01")
	if code != exitUsage || !strings.Contains(errs, `--since "2024-13-01"`) {
		t.Errorf("crawl -since BAD: exit %d, stderr %q; want %d naming the date", code, errs, exitUsage)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("%s was created (stat: %v)", missing, err)
	}
	dir := evalCorpus(t)
	code, out, errs := runCmd(t, "", "eval", dir, "-json", "-no-profiles")
	if code != exitOK || !strings.Contains(out, `"mode": "no-profiles"`) {
		t.Errorf("eval DIR -json -no-profiles: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestRepeatableFlags: every repeatable flag keeps each value given, in
// order, commas and all.
func TestRepeatableFlags(t *testing.T) {
	want := map[string][]string{
		"crawl":   {"profiles", "naver-query"},
		"reparse": {"outlet", "profiles"},
		"export":  {"outlet", "word"},
		"parse":   {"profiles"},
		"eval":    {"profiles"},
		"sites":   {"profiles"},
	}
	for name, cmd := range commands(t) {
		var repeatable []string
		cmd.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if f.Value.Type() == "stringArray" {
				repeatable = append(repeatable, f.Name)
			}
		})
		slices.Sort(repeatable)
		w := slices.Sorted(slices.Values(want[name]))
		if !slices.Equal(repeatable, w) {
			t.Errorf("%s: repeatable flags %q, want %q", name, repeatable, w)
		}
		for _, f := range repeatable {
			if err := cmd.ParseFlags([]string{"--" + f, "a b", "--" + f, "c,d"}); err != nil {
				t.Fatalf("%s --%s: %v", name, f, err)
			}
			if got, _ := cmd.Flags().GetStringArray(f); !slices.Equal(got, []string{"a b", "c,d"}) {
				t.Errorf("%s --%s twice: %q", name, f, got)
			}
		}
	}
}

// TestBadFlagValues: a bad duration or number, or a flag without its
// value, exits 2 naming the flag and the value.
func TestBadFlagValues(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		flag, bad string
	}{
		{[]string{"crawl", "--max-duration", "5x"}, "--max-duration", "5x"},
		{[]string{"crawl", "-max-articles", "many"}, "--max-articles", "many"},
		{[]string{"export", "--format", "jsonl", "--max-records", "lots", "-"}, "--max-records", "lots"},
		{[]string{"crawl", "--out"}, "--out", ""},
	} {
		code, _, errs := runCmd(t, "", tc.args...)
		if code != exitUsage || !strings.Contains(errs, tc.flag) || !strings.Contains(errs, tc.bad) {
			t.Errorf("%q: exit %d, stderr %q; want %d naming %s and %q", tc.args, code, errs, exitUsage, tc.flag, tc.bad)
		}
	}
}

// TestHelperGisa is no test: run by TestBashCompletion as
// `GISA_TEST_AS_MAIN=1 TESTBINARY -test.run=^TestHelperGisa$ -- ARGS...`,
// the test binary is gisa with those arguments.
func TestHelperGisa(t *testing.T) {
	if os.Getenv("GISA_TEST_AS_MAIN") != "1" {
		t.Skip("run as gisa by TestBashCompletion only")
	}
	args := os.Args
	if i := slices.Index(args, "--"); i >= 0 {
		args = args[i+1:]
	}
	os.Exit(run(args, os.Stdin, os.Stdout, os.Stderr))
}

// TestBashCompletion: the script of gisa completion bash, sourced into
// bash, offers each command's flags, the --format values and outlet IDs
// after a single-dash long flag, as a user pressing TAB gets them.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("bash is not installed")
		}
		t.Skip("bash is not installed")
	}
	bin := t.TempDir()
	wrapper := "#!/bin/sh\nGISA_TEST_AS_MAIN=1 exec '" + strings.ReplaceAll(os.Args[0], "'", `'\''`) + "' -test.run='^TestHelperGisa$' -- \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "gisa"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	lines := map[string][]string{ // the words typed, the last being completed
		"gisa export --format ":     {"jsonl", "csv", "parquet"},
		"gisa crawl -out /srv/a ha": {"hani"},
		"gisa --log-level ":         {"debug", "info", "warn", "error"},
	}
	for name := range commandFlags {
		var want []string
		for _, f := range append(commandFlags[name], globalFlags...) {
			want = append(want, "--"+f)
		}
		lines["gisa "+name+" --"] = want
	}
	// The script needs _get_comp_words_by_ref from the bash-completion
	// package; a reduced one does for these plain words. compopt works
	// only within a completion the shell started.
	script := `_get_comp_words_by_ref() { cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
compopt() { :; }
source <(gisa completion bash) || exit 1
c() { COMP_WORDS=("$@"); COMP_CWORD=$(($#-1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); __start_gisa; printf '%s\n' "${COMPREPLY[@]}" '@@'; }
`
	var order []string
	for line := range lines {
		order = append(order, line)
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		for i := range words {
			words[i] = "'" + words[i] + "'"
		}
		script += "c " + strings.Join(words, " ") + "\n"
	}
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", script)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	replies := strings.Split(string(out), "@@\n")
	if len(replies) != len(order)+1 {
		t.Fatalf("%d replies for %d lines:\n%s", len(replies)-1, len(order), out)
	}
	for i, line := range order {
		got := strings.Fields(replies[i])
		for _, w := range lines[line] {
			if !slices.Contains(got, w) {
				t.Errorf("%q<TAB> does not offer %s; offers %q", line, w, got)
			}
		}
	}
}
