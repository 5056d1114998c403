package ui

import "fyne.io/fyne/v2/lang"

// While nobody looks at the window — it has not the focus: it stands beside
// the browser, is covered or minimised — it idles quietly. Fyne 2.8 paints
// the whole window for any change, under software OpenGL ~11 ms a frame, so
// a countdown moving every second is most of what an idle window costs.
// Quiet, the window changes only when what a glance at it needs changes:
//
//   - the code, at the end of each period: the code shown is never wrong;
//   - the last quietWarn seconds begin: the next code shows beside the
//     current one and the bar turns to the warning colour.
//
// In between, the seconds say only what stays true until the next change
// ("> 5 s", then "≤ 5 s") and the bar stands full, then at the warning
// mark: two frames a period instead of one a second. When the window has
// the focus again the next tick (within a second) shows the seconds
// exactly. Screen readers read the exact seconds all along (the widgets
// keep them; only painting waits).

// quietWarn is where the last seconds of a period begin, for the quiet
// window: as compute shows the next code from there.
const quietWarn = 5

// watchFocus makes the window quiet while the app has not the focus. Fyne
// reports it for all the app's windows together (the app is in the
// foreground while one of them has the focus), on the event goroutine.
func (a *App) watchFocus() {
	lc := a.fa.Lifecycle()
	lc.SetOnEnteredForeground(func() { a.quiet = false })
	lc.SetOnExitedForeground(func() { a.quiet = true })
}

// quieten marks states to be shown quietly while the window is quiet; it
// runs on the event goroutine, where a.quiet is kept.
func (a *App) quieten(states []rowState) []rowState {
	if a.quiet {
		for i := range states {
			states[i].quiet = true
		}
	}
	return states
}

// shownLeft is the seconds left that the bar shows for s and the text
// beside the code: exact, or while quiet the two steps that stay true
// between quiet frames.
func shownLeft(s rowState) (bar int, text string) {
	if !s.quiet {
		return s.left, lang.L("{{.Seconds}} s", map[string]any{"Seconds": s.left})
	}
	warn := min(quietWarn, s.period)
	if s.left > warn {
		return s.period, lang.L("> {{.Seconds}} s", map[string]any{"Seconds": warn})
	}
	return warn, lang.L("≤ {{.Seconds}} s", map[string]any{"Seconds": warn})
}
