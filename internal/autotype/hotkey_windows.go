package autotype

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Modifiers of RegisterHotKey.
const (
	winModAlt     = 0x0001
	winModControl = 0x0002
	winModShift   = 0x0004
	winModWin     = 0x0008
	wmStop        = 0x8000 // WM_APP: the loop's own message to end
)

// winMods is h's modifiers for RegisterHotKey, with MOD_NOREPEAT: a key
// held down fires once.
func winMods(m Mod) uintptr {
	r := uintptr(modNoRepeat)
	for _, p := range []struct {
		m Mod
		w uintptr
	}{{ModCtrl, winModControl}, {ModAlt, winModAlt}, {ModShift, winModShift}, {ModSuper, winModWin}} {
		if m&p.m != 0 {
			r |= p.w
		}
	}
	return r
}

// msg is Windows' MSG.
type msg struct {
	hwnd    uintptr
	message uint32
	wParam  uintptr
	lParam  uintptr
	time    uint32
	pt      struct{ x, y int32 }
	private uint32
}

// registerHotkey registers h with RegisterHotKey on a thread of its own
// (a hotkey without a window posts WM_HOTKEY to the thread that
// registered it), whose message loop calls fire for each WM_HOTKEY; stop
// unregisters it and ends the thread.
func registerHotkey(h Hotkey, fire func()) (func(), error) {
	if err := procRegisterHotKey.Find(); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrHotkeyUnsupported, err)
	}
	type started struct {
		tid uint32
		err error
	}
	ready := make(chan started, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The hotkey belongs to this OS thread, and so does its message
		// queue: the goroutine stays on it until the end.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		const id = 1
		r, _, err := procRegisterHotKey.Call(0, id, winMods(h.Mods), uintptr(hotkeyVK(h.Key)))
		if r == 0 {
			if en, ok := err.(syscall.Errno); ok && en == errHotkeyExists {
				ready <- started{err: fmt.Errorf("%w: %s", ErrHotkeyTaken, h)}
			} else {
				ready <- started{err: fmt.Errorf("%w (RegisterHotKey: %v)", ErrHotkeyUnsupported, err)}
			}
			return
		}
		defer procUnregisterHotKey.Call(0, id)
		ready <- started{tid: windows.GetCurrentThreadId()}
		var m msg
		for {
			r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
			// 0: WM_QUIT; -1: an error, which a valid MSG pointer never
			// gives.
			if int32(r) <= 0 || m.message == wmStop {
				return
			}
			if m.message == wmHotkey && m.wParam == id {
				go fire()
			}
		}
	}()
	s := <-ready
	if s.err != nil {
		<-done
		return nil, s.err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			// The thread's queue exists (RegisterHotKey made it), so the
			// message is not lost.
			procPostThreadMessageW.Call(uintptr(s.tid), wmStop, 0, 0)
			<-done
		})
	}, nil
}

func init() { grabHotkey = grabWindows }

// grabWindows is GrabHotkey on Windows: RegisterHotKey (registerHotkey).
func grabWindows(h Hotkey, pressed func()) (Grab, error) {
	stop, err := registerHotkey(h, pressed)
	if err != nil {
		return nil, err
	}
	return stopGrab(stop), nil
}

// stopGrab is a Grab that ends with a call.
type stopGrab func()

func (s stopGrab) Release() error { s(); return nil }

// hotkeyVK is the Windows virtual-key code of a Hotkey's key (A to Z and
// 0 to 9 are their ASCII codes, F1 is 0x70), 0 for none.
func hotkeyVK(k string) uint16 {
	switch {
	case len(k) == 1 && (k[0] >= 'A' && k[0] <= 'Z' || k[0] >= '0' && k[0] <= '9'):
		return uint16(k[0])
	case len(k) >= 2 && k[0] == 'F':
		n := 0
		for _, c := range k[1:] {
			if c < '0' || c > '9' {
				return 0
			}
			n = n*10 + int(c-'0')
		}
		if n >= 1 && n <= 24 && k[1] != '0' {
			return uint16(0x70 + n - 1)
		}
	}
	return 0
}
