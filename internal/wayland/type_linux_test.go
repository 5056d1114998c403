//go:build waylandtest

package wayland

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// portalInterfaces are the interfaces the desktop's xdg-desktop-portal
// offers, as its introspection lists them.
func portalInterfaces(t *testing.T) string {
	t.Helper()
	c, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var xml string
	err = c.Object("org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop").
		Call("org.freedesktop.DBus.Introspectable.Introspect", 0).Store(&xml)
	if err != nil {
		t.Fatalf("introspect the portal: %v", err)
	}
	return xml
}

// wordAt is where tesseract reads word (in any case) in the window of
// cmd: the centre of its box on the desktop.
func wordAt(t *testing.T, cmd *exec.Cmd, word string) (x, y int, ok bool) {
	t.Helper()
	w := window(t, func(n node) bool { return n.PID == cmd.Process.Pid })
	c := exec.Command("tesseract", "stdin", "stdout", "--psm", "11", "tsv")
	c.Stdin = bytes.NewReader(grim(t, w.area()))
	out, err := c.Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Split(l, "\t")
		if len(f) < 12 || !strings.EqualFold(strings.TrimSpace(f[11]), word) {
			continue
		}
		n := make([]int, 4)
		for i := range n {
			n[i], _ = strconv.Atoi(f[6+i])
		}
		return w.Rect.X + n[0] + n[2]/2, w.Rect.Y + n[1] + n[3]/2, true
	}
	return 0, 0, false
}

// TestDesktopTypeCode: on sway, whose portals (xdg-desktop-portal with
// its wlr and gtk backends, Debian 12's) offer neither RemoteDesktop nor
// GlobalShortcuts, the window's "Type code" (the account's ⋮ menu) says
// that this desktop lets no program type, and puts the code on the
// Wayland clipboard instead (wl-paste reads it); the settings say that
// the global shortcut is not available; `softtoken type` says why it
// cannot type and what to do.
func TestDesktopTypeCode(t *testing.T) {
	desktop(t, "1")
	ifaces := portalInterfaces(t)
	for _, i := range []string{"org.freedesktop.portal.RemoteDesktop", "org.freedesktop.portal.GlobalShortcuts"} {
		if strings.Contains(ifaces, `"`+i+`"`) {
			t.Fatalf("the desktop's portal offers %s now: typing (or the shortcut) through it is to be done, and this test to be changed", i)
		}
	}
	if !strings.Contains(ifaces, `"org.freedesktop.portal.Screenshot"`) {
		t.Fatalf("the portal does not answer as it should:\n%s", ifaces)
	}
	link, acc := newLink(t, "typing")
	env := userEnv(t)
	if out, errOut, err := run(t, env, link+"\n", "add", "-"); err != nil {
		t.Fatalf("add: %v\n%s%s", err, out, errOut)
	}

	// The command line: no typing, and why.
	_, errOut, err := run(t, env, "", "type", "typing", "--delay", "0")
	var exit *exec.ExitError
	if !errors.As(err, &exit) || !strings.Contains(errOut, "RemoteDesktop portal") || !strings.Contains(errOut, "softtoken code") {
		t.Errorf("softtoken type on sway: %v\n%s", err, errOut)
	}
	t.Logf("softtoken type says:\n%s", errOut)

	p := newPointer(t)
	cmd := start(t, env, softtoken)
	showsCode(t, cmd, acc, "type-main")
	// The ⋮ button: at the window's right edge, on the account's title
	// line (as gui/'s openMenu finds it).
	_, y, ok := wordAt(t, cmd, "Wayland")
	if !ok {
		t.Fatal("the window shows no account title")
	}
	w := window(t, func(n node) bool { return n.PID == cmd.Process.Pid })
	// The window's content is at most 720 px wide, centred (ui's
	// contentWidth): its right edge is not the window's in sway's tiling.
	right := w.Rect.X + w.Rect.Width
	if w.Rect.Width > 720 {
		right = w.Rect.X + (w.Rect.Width+720)/2
	}
	p.click(t, right-22, y+8)
	if _, err := readWindow(t, cmd, "type-menu", contains("Type code")); err != nil {
		t.Fatalf("no Type code in the menu: %v", err)
	}
	clickWord(t, p, cmd, "Type")
	if _, err := readWindow(t, cmd, "type-clipboard", contains("Wayland desktop", "clipboard")); err != nil {
		t.Fatalf("the window does not say why the code was not typed: %v", err)
	}
	var got string
	err = until(20*time.Second, func() error {
		out, err := exec.Command("wl-paste", "--no-newline").CombinedOutput()
		got = string(out)
		if err != nil {
			return fmt.Errorf("wl-paste: %v: %s", err, out)
		}
		if !slices.Contains(codesAround(t, acc, time.Now()), got) {
			return errors.New("not the code")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("the clipboard holds %q after Type code: %v", got, err)
	}

	// The settings (the gear at the window's top right corner) say the
	// shortcut is not available here.
	p.click(t, right-22, w.Rect.Y+22)
	if _, err := readWindow(t, cmd, "type-settings", contains("Global shortcuts are not available", "Wayland")); err != nil {
		t.Fatalf("the settings do not say the shortcut is not available: %v", err)
	}
}
