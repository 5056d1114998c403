package ui

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/store"
)

// offersVault reports whether err says that no keychain answers, so that
// the window offers an encrypted vault file instead. A keyring that is
// locked, too slow or whose connection broke off is there, and one that
// holds the secrets of enrolled accounts must be started again: the person
// fixes that rather than move their secrets somewhere else.
func offersVault(err error) bool {
	if !errors.Is(err, store.ErrKeychain) {
		return false
	}
	for _, k := range []error{store.ErrLocked, store.ErrKeychainTimeout, store.ErrKeychainDisconnected, store.ErrKeychainHoldsSecrets} {
		if errors.Is(err, k) {
			return false
		}
	}
	return true
}

// storeDir is the store's folder: Options.Dir, or store.DefaultDir. It
// runs off the event goroutine.
func (a *App) storeDir() (string, error) {
	if a.opts.Dir != "" {
		return a.opts.Dir, nil
	}
	return store.DefaultDir()
}

// enrolledBefore counts the accounts of the store's index, whose secrets
// would be in the keychain that does not answer. It reads a small file;
// call it off the event goroutine. Errors count as none: the vault's
// creation reports them.
func (a *App) enrolledBefore() int {
	dir, err := a.storeDir()
	if err != nil || !dirExists(dir) {
		return 0
	}
	s, err := store.Open(dir, nil)
	if err != nil {
		return 0
	}
	list, _ := s.List()
	return len(list)
}

// passphraseProblem says what is wrong with the new passphrase p and its
// repetition, or "" if they will do. While the person types (final
// false), an empty field is no problem yet, and neither is a repetition
// that so far matches the beginning of the passphrase.
func passphraseProblem(p, again string, final bool) string {
	if utf8.RuneCountInString(p) < store.MinPassphrase {
		if p == "" && !final {
			return ""
		}
		return lang.L("The passphrase must have at least {{.Min}} characters.", map[string]any{"Min": store.MinPassphrase})
	}
	if p != again {
		if !final && strings.HasPrefix(p, again) {
			return ""
		}
		return lang.L("The two passphrases are not the same.")
	}
	return ""
}

// showVaultOffer explains that no keychain is available and offers to keep
// the secrets in a new encrypted vault file: a passphrase typed twice,
// checked as it is typed. If accounts were enrolled with the keychain, it
// warns that their secrets cannot be moved.
func (a *App) showVaultOffer() {
	intro := widget.NewLabel(lang.L("softtoken usually keeps your secrets in the keychain of your computer, but none is available here. Instead, softtoken can keep them in an encrypted file in your user folder, protected by a passphrase. You then enter the passphrase each time softtoken starts."))
	if a.keyringStuck() {
		intro.SetText(lang.L("softtoken usually keeps your secrets in the keyring of your computer, but it does not answer. Instead, softtoken can keep them in an encrypted file in your user folder, protected by a passphrase. You then enter the passphrase each time softtoken starts, even once the keyring answers again."))
	}
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(intro)
	if enrolled := a.keychained; enrolled > 0 {
		warn := widget.NewLabel(lang.L("Accounts enrolled earlier ({{.Count}}) keep their secrets in the keychain. They cannot be moved into the vault file while the keychain is unavailable and would have to be enrolled again.", map[string]any{"Count": enrolled}))
		warn.Wrapping = fyne.TextWrapWord
		warn.Importance = widget.WarningImportance
		content.Add(warn)
	}
	a.dlg.entry = newPasswordEntry(lang.L("New passphrase"))
	a.dlg.entry2 = newPasswordEntry(lang.L("Repeat the passphrase"))
	a.dlg.message = widget.NewLabel("")
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.message.Importance = widget.DangerImportance
	note := widget.NewLabel(lang.L("Choose a passphrase you will remember. It cannot be recovered: if you forget it, the accounts in the vault file cannot be opened and must be enrolled again."))
	note.Wrapping = fyne.TextWrapWord
	a.dlg.busy = widget.NewProgressBarInfinite()
	a.dlg.busy.Hide()
	a.dlg.caps = a.capsWarning(a.dlg.entry, a.dlg.entry2)
	content.Add(a.dlg.entry)
	content.Add(a.dlg.entry2)
	content.Add(a.dlg.caps)
	content.Add(a.dlg.message)
	content.Add(note)
	content.Add(a.dlg.busy)

	a.showDialog(lang.L("Create an encrypted vault file"), content, lang.L("Create vault"), 440, a.submitVault, a.main.rebuild)
	a.dlg.ok.Disable()
	changed := func(string) {
		problem := passphraseProblem(a.dlg.entry.Text, a.dlg.entry2.Text, false)
		a.dlg.message.Importance = widget.DangerImportance
		a.dlg.message.SetText(problem)
		if problem == "" && a.dlg.entry.Text != "" && a.dlg.entry.Text == a.dlg.entry2.Text {
			a.dlg.ok.Enable()
		} else {
			a.dlg.ok.Disable()
		}
	}
	a.dlg.entry.OnChanged, a.dlg.entry2.OnChanged = changed, changed
	a.dlg.entry.OnSubmitted = func(string) { a.win.Canvas().Focus(a.dlg.entry2) }
	a.dlg.entry2.OnSubmitted = func(string) { a.submitVault() }
	a.win.Canvas().Focus(a.dlg.entry)
}

// submitVault checks the two passphrases and, if they will do, creates
// the vault off the event goroutine while the dialog shows that it is
// busy. It never hides the dialog itself (the work's end does), so it
// returns false.
func (a *App) submitVault() bool {
	p, again := a.dlg.entry.Text, a.dlg.entry2.Text
	if problem := passphraseProblem(p, again, true); problem != "" {
		a.dlg.message.Importance = widget.DangerImportance
		a.dlg.message.SetText(problem)
		return false
	}
	// The entries' text is a Go string and cannot be wiped; the copy
	// handed to the work is cleared by it after use.
	pass := []byte(p)
	a.dlg.entry.SetText("")
	a.dlg.entry2.SetText("")
	a.vaultBusy(true)
	a.spawn(func() { a.createVault(pass) })
	return false
}

// vaultBusy shows (or ends) the busy state of the vault dialog: nothing
// can be typed or pressed while Argon2 runs.
func (a *App) vaultBusy(busy bool) {
	for _, e := range []*entry{a.dlg.entry, a.dlg.entry2} {
		if busy {
			e.Disable()
		} else {
			e.Enable()
		}
	}
	if busy {
		a.dlg.cancel.Disable()
		a.dlg.ok.Disable()
		a.dlg.message.Importance = widget.MediumImportance
		a.dlg.message.SetText(lang.L("Creating the vault file. This takes a moment…"))
		a.dlg.busy.Show()
		a.dlg.busy.Start()
		return
	}
	a.dlg.cancel.Enable()
	a.dlg.message.SetText("")
	a.dlg.busy.Stop()
	a.dlg.busy.Hide()
	a.win.Canvas().Focus(a.dlg.entry)
}

// createVault creates the vault file in the store's folder with pass and
// opens the store on it, then continues as at any start (the wizard if
// no account is enrolled). There is no keychain to move secrets from. It
// runs off the event goroutine (Argon2 takes a moment) and clears pass.
func (a *App) createVault(pass []byte) {
	defer clear(pass)
	dir, err := a.storeDir()
	if err == nil {
		// With no account enrolled nothing is moved; with some (enrolled
		// meanwhile), the keychain must answer or nothing happens.
		_, err = store.MoveToVault(dir, pass, store.OSKeyring{})
	}
	if err != nil {
		fyne.Do(func() {
			if errors.Is(err, store.ErrVaultExists) {
				// Another softtoken made one meanwhile: unlock that.
				a.dlg.d.Hide()
				a.reopen()
				return
			}
			a.vaultBusy(false)
			a.dlg.message.Importance = widget.DangerImportance
			a.dlg.message.SetText(explain(err))
		})
		return
	}
	// The store clears what ask returns, so it gets a copy.
	ask := func() ([]byte, error) { return bytes.Clone(pass), nil }
	a.openWith(ask, func() { a.dlg.d.Hide() })
}

// dirExists reports whether dir is a folder.
func dirExists(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}
