package ui

import (
	"time"

	"fyne.io/fyne/v2"
)

// clipGuard puts codes on the clipboard and takes them off again: after a
// timeout, and when the app quits, each time only if the clipboard still
// holds the code we put there (the person may have copied something else
// since, which is theirs).
//
// Concealed-content marks (macOS org.nspasteboard.ConcealedType, KDE
// x-kde-passwordManagerHint, Windows ExcludeClipboardContentFromMonitor-
// Processing) are not set: fyne.Clipboard in Fyne 2.8 offers only
// SetContent(string), a plain text item, and no way to add a second
// format to it. Clipboard managers may therefore record the code; it
// expires within seconds anyway.
//
// Its methods run on the event goroutine; the timer hands over with fyne.Do.
type clipGuard struct {
	cb    fyne.Clipboard
	ours  string // the code we put there; "" if none is pending
	timer *time.Timer
	// after runs f after d on the event goroutine; tests replace it.
	after func(d time.Duration, f func()) *time.Timer
	// expired, if set, is called when the time of the code put last is
	// up (whether it was still there to clear or not).
	expired func()
}

func newClipGuard(cb fyne.Clipboard) *clipGuard {
	return &clipGuard{cb: cb, after: func(d time.Duration, f func()) *time.Timer {
		return time.AfterFunc(d, func() { fyne.Do(f) })
	}}
}

// put puts code on the clipboard and clears it after d (0: never).
func (g *clipGuard) put(code string, d time.Duration) {
	g.cb.SetContent(code)
	g.ours = code
	if g.timer != nil {
		g.timer.Stop()
	}
	if d <= 0 {
		return
	}
	g.timer = g.after(d, func() {
		if g.ours == code {
			g.clearNow()
			if g.expired != nil {
				g.expired()
			}
		}
	})
}

// clearNow empties the clipboard if it still holds our code.
func (g *clipGuard) clearNow() {
	if g.ours == "" {
		return
	}
	if g.cb.Content() == g.ours {
		g.cb.SetContent("")
	}
	g.ours = ""
	if g.timer != nil {
		g.timer.Stop()
		g.timer = nil
	}
}

// launcherClipboard is the clipboard as the launcher sees it: it calls
// from its own goroutines and timers, and what it puts there is handed to
// the event goroutine with fyne.Do, which never waits: no call can block
// the launch, nor deadlock on the event goroutine (fyne.DoAndWait would,
// called there). It goes through the guard, cleared as the settings say
// (timeout), as a copied code is: the launcher's own clearing after its
// fixed delay is ignored, else "Never" would still clear after 30 s and
// "10 s" become 30 s.
type launcherClipboard struct {
	g       *clipGuard
	timeout func() time.Duration
}

// Content is "": the launcher reads the clipboard only to clear its code
// after its delay, which the guard does instead.
func (c launcherClipboard) Content() string { return "" }

func (c launcherClipboard) SetContent(s string) {
	if s == "" {
		return // the launcher's clearing: the guard's timer does it
	}
	fyne.Do(func() { c.g.put(s, c.timeout()) })
}
