package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
)

// Ordering the accounts. Three ways lead to the same store write: Move up
// and Move down in a row's menu, Alt+Up and Alt+Down on a focused code,
// and dragging a row by its grip. Each moves relative to the rows shown:
// in a list filtered by the search, an account dropped above or below
// another row shown lands right before or after that account in the whole
// list, past any accounts hidden between them, which is what the person
// sees happen. Without a filter that is simply the position in the list.
// Every move is one store.Move (App.move); a move to where the account
// already is writes nothing.

// Shortcuts of a focused code that move its account among the rows shown.
var (
	shortcutMoveUp   = &desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierAlt}
	shortcutMoveDown = &desktop.CustomShortcut{KeyName: fyne.KeyDown, Modifier: fyne.KeyModifierAlt}
)

// shownIndex is the position of the account with id among the rows shown,
// or -1.
func (v *mainView) shownIndex(id string) int {
	for i, r := range v.rows {
		if r.acc.ID == id {
			return i
		}
	}
	return -1
}

// moveShown moves the account with id to the place of the row shown at
// index to, which is clamped to the rows shown.
func (v *mainView) moveShown(id string, to int) {
	from := v.shownIndex(id)
	if from < 0 {
		return
	}
	to = max(0, min(to, len(v.rows)-1))
	if to == from {
		return
	}
	v.a.move(id, v.a.indexOf(v.rows[to].acc.ID))
}

// moveBy moves the account with id by delta rows shown.
func (v *mainView) moveBy(id string, delta int) {
	if i := v.shownIndex(id); i >= 0 {
		v.moveShown(id, i+delta)
	}
}

// moveFocused moves the account whose code has the keyboard by delta rows
// shown: Alt+Up and Alt+Down. Anywhere else the keys do nothing.
func (v *mainView) moveFocused(delta int) {
	if v.a.screen != screenMain || len(v.rows) < 2 {
		return
	}
	f := v.a.win.Canvas().Focused()
	for _, r := range v.rows {
		if r.code == f {
			v.moveBy(r.acc.ID, delta)
			return
		}
	}
}

// Auto-scroll while dragging: within edgeBand of the top or bottom of the
// list's visible part, the list scrolls by up to scrollStep per frame,
// faster the nearer the pointer is to the edge.
const (
	edgeBand   = 40
	scrollStep = 8
)

// dragState is a drag of a row by its grip under way.
type dragState struct {
	id    string        // the account dragged; "" while none is
	from  int           // its index among the rows shown
	slot  int           // where it lands: before the row shown at slot, len(rows) after the last
	at    fyne.Position // the pointer, on the canvas
	speed float32       // of the auto-scroll, per frame; 0 while none
	anim  *fyne.Animation
}

// newDropLayer is what shows a drag under way, above the list and
// scrolled with it: a shade over the row dragged and a line where it
// lands. Hidden until a drag starts.
func (v *mainView) newDropLayer() *fyne.Container {
	v.dropShade = canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	v.dropLine = canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	v.dropLine.CornerRadius = dropLine / 2
	l := container.NewWithoutLayout(v.dropShade, v.dropLine)
	l.Hide()
	return l
}

// dropLine is the thickness of the line where a dragged row lands.
const dropLine = 4

// dragged follows a drag of the account with id to the pointer at abs.
func (v *mainView) dragged(id string, abs fyne.Position) {
	switch v.drag.id {
	case "":
		from := v.shownIndex(id)
		if from < 0 {
			return
		}
		v.drag = dragState{id: id, from: from, slot: from}
	case id:
	default:
		return // a second pointer; the first drag goes on
	}
	v.drag.at = abs
	v.follow()
}

// dragEnd drops the account with id where the drag shows it: one store
// write, or none where it started.
func (v *mainView) dragEnd(id string) {
	d := v.drag
	if d.id == "" || d.id != id {
		return // ended by a rebuild of the list
	}
	v.cancelDrag()
	to := d.slot
	if to > d.from {
		to-- // the slots below count the row dragged, which moves away
	}
	v.moveShown(id, to)
}

// cancelDrag forgets a drag under way, if any, and hides what showed it.
func (v *mainView) cancelDrag() {
	v.autoScroll(0)
	v.drag = dragState{}
	v.dropLayer.Hide()
}

// follow works out where the dragged row lands with the pointer at
// v.drag.at, scrolls the list where the pointer is near its top or bottom
// edge, and shows the place. Above the list it is the first place, below
// it the last.
func (v *mainView) follow() {
	if v.drag.id == "" {
		return
	}
	top := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.scroll).Y
	h := v.scroll.Size().Height
	y := v.drag.at.Y - top // in the list's visible part
	band := min(h/4, edgeBand)
	var speed float32
	switch {
	case y < 0:
		v.scroll.ScrollToTop()
		v.drag.slot = 0
	case y > h:
		v.scroll.ScrollToBottom()
		v.drag.slot = len(v.rows)
	default:
		off, most := v.scroll.Offset.Y, v.scroll.Content.Size().Height-h
		switch {
		case y < band && off > 0:
			speed = -scrollStep * (band - y) / band
		case y > h-band && off < most:
			speed = scrollStep * (y - (h - band)) / band
		}
		v.drag.slot = v.slotAt(y + off)
	}
	v.autoScroll(speed)
	v.showDrop()
}

// slotAt is where a row dropped at y (in the list, not its visible part)
// lands: before the first row whose middle is below y.
func (v *mainView) slotAt(y float32) int {
	for i, r := range v.rows {
		if y < r.obj.Position().Y+r.obj.Size().Height/2 {
			return i
		}
	}
	return len(v.rows)
}

// autoScroll scrolls the list by speed every frame until it is called
// with 0.
func (v *mainView) autoScroll(speed float32) {
	v.drag.speed = speed
	switch {
	case speed == 0 && v.drag.anim != nil:
		v.drag.anim.Stop()
		v.drag.anim = nil
	case speed != 0 && v.drag.anim == nil:
		// The animation is a frame clock: its progress is not used.
		a := fyne.NewAnimation(time.Second, func(float32) { v.scrollFrame() })
		a.Curve = fyne.AnimationLinear
		a.RepeatCount = fyne.AnimationRepeatForever
		v.drag.anim = a // before Start, which may tick at once
		a.Start()
	}
}

// scrollFrame is one frame of auto-scroll.
func (v *mainView) scrollFrame() {
	if v.drag.id == "" || v.drag.speed == 0 {
		return
	}
	off := v.scroll.Offset
	off.Y += v.drag.speed
	v.scroll.ScrollToOffset(off) // clamped to the list
	v.follow()
}

// showDrop shades the row dragged and draws the line where it lands.
func (v *mainView) showDrop() {
	d := v.drag
	if d.id == "" || d.from >= len(v.rows) {
		v.dropLayer.Hide()
		return
	}
	var y float32
	switch {
	case d.slot <= 0:
		y = v.rows[0].obj.Position().Y
	case d.slot >= len(v.rows):
		last := v.rows[len(v.rows)-1].obj
		y = last.Position().Y + last.Size().Height
	default:
		above, below := v.rows[d.slot-1].obj, v.rows[d.slot].obj
		y = (above.Position().Y + above.Size().Height + below.Position().Y) / 2
	}
	y = max(0, min(y-dropLine/2, v.list.Size().Height-dropLine))
	v.dropLine.FillColor = theme.Color(theme.ColorNamePrimary)
	v.dropLine.Move(fyne.NewPos(0, y))
	v.dropLine.Resize(fyne.NewSize(v.list.Size().Width, dropLine))
	src := v.rows[d.from].obj
	v.dropShade.FillColor = theme.Color(theme.ColorNameSelection)
	v.dropShade.Move(src.Position())
	v.dropShade.Resize(src.Size())
	v.dropLayer.Show()
	v.dropLine.Refresh()
	v.dropShade.Refresh()
}
