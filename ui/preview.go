package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/token"
)

// showPreview shows what would be stored, never the secret, with warnings.
func (w *wizard) showPreview(accs []token.Account) {
	a := w.a
	w.accs = accs
	w.warnings = nil
	box := container.NewVBox()
	intro := widget.NewLabel(lang.L("Please check the account before it is saved."))
	if len(accs) > 1 {
		intro.SetText(lang.L("Please check the {{.N}} accounts before they are saved.", map[string]any{"N": len(accs)}))
	}
	intro.Wrapping = fyne.TextWrapWord
	box.Add(intro)
	if w.phone != "" {
		note := widget.NewLabel(lang.L("Two-step enrollment: type this code into the enrollment page to finish it, then save here."))
		note.Wrapping = fyne.TextWrapWord
		note.Importance = widget.WarningImportance
		phone := widget.NewLabelWithStyle(w.phone, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
		phone.Selectable = true
		box.Add(note)
		box.Add(phone)
	}
	for _, acc := range accs {
		typ, timing := typeLabels()[0], lang.L("{{.N}} seconds", map[string]any{"N": acc.Period})
		timingLabel := lang.L("Period")
		if acc.Type == token.HOTP {
			typ, timing, timingLabel = typeLabels()[1], strconv.FormatUint(acc.Counter, 10), lang.L("Counter")
		}
		form := widget.NewForm(
			widget.NewFormItem(lang.L("Issuer"), valueLabel(acc.Issuer)),
			widget.NewFormItem(lang.L("Account"), valueLabel(acc.Name)),
			widget.NewFormItem(lang.L("Type"), valueLabel(typ)),
			widget.NewFormItem(lang.L("Digits"), valueLabel(strconv.Itoa(acc.Digits))),
			widget.NewFormItem(timingLabel, valueLabel(timing)),
			widget.NewFormItem(lang.L("Algorithm"), valueLabel(string(acc.Algorithm))),
		)
		box.Add(widget.NewCard("", "", form))
		for _, msg := range a.warningsFor(acc) {
			w.warnings = append(w.warnings, msg)
			// A drawn icon, not "⚠": builds leave out the emoji font
			// (-tags no_emoji) that would draw it.
			l := widget.NewLabel(msg)
			l.Wrapping = fyne.TextWrapWord
			l.Importance = widget.WarningImportance
			box.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), nil, l))
		}
	}
	w.err.SetText("")
	box.Add(w.err)
	w.back = newButton(lang.L("Back"), theme.NavigateBackIcon(), w.showChoose)
	w.save = newButton(lang.L("Save"), theme.DocumentSaveIcon(), w.saveAccounts)
	w.save.Importance = widget.HighImportance
	w.replace = nil
	for _, acc := range accs {
		if _, dup := a.enrolled(acc); dup {
			// An enrollment page shows its code once: the way on is to
			// replace the old account, not a Save that is refused.
			w.replace = newButton(lang.L("Replace…"), theme.ViewRefreshIcon(), w.confirmReplace)
			w.replace.Importance = widget.HighImportance
			w.save.Hide()
			break
		}
	}
	if w.replace != nil {
		w.setStep(lang.L("Check and save"), box, w.back, w.replace)
		a.win.Canvas().Focus(w.replace)
		return
	}
	w.setStep(lang.L("Check and save"), box, w.back, w.save)
	a.win.Canvas().Focus(w.save)
}

func valueLabel(s string) *widget.Label {
	if s == "" {
		s = "—"
	}
	l := widget.NewLabel(s)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// warningsFor says what should make the person think twice about acc.
func (a *App) warningsFor(acc token.Account) []string {
	var out []string
	if _, dup := a.enrolled(acc); dup {
		out = append(out, lang.L("“{{.Account}}” is already enrolled. Replace it if your enrollment page gave you a new code: the new key takes the old one's place and name, and the old key stops working here.",
			map[string]any{"Account": acc.Label()}))
	}
	if acc.IssuerParam != "" {
		out = append(out, lang.L("The code names two issuers: “{{.Label}}” before the account name and “{{.Param}}” as its issuer. softtoken shows “{{.Label}}”. If that surprises you, ask whoever gave you the code.",
			map[string]any{"Label": acc.Issuer, "Param": acc.IssuerParam}))
	}
	if a.profile != nil && !a.profile.AllowsIssuer(acc.Issuer) {
		out = append(out, lang.L("“{{.Issuer}}” is not among the issuers that {{.Organisation}} vouches for. Save it only if you trust where the code comes from.",
			map[string]any{"Issuer": acc.Issuer, "Organisation": a.profile.Organisation}))
	}
	return out
}
