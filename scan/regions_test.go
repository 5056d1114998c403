package scan

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// busyPage is a 4K screenshot-like page: a photo-like band of noise, lines
// of "text", and a code px wide at at (colours fg on bg).
func busyPage(t *testing.T, px int, at image.Point, fg, bg color.Color) *image.RGBA {
	t.Helper()
	p := page(3840, 2160, color.RGBA{0xf5, 0xf5, 0xf5, 0xff}, placed{opaque(noisy(2400, 900, "rgb")), image.Pt(200, 300)})
	for y := 1400; y < 2000; y += 28 { // text: thin dark strokes, as 16-pixel type
		for x := 200; x < 2600; x += 7 {
			if (x/7+y/28)%7 != 0 {
				draw.Draw(p, image.Rect(x, y, x+2, y+10), image.NewUniform(color.Gray{40}), image.Point{}, draw.Src)
			}
		}
	}
	q, err := qrcode.New(benchURI, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	q.ForegroundColor, q.BackgroundColor = fg, bg
	code := q.Image(px)
	draw.Draw(p, code.Bounds().Add(at), code, image.Point{}, draw.Src)
	return p
}

// TestLikelyRegions: a small code on a busy 4K page is found through the
// likely regions, which hold it and little else.
func TestLikelyRegions(t *testing.T) {
	at := image.Pt(3000, 700)
	img := busyPage(t, 100, at, color.Black, color.White)
	b := img.Bounds()
	g := grayOf(img, b, 2)
	if codes := search(img, g, 2); len(codes) != 0 {
		t.Fatalf("the shrunk picture already shows the code (%v): the test needs a smaller one", codes)
	}
	regions := likelyRegions(g, 2, b)
	code := image.Rect(at.X, at.Y, at.X+100, at.Y+100).Inset(10) // the quiet zone is no part of it
	area, holds := 0, false
	for _, r := range regions {
		area += r.Dx() * r.Dy()
		holds = holds || code.In(r)
	}
	if !holds {
		t.Errorf("no region %v holds the code at %v", regions, code)
	}
	if area*10 > b.Dx()*b.Dy() {
		t.Errorf("the regions cover %d%% of the page, want under 10%%", 100*area/(b.Dx()*b.Dy()))
	}
	codes, err := Image(img)
	if err != nil || len(codes) != 1 || codes[0].URI != benchURI || !codes[0].Bounds.Overlaps(code) {
		t.Fatalf("Image: %v %v", codes, err)
	}
}

// TestLikelyRegionsMiss: a code the regions do not see (mid grey on light grey, no
// hard edges) is still found, by the search of the whole picture.
func TestLikelyRegionsMiss(t *testing.T) {
	at := image.Pt(2900, 500)
	img := busyPage(t, 150, at, color.Gray{110}, color.Gray{210})
	b := img.Bounds()
	code := image.Rect(at.X, at.Y, at.X+150, at.Y+150).Inset(14)
	for _, r := range likelyRegions(grayOf(img, b, 2), 2, b) {
		if r.Overlaps(code) {
			t.Fatalf("a region %v holds the grey code: the test needs one the regions miss", r)
		}
	}
	codes, err := Image(img)
	if err != nil || len(codes) != 1 || codes[0].URI != benchURI {
		t.Fatalf("Image: %v %v", codes, err)
	}
}

// TestCodeLike: the tiles of a plain page, of noise and of soft gradients
// are not code-like; a tile of modules two pixels wide is.
func TestCodeLike(t *testing.T) {
	tile := func(f func(x, y int) byte) *gray {
		g := &gray{pix: make([]byte, regionTile*regionTile)}
		g.Width, g.Height = regionTile, regionTile
		for y := range regionTile {
			for x := range regionTile {
				g.pix[y*regionTile+x] = f(x, y)
			}
		}
		return g
	}
	for name, tc := range map[string]struct {
		f    func(x, y int) byte
		want bool
	}{
		"plain":    {func(x, y int) byte { return 240 }, false},
		"noise":    {func(x, y int) byte { return byte(120 + (x*7+y*13)%40) }, false},
		"gradient": {func(x, y int) byte { return byte(x * 16) }, false},
		"modules":  {func(x, y int) byte { return [2]byte{20, 235}[(x/2+y/2+x*y/4)%2] }, true},
	} {
		if got := codeLike(tile(tc.f), 0, 0); got != tc.want {
			t.Errorf("%s: codeLike %v, want %v", name, got, tc.want)
		}
	}
}
