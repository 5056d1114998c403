package autotype

import (
	"errors"
	"testing"
)

func TestParseHotkey(t *testing.T) {
	for in, want := range map[string]Hotkey{
		"Ctrl+Alt+O":       {ModCtrl | ModAlt, "O"},
		" control + alt+o": {ModCtrl | ModAlt, "O"},
		"Strg+Alt+K":       {ModCtrl | ModAlt, "K"},
		"Super+Shift+F9":   {ModSuper | ModShift, "F9"},
		"Win+1":            {ModSuper, "1"},
		"alt+f12":          {ModAlt, "F12"},
		"":                 {},
	} {
		got, err := ParseHotkey(in)
		if err != nil || got != want {
			t.Errorf("ParseHotkey(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"O", "Shift+O", "Ctrl+Alt+", "Ctrl+Alt+OO", "Ctrl+Hyper+O", "Ctrl+F13", "Ctrl+F0", "Ctrl+Alt+ß"} {
		if h, err := ParseHotkey(bad); !errors.Is(err, ErrHotkeyInvalid) {
			t.Errorf("ParseHotkey(%q) = %v, %v; want ErrHotkeyInvalid", bad, h, err)
		}
	}
	if s := (Hotkey{ModAlt | ModCtrl | ModShift, "F2"}).String(); s != "Ctrl+Alt+Shift+F2" {
		t.Errorf("String: %q", s)
	}
	if s := DefaultHotkey.String(); s != "Ctrl+Alt+O" {
		t.Errorf("DefaultHotkey: %q", s)
	}
	if _, err := GrabHotkey(Hotkey{ModShift, "O"}, func() {}); !errors.Is(err, ErrHotkeyInvalid) {
		t.Errorf("grab of Shift+O: %v", err)
	}
}
