//go:build linux || freebsd

package ui

import (
	"os"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// capsX is the connection to the X server the Caps Lock state is read
// from, opened at the first read; nil where there is none.
var capsX struct {
	sync.Mutex
	conn    *xgb.Conn
	root    xproto.Window
	display string // the DISPLAY conn is for; tried once per value
	tried   bool
}

// capsLockOn reports whether Caps Lock is on, and whether that is known.
// On X (and XWayland) it is the Lock modifier of the keyboard's state as
// the server reports it with the pointer (QueryPointer: one round trip).
// Without an X display (a Wayland session without XWayland) the state is
// unknown and no warning shows.
func capsLockOn() (on, known bool) {
	capsX.Lock()
	defer capsX.Unlock()
	if d := os.Getenv("DISPLAY"); !capsX.tried || d != capsX.display {
		if capsX.conn != nil {
			capsX.conn.Close()
			capsX.conn = nil
		}
		capsX.tried, capsX.display = true, d
		if d == "" {
			return false, false
		}
		c, err := xgb.NewConnDisplay(d)
		if err != nil {
			return false, false
		}
		capsX.conn = c
		capsX.root = xproto.Setup(c).DefaultScreen(c).Root
	}
	if capsX.conn == nil {
		return false, false
	}
	r, err := xproto.QueryPointer(capsX.conn, capsX.root).Reply()
	if err != nil {
		return false, false
	}
	return r.Mask&xproto.ModMaskLock != 0, true
}
