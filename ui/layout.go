package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// contentWidth is the widest the window's content is laid out: in a wider
// window it stays this wide, centred, so that a row's code, its Copy
// button and its name stay within one look (issue 10, 2.14: in a full-HD
// window Copy sat 1,200 px from its code).
const contentWidth = 720

// capWidth lays its objects out at most max wide, centred, and as high as
// the space given.
type capWidth struct{ max float32 }

func (l capWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}

func (l capWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, max(l.max, l.MinSize(objs).Width))
	pos := fyne.NewPos((size.Width-w)/2, 0)
	for _, o := range objs {
		o.Move(pos)
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

// checkLabel is the text beside a check box, wrapped to the width there
// is: a Check's own text never wraps, and a long German one widened the
// window (issue 10, 2.14). Tapping it toggles the box, as tapping a
// check's own text does.
type checkLabel struct {
	widget.Label
	c *check
}

func (l *checkLabel) Tapped(*fyne.PointEvent) {
	if !l.c.Disabled() {
		l.c.SetChecked(!l.c.Checked)
	}
}

// wrapped lays c out with its text wrapping beside the box; c keeps its
// text for screen readers (check.AccessibilityLabel).
func (c *check) wrapped() fyne.CanvasObject {
	c.label = c.Text
	c.Text = ""
	l := &checkLabel{c: c}
	l.Text = c.label
	l.Wrapping = fyne.TextWrapWord
	l.ExtendBaseWidget(l)
	return container.NewBorder(nil, nil, container.NewCenter(c), nil, l)
}
