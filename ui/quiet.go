package ui

import (
	"time"

	"fyne.io/fyne/v2/lang"
)

// While nobody looks at the window it idles quietly. Fyne 2.8 paints the
// whole window for any change, under software OpenGL ~20 ms a frame with
// a screenful of accounts, so a countdown moving every second is most of
// what an idle window costs. Nobody looks when
//
//   - the window has not the focus: it stands beside the browser, is
//     covered or minimised; or
//   - it has the focus but nothing has touched it for quietAfter: no key,
//     no pointer moving over it, no focus change. Whoever opened it to
//     read a code has read it by then (and most go on to type it
//     elsewhere, which takes the focus away); a window left in front
//     while its owner reads another screen, the phone, or is away, is not
//     watched second by second.
//
// Quiet, the window changes only when what a glance at it needs changes:
//
//   - the code, at the end of each period: the code shown is never wrong;
//   - the last quietWarn seconds begin: the next code shows beside the
//     current one and the bar turns to the warning colour.
//
// In between, the seconds say only what stays true until the next change
// ("> 5 s", then "≤ 5 s") and the bar stands full, then at the warning
// mark: two frames a period instead of one a second. The focus back, a
// key or the pointer moving over the window, and the next tick (within a
// second) shows the seconds exactly again. Screen readers read the exact
// seconds all along (the widgets keep them; only painting waits).

// quietAfter is how long the focused window counts every second without
// being touched.
const quietAfter = 15 * time.Second

// quietWarn is where the last seconds of a period begin, for the quiet
// window: as compute shows the next code from there.
const quietWarn = 5

// watchFocus makes the window quiet while the app has not the focus, and
// counts the focus coming back as input. Fyne reports the focus for all
// the app's windows together (the app is in the foreground while one of
// them has the focus), on the event goroutine.
func (a *App) watchFocus() {
	lc := a.fa.Lifecycle()
	lc.SetOnEnteredForeground(func() { a.quiet = false; a.touch() })
	lc.SetOnExitedForeground(func() { a.quiet = true })
}

// quieten marks states to be shown quietly while nobody looks; it runs
// on the event goroutine, where a.quiet and the last input are kept.
func (a *App) quieten(states []rowState) []rowState {
	if a.quiet || a.now().Sub(a.lock.last) >= quietAfter {
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
