package autotype

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/ebitengine/purego"
)

// On macOS the keys are CGEvents posted at the HID event tap, where the
// keyboard's events enter the window server: the window with the
// keyboard focus gets them as typed keys. They are the virtual key codes
// of the ANSI keyboard's top-row digits (kVK_ANSI_0 to kVK_ANSI_9), Tab
// and Return: positions, not characters, as on the other systems. On the
// usual layouts (English, German, …) those keys give the digits; on a
// layout whose digits need Shift (French) the code comes out wrong, and
// the person pastes it instead.
//
// macOS lets a program post keyboard events only with the Accessibility
// permission (System Settings, Privacy & Security, Accessibility): Open
// asks for it (macOS shows its prompt, which leads there) and reports
// ErrNoPermission until it is given.
//
// The calls go through purego (dlopen of the system frameworks), not cgo,
// so that the package builds and is vetted from Linux with
// CGO_ENABLED=0; it is not run in the tests here (no macOS).

const (
	frameworks               = "/System/Library/Frameworks/"
	coreGraphics             = frameworks + "CoreGraphics.framework/CoreGraphics"
	coreFoundation           = frameworks + "CoreFoundation.framework/CoreFoundation"
	appServices              = frameworks + "ApplicationServices.framework/ApplicationServices"
	hidSystemState           = 1 // kCGEventSourceStateHIDSystemState
	hidEventTap              = 0 // kCGHIDEventTap
	onScreenOnly             = 1 << 0
	excludeDesktop           = 1 << 4
	cfNumberSInt32           = 3                                                 // kCFNumberSInt32Type
	cfStringUTF8             = 0x08000100                                        // kCFStringEncodingUTF8
	flagsModifiers           = 0x00020000 | 0x00040000 | 0x00080000 | 0x00100000 // Shift, Control, Option, Command
	kvkTab, kvkReturn uint16 = 0x30, 0x24
)

// kvkDigits are kVK_ANSI_0 to kVK_ANSI_9.
var kvkDigits = [10]uint16{0x1d, 0x12, 0x13, 0x14, 0x15, 0x17, 0x16, 0x1a, 0x1c, 0x19}

var (
	loadOnce sync.Once
	loadErr  error

	cgEventSourceCreate        func(state int32) uintptr
	cgEventSourceFlagsState    func(state int32) uint64
	cgEventCreateKeyboardEvent func(source uintptr, key uint16, down bool) uintptr
	cgEventSetFlags            func(event uintptr, flags uint64)
	cgEventPost                func(tap uint32, event uintptr)
	cgWindowListCopyWindowInfo func(option uint32, relativeTo uint32) uintptr
	cfRelease                  func(ref uintptr)
	cfArrayGetCount            func(array uintptr) int
	cfArrayGetValueAtIndex     func(array uintptr, i int) uintptr
	cfDictionaryGetValue       func(dict, key uintptr) uintptr
	cfDictionaryCreate         func(alloc uintptr, keys, values *uintptr, n int, keyCB, valueCB uintptr) uintptr
	cfNumberGetValue           func(number uintptr, typ int, out unsafe.Pointer) bool
	cfStringGetCString         func(str uintptr, buf *byte, size int, encoding uint32) bool
	axIsProcessTrustedWithOpts func(options uintptr) bool

	// CFStrings and callbacks the frameworks export.
	keyLayer, keyOwnerPID, keyNumber, keyOwnerName uintptr
	axPrompt, cfTrue                               uintptr
	dictKeyCallBacks, dictValueCallBacks           uintptr
)

// global is the value of the pointer-sized global name of lib (a
// CFStringRef constant); ref true gives its address instead (a struct).
func global(lib uintptr, name string, ref bool) (uintptr, error) {
	addr, err := purego.Dlsym(lib, name)
	if err != nil {
		return 0, err
	}
	if ref {
		return addr, nil
	}
	return **(**uintptr)(unsafe.Pointer(&addr)), nil
}

func load() error {
	loadOnce.Do(func() {
		cg, err := purego.Dlopen(coreGraphics, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			loadErr = err
			return
		}
		cf, err := purego.Dlopen(coreFoundation, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			loadErr = err
			return
		}
		as, err := purego.Dlopen(appServices, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			loadErr = err
			return
		}
		for _, f := range []struct {
			lib  uintptr
			fn   any
			name string
		}{
			{cg, &cgEventSourceCreate, "CGEventSourceCreate"},
			{cg, &cgEventSourceFlagsState, "CGEventSourceFlagsState"},
			{cg, &cgEventCreateKeyboardEvent, "CGEventCreateKeyboardEvent"},
			{cg, &cgEventSetFlags, "CGEventSetFlags"},
			{cg, &cgEventPost, "CGEventPost"},
			{cg, &cgWindowListCopyWindowInfo, "CGWindowListCopyWindowInfo"},
			{cf, &cfRelease, "CFRelease"},
			{cf, &cfArrayGetCount, "CFArrayGetCount"},
			{cf, &cfArrayGetValueAtIndex, "CFArrayGetValueAtIndex"},
			{cf, &cfDictionaryGetValue, "CFDictionaryGetValue"},
			{cf, &cfDictionaryCreate, "CFDictionaryCreate"},
			{cf, &cfNumberGetValue, "CFNumberGetValue"},
			{cf, &cfStringGetCString, "CFStringGetCString"},
			{as, &axIsProcessTrustedWithOpts, "AXIsProcessTrustedWithOptions"},
		} {
			if _, err := purego.Dlsym(f.lib, f.name); err != nil {
				loadErr = err
				return
			}
			purego.RegisterLibFunc(f.fn, f.lib, f.name)
		}
		for _, g := range []struct {
			lib  uintptr
			to   *uintptr
			name string
			ref  bool
		}{
			{cg, &keyLayer, "kCGWindowLayer", false},
			{cg, &keyOwnerPID, "kCGWindowOwnerPID", false},
			{cg, &keyNumber, "kCGWindowNumber", false},
			{cg, &keyOwnerName, "kCGWindowOwnerName", false},
			{as, &axPrompt, "kAXTrustedCheckOptionPrompt", false},
			{cf, &cfTrue, "kCFBooleanTrue", false},
			{cf, &dictKeyCallBacks, "kCFTypeDictionaryKeyCallBacks", true},
			{cf, &dictValueCallBacks, "kCFTypeDictionaryValueCallBacks", true},
		} {
			if *g.to, err = global(g.lib, g.name, g.ref); err != nil {
				loadErr = err
				return
			}
		}
	})
	return loadErr
}

// Window is the frontmost window (its window number), 0 for none.
type Window uint32

// Typer types into the frontmost window through CGEvents. Its methods
// may be called from several goroutines.
type Typer struct {
	mu     sync.Mutex
	source uintptr
	sleep  func(time.Duration)
}

// Open loads the frameworks and checks the Accessibility permission,
// asking for it where it is not given (macOS shows its prompt once):
// ErrNoPermission until the person gives it.
func Open() (*Typer, error) {
	if err := load(); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrUnsupported, err)
	}
	if !trusted(true) {
		return nil, ErrNoPermission
	}
	src := cgEventSourceCreate(hidSystemState)
	if src == 0 {
		return nil, fmt.Errorf("%w (no event source)", ErrUnsupported)
	}
	return &Typer{source: src, sleep: time.Sleep}, nil
}

// trusted reports whether softtoken has the Accessibility permission;
// prompt makes macOS ask the person for it where it has not.
func trusted(prompt bool) bool {
	if !prompt {
		return axIsProcessTrustedWithOpts(0)
	}
	keys, values := []uintptr{axPrompt}, []uintptr{cfTrue}
	opts := cfDictionaryCreate(0, &keys[0], &values[0], 1, dictKeyCallBacks, dictValueCallBacks)
	if opts == 0 {
		return axIsProcessTrustedWithOpts(0)
	}
	defer cfRelease(opts)
	return axIsProcessTrustedWithOpts(opts)
}

// Close releases the event source.
func (t *Typer) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.source != 0 {
		cfRelease(t.source)
		t.source = 0
	}
	return nil
}

// front is the frontmost window of the normal layer (the one with the
// keyboard focus; the window server lists them front to back), its
// owner's pid and name; 0 where there is none. The window list gives
// numbers, owners and layers without the Screen Recording permission
// (only windows' titles need it).
func front() (w Window, pid int, owner string) {
	list := cgWindowListCopyWindowInfo(onScreenOnly|excludeDesktop, 0)
	if list == 0 {
		return 0, 0, ""
	}
	defer cfRelease(list)
	for i, n := 0, cfArrayGetCount(list); i < n; i++ {
		d := cfArrayGetValueAtIndex(list, i)
		if layer, ok := number(d, keyLayer); !ok || layer != 0 {
			continue
		}
		num, _ := number(d, keyNumber)
		p, _ := number(d, keyOwnerPID)
		return Window(uint32(num)), int(p), str(d, keyOwnerName)
	}
	return 0, 0, ""
}

func number(dict, key uintptr) (int32, bool) {
	v := cfDictionaryGetValue(dict, key)
	if v == 0 {
		return 0, false
	}
	var n int32
	return n, cfNumberGetValue(v, cfNumberSInt32, unsafe.Pointer(&n))
}

func str(dict, key uintptr) string {
	v := cfDictionaryGetValue(dict, key)
	if v == 0 {
		return ""
	}
	buf := make([]byte, 512)
	if !cfStringGetCString(v, &buf[0], len(buf), cfStringUTF8) {
		return ""
	}
	return strings.TrimRight(string(buf), "\x00")
}

// own reports whether a window of pid and owner is softtoken's: of this
// process (or opt.OwnPID), or of an application named opt.OwnClass
// (another start of softtoken).
func own(pid int, owner string, opt Options) bool {
	want := opt.OwnPID
	if want == 0 {
		want = os.Getpid()
	}
	return pid == want || strings.EqualFold(owner, opt.ownClass())
}

// Focused is the frontmost window, 0 if none.
func (t *Typer) Focused() (Window, error) {
	w, _, _ := front()
	return w, nil
}

// CheckFocus reports what Type would refuse now: ErrNoFocus where no
// window is in front, ErrOwnWindow where softtoken's own is.
func (t *Typer) CheckFocus(opt Options) error {
	_, err := target(opt)
	return err
}

func target(opt Options) (Window, error) {
	w, pid, owner := front()
	switch {
	case w == 0:
		return 0, ErrNoFocus
	case own(pid, owner, opt):
		return 0, ErrOwnWindow
	}
	return w, nil
}

// Type types code into the frontmost window, with opt's Tabs before and
// Return after. It refuses softtoken's own window (ErrOwnWindow) and no
// window (ErrNoFocus), waits (3 s at most) for the modifier keys to be
// let go (else ErrKeysHeld), and stops with ErrNoFocus where another
// window comes to the front while it types.
func (t *Typer) Type(code string, opt Options) error {
	ks, err := keysyms(code, opt)
	if err != nil {
		return err
	}
	keys := make([]uint16, len(ks))
	for i, s := range ks {
		switch {
		case s == keysymTab:
			keys[i] = kvkTab
		case s == keysymReturn:
			keys[i] = kvkReturn
		case s >= keysym0 && s <= keysym0+9:
			keys[i] = kvkDigits[s-keysym0]
		default:
			return ErrNoKey
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.source == 0 {
		return ErrUnsupported
	}
	if !trusted(false) {
		return ErrNoPermission
	}
	w, err := target(opt)
	if err != nil {
		return err
	}
	held := func() bool { return cgEventSourceFlagsState(hidSystemState)&flagsModifiers != 0 }
	if err := waitReleased(held, releaseWait, 20*time.Millisecond); err != nil {
		return err
	}
	delay := opt.keyDelay()
	for _, k := range keys {
		if now, _, _ := front(); now != w {
			return ErrNoFocus
		}
		for _, down := range []bool{true, false} {
			ev := cgEventCreateKeyboardEvent(t.source, k, down)
			if ev == 0 {
				return fmt.Errorf("%w (no keyboard event)", ErrUnsupported)
			}
			// No modifier goes with the key, whatever is held.
			cgEventSetFlags(ev, 0)
			cgEventPost(hidEventTap, ev)
			cfRelease(ev)
			t.sleep(delay)
		}
	}
	return nil
}

// PollInterval is how often WaitFocus asks for the frontmost window.
const PollInterval = 100 * time.Millisecond

// WaitFocus waits until a window other than from and not softtoken's is
// in front, and has stayed there for settle; it ends with ctx, with
// ErrNoFocus.
func (t *Typer) WaitFocus(ctx context.Context, from Window, settle time.Duration, opt Options) (Window, error) {
	return waitFocus(ctx, func() (Window, bool, error) {
		w, pid, owner := front()
		return w, w != 0 && own(pid, owner, opt), nil
	}, from, settle, PollInterval)
}
