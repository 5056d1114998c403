package autotype

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// testWindow is a window of the test's own on the real X display (Xvfb),
// marked as another program's (or as ours) through _NET_WM_PID, given
// the focus, that records the keys it gets.
type testWindow struct {
	c   *xgb.Conn
	win xproto.Window
}

func newTestWindow(t *testing.T, pid uint32, class string) *testWindow {
	t.Helper()
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
	// Without a window manager the focus is the test's to give, once the
	// window is viewable.
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
	return &testWindow{c: c, win: win}
}

// typed reads the key presses the window got, as keysyms, until n of
// them came (or 10 s passed).
func (w *testWindow) typed(t *testing.T, ty *Typer, n int) []uint32 {
	t.Helper()
	byCode := map[xproto.Keycode]uint32{}
	for ks, k := range ty.keys {
		if !k.shift {
			if old, ok := byCode[k.code]; !ok || ks < old {
				byCode[k.code] = ks
			}
		}
	}
	var got []uint32
	events := make(chan xgb.Event)
	go func() {
		for {
			ev, err := w.c.WaitForEvent()
			if ev == nil && err == nil {
				close(events)
				return
			}
			if ev != nil {
				events <- ev
			}
		}
	}()
	deadline := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case ev, ok := <-events:
			if !ok {
				return got
			}
			if kp, ok := ev.(xproto.KeyPressEvent); ok {
				got = append(got, byCode[kp.Detail])
			}
		case <-deadline:
			return got
		}
	}
	return got
}

// TestTypeX11 types into a real X window through XTEST and reads what
// the window got: key presses of the digits' keys, the Tabs before and
// the Enter after.
func TestTypeX11(t *testing.T) {
	testenv.Display(t)
	ty, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ty.Close()
	w := newTestWindow(t, 1, "other-program")
	f, err := ty.Focused()
	if err != nil || f != Window(w.win) {
		t.Fatalf("focused %v, %v; want the test window %v", f, err, w.win)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if got, err := ty.WaitFocus(ctx, 0, 200*time.Millisecond, Options{}); err != nil || got != f {
		t.Fatalf("wait for the focus: %v, %v", got, err)
	}
	if err := ty.Type("907153", Options{Tabs: 1, Enter: true, KeyDelay: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	got := w.typed(t, ty, 8)
	want := []uint32{keysymTab, '9', '0', '7', '1', '5', '3', keysymReturn}
	if len(got) != len(want) {
		t.Fatalf("the window got keysyms %x, want %x", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("the window got keysyms %x, want %x", got, want)
		}
	}
	// WaitFocus does not take the window the focus was on.
	short, cancel2 := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel2()
	if _, err := ty.WaitFocus(short, f, 0, Options{}); !errors.Is(err, ErrNoFocus) {
		t.Errorf("waiting for another window: %v", err)
	}
}

// TestTypeOwnWindow: softtoken's own window (by _NET_WM_PID, or by
// WM_CLASS) is never typed into.
func TestTypeOwnWindow(t *testing.T) {
	testenv.Display(t)
	ty, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ty.Close()
	newTestWindow(t, 4242, "other")
	if err := ty.Type("123456", Options{OwnPID: 4242}); !errors.Is(err, ErrOwnWindow) {
		t.Errorf("into a window of our pid: %v", err)
	}
	newTestWindow(t, 1, "softtoken")
	if err := ty.Type("123456", Options{}); !errors.Is(err, ErrOwnWindow) {
		t.Errorf("into a window of class softtoken: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if _, err := ty.WaitFocus(ctx, 0, 0, Options{}); !errors.Is(err, ErrNoFocus) {
		t.Errorf("waiting for a window not ours: %v", err)
	}
}
