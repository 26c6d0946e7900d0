package parser

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/gisa-news/gisa/article"
)

// Hook is Go code for one outlet, for the pages a profile's selectors cannot
// describe. It runs after every layer and the outlet's profile have filled
// a, before the record is finished (article ID, content hash, NFC text), and
// may change any field of a; the fields it changes are recorded with the
// source "hook" in a.Extraction.Sources. doc is the page's tree as the
// layers read it (parsed once); a.URL is the page's URL.
//
// A hook runs on the Parser's goroutines: it must be safe for concurrent
// use. An error it returns fails the page (wrapped in ErrHook, naming the
// outlet); a hook returns ErrNotArticle (wrapped or not) to say that the
// page is no article, which crawlers skip. A hook that panics fails the page
// the same way, with the panic's value in the error.
type Hook func(doc *goquery.Document, a *article.Article) error

// ErrHook means an outlet's hook failed or panicked on the page.
var ErrHook = errors.New("outlet hook failed")

// srcHook is the source recorded for the fields a hook changed.
const srcHook = "hook"

// checkHooks checks that every hook is set and names an outlet of the
// profiles.
func checkHooks(hooks map[string]Hook, profiles *Profiles) error {
	for id, h := range hooks {
		if h == nil {
			return fmt.Errorf("hook for outlet %q is nil", id)
		}
		if profiles.ByID(id) == nil {
			return fmt.Errorf("hook for outlet %q: no profile has that id", id)
		}
	}
	return nil
}

// runHook runs the hook registered for the page's outlet, if any, on a and
// records the fields it changed.
func (pg *page) runHook(a *article.Article) (err error) {
	if pg.prof == nil || pg.hooks == nil {
		return nil
	}
	h := pg.hooks[pg.prof.ID]
	if h == nil {
		return nil
	}
	before := *a
	before.Reporters = slices.Clone(a.Reporters)
	before.Related = slices.Clone(a.Related)
	before.Images = slices.Clone(a.Images)
	before.Tags = slices.Clone(a.Tags)
	var portal article.Portal // a hook may change *a.Portal in place
	if a.Portal != nil {
		portal = *a.Portal
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: outlet %s: panic: %v", ErrHook, pg.prof.ID, r)
		}
	}()
	if err := h(pg.doc, a); err != nil {
		return fmt.Errorf("%w: outlet %s: %w", ErrHook, pg.prof.ID, err)
	}
	if a.Extraction.Sources == nil {
		a.Extraction.Sources = map[string]string{}
	}
	for _, c := range []struct {
		field   string
		changed bool
	}{
		{"title", a.Title != before.Title},
		{"subtitle", a.Subtitle != before.Subtitle},
		{"body", a.Body != before.Body},
		{"section", a.Section != before.Section},
		{"canonical_url", a.CanonicalURL != before.CanonicalURL},
		{"language", a.Language != before.Language},
		{"outlet", a.Outlet.Name != before.Outlet.Name},
		{"reporters", !slices.Equal(a.Reporters, before.Reporters)},
		{"published_at", !sameTime(a.PublishedAt, before.PublishedAt)},
		{"updated_at", !sameTime(a.UpdatedAt, before.UpdatedAt)},
		{"related", !slices.Equal(a.Related, before.Related)},
		{"images", !slices.Equal(a.Images, before.Images)},
		{"tags", !slices.Equal(a.Tags, before.Tags)},
		{"copyright", a.Copyright != before.Copyright},
		{"portal", (a.Portal == nil) != (before.Portal == nil) || a.Portal != nil && *a.Portal != portal},
	} {
		if c.changed {
			a.Extraction.Sources[c.field] = srcHook
		}
	}
	return nil
}

// sameTime reports whether two optional times are both absent or the same
// instant.
func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
