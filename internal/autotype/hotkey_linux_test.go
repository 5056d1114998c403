package autotype

import (
	"errors"
	"os/exec"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// TestHotkeyX11: Ctrl+Alt+O grabbed on a real X server is reported when
// xdotool presses it through XTEST (with NumLock on too), whichever
// window has the focus; the code typed then reaches that window once the
// shortcut's keys are released; a second grab of it is refused as taken;
// released, it is free again.
func TestHotkeyX11(t *testing.T) {
	testenv.Display(t)
	testenv.Tool(t, "xdotool")
	testenv.PrivateDisplay(t)
	t.Setenv("XDG_SESSION_TYPE", "x11")
	ty, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ty.Close()
	w := testenv.FocusedXWindow(t, 1, "other-program")
	pressed := make(chan error, 4)
	g, err := GrabHotkey(DefaultHotkey, func() { pressed <- ty.Type("4711", Options{Enter: true, KeyDelay: time.Millisecond}) })
	if err != nil {
		t.Fatal(err)
	}
	defer g.Release()
	if _, err := GrabHotkey(DefaultHotkey, func() {}); !errors.Is(err, ErrHotkeyTaken) {
		t.Errorf("a second grab of the shortcut: %v", err)
	}
	press := func(keys ...string) {
		t.Helper()
		if out, err := exec.Command("xdotool", append([]string{"key", "--clearmodifiers"}, keys...)...).CombinedOutput(); err != nil {
			t.Fatalf("xdotool: %v %s", err, out)
		}
	}
	wait := func() {
		t.Helper()
		select {
		case err := <-pressed:
			if err != nil {
				t.Fatalf("typing after the shortcut: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the shortcut was not reported")
		}
		keys := plainKeys(t, w, 5)
		want := []uint32{'4', '7', '1', '1', keysymReturn}
		if len(keys) != len(want) {
			t.Fatalf("the window got %x, want %x", keys, want)
		}
		for i := range want {
			if keys[i] != want[i] {
				t.Fatalf("the window got %x, want %x", keys, want)
			}
		}
	}
	press("ctrl+alt+o")
	wait()
	// With NumLock on the X server adds its modifier to the press.
	press("Num_Lock")
	press("ctrl+alt+o")
	wait()
	press("Num_Lock")
	// Ctrl+O alone is not the shortcut: the window gets it.
	press("ctrl+o")
	if k := plainKeys(t, w, 1); len(k) != 1 || k[0] != 'o' {
		t.Errorf("Ctrl+O reached the window as %x", k)
	}
	select {
	case <-pressed:
		t.Error("Ctrl+O was taken for the shortcut")
	default:
	}
	g.Release()
	g2, err := GrabHotkey(DefaultHotkey, func() {})
	if err != nil {
		t.Fatalf("the shortcut after its release: %v", err)
	}
	g2.Release()
}

// TestHotkeyWayland: on a Wayland session the X server (XWayland) sees
// no key of the desktop's own windows: no grab is made, and the reason
// says so.
func TestHotkeyWayland(t *testing.T) {
	t.Setenv("XDG_SESSION_TYPE", "wayland")
	if _, err := GrabHotkey(DefaultHotkey, func() {}); !errors.Is(err, ErrHotkeyWayland) || !errors.Is(err, ErrHotkeyUnsupported) {
		t.Errorf("grab on Wayland: %v", err)
	}
}

// plainKeys is the next n keys the window gets that are no modifier
// (the shortcut's Ctrl and Alt reach the window: only the key is
// grabbed).
func plainKeys(t *testing.T, w *testenv.XWindow, n int) []uint32 {
	t.Helper()
	var got []uint32
	for len(got) < n {
		k := w.Keys(t, 1)
		if len(k) == 0 {
			break
		}
		if k[0] == 0xff7f || (k[0] >= 0xffe1 && k[0] <= 0xffee) {
			continue
		}
		got = append(got, k[0])
	}
	return got
}

// TestOpenWayland: a Wayland session without X, whose session bus has no
// RemoteDesktop portal (a private bus with no portal at all), cannot
// type, and says why; the real sway desktop's portal is asked in
// internal/wayland.
func TestOpenWayland(t *testing.T) {
	b := testenv.PrivateBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", b.Address)
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "wayland-none")
	if _, err := Open(); !errors.Is(err, ErrUnsupported) || !errors.Is(err, ErrNoPortal) {
		t.Errorf("Open on Wayland without the portal: %v", err)
	}
}
