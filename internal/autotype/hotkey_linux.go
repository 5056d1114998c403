package autotype

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

func init() { grabHotkey = grabX11 }

// Keysyms of the modifier keys, to find which of the X server's modifier
// bits each one is (Alt, Super and NumLock vary; Mod1, Mod4, Mod2 are
// only the usual).
const (
	keysymAltL    = 0xffe9
	keysymAltR    = 0xffea
	keysymMetaL   = 0xffe7
	keysymSuperL  = 0xffeb
	keysymSuperR  = 0xffec
	keysymNumLock = 0xff7f
)

// wayland reports whether this is a Wayland session: there an X server
// (XWayland) sees the keys only while one of its own windows has the
// focus, so a grab on it is no global shortcut.
func wayland() bool {
	return os.Getenv("XDG_SESSION_TYPE") == "wayland" || (os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") != "")
}

// x11Grab is a passive grab of a key combination on the root window of
// $DISPLAY, on a connection of its own: the X server sends it the key
// whichever window has the focus.
type x11Grab struct {
	conn  *xgb.Conn
	root  xproto.Window
	code  xproto.Keycode
	masks []uint16
	once  sync.Once
	done  chan struct{}
}

func grabX11(h Hotkey, pressed func()) (Grab, error) {
	if wayland() {
		return nil, ErrHotkeyWayland
	}
	if os.Getenv("DISPLAY") == "" {
		return nil, fmt.Errorf("%w (no X display)", ErrHotkeyUnsupported)
	}
	c, err := xgb.NewConn()
	if err != nil {
		return nil, fmt.Errorf("%w (the X display cannot be reached: %v)", ErrHotkeyUnsupported, err)
	}
	g := &x11Grab{conn: c, root: xproto.Setup(c).DefaultScreen(c).Root, done: make(chan struct{})}
	if err := g.grab(h); err != nil {
		c.Close()
		return nil, err
	}
	go g.loop(pressed)
	return g, nil
}

// grab finds the key and modifier bits of h and grabs them, with each
// combination of CapsLock and NumLock, which the X server counts as
// modifiers too.
func (g *x11Grab) grab(h Hotkey) error {
	setup := xproto.Setup(g.conn)
	first, n := setup.MinKeycode, int(setup.MaxKeycode)-int(setup.MinKeycode)+1
	km, err := xproto.GetKeyboardMapping(g.conn, first, byte(n)).Reply()
	if err != nil {
		return fmt.Errorf("read the keyboard mapping: %w", err)
	}
	per := int(km.KeysymsPerKeycode)
	codeOf := map[uint32]xproto.Keycode{}
	for i := 0; i < n; i++ {
		for col := 0; col < per && col < 2; col++ {
			ks := uint32(km.Keysyms[i*per+col])
			if _, seen := codeOf[ks]; ks != 0 && !seen {
				codeOf[ks] = xproto.Keycode(int(first) + i)
			}
		}
	}
	code, ok := codeOf[keysymOf(h.Key)]
	if !ok {
		return fmt.Errorf("%w: the keyboard layout has no key %s", ErrHotkeyInvalid, h.Key)
	}
	g.code = code
	// Which modifier bit each modifier key sets.
	mm, err := xproto.GetModifierMapping(g.conn).Reply()
	if err != nil {
		return fmt.Errorf("read the modifier mapping: %w", err)
	}
	bitOf := map[xproto.Keycode]uint16{}
	per = int(mm.KeycodesPerModifier)
	for mod := 0; mod < 8; mod++ {
		for i := 0; i < per; i++ {
			if kc := mm.Keycodes[mod*per+i]; kc != 0 {
				bitOf[kc] |= 1 << mod
			}
		}
	}
	bit := func(syms ...uint32) uint16 {
		for _, s := range syms {
			if kc, ok := codeOf[s]; ok && bitOf[kc] != 0 {
				return bitOf[kc]
			}
		}
		return 0
	}
	var mask uint16
	if h.Mods&ModCtrl != 0 {
		mask |= xproto.ModMaskControl
	}
	if h.Mods&ModShift != 0 {
		mask |= xproto.ModMaskShift
	}
	if h.Mods&ModAlt != 0 {
		b := bit(keysymAltL, keysymAltR, keysymMetaL)
		if b == 0 {
			b = xproto.ModMask1
		}
		mask |= b
	}
	if h.Mods&ModSuper != 0 {
		b := bit(keysymSuperL, keysymSuperR)
		if b == 0 {
			b = xproto.ModMask4
		}
		mask |= b
	}
	num := bit(keysymNumLock)
	if num == 0 {
		num = xproto.ModMask2
	}
	for _, v := range []uint16{0, xproto.ModMaskLock, num, xproto.ModMaskLock | num} {
		g.masks = append(g.masks, mask|v)
	}
	for i, m := range g.masks {
		err := xproto.GrabKeyChecked(g.conn, true, g.root, m, code, xproto.GrabModeAsync, xproto.GrabModeAsync).Check()
		if err != nil {
			for _, done := range g.masks[:i] {
				xproto.UngrabKey(g.conn, code, g.root, done)
			}
			var access xproto.AccessError
			if errors.As(err, &access) {
				return fmt.Errorf("%w: %s", ErrHotkeyTaken, h)
			}
			return fmt.Errorf("grab the shortcut %s: %w", h, err)
		}
	}
	return nil
}

// loop calls pressed for each press of the key (an auto-repeated press
// while the key is held comes as a release and a press: GrabHotkey's
// once drops those that come while the first is handled).
func (g *x11Grab) loop(pressed func()) {
	defer close(g.done)
	down := false
	for {
		ev, err := g.conn.WaitForEvent()
		if ev == nil && err == nil {
			return // the connection was closed
		}
		switch e := ev.(type) {
		case xproto.KeyPressEvent:
			if e.Detail == g.code && !down {
				down = true
				go pressed()
			}
		case xproto.KeyReleaseEvent:
			if e.Detail == g.code {
				down = false
			}
		}
	}
}

// Release gives the shortcut back and ends the grab's connection.
func (g *x11Grab) Release() error {
	g.once.Do(func() {
		for _, m := range g.masks {
			xproto.UngrabKey(g.conn, g.code, g.root, m)
		}
		xproto.GetInputFocus(g.conn).Reply() // the ungrabs are done
		g.conn.Close()
		<-g.done
	})
	return nil
}
