package ui

import (
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
	"github.com/cityadmin/softtoken/ui/widgets"
)

// row is one account as shown.
type row struct {
	acc   token.Account     // TOTP: with its secret, for copying from the tray
	obj   fyne.CanvasObject // the row as laid out in the list
	grip  *widgets.Grip     // nil where the only account is shown big
	title *widget.Label
	sub   *widget.Label
	code  *widgets.CodeView
	left  *widget.Label
	next  *widget.Label
	bar   *widgets.Countdown
	copy  *button
	more  *button
	menu  *fyne.Menu
	err   error
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
	r.code = widgets.NewCodeView(acc.Label(), acc.Digits, size, func() { r.copyOrShow(a) })
	r.left = widget.NewLabel("")
	// Plain: an italic style would cost its own fonts. Shown even while
	// empty, beside the seconds (object, bigObject), so that nothing moves
	// when "next:" appears.
	r.next = widget.NewLabel("")
	r.bar = widgets.NewCountdown()
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
		r.code.NoCopy()
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
		r.grip = widgets.NewGrip(acc.Label(), func(at fyne.Position) { v.dragged(id, at) }, func() { v.dragEnd(id) },
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
	if r.code.Code() == "" {
		if r.acc.Type == token.HOTP {
			a.showHOTP(r)
		}
		return
	}
	a.copyCode(r.acc, r.code.Code())
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
	r.code.Set(code, 0)
	r.copy.SetText(lang.L("Copy"))
	r.copy.label = r.copy.Text
	r.copy.SetIcon(theme.ContentCopyIcon())
}
