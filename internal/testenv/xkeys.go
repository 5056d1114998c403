package testenv

import (
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// XWindow is a window of the test's own on the real X display, marked as
// the program pid's (_NET_WM_PID) of class class (WM_CLASS), that holds
// the keyboard focus and records the keys pressed in it.
type XWindow struct {
	c      *xgb.Conn
	Win    uint32
	events chan xgb.Event
}

// FocusedXWindow maps a new XWindow and gives it the focus (without a
// window manager the focus is the test's to give).
func FocusedXWindow(t testing.TB, pid uint32, class string) *XWindow {
	t.Helper()
	Display(t)
	c, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	s := xproto.Setup(c).DefaultScreen(c)
	win, err := xproto.NewWindowId(c)
	if err != nil {
		t.Fatal(err)
	}
	err = xproto.CreateWindowChecked(c, s.RootDepth, win, s.Root, 0, 0, 200, 100, 0,
		xproto.WindowClassInputOutput, s.RootVisual, xproto.CwEventMask,
		[]uint32{xproto.EventMaskKeyPress | xproto.EventMaskKeyRelease}).Check()
	if err != nil {
		t.Fatal(err)
	}
	a, err := xproto.InternAtom(c, false, uint16(len("_NET_WM_PID")), "_NET_WM_PID").Reply()
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	xgb.Put32(b, pid)
	xproto.ChangeProperty(c, xproto.PropModeReplace, win, a.Atom, xproto.AtomCardinal, 32, 1, b)
	cl := []byte(class + "\x00" + class + "\x00")
	xproto.ChangeProperty(c, xproto.PropModeReplace, win, xproto.AtomWmClass, xproto.AtomString, 8, uint32(len(cl)), cl)
	if err := xproto.MapWindowChecked(c, win).Check(); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		if xproto.SetInputFocusChecked(c, xproto.InputFocusParent, win, xproto.TimeCurrentTime).Check() == nil {
			f, _ := xproto.GetInputFocus(c).Reply()
			if f != nil && f.Focus == win {
				break
			}
		}
		if i == 100 {
			t.Fatal("the test window did not take the focus")
		}
		time.Sleep(20 * time.Millisecond)
	}
	w := &XWindow{c: c, Win: uint32(win), events: make(chan xgb.Event, 256)}
	go func() {
		for {
			ev, err := c.WaitForEvent()
			if ev == nil && err == nil {
				close(w.events)
				return
			}
			if ev != nil {
				w.events <- ev
			}
		}
	}()
	return w
}

// Keys waits for n key presses in the window (10 s at most) and returns
// them as the keysyms their keys give without a modifier.
func (w *XWindow) Keys(t testing.TB, n int) []uint32 {
	t.Helper()
	setup := xproto.Setup(w.c)
	first, count := setup.MinKeycode, int(setup.MaxKeycode)-int(setup.MinKeycode)+1
	m, err := xproto.GetKeyboardMapping(w.c, first, byte(count)).Reply()
	if err != nil {
		t.Fatal(err)
	}
	var got []uint32
	deadline := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case ev, ok := <-w.events:
			if !ok {
				return got
			}
			if kp, ok := ev.(xproto.KeyPressEvent); ok {
				i := int(kp.Detail) - int(first)
				got = append(got, uint32(m.Keysyms[i*int(m.KeysymsPerKeycode)]))
			}
		case <-deadline:
			return got
		}
	}
	return got
}
