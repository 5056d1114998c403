package launcher

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cityadmin/softtoken/token"
)

// This file is the launch and code policy both clients share: which
// targets a configuration folder offers, which account a target takes its
// code from, and how a clock found off corrects the codes shown, copied
// and typed. The window and the command line call these, so that they
// cannot disagree.

// Targets is what a configuration folder offers to launch.
type Targets struct {
	// Profile is the installed profile; nil where ProfileErr says why
	// there is none that can be used (ErrNoProfile, ErrExpired, …).
	Profile    *Profile
	ProfileErr error
	// Own are the targets the person added (UserTargets); OwnErr is why
	// they could not be read (ErrState), which leaves Own empty.
	Own    []Target
	OwnErr error
	// All are the targets to offer: the profile's, then the person's own.
	All []Target
}

// LoadTargets reads the installed profile (verified against keys at now,
// with floor as for Installed) and the person's own targets in dir. A
// profile that cannot be used hides only its own targets.
func LoadTargets(dir string, keys Keys, now time.Time, floor Floor) Targets {
	var ts Targets
	ts.Profile, ts.ProfileErr = Installed(dir, keys, now, floor)
	if ts.Profile != nil {
		ts.All = append(ts.All, ts.Profile.Targets...)
	}
	ts.Own, ts.OwnErr = UserTargets(dir)
	ts.All = append(ts.All, ts.Own...)
	return ts
}

// Errors of TargetAccount.
var (
	// ErrNoAccounts: no account is enrolled to take a code from.
	ErrNoAccounts = errors.New("no accounts are enrolled")
	// ErrTargetAccount: the target names no single enrolled account (its
	// Account matches none, or several; or it names none and several are
	// enrolled).
	ErrTargetAccount = errors.New("the target names no single enrolled account")
)

// TargetAccount is the account of accs whose code goes to t: the one its
// Account query names (token.Match: an exact match, else the only
// partial one), or, where it names none, the only one enrolled. The error
// wraps ErrNoAccounts or ErrTargetAccount and names the target.
func TargetAccount(t Target, accs []token.Account) (token.Account, error) {
	if len(accs) == 0 {
		return token.Account{}, fmt.Errorf("%w (target %s)", ErrNoAccounts, t.Name)
	}
	if t.Account == "" {
		if len(accs) == 1 {
			return accs[0], nil
		}
		return token.Account{}, fmt.Errorf("%w (target %s names none, and %d are enrolled)", ErrTargetAccount, t.Name, len(accs))
	}
	exact, partial := token.Match(accs, t.Account)
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) == 0 && len(partial) == 1:
		return partial[0], nil
	case len(exact)+len(partial) == 0:
		return token.Account{}, fmt.Errorf("%w (target %s: %q matches none)", ErrTargetAccount, t.Name, t.Account)
	}
	return token.Account{}, fmt.Errorf("%w (target %s: %q matches %d)", ErrTargetAccount, t.Name, t.Account, max(len(exact), len(partial)))
}

// Corrections correct the TOTP codes of the issuers whose server's clock a
// launch's clock check found off by more than ClockWarn: such a code is the
// one of the server's time, not the computer's. The key is the issuer,
// without case (an account without issuer stands alone): a correction
// found for one account's server holds for every account of its issuer.
// The zero value corrects nothing.
type Corrections map[string]time.Duration

// correctionKey is acc's key in Corrections.
func correctionKey(acc token.Account) string {
	if i := strings.ToLower(strings.TrimSpace(acc.Issuer)); i != "" {
		return i
	}
	return "id:" + acc.ID
}

// KnownCorrections are the corrections that still hold (ClockCheck.Known:
// a check within the hour, no request made) for the clock hosts of
// targets, each for the issuer of the target's account in accs. It is
// what a window shows from its start and what `softtoken code` prints.
func KnownCorrections(cc *ClockCheck, targets []Target, accs []token.Account) Corrections {
	c := Corrections{}
	for _, t := range targets {
		h := ClockHost(t)
		if h == "" {
			continue
		}
		r, ok, err := cc.Known(h)
		if !ok || err != nil || r.Apply == 0 {
			continue
		}
		if acc, err := TargetAccount(t, accs); err == nil && acc.Type == token.TOTP {
			c[correctionKey(acc)] = r.Apply
		}
	}
	return c
}

// Of is the correction of acc's codes: 0 for none, and for HOTP.
func (c Corrections) Of(acc token.Account) time.Duration {
	if acc.Type != token.TOTP {
		return 0
	}
	return c[correctionKey(acc)]
}

// At is the time whose code of acc is the right one at now: now plus the
// correction of acc's issuer.
func (c Corrections) At(acc token.Account, now time.Time) time.Time {
	return now.Add(c.Of(acc))
}

// Code is the TOTP code of acc to show at now, its correction included.
// acc must carry its secret. (An HOTP code is spent, not shown: see
// store's NextHOTPCode.)
func (c Corrections) Code(acc token.Account, now time.Time) (string, error) {
	return token.Code(acc, c.At(acc, now))
}

// Launched takes in what a launch of t with acc's code found of the
// clock: the correction res.Clock.Apply (0: none) for acc's issuer, where
// the launch checked the clock. It reports whether the corrections
// changed. c must not be nil.
func (c Corrections) Launched(t Target, acc token.Account, res Result) bool {
	if res.ClockErr != nil || acc.Type != token.TOTP || ClockHost(t) == "" {
		return false
	}
	k, off := correctionKey(acc), res.Clock.Apply
	if c[k] == off {
		return false
	}
	if off == 0 {
		delete(c, k)
	} else {
		c[k] = off
	}
	return true
}

// CleanLaunchFiles removes what launches of earlier runs left (a crash, a
// quick exit) in the per-user launch folder (TempDir): .rdp files and, on
// Windows, short-lived credentials, those older than LeftoverAge (CleanTemp).
// Both clients call it at start, before any launch; none of the files
// holds a secret but a credential.
func CleanLaunchFiles() error {
	dir, err := TempDir()
	if err != nil {
		return err
	}
	return CleanTemp(dir)
}
