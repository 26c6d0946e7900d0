package parser

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gisa-news/gisa/article"
)

// TestParseNotText: bytes that are not text, served as text/html (random
// bytes, a PNG, a zip archive, random bytes inside an HTML frame), are
// ErrNotArticle, not an article with an empty title and a garbage body.
// Pages that are text stay articles.
func TestParseNotText(t *testing.T) {
	p, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.NewChaCha8([32]byte{10})
	random := make([]byte, 68<<10)
	rng.Read(random)

	var pngBuf bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 200, 200))
	rng.Read(img.Pix)
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	var zipBuf bytes.Buffer
	zw := zip.NewWriter(&zipBuf)
	f, err := zw.Create("기사.bin")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(random[:32<<10])
	zw.Close()

	framed := append([]byte("<html><head><title></title></head><body><div>"), random[:16<<10]...)
	framed = append(framed, "</div></body></html>"...)

	for _, tc := range []struct {
		name, contentType string
		body              []byte
	}{
		{"random bytes", "text/html", random},
		{"random bytes, utf-8 declared", "text/html; charset=utf-8", random},
		{"random bytes, euc-kr declared", "text/html; charset=euc-kr", random},
		{"random bytes, latin-1 declared", "text/html; charset=iso-8859-1", random},
		{"png", "text/html", pngBuf.Bytes()},
		{"zip", "text/html", zipBuf.Bytes()},
		{"random bytes in an html frame", "text/html", framed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := p.Parse(article.Page{URL: "https://news.example.com/news/1", ContentType: tc.contentType, Body: tc.body})
			if !errors.Is(err, ErrNotArticle) {
				t.Fatalf("err = %v (title %q, body %d bytes), want ErrNotArticle", err, a.Title, len(a.Body))
			}
			if !strings.Contains(err.Error(), "not text") {
				t.Errorf("err = %v, want it to say the page is not text", err)
			}
		})
	}
	// Text stays text: the golden pages, in UTF-8 and in EUC-KR.
	for _, body := range [][]byte{[]byte(wirePage)} {
		if _, err := p.Parse(article.Page{URL: "https://news.example.com/news/1", ContentType: "text/html", Body: body}); err != nil {
			t.Errorf("a text page: %v", err)
		}
	}
}
