package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Fyne 2.8's screen-reader bridges (Windows UI Automation and macOS
// NSAccessibility, built with -tags accessibility) collect what a window
// offers to a screen reader by entering *fyne.Container objects only: an
// element inside a widget that holds others (the scroll around the
// account list, the preview's card and form) is never met, and neither is
// anything in a dialog (an overlay held by an internal widget). The
// reader layer stands in for those elements: one stand-in each, drawing
// nothing, in a plain container over the window's content, at the
// element's place, answering with the element's own label and role.
//
// It is kept up to date once a second and whenever the screen or a dialog
// changes, in builds with the bridge (readerLayer); builds without it pay
// nothing. Tests turn it on.

// readerLayer turns the layer on. Set by the accessibility build tag.
var readerLayer = accessibilityBuild

// reader is the layer: box lies over the window's content.
type reader struct {
	box     *fyne.Container
	proxies map[any]*standIn // by hidden.key
}

func newReader() *reader {
	return &reader{box: container.NewWithoutLayout(), proxies: map[any]*standIn{}}
}

// standIn is the layer's element for one the bridge cannot reach.
type standIn struct {
	widget.BaseWidget
	of fyne.Accessible
}

func (s *standIn) AccessibilityLabel() string             { return s.of.AccessibilityLabel() }
func (s *standIn) AccessibilityRole() fyne.AccessibleRole { return s.of.AccessibilityRole() }

func (s *standIn) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// text is an Accessible of fixed text: a form's field name, a dialog's
// title, which Fyne draws without a widget of their own.
type text string

func (t text) AccessibilityLabel() string             { return string(t) }
func (t text) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// hidden is one element the bridge cannot reach and where it is.
type hidden struct {
	key  any // the element, or for a text the object it is placed at and the text
	of   fyne.Accessible
	pos  fyne.Position
	size fyne.Size
}

// textKey is the key of a text placed at an object.
type textKey struct {
	at fyne.CanvasObject
	s  text
}

// startReader puts the layer over the window's content and keeps it up
// to date; no-op unless readerLayer.
func (a *App) startReader() {
	if !readerLayer {
		return
	}
	a.reader = newReader()
	a.win.SetContent(container.NewStack(a.body, a.reader.box))
	if a.noTicker {
		return // tests sync by hand
	}
	go func() {
		for range time.Tick(time.Second) {
			fyne.Do(a.syncReader)
		}
	}()
}

// syncReader brings the layer up to date with what the window shows.
func (a *App) syncReader() {
	if a.reader == nil {
		return
	}
	a.reader.sync(a.hiddenElements())
}

// hiddenElements lists, in reading order, the elements of the window a
// screen reader should meet and the bridge does not.
func (a *App) hiddenElements() []hidden {
	var out []hidden
	d := fyne.CurrentApp().Driver()
	add := func(o fyne.CanvasObject, acc fyne.Accessible, clip *[2]fyne.Position) {
		pos := d.AbsolutePositionForObject(o)
		if clip != nil {
			end := pos.Add(o.Size())
			if end.X <= clip[0].X || end.Y <= clip[0].Y || pos.X >= clip[1].X || pos.Y >= clip[1].Y {
				return // scrolled out of sight
			}
		}
		var key any = acc
		if t, ok := acc.(text); ok {
			key = textKey{o, t}
		}
		out = append(out, hidden{key: key, of: acc, pos: pos, size: o.Size()})
	}
	var visit func(o fyne.CanvasObject, reached bool, clip *[2]fyne.Position)
	visit = func(o fyne.CanvasObject, reached bool, clip *[2]fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				visit(c, reached, clip)
			}
			return
		case *container.Scroll:
			p := d.AbsolutePositionForObject(w)
			c := [2]fyne.Position{p, p.Add(w.Size())}
			visit(w.Content, false, &c)
			return
		case *widget.Card:
			if w.Title != "" {
				add(w, text(w.Title), clip)
			}
			visit(w.Content, false, clip)
			return
		case *widget.Form:
			for _, it := range w.Items {
				if it.Widget == nil || !it.Widget.Visible() {
					continue
				}
				if it.Text != "" {
					add(it.Widget, text(it.Text), clip)
				}
				visit(it.Widget, false, clip)
			}
			return
		}
		if acc, ok := o.(fyne.Accessible); ok && !reached {
			add(o, acc, clip)
		}
	}
	// Under a modal dialog the window behind is out of reach: only the
	// dialog is stood in for (Fyne's bridge still offers what it reaches
	// itself).
	if dl := a.dlg; !dl.open {
		visit(a.body, true, nil)
	} else {
		add(dl.content, text(dl.title), nil)
		visit(dl.content, false, nil)
		for _, b := range []*button{dl.cancel, dl.ok} {
			if b != nil && b.Visible() {
				add(b, b, nil)
			}
		}
	}
	return out
}

// sync makes the layer hold one stand-in per element of want, in order,
// each at its element's place. Stand-ins are kept for elements that stay.
func (r *reader) sync(want []hidden) {
	objs := make([]fyne.CanvasObject, 0, len(want))
	keep := make(map[any]*standIn, len(want))
	origin := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.box)
	for _, h := range want {
		if keep[h.key] != nil {
			continue // met twice: read once
		}
		s := r.proxies[h.key]
		if s == nil {
			s = &standIn{of: h.of}
			s.ExtendBaseWidget(s)
		}
		keep[h.key] = s
		s.Move(h.pos.Subtract(origin))
		s.Resize(h.size)
		objs = append(objs, s)
	}
	r.proxies = keep
	if !slices.Equal(objs, r.box.Objects) {
		r.box.Objects = objs
		r.box.Refresh()
	}
}
