//go:build !linux && !windows && !darwin

package autotype

import (
	"context"
	"time"
)

// Window is a top-level window, 0 for none.
type Window uint32

// Typer would type into the focused window; on this system it cannot
// (typing is done for X11, Windows and macOS).
type Typer struct{}

// Open reports ErrUnsupported: typing is not done on this system yet.
func Open() (*Typer, error) { return nil, ErrUnsupported }

// Close does nothing.
func (t *Typer) Close() error { return nil }

// Focused reports ErrUnsupported.
func (t *Typer) Focused() (Window, error) { return 0, ErrUnsupported }

// CheckFocus reports ErrUnsupported.
func (t *Typer) CheckFocus(opt Options) error { return ErrUnsupported }

// Type reports ErrUnsupported.
func (t *Typer) Type(code string, opt Options) error { return ErrUnsupported }

// PollInterval is how often WaitFocus asks for the focus.
const PollInterval = 100 * time.Millisecond

// WaitFocus reports ErrUnsupported.
func (t *Typer) WaitFocus(ctx context.Context, from Window, settle time.Duration, opt Options) (Window, error) {
	return 0, ErrUnsupported
}
