package autotype

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows the keys go through SendInput into the input stream of the
// desktop, where the foreground window's thread reads them as it reads
// the keyboard's. Each key is sent as its virtual-key code together with
// its scan code of the foreground window's keyboard layout (as
// KeePassXC's AutoTypeWindows does), not as KEYEVENTF_UNICODE text: a
// remote desktop client (mstsc, the browser's RD Web client) forwards
// scan codes to the remote session, whose layout may be another, and the
// digits' keys are the same on German, English and most layouts. The
// digit's key is looked up in the layout (VkKeyScanEx), so that on a
// French layout, whose top-row digits need Shift, Shift is pressed too.
//
// What Windows does not allow: keys into a window of a program run as
// administrator from one that is not (User Interface Privilege
// Isolation); SendInput then takes fewer events than given, and Type
// reports ErrBlocked. The secure desktop (UAC prompt, Ctrl+Alt+Del, the
// lock screen) takes no injected keys at all.

var (
	user32                 = windows.NewLazySystemDLL("user32.dll")
	procSendInput          = user32.NewProc("SendInput")
	procVkKeyScanExW       = user32.NewProc("VkKeyScanExW")
	procMapVirtualKeyExW   = user32.NewProc("MapVirtualKeyExW")
	procGetKeyboardLayout  = user32.NewProc("GetKeyboardLayout")
	procGetAsyncKeyState   = user32.NewProc("GetAsyncKeyState")
	procRegisterHotKey     = user32.NewProc("RegisterHotKey")
	procUnregisterHotKey   = user32.NewProc("UnregisterHotKey")
	procGetMessageW        = user32.NewProc("GetMessageW")
	procPostThreadMessageW = user32.NewProc("PostThreadMessageW")

	procGetConsoleWindow = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetConsoleWindow")
)

// Window is a top-level window (its HWND; window handles have 32
// significant bits also in 64-bit Windows), 0 for none.
type Window uint32

// Virtual-key codes and flags of SendInput.
const (
	vkTab     = 0x09
	vkReturn  = 0x0d
	vkShift   = 0x10
	vkControl = 0x11
	vkMenu    = 0x12 // Alt
	vkLShift  = 0xa0
	vkLWin    = 0x5b
	vkRWin    = 0x5c

	inputKeyboard   = 1
	keyeventfKeyUp  = 0x0002
	mapvkVKToVSC    = 0
	vkScanShift     = 0x0100 // VkKeyScanEx's high byte: Shift
	vkScanCtrlAlt   = 0x0600 // Ctrl or Alt (AltGr): not pressed for a digit
	wmHotkey        = 0x0312
	modNoRepeat     = 0x4000
	errHotkeyExists = 1409 // ERROR_HOTKEY_ALREADY_REGISTERED
)

// keybdInput is Windows' INPUT with its KEYBDINPUT (in a struct of its
// own, aligned as the C union is: at 8 on 64-bit systems); the padding
// makes it as large as the union's largest member (MOUSEINPUT), as
// SendInput's cbSize must say: 40 bytes on 64-bit systems, 28 on 32-bit.
type keybdInput struct {
	typ uint32
	ki  struct {
		vk    uint16
		scan  uint16
		flags uint32
		time  uint32
		extra uintptr
	}
	_ [8]byte
}

// keyInput is a keyboard INPUT: the key vk (scan code scan) pressed, or let go.
func keyInput(vk, scan uint16, up bool) keybdInput {
	in := keybdInput{typ: inputKeyboard}
	in.ki.vk, in.ki.scan = vk, scan
	if up {
		in.ki.flags = keyeventfKeyUp
	}
	return in
}

// Typer types into the foreground window through SendInput. Its methods
// may be called from several goroutines.
type Typer struct {
	mu      sync.Mutex
	ownExe  string // this program's file name, lower case, without .exe
	sleep   func(time.Duration)
	pressed func(vk int) bool
}

// Open checks that user32 has SendInput (every Windows since 2000 has).
func Open() (*Typer, error) {
	if err := procSendInput.Find(); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrUnsupported, err)
	}
	t := &Typer{sleep: time.Sleep, pressed: keyDown}
	if exe, err := os.Executable(); err == nil {
		t.ownExe = exeName(exe)
	}
	return t, nil
}

// Close does nothing: the Typer holds no handle.
func (t *Typer) Close() error { return nil }

func exeName(path string) string {
	return strings.TrimSuffix(strings.ToLower(filepath.Base(path)), ".exe")
}

// Focused is the foreground window, 0 if none (the desktop being
// switched, a secure desktop).
func (t *Typer) Focused() (Window, error) {
	return Window(uint32(windows.GetForegroundWindow())), nil
}

// own reports whether hwnd is a window of softtoken: of this process (or
// opt.OwnPID), or of a program whose file is softtoken.exe (opt.OwnClass
// with .exe), or is named as this program's file (another start of it:
// the window while the command line types), or the console window that
// softtoken's command line runs in (the code would land at its prompt).
func (t *Typer) own(hwnd windows.HWND, opt Options) bool {
	if c, _, _ := procGetConsoleWindow.Call(); c != 0 && windows.HWND(c) == hwnd {
		return true
	}
	var pid uint32
	if _, err := windows.GetWindowThreadProcessId(hwnd, &pid); err != nil || pid == 0 {
		// A window that went away: nothing is typed into it either.
		return false
	}
	want := opt.OwnPID
	if want == 0 {
		want = os.Getpid()
	}
	if int(pid) == want {
		return true
	}
	name := processExe(pid)
	return name != "" && (name == strings.ToLower(opt.ownClass()) || name == t.ownExe)
}

// processExe is the file name of process pid (lower case, without
// .exe), "" where it cannot be read.
func processExe(pid uint32) string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(buf))
	if err := windows.QueryFullProcessImageName(h, 0, &buf[0], &n); err != nil {
		return ""
	}
	return exeName(windows.UTF16ToString(buf[:n]))
}

// CheckFocus reports what Type would refuse now: ErrNoFocus where no
// window is in the foreground, ErrOwnWindow where softtoken's own is.
func (t *Typer) CheckFocus(opt Options) error {
	_, err := t.target(opt)
	return err
}

func (t *Typer) target(opt Options) (windows.HWND, error) {
	w := windows.GetForegroundWindow()
	switch {
	case w == 0:
		return 0, ErrNoFocus
	case t.own(w, opt):
		return 0, ErrOwnWindow
	}
	return w, nil
}

// winKey is one key to press: its virtual-key and scan codes, and
// whether Shift goes with it.
type winKey struct {
	vk, scan uint16
	shift    bool
}

// keysOf maps the keysyms of keysyms() to keys of the keyboard layout
// hkl: digits through VkKeyScanEx (ErrNoKey where the layout has no key
// for one, or only with Ctrl or AltGr), Tab and Enter by their fixed
// codes.
func keysOf(ks []uint32, hkl uintptr) ([]winKey, error) {
	out := make([]winKey, 0, len(ks))
	for _, s := range ks {
		var k winKey
		switch {
		case s == keysymTab:
			k.vk = vkTab
		case s == keysymReturn:
			k.vk = vkReturn
		case s >= keysym0 && s <= keysym0+9:
			r, _, _ := procVkKeyScanExW.Call(uintptr(s), hkl)
			v := uint16(r)
			if v == 0xffff || v&vkScanCtrlAlt != 0 {
				return nil, ErrNoKey
			}
			k.vk, k.shift = v&0xff, v&vkScanShift != 0
		default:
			return nil, ErrNoKey
		}
		sc, _, _ := procMapVirtualKeyExW.Call(uintptr(k.vk), mapvkVKToVSC, hkl)
		k.scan = uint16(sc)
		out = append(out, k)
	}
	return out, nil
}

// keyDown reports whether the key vk is held down now.
func keyDown(vk int) bool {
	r, _, _ := procGetAsyncKeyState.Call(uintptr(vk))
	return r&0x8000 != 0
}

// modifiersHeld reports whether Shift, Ctrl, Alt or a Windows key is held.
func (t *Typer) modifiersHeld() bool {
	for _, vk := range []int{vkShift, vkControl, vkMenu, vkLWin, vkRWin} {
		if t.pressed(vk) {
			return true
		}
	}
	return false
}

// Type types code into the foreground window, with opt's Tabs before and
// Enter after. It refuses softtoken's own window (ErrOwnWindow) and no
// window (ErrNoFocus); it first waits (3 s at most) for the modifier
// keys to be let go, which a shortcut's press leaves held (else
// ErrKeysHeld), and stops with ErrNoFocus where the foreground window
// changes while it types.
func (t *Typer) Type(code string, opt Options) error {
	ks, err := keysyms(code, opt)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	w, err := t.target(opt)
	if err != nil {
		return err
	}
	if err := waitReleased(t.modifiersHeld, releaseWait, 20*time.Millisecond); err != nil {
		return err
	}
	tid, _ := windows.GetWindowThreadProcessId(w, nil)
	hkl, _, _ := procGetKeyboardLayout.Call(uintptr(tid))
	keys, err := keysOf(ks, hkl)
	if err != nil {
		return err
	}
	shiftScan, _, _ := procMapVirtualKeyExW.Call(vkLShift, mapvkVKToVSC, hkl)
	delay := opt.keyDelay()
	send := func(vk, scan uint16, up bool) error {
		in := keyInput(vk, scan, up)
		n, _, err := procSendInput.Call(1, uintptr(unsafe.Pointer(&in)), unsafe.Sizeof(in))
		if n != 1 {
			return fmt.Errorf("%w (SendInput: %v)", ErrBlocked, err)
		}
		t.sleep(delay)
		return nil
	}
	for _, k := range keys {
		// The window may have changed since the last key: nothing goes
		// into another one (or into softtoken's).
		if windows.GetForegroundWindow() != w {
			return ErrNoFocus
		}
		if k.shift {
			if err := send(vkLShift, uint16(shiftScan), false); err != nil {
				return err
			}
		}
		if err := send(k.vk, k.scan, false); err != nil {
			return err
		}
		if err := send(k.vk, k.scan, true); err != nil {
			return err
		}
		if k.shift {
			if err := send(vkLShift, uint16(shiftScan), true); err != nil {
				return err
			}
		}
	}
	return nil
}

// PollInterval is how often WaitFocus asks for the foreground window.
const PollInterval = 100 * time.Millisecond

// WaitFocus waits until a window other than from and not softtoken's is
// in the foreground, and has stayed there for settle; it ends with ctx,
// with ErrNoFocus.
func (t *Typer) WaitFocus(ctx context.Context, from Window, settle time.Duration, opt Options) (Window, error) {
	return waitFocus(ctx, func() (Window, bool, error) {
		w := windows.GetForegroundWindow()
		return Window(uint32(w)), w != 0 && t.own(w, opt), nil
	}, from, settle, PollInterval)
}
