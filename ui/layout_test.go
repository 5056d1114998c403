package ui

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	qrcode "github.com/skip2/go-qrcode"
)

// A second way in while the first is still reading its codes (a dropped
// file, a handed-over link during a scan) is refused with a message; the
// first one's preview is not overwritten (issue 10: showWizard reused a
// working wizard, and both jobs wrote its state).
func TestSecondEnrollmentRefusedWhileWorking(t *testing.T) {
	st := newStore(t, rfcLink)
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	var queued []func()
	a.spawn = func(f func()) { queued = append(queued, f) } // the work waits for the test
	a.enrollLink(cityLink)
	w := a.wiz
	if len(queued) != 1 || !w.working {
		t.Fatalf("%d jobs queued, working %v; want the link's job under way", len(queued), w.working)
	}
	img := filepath.Join(t.TempDir(), "qr.png")
	if err := qrcode.WriteFile(vpnLink, qrcode.Medium, 256, img); err != nil {
		t.Fatal(err)
	}
	a.dropped(fyne.NewPos(1, 1), []fyne.URI{uriOf(img)})
	if len(queued) != 1 {
		t.Fatalf("the dropped file started a second job (%d queued)", len(queued))
	}
	if !a.dlg.open || a.dlg.title != "One enrollment at a time" {
		t.Fatalf("no message about the refused drop: dialog %v %q", a.dlg.open, a.dlg.title)
	}
	a.dlg.ok.OnTapped()
	a.Enroll(vpnLink) // a link handed over by a second start
	if len(queued) != 1 || a.wiz != w {
		t.Fatalf("the handed-over link started a second job (%d queued) or a new wizard", len(queued))
	}
	a.dlg.ok.OnTapped()
	a.showWizard() // Ctrl+N meanwhile: the same wizard, its buttons still off
	if a.wiz != w || !w.scan.Disabled() {
		t.Fatalf("Ctrl+N during the work gave a new wizard or enabled its buttons")
	}
	queued[0]()
	if w.working || len(w.accs) != 1 || w.accs[0].Name != "max.mustermann" {
		t.Fatalf("after the first job: working %v, preview %v", w.working, w.accs)
	}
	// Once it is done, the next one is taken.
	a.enrollLink(vpnLink)
	if len(queued) != 2 {
		t.Fatalf("after the first job a new link is not taken (%d queued)", len(queued))
	}
}

func uriOf(path string) fyne.URI {
	abs, _ := filepath.Abs(path)
	return storage.NewFileURI(abs)
}

// The wrong passphrase is said in red, and Caps Lock is warned of while
// typing (issue 10, 2.19).
func TestPassphraseCapsLock(t *testing.T) {
	st := newStore(t)
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	caps := true
	a.capsLock = func() (bool, bool) { return caps, true }
	a.showPassphraseDialog(true, func([]byte, bool) {})
	if a.dlg.message.Importance != widget.DangerImportance {
		t.Errorf("the wrong-passphrase text is of importance %v, not danger", a.dlg.message.Importance)
	}
	if !a.dlg.caps.Visible() {
		t.Error("Caps Lock is on and no warning shows")
	}
	caps = false
	test.Type(a.dlg.entry, "x")
	if a.dlg.caps.Visible() {
		t.Error("Caps Lock is off and the warning still shows")
	}
	caps = true
	test.Type(a.dlg.entry, "Y")
	if !a.dlg.caps.Visible() {
		t.Error("Caps Lock went on while typing and no warning shows")
	}
	// Unknown (a system where it cannot be read): no warning.
	a.capsLock = func() (bool, bool) { return true, false }
	test.Type(a.dlg.entry, "z")
	if a.dlg.caps.Visible() {
		t.Error("Caps Lock's state is unknown and a warning shows")
	}
}

// Tab visits a row's code, then its Copy, then its ⋮ (it came first), and goes from a
// passphrase field to the next field, not to its eye (issue 10, 2.13).
func TestTabOrder(t *testing.T) {
	st := newStore(t, rfcLink, cityLink)
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	c := a.win.Canvas()
	c.Focus(a.main.settings) // the last of the top bar
	var want []fyne.Focusable
	for _, r := range a.main.rows {
		want = append(want, r.code, r.copy, r.more)
	}
	for i, f := range want {
		c.FocusNext()
		if c.Focused() != f {
			t.Fatalf("Tab %d from the search reaches %T, want %T", i+1, c.Focused(), f)
		}
	}

	a.keychained = 0
	a.showVaultOffer()
	c.Focus(a.dlg.entry)
	c.FocusNext()
	if c.Focused() != a.dlg.entry2 {
		t.Errorf("Tab from the passphrase reaches %T, not the repeat field", c.Focused())
	}
}

// Ctrl+C on a focused code copies it; the window's shortcuts still work
// while a code has the focus (issue 10, 2.13).
func TestCopyShortcutOnCode(t *testing.T) {
	st := newStore(t, rfcLink, cityLink)
	a, fa := newTestApp(t, st, time.Unix(50, 0))
	r := a.main.rows[1]
	a.win.Canvas().Focus(r.code)
	focused, ok := a.win.Canvas().Focused().(fyne.Shortcutable)
	if !ok {
		t.Fatalf("a focused code (%T) takes no shortcut", a.win.Canvas().Focused())
	}
	focused.TypedShortcut(&fyne.ShortcutCopy{})
	if got := fa.Clipboard().Content(); got == "" || got != r.code.Code() {
		t.Errorf("Ctrl+C on the code %q put %q on the clipboard", r.code.Code(), got)
	}
	// That the window's own shortcuts still work with a code focused is
	// seen in the real window (gui.TestCodeShortcuts): Fyne's test
	// canvas does not take shortcuts handed on to it.
}
