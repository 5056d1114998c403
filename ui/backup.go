package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// Backups, imports and the vault's passphrase, from the settings screen.
//
// Export asks for the backup's passphrase (twice) first, encrypts every
// account with it off the event goroutine, and only then asks where to
// save: Fyne's save dialog empties a file it is told to replace as soon
// as it is chosen, so the backup is ready to take its place at once
// (atomically: atomicfile) and a cancelled passphrase never costs an old
// backup. Import asks for a file, reads it (softtoken's backup or another
// app's export), asks for its passphrase if it is encrypted, and shows
// what will be added and what is skipped and why before anything is
// stored: no entry is dropped without being named.

// backupStore is what export and import need of the store; *store.Store
// is one.
type backupStore interface {
	Export(pass []byte) ([]byte, int, error)
	PlanImport(incoming []token.Account) ([]token.Account, []store.ImportSkip, error)
}

// backupState holds the widgets of the backup settings and dialogs, for
// tests to reach. Event goroutine only.
type backupState struct {
	export, importFile, passwd, lockNow *button
	idle                                *choice
	msg                                 *widget.Label // what became of the last action, beside the buttons
	old, new1, new2                     *entry        // the passphrase change
	busy                                *widget.ProgressBarInfinite
	preview                             *importPlan // the import shown for confirmation

	// saveFile and openFile ask for a file in Fyne's dialogs and call
	// done with its path ("" if cancelled); nil is the real dialogs.
	// Headless tests set them: Fyne's test driver cannot click through a
	// file dialog (the real-window suite in gui/ does).
	saveFile func(name string, done func(path string, err error))
	openFile func(done func(path string, err error))
}

// backupItems are the settings' rows for backups and locking.
func (a *App) backupItems() []*widget.FormItem {
	b := &a.bk
	b.export = newButton(lang.L("Export backup…"), theme.DocumentSaveIcon(), a.showExport)
	b.importFile = newButton(lang.L("Import…"), theme.FolderOpenIcon(), a.showImport)
	if len(a.accounts) == 0 || !a.usable() {
		b.export.Disable()
	}
	if !a.usable() {
		b.importFile.Disable() // locked, or the store did not open
	}
	note := widget.NewLabel(lang.L("A backup holds all your accounts with their secrets, encrypted with a passphrase you choose. Import also reads the exports of Aegis, 2FAS and andOTP."))
	note.Wrapping = fyne.TextWrapWord
	b.msg = widget.NewLabel("")
	b.msg.Wrapping = fyne.TextWrapWord
	b.msg.Hide() // until there is something to say
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Backup"), container.NewVBox(container.NewHBox(b.export), container.NewHBox(b.importFile), note, b.msg)),
	}
	if a.backend != store.BackendVault {
		l := widget.NewLabel(keychainLockNote())
		l.Wrapping = fyne.TextWrapWord
		b.lockNow, b.passwd, b.idle = nil, nil, nil
		return append(items, widget.NewFormItem(lang.L("Lock"), l))
	}
	b.lockNow = newButton(lang.L("Lock now"), theme.VisibilityOffIcon(), a.lockNow)
	b.passwd = newButton(lang.L("Change passphrase…"), theme.AccountIcon(), a.showChangePassphrase)
	if !a.canLock() {
		b.lockNow.Disable()
		b.passwd.Disable()
	}
	var labels []string
	for _, m := range idleChoices {
		labels = append(labels, idleLabel(m))
	}
	b.idle = newChoice(lang.L("Lock automatically"), labels, nil)
	b.idle.SetSelected(idleLabel(int(a.set.idleLock() / time.Minute)))
	b.idle.OnChanged = func(s string) {
		a.fa.Preferences().SetInt(prefIdleLock, idleChoices[indexOf(labels, s)])
		a.touch()
	}
	lockNote := widget.NewLabel(lang.L("Locking forgets the key of the vault file: your codes are hidden until the passphrase is entered again (Ctrl+L locks at once)."))
	lockNote.Wrapping = fyne.TextWrapWord
	return append(items,
		widget.NewFormItem(lang.L("Vault file"), container.NewVBox(container.NewHBox(b.lockNow), container.NewHBox(b.passwd), lockNote)),
		widget.NewFormItem(lang.L("Lock automatically"), b.idle),
	)
}

// sayBackup tells what became of a backup action: beside the buttons (if
// the settings are shown) and in the status line.
func (a *App) sayBackup(msg string, failed bool) {
	a.setStatus(msg)
	if a.bk.msg != nil {
		a.bk.msg.Importance = widget.MediumImportance
		if failed {
			a.bk.msg.Importance = widget.DangerImportance
		}
		a.bk.msg.SetText(msg)
		a.bk.msg.Show()
	}
}

// usable reports whether the store is open and shows its accounts.
func (a *App) usable() bool { return a.opened && a.openErr == nil && a.st != nil }

// newPassphrasePair puts two entries for a new passphrase and the danger
// message into a.dlg, checked as they are typed: ok is enabled once they
// will do. Enter in the first goes to the second.
func (a *App) newPassphrasePair(first, second string) {
	a.dlg.entry = newPasswordEntry(first)
	a.dlg.entry2 = newPasswordEntry(second)
	a.dlg.message = widget.NewLabel("")
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.message.Importance = widget.DangerImportance
	a.bk.busy = widget.NewProgressBarInfinite()
	a.bk.busy.Hide()
}

// checkNewPassphrase shows the problem of the new passphrase pair as it
// is typed, and enables ok when there is none; more is another condition.
func (a *App) checkNewPassphrase(more func() bool) {
	p, again := a.dlg.entry.Text, a.dlg.entry2.Text
	problem := passphraseProblem(p, again, false)
	a.dlg.message.Importance = widget.DangerImportance
	a.dlg.message.SetText(problem)
	if problem == "" && p != "" && p == again && (more == nil || more()) {
		a.dlg.ok.Enable()
	} else {
		a.dlg.ok.Disable()
	}
}

// dialogBusy shows (or ends) the busy state of a passphrase dialog: the
// entries, Cancel and OK are disabled while the work runs.
func (a *App) dialogBusy(busy bool, msg string, entries ...*entry) {
	for _, e := range entries {
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
		a.dlg.message.SetText(msg)
		a.bk.busy.Show()
		a.bk.busy.Start()
		return
	}
	a.dlg.cancel.Enable()
	a.dlg.ok.Enable()
	a.dlg.message.SetText("")
	a.bk.busy.Stop()
	a.bk.busy.Hide()
	if len(entries) > 0 {
		a.win.Canvas().Focus(entries[0])
	}
}

// saveDialog is Fyne's save dialog, proposing name.
func (a *App) saveDialog(name string, done func(path string, err error)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			done("", err)
			return
		}
		path := w.URI().Path()
		w.Close()
		done(path, nil)
	}, a.win)
	d.SetFileName(name)
	// Shown first: Fyne's FileDialog.Resize reads the size of a dialog
	// window that Show makes (issue 10, 2.1).
	d.Show()
	d.Resize(fyne.NewSize(600, 460))
}

// openDialog is Fyne's open dialog.
func (a *App) openDialog(done func(path string, err error)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			done("", err)
			return
		}
		path := r.URI().Path()
		r.Close()
		done(path, nil)
	}, a.win)
	d.Show()
	d.Resize(fyne.NewSize(600, 460))
}
