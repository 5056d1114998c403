package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// capsWarning is a line for under passphrase fields that shows while Caps
// Lock is on (issue 10, 2.19): a passphrase typed with it on is refused
// as wrong, with nothing to say why. It is checked as the fields are
// typed into and, while its dialog is open (a.dlg.caps), twice a second
// (the key itself types nothing). Where the state is not known (capsLockOn)
// the line never shows.
func (a *App) capsWarning(fields ...*entry) *widget.Label {
	l := widget.NewLabelWithStyle(lang.L("Caps Lock is on."), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Importance = widget.WarningImportance
	l.Hide()
	check := func() {
		if on, known := a.capsLock(); known && on {
			l.Show()
		} else {
			l.Hide()
		}
	}
	for _, e := range fields {
		e.onKey = check
	}
	check()
	if a.noTicker {
		return l // tests check by typing
	}
	go func() {
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for range t.C {
			shown := make(chan bool, 1)
			fyne.Do(func() {
				// Until its dialog closes, or another one takes its place.
				in := a.dlg.open && a.dlg.caps == l
				if in {
					check()
				}
				shown <- in
			})
			if !<-shown {
				return
			}
		}
	}()
	return l
}
