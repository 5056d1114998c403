package autotype

import (
	"errors"
	"fmt"
	"strings"
)

// ErrHotkey: a shortcut's text names no key combination this package
// can register, or the system refused it (another program holds it).
var ErrHotkey = errors.New("the shortcut cannot be used")

// Modifiers of a shortcut.
type Mod uint8

const (
	ModCtrl  Mod = 1 << iota // Ctrl (Control on macOS)
	ModAlt                   // Alt (Option on macOS)
	ModShift                 // Shift
	ModSuper                 // the Windows key; Command on macOS
)

// Hotkey is a parsed shortcut: modifiers and one key, "A" to "Z", "0" to
// "9" or "F1" to "F24".
type Hotkey struct {
	Mods Mod
	Key  string
}

// ParseHotkey reads a shortcut such as "Ctrl+Alt+T": modifiers (Ctrl,
// Alt, Shift, Super; Win, Cmd and Option are taken as Super and Alt),
// then one key, joined with "+", case-insensitive. At least one of Ctrl,
// Alt and Super is required: a key with Shift alone, or none, would be
// taken from every program's typing.
func ParseHotkey(spec string) (Hotkey, error) {
	var h Hotkey
	parts := strings.Split(spec, "+")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		last := i == len(parts)-1
		var m Mod
		switch strings.ToLower(p) {
		case "ctrl", "control":
			m = ModCtrl
		case "alt", "option", "opt":
			m = ModAlt
		case "shift":
			m = ModShift
		case "super", "win", "windows", "cmd", "command", "meta":
			m = ModSuper
		}
		if m != 0 && !last {
			if h.Mods&m != 0 {
				return Hotkey{}, fmt.Errorf("%w: %q names %s twice", ErrHotkey, spec, p)
			}
			h.Mods |= m
			continue
		}
		if !last {
			return Hotkey{}, fmt.Errorf("%w: %q: %q is no modifier (Ctrl, Alt, Shift, Super)", ErrHotkey, spec, p)
		}
		k := strings.ToUpper(p)
		if hotkeyVK(k) == 0 {
			return Hotkey{}, fmt.Errorf("%w: %q: the key must be A to Z, 0 to 9 or F1 to F24", ErrHotkey, spec)
		}
		h.Key = k
	}
	if h.Mods&(ModCtrl|ModAlt|ModSuper) == 0 {
		return Hotkey{}, fmt.Errorf("%w: %q: it needs Ctrl, Alt or Super", ErrHotkey, spec)
	}
	return h, nil
}

// String is the shortcut as ParseHotkey reads it, modifiers in a fixed
// order: "Ctrl+Alt+T".
func (h Hotkey) String() string {
	var b strings.Builder
	for _, m := range []struct {
		m    Mod
		name string
	}{{ModCtrl, "Ctrl"}, {ModAlt, "Alt"}, {ModShift, "Shift"}, {ModSuper, "Super"}} {
		if h.Mods&m.m != 0 {
			b.WriteString(m.name + "+")
		}
	}
	return b.String() + h.Key
}

// hotkeyVK is the Windows virtual-key code of a key name (A to Z and 0
// to 9 are their ASCII codes, F1 is 0x70), 0 for no key of a shortcut.
// The other systems map from it.
func hotkeyVK(k string) uint16 {
	switch {
	case len(k) == 1 && (k[0] >= 'A' && k[0] <= 'Z' || k[0] >= '0' && k[0] <= '9'):
		return uint16(k[0])
	case len(k) >= 2 && k[0] == 'F':
		n := 0
		for _, c := range k[1:] {
			if c < '0' || c > '9' {
				return 0
			}
			n = n*10 + int(c-'0')
		}
		if n >= 1 && n <= 24 && k[1] != '0' {
			return uint16(0x70 + n - 1)
		}
	}
	return 0
}

// RegisterHotkey makes the shortcut spec (see ParseHotkey) call fire,
// in a goroutine of its own, each time it is pressed anywhere on the
// desktop, until stop is called. Where the system cannot (a Wayland
// session, macOS for now) it reports ErrUnsupported; a shortcut another
// program holds, ErrHotkey.
func RegisterHotkey(spec string, fire func()) (stop func(), err error) {
	h, err := ParseHotkey(spec)
	if err != nil {
		return nil, err
	}
	return registerHotkey(h, fire)
}
