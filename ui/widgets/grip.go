package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Grip is the handle a row is dragged by: six dots at the row's left, as
// tall as the row. A screen reader names it with the account and says how
// to do the same with the keyboard.
type Grip struct {
	widget.BaseWidget
	label    string
	onDrag   func(abs fyne.Position)
	onEnd    func()
	dragging func() bool // whether any row is being dragged
	hovered  bool
	active   bool // being dragged
}

func NewGrip(account string, onDrag func(fyne.Position), onEnd func(), dragging func() bool) *Grip {
	g := &Grip{onDrag: onDrag, onEnd: onEnd, dragging: dragging}
	g.label = lang.L("Drag to reorder {{.Account}}. With the keyboard: Alt+Up or Alt+Down while its code has the focus.",
		map[string]any{"Account": account})
	g.ExtendBaseWidget(g)
	return g
}

// Active reports whether the grip is being dragged.
func (g *Grip) Active() bool { return g.active }

// Hovered reports whether the pointer is over the grip.
func (g *Grip) Hovered() bool { return g.hovered }

// Dragged follows the pointer. Fyne's desktop driver sets AbsolutePosition
// on every event; Position is relative to where the grip was when the drag
// began, which auto-scroll changes.
func (g *Grip) Dragged(e *fyne.DragEvent) {
	if !g.active {
		g.active = true
		g.Refresh()
	}
	g.onDrag(e.AbsolutePosition)
}

func (g *Grip) DragEnd() {
	g.active = false
	g.Refresh()
	g.onEnd()
}

func (g *Grip) MouseIn(*desktop.MouseEvent)    { g.hovered = true; g.Refresh() }
func (g *Grip) MouseMoved(*desktop.MouseEvent) {}
func (g *Grip) MouseOut()                      { g.hovered = false; g.Refresh() }

// Cursor is the up-and-down arrow: Fyne has no grab cursor, and the rows
// move only up and down.
func (g *Grip) Cursor() desktop.Cursor { return desktop.VResizeCursor }

func (g *Grip) AccessibilityLabel() string { return g.label }

func (g *Grip) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

// The dots: gripDot across, gripGap apart, two columns of three.
const (
	gripDot = 4
	gripGap = 4
)

func (g *Grip) CreateRenderer() fyne.WidgetRenderer {
	r := &gripRenderer{g: g}
	for i := range r.dots {
		r.dots[i] = canvas.NewCircle(theme.Color(theme.ColorNamePlaceHolder))
	}
	r.Refresh()
	return r
}

type gripRenderer struct {
	g    *Grip
	dots [6]*canvas.Circle
}

func (r *gripRenderer) Layout(size fyne.Size) {
	w, h := float32(2*gripDot+gripGap), float32(3*gripDot+2*gripGap)
	x0, y0 := (size.Width-w)/2, (size.Height-h)/2
	for i, d := range r.dots {
		d.Move(fyne.NewPos(x0+float32(i%2)*(gripDot+gripGap), y0+float32(i/2)*(gripDot+gripGap)))
		d.Resize(fyne.NewSquareSize(gripDot))
	}
}

func (r *gripRenderer) MinSize() fyne.Size {
	return fyne.NewSize(2*gripDot+gripGap+2*theme.Padding(), 3*gripDot+2*gripGap)
}

// Refresh paints the dots grey (placeholder text has a contrast of at
// least 3:1 in both themes), and in the primary colour while dragged and
// under the pointer, unless another row is being dragged over it.
func (r *gripRenderer) Refresh() {
	c := theme.Color(theme.ColorNamePlaceHolder)
	if r.g.active || r.g.hovered && !r.g.dragging() {
		c = theme.Color(theme.ColorNamePrimary)
	}
	for _, d := range r.dots {
		d.FillColor = c
		d.Refresh()
	}
	r.Layout(r.g.Size())
}

func (r *gripRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(r.dots))
	for i, d := range r.dots {
		objs[i] = d
	}
	return objs
}

func (r *gripRenderer) Destroy() {}
