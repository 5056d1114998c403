// Package autotype types a one-time code into the window that has the
// keyboard focus, as a person would: digits as key codes (not as Unicode
// text, which remote desktops and German layouts mangle), optionally
// after Tabs and followed by Enter. It never types into softtoken's own
// window.
//
// On Linux it types through the X server's XTEST extension ($DISPLAY, an
// X11 session or XWayland), on Windows through SendInput
// (sendinput_windows.go), on macOS through CGEvents, which need the
// Accessibility permission (cgevent_darwin.go). A Wayland session without
// X lets a program type only through the xdg-desktop-portal RemoteDesktop
// interface, which Debian 12's portals (wlr, gtk) do not offer: Open
// reports ErrUnsupported and ErrNoPortal there, and the caller puts the
// code on the clipboard instead. Systems without a way to type report
// ErrUnsupported likewise.
//
// GrabHotkey holds a global shortcut (X11: a passive grab on the root
// window; Windows: RegisterHotKey; not on Wayland, whose desktops here
// offer no GlobalShortcuts portal: ErrHotkeyWayland; not yet on macOS).
package autotype

import (
	"errors"
	"fmt"
	"time"
)

// Errors of typing.
var (
	// ErrUnsupported: this system cannot type the code yet; use the
	// clipboard.
	ErrUnsupported = errors.New("typing the code is not possible here yet")
	// ErrOwnWindow: the focus is on softtoken's own window.
	ErrOwnWindow = errors.New("the focus is on softtoken's own window: the code is not typed there")
	// ErrNoFocus: no other window took the focus in time.
	ErrNoFocus = errors.New("no other window took the focus in time: the code was not typed")
	// ErrNoKey: the keyboard layout has no key for a digit, Tab or Enter.
	ErrNoKey = errors.New("the keyboard layout has no key for a character of the code")
	// ErrNoPortal: a Wayland desktop without the RemoteDesktop portal,
	// through which a program may type into another's window (Debian
	// 12's xdg-desktop-portal-wlr and -gtk have none). Open reports it
	// together with ErrUnsupported.
	ErrNoPortal = errors.New("this Wayland desktop lets no program type into another's window (it offers no RemoteDesktop portal)")
	// ErrKeysHeld: keys were held down (a shortcut's) and not released
	// within seconds; typing then would press Ctrl+digits.
	ErrKeysHeld = errors.New("keys are held down: the code was not typed")
	// ErrNotDigits: what was to be typed is not a code of digits.
	ErrNotDigits = errors.New("only codes of digits are typed")
)

// Options say how a code is typed.
type Options struct {
	Tabs  int  // Tab presses before the code (to reach the code's field); 0 to 20
	Enter bool // Enter after the code
	// KeyDelay is the pause after each key press and release; default
	// DefaultKeyDelay. Remote desktop clients forward each event as it
	// comes, and some drop keys that come faster than a person types.
	KeyDelay time.Duration
	// OwnPID and OwnClass name softtoken's own windows, which are never
	// typed into: a window whose _NET_WM_PID is OwnPID, or whose WM_CLASS
	// (instance or class) is OwnClass. Defaults: this process and
	// "softtoken".
	OwnPID   int
	OwnClass string
}

// DefaultKeyDelay is the pause between key events: 6 digits, Tab and
// Enter take under half a second.
const DefaultKeyDelay = 20 * time.Millisecond

// Keysyms of what is typed (X11's, which the other systems' tables map
// from): XK_0..XK_9, XK_Tab, XK_Return.
const (
	keysym0      = 0x30
	keysymTab    = 0xff09
	keysymReturn = 0xff0d
)

// keysyms is what typing code with opt presses, in order.
func keysyms(code string, opt Options) ([]uint32, error) {
	if code == "" {
		return nil, ErrNotDigits
	}
	if opt.Tabs < 0 || opt.Tabs > 20 {
		return nil, fmt.Errorf("%w: %d Tabs (0 to 20)", ErrNotDigits, opt.Tabs)
	}
	var ks []uint32
	for range opt.Tabs {
		ks = append(ks, keysymTab)
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return nil, ErrNotDigits
		}
		ks = append(ks, keysym0+uint32(r-'0'))
	}
	if opt.Enter {
		ks = append(ks, keysymReturn)
	}
	return ks, nil
}

func (o Options) keyDelay() time.Duration {
	if o.KeyDelay > 0 {
		return o.KeyDelay
	}
	return DefaultKeyDelay
}

func (o Options) ownClass() string {
	if o.OwnClass != "" {
		return o.OwnClass
	}
	return "softtoken"
}
