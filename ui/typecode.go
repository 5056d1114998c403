package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/cityadmin/softtoken/internal/autotype"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/token"
)

// "Type code": the code of an account typed into another program's window
// (internal/autotype: XTEST on X11), as a person would type it, from the
// account's menu, the tray menu, Ctrl+T or the global shortcut
// (shortcut.go). From a menu it goes into the next window that takes the
// keyboard focus and keeps it for launcher.DefaultTypeSettle, within
// launcher.DefaultTypeWithin, as a launch in mode "type" does: the person
// clicks into the field where it goes. The code counts as used (the
// record of codes handed out, as a copy or a launch). Where this system
// cannot type (a Wayland desktop without the RemoteDesktop portal) the
// code goes to the clipboard instead, and the status line says why.

// autoType is the window's typing state; touched on the event goroutine
// only.
type autoType struct {
	run     int                // the number of the last typing started
	cancel  context.CancelFunc // ends the typing under way; nil while none is
	grab    autotype.Grab      // the global shortcut held; nil while none is
	grabErr error              // why the shortcut set is not held
	picker  fyne.Window        // the shortcut's "which code?" window, while shown
}

// typeHow says how a code is typed.
type typeHow struct {
	now    bool          // into the window with the focus now (the shortcut), not the next one
	settle time.Duration // how long the next window must keep the focus; default launcher.DefaultTypeSettle
	tabs   int
	enter  bool
}

// shortcutTypeCode is Ctrl+T: the code of the focused account (or the
// first shown) is typed into the next window that takes the focus.
var shortcutTypeCode = &desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}

// errTypingCancelled: the person cancelled the typing.
var errTypingCancelled = errors.New("the typing was cancelled")

// menuHow is how a code is typed from a menu: the settings' Enter.
func (a *App) menuHow() typeHow { return typeHow{enter: a.set.typeEnter()} }

// typeItem is the "Type code" item of acc's menu.
func (a *App) typeItem(acc token.Account) *fyne.MenuItem {
	it := fyne.NewMenuItem(lang.L("Type code"), func() { a.typeCode(acc, a.menuHow()) })
	it.Icon = theme.MailReplyIcon()
	it.Shortcut = shortcutTypeCode
	it.Disabled = a.accErr[acc.ID] != nil
	return it
}

// typeFocused is Ctrl+T: the focused account's code, or the first one's.
func (a *App) typeFocused() {
	if a.screen != screenMain || len(a.main.rows) == 0 {
		return
	}
	r := a.main.rows[0]
	f := a.win.Canvas().Focused()
	for _, row := range a.main.rows {
		if row.code == f {
			r = row
		}
	}
	if r.err == nil {
		a.typeCode(r.acc, a.menuHow())
	}
}

// newTypeBar is the Cancel button shown beside the status line while a
// code waits to be typed.
func (a *App) newTypeBar() *fyne.Container {
	b := newButton(lang.L("Cancel typing"), theme.CancelIcon(), a.cancelTyping)
	bar := container.NewCenter(b) // as tall as the button, not the status
	if a.auto.cancel == nil {
		bar.Hide()
	}
	return bar
}

func (a *App) showTypeBar(on bool) {
	if a.main == nil || a.main.typeBar == nil {
		return
	}
	if on {
		a.main.typeBar.Show()
	} else {
		a.main.typeBar.Hide()
	}
}

// cancelTyping ends the typing under way, if any.
func (a *App) cancelTyping() {
	if a.auto.cancel != nil {
		a.auto.cancel()
		a.auto.cancel = nil
	}
	a.showTypeBar(false)
}

// tell shows msg in the status line, and as a notification where the
// window is hidden to the tray (the person is in another window).
func (a *App) tell(msg string) {
	a.setStatus(msg)
	if a.hidden {
		a.fa.SendNotification(fyne.NewNotification("softtoken", msg))
	}
}

// typeCode types acc's code as how says, off the event goroutine; one
// typing at a time: a new one ends the one before.
func (a *App) typeCode(acc token.Account, how typeHow) {
	if a.st == nil || a.accErr[acc.ID] != nil {
		return
	}
	a.cancelTyping()
	ctx, cancel := context.WithTimeout(context.Background(), launcher.DefaultTypeWithin)
	a.auto.run++
	run := a.auto.run
	a.auto.cancel = cancel
	if !how.now {
		a.showTypeBar(true)
		a.tell(lang.L("Click into the field where the code goes. The code of {{.Account}} is typed there once that window has kept the keyboard focus for a moment (within {{.Seconds}} seconds).",
			map[string]any{"Account": acc.Label(), "Seconds": int(launcher.DefaultTypeWithin / time.Second)}))
	}
	st, l, off := a.st, a.newLauncher(), a.corr.Of(acc)
	a.spawn(func() {
		code, err := typeOff(ctx, st, l, acc, off, how)
		cancel()
		fyne.Do(func() { a.typed(run, acc, code, err) })
	})
}

// typeOff waits for the window to type into, takes the code (an HOTP
// counter saved first, a TOTP code claimed in the record of codes handed
// out) and types it. It blocks; never call it on the event goroutine.
func typeOff(ctx context.Context, st Store, l *launcher.Launcher, acc token.Account, off time.Duration, how typeHow) (string, error) {
	ty, err := autotype.Open()
	if err != nil {
		return "", err
	}
	defer ty.Close()
	opt := autotype.Options{Tabs: how.tabs, Enter: how.enter}
	if how.now {
		err = ty.CheckFocus(opt)
	} else {
		settle := how.settle
		if settle <= 0 {
			settle = launcher.DefaultTypeSettle
		}
		_, err = ty.WaitFocus(ctx, 0, settle, opt)
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return "", errTypingCancelled
	}
	if err != nil {
		return "", err
	}
	var code string
	if acc, err = st.ForCode(acc); err == nil { // an HOTP counter is saved first
		code, err = l.HandOut(acc, off)
	}
	if err != nil {
		return "", err
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return "", errTypingCancelled
	}
	return code, ty.Type(code, opt)
}

// typed shows what became of typing number run.
func (a *App) typed(run int, acc token.Account, code string, err error) {
	if acc.Type == token.HOTP && code != "" {
		a.hotpShown[acc.ID] = code
		if r := a.main.byID[acc.ID]; r != nil {
			r.showHOTPCode(code)
		}
	}
	if run != a.auto.run {
		return // a later typing took its place
	}
	a.auto.cancel = nil
	a.showTypeBar(false)
	switch {
	case err == nil:
		// No notification: the person sees the code where it went.
		a.setStatus(lang.L("The code of {{.Account}} was typed.", map[string]any{"Account": acc.Label()}))
	case errors.Is(err, errTypingCancelled):
		a.setStatus(lang.L("The code was not typed."))
	case errors.Is(err, autotype.ErrUnsupported):
		a.copyInstead(acc, err)
	default:
		a.tell(explain(err))
	}
}

// copyInstead puts acc's code on the clipboard where this system cannot
// type it, and says why.
func (a *App) copyInstead(acc token.Account, why error) {
	say := func(code string) {
		a.copyCode(acc, code)
		a.tell(explain(why))
		a.copied = a.status.Text
	}
	if acc.Type == token.HOTP {
		st := a.st
		a.spawn(func() {
			_, code, err := st.NextHOTPCode(acc.ID)
			fyne.Do(func() {
				if err != nil {
					a.setStatus(explain(err))
					return
				}
				a.hotpShown[acc.ID] = code
				if r := a.main.byID[acc.ID]; r != nil {
					r.showHOTPCode(code)
				}
				say(code)
			})
		})
		return
	}
	code, err := a.corr.Code(acc, a.now())
	if err != nil {
		a.setStatus(explain(err))
		return
	}
	say(code)
}

// trayTypeItems are the tray menu's "Type code" items, one per account
// that can give a code.
func (a *App) trayTypeItems() []*fyne.MenuItem {
	var items []*fyne.MenuItem
	for _, acc := range a.accounts {
		if a.accErr[acc.ID] != nil {
			continue
		}
		id := acc.ID
		items = append(items, fyne.NewMenuItem(lang.L("Type code: {{.Account}}", map[string]any{"Account": acc.Label()}), func() {
			if acc, ok := a.accountByID(id); ok {
				a.typeCode(acc, a.menuHow())
			}
		}))
	}
	return items
}

// typeBarShown reports whether the Cancel button is shown (for tests).
func (a *App) typeBarShown() bool {
	return a.main != nil && a.main.typeBar != nil && a.main.typeBar.Visible()
}
