package ui

import (
	"errors"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/cityadmin/softtoken/store"
)

// keyringWait is how long the window says only "Opening your accounts…"
// before it says that it waits for the keyring and offers what to do. The
// keyring gets store.DefaultKeychainTimeout (2 minutes: it may be showing
// its unlock prompt), but the person should not stare at a frozen screen
// for that long (issue 10, 2.9).
var keyringWait = 4 * time.Second

// keyringState is what the window knows of an opening of the store that
// waits for the keyring.
type keyringState struct {
	// gen counts the openings started (openWith); the result of one that a
	// later one replaced (Try again, a vault file made meanwhile) is
	// dropped. Touched from the opening goroutines, hence atomic.
	gen atomic.Int64
	// waiting: the opening under way has waited keyringWait for the
	// keyring without an answer, and the window says so.
	waiting bool
	// enrolled is the number of accounts whose secrets are in the keyring
	// (the index's), read when the wait or the failure was shown: with
	// none, a vault file may take their place.
	enrolled int
}

// watchOpening starts the clock of the opening gen: if it is still under
// way after keyringWait and has not asked for a vault's passphrase (see
// asked), the window says that it waits for the keyring. The returned
// function stops the clock once the opening returned.
func (a *App) watchOpening(gen int64, asked *atomic.Bool) (stop func()) {
	if a.noTicker {
		return func() {} // tests: everything on one goroutine, no timer
	}
	t := time.AfterFunc(keyringWait, func() {
		if asked.Load() {
			return // a vault: its dialog is on the screen, Argon2 may run
		}
		n := a.enrolledBefore()
		fyne.Do(func() {
			if a.kr.gen.Load() != gen || a.opened {
				return
			}
			a.kr.waiting, a.kr.enrolled = true, n
			a.main.rebuild()
		})
	})
	return func() { t.Stop() }
}

// keyringWaiting is what the main screen says while the keyring does
// not answer, and its buttons: try again, and a vault file where no
// account's secret is in the keyring.
func (v *mainView) keyringWaiting() {
	a := v.a
	msg := lang.L("softtoken is waiting for your keyring, which has not answered for a few seconds. If it shows a window asking for your password, enter it there. If nothing asks, the keyring may be stuck: try again, or log out and in again.")
	if a.kr.enrolled > 0 {
		msg += " " + lang.L("Your accounts' secrets are in the keyring, so softtoken needs it to show your codes.")
	}
	v.message(msg)
	v.retryActions()
}

// retryActions shows, under the message, Try again and (with no account
// whose secret is in the keyring) Use a vault file instead.
func (v *mainView) retryActions() {
	a := v.a
	v.action.SetText(lang.L("Try again"))
	v.action.OnTapped = a.reopen
	v.action.Show()
	if a.kr.enrolled == 0 {
		v.action2.SetText(lang.L("Use a vault file instead"))
		v.action2.OnTapped = func() {
			a.keychained = 0
			a.showVaultOffer()
		}
		v.action2.Show()
	}
}

// retryable reports whether err is a keyring that is there but does not
// answer, is locked or broke off: worth trying again once the person
// has seen to it.
func retryable(err error) bool {
	for _, k := range []error{store.ErrKeychainTimeout, store.ErrKeychainDisconnected, store.ErrLocked, store.ErrKeychainHoldsSecrets} {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// keyringStuck reports whether the window waits for a keyring that does
// not answer, or gave up on it: the vault file is offered instead of one
// that is there but stuck, not of none.
func (a *App) keyringStuck() bool {
	return (!a.opened && a.kr.waiting) || (a.openErr != nil && retryable(a.openErr))
}
