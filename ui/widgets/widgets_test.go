package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// The markup goldens in testdata/ show what each widget paints, as text
// that reads in a diff: its rectangles and texts, their sizes, positions
// and colours. A change to how a widget looks shows there.

func render(t *testing.T, name string, o fyne.CanvasObject, size fyne.Size) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, container.NewVBox(o))
	w.SetPadded(false)
	w.Resize(size)
	test.AssertRendersToMarkup(t, name, w.Canvas())
}

func TestCodeViewMarkup(t *testing.T) {
	t.Run("code", func(t *testing.T) {
		c := NewCodeView("Stadtverwaltung: max", 6, 2, func() {})
		c.Set("492039", 17)
		if c.Text() != "492 039" || c.Code() != "492039" || !c.CanCopy() {
			t.Errorf("text %q, code %q, can copy %v", c.Text(), c.Code(), c.CanCopy())
		}
		render(t, "codeview.xml", c, fyne.NewSize(240, 80))
	})
	t.Run("none yet", func(t *testing.T) {
		c := NewCodeView("Stadtverwaltung: max", 6, 2, nil)
		if c.CanCopy() {
			t.Error("a code view without onCopy copies")
		}
		render(t, "codeview_empty.xml", c, fyne.NewSize(240, 80))
	})
	t.Run("focused", func(t *testing.T) {
		c := NewCodeView("Stadtverwaltung: max", 8, 1, func() {})
		c.Set("94287082", 10)
		c.FocusGained()
		render(t, "codeview_focused.xml", c, fyne.NewSize(240, 60))
	})
}

func TestCountdownMarkup(t *testing.T) {
	t.Run("half", func(t *testing.T) {
		c := NewCountdown()
		c.Set(0.5, false, 15)
		if c.Frac() != 0.5 || c.Warning() || c.Left() != 15 {
			t.Errorf("frac %v, warning %v, left %d", c.Frac(), c.Warning(), c.Left())
		}
		render(t, "countdown.xml", c, fyne.NewSize(200, 20))
	})
	t.Run("warning", func(t *testing.T) {
		c := NewCountdown()
		c.Set(0.1, true, 3)
		render(t, "countdown_warning.xml", c, fyne.NewSize(200, 20))
	})
}

func TestGripMarkup(t *testing.T) {
	dragging := false
	newGrip := func() *Grip {
		return NewGrip("Stadtverwaltung: max", func(fyne.Position) { dragging = true }, func() { dragging = false }, func() bool { return dragging })
	}
	// The dots' raster at 12x20 pixels: a dot's centre has the colour,
	// the space between the dots none.
	dots := func(t *testing.T, g *Grip, want fyne.ThemeColorName) {
		t.Helper()
		img := test.WidgetRenderer(g).Objects()[0].(*canvas.Raster).Generator(12, 20)
		if got, want := img.At(2, 18), theme.Color(want); got != want {
			t.Errorf("a dot's centre is %v, want %v (%s)", got, want, want)
		}
		if _, _, _, a := img.At(6, 6).RGBA(); a != 0 {
			t.Errorf("between the dots alpha %d, want none", a)
		}
	}
	t.Run("resting", func(t *testing.T) {
		g := newGrip()
		render(t, "grip.xml", g, fyne.NewSize(40, 40))
		dots(t, g, theme.ColorNamePlaceHolder)
	})
	t.Run("hovered", func(t *testing.T) {
		g := newGrip()
		g.MouseIn(nil)
		if !g.Hovered() {
			t.Error("the pointer over the grip does not count as hovering")
		}
		render(t, "grip_hovered.xml", g, fyne.NewSize(40, 40))
		dots(t, g, theme.ColorNamePrimary)
	})
	t.Run("dragged", func(t *testing.T) {
		g := newGrip()
		g.Dragged(&fyne.DragEvent{})
		if !g.Active() || !dragging {
			t.Errorf("a dragged grip: active %v, onDrag called %v", g.Active(), dragging)
		}
		render(t, "grip_dragged.xml", g, fyne.NewSize(40, 40))
		dots(t, g, theme.ColorNamePrimary)
		g.DragEnd()
		if g.Active() || dragging {
			t.Errorf("after the drag: active %v, onEnd not called %v", g.Active(), dragging)
		}
		dots(t, g, theme.ColorNamePlaceHolder)
	})
}
