package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/token"
)

// dialogs holds the widgets of the dialog shown, for tests to reach.
type dialogs struct {
	d       *dialog.CustomDialog
	entry   *entry // passphrase, or the issuer when renaming
	entry2  *entry // the name when renaming
	message *widget.Label
	ok      *button
	cancel  *button
	busy    *widget.ProgressBarInfinite // the vault being created
	caps    *widget.Label               // "Caps Lock is on", under a passphrase

	// The dialog shown, for the reader layer: its title and content.
	open    bool
	title   string
	content fyne.CanvasObject
}

// showDialog shows a modal dialog with content and two buttons: cancel
// and ok (ok is the default, reached by Enter in an entry), width wide
// or as wide as the window allows. The size is set before the dialog
// shows: Fyne centres it then, and a later Resize grows it to the right,
// past the window's edge.
func (a *App) showDialog(title string, content fyne.CanvasObject, okText string, width float32, ok func() bool, cancelled func()) {
	a.dlg.ok = newButton(okText, nil, nil)
	a.dlg.ok.Importance = widget.HighImportance
	a.dlg.cancel = newButton(lang.L("Cancel"), nil, nil)
	d := dialog.NewCustomWithoutButtons(title, content, a.win)
	a.dlg.d = d
	a.dlg.ok.OnTapped = func() {
		if ok() {
			d.Hide()
		}
	}
	a.dlg.cancel.OnTapped = func() {
		d.Hide()
		if cancelled != nil {
			cancelled()
		}
	}
	d.SetButtons([]fyne.CanvasObject{a.dlg.cancel, a.dlg.ok})
	if w := a.win.Canvas().Size().Width - 4*theme.Padding(); w > 0 && w < width {
		width = w
	}
	// Wrapped labels measure their height at the width they have: lay
	// the content out at about its final width first, so that the dialog
	// is not sized for a narrow column of text.
	content.Resize(fyne.NewSize(width-4*theme.Padding(), content.MinSize().Height))
	d.Resize(fyne.NewSize(width, 0))
	a.dlg.open, a.dlg.title, a.dlg.content = true, title, content
	d.SetOnClosed(func() {
		if a.dlg.d == d {
			a.dlg.open = false
		}
		a.syncReader()
	})
	d.Show()
	a.syncReader()
}

// showPassphraseDialog asks for the vault's passphrase and calls reply
// once with it, or with ok false if the person cancels.
func (a *App) showPassphraseDialog(again bool, reply func([]byte, bool)) {
	msg := lang.L("Your secrets are kept in an encrypted vault file. Enter its passphrase to unlock it.")
	if again {
		msg = lang.L("The passphrase is wrong. Please try again.")
	}
	a.dlg.message = widget.NewLabel(msg)
	a.dlg.message.Wrapping = fyne.TextWrapWord
	if again {
		a.dlg.message.Importance = widget.DangerImportance // red, as every refusal
	}
	a.dlg.entry = newPasswordEntry(lang.L("Passphrase"))
	a.dlg.caps = a.capsWarning(a.dlg.entry)
	content := container.NewVBox(a.dlg.message, a.dlg.entry, a.dlg.caps)
	submit := func() bool {
		if a.dlg.entry.Text == "" {
			return false
		}
		// The entry's text is a Go string and cannot be wiped; the copy
		// handed to the store is cleared by it after use.
		reply([]byte(a.dlg.entry.Text), true)
		a.dlg.entry.SetText("")
		a.main.message(lang.L("Unlocking the vault…"))
		return true
	}
	a.showDialog(lang.L("Unlock the vault"), content, lang.L("Unlock"), 400, submit, func() { reply(nil, false) })
	a.dlg.entry.OnSubmitted = func(string) {
		if submit() {
			a.dlg.d.Hide()
		}
	}
	a.win.Canvas().Focus(a.dlg.entry)
}

// confirmDelete asks before removing acc, naming it.
func (a *App) confirmDelete(acc token.Account) {
	a.dlg.message = widget.NewLabel(lang.L("Remove “{{.Account}}” from softtoken? Its codes can then no longer be shown here. To use the account again you must enroll it anew.",
		map[string]any{"Account": acc.Label()}))
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.entry, a.dlg.entry2 = nil, nil
	a.showDialog(lang.L("Remove account"), a.dlg.message, lang.L("Remove"), 420, func() bool {
		a.remove(acc)
		return true
	}, nil)
	a.dlg.ok.Importance = widget.DangerImportance
	a.dlg.ok.SetIcon(theme.DeleteIcon())
	a.win.Canvas().Focus(a.dlg.cancel)
}

// askRename lets the person change the issuer and name shown for acc.
func (a *App) askRename(acc token.Account) {
	a.dlg.entry = newEntry(lang.L("Issuer"))
	a.dlg.entry.SetText(acc.Issuer)
	a.dlg.entry2 = newEntry(lang.L("Account name"))
	a.dlg.entry2.SetText(acc.Name)
	a.dlg.message = widget.NewLabel("")
	a.dlg.message.Importance = widget.DangerImportance
	a.dlg.message.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Issuer"), a.dlg.entry),
		widget.NewFormItem(lang.L("Account name"), a.dlg.entry2),
	)
	submit := func() bool {
		issuer, name := trim(a.dlg.entry.Text), trim(a.dlg.entry2.Text)
		if issuer == "" && name == "" {
			a.dlg.message.SetText(lang.L("Enter an issuer or an account name."))
			return false
		}
		a.rename(acc, issuer, name)
		return true
	}
	a.showDialog(lang.L("Rename account"), container.NewVBox(form, a.dlg.message), lang.L("Rename"), 420, submit, nil)
	enter := func(string) {
		if submit() {
			a.dlg.d.Hide()
		}
	}
	a.dlg.entry.OnSubmitted, a.dlg.entry2.OnSubmitted = enter, enter
	a.win.Canvas().Focus(a.dlg.entry)
}
