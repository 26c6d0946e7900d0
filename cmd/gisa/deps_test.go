package main

import (
	"context"
	"errors"
	"runtime/debug"
	"testing"

	"google.golang.org/appengine/urlfetch"
)

// TestAppEngineStub keeps App Engine's runtime out of every gisa process:
// go.mod replaces the module colly imports it from with the stub in
// third_party/appengine (see its package comment for the start-up cost).
func TestAppEngineStub(t *testing.T) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("the test binary has no build information")
	}
	for _, m := range bi.Deps {
		switch m.Path {
		case "google.golang.org/appengine":
			if m.Replace == nil || m.Replace.Path != "./third_party/appengine" {
				t.Errorf("google.golang.org/appengine is linked from %s %s, not the stub in ./third_party/appengine", m.Path, m.Version)
			}
		case "github.com/golang/protobuf":
			t.Errorf("github.com/golang/protobuf %s is linked again; it came with App Engine's runtime", m.Version)
		}
	}
	_, err := urlfetch.Client(context.Background()).Get("http://127.0.0.1:1/")
	if !errors.Is(err, urlfetch.ErrUnavailable) {
		t.Errorf("a request through the stub's client failed with %v, want ErrUnavailable", err)
	}
}
