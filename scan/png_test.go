package scan

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// noisy is a w×h picture of the kinds a screenshot's PNG holds, made so
// that the encoder uses every one of its row filters: flat areas, smooth
// gradients, noise and hard edges, in colour model m.
func noisy(w, h int, m string) image.Image {
	rnd := rand.New(rand.NewPCG(1, 2))
	var img interface {
		image.Image
		Set(x, y int, c color.Color)
	}
	switch m {
	case "gray":
		img = image.NewGray(image.Rect(0, 0, w, h))
	case "nrgba":
		img = image.NewNRGBA(image.Rect(0, 0, w, h))
	default:
		img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var r, g, b uint8
			switch (y / 7) % 4 {
			case 0: // flat
				r, g, b = 240, 240, 240
			case 1: // gradients
				r, g, b = uint8(x), uint8(y*3), uint8(x+y)
			case 2: // noise
				v := rnd.Uint32()
				r, g, b = uint8(v), uint8(v>>8), uint8(v>>16)
			default: // edges, like text
				if (x/3+y)%5 == 0 {
					r, g, b = 20, 20, 30
				} else {
					r, g, b = 250, 250, 250
				}
			}
			a := uint8(255)
			if m == "nrgba" && x%11 == 0 {
				a = uint8(rnd.UintN(256))
			}
			img.Set(x, y, color.NRGBA{r, g, b, a})
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDecodePNGGray: the quick reader yields, pixel for pixel, the
// luminance that image/png's picture gives through grayOf.
func TestDecodePNGGray(t *testing.T) {
	for _, m := range []string{"rgb", "nrgba", "gray"} {
		for _, size := range []image.Point{{1, 1}, {3, 40}, {257, 63}} {
			src := noisy(size.X, size.Y, m)
			if m == "rgb" {
				// image/png writes an opaque RGBA picture as 8-bit RGB.
				src = opaque(src)
			}
			data := encodePNG(t, src)
			got, err := decodePNGGray(data)
			if err != nil {
				t.Fatalf("%s %v: %v", m, size, err)
			}
			ref, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			want := grayOf(ref, ref.Bounds(), 1)
			if got.Bounds() != ref.Bounds() {
				t.Fatalf("%s %v: bounds %v, want %v", m, size, got.Bounds(), ref.Bounds())
			}
			if !bytes.Equal(got.Pix, want.pix) {
				t.Errorf("%s %v: the luminance differs from image/png's", m, size)
			}
		}
	}
}

func opaque(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			out.Set(x, y, color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255})
		}
	}
	return out
}

// TestDecodePNGGrayOthers: what the quick reader does not decode is left
// to image/png (errPNGOther), and a broken file is an error, never a
// picture.
func TestDecodePNGGrayOthers(t *testing.T) {
	pal := image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.White, color.Black})
	g16 := image.NewGray16(image.Rect(0, 0, 8, 8))
	for name, data := range map[string][]byte{
		"paletted": encodePNG(t, pal),
		"16-bit":   encodePNG(t, g16),
		"not png":  []byte("GIF89a"),
	} {
		if _, err := decodePNGGray(data); !errors.Is(err, errPNGOther) {
			t.Errorf("%s: %v, want errPNGOther", name, err)
		}
	}
	good := encodePNG(t, opaque(noisy(64, 64, "rgb")))
	for _, n := range []int{len(good) - 13, len(good) / 2, 40} {
		if img, err := decodePNGGray(good[:n]); err == nil {
			t.Errorf("cut to %d bytes: decoded %v, want an error", n, img.Bounds())
		}
	}
	// And through Decode, every one of them reads as before.
	if _, err := Decode(bytes.NewReader(good[:len(good)/2])); !errors.Is(err, ErrFormat) {
		t.Errorf("a cut PNG through Decode: %v, want ErrFormat", err)
	}
}

// TestDecodePNGScreenshot: a screenshot-like PNG with a code decodes to the
// code through the quick reader.
func TestDecodePNGScreenshot(t *testing.T) {
	img := page(1200, 800, color.RGBA{0xee, 0xee, 0xee, 0xff}, placed{qrSized(t, benchURI, 200), image.Pt(700, 300)})
	codes, err := Decode(bytes.NewReader(encodePNG(t, img)))
	if err != nil || len(codes) != 1 || codes[0].URI != benchURI {
		t.Fatalf("%v %v", codes, err)
	}
}

// FuzzDecodePNGGray: whatever the quick reader decodes, image/png decodes
// to the same luminance, where it decodes it at all (it also checks the
// chunks' CRCs, which the quick reader leaves to zlib's checksum).
func FuzzDecodePNGGray(f *testing.F) {
	f.Add(encodePNG(f, opaque(noisy(17, 9, "rgb"))))
	f.Add(encodePNG(f, noisy(9, 17, "nrgba")))
	f.Add(encodePNG(f, noisy(5, 5, "gray")))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || int64(cfg.Width)*int64(cfg.Height) > 1<<20 {
			return // decodeImage checks the size before
		}
		g, err := decodePNGGray(data)
		if err != nil {
			return
		}
		ref, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		if want := grayOf(ref, ref.Bounds(), 1); g.Bounds() != ref.Bounds() || !bytes.Equal(g.Pix, want.pix) {
			t.Fatalf("the quick reader and image/png differ")
		}
	})
}
