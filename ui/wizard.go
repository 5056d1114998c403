package ui

import (
	"context"
	"crypto/rand"
	"regexp"
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
