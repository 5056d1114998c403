package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// Window is the main window: one row per account with its live code. The
// fields are touched only on Fyne's event goroutine.
type Window struct {
	app fyne.App
	win fyne.Window
	src Source
	now func() time.Time

	rows    []*row
	list    *fyne.Container
	status  *widget.Label
	stop    context.CancelFunc
	openErr error
}

// row is one account as shown.
type row struct {
	acc     token.Account // secret included, for the ticker's copy
	err     error
	title   *widget.Label
	sub     *widget.Label
	code    *canvas.Text
	left    *widget.Label
	next    *widget.Label
	bar     *countdown
	copy    *widget.Button
	current string // the code shown, what Copy copies
}

// rowState is what the ticker computed for one row at one instant.
type rowState struct {
	code, next string
	left       int
	err        error
}

// NewWindow builds the window. openErr is the error of opening the store,
// shown instead of the list when not nil. now is the clock.
func NewWindow(app fyne.App, src Source, openErr error, now func() time.Time) *Window {
	w := &Window{app: app, src: src, now: now, openErr: openErr}
	w.win = app.NewWindow("softtoken")
	w.status = widget.NewLabel(lang.L("Loading accounts…"))
	w.status.Wrapping = fyne.TextWrapWord
	w.list = container.NewVBox()
	w.win.SetContent(container.NewBorder(nil, w.status, nil, nil, container.NewVScroll(w.list)))
	w.win.Resize(fyne.NewSize(460, 440))
	w.win.SetOnClosed(func() {
		if w.stop != nil {
			w.stop()
		}
	})
	return w
}

// Start loads the accounts off the event goroutine (the keychain may take
// its time, or ask the user to unlock it) and then starts the ticker.
func (w *Window) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	w.stop = cancel
	go func() {
		l := w.load()
		fyne.Do(func() { w.show(l) })
		if len(l.accounts) > 0 {
			w.tick(ctx, l.accounts)
		}
	}()
}

// loaded is the result of reading the store.
type loaded struct {
	accounts []token.Account // with secrets; those that failed have none
	errs     []error         // per account, nil where it loaded
	err      error           // the list itself could not be read
}

// load reads every account and its secret. It blocks; never call it on the
// event goroutine.
func (w *Window) load() loaded {
	if w.openErr != nil {
		return loaded{err: w.openErr}
	}
	list, err := w.src.List()
	if err != nil {
		return loaded{err: err}
	}
	l := loaded{accounts: make([]token.Account, len(list)), errs: make([]error, len(list))}
	for i, a := range list {
		l.accounts[i] = a
		if a.Type == token.HOTP {
			continue // its secret is read when a code is asked for
		}
		full, err := w.src.Get(a.ID)
		if err != nil {
			l.errs[i] = err
			continue
		}
		l.accounts[i] = full
	}
	return l
}

// show builds the rows. Event goroutine only.
func (w *Window) show(l loaded) {
	w.list.RemoveAll()
	w.rows = nil
	switch {
	case l.err != nil:
		w.status.SetText(explain(l.err))
		return
	case len(l.accounts) == 0:
		w.status.SetText(lang.L("No account is enrolled yet. To enroll one, run in a terminal: softtoken add -"))
		return
	}
	w.status.SetText(lang.L("Click Copy to put a code on the clipboard; it is cleared after 30 seconds."))
	for i, a := range l.accounts {
		r := w.newRow(a, l.errs[i])
		w.rows = append(w.rows, r)
		w.list.Add(r.object())
	}
	w.apply(compute(l.accounts, w.now()))
}

func (w *Window) newRow(a token.Account, err error) *row {
	r := &row{acc: a, err: err}
	title, sub := a.Issuer, a.Name
	if title == "" {
		title, sub = a.Name, ""
	}
	r.title = widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.sub = widget.NewLabel(sub)
	r.sub.Truncation = fyne.TextTruncateEllipsis
	r.code = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	r.code.TextSize = 2.2 * theme.TextSize()
	r.code.TextStyle = fyne.TextStyle{Monospace: true}
	r.left = widget.NewLabel("")
	r.next = widget.NewLabel("")
	r.next.Importance = widget.LowImportance
	r.bar = newCountdown()
	r.copy = widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() { w.copyCode(r) })
	if a.Type == token.HOTP {
		r.bar.Hide()
		r.code.Text = "··· ···"
		r.copy.SetText(lang.L("Show code"))
		r.copy.OnTapped = func() { w.showHOTP(r) }
	}
	if err != nil {
		r.sub.SetText(explain(err))
		r.sub.Truncation = fyne.TextTruncateOff
		r.sub.Wrapping = fyne.TextWrapWord
		r.copy.Disable()
		r.bar.Hide()
	}
	return r
}

func (r *row) object() fyne.CanvasObject {
	pad := theme.Padding()
	names := container.New(layout.NewCustomPaddedVBoxLayout(-2*pad), r.title, r.sub)
	code := container.New(layout.NewCustomPaddedLayout(0, 0, 2*pad, 0), r.code)
	line := container.NewBorder(nil, nil, nil, container.NewCenter(r.copy), container.NewHBox(code, r.left, r.next))
	bar := container.New(layout.NewCustomPaddedLayout(0, pad, 2*pad, 2*pad), r.bar)
	return container.NewVBox(names, line, bar, widget.NewSeparator())
}

// compute works out every row's code at now. It reads only its arguments,
// so the ticker runs it off the event goroutine.
func compute(accs []token.Account, now time.Time) []rowState {
	out := make([]rowState, len(accs))
	for i, a := range accs {
		if a.Type != token.TOTP || a.Secret == nil {
			continue
		}
		s := &out[i]
		s.code, s.err = token.Code(a, now)
		s.left = token.SecondsLeft(a, now)
		if s.left <= 5 {
			s.next, _ = token.NextCode(a, now)
		}
	}
	return out
}

// apply shows what compute found, touching only what changed. Event
// goroutine only.
func (w *Window) apply(states []rowState) {
	if len(states) != len(w.rows) {
		return // the list changed since; the next tick has the new one
	}
	for i, s := range states {
		r := w.rows[i]
		if r.acc.Type != token.TOTP || r.err != nil {
			continue
		}
		if s.err != nil {
			r.err = s.err
			r.sub.SetText(explain(s.err))
			r.copy.Disable()
			continue
		}
		if s.code != r.current {
			r.current = s.code
			r.code.Text = token.Group(s.code)
			r.code.Refresh()
		}
		next := ""
		if s.next != "" {
			next = lang.L("next: {{.Code}}", map[string]any{"Code": token.Group(s.next)})
		}
		if r.next.Text != next {
			r.next.SetText(next)
		}
		left := lang.L("{{.Seconds}} s", map[string]any{"Seconds": s.left})
		if r.left.Text != left {
			r.left.SetText(left)
		}
		r.bar.set(float32(s.left)/float32(r.acc.Period), s.left <= 5)
	}
}

// tick recomputes the codes at every whole second until ctx ends.
func (w *Window) tick(ctx context.Context, accs []token.Account) {
	for {
		now := w.now()
		wait := time.Second - time.Duration(now.Nanosecond())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		states := compute(accs, w.now())
		fyne.Do(func() { w.apply(states) })
	}
}

// copyCode puts the row's code on the clipboard and clears it after
// ClipboardTimeout if it still holds that code.
func (w *Window) copyCode(r *row) {
	code := r.current
	if code == "" {
		return
	}
	cb := w.app.Clipboard()
	cb.SetContent(code)
	w.status.SetText(lang.L("Copied. The clipboard is cleared in 30 seconds."))
	time.AfterFunc(ClipboardTimeout, func() {
		fyne.Do(func() {
			if cb.Content() == code {
				cb.SetContent("")
			}
		})
	})
}

// showHOTP spends the next HOTP counter and shows its code. The store saves
// the new counter before the code comes back.
func (w *Window) showHOTP(r *row) {
	r.copy.Disable()
	go func() {
		a, err := w.src.NextHOTP(r.acc.ID)
		var code string
		if err == nil {
			code, err = token.Code(a, time.Time{})
		}
		fyne.Do(func() {
			if err != nil {
				r.sub.SetText(explain(err))
				r.copy.Enable()
				return
			}
			r.current = code
			r.code.Text = token.Group(code)
			r.code.Refresh()
			r.copy.SetText(lang.L("Copy"))
			r.copy.OnTapped = func() { w.copyCode(r) }
			r.copy.Enable()
		})
	}()
}

// explain turns an error into a sentence for a person.
func explain(err error) string {
	switch {
	case errors.Is(err, store.ErrNeedPassphrase):
		return lang.L("Your secrets are in an encrypted vault file. Opening it from the window is not possible yet: use the command line with --passphrase-file.")
	case errors.Is(err, store.ErrLocked):
		return lang.L("Your keyring is locked. Unlock it (log in to your desktop session, or open its password manager), then start softtoken again.")
	case errors.Is(err, store.ErrKeychain):
		return lang.L("The system keychain is not available. Where there is none, keep your secrets in an encrypted file instead: run softtoken vault create in a terminal.")
	case errors.Is(err, store.ErrSecretMissing):
		return lang.L("The secret of this account is missing from the keychain. Remove the account and enroll it again.")
	case errors.Is(err, store.ErrIndexCorrupt):
		return lang.L("The account list is damaged and was left as it is. Restore it from a backup.")
	case errors.Is(err, store.ErrIndexVersion):
		return lang.L("The account list was written by a newer softtoken. Install that version again.")
	case errors.Is(err, store.ErrBusy):
		return lang.L("Another softtoken is busy with the account list. Try again in a moment.")
	}
	return lang.L("Something went wrong: {{.Error}}", map[string]any{"Error": err.Error()})
}
