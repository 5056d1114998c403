// Package widgets holds softtoken's custom Fyne widgets that know nothing
// of the window they are shown in: the code view, the countdown bar and
// the grip a row is dragged by.
// Package ui builds its screens from them.
package widgets

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/token"
)

// CodeView is a one-time code as the window shows it: large, in groups,
// tapped or Enter/Space to copy. A screen reader reads it digit group by
// digit group, with the seconds left.
type CodeView struct {
	widget.BaseWidget
	account string // the account's label, for the screen reader
	code    string // the code, ungrouped; "" while none is shown
	left    int    // seconds left; 0 for HOTP
	size    float32
	digits  int // for the width: the widget does not grow when the code comes
	focused bool
	onCopy  func() // nil: nothing to copy (an error)
}

func NewCodeView(account string, digits int, size float32, onCopy func()) *CodeView {
	c := &CodeView{account: account, digits: digits, size: size, onCopy: onCopy}
	c.ExtendBaseWidget(c)
	return c
}

// Set shows code with left seconds to go, refreshing only on a change.
func (c *CodeView) Set(code string, left int) {
	if c.code == code && c.left == left {
		return
	}
	repaint := c.code != code
	c.code, c.left = code, left
	if repaint {
		c.Refresh()
	}
}

// Text is what is painted.
func (c *CodeView) Text() string {
	if c.code == "" {
		return "··· ···"
	}
	return token.Group(c.code)
}

// Code is the code shown, ungrouped; "" while none is shown.
func (c *CodeView) Code() string { return c.code }

// Scale is the code's size, in multiples of the theme's text size.
func (c *CodeView) Scale() float32 { return c.size }

// CanCopy reports whether tapping the code copies it.
func (c *CodeView) CanCopy() bool { return c.onCopy != nil }

// NoCopy makes tapping the code do nothing (it shows an error).
func (c *CodeView) NoCopy() { c.onCopy = nil }

func (c *CodeView) Tapped(*fyne.PointEvent) {
	if c.onCopy != nil {
		c.onCopy()
	}
}

func (c *CodeView) FocusGained()   { c.focused = true; c.Refresh() }
func (c *CodeView) FocusLost()     { c.focused = false; c.Refresh() }
func (c *CodeView) TypedRune(rune) {}

func (c *CodeView) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		if c.onCopy != nil {
			c.onCopy()
		}
	}
}

// TypedShortcut copies the code with Ctrl+C, and hands every other
// shortcut to the window: a focused widget that takes shortcuts gets them
// all, the window's own (Ctrl+F, Ctrl+N, moving a row) included.
func (c *CodeView) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*fyne.ShortcutCopy); ok {
		if c.onCopy != nil {
			c.onCopy()
		}
		return
	}
	if cv := CanvasOf(c); cv != nil {
		if h, ok := cv.(interface{ TypedShortcut(fyne.Shortcut) }); ok {
			h.TypedShortcut(s)
		}
	}
}

func (c *CodeView) Cursor() desktop.Cursor { return desktop.PointerCursor }

// AccessibilityLabel reads the code one digit at a time, group by group:
// "Stadtverwaltung: max, code 4 9 2, 0 3 9, 17 seconds left".
func (c *CodeView) AccessibilityLabel() string {
	if c.code == "" {
		return lang.L("{{.Account}}, no code shown yet", map[string]any{"Account": c.account})
	}
	groups := strings.Fields(token.Group(c.code))
	for i, g := range groups {
		groups[i] = strings.Join(strings.Split(g, ""), " ")
	}
	digits := strings.Join(groups, ", ")
	if c.left > 0 {
		return lang.L("{{.Account}}, code {{.Digits}}, {{.Seconds}} seconds left; press Enter to copy",
			map[string]any{"Account": c.account, "Digits": digits, "Seconds": c.left})
	}
	return lang.L("{{.Account}}, code {{.Digits}}; press Enter to copy", map[string]any{"Account": c.account, "Digits": digits})
}

func (c *CodeView) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

func (c *CodeView) CreateRenderer() fyne.WidgetRenderer {
	r := &codeRenderer{c: c, text: canvas.NewText("", color.Black), ring: canvas.NewRectangle(color.Transparent)}
	// Bold, not monospace: the digits of Fyne's sans font are all as wide
	// as each other already, and every text style costs its own set of
	// parsed fonts (~3 MB of memory).
	r.text.TextStyle = fyne.TextStyle{Bold: true}
	r.ring.CornerRadius = theme.InputRadiusSize()
	r.Refresh()
	return r
}

type codeRenderer struct {
	c    *CodeView
	text *canvas.Text
	ring *canvas.Rectangle
}

func (r *codeRenderer) Layout(size fyne.Size) {
	r.ring.Resize(size)
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos((size.Width-ts.Width)/2, (size.Height-ts.Height)/2))
	r.text.Resize(ts)
}

func (r *codeRenderer) MinSize() fyne.Size {
	p := theme.Padding()
	widest := fyne.MeasureText(token.Group(strings.Repeat("0", max(r.c.digits, 6))), r.text.TextSize, r.text.TextStyle)
	return widest.Max(r.text.MinSize()).Add(fyne.NewSize(4*p, 2*p))
}

func (r *codeRenderer) Refresh() {
	r.text.Text = r.c.Text()
	r.text.TextSize = r.c.size * theme.TextSize()
	r.text.Color = theme.Color(theme.ColorNameForeground)
	// Focused, the code is tinted as a focused button is: a frame made it
	// look like a field to type into (issue 10, 2.19).
	r.ring.FillColor = color.Transparent
	if r.c.focused {
		r.ring.FillColor = theme.Color(theme.ColorNameFocus)
	}
	r.Layout(r.c.Size())
	r.text.Refresh()
	r.ring.Refresh()
}

func (r *codeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.ring, r.text} }

func (r *codeRenderer) Destroy() {}

// CanvasOf is the canvas o is shown on, or nil.
func CanvasOf(o fyne.CanvasObject) fyne.Canvas {
	if a := fyne.CurrentApp(); a != nil {
		return a.Driver().CanvasForObject(o)
	}
	return nil
}
