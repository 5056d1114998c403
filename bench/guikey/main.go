// Command guikey presses a key chord on the X display named by $DISPLAY
// through the XTEST extension, as a person at the keyboard would: for
// docs/screenshots/take.sh, which needs the settings screen (Ctrl+,).
//
//	WINDOW=0x400007 guikey ctrl comma
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"
)

// keysyms of the keys the scripts press.
var keysyms = map[string]xproto.Keysym{
	"ctrl": 0xffe3, "comma": 0x2c, "n": 0x6e, "f": 0x66, "escape": 0xff1b, "tab": 0xff09, "return": 0xff0d,
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "guikey:", err)
		os.Exit(1)
	}
}

func run(keys []string) error {
	c, err := xgb.NewConn()
	if err != nil {
		return err
	}
	defer c.Close()
	if err := xtest.Init(c); err != nil {
		return err
	}
	setup := xproto.Setup(c)
	min, max := setup.MinKeycode, setup.MaxKeycode
	m, err := xproto.GetKeyboardMapping(c, min, byte(max-min+1)).Reply()
	if err != nil {
		return err
	}
	code := func(sym xproto.Keysym) (byte, bool) {
		per := int(m.KeysymsPerKeycode)
		for i := 0; i < int(max-min+1); i++ {
			for j := 0; j < per; j++ {
				if m.Keysyms[i*per+j] == sym {
					return byte(int(min) + i), true
				}
			}
		}
		return 0, false
	}
	root := setup.DefaultScreen(c).Root
	if w := os.Getenv("WINDOW"); w != "" { // without a window manager, give it the keyboard
		var id uint32
		if _, err := fmt.Sscanf(w, "0x%x", &id); err != nil {
			return fmt.Errorf("WINDOW=%s: %v", w, err)
		}
		xproto.SetInputFocus(c, xproto.InputFocusPointerRoot, xproto.Window(id), xproto.TimeCurrentTime)
	}
	var codes []byte
	for _, k := range keys {
		sym, ok := keysyms[k]
		if !ok {
			return fmt.Errorf("unknown key %q", k)
		}
		kc, ok := code(sym)
		if !ok {
			return fmt.Errorf("no keycode for %q", k)
		}
		codes = append(codes, kc)
	}
	for _, kc := range codes {
		xtest.FakeInput(c, xproto.KeyPress, kc, 0, root, 0, 0, 0)
	}
	for i := len(codes) - 1; i >= 0; i-- {
		xtest.FakeInput(c, xproto.KeyRelease, codes[i], 0, root, 0, 0, 0)
	}
	c.Sync()
	time.Sleep(100 * time.Millisecond)
	return nil
}
