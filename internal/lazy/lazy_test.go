package lazy

import (
	"sync"
	"testing"
)

func TestValueBuildsOnceOnFirstGet(t *testing.T) {
	calls := 0
	v := New(func() int { calls++; return 42 })
	if v.Built() || calls != 0 {
		t.Fatal("built before its first Get")
	}
	var wg sync.WaitGroup
	got := make([]int, 8)
	for i := range got {
		wg.Go(func() { got[i] = v.Get() })
	}
	wg.Wait()
	for i, g := range got {
		if g != 42 {
			t.Errorf("goroutine %d: Get = %d", i, g)
		}
	}
	if !v.Built() || calls != 1 {
		t.Errorf("Built = %v after %d builds, want true after 1", v.Built(), calls)
	}
}

func TestRegexpMethods(t *testing.T) {
	re := NewRegexp(`(\d+)-(\d+)`)
	if re.Built() {
		t.Fatal("compiled before its first use")
	}
	if err := re.Compile(); err != nil || re.Built() {
		t.Fatalf("Compile = %v, Built = %v", err, re.Built())
	}
	if !re.MatchString("a 12-34") || re.MatchString("1-x") || !re.Match([]byte("1-2")) {
		t.Error("Match disagrees with the pattern")
	}
	if !re.Built() {
		t.Error("not compiled after use")
	}
	if m := re.FindStringSubmatch("12-34"); len(m) != 3 || m[2] != "34" {
		t.Errorf("FindStringSubmatch = %q", m)
	}
	if m := re.FindSubmatch([]byte("5-6")); len(m) != 3 || string(m[1]) != "5" {
		t.Errorf("FindSubmatch = %q", m)
	}
	if got := re.ReplaceAllString("1-2 3-4", "$2"); got != "2 4" {
		t.Errorf("ReplaceAllString = %q", got)
	}
	if got := re.ReplaceAllStringFunc("1-2", func(string) string { return "x" }); got != "x" {
		t.Errorf("ReplaceAllStringFunc = %q", got)
	}
	if got := string(re.ReplaceAll([]byte("1-2"), []byte("$1"))); got != "1" {
		t.Errorf("ReplaceAll = %q", got)
	}
	if got := re.FindString("a 1-2 3-4"); got != "1-2" {
		t.Errorf("FindString = %q", got)
	}
	if got := re.FindStringIndex("a 1-2"); len(got) != 2 || got[0] != 2 || got[1] != 5 {
		t.Errorf("FindStringIndex = %v", got)
	}
	if got := re.FindStringSubmatchIndex("1-23"); len(got) != 6 || got[4] != 2 || got[5] != 4 {
		t.Errorf("FindStringSubmatchIndex = %v", got)
	}
	if got := re.FindAllStringIndex("1-2 3-4 5-6", 2); len(got) != 2 || got[1][0] != 4 {
		t.Errorf("FindAllStringIndex = %v", got)
	}
	if got := re.FindAllStringSubmatchIndex("1-2 3-4", -1); len(got) != 2 || len(got[1]) != 6 || got[1][2] != 4 {
		t.Errorf("FindAllStringSubmatchIndex = %v", got)
	}
	if err := NewRegexp(`(`).Compile(); err == nil {
		t.Error("Compile accepts a bad pattern")
	}
}
