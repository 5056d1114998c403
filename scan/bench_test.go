package scan

import (
	"image"
	"image/color"
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
