package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/internal/trace"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/scan"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// App is softtoken's window and tray. Its fields are touched only on Fyne's
// event goroutine, except where a comment says otherwise.
type App struct {
	fa   fyne.App
	win  fyne.Window
	opts Options
	now  func() time.Time
	set  *settings
	clip *clipGuard

	// What the window shows.
	st         Store
	backend    store.Backend
	openErr    error
	accounts   []token.Account  // the store's order; TOTP ones with their secret
	accErr     map[string]error // accounts whose secret could not be read
	profile    *launcher.Profile
	profileErr error
	targets    []launcher.Target
	opened     bool     // the store is open (or failed to open)
	keychained int      // no keychain answers: accounts whose secrets it holds
	pending    []string // links handed over before the store was open
	hidden     bool     // the window is hidden to the tray
	quiet      bool     // the app has not the focus: nobody looks (quiet.go)
	stopTick   context.CancelFunc
	tray       bool      // a system tray menu is set
	trayHost   bool      // a tray host shows the tray's icon (trayhost.go)
	trayMenu   string    // the labels of the tray menu set last
	trimOnce   sync.Once // the memory left by the start is returned once
	// corr corrects the codes of an issuer whose server's clock a launch
	// found off by more than launcher.ClockWarn.
	corr launcher.Corrections
	// hotpShown holds the HOTP codes spent and shown, by account id, so
	// that a rebuilt list (rename, search) still shows them.
	hotpShown map[string]string
	copied    string               // the status line that says a code is on the clipboard
	clock     *launcher.ClockCheck // the launches' clock check, made at the first launch
	links     linkState            // who opens otpauth:// links, read when the store opens
	auto      autoType             // typing a code into another window (typecode.go, shortcut.go)
	lock      lockState            // Lock now and the idle lock (lock.go)
	// traceFrame marks the first frame painted with the codes, with
	// SOFTTOKEN_TRACE=1 only (nil otherwise).
	traceFrame *frameMark
	bk         backupState  // export, import, the passphrase change (backup.go)
	lp         launchPrefs  // the person's choices for the launch targets (pick.go)
	kr         keyringState // an opening that waits for the keyring (keyringwait.go)

	// spawn runs blocking work off the event goroutine: go f(). Tests run
	// it in place instead (Fyne's test driver runs fyne.Do in place too),
	// and set noTicker, so that one goroutine does everything.
	spawn    func(f func())
	noTicker bool
	// capsLock reports whether Caps Lock is on and whether that is known
	// (capsLockOn; tests set their own).
	capsLock func() (on, known bool)

	// Widgets. body holds the current screen.
	body    *fyne.Container
	status  *widget.Label
	screen  screen
	main    *mainView
	wiz     *wizard
	setView *settingsView
	dlg     dialogs
	reader  *reader // stands in for what screen readers cannot reach; nil without

	// settingsFrom is the screen the settings were opened from, where
	// their Back returns (leaveSettings).
	settingsFrom screen
}

// screen is what the window shows.
type screen int

const (
	screenMain screen = iota
	screenWizard
	screenSettings
)

// New builds the window on fa with opts and starts opening the store in the
// background. Show it with ShowAndRun.
func New(fa fyne.App, opts Options) *App {
	go func() {
		if err := launcher.CleanLaunchFiles(); err != nil {
			fyne.LogError("clean up after earlier launches", err)
		}
	}()
	a := newApp(fa, opts, func(f func()) { go f() }, false)
	a.startHotkey()
	return a
}

func newApp(fa fyne.App, opts Options, spawn func(func()), noTicker bool) *App {
	if opts.Open == nil {
		opts.Open = DefaultOpen
		if dir := opts.Dir; dir != "" {
			opts.Open = func(ask store.PassphraseFunc) (Store, store.Backend, error) { return openIn(dir, ask) }
		}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Links == nil {
		opts.Links = systemLinks{}
	}
	if opts.Capturer == nil {
		opts.Capturer = scan.DefaultCapturer()
	}
	a := &App{fa: fa, opts: opts, now: opts.Now, accErr: map[string]error{}, hotpShown: map[string]string{}, spawn: spawn, noTicker: noTicker, capsLock: capsLockOn}
	a.set = loadSettings(fa.Preferences())
	a.watchFocus()
	loadTranslations()
	a.applyLanguage()
	a.applyTheme()
	trace.Mark("gui: settings, translations, theme")
	fa.SetIcon(Icon)
	trace.Mark("gui: icon set")
	a.clip = newClipGuard(fa.Clipboard())
	if noTicker {
		// Tests run everything on their goroutine: no timer of the
		// clipboard fires on another unless a test fires it itself.
		a.clip.after = func(time.Duration, func()) *time.Timer {
			t := time.NewTimer(time.Hour)
			t.Stop()
			return t
		}
	}
	a.clip.expired = func() {
		// "…removed from there in 30 seconds" must not stay for minutes.
		if a.copied != "" && a.status.Text == a.copied {
			a.setStatus(lang.L("The code was removed from the clipboard."))
		}
		a.copied = ""
	}

	a.win = fa.NewWindow("softtoken")
	trace.Mark("gui: window made (GLFW, OpenGL context: Fyne and Mesa)")
	a.win.SetIcon(Icon)
	a.status = widget.NewLabel("")
	a.status.Wrapping = fyne.TextWrapWord
	a.body = container.New(capWidth{contentWidth}) // a stack, centred in a wide window
	a.win.SetContent(a.body)
	a.startReader()
	a.win.SetContent(container.NewStack(newInputWatch(a.touch), a.win.Content()))
	if trace.On() {
		a.traceFrame = newFrameMark()
		a.win.SetContent(container.NewStack(a.win.Content(), a.traceFrame.obj))
	}
	a.win.Resize(fyne.NewSize(480, 640))
	a.win.SetOnDropped(a.dropped)
	a.win.SetCloseIntercept(a.closeWindow)
	a.shortcuts()
	a.startLock()
	a.main = a.newMainView()
	a.showScreen(screenMain)
	a.main.message(lang.L("Opening your accounts…"))
	trace.Mark("gui: widgets made")
	if opts.Link != "" {
		a.pending = append(a.pending, opts.Link)
	}
	a.spawn(a.open)
	return a
}

// ShowAndRun shows the window (unless the person chose to start in the
// tray and a tray host shows its icon) and runs the app until it quits.
func (a *App) ShowAndRun() {
	_, tray := a.fa.(desktop.App)
	if tray {
		if a.set.startInTray() {
			a.trayHost = trayHostNow() // before Run: nothing is painted yet
		}
		a.watchTray()
	}
	// The tray menu comes once the accounts are loaded (updateTray), after
	// the window's first paint; only a start in the tray needs it at once.
	if tray && a.trayHost && a.set.startInTray() && len(a.pending) == 0 {
		a.setupTray()
		a.hidden = true
		a.fa.Run()
		return
	}
	a.win.ShowAndRun()
}

// Show brings the window to the front. Safe from any goroutine.
func (a *App) Show() {
	fyne.Do(a.showWindow)
}

func (a *App) showWindow() {
	if a.hidden {
		a.hidden = false
		a.restartTicker()
	}
	a.win.Show()
	a.win.RequestFocus()
}

// Enroll shows the enrollment preview of link (otpauth:// or
// otpauth-migration://), as if it had been pasted. Safe from any goroutine;
// before the store is open the link waits for it.
func (a *App) Enroll(link string) {
	fyne.Do(func() {
		a.showWindow()
		if !a.opened {
			a.pending = append(a.pending, link)
			return
		}
		a.enrollLink(link)
	})
}

// showScreen puts one of the screens into the window.
func (a *App) showScreen(s screen) {
	a.screen = s
	var obj fyne.CanvasObject
	switch s {
	case screenWizard:
		obj = a.wiz.object()
	case screenSettings:
		obj = a.setView.object()
	default:
		obj = a.main.object()
	}
	a.body.Objects = []fyne.CanvasObject{obj}
	a.body.Refresh()
	defer a.syncReader()
	if s == screenMain {
		a.main.focusFirst()
	}
}

// showMain returns to the list of codes.
func (a *App) showMain() {
	a.wiz = nil
	a.showScreen(screenMain)
}

// setStatus shows a short message at the bottom of the main screen.
func (a *App) setStatus(msg string) {
	a.status.SetText(msg)
}

// shortcuts binds the window's keyboard shortcuts.
func (a *App) shortcuts() {
	c := a.win.Canvas()
	add := func(k fyne.KeyName, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { fn() })
	}
	add(fyne.KeyF, func() {
		if a.screen != screenMain {
			a.showMain()
		}
		a.main.focusSearch()
	})
	add(fyne.KeyN, func() {
		if a.opened && a.openErr == nil {
			a.showWizard()
		}
	})
	add(fyne.KeyComma, a.showSettings)
	add(fyne.KeyQ, a.quit)
	c.AddShortcut(shortcutTypeCode, func(fyne.Shortcut) { a.typeFocused() })
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyEscape {
			a.escape()
		}
	})
	// Ctrl+V where no entry has the focus: the enrollment link on the
	// clipboard, on the first step of the wizard.
	c.AddShortcut(&fyne.ShortcutPaste{}, func(fyne.Shortcut) {
		if a.screen == screenWizard && a.wiz != nil && a.wiz.choosing && !a.wiz.paste.Disabled() {
			a.wiz.pasteLink()
		}
	})
}

// escape is Escape: it closes the dialog shown, else clears the search,
// else leaves a screen for the main one (not the wizard of a first start,
// which has nothing to go back to).
func (a *App) escape() {
	switch {
	case a.dlg.open && a.dlg.cancel != nil:
		a.dlg.cancel.OnTapped()
	case a.auto.cancel != nil:
		a.cancelTyping()
		a.setStatus(lang.L("The code was not typed."))
	case a.screen == screenMain && a.main.search.Text != "":
		a.main.search.SetText("")
	case a.screen == screenSettings:
		a.leaveSettings()
	case a.screen != screenMain && (a.screen != screenWizard || len(a.accounts) > 0):
		a.showMain()
	}
}

// closeWindow hides the window to the tray if the person chose to keep
// softtoken there and a tray host shows its icon (canHide), and quits
// otherwise: a window hidden where no tray shows it could not be brought
// back, and softtoken would run on unseen.
func (a *App) closeWindow() {
	if a.canHide() {
		a.hidden = true
		a.stopTicker() // nothing to paint while hidden
		a.win.Hide()
		return
	}
	a.quit()
}

// quit clears the clipboard if it still holds a code of ours, then quits.
func (a *App) quit() {
	a.clip.clearNow()
	a.cancelTyping()
	a.releaseHotkey()
	a.stopTicker()
	a.fa.Quit()
}
