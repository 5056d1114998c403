package widgets

import (
	"image/color"
	"math"

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
	// The six dots are one raster: one texture to draw a frame instead of
	// six circles (under software OpenGL every object drawn costs, and the
	// grips are in every frame of the list), drawn with the program text
	// and icons use (no shader of its own to compile at the first start),
	// and made from a few arithmetic steps a pixel, not from an SVG.
	r.dots = canvas.NewRasterWithPixels(r.pixel)
	r.Refresh()
	return r
}

type gripRenderer struct {
	g     *Grip
	dots  *canvas.Raster
	color color.NRGBA // what the dots are drawn in
}

// pixel is the colour of pixel x, y of the dots drawn w by h pixels:
// the dot's colour, its alpha the share of the pixel a dot covers
// (approximated by the distance of the pixel's centre from the dot's).
func (r *gripRenderer) pixel(x, y, w, h int) color.Color {
	const wide, tall = 2*gripDot + gripGap, 3*gripDot + 2*gripGap
	scale := float32(w) / wide // pixels per unit
	if scale <= 0 || h <= 0 {
		return color.Transparent
	}
	// The pixel's centre in units, and the nearest dot's centre.
	px, py := (float32(x)+0.5)/scale, (float32(y)+0.5)*tall/float32(h)
	const rad = gripDot / 2
	cx := float32(rad)
	if px > wide/2 {
		cx = wide - rad
	}
	row := min(max(int(py/(gripDot+gripGap)), 0), 2)
	cy := float32(rad + row*(gripDot+gripGap))
	d := float32(math.Hypot(float64(px-cx), float64(py-cy)))
	cover := min(max((rad-d)*scale+0.5, 0), 1)
	if cover == 0 {
		return color.Transparent
	}
	c := r.color
	c.A = uint8(float32(c.A) * cover)
	return c
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
// under the pointer, unless another row is being dragged over it. The
// raster is made again only when its colour changed (hover, drag, theme).
func (r *gripRenderer) Refresh() {
	name := theme.ColorNamePlaceHolder
	if r.g.active || r.g.hovered && !r.g.dragging() {
		name = theme.ColorNamePrimary
	}
	c := color.NRGBAModel.Convert(theme.Color(name)).(color.NRGBA)
	if c != r.color {
		r.color = c
		r.dots.Refresh()
	}
	r.Layout(r.g.Size())
}

func (r *gripRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.dots} }

func (r *gripRenderer) Destroy() {}
