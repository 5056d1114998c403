package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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

// connectFailed says that the connection to t failed, and the client's
// last line (secrets masked), as a *launcher.ClientError has it.
func connectFailed(t launcher.Target, err error) string {
	var ce *launcher.ClientError
	line := ""
	if errors.As(err, &ce) {
		line = ce.Line
	}
	if line == "" {
		return lang.L("The connection to {{.Target}} failed. Check that your computer is on the network (and the VPN, if you need one), then try again.",
			map[string]any{"Target": t.Label()})
	}
	return lang.L("The connection to {{.Target}} failed. Check that your computer is on the network (and the VPN, if you need one), then try again. The remote desktop program said: {{.Line}}",
		map[string]any{"Target": t.Label(), "Line": line})
}

// watchClient tells the person if t's client, which started well, ends
// with an error later: the connection broke off. A client ended by a
// signal was ended by someone (a logout, a shutdown), not by the
// connection, and is not reported.
func (a *App) watchClient(t launcher.Target, p *launcher.Process) {
	go func() {
		err := p.Wait()
		var ce *launcher.ClientError
		if errors.As(err, &ce) && ce.Status >= 0 {
			fyne.Do(func() { a.setStatus(connectFailed(t, err)) })
		}
	}()
}

// launchAccount opens target t with the code of acc (launch chose it). A
// remote desktop whose profile wants the person's own password alongside
// the code asks for it first (askDesktopPassword); whether it does is
// found off the event goroutine, since it may ask xfreerdp its version.
func (a *App) launchAccount(t launcher.Target, acc token.Account) {
	l := a.newLauncher()
	if t.Type != launcher.KindRDP {
		a.startLaunch(l, t, acc, "")
		return
	}
	a.setStatus(lang.L("Opening {{.Target}}…", map[string]any{"Target": t.Label()}))
	a.spawn(func() {
		needs := l.NeedsPassword(t)
		fyne.Do(func() {
			if !needs {
				a.startLaunch(l, t, acc, "")
				return
			}
			a.askDesktopPassword(t, acc, func(password string) { a.startLaunch(l, t, acc, password) })
		})
	})
}

// newLauncher is the launcher of the window: the system's browser, the
// window's clipboard (cleared as the settings say), the clock check.
func (a *App) newLauncher() *launcher.Launcher {
	return &launcher.Launcher{
		Opener:    a.fa,
		Clipboard: launcherClipboard{a.clip, a.set.clipboardTimeout},
		RDP:       a.opts.RDP,
		Clock:     a.clockCheck(),
		Now:       a.opts.Now,
		Sleep:     a.opts.Sleep,
		AfterFunc: func(d time.Duration, f func()) { time.AfterFunc(d, f) },
		Handed:    a.handed(),
		OnWait: func(d time.Duration, used bool) {
			if !used {
				return
			}
			fyne.Do(func() {
				a.setStatus(lang.L("The current code was used already, and a code signs in once. Waiting {{.Seconds}} seconds for the next one…",
					map[string]any{"Seconds": int((d + time.Second/2) / time.Second)}))
			})
		},
	}
}

// handed is the record of the codes handed out, which the command line
// shares: a code copied or launched is not launched with again.
func (a *App) handed() *launcher.Handed { return &launcher.Handed{Dir: a.st.Dir()} }

// markHanded records that acc's code of the moment (as shown, clock
// correction included) went to the clipboard, so that no launch hands it
// out again. The record is written off the event goroutine.
func (a *App) markHanded(acc token.Account) {
	if acc.Type != token.TOTP {
		return
	}
	h, at := a.handed(), a.corr.At(acc, a.now())
	a.spawn(func() { h.Claim(acc.ID, acc.Period, at) })
}

// clockCheck is the launches' clock check; made at the first launch, it
// keeps its results (in memory and in the configuration folder).
func (a *App) clockCheck() *launcher.ClockCheck {
	if a.clock == nil {
		a.clock = &launcher.ClockCheck{Dir: a.st.Dir()}
	}
	return a.clock
}

// launched takes in what the launch of t with acc's code found of the
// clock: the codes shown for acc's issuer are corrected from now on.
func (a *App) launched(t launcher.Target, acc token.Account, res launcher.Result) {
	if a.corr == nil {
		a.corr = launcher.Corrections{}
	}
	if a.corr.Launched(t, acc, res) {
		a.main.rebuild()
		a.restartTicker()
	}
}

// askDesktopPassword asks for the person's own password for the desktop
// behind t's gateway (or the PIN that goes before the code) and calls
// launch with it. It is passed to the client once and never stored;
// cancelling opens nothing.
func (a *App) askDesktopPassword(t launcher.Target, acc token.Account, launch func(password string)) {
	user := t.RDP.SessionUser(acc.Name)
	msg, hint := lang.L("{{.Target}} signs you in to your desktop as {{.User}}. Enter your Windows password for it; the code is passed on by itself. Your password is used for this sign-in only and is not stored.",
		map[string]any{"Target": t.Label(), "User": user}), lang.L("Your Windows password")
	if t.RDP.Code == launcher.CodePasswordCode {
		msg, hint = lang.L("{{.Target}} signs you in as {{.User}} with your PIN or password followed by the code. Enter your PIN or password; the code is added by itself. It is used for this sign-in only and is not stored.",
			map[string]any{"Target": t.Label(), "User": user}), lang.L("Your PIN or password")
	}
	a.dlg.message = widget.NewLabel(msg)
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.entry, a.dlg.entry2 = newPasswordEntry(hint), nil
	submit := func() bool {
		password := a.dlg.entry.Text
		if password == "" {
			return false
		}
		a.dlg.entry.SetText("")
		launch(password)
		return true
	}
	a.showDialog(lang.L("Password for {{.Target}}", map[string]any{"Target": t.Label()}), container.NewVBox(a.dlg.message, a.dlg.entry),
		lang.L("Connect"), 420, submit, func() {
			a.dlg.entry.SetText("")
			a.setStatus(lang.L("{{.Target}} was not opened.", map[string]any{"Target": t.Label()}))
		})
	a.dlg.entry.OnSubmitted = func(string) {
		if submit() {
			a.dlg.d.Hide()
		}
	}
	a.win.Canvas().Focus(a.dlg.entry)
}

// startLaunch launches t with acc's code (and the person's password, if
// given) off the event goroutine: an HOTP counter is saved, the clock may
// be checked, a program started.
func (a *App) startLaunch(l *launcher.Launcher, t launcher.Target, acc token.Account, password string) {
	a.setStatus(lang.L("Opening {{.Target}}…", map[string]any{"Target": t.Label()}))
	st := a.st
	a.spawn(func() {
		acc, err := st.ForCode(acc) // an HOTP counter is spent first
		var res launcher.Result
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			res, err = l.Launch(ctx, launcher.Request{Target: t, Account: acc, Password: password})
			cancel()
		}
		fyne.Do(func() {
			if err == nil {
				a.launched(t, acc, res)
			}
			if err == nil && res.Process != nil {
				a.watchClient(t, res.Process)
			}
			switch {
			case errors.Is(err, launcher.ErrConnect):
				a.setStatus(connectFailed(t, err))
			case err != nil:
				a.setStatus(explain(err))
			case res.Clock.Apply != 0:
				a.setStatus(lang.L("Your computer's clock is off by {{.Seconds}} seconds; the code was corrected. Please set the clock right.",
					map[string]any{"Seconds": int(res.Clock.Apply.Round(time.Second) / time.Second)}))
			case res.Typed != nil:
				a.setStatus(lang.L("{{.Target}} was opened. The code is typed into its window once that has the keyboard focus.", map[string]any{"Target": t.Label()}))
				typed := res.Typed
				go func() {
					err := <-typed
					fyne.Do(func() {
						if err != nil {
							a.setStatus(explain(err))
						} else {
							a.setStatus(lang.L("The code was typed into {{.Target}}.", map[string]any{"Target": t.Label()}))
						}
					})
				}()
			case res.CodeOnClipboard:
				a.setStatus(lang.L("{{.Target}} was opened. The code is on the clipboard: paste it where it is asked for.", map[string]any{"Target": t.Label()}))
			case res.CodeNotPassed:
				a.setStatus(lang.L("{{.Target}} was opened. Type the code shown here where it is asked for.", map[string]any{"Target": t.Label()}))
			default:
				a.setStatus(lang.L("{{.Target}} was opened.", map[string]any{"Target": t.Label()}))
			}
		})
		if err == nil && res.Relay != nil {
			// The browser fetches the code from a one-time local address:
			// say so if it never came, or if another user's program tried.
			<-res.Relay.Done()
			used, refused := res.Relay.Used(), res.Relay.Refused() > 0
			if used && !refused {
				return
			}
			fyne.Do(func() {
				args := map[string]any{"Target": t.Label()}
				switch {
				case !used && refused:
					a.setStatus(lang.L("The browser did not open {{.Target}}: a program of another user tried to take the code and was refused. Choose {{.Target}} again.", args))
				case !used:
					a.setStatus(lang.L("The browser did not open {{.Target}} within a minute. Choose it again.", args))
				default:
					a.setStatus(lang.L("{{.Target}} was opened. A program of another user tried to take the code first and was refused.", args))
				}
			})
		}
	})
}
