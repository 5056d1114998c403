package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// bridgeWalk calls fn for every element Fyne 2.8.1's screen-reader bridge
// hands to the system (internal/driver/glfw/accessibility_windows.go;
// the macOS one enters the same objects): from the window's content and
// each overlay, every visible fyne.Accessible that is not a container,
// entering *fyne.Container objects only.
func bridgeWalk(c fyne.Canvas, fn func(fyne.Accessible)) {
	var visit func(o fyne.CanvasObject)
	visit = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if acc, ok := o.(fyne.Accessible); ok && acc.AccessibilityRole() != fyne.AccessibleRoleContainer {
			fn(acc)
		}
		if cont, ok := o.(*fyne.Container); ok {
			for _, ch := range cont.Objects {
				visit(ch)
			}
		}
	}
	visit(c.Content())
	for _, o := range c.Overlays().List() {
		visit(o)
	}
}

// reached lists what the bridge reaches, stand-ins resolved to the
// element they stand for.
func reached(c fyne.Canvas) (map[fyne.Accessible]bool, []string) {
	got := map[fyne.Accessible]bool{}
	var labels []string
	bridgeWalk(c, func(acc fyne.Accessible) {
		if s, ok := acc.(*standIn); ok {
			acc = s.of
		}
		got[acc] = true
		labels = append(labels, acc.AccessibilityLabel())
	})
	return got, labels
}

// TestScreenReaderReachesEveryControl: with the reader layer, every
// labelled element of every screen and dialog reaches a screen reader
// through Fyne's bridge, and its stand-in sits where the element is.
func TestScreenReaderReachesEveryControl(t *testing.T) {
	readerLayer = true
	defer func() { readerLayer = accessibilityBuild }()
	a, _ := newTestApp(t, newStore(t, rfcLink, hotpLink, cityLink), time.Unix(50, 0))
	a.win.Resize(fyne.NewSize(480, 1000)) // every row in sight
	d := fyne.CurrentApp().Driver()
	screens(t, a, func(name string) {
		a.syncReader()
		got, labels := reached(a.win.Canvas())
		// Under a modal dialog, the dialog is what must be read.
		meet := func(fn func(fyne.CanvasObject)) { walk(a.win.Canvas(), fn) }
		if a.dlg.open {
			meet = func(fn func(fyne.CanvasObject)) {
				for _, o := range a.win.Canvas().Overlays().List() {
					walkObject(o, fn)
				}
			}
		}
		meet(func(o fyne.CanvasObject) {
			acc, ok := o.(fyne.Accessible)
			if _, layer := o.(*standIn); layer || !ok || strings.TrimSpace(acc.AccessibilityLabel()) == "" {
				return
			}
			if l, ok := o.(*widget.Label); ok && slices.Contains(labels, l.Text) {
				return // a form field's name, a title: met as text
			}
			if !got[acc] {
				t.Errorf("%s: %T %q does not reach a screen reader", name, o, acc.AccessibilityLabel())
			}
		})
		for _, s := range a.reader.box.Objects {
			s := s.(*standIn)
			o, ok := s.of.(fyne.CanvasObject)
			if !ok {
				continue // a text: a form field's name, a title
			}
			if want := d.AbsolutePositionForObject(o).Subtract(d.AbsolutePositionForObject(a.reader.box)); s.Position() != want || s.Size() != o.Size() {
				t.Errorf("%s: the stand-in of %q is at %v %v, the element at %v %v", name, s.AccessibilityLabel(), s.Position(), s.Size(), want, o.Size())
			}
		}
		if name == "main" || name == "rename" {
			t.Logf("%s reads: %s", name, strings.Join(labels, " | "))
		}
	})

	// Without the layer the bridge misses the account list: what the
	// layer does is needed, and the check above can fail.
	a.showMain()
	a.reader.box.Objects = nil
	got, _ := reached(a.win.Canvas())
	for _, r := range a.main.rows {
		if got[r.code] {
			t.Errorf("the bridge reached %q without the layer", r.code.AccessibilityLabel())
		}
	}
}
