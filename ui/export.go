package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/internal/atomicfile"
)

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
