package scan

import (
	"context"
	"errors"
	"image"
	"slices"
	"testing"
)

// shots is a Capturer of fixed pictures: the stand-in for a system with
// several displays, which Xvfb does not have.
type shots []image.Image

func (s shots) Capture(context.Context) ([]image.Image, error) { return s, nil }

type failing struct{ err error }

func (f failing) Capture(context.Context) ([]image.Image, error) { return nil, f.err }

// TestScreenDisplays searches every display and reports desktop
// coordinates.
func TestScreenDisplays(t *testing.T) {
	left := page(1920, 1080, grey, placed{qr(t, uriAlice, 4, false), image.Pt(100, 100)})
	right := page(2560, 1440, dark, placed{qr(t, uriBob, 4, true), image.Pt(100, 100)})
	right.Rect = right.Rect.Add(image.Pt(1920, 0))
	empty := page(1024, 768, grey)
	empty.Rect = empty.Rect.Add(image.Pt(0, 1080))
	codes, err := Screen(context.Background(), shots{left, right, empty})
	if err != nil {
		t.Fatal(err)
	}
	if got := uris(codes); !slices.Equal(got, []string{uriAlice, uriBob}) {
		t.Fatalf("found %q", got)
	}
	if x := codes[1].Bounds.Min.X; x < 1920+100 || x > 1920+150 {
		t.Errorf("code on the second display at x=%d, want desktop coordinates", x)
	}

	for _, tt := range []struct {
		c   Capturer
		err error
	}{
		{shots{empty}, ErrNoQR},
		{shots{page(800, 600, grey, placed{qr(t, uriWeb, 4, false), image.Pt(10, 10)})}, ErrNotEnrollment},
		{shots{}, ErrNoDisplay},
		{failing{ErrNoPortal}, ErrNoPortal},
	} {
		if _, err := Screen(context.Background(), tt.c); !errors.Is(err, tt.err) {
			t.Errorf("err = %v, want %v", err, tt.err)
		}
	}
}
