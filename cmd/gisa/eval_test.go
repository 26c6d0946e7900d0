package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evalCorpus writes a two-page corpus (one gisa truth, one benchmark truth)
// into a temp dir.
func evalCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"html/kbs_1.html": `<html><head><title>제목</title></head><body><article><p>본문 첫 문단입니다. 내용이 이어집니다.</p></article></body></html>`,
		"truth/kbs_1.json": `{"url": "https://news.kbs.co.kr/news/view.do?ncd=1", "outlet": "KBS", "title": "제목", "subtitle": "",
			"reporters": [], "published_at": "2023-04-07T08:26:22+09:00", "updated_at": "",
			"body": "본문 첫 문단입니다. 내용이 이어집니다.", "related": [], "notes": ""}`,
		"html/0a1b.html":  `<html><body><p>Some text of an article here.</p></body></html>`,
		"truth/0a1b.json": `{"articleBody": "Some text of an article here.", "url": "https://example.com/a"}`,
		"manifest.tsv":    "name\toutlet\tarticle_url\tdeclared_charset\nkbs_1\tKBS\thttps://news.kbs.co.kr/news/view.do?ncd=1\tutf-8 (recorded)\n",
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runEval(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(append([]string{"eval"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCmdEvalUsage(t *testing.T) {
	dir := evalCorpus(t)
	missing := filepath.Join(t.TempDir(), "no-such-corpus")
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		stderrHas  string
		wantStdout bool
	}{
		{"no dir", nil, exitUsage, "no DIR given", false},
		{"only flags", []string{"--json", "-v"}, exitUsage, "usage: gisa eval", false},
		{"unknown flag", []string{"--nope", dir}, exitUsage, "unknown flag: --nope", false},
		{"outlet without value", []string{dir, "--outlet"}, exitUsage, "flag needs an argument", false},
		{"missing dir", []string{missing}, exitFailure, missing, false},
		{"one dir missing", []string{dir, missing}, exitFailure, missing, false},
		{"good dir", []string{dir}, exitOK, "", true},
		{"outlet given", []string{"--outlet", "kbs", dir}, exitOK, "", true},
		{"no profiles", []string{dir, "--no-profiles"}, exitOK, "", true},
		{"no profiles with outlet", []string{"--no-profiles", "--outlet", "kbs", dir}, exitUsage, "cannot be combined", false},
		{"no profiles with profile file", []string{"--no-profiles", "--profiles", "x.yaml", dir}, exitUsage, "cannot be combined", false},
		{"opaque names", []string{dir, "--opaque-names"}, exitOK, "", true},
		{"opaque names with outlet", []string{"--opaque-names", "--outlet", "kbs", dir}, exitUsage, "--opaque-names cannot be combined", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runEval(tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.stderrHas) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tc.stderrHas)
			}
			if (stdout != "") != tc.wantStdout {
				t.Errorf("stdout %q", stdout)
			}
		})
	}
}

func TestCmdEvalTable(t *testing.T) {
	dir := evalCorpus(t)
	code, stdout, stderr := runEval(dir, "-v") // flags may follow the DIR
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		dir + " (2 pages)\n",
		"group   pages  title subtitle outlet body_f1 reporters published updated rel_recall rel_prec  empty%(t/b/r/p)\n",
		"\naeb ", "\nkbs ", "\nOVERALL     2 ",
		"\nmisses:\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	code, quiet, _ := runEval(dir)
	if code != exitOK || strings.Contains(quiet, "misses:") {
		t.Errorf("without -v: exit %d, output:\n%s", code, quiet)
	}
}

func TestCmdEvalJSON(t *testing.T) {
	dir1, dir2 := evalCorpus(t), evalCorpus(t)
	code, stdout, stderr := runEval("--json", dir1, dir2)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	var reports []struct {
		Dir     string `json:"dir"`
		Overall struct {
			Name  string `json:"name"`
			Pages int    `json:"pages"`
		} `json:"overall"`
		Groups []struct {
			Name string `json:"name"`
		} `json:"groups"`
	}
	if err := json.Unmarshal([]byte(stdout), &reports); err != nil {
		t.Fatalf("%v in:\n%s", err, stdout)
	}
	if len(reports) != 2 || reports[0].Dir != dir1 || reports[1].Dir != dir2 {
		t.Fatalf("reports %+v", reports)
	}
	for _, r := range reports {
		if r.Overall.Name != "OVERALL" || r.Overall.Pages != 2 || len(r.Groups) != 2 {
			t.Errorf("report %+v", r)
		}
	}
}

// TestCmdEvalNoProfiles checks that --no-profiles says so in the table and
// the JSON, and that the default run is marked as the profiles mode.
func TestCmdEvalNoProfiles(t *testing.T) {
	dir := evalCorpus(t)
	code, stdout, stderr := runEval("--no-profiles", dir)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if want := dir + " (2 pages) with no outlet profiles\n"; !strings.Contains(stdout, want) {
		t.Errorf("output lacks %q:\n%s", want, stdout)
	}
	code, stdout, stderr = runEval("--opaque-names", dir)
	if want := dir + " (2 pages) with no outlet profiles and opaque class and id names\n"; code != exitOK || !strings.Contains(stdout, want) {
		t.Errorf("exit %d, output lacks %q:\n%s%s", code, want, stdout, stderr)
	}
	for _, tc := range []struct {
		args []string
		mode string
	}{
		{[]string{"--json", "--no-profiles", dir}, "no-profiles"},
		{[]string{"--json", "--opaque-names", dir}, "opaque-names"},
		{[]string{"--json", dir}, "profiles"},
	} {
		code, stdout, stderr := runEval(tc.args...)
		if code != exitOK {
			t.Fatalf("%q: exit %d; stderr:\n%s", tc.args, code, stderr)
		}
		var reports []struct {
			Mode string `json:"mode"`
		}
		if err := json.Unmarshal([]byte(stdout), &reports); err != nil {
			t.Fatalf("%q: %v in:\n%s", tc.args, err, stdout)
		}
		if len(reports) != 1 || reports[0].Mode != tc.mode {
			t.Errorf("%q: reports %+v, want one with mode %q", tc.args, reports, tc.mode)
		}
	}
}
