package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gisa-news/gisa/article"
)

const testPage = `<!doctype html><html lang="ko"><head><meta charset="utf-8">
<meta property="og:type" content="article"><title>시험 기사 제목 - 예시일보</title></head><body>
<h1>시험 기사 제목</h1><p class="date">입력 2024.01.02 03:04</p>
<div class="story"><p>(서울=예시일보) 홍길동 기자 = 첫 문단은 이렇게 시작한다. 기사의 본문이 이어진다.</p>
<p>둘째 문단도 충분히 길게 써서 본문으로 보이게 한다. 문장이 여럿 있다.</p></div>
<div class="copy">ⓒ 예시일보, 무단 전재 및 재배포 금지</div></body></html>`

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCmdParse(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page.html")
	if err := os.WriteFile(page, []byte(testPage), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		stdin    string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"file", "", []string{"parse", "--url", "https://news.example.com/a/1", page}, exitOK, `"title": "시험 기사 제목"`, ""},
		{"stdin", testPage, []string{"parse", "-"}, exitOK, `"name": "홍길동"`, ""},
		{"missing file", "", []string{"parse", filepath.Join(dir, "nope.html")}, exitFailure, "", "nope.html"},
		{"directory", "", []string{"parse", dir}, exitFailure, "", "is a directory"},
		{"not an article", `<html><body><a href="/1">하나</a></body></html>`, []string{"parse", "-"}, exitNotArticle, "", "not an article"},
		{"no file", "", []string{"parse"}, exitUsage, "", "usage"},
		{"unknown outlet", testPage, []string{"parse", "--outlet", "nosuch", "-"}, exitFailure, "", "nosuch"},
		{"unknown command", "", []string{"frobnicate"}, exitUsage, "", "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errs)
			}
			if !strings.Contains(out, tc.inStdout) || !strings.Contains(errs, tc.inStderr) {
				t.Errorf("stdout %q / stderr %q: want %q / %q", out, errs, tc.inStdout, tc.inStderr)
			}
			if code == exitOK {
				var a article.Article
				if err := json.Unmarshal([]byte(out), &a); err != nil || a.SchemaVersion != article.SchemaVersion {
					t.Errorf("output is not an article record: %v", err)
				}
			}
		})
	}
}

func TestCmdParseUserProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(prof, []byte(`id: example
name: 예시일보
hosts: [news.example.com]
article_patterns: ['^https://news\.example\.com/a/(?P<id>\d+)$']
extract:
  body: ['div.story']
`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, testPage, "parse", "--profiles", prof, "--url", "https://news.example.com/a/42", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var a article.Article
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.ID != "example-42" || a.Outlet.ID != "example" || a.Extraction.Sources["body"] != "profile" {
		t.Errorf("id %q, outlet %+v, body from %q", a.ID, a.Outlet, a.Extraction.Sources["body"])
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("id: broken\nname: x\narticle_patterns: ['(']\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCmd(t, testPage, "parse", "--profiles", bad, "-")
	if code != exitUsage || !strings.Contains(errs, "bad.yaml") || !strings.Contains(errs, "broken") {
		t.Errorf("exit %d, stderr %q: want a refusal naming the file and the profile", code, errs)
	}
}

func TestCmdSites(t *testing.T) {
	code, out, errs := runCmd(t, "", "sites")
	if code != exitOK || !strings.Contains(out, "pressian") || !strings.Contains(out, "n.news.naver.com") && !strings.Contains(out, "naver") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, _ = runCmd(t, "", "sites", "show", "pressian")
	if code != exitOK || !strings.Contains(out, "프레시안") {
		t.Errorf("show pressian: exit %d, %q", code, out)
	}
	if code, _, errs = runCmd(t, "", "sites", "show", "nosuch"); code != exitFailure || !strings.Contains(errs, "nosuch") {
		t.Errorf("show nosuch: exit %d, %q", code, errs)
	}
}
