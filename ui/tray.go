package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"github.com/cityadmin/softtoken/token"
)

// trayDelay is how long a change of the tray menu waits after the window
// changed: Fyne rebuilds the whole menu over D-Bus on the event goroutine
// (about 10 ms an item here), and the codes should be painted first.
const trayDelay = 150 * time.Millisecond

// updateTray sets the tray menu again, trayDelay later, so that the window
// paints what changed first. Tests (noTicker) set it at once.
func (a *App) updateTray() {
	if a.noTicker {
		a.setupTray()
		return
	}
	time.AfterFunc(trayDelay, func() { fyne.Do(a.setupTray) })
}

// setupTray sets the system tray menu: each account's "Copy code" and
// "Type code", the launch targets, Show and Quit; the same menu is not set twice. It is
// set again when the accounts change. Where the driver has no tray (the
// test driver, some desktops) closing the window quits.
func (a *App) setupTray() {
	d, ok := a.fa.(desktop.App)
	if !ok {
		return
	}
	// Each item finds its account or target again when clicked, by id or
	// position, so that an unchanged menu (the same ids and labels) need
	// not be set again after the accounts were reloaded.
	var items []*fyne.MenuItem
	var key strings.Builder
	for _, acc := range a.accounts {
		if a.accErr[acc.ID] != nil {
			continue
		}
		id := acc.ID
		items = append(items, fyne.NewMenuItem(lang.L("Copy code: {{.Account}}", map[string]any{"Account": acc.Label()}), func() {
			if acc, ok := a.accountByID(id); ok {
				a.trayCopy(acc)
			}
		}))
		key.WriteString(id + "\n")
	}
	if len(items) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
		items = append(items, a.trayTypeItems()...)
		items = append(items, fyne.NewMenuItemSeparator())
	}
	for i, t := range a.targets {
		label := t.Label()
		items = append(items, fyne.NewMenuItem(lang.L("Open {{.Target}}", map[string]any{"Target": label}), func() {
			if i < len(a.targets) && a.targets[i].Label() == label {
				a.launch(a.targets[i])
			}
		}))
	}
	if len(a.targets) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
	}
	items = append(items, fyne.NewMenuItem(lang.L("Show softtoken"), a.showWindow))
	quit := fyne.NewMenuItem(lang.L("Quit"), a.quit)
	quit.IsQuit = true
	items = append(items, quit)
	for _, it := range items {
		key.WriteString(it.Label + "\n")
	}
	if a.trayMenu == key.String() {
		return
	}
	a.trayMenu = key.String()
	d.SetSystemTrayMenu(fyne.NewMenu("softtoken", items...))
	if !a.tray {
		d.SetSystemTrayIcon(Icon)
		a.tray = true
	}
}

// accountByID is the account with id as the window has it now.
func (a *App) accountByID(id string) (token.Account, bool) {
	for _, acc := range a.accounts {
		if acc.ID == id {
			return acc, true
		}
	}
	return token.Account{}, false
}

// trayCopy copies the current code of acc from the tray menu. A TOTP code
// is one HMAC, computed here; an HOTP code spends the counter, in the
// background.
func (a *App) trayCopy(acc token.Account) {
	if acc.Type == token.HOTP {
		st := a.st
		a.spawn(func() {
			_, code, err := st.NextHOTPCode(acc.ID)
			fyne.Do(func() {
				if err != nil {
					a.setStatus(explain(err))
					return
				}
				a.copyCode(acc, code)
			})
		})
		return
	}
	code, err := a.corr.Code(acc, a.now())
	if err != nil {
		a.setStatus(explain(err))
		return
	}
	a.copyCode(acc, code)
}
