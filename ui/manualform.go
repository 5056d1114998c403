package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/token"
)

// Labels of the token types in the manual form.
func typeLabels() []string {
	return []string{lang.L("Time-based (TOTP)"), lang.L("Counter-based (HOTP)")}
}

// showManual is the form for a key given as text, checked as it is typed.
// Its fields are kept while the wizard is open: Back, from the form or
// from the preview after it, loses nothing typed.
func (w *wizard) showManual() {
	if w.manualBox == nil {
		w.buildManual()
	}
	w.err.SetText("")
	w.setStep(lang.L("Enter key by hand"), w.manualBox, w.manualBack, w.next)
	w.validate()
	w.a.win.Canvas().Focus(w.issuer)
}

func (w *wizard) buildManual() {
	w.issuer = newEntry(lang.L("Issuer, e.g. the name of your organisation"))
	w.name = newEntry(lang.L("Account name, e.g. your user name"))
	// Shown as typed: the key is copied from paper or a letter, letter by
	// letter, and a hidden one cannot be checked. The eye hides it.
	w.key = newPasswordEntry(lang.L("Key"))
	w.key.Password = false
	if eye, ok := w.key.ActionItem.(*eye); ok {
		eye.SetResource(theme.VisibilityIcon())
	}
	w.typ = newRadio(lang.L("Type"), typeLabels(), nil)
	w.typ.Horizontal = false // side by side, the German labels widened the window
	w.typ.SetSelected(typeLabels()[0])
	w.algorithm = newChoice(lang.L("Algorithm"), []string{"SHA1", "SHA256", "SHA512"}, nil)
	w.algorithm.SetSelected("SHA1")
	w.digits = newChoice(lang.L("Digits"), []string{"6", "7", "8", "9", "10"}, nil)
	w.digits.SetSelected("6")
	w.period = newEntry(lang.L("Period in seconds"))
	w.period.SetText("30")
	w.counter = newEntry(lang.L("Counter"))
	w.counter.SetText("0")
	adv := widget.NewForm()
	// The period for a time-based key, the counter for a counter-based
	// one: never the field that does not apply.
	setItems := func() {
		timing := widget.NewFormItem(lang.L("Period (seconds)"), w.period)
		if w.typ.Selected == typeLabels()[1] {
			timing = widget.NewFormItem(lang.L("Counter"), w.counter)
		}
		adv.Items = []*widget.FormItem{
			widget.NewFormItem(lang.L("Type"), w.typ),
			widget.NewFormItem(lang.L("Algorithm"), w.algorithm),
			widget.NewFormItem(lang.L("Digits"), w.digits),
			timing,
		}
		adv.Refresh()
	}
	setItems()
	w.advancedBox = container.NewVBox(adv)
	w.advancedBox.Hide()
	w.advanced = newCheck(lang.L("Advanced settings (only if you were told other values)"), func(on bool) {
		if on {
			w.advancedBox.Show()
		} else {
			w.advancedBox.Hide()
		}
	})
	w.next = newButton(lang.L("Continue"), theme.NavigateNextIcon(), func() {
		if acc, err := w.manualAccount(); err == nil {
			w.phone = ""
			w.showPreview([]token.Account{acc})
			w.back.OnTapped = w.showManual // back to what was typed
		}
	})
	w.next.Importance = widget.HighImportance
	w.manualBack = newButton(lang.L("Back"), theme.NavigateBackIcon(), w.showChoose)
	changed := func(string) { w.validate() }
	for _, e := range []*entry{w.issuer, w.name, w.key, w.period, w.counter} {
		e.OnChanged = changed
	}
	w.typ.OnChanged = func(string) {
		setItems()
		w.validate()
	}
	w.algorithm.OnChanged, w.digits.OnChanged = changed, changed
	w.key.OnSubmitted = func(string) { w.next.OnTapped() }
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Issuer"), w.issuer),
		widget.NewFormItem(lang.L("Account"), w.name),
		widget.NewFormItem(lang.L("Key"), w.key),
	)
	hint := widget.NewLabel(lang.L("The key is a string of letters A to Z and digits 2 to 7, usually 16 or 32 characters long. Spaces do not matter."))
	hint.Wrapping = fyne.TextWrapWord
	hint.TextStyle = fyne.TextStyle{Italic: true}
	w.manualBox = container.NewVBox(form, hint, w.advanced.wrapped(), w.advancedBox, w.err)
}

// manualAccount is the account the form describes, or the first thing
// wrong with it.
func (w *wizard) manualAccount() (token.Account, error) {
	acc := token.Account{
		Issuer:    trim(w.issuer.Text),
		Name:      trim(w.name.Text),
		Type:      token.TOTP,
		Algorithm: token.Algorithm(w.algorithm.Selected),
		Period:    token.DefaultPeriod,
	}
	if w.typ.Selected == typeLabels()[1] {
		acc.Type, acc.Period = token.HOTP, 0
		n, err := strconv.ParseUint(trim(w.counter.Text), 10, 64)
		if err != nil {
			return acc, fmt.Errorf("counter: %w", token.ErrCounter)
		}
		acc.Counter = n
	} else {
		p, err := strconv.Atoi(trim(w.period.Text))
		if err != nil {
			return acc, fmt.Errorf("period: %w", token.ErrPeriod)
		}
		acc.Period = p
	}
	acc.Digits, _ = strconv.Atoi(w.digits.Selected)
	if acc.Name == "" {
		return acc, errNoName
	}
	secret, err := token.DecodeBase32(w.key.Text)
	if err != nil {
		return acc, err
	}
	acc.Secret = secret
	return acc, acc.Validate()
}

// validate checks the form as it is typed: Continue is enabled only for a
// usable account, and the first problem is named, except for fields not
// filled in yet.
func (w *wizard) validate() {
	_, err := w.manualAccount()
	if err == nil {
		w.err.SetText("")
		w.next.Enable()
		return
	}
	w.next.Disable()
	if (err == errNoName && w.name.Text == "") || w.key.Text == "" {
		w.err.SetText("")
		return
	}
	w.err.SetText(explain(err))
}
