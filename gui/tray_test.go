package gui

import (
	"bytes"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// Start minimised to the tray where no tray host answers (the bus of
// scripts/with-services.sh has no StatusNotifierWatcher, as stock GNOME
// without its AppIndicator extension): the window shows all the same,
// and closing it quits instead of hiding it into a tray that does not
// exist (issue 10, 2.5). Before, nothing showed at all and the closed
// window left an invisible process.
func TestTrayWithoutHost(t *testing.T) {
	w := start(t, opts{links: []string{linkAlpha}, prefs: map[string]any{"startInTray": true}})
	w.wait("alice")
	w.shot("shown")
	w.key("ctrl+comma")
	w.wait("shows no system tray")
	w.shot("settings")
	w.closeByWM()
	if !poll(10*time.Second, w.gone) {
		w.fatalf("the closed window left softtoken running, with no tray to bring it back")
	}
}

// closeByWM closes the window as its close button does: Alt+F4, which
// openbox turns into WM_DELETE_WINDOW.
func (w *win) closeByWM() {
	w.t.Helper()
	w.focus()
	w.key("alt+F4")
}

// visible reports whether the program has a window on the screen.
func (w *win) visible() bool {
	out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--pid", strconv.Itoa(w.pid()), "--name", "^softtoken$").Output()
	return len(strings.Fields(string(out))) > 0
}

// With a tray host, start minimised hides the window into the tray:
// softtoken runs with no window and its item is registered with the
// watcher; a second start shows the window; closing it hides it again,
// and softtoken goes on running. When the tray goes away, the hidden
// window comes back (nothing else could bring it back).
//
// The tray host here is a stand-in, a StatusNotifierWatcher on a private
// bus that says a host is registered and records the items that
// register, so that the test can take the tray away again at will;
// TestTrayRealHost shows the icon in a real panel.
func TestTrayWithHost(t *testing.T) {
	if h == nil {
		t.Skip(unavailable)
	}
	bus := testenv.PrivateBus(t)
	bus.StartKeyring(t)
	sni := startWatcher(t, bus.Address)
	w := prepare(t, opts{links: []string{linkAlpha}, prefs: map[string]any{"startInTray": true},
		env: map[string]string{"DBUS_SESSION_BUS_ADDRESS": bus.Address}})
	w.cmd = exec.Command(h.bin)
	w.start()
	if !poll(30*time.Second, func() bool { return len(sni.registered()) > 0 || w.gone() }) || w.gone() {
		w.fatalf("softtoken's tray item did not register with the watcher in 30 s")
	}
	time.Sleep(2 * time.Second) // a window that would show has shown by now
	if w.visible() {
		w.fatalf("started minimised with a tray host, the window shows")
	}
	// A second start hands over to the first, which shows its window.
	second := exec.Command(h.bin)
	second.Env = w.env
	if out, err := second.CombinedOutput(); err != nil {
		t.Fatalf("second start: %v\n%s", err, out)
	}
	w.waitWindow()
	w.wait("alice")
	w.closeByWM()
	if !poll(10*time.Second, func() bool { return !w.visible() }) {
		w.fatalf("closing the window did not hide it into the tray")
	}
	time.Sleep(time.Second)
	if w.gone() {
		w.fatalf("closing the window quit softtoken although a tray shows it")
	}
	// The tray goes away: the window comes back.
	sni.stop()
	w.waitWindow()
	w.wait("alice")
}

// start starts w.cmd with the test's environment, without waiting for a
// window.
func (w *win) start() {
	w.t.Helper()
	w.cmd.Env = w.env
	w.log = &bytes.Buffer{}
	w.cmd.Stdout, w.cmd.Stderr = w.log, w.log
	if err := w.cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	w.exited = make(chan struct{})
	go func() { w.cmd.Wait(); close(w.exited) }()
	w.t.Cleanup(w.stop)
}

// waitWindow waits until the program's window shows, and takes it.
func (w *win) waitWindow() {
	w.t.Helper()
	if !poll(30*time.Second, func() bool {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--pid", strconv.Itoa(w.pid()), "--name", "^softtoken$").Output()
		f := strings.Fields(string(out))
		if len(f) > 0 {
			w.id = f[0]
			return true
		}
		return w.gone()
	}) || w.gone() {
		w.fatalf("no softtoken window appeared in 30 s")
	}
	w.focus()
	w.geometry()
}

// watcher is a StatusNotifierWatcher on a bus, with a host registered.
type watcher struct {
	conn  *dbus.Conn
	mu    sync.Mutex
	items []string
}

func (s *watcher) registered() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.items...)
}

// RegisterStatusNotifierItem is the watcher's method an item calls.
func (s *watcher) RegisterStatusNotifierItem(sender dbus.Sender, item string) *dbus.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, string(sender)+item)
	return nil
}

// RegisterStatusNotifierHost is the watcher's method a host calls.
func (s *watcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

// stop takes the watcher off the bus, as a panel that ends does.
func (s *watcher) stop() {
	s.conn.Close()
}

func startWatcher(t *testing.T, addr string) *watcher {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &watcher{conn: conn}
	t.Cleanup(func() { conn.Close() })
	const path, iface = "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"
	if err := conn.Export(s, path, iface); err != nil {
		t.Fatal(err)
	}
	_, err = prop.Export(conn, path, prop.Map{iface: {
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitFalse},
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitFalse},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitFalse},
	}})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName(iface, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v (%v)", iface, reply, err)
	}
	return s
}

// With a real tray host, gtk-sni-tray-standalone (a GTK panel that shows
// StatusNotifierItems, with its own watcher) on a private bus and the
// test's display: started minimised, softtoken shows no window but its
// icon in the panel; the icon's menu (right click) has Show softtoken,
// which brings the window; closing hides it into the tray again.
func TestTrayRealHost(t *testing.T) {
	if h == nil {
		t.Skip(unavailable)
	}
	panel, err := exec.LookPath("gtk-sni-tray-standalone")
	if err != nil {
		if os.Getenv("SOFTTOKEN_REQUIRE_TOOLS") == "1" {
			t.Fatal("gtk-sni-tray-standalone is missing (scripts/deps.sh test installs haskell-gtk-sni-tray-utils)")
		}
		t.Skip("gtk-sni-tray-standalone is missing")
	}
	bus := testenv.PrivateBus(t)
	bus.StartKeyring(t)
	tray := exec.Command(panel, "--watcher", "--bottom", "--beginning", "--size", "40")
	tray.Env = append(bus.Env(os.Environ()), "HOME="+t.TempDir())
	var trayOut bytes.Buffer
	tray.Stdout, tray.Stderr = &trayOut, &trayOut
	if err := tray.Start(); err != nil {
		t.Fatal(err)
	}
	trayDone := make(chan struct{})
	go func() { tray.Wait(); close(trayDone) }()
	t.Cleanup(func() {
		tray.Process.Kill()
		<-trayDone
		if t.Failed() {
			t.Logf("the panel's output:\n%s", tail(trayOut.String(), 3000))
		}
	})
	conn, err := dbus.Connect(bus.Address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A GTK program's first start on a loaded machine (fonts, the
	// accessibility bus it asks for) can take its time.
	if !poll(60*time.Second, func() bool {
		var has bool
		conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
		return has
	}) {
		t.Fatal("the panel's watcher did not come up in 60 s")
	}
	w := prepare(t, opts{links: []string{linkAlpha}, prefs: map[string]any{"startInTray": true},
		env: map[string]string{"DBUS_SESSION_BUS_ADDRESS": bus.Address}})
	w.cmd = exec.Command(h.bin)
	w.start()
	// The panel is the screen's bottom 40 pixels; the icon its first.
	corner := image.Rect(0, 1080-700, 800, 1080) // the panel and the icon's menu above it
	iconShown := func() bool {
		img := screen(t).(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(image.Rect(4, 1080-36, 36, 1080-4))
		// Softtoken's icon is blue; the empty panel is black.
		b := img.Bounds()
		blue := 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				if bl>>8 > 80 && bl > r+r/2 && bl > g {
					blue++
				}
			}
		}
		return blue > 50
	}
	if !poll(30*time.Second, func() bool { return iconShown() || w.gone() }) || w.gone() {
		w.fatalf("softtoken's icon did not show in the panel in 30 s")
	}
	if w.visible() {
		w.fatalf("started minimised with a tray, the window shows")
	}
	savePNG(filepath.Join(w.shots, "01-tray.png"), screen(t).(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(corner))
	// Its menu: right click on the icon, then Show softtoken.
	var words []word
	if !poll(30*time.Second, func() bool {
		exec.Command("xdotool", "mousemove", "--sync", "20", strconv.Itoa(1080-20), "click", "3").Run()
		time.Sleep(500 * time.Millisecond)
		img := screen(t).(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(corner)
		words = ocrImage(t, img, w.dir, "eng")
		_, ok := find(words, "Show softtoken")
		if !ok {
			exec.Command("xdotool", "key", "Escape").Run()
		}
		return ok
	}) {
		t.Fatalf("the icon's menu shows no Show softtoken: %s", text(words))
	}
	savePNG(filepath.Join(w.shots, "02-menu.png"), screen(t).(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(corner))
	r, _ := find(words, "Show softtoken")
	w.clickAt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
	w.waitWindow()
	w.wait("alice")
	w.closeByWM()
	if !poll(10*time.Second, func() bool { return !w.visible() }) {
		w.fatalf("closing the window did not hide it into the tray")
	}
	time.Sleep(time.Second)
	if w.gone() {
		w.fatalf("closing the window quit softtoken although the panel shows its icon")
	}
}
