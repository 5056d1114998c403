package ui

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/cityadmin/softtoken/internal/trace"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

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
		a.traceFrame.next("gui: first frame with the codes painted")
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
