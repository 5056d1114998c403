package ui

import (
	"errors"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/internal/autotype"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/token"
)

// The global shortcut (default autotype.DefaultHotkey, Ctrl+Alt+O) types,
// in whichever window has the focus, the code of the account the profile
// names (a target's account, or the only account enrolled); where that is
// no single one, a small window asks which. X11 holds it with a grab on
// the root window; Wayland desktops here offer no global shortcuts, and
// the settings say so.

// Preference keys of typing (not secret).
const (
	prefHotkey    = "typeShortcut" // string as autotype.ParseHotkey reads it; default "Ctrl+Alt+O"; "off": none
	prefTypeEnter = "typeEnter"    // bool: Enter after a code typed from a menu or the shortcut; default off
)

const hotkeyOff = "off"

// hotkeyChoices are the shortcuts the settings offer (besides none and
// what the preferences hold already): ones no common desktop takes.
var hotkeyChoices = []string{"Ctrl+Alt+O", "Ctrl+Alt+K", "Ctrl+Alt+J", "Ctrl+Alt+Shift+O"}

// hotkey is the shortcut set; the zero Hotkey for none. A preference that
// does not parse is the default.
func (s *settings) hotkey() autotype.Hotkey {
	v := s.p.StringWithFallback(prefHotkey, autotype.DefaultHotkey.String())
	if v == hotkeyOff {
		return autotype.Hotkey{}
	}
	h, err := autotype.ParseHotkey(v)
	if err != nil || h.Key == "" {
		return autotype.DefaultHotkey
	}
	return h
}

func (s *settings) typeEnter() bool { return s.p.Bool(prefTypeEnter) }

// startHotkey holds the shortcut the settings name (again), in place of
// the one held before.
func (a *App) startHotkey() {
	a.releaseHotkey()
	h := a.set.hotkey()
	if h.Key == "" {
		return
	}
	a.auto.grab, a.auto.grabErr = autotype.GrabHotkey(h, func() { fyne.Do(a.hotkeyPressed) })
	if a.auto.grabErr != nil && !errors.Is(a.auto.grabErr, autotype.ErrHotkeyUnsupported) {
		fyne.LogError("hold the shortcut "+h.String(), a.auto.grabErr)
	}
}

// releaseHotkey gives the shortcut back.
func (a *App) releaseHotkey() {
	if a.auto.grab != nil {
		a.auto.grab.Release()
	}
	a.auto.grab, a.auto.grabErr = nil, nil
}

// hotkeyAccount is the account whose code the shortcut types, and how:
// the one the profile's targets name (all that name one name the same),
// with the typing of its target if that is in mode "type"; else the only
// account enrolled. ok false: the person must choose.
func (a *App) hotkeyAccount() (token.Account, typeHow, bool) {
	how := typeHow{now: true, enter: a.set.typeEnter()}
	var found *token.Account
	for _, t := range a.targets {
		if t.Account == "" {
			continue
		}
		acc, err := launcher.TargetAccount(t, a.accounts)
		if err != nil || (found != nil && found.ID != acc.ID) {
			found = nil
			break
		}
		found = &acc
		if tabs, enter, ok := targetTyping(t); ok {
			how.tabs, how.enter = tabs, enter
		}
	}
	usable := func(acc token.Account) bool { return a.accErr[acc.ID] == nil }
	if found != nil && usable(*found) {
		return *found, how, true
	}
	if len(a.accounts) == 1 && usable(a.accounts[0]) {
		return a.accounts[0], how, true
	}
	return token.Account{}, how, false
}

// targetTyping is how t types its code, where it is in mode "type".
func targetTyping(t launcher.Target) (tabs int, enter bool, ok bool) {
	switch {
	case t.Web != nil && t.Web.Code == launcher.CodeType:
		return t.Web.TypeTabs, t.Web.TypeEnter, true
	case t.RDP != nil && t.RDP.Code == launcher.CodeType:
		return t.RDP.TypeTabs, t.RDP.TypeEnter, true
	}
	return 0, false, false
}

// hotkeyPressed types the code the shortcut is for into the window with
// the focus, or asks which one.
func (a *App) hotkeyPressed() {
	if !a.opened || a.openErr != nil || len(a.accounts) == 0 {
		a.tell(lang.L("No code to type: no account is enrolled, or the accounts are not open."))
		return
	}
	if acc, how, ok := a.hotkeyAccount(); ok {
		a.typeCode(acc, how)
		return
	}
	a.showPicker()
}

// pickSettle is how long the window the picker gave the focus back to
// must keep it before the code is typed there.
const pickSettle = 500 * time.Millisecond

// showPicker shows the small window that asks whose code the shortcut
// types; once one is chosen it closes, the focus goes back where it was,
// and the code is typed there.
func (a *App) showPicker() {
	if a.auto.picker != nil {
		a.auto.picker.RequestFocus()
		return
	}
	w := a.fa.NewWindow(lang.L("Type which code?"))
	a.auto.picker = w
	closed := false
	done := func() {
		if !closed {
			closed = true
			a.auto.picker = nil
			w.Close()
		}
	}
	w.SetOnClosed(func() { closed = true; a.auto.picker = nil })
	msg := widget.NewLabel(lang.L("Choose the account whose code is typed into the window you came from:"))
	msg.Wrapping = fyne.TextWrapWord
	list := container.NewVBox(msg)
	var first fyne.Focusable
	for _, acc := range a.accounts {
		if a.accErr[acc.ID] != nil {
			continue
		}
		acc := acc
		b := newButton(acc.Label(), theme.AccountIcon(), func() {
			done()
			how := typeHow{settle: pickSettle, enter: a.set.typeEnter()}
			a.typeCode(acc, how)
		})
		b.Alignment = widget.ButtonAlignLeading
		if first == nil {
			first = b
		}
		list.Add(b)
	}
	cancel := newButton(lang.L("Cancel"), theme.CancelIcon(), done)
	w.SetContent(container.NewBorder(nil, container.NewHBox(cancel), nil, nil, container.NewVScroll(list)))
	w.Canvas().SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyEscape {
			done()
		}
	})
	w.Resize(fyne.NewSize(360, float32(min(480, 120+48*len(a.accounts)))))
	w.CenterOnScreen()
	w.Show()
	w.RequestFocus()
	if first != nil {
		w.Canvas().Focus(first)
	}
}

// typeSettings are the settings screen's controls of typing.
type typeSettings struct {
	shortcut *choice
	about    *widget.Label // what the shortcut does, or why there is none
	enter    *check
}

// newTypeSettings adds the shortcut and the Enter choice to the settings
// form.
func (a *App) newTypeSettings(v *settingsView, form *widget.Form) {
	ts := &v.typing
	choices := slices.Clone(hotkeyChoices)
	if h := a.set.hotkey(); h.Key != "" && !slices.Contains(choices, h.String()) {
		choices = append(choices, h.String()) // set by other means (an administrator)
	}
	var options []string
	for _, c := range choices {
		h, _ := autotype.ParseHotkey(c)
		options = append(options, hotkeyText(h))
	}
	none := lang.L("None")
	options = append(options, none)
	ts.shortcut = newChoice(lang.L("Global shortcut"), options, nil)
	if h := a.set.hotkey(); h.Key == "" {
		ts.shortcut.SetSelected(none)
	} else {
		ts.shortcut.SetSelected(hotkeyText(h))
	}
	ts.about = widget.NewLabel("")
	ts.about.Wrapping = fyne.TextWrapWord
	ts.shortcut.OnChanged = func(s string) {
		if s == none {
			s = hotkeyOff
		} else if h, err := autotype.ParseHotkey(s); err == nil {
			s = h.String()
		}
		a.fa.Preferences().SetString(prefHotkey, s)
		a.startHotkey()
		ts.about.SetText(a.hotkeyAbout())
	}
	ts.about.SetText(a.hotkeyAbout())
	if errors.Is(a.auto.grabErr, autotype.ErrHotkeyUnsupported) {
		ts.shortcut.Disable() // no shortcut to choose here: the text says why
	}
	ts.enter = newCheck(lang.L("Press Enter after a typed code"), func(on bool) {
		a.fa.Preferences().SetBool(prefTypeEnter, on)
	})
	ts.enter.SetChecked(a.set.typeEnter())
	form.AppendItem(widget.NewFormItem(lang.L("Shortcut"), container.NewVBox(ts.shortcut, ts.about)))
	form.AppendItem(widget.NewFormItem(lang.L("Typing"), ts.enter.wrapped()))
}

// hotkeyAbout says what the shortcut does, or why there is none.
func (a *App) hotkeyAbout() string {
	h := a.set.hotkey()
	err := a.auto.grabErr
	args := map[string]any{"Shortcut": hotkeyText(h)}
	switch {
	case errors.Is(err, autotype.ErrHotkeyWayland):
		return lang.L("Global shortcuts are not available on this Wayland desktop: it lets no program have one. Type a code from an account's menu (⋮) or the tray instead; where the desktop lets no program type, the code goes to the clipboard.")
	case errors.Is(err, autotype.ErrHotkeyUnsupported):
		return lang.L("Global shortcuts are not available on this system. Type a code from an account's menu (⋮) or the tray instead.")
	case errors.Is(err, autotype.ErrHotkeyTaken):
		return lang.L("Another program uses {{.Shortcut}} already. Choose another shortcut.", args)
	case err != nil:
		return explain(err)
	case h.Key == "":
		return lang.L("No global shortcut. Type a code from an account's menu (⋮), with Ctrl+T, or from the tray.")
	}
	if acc, _, ok := a.hotkeyAccount(); ok {
		args["Account"] = acc.Label()
		return lang.L("Press {{.Shortcut}} in any window to type the code of {{.Account}} where the cursor is.", args)
	}
	return lang.L("Press {{.Shortcut}} in any window to type a code where the cursor is; softtoken asks which account's.", args)
}

// hotkeyText is h as the window shows it, in the person's language
// ("Strg+Alt+O" in German); ParseHotkey reads it back.
func hotkeyText(h autotype.Hotkey) string {
	s := h.String()
	if strings.HasPrefix(s, "Ctrl+") {
		s = lang.L("Ctrl") + s[len("Ctrl"):]
	}
	return s
}
