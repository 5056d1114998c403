package ui

import (
	"errors"
	"fmt"
	"image/color"
	"strings"
	"time"

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

// row is one account as shown.
type row struct {
	acc   token.Account     // TOTP: with its secret, for copying from the tray
	obj   fyne.CanvasObject // the row as laid out in the list
	grip  *grip             // nil where the only account is shown big
	title *widget.Label
	sub   *widget.Label
	code  *codeView
	left  *widget.Label
	next  *widget.Label
	bar   *countdown
	copy  *button
	more  *button
	menu  *fyne.Menu
	err   error
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
	v.list.Objects = nil
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
		v.list.Add(r.obj)
	}
	if len(accs) == 0 {
		l := widget.NewLabel(lang.L("No account matches your search."))
		l.Alignment = fyne.TextAlignCenter
		v.list.Add(l)
	}
	v.list.Refresh()
	// The codes are computed here once, so that the rows never show empty;
	// from then on the ticker hands them over. An HMAC per row costs
	// microseconds.
	v.apply(compute(accs, a.now(), a.corr))
}

// newRow builds the row of acc, shown at index i of n rows; big: the only
// account, shown large and without a grip.
func (v *mainView) newRow(acc token.Account, big bool, i, n int) *row {
	a := v.a
	r := &row{acc: acc, err: a.accErr[acc.ID]}
	title, sub := acc.Issuer, acc.Name
	if title == "" {
		title, sub = acc.Name, ""
	}
	if off := a.corr.Of(acc); off != 0 {
		sub = lang.L("{{.Name}} · clock corrected ({{.Seconds}} s)", map[string]any{"Name": sub, "Seconds": fmt.Sprintf("%+d", int(off.Round(time.Second)/time.Second))})
	}
	r.title = widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.title.Wrapping = fyne.TextWrapWord
	r.sub = widget.NewLabel(sub)
	r.sub.Wrapping = fyne.TextWrapWord
	size := float32(1.9)
	if big {
		size = 3.6
		r.title.Alignment, r.sub.Alignment = fyne.TextAlignCenter, fyne.TextAlignCenter
	}
	r.code = newCodeView(acc.Label(), acc.Digits, size, func() { r.copyOrShow(a) })
	r.left = widget.NewLabel("")
	// Plain: an italic style would cost its own fonts. Shown even while
	// empty, beside the seconds (object, bigObject), so that nothing moves
	// when "next:" appears.
	r.next = widget.NewLabel("")
	r.bar = newCountdown()
	r.copy = newButton(lang.L("Copy"), theme.ContentCopyIcon(), func() { r.copyOrShow(a) })
	if acc.Type == token.HOTP {
		r.next.Hide() // no next code to show
		r.bar.Hide()
		// Short: beside the code the long words ("Nächsten Code
		// anzeigen") left the names a letter wide. Read out in full.
		r.copy.SetText(lang.L("Show code"))
		r.copy.label = lang.L("Show next code")
		r.copy.SetIcon(theme.VisibilityIcon())
		if code, ok := a.hotpShown[acc.ID]; ok { // shown before this list was built
			r.showHOTPCode(code)
		}
	}
	if r.err != nil {
		r.sub.SetText(explain(r.err))
		r.sub.Importance = widget.DangerImportance
		r.copy.Disable()
		r.code.onCopy = nil
		r.bar.Hide()
	}
	r.menu = v.rowMenu(acc, i, n)
	if acc.Type == token.HOTP && r.err == nil {
		// The button copies once a code is shown; the next one is here.
		next := fyne.NewMenuItem(lang.L("Show next code"), func() { a.showHOTP(r) })
		next.Icon = theme.VisibilityIcon()
		r.menu.Items = append([]*fyne.MenuItem{next}, r.menu.Items...)
	}
	if !big {
		id := acc.ID
		r.grip = newGrip(acc.Label(), func(at fyne.Position) { v.dragged(id, at) }, func() { v.dragEnd(id) },
			func() bool { return v.drag.id != "" })
	}
	r.more = newIconButton(lang.L("More actions for {{.Account}}", map[string]any{"Account": acc.Label()}), theme.MoreVerticalIcon(), nil)
	r.more.Importance = widget.LowImportance
	r.more.OnTapped = func() {
		widget.ShowPopUpMenuAtRelativePosition(r.menu, a.win.Canvas(), fyne.NewPos(0, r.more.Size().Height), r.more)
	}
	return r
}

// rowMenu is the "more" menu of one account, shown at index i of n rows:
// move, rename, remove. Moving is among the rows shown (reorder.go).
func (v *mainView) rowMenu(acc token.Account, i, n int) *fyne.Menu {
	a := v.a
	var items []*fyne.MenuItem
	up := fyne.NewMenuItem(lang.L("Move up"), func() { v.moveBy(acc.ID, -1) })
	up.Icon = theme.MoveUpIcon()
	up.Shortcut = shortcutMoveUp // shown beside it; the canvas binds it
	up.Disabled = i <= 0
	down := fyne.NewMenuItem(lang.L("Move down"), func() { v.moveBy(acc.ID, 1) })
	down.Icon = theme.MoveDownIcon()
	down.Shortcut = shortcutMoveDown
	down.Disabled = i >= n-1
	rn := fyne.NewMenuItem(lang.L("Rename…"), func() { a.askRename(acc) })
	rn.Icon = theme.DocumentCreateIcon()
	items = append(items, a.typeItem(acc), fyne.NewMenuItemSeparator(), up, down, rn)
	del := fyne.NewMenuItem(lang.L("Remove…"), func() { a.confirmDelete(acc) })
	del.Icon = theme.DeleteIcon()
	items = append(items, del)
	return fyne.NewMenu("", items...)
}

// object lays a row out in the list, compact: the grip at the left, the
// names beside it, wrapped where they are long (Fyne 2.8 has no tooltips:
// a cut name could be read nowhere but in Rename), and at the right the
// code with its seconds below it, Copy and ⋮, in the order Tab visits
// them. A row of two lines: eight fit in the default window where four
// did (issue 10, 2.14).
func (r *row) object() fyne.CanvasObject {
	pad := theme.Padding()
	// The names wrap, but never in a column narrower than a short word.
	namesMin := canvas.NewRectangle(color.Transparent)
	namesMin.SetMinSize(fyne.NewSize(72, 0))
	names := container.NewStack(namesMin, container.New(layout.NewCustomPaddedVBoxLayout(-2*pad), r.title, r.sub))
	// The seconds on a line under the code; in the last 5 of them the
	// next code instead (the bar, orange then, says the time). Its width
	// is reserved, as its height is: "next:" must move neither the
	// buttons nor the names (issue 10, 2.8).
	times := container.New(layout.NewCustomPaddedHBoxLayout(pad), r.left, r.next)
	codeCol := container.New(layout.NewCustomPaddedVBoxLayout(-3*pad), container.NewHBox(r.code),
		container.NewStack(r.timesReserve(), times))
	// Well apart: the tint of a focused code must not run into Copy, and
	// close by, OCR (gui/) reads the code and "Copy" as one line of text
	// and misreads the button.
	actions := container.NewHBox(codeCol, container.New(layout.NewCustomPaddedLayout(0, 0, 6*pad, 0), container.NewCenter(r.copy)),
		container.NewCenter(r.more))
	top := container.NewBorder(nil, nil, nil, actions, names)
	bar := container.New(layout.NewCustomPaddedLayout(-pad, 0, pad, pad), r.bar)
	body := container.NewBorder(nil, nil, r.grip, nil, container.New(layout.NewCustomPaddedVBoxLayout(0), top, bar))
	return container.New(layout.NewCustomPaddedVBoxLayout(0), body, widget.NewSeparator())
}

// timesReserve is an empty box as wide as the seconds or the next code
// at their widest.
func (r *row) timesReserve() fyne.CanvasObject {
	pad := theme.Padding()
	zeros := token.Group(strings.Repeat("0", max(r.acc.Digits, 6)))
	style, size := fyne.TextStyle{}, theme.TextSize()
	// One of them at a time (apply hides the seconds while the next code
	// shows: the bar says the time then), with its label's own padding.
	w := max(fyne.MeasureText(lang.L("{{.Seconds}} s", map[string]any{"Seconds": 30}), size, style).Width,
		fyne.MeasureText(lang.L("next: {{.Code}}", map[string]any{"Code": zeros}), size, style).Width) +
		2*theme.InnerPadding() + pad
	box := canvas.NewRectangle(color.Transparent)
	if r.acc.Type == token.TOTP { // HOTP shows neither
		box.SetMinSize(fyne.NewSize(w, 0))
	}
	return box
}

// bigObject lays the only account out, its code large and centred; ⋮ at
// the top right, but last for Tab, after the code and Copy.
func (r *row) bigObject() fyne.CanvasObject {
	pad := theme.Padding()
	names := container.New(layout.NewCustomPaddedVBoxLayout(-2*pad), r.title, r.sub)
	r.left.Alignment = fyne.TextAlignCenter
	r.next.Alignment = fyne.TextAlignCenter
	bar := container.New(layout.NewCustomPaddedLayout(0, 0, 8*pad, 8*pad), r.bar)
	more := r.more.MinSize().Width
	body := container.NewVBox(container.New(layout.NewCustomPaddedLayout(0, 0, more, more), names),
		layout.NewSpacer(), container.NewCenter(r.code), bar,
		container.NewCenter(container.NewHBox(r.left, r.next)), container.NewCenter(r.copy))
	return container.NewStack(body, container.NewBorder(container.NewBorder(nil, nil, nil, r.more), nil, nil, nil))
}

// copyOrShow copies the row's code, or for HOTP spends the next counter
// and shows its code first.
func (r *row) copyOrShow(a *App) {
	if r.err != nil {
		return
	}
	if r.code.code == "" {
		if r.acc.Type == token.HOTP {
			a.showHOTP(r)
		}
		return
	}
	a.copyCode(r.acc, r.code.code)
	// The button itself says it was done, for 2 s.
	b := r.copy
	b.SetText(lang.L("Copied"))
	b.SetIcon(theme.ConfirmIcon())
	a.clip.after(2*time.Second, func() {
		b.SetText(lang.L("Copy"))
		b.SetIcon(theme.ContentCopyIcon())
	})
}

// copyCode puts code on the clipboard and clears it after the timeout if
// it still holds that code.
func (a *App) copyCode(acc token.Account, code string) {
	d := a.set.clipboardTimeout()
	a.clip.put(code, d)
	a.markHanded(acc)
	if d <= 0 {
		a.setStatus(lang.L("The code of {{.Account}} is on the clipboard.", map[string]any{"Account": acc.Label()}))
		a.copied = ""
		return
	}
	a.setStatus(lang.L("The code of {{.Account}} is on the clipboard. It is removed from there in {{.Seconds}} seconds.",
		map[string]any{"Account": acc.Label(), "Seconds": int(d / time.Second)}))
	a.copied = a.status.Text
}

// showHOTP spends the next HOTP counter and shows its code. The store saves
// the new counter before the code comes back.
func (a *App) showHOTP(r *row) {
	r.copy.Disable()
	st, id := a.st, r.acc.ID
	a.spawn(func() {
		_, code, err := st.NextHOTPCode(id)
		fyne.Do(func() {
			r.copy.Enable()
			if err != nil {
				a.setStatus(explain(err))
				return
			}
			a.hotpShown[id] = code
			// The row shown now: the list may have been rebuilt meanwhile.
			if now := a.main.byID[id]; now != nil {
				now.showHOTPCode(code)
			}
		})
	})
}

// showHOTPCode shows an HOTP code spent, and makes the button copy it.
func (r *row) showHOTPCode(code string) {
	r.code.set(code, 0)
	r.copy.SetText(lang.L("Copy"))
	r.copy.label = r.copy.Text
	r.copy.SetIcon(theme.ContentCopyIcon())
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
	if len(v.rows) > 0 && v.rows[0].code.onCopy != nil {
		v.a.win.Canvas().Focus(v.rows[0].code)
	}
}

func trim(s string) string { return strings.TrimSpace(s) }
