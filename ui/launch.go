package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/token"
)

// rebuildLaunch shows one button per launch target: the profile's, then
// the person's own.
func (v *mainView) rebuildLaunch() {
	a := v.a
	v.launch.Objects = nil
	for _, t := range a.targets {
		t := t
		icon := theme.ComputerIcon()
		if t.Type == launcher.KindWeb {
			icon = theme.MailForwardIcon()
		}
		b := newButton(lang.L("Open {{.Target}}", map[string]any{"Target": t.Label()}), icon, func() { a.launch(t) })
		b.Importance = widget.MediumImportance
		v.launch.Add(b)
	}
	v.launch.Refresh()
}

// targetAccount is the account whose code goes to t: the one its Account
// query names (as the command line resolves it), or the only one.
func (a *App) targetAccount(t launcher.Target) (token.Account, error) {
	if t.Account == "" {
		if len(a.accounts) == 1 {
			return a.accounts[0], nil
		}
		return token.Account{}, errNoTargetAccount
	}
	exact, partial := token.Match(a.accounts, t.Account)
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) == 0 && len(partial) == 1:
		return partial[0], nil
	}
	return token.Account{}, errNoTargetAccount
}

var errNoTargetAccount = errors.New("the target names no single enrolled account")

// launch opens target t with the code of its account, off the event
// goroutine (an HOTP counter is saved, the clock may be checked, a program
// started).
func (a *App) launch(t launcher.Target) {
	acc, err := a.targetAccount(t)
	if err != nil {
		a.setStatus(explain(err))
		return
	}
	a.setStatus(lang.L("Opening {{.Target}}…", map[string]any{"Target": t.Label()}))
	st, dir := a.st, a.st.Dir()
	l := &launcher.Launcher{
		Opener:    a.fa,
		Clipboard: launcherClipboard{a.clip},
		Clock:     &launcher.ClockCheck{Dir: dir},
		Now:       a.opts.Now,
		AfterFunc: func(d time.Duration, f func()) { time.AfterFunc(d, f) },
	}
	a.spawn(func() {
		var err error
		if acc.Type == token.HOTP {
			acc, err = st.NextHOTP(acc.ID)
		} else if acc.Secret == nil {
			acc, err = st.Get(acc.ID)
		}
		var res launcher.Result
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			res, err = l.Launch(ctx, launcher.Request{Target: t, Account: acc})
			cancel()
		}
		fyne.Do(func() {
			switch {
			case err != nil:
				a.setStatus(explain(err))
			case res.Clock.Apply != 0:
				a.setStatus(lang.L("Your computer's clock is off by {{.Seconds}} seconds; the code was corrected. Please set the clock right.",
					map[string]any{"Seconds": int(res.Clock.Apply.Round(time.Second) / time.Second)}))
			case res.CodeOnClipboard:
				a.setStatus(lang.L("{{.Target}} was opened. The code is on the clipboard: paste it where it is asked for.", map[string]any{"Target": t.Label()}))
			case res.CodeNotPassed:
				a.setStatus(lang.L("{{.Target}} was opened. Type the code shown here where it is asked for.", map[string]any{"Target": t.Label()}))
			default:
				a.setStatus(lang.L("{{.Target}} was opened.", map[string]any{"Target": t.Label()}))
			}
		})
	})
}
