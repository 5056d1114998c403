package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/doctor"
)

// firstStartHelp is the row under the ways in on a first start (no
// account yet: the wizard is all the window shows): the settings and the
// support report, which the enrollment page and the help desk send people
// to, reachable without knowing Ctrl+, (issue 10, 2.6).
type firstStartHelp struct {
	settings, report *button
	msg              *widget.Label // what became of the report
}

// newFirstStartHelp builds the row of w, on the first step of a first
// start.
func (w *wizard) newFirstStartHelp() fyne.CanvasObject {
	a := w.a
	h := &firstStartHelp{}
	h.settings = newButton(lang.L("Settings"), theme.SettingsIcon(), a.showSettings)
	h.msg = widget.NewLabel("")
	h.msg.Wrapping = fyne.TextWrapWord
	h.report = newButton(lang.L("Copy support report"), theme.ContentCopyIcon(), nil)
	h.report.OnTapped = func() { a.collectReport(h.report, h.msg.SetText) }
	h.settings.Importance, h.report.Importance = widget.LowImportance, widget.LowImportance
	w.help = h
	return container.NewVBox(widget.NewSeparator(), container.NewHBox(h.settings, h.report), h.msg)
}

// collectReport puts the support report (package doctor: version,
// system, storage, number of accounts, profile, clock; never a secret, a
// code or an account's name) on the clipboard for the help desk, with b
// disabled meanwhile, and says how it went with say and on the status
// line. Collecting it probes the keychain and the portal's clock, so it
// runs off the event goroutine.
func (a *App) collectReport(b *button, say func(string)) {
	b.Disable()
	both := func(msg string) {
		a.setStatus(msg)
		say(msg)
	}
	both(lang.L("Collecting the support report…"))
	dir := a.opts.Dir
	if a.st != nil {
		dir = a.st.Dir()
	}
	opts := doctor.Options{Dir: dir, Keys: a.opts.Keys, Now: a.now,
		Version: a.opts.Version, Commit: a.opts.Commit, Date: a.opts.Date}
	a.spawn(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		text := doctor.Collect(ctx, opts).String()
		fyne.Do(func() {
			b.Enable()
			a.fa.Clipboard().SetContent(text)
			both(lang.L("The support report is on the clipboard. It holds no secret and no code; paste it into your message to the help desk."))
		})
	})
}

// leaveSettings goes back from the settings to where they were opened:
// the wizard of a first start (built anew, in the language chosen), or
// the main screen.
func (a *App) leaveSettings() {
	if a.settingsFrom == screenWizard && a.wiz != nil && a.opened && a.openErr == nil {
		a.showScreen(screenWizard)
		if a.wiz.choosing {
			a.wiz.showChoose()
		}
		return
	}
	a.showMain()
}
