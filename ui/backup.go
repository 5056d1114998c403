package ui

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/internal/atomicfile"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/store/imports"
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

// rekeyStore is what a change of the vault's passphrase needs.
type rekeyStore interface {
	ChangePassphrase(old, newPass []byte) error
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

// importPlan is an import read and split, awaiting the person's OK.
type importPlan struct {
	file    string
	in      store.Incoming
	add     []token.Account
	skipped []string // each "label: reason", in the person's language
	done    func()
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

// showExport asks for the new backup's passphrase, twice.
func (a *App) showExport() {
	if !a.usable() || len(a.accounts) == 0 {
		return
	}
	intro := widget.NewLabel(lang.L("The backup holds all {{.Count}} accounts, encrypted with the passphrase you choose now. You need it to import the backup again. It cannot be recovered: keep it safe, apart from the file.", map[string]any{"Count": len(a.accounts)}))
	intro.Wrapping = fyne.TextWrapWord
	a.newPassphrasePair(lang.L("Passphrase for the backup"), lang.L("Repeat the passphrase"))
	content := container.NewVBox(intro, a.dlg.entry, a.dlg.entry2, a.dlg.message, a.bk.busy)
	a.showDialog(lang.L("Export a backup"), content, lang.L("Continue"), 440, a.submitExport, func() {
		a.sayBackup(lang.L("Nothing was exported."), false)
	})
	a.dlg.ok.Disable()
	changed := func(string) { a.checkNewPassphrase(nil) }
	a.dlg.entry.OnChanged, a.dlg.entry2.OnChanged = changed, changed
	a.dlg.entry.OnSubmitted = func(string) { a.win.Canvas().Focus(a.dlg.entry2) }
	a.dlg.entry2.OnSubmitted = func(string) { a.submitExport() }
	a.win.Canvas().Focus(a.dlg.entry)
}

// submitExport encrypts the backup off the event goroutine, then asks
// where to save it. It never hides the dialog itself.
func (a *App) submitExport() bool {
	p, again := a.dlg.entry.Text, a.dlg.entry2.Text
	if problem := passphraseProblem(p, again, true); problem != "" {
		a.dlg.message.Importance = widget.DangerImportance
		a.dlg.message.SetText(problem)
		return false
	}
	bs, ok := a.st.(backupStore)
	if !ok {
		return false
	}
	// The entries' text is a Go string and cannot be wiped; the copy
	// handed to the work is cleared by it after use.
	pass := []byte(p)
	a.dlg.entry.SetText("")
	a.dlg.entry2.SetText("")
	a.dialogBusy(true, lang.L("Encrypting the backup. This takes a moment…"), a.dlg.entry, a.dlg.entry2)
	done := a.busyStore()
	d := a.dlg.d
	a.spawn(func() {
		b, n, err := bs.Export(pass)
		clear(pass)
		fyne.Do(func() {
			done()
			if err != nil {
				a.dialogBusy(false, "", a.dlg.entry, a.dlg.entry2)
				a.dlg.message.Importance = widget.DangerImportance
				a.dlg.message.SetText(explain(err))
				return
			}
			d.Hide()
			a.chooseExportFile(b, n)
		})
	})
	return false
}

// backupName is the file name the save dialog proposes.
func backupName(now time.Time) string {
	return "softtoken-backup-" + now.Format("2006-01-02") + ".stbackup"
}

// chooseExportFile asks where to save the encrypted backup b of n
// accounts, in Fyne's file dialog.
func (a *App) chooseExportFile(b []byte, n int) {
	save := a.bk.saveFile
	if save == nil {
		save = a.saveDialog
	}
	save(backupName(a.now()), func(path string, err error) {
		switch {
		case err != nil:
			clear(b)
			a.sayBackup(explain(err), true)
		case path == "":
			clear(b)
			a.sayBackup(lang.L("Nothing was exported."), false)
		default:
			a.writeExport(path, b, n)
		}
	})
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

// writeExport replaces path with the backup b atomically, off the event
// goroutine, and says where it went.
func (a *App) writeExport(path string, b []byte, n int) {
	a.sayBackup(lang.L("Saving the backup…"), false)
	a.spawn(func() {
		err := atomicfile.WriteFile(path, b, 0o600)
		clear(b)
		fyne.Do(func() {
			if err != nil {
				a.sayBackup(lang.L("The backup could not be saved: {{.Error}}", map[string]any{"Error": err.Error()}), true)
				return
			}
			a.sayBackup(lang.L("The backup of {{.Count}} accounts was saved to {{.File}}. Keep it and its passphrase safe.",
				map[string]any{"Count": n, "File": path}), false)
		})
	})
}

// showImport asks for the file to import, in Fyne's file dialog.
func (a *App) showImport() {
	if !a.usable() {
		return
	}
	open := a.bk.openFile
	if open == nil {
		open = a.openDialog
	}
	open(func(path string, err error) {
		switch {
		case err != nil:
			a.sayBackup(explain(err), true)
		case path != "":
			a.importFile(path)
		}
	})
}

// importFile reads path off the event goroutine and goes on as its
// content says: its passphrase, then the preview.
func (a *App) importFile(path string) {
	if !a.usable() {
		return
	}
	st, ok := a.st.(backupStore)
	if !ok {
		return
	}
	a.sayBackup(lang.L("Reading {{.File}}…", map[string]any{"File": filepath.Base(path)}), false)
	done := a.busyStore()
	a.spawn(func() {
		data, err := readImportFile(path)
		if err != nil {
			fyne.Do(func() {
				done()
				a.sayBackup(importFailed(path, err), true)
			})
			return
		}
		a.readImport(st, path, data, nil, nil, done)
	})
}

// readImportFile reads a file to import, refusing one larger than any
// backup or export can be before it fills the memory.
func readImportFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	limit := int64(max(store.MaxFileSize, imports.MaxSize))
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, imports.ErrTooLarge
	}
	return b, nil
}

// readImport reads data (the file path) with the passphrase pass (nil:
// none yet) and splits it against the accounts enrolled. It runs off the
// event goroutine and clears pass; then, on the event goroutine, it hides
// asked (the passphrase dialog, if one asked) and asks for the passphrase,
// says what failed, or shows the preview.
func (a *App) readImport(st backupStore, path string, data, pass []byte, asked dialog.Dialog, done func()) {
	var ask store.PassphraseFunc
	if pass != nil {
		ask = func() ([]byte, error) { return bytes.Clone(pass), nil }
	}
	in, err := store.ReadImport(filepath.Base(path), data, ask)
	clear(pass)
	var plan *importPlan
	if err == nil {
		var add []token.Account
		var skipped []store.ImportSkip
		if add, skipped, err = st.PlanImport(in.Accounts); err == nil {
			plan = &importPlan{file: path, in: in, add: add, done: done}
			for _, s := range in.Skipped {
				plan.skipped = append(plan.skipped, fileSkip(s))
			}
			for _, s := range skipped {
				plan.skipped = append(plan.skipped, planSkip(s))
			}
		}
	}
	fyne.Do(func() {
		if asked != nil {
			asked.Hide()
		}
		switch {
		case errors.Is(err, imports.ErrNeedPassword):
			a.askImportPassphrase(st, path, data, false, done)
		case errors.Is(err, imports.ErrWrongPassword), errors.Is(err, store.ErrWrongPassphrase):
			a.askImportPassphrase(st, path, data, true, done)
		case err != nil:
			clear(data)
			done()
			a.sayBackup(importFailed(path, err), true)
		default:
			clear(data)
			a.showImportPreview(plan)
		}
	})
}

// askImportPassphrase asks for the passphrase of the encrypted file path,
// saying so in red if the last one was wrong.
func (a *App) askImportPassphrase(st backupStore, path string, data []byte, wrong bool, done func()) {
	msg := widget.NewLabel(lang.L("{{.File}} is encrypted. Enter the passphrase it was exported with.", map[string]any{"File": filepath.Base(path)}))
	if wrong {
		msg.SetText(lang.L("This passphrase does not open {{.File}}. Please try again.", map[string]any{"File": filepath.Base(path)}))
		msg.Importance = widget.DangerImportance
	}
	msg.Wrapping = fyne.TextWrapWord
	a.dlg.message = msg
	a.dlg.entry, a.dlg.entry2 = newPasswordEntry(lang.L("Passphrase of the file")), nil
	a.bk.busy = widget.NewProgressBarInfinite()
	a.bk.busy.Hide()
	content := container.NewVBox(msg, a.dlg.entry, a.bk.busy)
	submit := func() bool {
		if a.dlg.entry.Text == "" {
			return false
		}
		pass := []byte(a.dlg.entry.Text)
		a.dlg.entry.SetText("")
		a.dialogBusy(true, lang.L("Opening the file. This takes a moment…"), a.dlg.entry)
		d := a.dlg.d
		a.spawn(func() { a.readImport(st, path, data, pass, d, done) })
		return false
	}
	a.showDialog(lang.L("Open the encrypted file"), content, lang.L("Open"), 420, submit, func() {
		clear(data)
		done()
		a.sayBackup(lang.L("Nothing was imported."), false)
	})
	a.dlg.entry.OnSubmitted = func(string) { submit() }
	a.win.Canvas().Focus(a.dlg.entry)
}

// formatName names an import's format in a sentence.
func formatName(in store.Incoming) string {
	var s string
	switch in.Format {
	case store.FormatBackup:
		s = lang.L("softtoken backup")
	case imports.FormatURIList:
		s = lang.L("list of otpauth links")
	case imports.FormatAegis:
		s = lang.L("Aegis export")
	case imports.FormatTwoFAS:
		s = lang.L("2FAS backup")
	case imports.FormatAndOTP:
		s = lang.L("andOTP backup")
	default:
		s = string(in.Format)
	}
	if in.Encrypted {
		s = lang.L("{{.Format}}, encrypted", map[string]any{"Format": s})
	}
	return s
}

// fileSkip says why an entry of the file itself cannot be imported.
func fileSkip(s imports.Skipped) string {
	label := s.Label
	if label == "" {
		label = lang.L("Entry {{.N}}", map[string]any{"N": s.Index})
	}
	var why string
	switch {
	case errors.Is(s.Reason, imports.ErrDuplicate):
		why = lang.L("it appears twice in the file")
	case errors.Is(s.Reason, imports.ErrUnsupported):
		why = lang.L("softtoken does not support this kind of token (such as Steam)")
	case errors.Is(s.Reason, imports.ErrDamaged):
		why = lang.L("this entry of the file is damaged")
	default:
		why = explain(s.Reason)
	}
	return label + ": " + why
}

// planSkip says why an account is not added to those enrolled.
func planSkip(s store.ImportSkip) string {
	var why string
	switch {
	case errors.Is(s.Reason, store.ErrAlreadyEnrolled):
		why = lang.L("already enrolled (as {{.Account}})", map[string]any{"Account": s.Existing})
	case errors.Is(s.Reason, store.ErrNameTaken):
		why = lang.L("an account of this name is enrolled with another key; rename or remove it first")
	default:
		why = explain(s.Reason)
	}
	return s.Label + ": " + why
}

// importFailed says why the file path cannot be imported. The vault's
// own errors are said of a backup here, not of the vault file.
func importFailed(path string, err error) string {
	var why string
	switch {
	case errors.Is(err, store.ErrVaultKind):
		why = lang.L("This is softtoken's vault file, not a backup. Choose a backup file (Export backup writes one).")
	case errors.Is(err, store.ErrVaultTruncated):
		why = lang.L("The backup is incomplete (cut off). Use another copy of it.")
	case errors.Is(err, store.ErrVaultDamaged):
		why = lang.L("The backup is damaged. Use another copy of it.")
	case errors.Is(err, store.ErrVaultVersion):
		why = lang.L("The backup was written by a newer softtoken. Import it there, or install that version.")
	case errors.Is(err, os.ErrNotExist):
		why = lang.L("The file does not exist (any more).")
	default:
		why = explain(err)
	}
	return lang.L("{{.File}} was not imported: {{.Why}}", map[string]any{"File": filepath.Base(path), "Why": why})
}

// showImportPreview shows what the import will add and what it skips,
// and why, and imports on OK.
func (a *App) showImportPreview(p *importPlan) {
	a.bk.preview = p
	box := container.NewVBox()
	say := func(s string, imp widget.Importance, bold bool) {
		l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: bold})
		l.Wrapping = fyne.TextWrapWord
		l.Importance = imp
		box.Add(l)
	}
	say(lang.L("{{.File}} ({{.Format}}) holds {{.Count}} accounts.", map[string]any{
		"File": filepath.Base(p.file), "Format": formatName(p.in), "Count": len(p.in.Accounts) + len(p.in.Skipped)}), widget.MediumImportance, false)
	if len(p.add) > 0 {
		say(lang.L("These will be added ({{.Count}}):", map[string]any{"Count": len(p.add)}), widget.MediumImportance, true)
		var names []string
		for _, acc := range p.add {
			names = append(names, "• "+acc.Label())
		}
		say(strings.Join(names, "\n"), widget.MediumImportance, false)
	} else {
		say(lang.L("Nothing in it is new: no account will be added."), widget.WarningImportance, true)
	}
	if len(p.skipped) > 0 {
		say(lang.L("These will not be imported ({{.Count}}):", map[string]any{"Count": len(p.skipped)}), widget.WarningImportance, true)
		say("• "+strings.Join(p.skipped, "\n• "), widget.MediumImportance, false)
	}
	a.dlg.entry, a.dlg.entry2 = nil, nil
	a.dlg.message = widget.NewLabel("")
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.message.Importance = widget.DangerImportance
	a.bk.busy = widget.NewProgressBarInfinite()
	a.bk.busy.Hide()
	// A long list scrolls; a short one is shown whole (a scroll's height
	// would be guessed before its wrapped labels know their width).
	var list fyne.CanvasObject = box
	if len(p.add)+2*len(p.skipped) > 8 {
		scroll := container.NewVScroll(box)
		scroll.SetMinSize(fyne.NewSize(0, 300))
		list = scroll
	}
	content := container.NewVBox(list, a.dlg.message, a.bk.busy)
	okText := lang.L("Import {{.Count}} accounts", map[string]any{"Count": len(p.add)})
	if len(p.add) == 1 {
		okText = lang.L("Import 1 account")
	}
	a.showDialog(lang.L("Import accounts"), content, okText, 480, func() bool { return a.confirmImport(p) }, func() {
		a.bk.preview = nil
		p.done()
		a.sayBackup(lang.L("Nothing was imported."), false)
	})
	if len(p.add) == 0 {
		a.dlg.ok.Disable()
	}
	a.win.Canvas().Focus(a.dlg.ok)
}

// confirmImport adds the accounts of p off the event goroutine, then
// says what was imported and what was skipped.
func (a *App) confirmImport(p *importPlan) bool {
	st := a.st
	if st == nil || len(p.add) == 0 {
		return false
	}
	a.dialogBusy(true, lang.L("Adding the accounts…"))
	d := a.dlg.d
	a.spawn(func() {
		_, err := st.Add(p.add...)
		for _, acc := range p.add {
			clear(acc.Secret)
		}
		fyne.Do(func() {
			p.done()
			a.bk.preview = nil
			if err != nil {
				a.dialogBusy(false, "")
				a.dlg.ok.Disable()
				a.dlg.message.Importance = widget.DangerImportance
				a.dlg.message.SetText(explain(err))
				return
			}
			d.Hide()
			msg := lang.L("{{.Count}} accounts were imported from {{.File}}.", map[string]any{"Count": len(p.add), "File": filepath.Base(p.file)})
			if len(p.add) == 1 {
				msg = lang.L("1 account was imported from {{.File}}.", map[string]any{"File": filepath.Base(p.file)})
			}
			if len(p.skipped) > 0 {
				msg += " " + lang.L("Not imported ({{.Count}}): {{.List}}", map[string]any{"Count": len(p.skipped), "List": strings.Join(p.skipped, "; ")})
			}
			a.sayBackup(msg, false)
			a.reload(func() {
				if a.bk.export != nil && len(a.accounts) > 0 {
					a.bk.export.Enable()
				}
			})
		})
	})
	return false
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
