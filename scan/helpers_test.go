package scan

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// qr draws text as a QR code with ppm pixels per module and its 4-module
// quiet zone; light on dark if negative.
func qr(t testing.TB, text string, ppm int, negative bool) image.Image {
	t.Helper()
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	if negative {
		q.ForegroundColor, q.BackgroundColor = color.White, color.Black
	}
	return q.Image(-ppm)
}

// qrSized draws text as a QR code px pixels wide, quiet zone included.
func qrSized(t testing.TB, text string, px int) image.Image {
	t.Helper()
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	return q.Image(px)
}

// placed is a picture at a place on a page.
type placed struct {
	img image.Image
	at  image.Point
}

// page composes pictures on a w×h page of background bg, as a screen
// capture shows them: an RGBA picture.
func page(w, h int, bg color.Color, items ...placed) *image.RGBA {
	p := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(p, p.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	for _, it := range items {
		r := it.img.Bounds().Sub(it.img.Bounds().Min).Add(it.at)
		draw.Draw(p, r, it.img, it.img.Bounds().Min, draw.Src)
	}
	return p
}
