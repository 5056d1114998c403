package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/store"
)

// locked reports whether a shows the locked screen.
func locked(a *App) bool {
	return a.st == nil && len(a.accounts) == 0 && strings.Contains(a.main.msg.Text, "softtoken is locked") &&
		a.main.action.Visible() && a.main.action.Text == "Unlock…"
}

// TestLockNow: Lock now forgets the key (the store it had can no longer
// read a secret), clears the secrets shown, closes the settings and a
// dialog, and shows the locked screen; Unlock opens the vault again.
func TestLockNow(t *testing.T) {
	now := time.Unix(50, 0)
	a, opens := vaultApp(t, vaultDir(t, rfcLink), &now)
	st, acc := a.st, a.accounts[0]
	secret := acc.Secret
	a.showSettings()
	test.Tap(a.bk.passwd) // a dialog open when the lock comes
	test.Tap(a.bk.lockNow)
	if !locked(a) || a.screen != screenMain || a.dlg.open {
		t.Fatalf("after Lock now: st %v, %d accounts, screen %d, dialog %v, message %q", a.st, len(a.accounts), a.screen, a.dlg.open, a.main.msg.Text)
	}
	for _, b := range secret {
		if b != 0 {
			t.Fatal("the secret the window showed is still in memory")
		}
	}
	if _, err := st.Get(acc.ID); err == nil {
		t.Error("the locked store still reads a secret")
	}
	if len(a.main.rows) != 0 || len(a.targets) != 0 {
		t.Errorf("the locked screen shows %d rows, the tray %d targets", len(a.main.rows), len(a.targets))
	}
	test.Tap(a.main.action)
	if *opens != 2 || a.openErr != nil || len(a.accounts) != 1 {
		t.Fatalf("Unlock: opened %d times, %v, %d accounts", *opens, a.openErr, len(a.accounts))
	}
	if c := a.main.rows[0].code.Text(); c != "9428 7082" {
		t.Errorf("after Unlock the code reads %q", c)
	}
	// Ctrl+L locks too.
	typeShortcut(t, a.win.Canvas(), &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault})
	if !locked(a) {
		t.Error("Ctrl+L did not lock")
	}
}

// TestIdleLock drives the idle lock with its own clock: no lock while
// there is input, a lock after the time chosen without, none with Never,
// none while work on the store is under way.
func TestIdleLock(t *testing.T) {
	now := time.Unix(50, 0)
	a, _ := vaultApp(t, vaultDir(t, rfcLink), &now)
	a.idleTick() // what the window shows now is the start
	if got := a.set.idleLock(); got != 5*time.Minute {
		t.Errorf("the default idle lock of a vault is %v, want 5 minutes", got)
	}
	watch := a.win.Content().(*fyne.Container).Objects[0].(*inputWatch)

	now = now.Add(4 * time.Minute)
	a.idleTick()
	if locked(a) {
		t.Fatal("locked after 4 minutes of 5")
	}
	watch.MouseMoved(&desktop.MouseEvent{}) // the pointer moves over the window
	now = now.Add(4 * time.Minute)
	a.idleTick()
	if locked(a) {
		t.Fatal("locked 4 minutes after the pointer moved")
	}
	// Typing into the search field counts too (the next look at the clock
	// sees its text changed).
	now = now.Add(4 * time.Minute)
	test.Type(a.main.search, "r")
	a.idleTick()
	now = now.Add(4 * time.Minute)
	a.idleTick()
	if locked(a) {
		t.Fatal("locked 4 minutes after typing")
	}
	// Work under way holds the lock off.
	done := a.busyStore()
	now = now.Add(time.Hour)
	a.idleTick()
	if locked(a) {
		t.Fatal("locked while work on the store was under way")
	}
	done()
	now = now.Add(5 * time.Minute)
	a.idleTick()
	if !locked(a) {
		t.Fatal("not locked 5 minutes without input")
	}

	// Never: no lock, however long.
	test.Tap(a.main.action)
	a.showSettings()
	a.bk.idle.SetSelected("Never")
	if a.fa.Preferences().Int(prefIdleLock) != 0 {
		t.Errorf("Never stored as %d", a.fa.Preferences().Int(prefIdleLock))
	}
	now = now.Add(24 * time.Hour)
	a.idleTick()
	if locked(a) {
		t.Error("locked with Never")
	}
	a.bk.idle.SetSelected("After 1 minute without use")
	now = now.Add(61 * time.Second)
	a.idleTick()
	if !locked(a) {
		t.Error("not locked a minute after choosing one minute")
	}
}

// TestKeychainHasNoLock: with the keychain the settings say what locking
// means there and offer neither Lock now nor the idle lock; Ctrl+L and a
// day without input change nothing.
func TestKeychainHasNoLock(t *testing.T) {
	st := newStore(t, rfcLink)
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	a.showSettings()
	if a.bk.lockNow != nil || a.bk.idle != nil || a.bk.passwd != nil {
		t.Error("the keychain's settings offer a lock or a passphrase")
	}
	var texts []string
	walk(a.win.Canvas(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	})
	if !strings.Contains(strings.Join(texts, "\n"), "lock your computer") {
		t.Errorf("the settings do not say what locking means with the keychain:\n%s", strings.Join(texts, "\n"))
	}
	typeShortcut(t, a.win.Canvas(), &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault})
	a.lock.last = time.Unix(50, 0).Add(-24 * time.Hour)
	a.idleTick()
	if a.st == nil || a.openErr != nil || len(a.accounts) != 1 || a.backend != store.BackendKeychain {
		t.Errorf("the keychain window locked: %v, %d accounts", a.openErr, len(a.accounts))
	}
}
