package ui

import (
	"errors"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/internal/urlhandler"
)

// LinkHandler makes softtoken the program that opens otpauth:// links
// for the person, where the program itself must do that (Windows); the
// functions of internal/urlhandler are one. Its methods may block (the
// registry): the window calls them off the event goroutine only.
//
// Status returning urlhandler.ErrUnsupported means the system registers
// the handler through the package (Linux's menu entry, macOS's
// Info.plist): then the window neither asks nor shows the setting.
type LinkHandler interface {
	Status(exe string) (urlhandler.State, error)
	Register(exe string) error
	Unregister() error
}

// systemLinks is the real LinkHandler: internal/urlhandler.
type systemLinks struct{}

func (systemLinks) Status(exe string) (urlhandler.State, error) { return urlhandler.Status(exe) }
func (systemLinks) Register(exe string) error                   { return urlhandler.Register(exe) }
func (systemLinks) Unregister() error                           { return urlhandler.Unregister() }

// prefLinks remembers the person's answer to the question whether
// softtoken should open otpauth:// links: "" not asked yet, "yes" or
// "no". A "no" is never asked again; the settings change it.
const prefLinks = "openLinks"

// linkState is who opens otpauth:// links, as last read.
type linkState struct {
	supported bool   // the program registers the handler itself (Windows)
	exe       string // this program's path, which Register is given
	state     urlhandler.State
	err       error // Status failed (not ErrUnsupported)
}

// readLinks asks h who opens otpauth:// links. It blocks (the registry);
// never call it on the event goroutine.
func readLinks(h LinkHandler) linkState {
	exe, err := os.Executable()
	if err != nil {
		fyne.LogError("find the program for the otpauth handler", err)
		return linkState{}
	}
	st, err := h.Status(exe)
	if errors.Is(err, urlhandler.ErrUnsupported) {
		return linkState{}
	}
	return linkState{supported: true, exe: exe, state: st, err: err}
}

// offerLinks asks once, where the program registers the handler itself,
// whether softtoken should open otpauth:// links: not after an answer,
// and not when it already does. It runs on the event goroutine once the
// store is open.
func (a *App) offerLinks() {
	l := a.links
	if !l.supported || l.err != nil || l.state == urlhandler.ThisProgram || a.fa.Preferences().String(prefLinks) != "" {
		return
	}
	a.dlg.message = widget.NewLabel(lang.L("Should softtoken open otpauth:// links, so that a click on the link of your enrollment page shows the account here, ready to add?"))
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.entry, a.dlg.entry2 = nil, nil
	a.showDialog(lang.L("Open enrollment links?"), a.dlg.message, lang.L("Yes"), 420, func() bool {
		a.setLinks(true)
		return true
	}, func() { a.setLinks(false) })
	a.dlg.cancel.setText(lang.L("No"))
	a.win.Canvas().Focus(a.dlg.ok)
}

// setLinks remembers the person's choice and registers softtoken as the
// handler (on) or removes it (off), off the event goroutine; then it
// shows who opens the links now.
func (a *App) setLinks(on bool) {
	answer := "no"
	if on {
		answer = "yes"
	}
	a.fa.Preferences().SetString(prefLinks, answer)
	if !on && a.links.state != urlhandler.ThisProgram {
		return // nothing to remove: a "no" to the question
	}
	if v := a.setView; v != nil && v.linkToggle != nil {
		v.linkToggle.Disable()
	}
	h, exe := a.opts.Links, a.links.exe
	a.spawn(func() {
		var err error
		if on {
			err = h.Register(exe)
		} else {
			err = h.Unregister()
		}
		l := readLinks(h)
		fyne.Do(func() {
			a.links = l
			a.showLinks()
			switch {
			case err != nil:
				a.setStatus(lang.L("softtoken could not change which program opens otpauth:// links: {{.Error}}", map[string]any{"Error": err.Error()}))
			case on:
				a.setStatus(lang.L("softtoken now opens otpauth:// links."))
			default:
				a.setStatus(lang.L("softtoken no longer opens otpauth:// links."))
			}
		})
	})
}

// refreshLinks reads again who opens otpauth:// links (another program
// may have taken them meanwhile) and shows it in the settings.
func (a *App) refreshLinks() {
	if !a.links.supported {
		return
	}
	h := a.opts.Links
	a.spawn(func() {
		l := readLinks(h)
		fyne.Do(func() {
			a.links = l
			a.showLinks()
		})
	})
}

// newLinksSetting builds the settings' entry on otpauth:// links: what
// is so, and a button to change it. It is nil where the package, not the
// program, registers the handler.
func (a *App) newLinksSetting(v *settingsView) *widget.FormItem {
	if !a.links.supported {
		return nil
	}
	v.links = widget.NewLabel("")
	v.links.Wrapping = fyne.TextWrapWord
	v.linkToggle = newButton("", theme.LoginIcon(), func() {
		a.setLinks(a.links.state != urlhandler.ThisProgram)
	})
	a.showLinksIn(v)
	return widget.NewFormItem(lang.L("Links"), container.NewVBox(v.links, v.linkToggle))
}

// showLinks shows a.links in the settings, if they are shown.
func (a *App) showLinks() {
	if v := a.setView; v != nil && v.links != nil {
		a.showLinksIn(v)
	}
}

func (a *App) showLinksIn(v *settingsView) {
	l := a.links
	var text string
	switch {
	case l.err != nil:
		text = lang.L("softtoken could not find out which program opens otpauth:// links: {{.Error}}", map[string]any{"Error": l.err.Error()})
	case l.state == urlhandler.ThisProgram:
		text = lang.L("softtoken opens otpauth:// links.")
	case l.state == urlhandler.OtherSoftToken:
		text = lang.L("A softtoken in another folder opens otpauth:// links.")
	case l.state == urlhandler.OtherProgram:
		text = lang.L("Another program opens otpauth:// links.")
	default:
		text = lang.L("softtoken does not open otpauth:// links.")
	}
	v.links.SetText(text)
	if l.state == urlhandler.ThisProgram && l.err == nil {
		v.linkToggle.setText(lang.L("Stop opening links"))
		v.linkToggle.SetIcon(theme.DeleteIcon())
	} else {
		v.linkToggle.setText(lang.L("Open links with softtoken"))
		v.linkToggle.SetIcon(theme.LoginIcon())
	}
	v.linkToggle.Enable()
}
