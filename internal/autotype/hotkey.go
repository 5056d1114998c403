package autotype

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Mod is a set of modifier keys of a Hotkey.
type Mod uint8

// The modifiers. ModSuper is the Windows (or Command) key.
const (
	ModCtrl Mod = 1 << iota
	ModAlt
	ModShift
	ModSuper
)

// Hotkey is a global keyboard shortcut: modifiers and one key. Key is an
// upper-case letter "A"–"Z", a digit "0"–"9" or "F1"–"F12". The zero
// Hotkey is none (no shortcut).
type Hotkey struct {
	Mods Mod
	Key  string
}

// DefaultHotkey is Ctrl+Alt+O ("O" for one-time code). It clashes with no
// default shortcut of GNOME, KDE, Xfce, Cinnamon, MATE or Windows (GNOME
// and Xfce take Ctrl+Alt+T for a terminal, Ctrl+Alt+L locks several
// desktops, Ctrl+Alt+D shows the desktop, Ctrl+Alt+Delete logs out), and
// on the German layout AltGr+O, which Windows reports as Ctrl+Alt+O,
// types nothing (Linux's AltGr is a modifier of its own).
var DefaultHotkey = Hotkey{Mods: ModCtrl | ModAlt, Key: "O"}

// Errors of hotkeys.
var (
	// ErrHotkeyUnsupported: this system (or this desktop) lets no program
	// have a global shortcut.
	ErrHotkeyUnsupported = errors.New("global shortcuts are not available here")
	// ErrHotkeyWayland: a Wayland desktop without the GlobalShortcuts
	// portal, which Debian 12's portals do not have. It is an
	// ErrHotkeyUnsupported.
	ErrHotkeyWayland = fmt.Errorf("%w: this Wayland desktop offers programs no global shortcuts (no GlobalShortcuts portal)", ErrHotkeyUnsupported)
	// ErrHotkeyTaken: another program has the shortcut already.
	ErrHotkeyTaken = errors.New("another program uses this shortcut already")
	// ErrHotkeyInvalid: not a shortcut Hotkey can be.
	ErrHotkeyInvalid = errors.New("not a valid shortcut")
)

var modNames = []struct {
	m    Mod
	name string
}{{ModCtrl, "Ctrl"}, {ModAlt, "Alt"}, {ModShift, "Shift"}, {ModSuper, "Super"}}

// String is the shortcut as the settings show it: "Ctrl+Alt+O"; "" for
// none.
func (h Hotkey) String() string {
	if h.Key == "" {
		return ""
	}
	var parts []string
	for _, n := range modNames {
		if h.Mods&n.m != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(append(parts, h.Key), "+")
}

// ParseHotkey reads a shortcut as String writes it, in any case, with
// "Control", "Win" and "Cmd" taken too; "" is none. A shortcut needs Ctrl,
// Alt or Super: a key with Shift alone or none would take a key people
// type.
func ParseHotkey(s string) (Hotkey, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Hotkey{}, nil
	}
	parts := strings.Split(s, "+")
	var h Hotkey
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if i == len(parts)-1 {
			k := strings.ToUpper(p)
			if keysymOf(k) == 0 {
				return Hotkey{}, fmt.Errorf("%w: %q: no key %q (A–Z, 0–9, F1–F12)", ErrHotkeyInvalid, s, p)
			}
			h.Key = k
			break
		}
		var m Mod
		switch strings.ToLower(p) {
		case "ctrl", "control", "strg":
			m = ModCtrl
		case "alt":
			m = ModAlt
		case "shift":
			m = ModShift
		case "super", "win", "cmd", "meta":
			m = ModSuper
		default:
			return Hotkey{}, fmt.Errorf("%w: %q: no modifier %q", ErrHotkeyInvalid, s, p)
		}
		h.Mods |= m
	}
	if h.Mods&(ModCtrl|ModAlt|ModSuper) == 0 {
		return Hotkey{}, fmt.Errorf("%w: %q needs Ctrl, Alt or Super", ErrHotkeyInvalid, s)
	}
	return h, nil
}

// keysymOf is the X11 keysym of a Hotkey's key (which the other systems'
// tables map from): lower-case letters, digits, F1–F12; 0 for none.
func keysymOf(k string) uint32 {
	switch {
	case len(k) == 1 && k[0] >= 'A' && k[0] <= 'Z':
		return uint32(k[0] - 'A' + 'a')
	case len(k) == 1 && k[0] >= '0' && k[0] <= '9':
		return uint32(k[0])
	case len(k) >= 2 && len(k) <= 3 && k[0] == 'F':
		n := 0
		for _, c := range k[1:] {
			if c < '0' || c > '9' {
				return 0
			}
			n = n*10 + int(c-'0')
		}
		if n >= 1 && n <= 12 && k[1] != '0' {
			return 0xffbe + uint32(n-1) // XK_F1..XK_F12
		}
	}
	return 0
}

// Grab is a global shortcut held by this program; Release gives it back.
type Grab interface {
	Release() error
}

// grabHotkey is the system's way to hold a global shortcut, set by the
// file of a system that has one (X11: hotkey_linux.go; Windows'
// RegisterHotKey plugs in the same way); nil: none.
var grabHotkey func(h Hotkey, pressed func()) (Grab, error)

// GrabHotkey makes h call pressed whenever the person presses it, in any
// window, until the Grab is released. pressed runs on a goroutine of the
// grab's own, once per press (a key held down does not repeat it); the
// keys are still down then, and Type waits until they are released.
// Errors: ErrHotkeyInvalid, ErrHotkeyTaken, ErrHotkeyUnsupported (and
// ErrHotkeyWayland).
func GrabHotkey(h Hotkey, pressed func()) (Grab, error) {
	if h.Key == "" || keysymOf(h.Key) == 0 || h.Mods&(ModCtrl|ModAlt|ModSuper) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrHotkeyInvalid, h.String())
	}
	if grabHotkey == nil {
		return nil, ErrHotkeyUnsupported
	}
	return grabHotkey(h, once(pressed))
}

// once drops a press while the one before is still being handled.
func once(f func()) func() {
	var mu sync.Mutex
	busy := false
	return func() {
		mu.Lock()
		if busy {
			mu.Unlock()
			return
		}
		busy = true
		mu.Unlock()
		defer func() { mu.Lock(); busy = false; mu.Unlock() }()
		f()
	}
}
