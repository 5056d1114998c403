package autotype

import (
	"errors"
	"testing"
)

func TestParseHotkey(t *testing.T) {
	for _, c := range []struct {
		spec string
		want Hotkey
		vk   uint16
	}{
		{"Ctrl+Alt+T", Hotkey{ModCtrl | ModAlt, "T"}, 'T'},
		{"ctrl + shift + f9", Hotkey{ModCtrl | ModShift, "F9"}, 0x78},
		{"Super+0", Hotkey{ModSuper, "0"}, '0'},
		{"Cmd+Option+F24", Hotkey{ModSuper | ModAlt, "F24"}, 0x87},
		{"Win+Shift+a", Hotkey{ModSuper | ModShift, "A"}, 'A'},
	} {
		h, err := ParseHotkey(c.spec)
		if err != nil || h != c.want {
			t.Errorf("%q: %+v, %v; want %+v", c.spec, h, err, c.want)
			continue
		}
		if vk := hotkeyVK(h.Key); vk != c.vk {
			t.Errorf("%q: virtual key %#x, want %#x", c.spec, vk, c.vk)
		}
		if again, err := ParseHotkey(h.String()); err != nil || again != h {
			t.Errorf("%q: String %q reads back as %+v, %v", c.spec, h.String(), again, err)
		}
	}
	for _, bad := range []string{"", "T", "Shift+T", "Ctrl+Ctrl+T", "Ctrl+Alt", "Ctrl+F0", "Ctrl+F25", "Ctrl+F09",
		"Ctrl+Space", "Ctrl+Alt+TT", "Hyper+T", "Ctrl+ß", "Ctrl++"} {
		if h, err := ParseHotkey(bad); !errors.Is(err, ErrHotkey) {
			t.Errorf("%q taken: %+v, %v", bad, h, err)
		}
	}
}
