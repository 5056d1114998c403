package ui

import (
	"context"
	"fmt"
	"hash/maphash"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/store"
)

// Locking. A vault file's key stays in memory while softtoken runs; Lock
// now (the settings, Ctrl+L) and the idle lock forget it, clear every
// secret the window holds and show the locked screen, whose Unlock asks
// for the passphrase again.
//
// The keychain has no lock of softtoken's: the computer's login unlocks
// it, and any program of the session may read it. A "lock" that one click
// undoes, with no passphrase, would look like protection and be none; so
// the window offers none there and says to lock the computer instead
// (keychainLockNote). The idle lock's default follows: never for the
// keychain (there is nothing to lock), five minutes for a vault file,
// which exists where no login-bound keychain guards the secrets: a PC
// left unlocked with softtoken open would hand out codes to anyone, and
// five minutes is the screen lock most offices use. One minute is a
// choice for shared rooms; fifteen for those who unlock often.

// prefIdleLock is the idle lock's preference: minutes, 0 never.
const prefIdleLock = "idleLockMinutes"

// idleChoices are the idle lock's choices, in minutes (0: never).
var idleChoices = []int{0, 1, 5, 15}

// defaultIdleLock is the idle lock of a vault file until the person
// chooses.
const defaultIdleLock = 5

// idleCheck is how often the idle lock looks at the clock: a lock after
// N minutes comes at most this much later.
const idleCheck = 5 * time.Second

// errLocked: the window forgot the vault's key (Lock now, or idle). It
// matches errCancelled, so that the locked screen offers Unlock.
var errLocked = fmt.Errorf("%w: locked", errCancelled)

// lockState is the idle lock's bookkeeping. Event goroutine only.
type lockState struct {
	last    time.Time      // the last input seen in the window
	focused fyne.Focusable // what had the keyboard at the last check
	text    uint64         // a hash of the search's text and the focused entry's (never a copy of a passphrase)
	screen  screen         // the screen shown then
	dialog  bool           // whether a dialog was shown then
	busy    int            // work on the store under way: no lock meanwhile
	stop    context.CancelFunc
}

// idleLock is how long the window may go without input before it locks;
// 0 is never. Only a vault file locks.
func (s *settings) idleLock() time.Duration {
	return time.Duration(s.p.IntWithFallback(prefIdleLock, defaultIdleLock)) * time.Minute
}

// startLock wires the idle lock: the window's input marks activity, and
// a timer looks at the clock every idleCheck. Ctrl+L locks at once.
// Called once by newApp.
func (a *App) startLock() {
	a.lock.last = a.now()
	c := a.win.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { a.lockNow() })
	// Keys with no widget focused reach the canvas.
	if typed := c.OnTypedKey(); typed != nil {
		c.SetOnTypedKey(func(e *fyne.KeyEvent) { a.touch(); typed(e) })
	} else {
		c.SetOnTypedKey(func(*fyne.KeyEvent) { a.touch() })
	}
	typedRune := c.OnTypedRune()
	c.SetOnTypedRune(func(r rune) {
		a.touch()
		if typedRune != nil {
			typedRune(r)
		}
	})
	if a.noTicker {
		return // tests call idleTick with their clock
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.lock.stop = cancel
	go func() {
		t := time.NewTicker(idleCheck)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fyne.Do(a.idleTick)
			}
		}
	}()
}

// touch records input in the window.
func (a *App) touch() { a.lock.last = a.now() }

// canLock reports whether there is a vault key to forget.
func (a *App) canLock() bool {
	return a.opened && a.openErr == nil && a.st != nil && a.backend == store.BackendVault
}

// idleSeed seeds the hash of the texts idleTick compares.
var idleSeed = maphash.MakeSeed()

// idleTick counts as input what the pointer-move watch cannot see (typing
// in an entry, moving the focus with Tab, a new screen or dialog), then
// locks if the window has had no input for the idle lock's time.
func (a *App) idleTick() {
	l := &a.lock
	f := a.win.Canvas().Focused()
	var h maphash.Hash
	h.SetSeed(idleSeed)
	h.WriteString(a.main.search.Text) // typing there may move the focus to a code
	if e, ok := f.(*entry); ok {
		h.WriteByte(0)
		h.WriteString(e.Text)
	}
	text := h.Sum64()
	if f != l.focused || text != l.text || a.screen != l.screen || a.dlg.open != l.dialog {
		l.focused, l.text, l.screen, l.dialog = f, text, a.screen, a.dlg.open
		a.touch()
	}
	idle := a.set.idleLock()
	if idle <= 0 || !a.canLock() || l.busy > 0 {
		return
	}
	if a.now().Sub(l.last) >= idle {
		a.lockNow()
	}
}

// lockNow forgets the vault's key and every secret the window holds,
// closes what is open (a dialog, the settings, an enrollment), clears a
// code of ours from the clipboard and shows the locked screen. With the
// keychain, or while work on the store is under way, it does nothing.
func (a *App) lockNow() {
	if !a.canLock() || a.lock.busy > 0 {
		return
	}
	a.stopTicker()
	st := a.st
	a.st, a.openErr = nil, errLocked
	for _, acc := range a.accounts {
		clear(acc.Secret)
	}
	a.accounts, a.accErr = nil, map[string]error{}
	a.targets = nil // the tray's launches need an account and the store
	a.hotpShown = map[string]string{}
	a.clip.clearNow()
	if l, ok := st.(interface{ Lock() }); ok {
		l.Lock()
	}
	if a.dlg.open && a.dlg.d != nil {
		a.dlg.d.Hide()
	}
	a.wiz = nil
	a.setStatus("")
	a.main.rebuild()
	// The locked screen's message hides the list; its rows go too.
	a.main.rows, a.main.byID = nil, map[string]*row{}
	a.main.list.Objects = nil
	a.main.list.Refresh()
	a.showScreen(screenMain)
	a.updateTray()
	a.syncReader()
}

// stopLock ends the idle lock's timer.
func (a *App) stopLock() {
	if a.lock.stop != nil {
		a.lock.stop()
		a.lock.stop = nil
	}
}

// busyStore marks work on the store under way (an export, an import, a
// passphrase change): the idle lock waits for it. The returned function
// ends the mark; call it on the event goroutine.
func (a *App) busyStore() (done func()) {
	a.lock.busy++
	return func() {
		a.lock.busy--
		a.touch()
	}
}

// inputWatch lies behind the window's content and counts the pointer's
// moves over the window as input. Fyne hands a move to the topmost object
// under the pointer that takes hover events: over a button or an entry
// that one, elsewhere (labels, codes, the space between) this one, which
// is under everything. Moves across a window reach it, as a rule, before
// they reach a button. It draws nothing.
type inputWatch struct {
	widget.BaseWidget
	moved func()
}

func newInputWatch(moved func()) *inputWatch {
	w := &inputWatch{moved: moved}
	w.ExtendBaseWidget(w)
	return w
}

func (w *inputWatch) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

func (w *inputWatch) MouseIn(*desktop.MouseEvent)    { w.moved() }
func (w *inputWatch) MouseMoved(*desktop.MouseEvent) { w.moved() }
func (w *inputWatch) MouseOut()                      {}

// keychainLockNote says what locking means with the keychain.
func keychainLockNote() string {
	return lang.L("Your secrets are in the system keychain, which your computer login protects. softtoken has no lock of its own there: when you leave your desk, lock your computer (Windows: Windows key + L).")
}

// idleLabel names an idle lock choice of min minutes.
func idleLabel(min int) string {
	switch min {
	case 0:
		return lang.L("Never")
	case 1:
		return lang.L("After 1 minute without use")
	}
	return lang.L("After {{.N}} minutes without use", map[string]any{"N": min})
}
