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

// gripDots is the six dots as one picture: one texture to draw a frame
// instead of six circles (under software OpenGL every object drawn costs,
// and the grips are drawn in every frame of the list), and one shader fewer
// to compile at the first start. Fyne colours it with the theme.
var gripDots = fyne.NewStaticResource("grip.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="12" height="20" viewBox="0 0 12 20">`+
	`<g fill="#000000"><circle cx="2" cy="2" r="2"/><circle cx="10" cy="2" r="2"/>`+
	`<circle cx="2" cy="10" r="2"/><circle cx="10" cy="10" r="2"/>`+
	`<circle cx="2" cy="18" r="2"/><circle cx="10" cy="18" r="2"/></g></svg>`))

var (
	gripIdle   = theme.NewColoredResource(gripDots, theme.ColorNamePlaceHolder)
	gripActive = theme.NewColoredResource(gripDots, theme.ColorNamePrimary)
)

func (g *Grip) CreateRenderer() fyne.WidgetRenderer {
	r := &gripRenderer{g: g, dots: canvas.NewImageFromResource(gripIdle)}
	r.dots.FillMode = canvas.ImageFillContain
	r.Refresh()
	return r
}

type gripRenderer struct {
	g    *Grip
	dots *canvas.Image
}

func (r *gripRenderer) Layout(size fyne.Size) {
	w, h := float32(2*gripDot+gripGap), float32(3*gripDot+2*gripGap)
	r.dots.Move(fyne.NewPos((size.Width-w)/2, (size.Height-h)/2))
	r.dots.Resize(fyne.NewSize(w, h))
}

func (r *gripRenderer) MinSize() fyne.Size {
	return fyne.NewSize(2*gripDot+gripGap+2*theme.Padding(), 3*gripDot+2*gripGap)
}

// Refresh paints the dots grey (placeholder text has a contrast of at
// least 3:1 in both themes), and in the primary colour while dragged and
// under the pointer, unless another row is being dragged over it.
func (r *gripRenderer) Refresh() {
	res := fyne.Resource(gripIdle)
	if r.g.active || r.g.hovered && !r.g.dragging() {
		res = gripActive
	}
	if r.dots.Resource != res {
		r.dots.Resource = res
	}
	r.dots.Refresh() // a theme change recolours the same resource
	r.Layout(r.g.Size())
}

func (r *gripRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.dots} }

func (r *gripRenderer) Destroy() {}
