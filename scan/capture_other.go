//go:build !linux

package scan

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sync"

	"github.com/kbinani/screenshot"
)

// DefaultCapturer returns the capturer of this system: kbinani/screenshot,
// which uses GDI on Windows and CoreGraphics on macOS (there only in a cgo
// build; without cgo it finds no display). On macOS the user must allow
// screen recording for the app in the system settings, or the pictures
// show only the desktop background.
func DefaultCapturer() Capturer { return Screenshot{} }

// Screenshot captures the displays with kbinani/screenshot, in parallel.
type Screenshot struct{}

// Capture returns one picture per active display, with its desktop bounds.
func (Screenshot) Capture(ctx context.Context) ([]image.Image, error) {
	n := screenshot.NumActiveDisplays()
	if n == 0 {
		return nil, ErrNoDisplay
	}
	shots := make([]image.Image, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := screenshot.GetDisplayBounds(i)
			if err := checkSize(r.Dx(), r.Dy()); err != nil {
				errs[i] = err
				return
			}
			img, err := screenshot.CaptureRect(r)
			if err != nil {
				errs[i] = fmt.Errorf("capture display %d: %w", i+1, err)
				return
			}
			// Desktop coordinates, so that codes on two displays differ.
			img.Rect = r
			shots[i] = img
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		if errors.Is(err, screenshot.ErrUnsupported) {
			return nil, fmt.Errorf("%w: %v", ErrNoDisplay, err)
		}
		return nil, err
	}
	return shots, ctx.Err()
}
