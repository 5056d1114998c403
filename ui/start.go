package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// The start. Three things take most of it (SOFTTOKEN_TRACE=1 shows them):
// Fyne's index of the system's fonts (go-text's fontscan, read from its
// cache or, the first time, built: 150–450 ms), the window's OpenGL
// context and first frame (GLFW and Mesa; the first time Mesa compiles its
// shaders too), and the accounts (the index, one keychain call per secret).
// They need not wait for each other: the accounts are read and the fonts
// indexed on goroutines of their own while the main one makes the window,
// and the window waits for the accounts (at most firstWait) before its
// first frame, so that the first frame shows the codes rather than
// "Opening your accounts…" with the codes a frame later.

// firstWait bounds how long the window waits before its first frame for
// the accounts. A vault's passphrase, or a keychain that asks to be
// unlocked, takes longer: then the window shows at once and the accounts
// follow, as they always did.
const firstWait = 400 * time.Millisecond

// startEarly starts reading the accounts and the font index. Only the
// program does this; tests open the store in place (spawn).
func (a *App) startEarly() {
	ch := make(chan openResult, 1)
	a.early = ch
	go func() { ch <- a.openLoad(a.askPassphrase) }()
	// Any text measured loads the font index; the first widgets need it.
	go fyne.MeasureText("0", theme.TextSize(), fyne.TextStyle{})
}

// takeEarly shows the accounts startEarly read, if they come within
// firstWait; else they are shown when they come. Event goroutine, before
// the app runs.
func (a *App) takeEarly() {
	ch := a.early
	if ch == nil {
		return
	}
	a.early = nil
	select {
	case r := <-ch:
		a.openShow(r, nil)
	case <-time.After(firstWait):
		go func() {
			r := <-ch
			fyne.Do(func() { a.openShow(r, nil) })
		}()
	}
}
