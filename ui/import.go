package ui

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/store/imports"
	"github.com/cityadmin/softtoken/token"
)

// importPlan is an import read and split, awaiting the person's OK.
type importPlan struct {
	file    string
	in      store.Incoming
	add     []token.Account
	skipped []string // each "label: reason", in the person's language
	done    func()
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
