package scan

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

const benchURI = "otpauth://totp/Stadt:max.mustermann@stadt.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Stadt"

// BenchmarkImage4K searches a 3840x2160 screen for one 160-pixel code.
func BenchmarkImage4K(b *testing.B) {
	img := page(3840, 2160, color.RGBA{0xee, 0xee, 0xee, 0xff}, placed{qrSized(b, benchURI, 160), image.Pt(2400, 900)})
	b.ResetTimer()
	for b.Loop() {
		codes, err := Image(img)
		if err != nil || len(codes) != 1 {
			b.Fatalf("%v %v", codes, err)
		}
	}
}

// BenchmarkDecodePNG4K decodes a 3840x2160 screenshot-like PNG (the
// bench_test page with a band of noise, as a photo on a web page) with
// image/png and with the quick reader (png.go), each to the luminance the
// search reads.
func BenchmarkDecodePNG4K(b *testing.B) {
	img := page(3840, 2160, color.RGBA{0xee, 0xee, 0xee, 0xff}, placed{opaque(noisy(2400, 700, "rgb")), image.Pt(300, 400)},
		placed{qrSized(b, benchURI, 180), image.Pt(3000, 600)})
	data := encodePNG(b, img)
	b.Run("image-png", func(b *testing.B) {
		for b.Loop() {
			m, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			grayOf(m, m.Bounds(), 1)
		}
	})
	b.Run("quick", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodePNGGray(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
