package autotype

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
	"github.com/jezek/xgb/xtest"
)

func init() {
	// xgb logs to stderr when there is no ~/.Xauthority (as scan does).
	xgb.Logger = log.New(io.Discard, "", 0)
}

// Window is a top-level window (a child of the root window: under a
// window manager its frame), 0 for none.
type Window uint32

// Typer types into the X server of $DISPLAY through XTEST. Its methods
// may be called from several goroutines; Close ends its connection.
type Typer struct {
	mu   sync.Mutex
	conn *xgb.Conn
	root xproto.Window
	// keys maps a keysym to its key code and whether Shift is needed.
	keys  map[uint32]key
	shift xproto.Keycode
}

type key struct {
	code  xproto.Keycode
	shift bool
}

const keysymShiftL = 0xffe1

// Open connects to the X server of $DISPLAY. Without one (a Wayland
// session without XWayland, a console) or without XTEST it reports
// ErrUnsupported.
func Open() (*Typer, error) {
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("WAYLAND_DISPLAY") != "" {
			return nil, waylandTyping()
		}
		return nil, fmt.Errorf("%w (no X display)", ErrUnsupported)
	}
	c, err := xgb.NewConn()
	if err != nil {
		return nil, fmt.Errorf("%w (the X display cannot be reached: %v)", ErrUnsupported, err)
	}
	if err := xtest.Init(c); err != nil {
		c.Close()
		return nil, fmt.Errorf("%w (the X server has no XTEST)", ErrUnsupported)
	}
	t := &Typer{conn: c, root: xproto.Setup(c).DefaultScreen(c).Root}
	if err := t.loadKeys(); err != nil {
		c.Close()
		return nil, err
	}
	return t, nil
}

// Close ends the connection.
func (t *Typer) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.conn != nil {
		t.conn.Close()
		t.conn = nil
	}
	return nil
}

// loadKeys reads the keyboard mapping: for each keysym the first key code
// that gives it without a modifier, else with Shift (a French layout's
// digits).
func (t *Typer) loadKeys() error {
	setup := xproto.Setup(t.conn)
	first, n := setup.MinKeycode, int(setup.MaxKeycode)-int(setup.MinKeycode)+1
	m, err := xproto.GetKeyboardMapping(t.conn, first, byte(n)).Reply()
	if err != nil {
		return fmt.Errorf("read the keyboard mapping: %w", err)
	}
	per := int(m.KeysymsPerKeycode)
	t.keys = map[uint32]key{}
	for col := 0; col < 2 && col < per; col++ {
		for i := 0; i < n; i++ {
			ks := uint32(m.Keysyms[i*per+col])
			if ks == 0 {
				continue
			}
			if _, seen := t.keys[ks]; !seen {
				t.keys[ks] = key{code: xproto.Keycode(int(first) + i), shift: col == 1}
			}
		}
	}
	if k, ok := t.keys[keysymShiftL]; ok && !k.shift {
		t.shift = k.code
	}
	return nil
}

// Focused is the top-level window that holds the keyboard focus, 0 if
// none does (the focus on the root window or on none).
func (t *Typer) Focused() (Window, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, _, err := t.focused()
	return w, err
}

// focused is the focused top-level window and the window chain from the
// focus up to it.
func (t *Typer) focused() (Window, []xproto.Window, error) {
	if t.conn == nil {
		return 0, nil, ErrUnsupported
	}
	f, err := xproto.GetInputFocus(t.conn).Reply()
	if err != nil {
		return 0, nil, fmt.Errorf("ask the X server for the focus: %w", err)
	}
	w := f.Focus
	// None (0) and PointerRoot (1): no window holds the focus.
	if w == 0 || w == 1 || w == t.root {
		return 0, nil, nil
	}
	chain := []xproto.Window{w}
	for range 64 {
		tree, err := xproto.QueryTree(t.conn, w).Reply()
		if err != nil {
			// The window went away meanwhile.
			return 0, nil, nil
		}
		if tree.Parent == t.root || tree.Parent == 0 {
			return Window(w), chain, nil
		}
		w = tree.Parent
		chain = append(chain, w)
	}
	return Window(w), chain, nil
}

// own reports whether a window of chain (or the client window inside a
// frame that holds the focus) is softtoken's.
func (t *Typer) own(chain []xproto.Window, opt Options) bool {
	pid := opt.OwnPID
	if pid == 0 {
		pid = os.Getpid()
	}
	class := strings.ToLower(opt.ownClass())
	pidAtom, _ := t.atom("_NET_WM_PID")
	for _, w := range chain {
		if pidAtom != 0 {
			p, err := xproto.GetProperty(t.conn, false, w, pidAtom, xproto.AtomCardinal, 0, 1).Reply()
			if err == nil && p.Format == 32 && len(p.Value) >= 4 && int(xgb.Get32(p.Value)) == pid {
				return true
			}
		}
		c, err := xproto.GetProperty(t.conn, false, w, xproto.AtomWmClass, xproto.AtomString, 0, 64).Reply()
		if err == nil {
			for _, part := range strings.Split(string(c.Value), "\x00") {
				if part != "" && strings.ToLower(part) == class {
					return true
				}
			}
		}
	}
	return false
}

func (t *Typer) atom(name string) (xproto.Atom, error) {
	r, err := xproto.InternAtom(t.conn, true, uint16(len(name)), name).Reply()
	if err != nil {
		return 0, err
	}
	return r.Atom, nil
}

// CheckFocus reports what Type would refuse now: ErrNoFocus where no
// window has the focus, ErrOwnWindow where softtoken's own has it. A
// caller checks it before it takes a code to type, so that none is used
// up for nothing.
func (t *Typer) CheckFocus(opt Options) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, chain, err := t.focused()
	switch {
	case err != nil:
		return err
	case w == 0:
		return ErrNoFocus
	case t.own(chain, opt):
		return ErrOwnWindow
	}
	return nil
}

// Type types code into the window that has the focus now, with opt's Tabs
// before and Enter after. It refuses softtoken's own window
// (ErrOwnWindow) and a focus on no window (ErrNoFocus).
func (t *Typer) Type(code string, opt Options) error {
	ks, err := keysyms(code, opt)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	w, chain, err := t.focused()
	if err != nil {
		return err
	}
	if w == 0 {
		return ErrNoFocus
	}
	if t.own(chain, opt) {
		return ErrOwnWindow
	}
	keys := make([]key, len(ks))
	for i, s := range ks {
		k, ok := t.keys[s]
		if !ok || (k.shift && t.shift == 0) {
			return ErrNoKey
		}
		keys[i] = k
	}
	// The keys of a shortcut that asked for the code may still be held:
	// typed digits would be Ctrl+Alt+digits then, and the X server would
	// send them to the shortcut's grab while its key is down.
	if err := t.keysUp(keysHeldLimit); err != nil {
		return err
	}
	delay := opt.keyDelay()
	press := func(c xproto.Keycode, down bool) error {
		typ := byte(xproto.KeyRelease)
		if down {
			typ = xproto.KeyPress
		}
		// Checked: the X server has taken each event before the next.
		if err := xtest.FakeInputChecked(t.conn, typ, byte(c), 0, t.root, 0, 0, 0).Check(); err != nil {
			return fmt.Errorf("type a key: %w", err)
		}
		time.Sleep(delay)
		return nil
	}
	for _, k := range keys {
		if k.shift {
			if err := press(t.shift, true); err != nil {
				return err
			}
		}
		if err := press(k.code, true); err != nil {
			return err
		}
		if err := press(k.code, false); err != nil {
			return err
		}
		if k.shift {
			if err := press(t.shift, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// keysHeldLimit is how long Type waits for the keys held down to be
// released.
const keysHeldLimit = 3 * time.Second

// keysUp waits until no key is held down, at most limit.
func (t *Typer) keysUp(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		km, err := xproto.QueryKeymap(t.conn).Reply()
		if err != nil {
			return fmt.Errorf("ask the X server for the keys held: %w", err)
		}
		held := false
		for _, b := range km.Keys {
			held = held || b != 0
		}
		if !held {
			return nil
		}
		if time.Now().After(deadline) {
			return ErrKeysHeld
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// PollInterval is how often WaitFocus asks the X server for the focus.
const PollInterval = 100 * time.Millisecond

// WaitFocus waits until the focus is on a top-level window other than
// from and not softtoken's, and has rested there for settle (a window
// that has just been mapped is not ready for keys: a browser loads its
// page, a remote desktop client draws the logon screen). It ends with
// ctx, with ErrNoFocus.
func (t *Typer) WaitFocus(ctx context.Context, from Window, settle time.Duration, opt Options) (Window, error) {
	var cand Window
	var since time.Time
	tick := time.NewTicker(PollInterval)
	defer tick.Stop()
	for {
		t.mu.Lock()
		w, chain, err := t.focused()
		own := err == nil && w != 0 && t.own(chain, opt)
		t.mu.Unlock()
		if err != nil {
			return 0, err
		}
		switch {
		case w == 0 || w == from || own:
			cand = 0
		case w != cand:
			cand, since = w, time.Now()
		case time.Since(since) >= settle:
			return w, nil
		}
		select {
		case <-ctx.Done():
			return 0, ErrNoFocus
		case <-tick.C:
		}
	}
}
