package scan

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/scan/scantest"
)

// writePNG writes img to a PNG file in a temporary folder.
func writePNG(t testing.TB, img image.Image) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(path, encode(t, "png", img), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestX11Window captures a real window on a real X server.
func TestX11Window(t *testing.T) {
	display := scantest.Xvfb(t, 1600, 900)
	t.Setenv("DISPLAY", display)
	t.Setenv("WAYLAND_DISPLAY", "")
	mig := migrationURI(t)
	img := page(700, 400, grey,
		placed{qr(t, uriAlice, 3, false), image.Pt(20, 20)},
		placed{qr(t, mig, 2, false), image.Pt(300, 20)},
		placed{qr(t, uriBob, 2, true), image.Pt(450, 250)})
	scantest.Show(t, display, writePNG(t, img), 500, 300)

	codes, err := Screen(context.Background(), DefaultCapturer())
	if err != nil {
		t.Fatal(err)
	}
	if got := uris(codes); !slices.Equal(got, []string{uriAlice, mig, uriBob}) {
		t.Fatalf("found %d codes: %q", len(got), got)
	}
	// Alice's code starts after its 4-module quiet zone of 12 px.
	if p := codes[0].Bounds.Min; abs(p.X-(500+20+12)) > 4 || abs(p.Y-(300+20+12)) > 4 {
		t.Errorf("alice's code at %v, drawn at (532,332)", p)
	}
}

func TestX11NoDisplay(t *testing.T) {
	for _, d := range []string{"", ":4711"} {
		t.Setenv("DISPLAY", d)
		if _, err := new(X11).Capture(context.Background()); !errors.Is(err, ErrNoDisplay) {
			t.Errorf("DISPLAY=%q: err = %v, want ErrNoDisplay", d, err)
		}
	}
}

// BenchmarkScreen4K captures a 3840x2160 X screen that shows one 160-pixel
// code in a window, and finds the code: the whole of "scan the screen".
func BenchmarkScreen4K(b *testing.B) {
	display := scantest.Xvfb(b, 3840, 2160)
	b.Setenv("DISPLAY", display)
	scantest.Show(b, display, writePNG(b, qrSized(b, benchURI, 160)), 2400, 900)
	ctx := context.Background()
	x := new(X11)
	defer x.Close()
	// Wait for the window's content: Show returns once it is mapped.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := Screen(ctx, x); err == nil || time.Now().After(deadline) {
			break
		}
	}
	b.ResetTimer()
	for b.Loop() {
		codes, err := Screen(ctx, x)
		if err != nil || len(codes) != 1 || codes[0].URI != benchURI {
			b.Fatalf("found %d codes, %v", len(codes), err)
		}
	}
}

// TestX11NewServer: a capturer that kept its connection to an X server
// that has gone since (the last test's, or a restarted session's) captures
// from the server of now without an error.
func TestX11NewServer(t *testing.T) {
	x := new(X11)
	defer x.Close()
	for i := range 2 {
		t.Run(fmt.Sprint("server ", i), func(t *testing.T) {
			display := scantest.Xvfb(t, 640+32*i, 480)
			t.Setenv("DISPLAY", display)
			shots, err := x.Capture(context.Background())
			if err != nil {
				t.Fatalf("capture: %v", err)
			}
			if len(shots) != 1 || shots[0].Bounds().Dx() != 640+32*i {
				t.Fatalf("captured %d screens, the first %v", len(shots), shots[0].Bounds())
			}
		})
	}
}
