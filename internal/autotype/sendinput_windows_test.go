package autotype

import (
	"errors"
	"os"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// These tests run under Wine in make test (packaging/windows/wine/test.sh,
// part "units"), on Wine's X display: Wine's SendInput, foreground window
// and RegisterHotKey are Wine's, in wineserver, as Windows' are in win32k.

var (
	procCreateWindowExW     = user32.NewProc("CreateWindowExW")
	procDestroyWindow       = user32.NewProc("DestroyWindow")
	procSetForegroundWindow = user32.NewProc("SetForegroundWindow")
	procSetFocus            = user32.NewProc("SetFocus")
	procPeekMessageW        = user32.NewProc("PeekMessageW")
	procTranslateMessage    = user32.NewProc("TranslateMessage")
	procDispatchMessageW    = user32.NewProc("DispatchMessageW")
	procGetWindowTextW      = user32.NewProc("GetWindowTextW")
)

// editWindow is a top-level EDIT control of this process, in the
// foreground, on a thread of its own that pumps its messages.
type editWindow struct {
	hwnd windows.HWND
	stop chan struct{}
	done chan struct{}
}

func newEditWindow(t *testing.T) *editWindow {
	t.Helper()
	e := &editWindow{stop: make(chan struct{}), done: make(chan struct{})}
	made := make(chan windows.HWND, 1)
	go func() {
		defer close(e.done)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		class, _ := windows.UTF16PtrFromString("EDIT")
		title, _ := windows.UTF16PtrFromString("")
		const wsOverlappedWindow, wsVisible = 0x00cf0000, 0x10000000
		h, _, _ := procCreateWindowExW.Call(0, uintptr(unsafe.Pointer(class)), uintptr(unsafe.Pointer(title)),
			wsOverlappedWindow|wsVisible, 100, 100, 300, 80, 0, 0, 0, 0)
		made <- windows.HWND(h)
		if h == 0 {
			return
		}
		defer procDestroyWindow.Call(h)
		procSetForegroundWindow.Call(h)
		procSetFocus.Call(h)
		var m msg
		for {
			select {
			case <-e.stop:
				return
			default:
			}
			const pmRemove = 1
			for {
				r, _, _ := procPeekMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0, pmRemove)
				if r == 0 {
					break
				}
				procTranslateMessage.Call(uintptr(unsafe.Pointer(&m)))
				procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	e.hwnd = <-made
	if e.hwnd == 0 {
		t.Fatal("CreateWindowEx of an EDIT failed")
	}
	t.Cleanup(func() { close(e.stop); <-e.done })
	// The foreground: Wine gives it when X gives its window the focus.
	for i := 0; windows.GetForegroundWindow() != e.hwnd; i++ {
		if i == 100 {
			t.Fatalf("the test window %x is not in the foreground (%x is)", e.hwnd, windows.GetForegroundWindow())
		}
		procSetForegroundWindow.Call(uintptr(e.hwnd))
		time.Sleep(100 * time.Millisecond)
	}
	return e
}

func (e *editWindow) text() string {
	buf := make([]uint16, 256)
	n, _, _ := procGetWindowTextW.Call(uintptr(e.hwnd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	return windows.UTF16ToString(buf[:n])
}

// TestTypeWindows types into an EDIT control through SendInput and reads
// its text back: the digits' keys reached it, through the layout.
func TestTypeWindows(t *testing.T) {
	e := newEditWindow(t)
	ty, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ty.Close()
	if f, _ := ty.Focused(); f != Window(uint32(e.hwnd)) {
		t.Fatalf("focused %x, want the test window %x", f, e.hwnd)
	}
	// The window is this process's: for this test it is not ours.
	ty.ownExe = ""
	opt := Options{OwnPID: 1, OwnClass: "not-this", KeyDelay: 5 * time.Millisecond}
	if err := ty.Type("907153", opt); err != nil {
		t.Fatal(err)
	}
	var got string
	for range 100 {
		if got = e.text(); got == "907153" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the window got %q, want 907153", got)
}

// TestTypeOwnWindowWindows: a window of this process, or of a program
// named as this one, is never typed into.
func TestTypeOwnWindowWindows(t *testing.T) {
	e := newEditWindow(t)
	ty, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	if err := ty.Type("123456", Options{}); !errors.Is(err, ErrOwnWindow) {
		t.Errorf("into a window of our pid: %v", err)
	}
	if err := ty.CheckFocus(Options{}); !errors.Is(err, ErrOwnWindow) {
		t.Errorf("check of a window of our pid: %v", err)
	}
	// Another pid, but a program of the same file name.
	if err := ty.Type("123456", Options{OwnPID: 1}); !errors.Is(err, ErrOwnWindow) {
		t.Errorf("into a window of a program named as ours: %v", err)
	}
	if got := e.text(); got != "" {
		t.Errorf("the window got %q", got)
	}
}

// TestTypeKeysHeld: a held modifier (the shortcut's, not yet let go) is
// waited for, and the code not typed while it is held.
func TestTypeKeysHeld(t *testing.T) {
	e := newEditWindow(t)
	ty, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	ty.ownExe = ""
	held := 0
	ty.pressed = func(vk int) bool { held++; return vk == vkControl && held < 20 }
	opt := Options{OwnPID: 1, OwnClass: "not-this", KeyDelay: time.Millisecond}
	if err := ty.Type("42", opt); err != nil {
		t.Fatal(err)
	}
	ty.pressed = func(vk int) bool { return vk == vkMenu }
	start := time.Now()
	if err := ty.Type("42", opt); !errors.Is(err, ErrKeysHeld) || time.Since(start) < releaseWait {
		t.Errorf("with Alt held for good: %v after %s", err, time.Since(start))
	}
	for range 100 {
		if e.text() == "42" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("the window got %q, want 42 (once)", e.text())
}

// sendKeys injects key events (down for each vk, then up in reverse)
// through SendInput, as a keyboard would.
func sendKeys(t *testing.T, vks ...uint16) {
	t.Helper()
	var in []keybdInput
	for _, vk := range vks {
		in = append(in, keyInput(vk, 0, false))
	}
	for i := len(vks) - 1; i >= 0; i-- {
		in = append(in, keyInput(vks[i], 0, true))
	}
	n, _, err := procSendInput.Call(uintptr(len(in)), uintptr(unsafe.Pointer(&in[0])), unsafe.Sizeof(in[0]))
	if int(n) != len(in) {
		t.Fatalf("SendInput took %d of %d events: %v", n, len(in), err)
	}
}

// TestHotkeyWindows registers a shortcut, presses it through SendInput
// and sees it fire; a second registration of it is refused while the
// first holds it, and taken after stop.
func TestHotkeyWindows(t *testing.T) {
	newEditWindow(t)
	fired := make(chan struct{}, 4)
	stop, err := grabSpec("Ctrl+Alt+F9", func() { fired <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := grabSpec("ctrl+alt+f9", func() {}); !errors.Is(err, ErrHotkeyTaken) {
		t.Errorf("a second registration of Ctrl+Alt+F9: %v", err)
	}
	sendKeys(t, vkControl, vkMenu, 0x78) // F9
	select {
	case <-fired:
	case <-time.After(10 * time.Second):
		t.Fatal("Ctrl+Alt+F9, pressed through SendInput, did not fire")
	}
	stop()
	stop() // twice is harmless
	sendKeys(t, vkControl, vkMenu, 0x78)
	select {
	case <-fired:
		t.Error("the shortcut fired after stop")
	case <-time.After(500 * time.Millisecond):
	}
	stop2, err := grabSpec("Ctrl+Alt+F9", func() {})
	if err != nil {
		t.Fatalf("after stop the shortcut cannot be registered again: %v", err)
	}
	stop2()
}

// TestHotkeyFromX is driven by packaging/windows/wine/test.sh: it
// registers Ctrl+Alt+T, creates the file SOFTTOKEN_HOTKEY_READY names,
// and waits for the test to press the keys on Wine's X display (xdotool,
// through the X server as a keyboard's keys come), with a window of Wine
// focused. Without that variable it has nothing to wait for and skips.
func TestHotkeyFromX(t *testing.T) {
	ready := os.Getenv("SOFTTOKEN_HOTKEY_READY")
	if ready == "" {
		t.Skip("run by packaging/windows/wine/test.sh, which presses the keys")
	}
	fired := make(chan struct{}, 1)
	stop, err := grabSpec("Ctrl+Alt+T", func() {
		select {
		case fired <- struct{}{}:
		default:
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := os.WriteFile(ready, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	select {
	case <-fired:
	case <-time.After(60 * time.Second):
		t.Fatal("Ctrl+Alt+T, pressed on the X display, did not fire within a minute")
	}
}

// TestInputSize: SendInput takes INPUTs of the size Windows' C headers
// give them.
func TestInputSize(t *testing.T) {
	want := uintptr(40)
	if unsafe.Sizeof(uintptr(0)) == 4 {
		want = 28
	}
	if got := unsafe.Sizeof(keybdInput{}); got != want {
		t.Errorf("INPUT is %d bytes, want %d", got, want)
	}
}

// grabSpec is GrabHotkey of a shortcut as the settings write it, ended
// by a call (twice is harmless).
func grabSpec(spec string, fire func()) (func(), error) {
	h, err := ParseHotkey(spec)
	if err != nil {
		return nil, err
	}
	g, err := GrabHotkey(h, fire)
	if err != nil {
		return nil, err
	}
	return func() { g.Release() }, nil
}
