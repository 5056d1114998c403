package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// trayWait bounds the question whether a tray shows softtoken's icon, at
// the start (before the window would be hidden) and at each change.
const trayWait = 2 * time.Second

// trayHostNow asks whether a tray host shows softtoken's icon, waiting at
// most trayWait. It blocks; never call it on the event goroutine.
func trayHostNow() bool {
	ctx, cancel := context.WithTimeout(context.Background(), trayWait)
	defer cancel()
	return hasTrayHost(ctx)
}

// watchTray keeps a.trayHost up to date, off the event goroutine, until
// the app quits: a panel started later brings the tray, one that ends
// takes it away. A window hidden into a tray that went away comes back,
// since nothing else would bring it back.
func (a *App) watchTray() {
	go watchTrayHost(context.Background(), func(ok bool) {
		fyne.Do(func() {
			a.trayHost = ok
			if !ok && a.hidden {
				a.showWindow()
			}
		})
	})
}

// canHide reports whether closing the window may hide it into the tray:
// the person chose to keep softtoken there, a tray menu is set, and a
// tray host shows it. Without a host (GNOME without its AppIndicator
// extension, a bare window manager) a hidden window could not be brought
// back, and closing quits.
func (a *App) canHide() bool {
	return a.tray && a.trayHost && a.set.startInTray()
}

// trayNote says, under the setting to start in the tray, that no tray
// shows softtoken's icon on this desktop, and what the window does then;
// nil where one does (or the driver has no tray: tests).
func (a *App) trayNote() fyne.CanvasObject {
	if _, ok := a.fa.(desktop.App); !ok || a.trayHost {
		return nil
	}
	l := widget.NewLabel(lang.L("This desktop shows no system tray, so softtoken starts with its window, and closing the window quits softtoken."))
	l.Wrapping = fyne.TextWrapWord
	return l
}
