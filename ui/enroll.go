package ui

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/scan"
	"github.com/cityadmin/softtoken/token"
)

// wizard is the enrollment screen: the ways in, the manual form, and the
// preview before anything is stored.
type wizard struct {
	a    *App
	root *fyne.Container // holds the current step
	busy *busy
	err  *widget.Label // why the last try failed

	// The ways in.
	scan, open, paste, manual, cancel *button
	choosing                          bool // the first step is shown
	working                           bool // a way in is reading its codes (work)

	help *firstStartHelp // settings and support report, on a first start

	// Entering a key by hand.
	issuer, name, key *entry
	advanced          *check
	typ               *radio
	algorithm, digits *choice
	period, counter   *entry
	next              *button
	manualBack        *button
	advancedBox       *fyne.Container
	manualBox         *fyne.Container // the form, kept while the wizard is open

	// The preview.
	accs     []token.Account
	warnings []string
	// phone is the client part of a two-step enrollment, for the person to
	// type into the enrollment page; set by the worker before the preview.
	phone   string
	save    *button
	back    *button
	replace *button // instead of save where an account is enrolled already
	// pasted is the clipboard's text the enrollment came from, to clear
	// from the clipboard once saved; "" for other ways in.
	pasted string
}

// Labels of the token types in the manual form.
func typeLabels() []string {
	return []string{lang.L("Time-based (TOTP)"), lang.L("Counter-based (HOTP)")}
}

// showWizard opens the enrollment wizard at its first step.
func (a *App) showWizard() {
	if !a.opened || a.openErr != nil {
		return
	}
	if a.wiz == nil || a.screen != screenWizard {
		a.wiz = a.newWizard()
	}
	a.showScreen(screenWizard)
	if a.wiz.working {
		return // its buttons stay disabled until it is done
	}
	a.wiz.showChoose() // now in the window, so that its first button can take the focus
}

// busyEnrolling says so, and reports true, if the wizard is still reading
// the codes of an earlier way in (a scan waiting for the portal, a
// picture): a second one run meanwhile would write the same wizard's
// state, and its preview could pair one code's accounts with the other's
// two-step part. The second is refused, with a message; the person gives
// it again once the first is done.
func (a *App) busyEnrolling() bool {
	if a.wiz == nil || !a.wiz.working || a.screen != screenWizard {
		return false
	}
	a.dlg.message = widget.NewLabel(lang.L("softtoken is still reading the enrollment code given first. Once its preview shows, give the next one again: drop the picture or click the link once more."))
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.entry, a.dlg.entry2 = nil, nil
	a.showDialog(lang.L("One enrollment at a time"), a.dlg.message, lang.L("OK"), 400, func() bool { return true }, nil)
	a.dlg.cancel.Hide()
	a.win.Canvas().Focus(a.dlg.ok)
	return true
}

func (a *App) newWizard() *wizard {
	w := &wizard{a: a, root: container.NewStack()}
	w.busy = newBusy()
	w.err = widget.NewLabel("")
	w.err.Wrapping = fyne.TextWrapWord
	w.err.Importance = widget.DangerImportance
	return w
}

func (w *wizard) object() fyne.CanvasObject { return w.root }

func (w *wizard) setStep(title string, content fyne.CanvasObject, buttons ...fyne.CanvasObject) {
	w.choosing = false
	head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	foot := container.NewVBox(w.busy, container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, buttons...)...))
	w.root.Objects = []fyne.CanvasObject{container.NewBorder(head, foot, nil, nil, container.NewVScroll(content))}
	w.root.Refresh()
}

// showChoose is the first step: four ways in, each explained in a sentence.
func (w *wizard) showChoose() {
	a := w.a
	w.scan = newButton(lang.L("Scan screen"), theme.ViewFullScreenIcon(), w.scanScreen)
	w.open = newButton(lang.L("Open image…"), theme.FolderOpenIcon(), w.openImage)
	w.paste = newButton(lang.L("Paste"), theme.ContentPasteIcon(), w.pasteLink)
	w.manual = newButton(lang.L("Enter key by hand"), theme.DocumentCreateIcon(), w.showManual)
	w.scan.Importance = widget.HighImportance
	choice := func(b *button, text string) fyne.CanvasObject {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		return container.NewBorder(nil, nil, container.NewVBox(b), nil, l)
	}
	w.cancel = newButton(lang.L("Cancel"), nil, a.showMain)
	if len(a.accounts) == 0 {
		w.cancel.Hide() // nothing to go back to
	}
	intro := widget.NewLabel(lang.L("Open your enrollment page so that its QR code is on the screen, then choose Scan screen."))
	intro.Wrapping = fyne.TextWrapWord
	drop := widget.NewLabel(lang.L("You can also drop a picture of the QR code onto this window."))
	drop.Wrapping = fyne.TextWrapWord
	drop.TextStyle = fyne.TextStyle{Italic: true}
	content := container.NewVBox(intro,
		choice(w.scan, lang.L("Finds the QR code that your enrollment page shows on the screen.")),
		choice(w.open, lang.L("Reads the QR code from a picture file you saved or received.")),
		choice(w.paste, lang.L("Uses an enrollment link (otpauth://…) that you copied.")),
		choice(w.manual, lang.L("For when you were given the key as text instead of a QR code.")),
		drop, w.err)
	w.help = nil
	if len(a.accounts) == 0 {
		content.Add(w.newFirstStartHelp())
	}
	w.setStep(lang.L("Add an account"), content, w.cancel)
	w.choosing = true
	a.win.Canvas().Focus(w.scan)
}

// failed shows why a way in did not work, on the first step.
func (w *wizard) failed(err error) {
	w.showChoose()
	w.err.SetText(explain(err))
}

// work runs fn off the event goroutine with the busy indicator showing and
// the buttons disabled, then shows its accounts' preview or its error.
func (w *wizard) work(fn func() ([]token.Account, error)) {
	w.err.SetText("")
	w.pasted = "" // set again by pasteLink once its work is under way
	w.working = true
	w.busy.run()
	w.setEnabled(false)
	w.a.spawn(func() {
		accs, err := fn()
		fyne.Do(func() {
			w.working = false
			if w.a.wiz != w {
				return // the wizard was left meanwhile
			}
			w.busy.stop()
			w.setEnabled(true)
			if err != nil {
				w.failed(err)
				return
			}
			w.showPreview(accs)
		})
	})
}

func (w *wizard) setEnabled(on bool) {
	for _, b := range []*button{w.scan, w.open, w.paste, w.manual} {
		if b == nil {
			continue
		}
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// scanHideDelay is how long the window stays hidden before the capture:
// time for the window manager to unmap it and for what it covered (the
// enrollment page, as a rule) to be painted again.
var scanHideDelay = 400 * time.Millisecond

// scanScreen captures every display and reads the enrollment codes on it.
// The window gets out of the way meanwhile: it is centred over the
// browser that shows the code, as a rule, and would cover it.
func (w *wizard) scanScreen() {
	c := w.a.opts.Capturer
	win := w.a.win
	win.Hide()
	w.work(func() ([]token.Account, error) {
		time.Sleep(scanHideDelay)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // the portal may ask the person
		defer cancel()
		codes, err := scan.Screen(ctx, c)
		// Back before the result is shown (fyne.Do keeps the order).
		fyne.Do(func() {
			win.Show()
			win.RequestFocus()
		})
		if err != nil {
			return nil, err
		}
		accs, parts, err := scan.Enroll(codes, rand.Reader)
		w.phone = twoStepParts(accs, parts) // read by showPreview, after fyne.Do
		return accs, err
	})
}

// openImage asks for a picture file and reads the enrollment codes in it.
func (w *wizard) openImage() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			w.failed(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		w.a.enrollFile(path)
	}, w.a.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".PNG", ".JPG", ".JPEG"}))
	// Shown first: Fyne's FileDialog.Resize reads the size of a dialog
	// window that Show makes, and dereferences nil before (issue 10, 2.1).
	d.Show()
	d.Resize(fyne.NewSize(600, 460))
}

// pasteLink reads an enrollment link from the clipboard. Fyne's clipboard
// holds text only, so a picture copied to the clipboard cannot be read: the
// person saves it and opens or drops the file instead.
//
// What people copy is not always a bare link: a link inside a sentence of
// an e-mail is picked out; a bare key ("JBSW Y3DP …", as a page shows it
// to type by hand) opens the form to type one, with the key filled in.
// The pasted text (a secret) is cleared from the clipboard once saved, if
// the clipboard still holds it.
func (w *wizard) pasteLink() {
	raw := w.a.fa.Clipboard().Content()
	text := strings.TrimSpace(raw)
	if text == "" {
		w.failed(errEmptyClipboard)
		return
	}
	if link := linkIn.FindString(text); link != "" {
		w.a.enrollLink(link)
		w.a.wiz.pasted = raw // the wizard enrollLink works in
		return
	}
	// A key: base32 of 80 bits at least (16 letters), as a key must be;
	// shorter words ("not a link") are none.
	if key, err := token.DecodeBase32(text); err == nil && len(key) >= 10 {
		w.showManual()
		w.key.SetText(text)
		w.pasted = raw
		w.a.win.Canvas().Focus(w.issuer)
		return
	}
	w.a.enrollLink(text) // says why it is no link
}

// linkIn finds an enrollment link in other text: up to the first space,
// quote or bracket, which a link does not hold (they are escaped).
var linkIn = regexp.MustCompile(`(?i)otpauth(-migration)?://[^\s"'<>()\[\]]+`)

// enrollLink shows the preview of an enrollment link (pasted, or handed
// over by the link handler). Parsing is pure and quick.
func (a *App) enrollLink(link string) {
	if !a.opened || a.openErr != nil || a.busyEnrolling() {
		return
	}
	a.showWizard()
	w := a.wiz
	w.work(func() ([]token.Account, error) {
		// A two-step link derives its secret with PBKDF2: off the event
		// goroutine, like every other way in.
		accs, part, err := token.Enroll(strings.TrimSpace(link), rand.Reader)
		w.phone = part // read by showPreview, after fyne.Do
		return accs, err
	})
}

// twoStepParts joins the client parts of two-step enrollments for the
// preview, each with its account where there are several.
func twoStepParts(accs []token.Account, parts []string) string {
	var out []string
	for i, p := range parts {
		if p == "" {
			continue
		}
		if len(accs) > 1 {
			p = accs[i].Label() + ": " + p
		}
		out = append(out, p)
	}
	return strings.Join(out, "\n")
}

// enrollFile reads the enrollment codes in the picture at path.
func (a *App) enrollFile(path string) {
	if !a.opened || a.openErr != nil || a.busyEnrolling() {
		return
	}
	a.showWizard()
	w := a.wiz
	w.work(func() ([]token.Account, error) {
		codes, err := scan.File(path)
		if err != nil {
			return nil, err
		}
		accs, parts, err := scan.Enroll(codes, rand.Reader)
		w.phone = twoStepParts(accs, parts) // read by showPreview, after fyne.Do
		return accs, err
	})
}

// dropped enrolls from the first picture file dropped on the window.
func (a *App) dropped(_ fyne.Position, uris []fyne.URI) {
	for _, u := range uris {
		if u.Scheme() == "file" {
			a.enrollFile(u.Path())
			return
		}
	}
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

// enrolled returns the account enrolled under acc's issuer and name.
func (a *App) enrolled(acc token.Account) (token.Account, bool) {
	for _, old := range a.accounts {
		if strings.EqualFold(old.Issuer, acc.Issuer) && strings.EqualFold(old.Name, acc.Name) {
			return old, true
		}
	}
	return token.Account{}, false
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

// confirmReplace asks before replacing enrolled accounts by the
// previewed ones of the same issuer and name.
func (w *wizard) confirmReplace() {
	a := w.a
	var names []string
	for _, acc := range w.accs {
		if old, dup := a.enrolled(acc); dup {
			names = append(names, "“"+old.Label()+"”")
		}
	}
	a.dlg.message = widget.NewLabel(lang.L("Replace {{.Accounts}} with the new key? It keeps its place and name. Codes of the old key can then no longer be shown here.",
		map[string]any{"Accounts": strings.Join(names, ", ")}))
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.entry, a.dlg.entry2 = nil, nil
	a.showDialog(lang.L("Replace account"), a.dlg.message, lang.L("Replace"), 420, func() bool {
		w.saveAccounts()
		return true
	}, nil)
	a.win.Canvas().Focus(a.dlg.cancel)
}

// replaceIn stores accs in st, each one enrolled already (old, by index)
// taking that one's place and name: the old one is renamed aside, the new
// one added under its name and moved to its place, then the old one is
// removed. A crash between the steps leaves both, never neither.
func replaceIn(st Store, accs []token.Account, old map[int]token.Account) ([]token.Account, error) {
	var added []token.Account
	for i, acc := range accs {
		o, dup := old[i]
		if !dup {
			n, err := st.Add(acc)
			if err != nil {
				return added, err
			}
			added = append(added, n...)
			continue
		}
		if err := st.Rename(o.ID, o.Issuer, o.Name+" (replaced)"); err != nil {
			return added, err
		}
		acc.Issuer, acc.Name = o.Issuer, o.Name
		n, err := st.Add(acc)
		if err != nil {
			st.Rename(o.ID, o.Issuer, o.Name) // as it was
			return added, err
		}
		list, err := st.List()
		if err != nil {
			return added, err
		}
		for at, x := range list {
			if x.ID == o.ID {
				if err := st.Move(n[0].ID, at); err != nil {
					return added, err
				}
				break
			}
		}
		if err := st.Remove(o.ID); err != nil {
			return added, err
		}
		added = append(added, n...)
	}
	return added, nil
}

// saveAccounts stores the previewed accounts off the event goroutine.
func (w *wizard) saveAccounts() {
	a, accs, st := w.a, w.accs, w.a.st
	old := map[int]token.Account{}
	for i, acc := range accs {
		if o, dup := a.enrolled(acc); dup {
			old[i] = o
		}
	}
	w.save.Disable()
	w.back.Disable()
	if w.replace != nil {
		w.replace.Disable()
	}
	w.busy.run()
	a.spawn(func() {
		var added []token.Account
		var err error
		if len(old) == 0 {
			added, err = st.Add(accs...)
		} else {
			added, err = replaceIn(st, accs, old)
		}
		fyne.Do(func() {
			w.busy.stop()
			if err != nil {
				w.save.Enable()
				w.back.Enable()
				if w.replace != nil {
					w.replace.Enable()
				}
				w.err.SetText(explain(err))
				return
			}
			// A search that would hide what was just added ends.
			a.main.search.SetText("")
			// The pasted link or key holds the secret: off the clipboard,
			// unless something else was copied since.
			if w.pasted != "" && a.fa.Clipboard().Content() == w.pasted {
				a.fa.Clipboard().SetContent("")
			}
			a.reload(func() {
				a.showMain()
				if len(old) == 1 && len(added) == 1 {
					a.setStatus(lang.L("“{{.Account}}” was replaced.", map[string]any{"Account": added[0].Label()}))
				} else if len(added) == 1 {
					a.setStatus(lang.L("“{{.Account}}” was added.", map[string]any{"Account": added[0].Label()}))
				} else {
					a.setStatus(lang.L("{{.N}} accounts were added.", map[string]any{"N": len(added)}))
				}
			})
		})
	})
}
