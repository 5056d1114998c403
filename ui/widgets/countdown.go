package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Countdown is a thin bar that shrinks as a code's period runs out, in the
// primary colour, and in the warning colour for the last seconds.
type Countdown struct {
	widget.BaseWidget
	frac    float32
	warning bool
	left    int // seconds, for screen readers
}

func NewCountdown() *Countdown {
	c := &Countdown{frac: 1}
	c.ExtendBaseWidget(c)
	return c
}

// Set shows frac (0 to 1) of the period left. It refreshes only on change.
func (c *Countdown) Set(frac float32, warning bool, left int) {
	c.left = left
	if c.frac == frac && c.warning == warning {
		return
	}
	c.frac, c.warning = frac, warning
	c.Refresh()
}

// Frac is the fraction of the period left, from 0 to 1.
func (c *Countdown) Frac() float32 { return c.frac }

// Warning reports whether the bar is in the warning colour.
func (c *Countdown) Warning() bool { return c.warning }

// Left is the seconds left, as told to screen readers.
func (c *Countdown) Left() int { return c.left }

// AccessibilityLabel says how long the code stays valid.
func (c *Countdown) AccessibilityLabel() string {
	return lang.L("{{.Seconds}} seconds left", map[string]any{"Seconds": c.left})
}

func (c *Countdown) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

func (c *Countdown) CreateRenderer() fyne.WidgetRenderer {
	r := &countdownRenderer{c: c, track: canvas.NewRectangle(color.Transparent), fill: canvas.NewRectangle(color.Transparent)}
	r.track.CornerRadius, r.fill.CornerRadius = 2, 2
	r.Refresh()
	return r
}

type countdownRenderer struct {
	c           *Countdown
	track, fill *canvas.Rectangle
}

func (r *countdownRenderer) Layout(size fyne.Size) {
	r.track.Resize(size)
	r.fill.Resize(fyne.NewSize(size.Width*r.c.frac, size.Height))
}

func (r *countdownRenderer) MinSize() fyne.Size { return fyne.NewSize(4*theme.Padding(), 4) }

func (r *countdownRenderer) Refresh() {
	r.track.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.fill.FillColor = theme.Color(theme.ColorNamePrimary)
	if r.c.warning {
		r.fill.FillColor = theme.Color(theme.ColorNameWarning)
	}
	r.Layout(r.c.Size())
	r.track.Refresh()
	r.fill.Refresh()
}

func (r *countdownRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.fill}
}

func (r *countdownRenderer) Destroy() {}
