package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/store"
)

// rekeyStore is what a change of the vault's passphrase needs.
type rekeyStore interface {
	ChangePassphrase(old, newPass []byte) error
}

// showChangePassphrase asks for the vault's passphrase and a new one,
// twice.
func (a *App) showChangePassphrase() {
	if !a.usable() || a.backend != store.BackendVault {
		return
	}
	intro := widget.NewLabel(lang.L("Enter the current passphrase of the vault file, then the new one twice. Choose one you will remember: it cannot be recovered."))
	intro.Wrapping = fyne.TextWrapWord
	a.bk.old = newPasswordEntry(lang.L("Current passphrase"))
	a.newPassphrasePair(lang.L("New passphrase"), lang.L("Repeat the new passphrase"))
	a.bk.new1, a.bk.new2 = a.dlg.entry, a.dlg.entry2
	content := container.NewVBox(intro, a.bk.old, a.bk.new1, a.bk.new2, a.dlg.message, a.bk.busy)
	a.showDialog(lang.L("Change the vault passphrase"), content, lang.L("Change passphrase"), 440, a.submitChangePassphrase, nil)
	a.dlg.ok.Disable()
	changed := func(string) { a.checkNewPassphrase(func() bool { return a.bk.old.Text != "" }) }
	a.bk.old.OnChanged, a.bk.new1.OnChanged, a.bk.new2.OnChanged = changed, changed, changed
	a.bk.old.OnSubmitted = func(string) { a.win.Canvas().Focus(a.bk.new1) }
	a.bk.new1.OnSubmitted = func(string) { a.win.Canvas().Focus(a.bk.new2) }
	a.bk.new2.OnSubmitted = func(string) { a.submitChangePassphrase() }
	a.win.Canvas().Focus(a.bk.old)
}

// submitChangePassphrase changes the passphrase off the event goroutine
// (two key derivations). A wrong current passphrase is said in red and
// changes nothing; the dialog stays for another try.
func (a *App) submitChangePassphrase() bool {
	old, p, again := a.bk.old.Text, a.bk.new1.Text, a.bk.new2.Text
	problem := passphraseProblem(p, again, true)
	switch {
	case old == "":
		problem = lang.L("Enter the current passphrase.")
	case problem == "" && p == old:
		problem = lang.L("The new passphrase is the same as the current one.")
	}
	if problem != "" {
		a.dlg.message.Importance = widget.DangerImportance
		a.dlg.message.SetText(problem)
		return false
	}
	rs, ok := a.st.(rekeyStore)
	if !ok {
		return false
	}
	oldB, newB := []byte(old), []byte(p)
	for _, e := range []*entry{a.bk.old, a.bk.new1, a.bk.new2} {
		e.SetText("")
	}
	entries := []*entry{a.bk.old, a.bk.new1, a.bk.new2}
	a.dialogBusy(true, lang.L("Changing the passphrase. This takes a moment…"), entries...)
	done := a.busyStore()
	d := a.dlg.d
	a.spawn(func() {
		err := rs.ChangePassphrase(oldB, newB)
		clear(oldB)
		clear(newB)
		fyne.Do(func() {
			done()
			if err != nil {
				a.dialogBusy(false, "", entries...)
				a.dlg.ok.Disable()
				a.dlg.message.Importance = widget.DangerImportance
				if errors.Is(err, store.ErrWrongPassphrase) {
					a.dlg.message.SetText(lang.L("The current passphrase is wrong. Nothing was changed."))
				} else {
					a.dlg.message.SetText(explain(err))
				}
				return
			}
			d.Hide()
			a.sayBackup(lang.L("The passphrase of the vault file was changed. Use the new one from now on."), false)
		})
	})
	return false
}
