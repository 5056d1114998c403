package scan

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"sync"
)

// Errors of screen capture, besides those of Image.
var (
	// ErrNoDisplay means there is no display to capture: no X server, no
	// desktop session, or one that shows nothing.
	ErrNoDisplay = errors.New("there is no screen to capture")
	// ErrNoPortal means the desktop is a Wayland session and no screenshot
	// portal (org.freedesktop.portal.Screenshot) answered.
	// What to do instead is the caller's to say (cli, ui).
	ErrNoPortal = errors.New("the desktop lets no program take a screenshot: no screenshot portal answered")
	// ErrCaptureDenied means the user or the system refused the screenshot.
	ErrCaptureDenied = errors.New("the screenshot was refused")
)

// A Capturer takes a picture of every display. The real one for this system
// is DefaultCapturer's; tests may bring their own.
type Capturer interface {
	// Capture returns one picture per display, each with the bounds of its
	// display on the desktop (so that they do not overlap), or an error
	// that wraps ErrNoDisplay, ErrNoPortal or ErrCaptureDenied where one
	// of those is the reason.
	Capture(ctx context.Context) ([]image.Image, error)
}

// lender is a Capturer that can lend its pictures instead of handing them
// over: they stay valid until release is called. X11 lends its shared
// memory, which spares copying a whole screen.
type lender interface {
	lend(ctx context.Context) (shots []image.Image, release func(), err error)
}

// Screen captures every display with c and returns the enrollment codes on
// all of them, as Image does for one picture; Code.Bounds are desktop
// coordinates. The displays are searched in parallel.
func Screen(ctx context.Context, c Capturer) ([]Code, error) {
	var shots []image.Image
	var err error
	if l, ok := c.(lender); ok {
		var release func()
		shots, release, err = l.lend(ctx)
		if err == nil {
			defer release()
		}
	} else {
		shots, err = c.Capture(ctx)
	}
	if err != nil {
		return nil, err
	}
	if len(shots) == 0 {
		return nil, ErrNoDisplay
	}
	found := make([][]Code, len(shots))
	var wg sync.WaitGroup
	for i, img := range shots {
		if checkSize(img.Bounds().Dx(), img.Bounds().Dy()) != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			found[i] = findAll(img)
		}()
	}
	wg.Wait()
	var all []Code
	for _, f := range found {
		all = append(all, f...)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return enrollment(merge(all))
}

// bgrx is a screen picture as X servers and Windows keep it: four bytes a
// pixel, blue, green, red and one unused. It saves converting a whole
// screen to image.RGBA only to read its luminance once.
type bgrx struct {
	Pix    []byte
	Stride int
	Rect   image.Rectangle
}

func (p *bgrx) ColorModel() color.Model { return color.RGBAModel }
func (p *bgrx) Bounds() image.Rectangle { return p.Rect }
func (p *bgrx) At(x, y int) color.Color {
	if !(image.Point{x, y}.In(p.Rect)) {
		return color.RGBA{}
	}
	i := p.pixOffset(x, y)
	return color.RGBA{p.Pix[i+2], p.Pix[i+1], p.Pix[i], 0xff}
}
func (p *bgrx) pixOffset(x, y int) int {
	return (y-p.Rect.Min.Y)*p.Stride + (x-p.Rect.Min.X)*4
}

// String names the capture; never its pixels.
func (p *bgrx) String() string { return fmt.Sprintf("screen %v", p.Rect) }
