package ui

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
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
	quiet      bool     // nobody looks: the app has not the focus (quiet.go)
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
	bk        backupState          // export, import, the passphrase change (backup.go)
	lp        launchPrefs          // the person's choices for the launch targets (pick.go)
	kr        keyringState         // an opening that waits for the keyring (keyringwait.go)

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

// open opens the store and loads the accounts. It runs on its own
// goroutine; the passphrase of a vault is asked for in a dialog.
func (a *App) open() { a.openWith(a.askPassphrase, nil) }

// openWith opens the store with ask for a vault's passphrase, loads the
// accounts and shows them; first, on the event goroutine, it runs before
// (if not nil). Where no keychain answers, it offers a vault file. Once
// the store is open it asks, the first time, whether softtoken should
// open otpauth:// links (offerLinks). It blocks; never call it on the
// event goroutine.
func (a *App) openWith(ask store.PassphraseFunc, before func()) {
	// A keyring that does not answer is said within seconds, with what to
	// do (keyringwait.go); an opening replaced meanwhile is dropped.
	gen := a.kr.gen.Add(1)
	var asked atomic.Bool
	if ask != nil {
		inner := ask
		ask = func() ([]byte, error) { asked.Store(true); return inner() }
	}
	stop := a.watchOpening(gen, &asked)
	st, backend, err := a.opts.Open(ask)
	for errors.Is(err, store.ErrWrongPassphrase) {
		st, backend, err = a.opts.Open(a.askPassphraseAgain)
	}
	stop()
	trace.Mark("gui: store opened")
	var l loaded
	var moving store.MoveStatus
	enrolled := 0
	switch {
	case err == nil:
		l = load(st, a.now(), a.opts.Keys)
		if dir, derr := a.storeDir(); derr == nil {
			moving, _ = store.Moving(dir)
		}
	case offersVault(err):
		if n := a.enrolledBefore(); n > 0 {
			// Their secrets are in the keychain that does not answer: it
			// must be started again; a vault file cannot take them now.
			err = fmt.Errorf("%w (accounts enrolled: %d): %w", store.ErrKeychainHoldsSecrets, n, err)
			enrolled = n
		}
	case retryable(err):
		enrolled = a.enrolledBefore()
	}
	handler := readLinks(a.opts.Links)
	fyne.Do(func() {
		if a.kr.gen.Load() != gen {
			return // replaced by a later opening (Try again, a vault file)
		}
		a.kr.waiting, a.kr.enrolled = false, enrolled
		a.links = handler
		if before != nil {
			before()
		}
		a.st, a.backend, a.openErr = st, backend, err
		a.opened = true
		a.loadedAccounts(l)
		trace.Mark("gui: codes set in the window")
		if err != nil {
			if offersVault(err) {
				a.keychained = 0
				a.showVaultOffer()
			}
			return
		}
		switch {
		case moving.Unfinished():
			a.showMoveOffer(moving)
		case len(a.pending) > 0:
			links := a.pending
			a.pending = nil
			a.enrollLink(links[0]) // one preview at a time; the first wins
		case len(a.accounts) == 0 && l.err == nil:
			a.showWizard()
		}
		a.offerLinks()
	})
}

// reopen tries again to open the store, after a cancelled passphrase.
func (a *App) reopen() {
	a.opened = false
	a.kr.waiting = false
	a.main.message(lang.L("Opening your accounts…"))
	a.spawn(a.open)
}

// loaded is what load read from the store and the configuration folder.
type loaded struct {
	accounts   []token.Account
	errs       map[string]error
	err        error // the list itself could not be read
	profile    *launcher.Profile
	profileErr error
	targets    []launcher.Target
	corr       launcher.Corrections             // the clock corrections that still hold
	choices    map[string]launcher.TargetChoice // by target name: what the person chose (pick.go)
}

// load reads every account, the secrets of the TOTP ones, and the launch
// targets. It blocks (the keychain); never call it on the event goroutine.
func load(st Store, now time.Time, keys launcher.Keys) loaded {
	l := loaded{errs: map[string]error{}}
	list, err := st.List()
	if err != nil {
		l.err = err
		return l
	}
	for _, acc := range list {
		if acc.Type == token.TOTP {
			full, err := st.Get(acc.ID)
			if err != nil {
				l.errs[acc.ID] = err
			} else {
				acc = full
			}
		}
		l.accounts = append(l.accounts, acc)
	}
	if keys == nil {
		keys, _ = launcher.BuiltinKeys()
	}
	dir := st.Dir()
	floor, _ := st.(launcher.Floor) // the store keeps it beside the secrets
	ts := launcher.LoadTargets(dir, keys, now, floor)
	l.profile, l.profileErr, l.targets = ts.Profile, ts.ProfileErr, ts.All
	l.choices = loadChoices(dir)
	// Clocks found off by a launch within the hour: their issuers' codes
	// are shown corrected from the start (the check's cache, no request;
	// its age by the system clock, as the check measured it).
	l.corr = launcher.KnownCorrections(&launcher.ClockCheck{Dir: dir}, l.targets, l.accounts)
	return l
}

// reload reads the store again off the event goroutine and shows it, then
// runs then (if not nil) on the event goroutine.
func (a *App) reload(then func()) {
	st := a.st
	if st == nil {
		return
	}
	keys := a.opts.Keys
	a.spawn(func() {
		l := load(st, a.opts.Now(), keys)
		fyne.Do(func() {
			a.loadedAccounts(l)
			if then != nil {
				then()
			}
		})
	})
}

// loadedAccounts takes what load read and shows it.
func (a *App) loadedAccounts(l loaded) {
	switch {
	case a.openErr != nil:
		a.accounts = nil
	case l.err != nil:
		a.accounts = nil
		a.openErr = l.err
	default:
		a.accounts, a.accErr = l.accounts, l.errs
		a.profile, a.profileErr, a.targets = l.profile, l.profileErr, l.targets
		a.corr = l.corr
		a.lp.choices = l.choices
	}
	a.main.rebuild()
	if a.screen == screenMain {
		a.main.focusFirst()
	}
	a.updateTray()
	a.restartTicker()
	a.syncReader()
	if !a.noTicker {
		a.trimOnce.Do(func() { time.AfterFunc(trimDelay, debug.FreeOSMemory) })
	}
}

// trimDelay is how long after the accounts are first shown the memory
// the start-up left behind (parsed fonts' scratch, the store's JSON, the
// keychain's replies) goes back to the system: once the first frames are
// painted and the heap has settled.
const trimDelay = 3 * time.Second

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

// passphrase asks for the vault's passphrase. It runs on the goroutine
// that opens the store and waits for the dialog's answer.
func (a *App) askPassphrase() ([]byte, error)      { return a.passphrase(false) }
func (a *App) askPassphraseAgain() ([]byte, error) { return a.passphrase(true) }

// errCancelled is a dialog the person closed without an answer.
var errCancelled = errors.New("cancelled")

func (a *App) passphrase(again bool) ([]byte, error) {
	type answer struct {
		pass []byte
		ok   bool
	}
	ch := make(chan answer, 1)
	var once sync.Once
	reply := func(p []byte, ok bool) { once.Do(func() { ch <- answer{p, ok} }) }
	fyne.Do(func() { a.showPassphraseDialog(again, reply) })
	ans := <-ch
	if !ans.ok {
		return nil, errCancelled
	}
	return ans.pass, nil
}
