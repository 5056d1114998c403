package scan

import (
	"bytes"
	"errors"
	"image"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the image entry point. It must never
// panic, must refuse what is too large by its header, and whatever it
// returns must be enrollment codes with a place.
func FuzzDecode(f *testing.F) {
	f.Add(encode(f, "png", qr(f, uriAlice, 1, false)))
	f.Add(encode(f, "png", qr(f, uriWeb, 1, true)))
	f.Add(encode(f, "png", page(64, 64, white)))
	f.Add(encode(f, "gif", qr(f, uriCarol, 1, false)))
	f.Add(encode(f, "bmp", page(8, 8, dark)))
	f.Add(encode(f, "jpeg", page(16, 16, grey)))
	f.Add(pngHeader(65536, 65536))
	f.Add(pngHeader(3, 3))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, _, cfgErr := image.DecodeConfig(bytes.NewReader(data))
		codes, err := Decode(bytes.NewReader(data))
		if cfgErr == nil && int64(cfg.Width)*int64(cfg.Height) > MaxPixels && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%dx%d picture: err = %v, want ErrTooLarge", cfg.Width, cfg.Height, err)
		}
		if err != nil {
			if len(codes) != 0 {
				t.Fatalf("codes with an error")
			}
			return
		}
		for _, c := range codes {
			if !isEnrollment(c.URI) || c.Bounds.Empty() {
				t.Fatalf("code %v is no enrollment code or has no place", c)
			}
			if strings.Contains(c.String(), c.URI) {
				t.Fatal("String() shows the code's text")
			}
		}
	})
}

// The seeds above must themselves decode as expected, or the fuzzer starts
// from nothing useful.
func TestFuzzSeeds(t *testing.T) {
	codes, err := Decode(bytes.NewReader(encode(t, "png", qr(t, uriAlice, 1, false))))
	if err != nil || len(codes) != 1 {
		t.Fatalf("Decode = %v, %v", codes, err)
	}
	if _, err := Decode(bytes.NewReader(encode(t, "png", qr(t, uriWeb, 1, true)))); !errors.Is(err, ErrNotEnrollment) {
		t.Fatalf("err = %v", err)
	}
}
