package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"github.com/cityadmin/softtoken/token"
)

// setupTray sets the system tray menu: each account's "Copy code", the
// launch targets, Show and Quit. It is set again when the accounts change.
// Where the driver has no tray (the test driver, some desktops) closing
// the window quits.
func (a *App) setupTray() {
	d, ok := a.fa.(desktop.App)
	if !ok {
		return
	}
	var items []*fyne.MenuItem
	for _, acc := range a.accounts {
		acc := acc
		if a.accErr[acc.ID] != nil {
			continue
		}
		items = append(items, fyne.NewMenuItem(lang.L("Copy code: {{.Account}}", map[string]any{"Account": acc.Label()}), func() {
			a.trayCopy(acc)
		}))
	}
	if len(items) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
	}
	for _, t := range a.targets {
		t := t
		items = append(items, fyne.NewMenuItem(lang.L("Open {{.Target}}", map[string]any{"Target": t.Label()}), func() {
			a.launch(t)
		}))
	}
	if len(a.targets) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
	}
	items = append(items, fyne.NewMenuItem(lang.L("Show softtoken"), a.showWindow))
	quit := fyne.NewMenuItem(lang.L("Quit"), a.quit)
	quit.IsQuit = true
	items = append(items, quit)
	d.SetSystemTrayMenu(fyne.NewMenu("softtoken", items...))
	d.SetSystemTrayIcon(Icon)
	a.tray = true
}

// trayCopy copies the current code of acc from the tray menu. A TOTP code
// is one HMAC, computed here; an HOTP code spends the counter, in the
// background.
func (a *App) trayCopy(acc token.Account) {
	if acc.Type == token.HOTP {
		st := a.st
		a.spawn(func() {
			full, err := st.NextHOTP(acc.ID)
			var code string
			if err == nil {
				code, err = token.Code(full, time.Time{})
			}
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
	code, err := token.Code(acc, a.now())
	if err != nil {
		a.setStatus(explain(err))
		return
	}
	a.copyCode(acc, code)
}
