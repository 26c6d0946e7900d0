// Package urlfetch stands in for google.golang.org/appengine/urlfetch, the
// one package of App Engine that colly imports (for its
// Collector.Appengine method, which gisa never calls).
//
// The real package pulls App Engine's internal API and its protocol buffer
// registrations into every gisa process: about 2.5 ms of package
// initialisation in each start-up, for a platform (App Engine's first
// generation runtime) that gisa does not run on. go.mod replaces the module
// with this directory, which keeps colly unchanged.
package urlfetch

import (
	"context"
	"errors"
	"net/http"
)

// ErrUnavailable is what every request through Client fails with.
var ErrUnavailable = errors.New("App Engine urlfetch is not available in gisa: it does not run on App Engine's first-generation runtime")

// Client returns a client whose requests fail with ErrUnavailable, so
// that a caller who reaches it gets a clear error, not an ordinary
// client that only looks like App Engine's.
func Client(context.Context) *http.Client {
	return &http.Client{Transport: unavailable{}}
}

type unavailable struct{}

func (unavailable) RoundTrip(*http.Request) (*http.Response, error) { return nil, ErrUnavailable }
