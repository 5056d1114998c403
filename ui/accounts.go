package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/token"
)

// mainView is the main screen: the codes, a search field, the launch
// buttons and a status line.
type mainView struct {
	a        *App
	search   *entry
	add      *button
	settings *button
	list     *fyne.Container // the rows, or the one big code
	scroll   *container.Scroll
	msg      *widget.Label // instead of the list: loading, an error, no account
	action   *button       // beside msg: add an account, unlock again
	action2  *button       // beside action: a vault file instead of a keyring that does not answer
	msgBox   *fyne.Container
	launch   *fyne.Container
	typeBar  *fyne.Container // Cancel, while a code waits to be typed (typecode.go)
	rows     []*row
	byID     map[string]*row
	root     fyne.CanvasObject

	// Dragging a row (reorder.go).
	drag      dragState
	dropLayer *fyne.Container   // above the list: hidden but while dragging
	dropShade *canvas.Rectangle // over the row dragged
	dropLine  *canvas.Rectangle // where it lands
}

func (a *App) newMainView() *mainView {
	v := &mainView{a: a, byID: map[string]*row{}}
	v.search = newEntry(lang.L("Search (Ctrl+F)"))
	v.search.OnChanged = func(string) {
		v.rebuildList()
		v.scroll.ScrollToTop() // the matches, not the old place in the list
	}
	v.search.OnSubmitted = func(string) {
		if len(v.rows) > 0 {
			v.rows[0].copyOrShow(a)
		}
	}
	v.add = newButton(lang.L("Add account"), theme.ContentAddIcon(), a.showWizard)
	v.settings = newIconButton(lang.L("Settings"), theme.SettingsIcon(), a.showSettings)
	v.list = container.NewVBox()
	v.dropLayer = v.newDropLayer()
	v.scroll = container.NewVScroll(container.NewStack(v.list, v.dropLayer))
	v.msg = widget.NewLabel("")
	v.msg.Wrapping = fyne.TextWrapWord
	v.msg.Alignment = fyne.TextAlignCenter
	v.action = newButton("", nil, nil)
	v.action.Importance = widget.HighImportance
	v.action2 = newButton("", nil, nil)
	v.msgBox = container.NewVBox(layout.NewSpacer(), v.msg, container.NewCenter(container.NewHBox(v.action, v.action2)), layout.NewSpacer())
	// The launch buttons wrap to as many lines as they need: in one row,
	// three of them made the window 601 px wide at least.
	v.launch = container.New(layout.NewRowWrapLayout())
	top := container.NewBorder(nil, nil, nil, container.NewHBox(v.add, v.settings), v.search)
	v.typeBar = a.newTypeBar()
	bottom := container.NewVBox(v.launch, container.NewBorder(nil, nil, nil, v.typeBar, a.status))
	v.root = container.NewBorder(top, bottom, nil, nil, container.NewStack(v.scroll, v.msgBox))
	// The main view's own keys; the window's are bound in App.shortcuts.
	c := a.win.Canvas()
	c.AddShortcut(shortcutMoveUp, func(fyne.Shortcut) { v.moveFocused(-1) })
	c.AddShortcut(shortcutMoveDown, func(fyne.Shortcut) { v.moveFocused(1) })
	return v
}

func (v *mainView) object() fyne.CanvasObject { return v.root }

// message shows msg instead of the list.
func (v *mainView) message(msg string) {
	v.msg.SetText(msg)
	v.action.Hide()
	v.action2.Hide()
	v.msgBox.Show()
	v.scroll.Hide()
	v.search.Hide()
	v.add.Disable()
}

// rebuild shows the accounts as they are now, or why there are none.
func (v *mainView) rebuild() {
	a := v.a
	v.launch.Objects = nil
	v.launch.Refresh()
	switch {
	case !a.opened && a.kr.waiting:
		v.keyringWaiting()
		return
	case !a.opened:
		v.message(lang.L("Opening your accounts…"))
		return
	case a.openErr != nil && offersVault(a.openErr):
		v.message(lang.L("No keychain is available on this computer, so softtoken cannot keep your secrets there. It can keep them in an encrypted vault file instead."))
		v.action.SetText(lang.L("Create vault file…"))
		v.action.OnTapped = a.showVaultOffer
		v.action.Show()
		return
	case a.openErr != nil:
		v.message(explain(a.openErr))
		if errors.Is(a.openErr, errCancelled) {
			v.action.SetText(lang.L("Unlock…"))
			v.action.OnTapped = a.reopen
			v.action.Show()
		}
		if retryable(a.openErr) {
			v.retryActions()
		}
		return
	case len(a.accounts) == 0:
		v.message(lang.L("No account is enrolled yet."))
		v.add.Enable()
		v.action.SetText(lang.L("Add account"))
		v.action.OnTapped = a.showWizard
		v.action.Show()
		return
	}
	v.msgBox.Hide()
	v.scroll.Show()
	v.add.Enable()
	if len(a.accounts) > 1 {
		v.search.Show()
	} else {
		v.search.Hide()
		v.search.SetText("")
	}
	v.rebuildLaunch()
	v.rebuildList()
}

// visible returns the accounts the search matches: in issuer or name,
// ignoring case and accents, ß matching ss and ä matching ae.
func (v *mainView) visible() []token.Account {
	q := fold(v.search.Text)
	if q == "" {
		return v.a.accounts
	}
	var out []token.Account
	for _, acc := range v.a.accounts {
		if strings.Contains(fold(acc.Issuer), q) || strings.Contains(fold(acc.Name), q) {
			out = append(out, acc)
		}
	}
	return out
}

// folder writes letters as a German keyboard without them would: the
// umlauts as ae, oe, ue, ß as ss, accented letters without the accent.
var folder = strings.NewReplacer(
	"ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "ẞ", "ss",
	"à", "a", "á", "a", "â", "a", "ã", "a", "å", "a", "ç", "c",
	"è", "e", "é", "e", "ê", "e", "ë", "e", "ì", "i", "í", "i", "î", "i", "ï", "i",
	"ñ", "n", "ò", "o", "ó", "o", "ô", "o", "õ", "o", "ø", "o",
	"ù", "u", "ú", "u", "û", "u", "ý", "y", "ÿ", "y",
)

// fold is s as the search compares it: lower case, spaces around it
// dropped, written with ASCII letters; and the umlauts once more as plain
// vowels ("muller" finds "Müller" as "mueller" does): ae, oe and ue are
// made a, o and u on both sides.
func fold(s string) string {
	s = folder.Replace(strings.ToLower(strings.TrimSpace(s)))
	return strings.NewReplacer("ae", "a", "oe", "o", "ue", "u").Replace(s)
}

// rebuildList builds the rows of the accounts the search matches.
func (v *mainView) rebuildList() {
	a := v.a
	v.cancelDrag()
	v.rows = nil
	v.byID = map[string]*row{}
	// The rows go into the list at once: Container.Add lays the list out
	// again for every row (20 rows: ~20 ms of the start).
	objs := []fyne.CanvasObject{}
	accs := v.visible()
	single := len(a.accounts) == 1
	for i, acc := range accs {
		r := v.newRow(acc, single, i, len(accs))
		if single {
			r.obj = r.bigObject()
		} else {
			r.obj = r.object()
		}
		v.rows = append(v.rows, r)
		v.byID[acc.ID] = r
		objs = append(objs, r.obj)
	}
	if len(accs) == 0 {
		l := widget.NewLabel(lang.L("No account matches your search."))
		l.Alignment = fyne.TextAlignCenter
		objs = append(objs, l)
	}
	v.list.Objects = objs
	v.list.Refresh()
	// The codes are computed here once, so that the rows never show empty;
	// from then on the ticker hands them over. An HMAC per row costs
	// microseconds.
	v.apply(compute(accs, a.now(), a.corr))
}

// indexOf is the position of the account with id in the store's order.
func (a *App) indexOf(id string) int {
	for i, acc := range a.accounts {
		if acc.ID == id {
			return i
		}
	}
	return -1
}

// move puts the account at position to, then shows the new order.
func (a *App) move(id string, to int) {
	if to < 0 || to >= len(a.accounts) {
		return
	}
	a.change(func() error { return a.st.Move(id, to) }, "", func() {
		if r := a.main.byID[id]; r != nil {
			a.win.Canvas().Focus(r.code)
		}
	})
}

// rename changes the issuer and name of acc.
func (a *App) rename(acc token.Account, issuer, name string) {
	a.change(func() error { return a.st.Rename(acc.ID, issuer, name) },
		lang.L("Renamed."), nil)
}

// remove deletes acc from the store.
func (a *App) remove(acc token.Account) {
	a.change(func() error { return a.st.Remove(acc.ID) },
		lang.L("“{{.Account}}” was removed.", map[string]any{"Account": acc.Label()}), nil)
}

// change runs fn (a change to the store) off the event goroutine, then
// reloads the accounts and says done, or why it failed.
func (a *App) change(fn func() error, done string, then func()) {
	a.setStatus(lang.L("Saving…"))
	a.spawn(func() {
		err := fn()
		fyne.Do(func() {
			if err != nil {
				a.setStatus(explain(err))
				return
			}
			a.reload(func() {
				a.setStatus(done)
				if then != nil {
					then()
				}
			})
		})
	})
}

// focusSearch puts the keyboard in the search field, where there is one.
func (v *mainView) focusSearch() {
	if v.search.Visible() {
		v.a.win.Canvas().Focus(v.search)
	}
}

// focusFirst puts the keyboard on the first code, so that Enter copies it.
func (v *mainView) focusFirst() {
	if len(v.rows) > 0 && v.rows[0].code.CanCopy() {
		v.a.win.Canvas().Focus(v.rows[0].code)
	}
}

func trim(s string) string { return strings.TrimSpace(s) }
