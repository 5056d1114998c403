package ui

import (
	"errors"
	"fmt"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/token"
)

// launchPrefs is what the person said about the launch targets, as read
// from launcher.TargetState when the store opened, and the widgets of the
// dialogs that ask for it, for tests to reach.
type launchPrefs struct {
	choices map[string]launcher.TargetChoice // by target name
	picker  *radio                           // the accounts of the dialog that asks which one
	pickIDs []string                         // the picker's options' account ids, in order
}

// loadChoices reads the person's choices for the targets from dir. It
// reads a small file; call it off the event goroutine. A damaged file
// counts as no choice: the window asks again.
func loadChoices(dir string) map[string]launcher.TargetChoice {
	m, err := launcher.TargetState{Dir: dir}.All()
	if err != nil || m == nil {
		return map[string]launcher.TargetChoice{}
	}
	return m
}

// targetAccount is the account whose code goes to t: the one its Account
// query names (as the command line resolves it), the only one, or the
// one the person chose for t. launcher.ErrChooseAccount: the person is to
// choose (pickAccount).
func (a *App) targetAccount(t launcher.Target) (token.Account, error) {
	return launcher.ChosenAccount(a.accounts, t, a.lp.choices[t.Name].Account)
}

// launch opens target t with the code of its account: asked for first
// where t names none and several are enrolled, and after the notice of a
// remote desktop whose certificate the profile does not pin, the first
// time.
func (a *App) launch(t launcher.Target) {
	acc, err := a.targetAccount(t)
	switch {
	case errors.Is(err, launcher.ErrChooseAccount):
		a.pickAccount(t, true, func(acc token.Account) { a.launchNoticed(t, acc) })
		return
	case err != nil:
		a.setStatus(explain(err))
		return
	}
	a.launchNoticed(t, acc)
}

// launchNoticed launches t with acc, after the pin notice if t needs it.
func (a *App) launchNoticed(t launcher.Target, acc token.Account) {
	if a.needsPinNotice(t) {
		a.showPinNotice(t, func() { a.launchAccount(t, acc) })
		return
	}
	a.launchAccount(t, acc)
}

// pickLabels are the labels of accs for a list to choose from, each once:
// a label shown twice gets its position added.
func pickLabels(accs []token.Account) []string {
	seen := map[string]int{}
	for _, acc := range accs {
		seen[acc.Label()]++
	}
	out := make([]string, len(accs))
	for i, acc := range accs {
		out[i] = acc.Label()
		if seen[acc.Label()] > 1 {
			out[i] = fmt.Sprintf("%s (%d)", acc.Label(), i+1)
		}
	}
	return out
}

// pickAccount asks which account's code goes to t, remembers the answer
// for t (in the configuration folder, off the event goroutine) and calls
// then with it. Cancelling remembers nothing (and, launching, opens
// nothing).
func (a *App) pickAccount(t launcher.Target, launching bool, then func(token.Account)) {
	accs := a.accounts
	labels := pickLabels(accs)
	a.lp.pickIDs = nil
	for _, acc := range accs {
		a.lp.pickIDs = append(a.lp.pickIDs, acc.ID)
	}
	a.lp.picker = newRadio(lang.L("Account"), labels, nil)
	a.lp.picker.Horizontal = false
	if cur := a.lp.choices[t.Name].Account; cur != "" {
		for i, id := range a.lp.pickIDs {
			if id == cur {
				a.lp.picker.SetSelected(labels[i])
			}
		}
	} else {
		a.lp.picker.SetSelected(labels[0])
	}
	a.dlg.message = widget.NewLabel(lang.L("{{.Target}} does not say which of your accounts it needs. Choose the one whose code it gets; softtoken remembers your choice (you can change it in the settings).",
		map[string]any{"Target": t.Label()}))
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.entry, a.dlg.entry2 = nil, nil
	picker, ids := a.lp.picker, a.lp.pickIDs
	var d interface{ Hide() }
	a.showDialog(lang.L("Account for {{.Target}}", map[string]any{"Target": t.Label()}),
		container.NewVBox(a.dlg.message, picker), lang.L("Use this account"), 420, func() bool {
			i := indexOf(picker.Options, picker.Selected)
			if picker.Selected == "" || i >= len(ids) {
				return false
			}
			acc, ok := a.accountByID(ids[i])
			if !ok {
				return false
			}
			a.rememberAccount(t, acc.ID)
			// Hidden before then runs: then may show the next dialog (the
			// pin notice, a password), which this one's Hide would take.
			d.Hide()
			then(acc)
			return false
		}, func() {
			if launching {
				a.setStatus(lang.L("{{.Target}} was not opened.", map[string]any{"Target": t.Label()}))
			}
		})
	d = a.dlg.d
}

// rememberAccount records that t gets the code of account id.
func (a *App) rememberAccount(t launcher.Target, id string) {
	if a.lp.choices == nil {
		a.lp.choices = map[string]launcher.TargetChoice{}
	}
	c := a.lp.choices[t.Name]
	c.Account = id
	a.lp.choices[t.Name] = c
	a.saveChoice(t.Name, func(c *launcher.TargetChoice) { c.Account = id })
}

// saveChoice changes what is recorded for the target named name, off the
// event goroutine; a failure is said on the status line.
func (a *App) saveChoice(name string, fn func(*launcher.TargetChoice)) {
	if a.st == nil {
		return
	}
	s := launcher.TargetState{Dir: a.st.Dir()}
	a.spawn(func() {
		if err := s.Update(name, fn); err != nil {
			fyne.Do(func() { a.setStatus(explain(err)) })
		}
	})
}

// needsPinNotice reports whether t is a remote desktop whose profile
// pins no certificate, launched for the first time, with a client that
// trusts the first certificate it sees (FreeRDP's /cert:tofu). mstsc.exe
// checks the certificate against Windows' trusted roots instead, and the
// Mac's remote desktop app asks the person: no notice there.
func (a *App) needsPinNotice(t launcher.Target) bool {
	return trustsFirstUse(a.opts.RDP) && launcher.NeedsPinNotice(t, a.lp.choices[t.Name].PinNoticeSeen)
}

// trustsFirstUse reports whether the RDP client c (nil: the system's
// default) trusts a server's certificate on the first connection.
func trustsFirstUse(c launcher.RDPClient) bool {
	switch c := c.(type) {
	case nil:
		return runtime.GOOS != "windows" && runtime.GOOS != "darwin"
	case *launcher.FreeRDP:
		return true
	case interface{ TrustsOnFirstUse() bool }: // a test's client that stands for FreeRDP
		return c.TrustsOnFirstUse()
	}
	return false
}

// showPinNotice says, once per target, that t's first connection trusts
// whatever certificate the server shows, then calls then; seen once, it
// is not shown again (remembered in the configuration folder). Cancel
// opens nothing and leaves it to be shown again.
func (a *App) showPinNotice(t launcher.Target, then func()) {
	a.dlg.message = widget.NewLabel(lang.L("Your organisation's profile does not name the certificate of {{.Target}}. On the first connection, the remote desktop program trusts whatever certificate the server shows and refuses a different one later: if someone stood between you and the server just this first time, it would not be noticed. Ask your IT service desk for a profile with the certificate fingerprints.",
		map[string]any{"Target": t.Label()}))
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.entry, a.dlg.entry2 = nil, nil
	var d interface{ Hide() }
	a.showDialog(lang.L("First connection to {{.Target}}", map[string]any{"Target": t.Label()}), a.dlg.message,
		lang.L("Connect"), 440, func() bool {
			if a.lp.choices == nil {
				a.lp.choices = map[string]launcher.TargetChoice{}
			}
			c := a.lp.choices[t.Name]
			c.PinNoticeSeen = true
			a.lp.choices[t.Name] = c
			a.saveChoice(t.Name, func(c *launcher.TargetChoice) { c.PinNoticeSeen = true })
			d.Hide() // before then, which may show the password dialog
			then()
			return false
		}, func() {
			a.setStatus(lang.L("{{.Target}} was not opened.", map[string]any{"Target": t.Label()}))
		})
	d = a.dlg.d
}

// newChoicesSetting is the settings' line of the targets that name no
// account while several are enrolled: which account each gets, and a
// button to change it; nil where there is none.
func (a *App) newChoicesSetting() *widget.FormItem {
	box := container.NewVBox()
	for _, t := range a.targets {
		if !launcher.NeedsChoice(t, len(a.accounts)) {
			continue
		}
		t := t
		cur := lang.L("asked at the next launch")
		if acc, err := a.targetAccount(t); err == nil {
			cur = acc.Label()
		}
		l := widget.NewLabel(lang.L("{{.Target}}: {{.Account}}", map[string]any{"Target": t.Label(), "Account": cur}))
		l.Wrapping = fyne.TextWrapWord
		b := newButton(lang.L("Change…"), nil, nil)
		b.OnTapped = func() {
			a.pickAccount(t, false, func(acc token.Account) {
				l.SetText(lang.L("{{.Target}}: {{.Account}}", map[string]any{"Target": t.Label(), "Account": acc.Label()}))
			})
		}
		box.Add(container.NewBorder(nil, nil, nil, b, l))
	}
	if len(box.Objects) == 0 {
		return nil
	}
	return widget.NewFormItem(lang.L("Accounts for launching"), box)
}
