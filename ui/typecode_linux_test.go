package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cityadmin/softtoken/internal/autotype"
	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/token"
)

// typedKeys is what an X window got as digits (its keys' keysyms) and
// whether Return came after them.
func typedKeys(t *testing.T, w *testenv.XWindow, n int) (string, bool) {
	t.Helper()
	keys := w.Keys(t, n)
	var b strings.Builder
	enter := false
	for _, k := range keys {
		switch {
		case k >= '0' && k <= '9':
			b.WriteRune(rune(k))
		case k == 0xff0d:
			enter = true
		}
	}
	return b.String(), enter
}

// TestTypeCodeMenu: "Type code" in an account's menu types its code,
// and Enter as the settings say, into the next window (of another
// program) that has the keyboard focus, on a real X server through
// XTEST; the code then counts as handed out. The tray's item and Ctrl+T
// do the same.
func TestTypeCodeMenu(t *testing.T) {
	testenv.Display(t)
	testenv.PrivateDisplay(t)
	st := newStore(t, rfcLink, hotpLink)
	at := time.Unix(50, 0)
	a, fa := newTestApp(t, st, at)
	fa.Preferences().SetBool(prefTypeEnter, true)
	w := testenv.FocusedXWindow(t, 1, "other-program")
	r := a.main.rows[0]
	item := menuItem(t, r, "Type code")
	if item.Disabled || item.Shortcut != shortcutTypeCode {
		t.Errorf("the item: disabled %v, shortcut %v", item.Disabled, item.Shortcut)
	}
	item.Action() // the test's spawn runs in place: it returns once typed
	want, _ := token.Code(r.acc, at)
	if got, enter := typedKeys(t, w, 9); got != want || !enter {
		t.Fatalf("the window got %q (Enter %v), want %q and Enter", got, enter, want)
	}
	if !strings.Contains(a.status.Text, "was typed") || a.typeBarShown() {
		t.Errorf("status %q, Cancel shown %v", a.status.Text, a.typeBarShown())
	}
	if ok, err := a.handed().Claim(r.acc.ID, r.acc.Period, at); ok || err != nil {
		t.Errorf("the typed code was not recorded as handed out (%v, %v)", ok, err)
	}

	// HOTP from the tray: the next counter, saved first; no Enter now.
	fa.Preferences().SetBool(prefTypeEnter, false)
	var tray *fyne.MenuItem
	for _, it := range a.trayTypeItems() {
		if strings.Contains(it.Label, "bob") {
			tray = it
		}
	}
	if tray == nil {
		t.Fatal("no tray item types bob's code")
	}
	tray.Action()
	bob, _ := st.Get(a.main.rows[1].acc.ID)
	if bob.Counter != 1 {
		t.Errorf("counter after typing: %d, want 1", bob.Counter)
	}
	hotp, _ := token.Code(token.Account{Type: token.HOTP, Secret: bob.Secret, Digits: bob.Digits, Algorithm: bob.Algorithm, Counter: 0}, time.Time{})
	if got, enter := typedKeys(t, w, 6); got != hotp || enter {
		t.Errorf("the window got %q (Enter %v) of the HOTP account, want %q", got, enter, hotp)
	}
	if r := a.main.byID[bob.ID]; r.code.Code() != hotp {
		t.Errorf("the row shows %q after the typed HOTP code %q", r.code.Code(), hotp)
	}

	// Ctrl+T types the focused row's code (the next period's: this one
	// was handed out).
	a.opts.Now = func() time.Time { return at.Add(30 * time.Second) }
	a.now = a.opts.Now
	a.win.Canvas().Focus(a.main.rows[0].code)
	a.typeFocused()
	next, _ := token.Code(r.acc, at.Add(30*time.Second))
	if got, _ := typedKeys(t, w, 8); got != next {
		t.Errorf("Ctrl+T typed %q, want %q", got, next)
	}

	// Into softtoken's own window: refused, nothing typed, said so.
	testenv.FocusedXWindow(t, 1, "softtoken")
	a.hotkeyPressed() // two accounts, no target: the picker
	if a.auto.picker == nil {
		t.Fatal("the shortcut with two accounts and no target shows no picker")
	}
	a.auto.picker.Close()
	a.auto.picker = nil
	a.typeCode(r.acc, typeHow{now: true})
	if !strings.Contains(a.status.Text, "own window") {
		t.Errorf("typed into our own window: status %q", a.status.Text)
	}
}

// TestTypeCodeShortcut: the shortcut types the code of the account the
// profile's target names, with that target's Tabs and Enter, into the
// window with the focus now; with several accounts and no target it asks
// which, and types into the window the focus goes back to.
func TestTypeCodeShortcut(t *testing.T) {
	testenv.Display(t)
	testenv.PrivateDisplay(t)
	st := newStore(t, rfcLink, hotpLink)
	at := time.Unix(50, 0)
	a, _ := newTestApp(t, st, at)
	w := testenv.FocusedXWindow(t, 1, "other-program")
	a.targets = []launcher.Target{{Name: "p", Type: launcher.KindWeb, Account: "alice",
		Web: &launcher.Web{URL: "https://portal.example/", Code: launcher.CodeType, TypeTabs: 1, TypeEnter: true}}}
	acc, how, ok := a.hotkeyAccount()
	if !ok || acc.Name != "alice" || how.tabs != 1 || !how.enter || !how.now {
		t.Fatalf("the shortcut's account: %v %+v %v", acc.Label(), how, ok)
	}
	if s := a.hotkeyAbout(); !strings.Contains(s, "Ctrl+Alt+O") || !strings.Contains(s, "RFC") {
		t.Errorf("the settings say %q", s)
	}
	a.hotkeyPressed()
	keys := w.Keys(t, 10)
	want, _ := token.Code(acc, at)
	if len(keys) != 10 || keys[0] != 0xff09 || keys[9] != 0xff0d {
		t.Fatalf("the window got %x, want Tab, %s, Return", keys, want)
	}
	var got strings.Builder
	for _, k := range keys[1:9] {
		got.WriteRune(rune(k))
	}
	if got.String() != want {
		t.Errorf("typed %q, want %q", got.String(), want)
	}

	// No target: the picker; its first account's code goes to the window
	// that has the focus once the picker is closed.
	a.targets = nil
	if _, _, ok := a.hotkeyAccount(); ok {
		t.Fatal("an account chosen for the shortcut among two without a target")
	}
	if s := a.hotkeyAbout(); !strings.Contains(s, "asks which") {
		t.Errorf("the settings say %q", s)
	}
	a.opts.Now = func() time.Time { return at.Add(30 * time.Second) }
	a.now = a.opts.Now
	a.hotkeyPressed()
	p := a.auto.picker
	if p == nil {
		t.Fatal("no picker")
	}
	var first *button
	walk(p.Canvas(), func(o fyne.CanvasObject) {
		if b, ok := o.(*button); ok && first == nil && strings.Contains(b.Text, "alice") {
			first = b
		}
	})
	if first == nil {
		t.Fatal("the picker has no button for alice")
	}
	test.Tap(first)
	if a.auto.picker != nil {
		t.Error("the picker stays open")
	}
	next, _ := token.Code(acc, at.Add(30*time.Second))
	if got, _ := typedKeys(t, w, 8); got != next {
		t.Errorf("typed %q after the picker, want %q", got, next)
	}
}

// TestTypeCodeCancel: a typing cancelled while it waits for the focus
// types nothing and says so.
func TestTypeCodeCancel(t *testing.T) {
	testenv.Display(t)
	testenv.PrivateDisplay(t)
	st := newStore(t, rfcLink)
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := typeOff(ctx, st, a.newLauncher(), a.accounts[0], 0, typeHow{}); !errors.Is(err, errTypingCancelled) {
		t.Errorf("a cancelled typing: %v", err)
	}
	a.auto.run = 7
	a.typed(7, a.accounts[0], "", errTypingCancelled)
	if a.status.Text != "The code was not typed." {
		t.Errorf("status %q", a.status.Text)
	}
	// Where nothing can be typed, the code goes to the clipboard.
	a.typed(7, a.accounts[0], "", errors.Join(autotype.ErrUnsupported, autotype.ErrNoPortal))
	if !strings.Contains(a.status.Text, "Wayland") || a.fa.Clipboard().Content() == "" {
		t.Errorf("status %q, clipboard %q", a.status.Text, a.fa.Clipboard().Content())
	}
}
