package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/token"
)

// enrolled returns the account enrolled under acc's issuer and name.
func (a *App) enrolled(acc token.Account) (token.Account, bool) {
	for _, old := range a.accounts {
		if strings.EqualFold(old.Issuer, acc.Issuer) && strings.EqualFold(old.Name, acc.Name) {
			return old, true
		}
	}
	return token.Account{}, false
}

// confirmReplace asks before replacing enrolled accounts by the
// previewed ones of the same issuer and name.
func (w *wizard) confirmReplace() {
	a := w.a
	var names []string
	for _, acc := range w.accs {
		if old, dup := a.enrolled(acc); dup {
			names = append(names, "“"+old.Label()+"”")
		}
	}
	a.dlg.message = widget.NewLabel(lang.L("Replace {{.Accounts}} with the new key? It keeps its place and name. Codes of the old key can then no longer be shown here.",
		map[string]any{"Accounts": strings.Join(names, ", ")}))
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.entry, a.dlg.entry2 = nil, nil
	a.showDialog(lang.L("Replace account"), a.dlg.message, lang.L("Replace"), 420, func() bool {
		w.saveAccounts()
		return true
	}, nil)
	a.win.Canvas().Focus(a.dlg.cancel)
}

// replaceIn stores accs in st, each one enrolled already (old, by index)
// taking that one's place and name: the old one is renamed aside, the new
// one added under its name and moved to its place, then the old one is
// removed. A crash between the steps leaves both, never neither.
func replaceIn(st Store, accs []token.Account, old map[int]token.Account) ([]token.Account, error) {
	var added []token.Account
	for i, acc := range accs {
		o, dup := old[i]
		if !dup {
			n, err := st.Add(acc)
			if err != nil {
				return added, err
			}
			added = append(added, n...)
			continue
		}
		if err := st.Rename(o.ID, o.Issuer, o.Name+" (replaced)"); err != nil {
			return added, err
		}
		acc.Issuer, acc.Name = o.Issuer, o.Name
		n, err := st.Add(acc)
		if err != nil {
			st.Rename(o.ID, o.Issuer, o.Name) // as it was
			return added, err
		}
		list, err := st.List()
		if err != nil {
			return added, err
		}
		for at, x := range list {
			if x.ID == o.ID {
				if err := st.Move(n[0].ID, at); err != nil {
					return added, err
				}
				break
			}
		}
		if err := st.Remove(o.ID); err != nil {
			return added, err
		}
		added = append(added, n...)
	}
	return added, nil
}

// saveAccounts stores the previewed accounts off the event goroutine.
func (w *wizard) saveAccounts() {
	a, accs, st := w.a, w.accs, w.a.st
	old := map[int]token.Account{}
	for i, acc := range accs {
		if o, dup := a.enrolled(acc); dup {
			old[i] = o
		}
	}
	w.save.Disable()
	w.back.Disable()
	if w.replace != nil {
		w.replace.Disable()
	}
	w.busy.run()
	a.spawn(func() {
		var added []token.Account
		var err error
		if len(old) == 0 {
			added, err = st.Add(accs...)
		} else {
			added, err = replaceIn(st, accs, old)
		}
		fyne.Do(func() {
			w.busy.stop()
			if err != nil {
				w.save.Enable()
				w.back.Enable()
				if w.replace != nil {
					w.replace.Enable()
				}
				w.err.SetText(explain(err))
				return
			}
			// A search that would hide what was just added ends.
			a.main.search.SetText("")
			// The pasted link or key holds the secret: off the clipboard,
			// unless something else was copied since.
			if w.pasted != "" && a.fa.Clipboard().Content() == w.pasted {
				a.fa.Clipboard().SetContent("")
			}
			a.reload(func() {
				a.showMain()
				if len(old) == 1 && len(added) == 1 {
					a.setStatus(lang.L("“{{.Account}}” was replaced.", map[string]any{"Account": added[0].Label()}))
				} else if len(added) == 1 {
					a.setStatus(lang.L("“{{.Account}}” was added.", map[string]any{"Account": added[0].Label()}))
				} else {
					a.setStatus(lang.L("{{.N}} accounts were added.", map[string]any{"N": len(added)}))
				}
			})
		})
	})
}
