package ui

import (
	"image/color"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/cityadmin/softtoken/ui/widgets"
)

// gripColor is the colour of g's dots: the centre of the first dot of
// its raster, drawn at 12x20 pixels.
func gripColor(g *widgets.Grip) color.Color {
	img := test.WidgetRenderer(g).Objects()[0].(*canvas.Raster).Generator(12, 20)
	return img.At(2, 2)
}

// countingStore counts the moves that reach the store.
type countingStore struct {
	Store
	moves int
}

func (s *countingStore) Move(id string, to int) error {
	s.moves++
	return s.Store.Move(id, to)
}

// storedOrder is the store's order of the accounts, by issuer.
func storedOrder(t *testing.T, st Store) string {
	t.Helper()
	accs, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range accs {
		out = append(out, a.Issuer)
	}
	return strings.Join(out, ", ")
}

// shownOrder is the order of the rows the window shows, by title.
func shownOrder(v *mainView) string {
	var out []string
	for i, r := range v.rows {
		if v.list.Objects[i] != r.obj {
			return "rows and list differ"
		}
		out = append(out, r.title.Text)
	}
	return strings.Join(out, ", ")
}

// absPos is where o is on its canvas.
func absPos(o fyne.CanvasObject) fyne.Position {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
}

// within is the point on the canvas at the grip's left and frac of the way
// down row r: 0.25 is above its middle, 0.75 below.
func within(r *row, frac float32) fyne.Position {
	p := absPos(r.obj)
	return fyne.NewPos(absPos(r.grip).X+r.grip.Size().Width/2, p.Y+frac*r.obj.Size().Height)
}

// dragThrough drags r by its grip through points (on the canvas) without
// letting go, with the events Fyne's desktop driver sends: the pointer on
// the canvas, its position relative to where the grip was when the drag
// began, and how far it moved since the last event.
func dragThrough(r *row, points ...fyne.Position) {
	origin := absPos(r.grip)
	last := origin.Add(fyne.NewPos(r.grip.Size().Width/2, r.grip.Size().Height/2))
	for _, p := range points {
		r.grip.Dragged(&fyne.DragEvent{
			PointEvent: fyne.PointEvent{AbsolutePosition: p, Position: p.Subtract(origin)},
			Dragged:    fyne.NewDelta(p.X-last.X, p.Y-last.Y),
		})
		last = p
	}
}

// drag drags r through points and lets go.
func drag(r *row, points ...fyne.Position) {
	dragThrough(r, points...)
	r.grip.DragEnd()
}

// fourAccounts opens a window on RFC, Stadtverwaltung, VPN Gateway and
// Gateway (HOTP), in that order, tall enough to show them all.
func fourAccounts(t *testing.T) (*App, *countingStore) {
	t.Helper()
	st := &countingStore{Store: newStore(t, rfcLink, cityLink, vpnLink, hotpLink)}
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	a.win.Resize(fyne.NewSize(480, 1000))
	if got := shownOrder(a.main); got != "RFC, Stadtverwaltung, VPN Gateway, Gateway" {
		t.Fatalf("the window shows %s", got)
	}
	return a, st
}

func TestDragReorders(t *testing.T) {
	a, st := fourAccounts(t)
	v := a.main

	// RFC down by two rows: over Stadtverwaltung, then below the middle of
	// VPN Gateway.
	drag(v.rows[0], within(v.rows[1], 0.5), within(v.rows[2], 0.75))
	want := "Stadtverwaltung, VPN Gateway, RFC, Gateway"
	if got := storedOrder(t, st); got != want {
		t.Errorf("after dragging RFC down by two the store holds %s, want %s", got, want)
	}
	if got := shownOrder(v); got != want {
		t.Errorf("after dragging RFC down by two the window shows %s, want %s", got, want)
	}
	if st.moves != 1 {
		t.Errorf("the drag wrote the order %d times, want once", st.moves)
	}
	if a.win.Canvas().Focused() != v.rows[2].code {
		t.Errorf("the moved account's code does not have the keyboard")
	}

	// And up by one: above the middle of VPN Gateway.
	drag(v.rows[2], within(v.rows[1], 0.25))
	want = "Stadtverwaltung, RFC, VPN Gateway, Gateway"
	if got := storedOrder(t, st); got != want {
		t.Errorf("after dragging RFC up by one the store holds %s, want %s", got, want)
	}
	if got := shownOrder(v); got != want {
		t.Errorf("after dragging RFC up by one the window shows %s, want %s", got, want)
	}
	if st.moves != 2 || v.dropLayer.Visible() {
		t.Errorf("after two drags: %d writes, drop line shown %v", st.moves, v.dropLayer.Visible())
	}

	// A drag from the last row to the first.
	drag(v.rows[3], within(v.rows[0], 0.1))
	want = "Gateway, Stadtverwaltung, RFC, VPN Gateway"
	if got := storedOrder(t, st); got != want {
		t.Errorf("after dragging Gateway to the top the store holds %s, want %s", got, want)
	}
}

func TestDragToWhereItWasWritesNothing(t *testing.T) {
	a, st := fourAccounts(t)
	v := a.main
	a.setStatus("")
	for _, c := range []struct {
		name   string
		points []fyne.Position
	}{
		{"a little down", []fyne.Position{within(v.rows[1], 0.7)}},
		{"a little up", []fyne.Position{within(v.rows[1], 0.3)}},
		{"to just above the middle of the next row", []fyne.Position{within(v.rows[2], 0.45)}},
		{"to just below the middle of the row before", []fyne.Position{within(v.rows[0], 0.55)}},
		{"away and back", []fyne.Position{within(v.rows[3], 0.9), within(v.rows[0], 0.1), within(v.rows[1], 0.5)}},
	} {
		drag(v.rows[1], c.points...)
		if st.moves != 0 || a.status.Text != "" {
			t.Fatalf("a drag %s wrote the order %d times; status %q", c.name, st.moves, a.status.Text)
		}
		if v.dropLayer.Visible() {
			t.Errorf("after a drag %s the drop line is still shown", c.name)
		}
	}
	if got := storedOrder(t, st); got != "RFC, Stadtverwaltung, VPN Gateway, Gateway" {
		t.Errorf("the store holds %s", got)
	}
}

func TestDragOutsideTheListClamps(t *testing.T) {
	st := &countingStore{Store: newStore(t, rfcLink, cityLink, vpnLink, hotpLink)}
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	a.win.Resize(fyne.NewSize(480, 300)) // the compact rows fit 520 px: the list scrolls in 300
	v := a.main
	if v.list.MinSize().Height <= v.scroll.Size().Height {
		t.Fatalf("the list (%v high) fits its %v: this test needs it to scroll", v.list.MinSize().Height, v.scroll.Size().Height)
	}
	x := within(v.rows[1], 0.5).X

	drag(v.rows[1], fyne.NewPos(x, 5000)) // far below the window
	if got, want := storedOrder(t, st), "RFC, VPN Gateway, Gateway, Stadtverwaltung"; got != want {
		t.Errorf("dropped below the window: %s, want %s", got, want)
	}
	drag(v.rows[2], fyne.NewPos(-300, -300)) // above and left of it
	if got, want := storedOrder(t, st), "Gateway, RFC, VPN Gateway, Stadtverwaltung"; got != want {
		t.Errorf("dropped above the window: %s, want %s", got, want)
	}

	// Below the list, the list scrolls to its end at once, where the line
	// shows.
	dragThrough(v.rows[0], fyne.NewPos(x, 5000))
	if most := v.scroll.Content.Size().Height - v.scroll.Size().Height; v.scroll.Offset.Y != most {
		t.Errorf("dragged below the list it is scrolled to %v, want its end %v", v.scroll.Offset.Y, most)
	}
	if y := v.dropLine.Position().Y; y < v.list.Size().Height-2*dropLine {
		t.Errorf("the drop line is at %v, want at the end of the list (%v)", y, v.list.Size().Height)
	}
	// Just above the list, scrolled down, it is the first place at once,
	// not the row that was shown at the top.
	dragThrough(v.rows[0], fyne.NewPos(x, absPos(v.scroll).Y-2))
	if v.scroll.Offset.Y != 0 || v.drag.slot != 0 {
		t.Errorf("dragged just above the scrolled list: scrolled to %v, landing at %d; want 0, 0", v.scroll.Offset.Y, v.drag.slot)
	}
	v.rows[0].grip.DragEnd()
	if st.moves != 2 {
		t.Errorf("%d writes for two drags and one back to where it was", st.moves)
	}
}

func TestDragShowsWhereItLands(t *testing.T) {
	a, st := fourAccounts(t)
	v := a.main
	g := v.rows[0].grip
	dragThrough(v.rows[0], within(v.rows[1], 0.8))
	if !v.dropLayer.Visible() || !g.Active() {
		t.Fatalf("while dragging: drop line shown %v, grip active %v", v.dropLayer.Visible(), g.Active())
	}
	above, below := v.rows[1].obj, v.rows[2].obj
	y := v.dropLine.Position().Y + dropLine/2
	if y < above.Position().Y+above.Size().Height-dropLine || y > below.Position().Y+dropLine {
		t.Errorf("the drop line is at %v, want between Stadtverwaltung (ends %v) and VPN Gateway (starts %v)",
			y, above.Position().Y+above.Size().Height, below.Position().Y)
	}
	if v.dropLine.Size().Width != v.list.Size().Width || v.dropLine.FillColor != theme.Color(theme.ColorNamePrimary) {
		t.Errorf("the drop line is %v wide in %v; want the list's width %v", v.dropLine.Size().Width, v.dropLine.FillColor, v.list.Size().Width)
	}
	if v.dropShade.Position() != v.rows[0].obj.Position() || v.dropShade.Size() != v.rows[0].obj.Size() {
		t.Errorf("the shade is at %v %v, want over the row dragged at %v %v",
			v.dropShade.Position(), v.dropShade.Size(), v.rows[0].obj.Position(), v.rows[0].obj.Size())
	}
	if st.moves != 0 {
		t.Errorf("the order was written before the drop")
	}
	g.DragEnd()
	if v.dropLayer.Visible() || g.Active() {
		t.Errorf("after the drop: drop line shown %v, grip active %v", v.dropLayer.Visible(), g.Active())
	}
	if got, want := storedOrder(t, st), "Stadtverwaltung, RFC, VPN Gateway, Gateway"; got != want {
		t.Errorf("after the drop the store holds %s, want %s", got, want)
	}
}

// TestDragAutoScrolls: holding the pointer near the bottom of a list that
// does not fit scrolls it, and a drop there after it reached its end puts
// the row last.
func TestDragAutoScrolls(t *testing.T) {
	st := &countingStore{Store: newStore(t, rfcLink, cityLink, vpnLink, hotpLink)}
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	a.win.Resize(fyne.NewSize(480, 300)) // the list scrolls
	v := a.main
	top, h := absPos(v.scroll).Y, v.scroll.Size().Height
	x := within(v.rows[0], 0.5).X
	dragThrough(v.rows[0], fyne.NewPos(x, top+h/2))
	if v.scroll.Offset.Y != 0 || v.drag.anim != nil {
		t.Fatalf("in the middle of the list: scrolled to %v, auto-scroll %v", v.scroll.Offset.Y, v.drag.anim != nil)
	}
	near := fyne.NewPos(x, top+h-4)
	dragThrough(v.rows[0], near)
	if v.scroll.Offset.Y <= 0 || v.drag.anim == nil {
		// Fyne's test driver runs one frame of an animation when it starts.
		t.Fatalf("near the bottom edge: scrolled to %v, auto-scroll %v", v.scroll.Offset.Y, v.drag.anim != nil)
	}
	for i := 0; i < 1000 && v.drag.anim != nil; i++ {
		v.scrollFrame() // the frames the desktop driver would run
	}
	if most := v.scroll.Content.Size().Height - h; v.scroll.Offset.Y != most || v.drag.anim != nil {
		t.Errorf("after auto-scrolling: at %v of %v, still scrolling %v", v.scroll.Offset.Y, most, v.drag.anim != nil)
	}
	v.rows[0].grip.DragEnd()
	if got, want := storedOrder(t, st), "Stadtverwaltung, VPN Gateway, Gateway, RFC"; got != want {
		t.Errorf("dropped at the end of the scrolled list: %s, want %s", got, want)
	}
	if st.moves != 1 {
		t.Errorf("%d writes", st.moves)
	}
}

// TestMoveFiltered: with a search, a row dropped above or below another
// row shown lands right before or after that account in the whole order,
// past Stadtverwaltung, hidden between them. The menu and Alt+Up/Down move
// among the rows shown the same way.
func TestMoveFiltered(t *testing.T) {
	for _, c := range []struct {
		name       string
		move       func(t *testing.T, a *App)
		want, show string
	}{
		{"VPN Gateway dragged below Gateway", func(t *testing.T, a *App) {
			drag(a.main.rows[0], within(a.main.rows[1], 0.75))
		}, "RFC, Stadtverwaltung, Gateway, VPN Gateway", "Gateway, VPN Gateway"},
		{"Gateway dragged above VPN Gateway", func(t *testing.T, a *App) {
			drag(a.main.rows[1], within(a.main.rows[0], 0.25))
		}, "RFC, Gateway, VPN Gateway, Stadtverwaltung", "Gateway, VPN Gateway"},
		{"VPN Gateway moved down in its menu", func(t *testing.T, a *App) {
			menuItem(t, a.main.rows[0], "Move down").Action()
		}, "RFC, Stadtverwaltung, Gateway, VPN Gateway", "Gateway, VPN Gateway"},
		{"Gateway moved up in its menu", func(t *testing.T, a *App) {
			menuItem(t, a.main.rows[1], "Move up").Action()
		}, "RFC, Gateway, VPN Gateway, Stadtverwaltung", "Gateway, VPN Gateway"},
		{"Alt+Down on VPN Gateway", func(t *testing.T, a *App) {
			a.win.Canvas().Focus(a.main.rows[0].code)
			typeShortcut(t, a.win.Canvas(), shortcutMoveDown)
		}, "RFC, Stadtverwaltung, Gateway, VPN Gateway", "Gateway, VPN Gateway"},
		{"VPN Gateway dragged onto itself", func(t *testing.T, a *App) {
			drag(a.main.rows[0], within(a.main.rows[1], 0.25))
		}, "RFC, VPN Gateway, Stadtverwaltung, Gateway", "VPN Gateway, Gateway"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := &countingStore{Store: newStore(t, rfcLink, vpnLink, cityLink, hotpLink)}
			a, _ := newTestApp(t, st, time.Unix(50, 0))
			a.win.Resize(fyne.NewSize(480, 1000))
			v := a.main
			test.Type(v.search, "gate")
			if got := shownOrder(v); got != "VPN Gateway, Gateway" {
				t.Fatalf("search gate shows %s", got)
			}
			if !menuItem(t, v.rows[0], "Move up").Disabled || !menuItem(t, v.rows[1], "Move down").Disabled {
				t.Errorf("the first row shown can move up or the last down")
			}
			c.move(t, a)
			if got := storedOrder(t, st); got != c.want {
				t.Errorf("the store holds %s, want %s", got, c.want)
			}
			if got := shownOrder(v); got != c.show || v.search.Text != "gate" {
				t.Errorf("the window shows %s for %q, want %s for gate", got, v.search.Text, c.show)
			}
			writes := 1
			if c.want == "RFC, VPN Gateway, Stadtverwaltung, Gateway" {
				writes = 0 // where it was
			}
			if st.moves != writes {
				t.Errorf("%d writes, want %d", st.moves, writes)
			}
			v.search.SetText("")
			if got := shownOrder(v); got != c.want {
				t.Errorf("without the search the window shows %s, want %s", got, c.want)
			}
		})
	}
}

// typeShortcut presses s as Fyne's desktop driver does when the focused
// widget takes no shortcuts: it hands s to the canvas (a focused code
// hands on all but Ctrl+C to it).
// Fyne's test canvas keeps that handler in the canvas it wraps.
func typeShortcut(t *testing.T, c fyne.Canvas, s fyne.Shortcut) {
	t.Helper()
	var sc any = c
	if w := reflect.ValueOf(c); w.Kind() == reflect.Pointer && w.Elem().Kind() == reflect.Struct {
		if f := w.Elem().FieldByName("WindowlessCanvas"); f.IsValid() {
			sc = f.Interface()
		}
	}
	h, ok := sc.(fyne.Shortcutable)
	if !ok {
		t.Fatalf("cannot type shortcuts on %T", c)
	}
	h.TypedShortcut(s)
}

func TestAltArrowsMoveTheFocusedAccount(t *testing.T) {
	a, st := fourAccounts(t)
	v, c := a.main, a.win.Canvas()
	c.Focus(v.rows[1].code)
	typeShortcut(t, c, shortcutMoveUp)
	if got, want := storedOrder(t, st), "Stadtverwaltung, RFC, VPN Gateway, Gateway"; got != want {
		t.Fatalf("Alt+Up on Stadtverwaltung: %s, want %s", got, want)
	}
	if c.Focused() != v.rows[0].code {
		t.Fatalf("after Alt+Up the keyboard is not on the moved code")
	}
	typeShortcut(t, c, shortcutMoveUp) // already first
	if st.moves != 1 {
		t.Errorf("Alt+Up on the first account wrote the order")
	}
	typeShortcut(t, c, shortcutMoveDown)
	typeShortcut(t, c, shortcutMoveDown)
	if got, want := storedOrder(t, st), "RFC, VPN Gateway, Stadtverwaltung, Gateway"; got != want {
		t.Errorf("Alt+Down twice: %s, want %s", got, want)
	}
	c.Focus(v.search)
	typeShortcut(t, c, shortcutMoveDown)
	if st.moves != 3 {
		t.Errorf("Alt+Down in the search field moved an account")
	}
	if it := menuItem(t, v.rows[0], "Move down"); it.Shortcut != shortcutMoveDown {
		t.Errorf("the menu does not show Alt+Down beside Move down")
	}
}

func TestGrip(t *testing.T) {
	a, _ := fourAccounts(t)
	g := a.main.rows[0].grip
	want := "Drag to reorder RFC: alice. With the keyboard: Alt+Up or Alt+Down while its code has the focus."
	if got := g.AccessibilityLabel(); got != want {
		t.Errorf("the grip reads %q, want %q", got, want)
	}
	// The grip is where the pointer finds it, at the row's left, and
	// shows that it can be taken.
	row := a.main.rows[0].obj
	if gp, rp := absPos(g), absPos(row); gp.X-rp.X > theme.Padding() || g.Size().Height < row.Size().Height/2 {
		t.Errorf("the grip is at %v, %v high, in the row at %v, %v high", gp, g.Size().Height, rp, row.Size().Height)
	}
	test.MoveMouse(a.win.Canvas(), absPos(g).Add(fyne.NewPos(g.Size().Width/2, g.Size().Height/2)))
	if !g.Hovered() || gripColor(g) != theme.Color(theme.ColorNamePrimary) {
		t.Errorf("the pointer over the grip's middle does not light it")
	}
	test.MoveMouse(a.win.Canvas(), fyne.NewPos(300, 5))
	if g.Hovered() || gripColor(g) != theme.Color(theme.ColorNamePlaceHolder) {
		t.Errorf("the grip stays lit when the pointer leaves it")
	}
	// Dragging another row over it does not light it: only the row
	// dragged has a lit grip.
	other := a.main.rows[1].grip
	dragThrough(a.main.rows[1], within(a.main.rows[0], 0.5))
	test.MoveMouse(a.win.Canvas(), absPos(g).Add(fyne.NewPos(g.Size().Width/2, g.Size().Height/2)))
	if gripColor(g) != theme.Color(theme.ColorNamePlaceHolder) || gripColor(other) != theme.Color(theme.ColorNamePrimary) {
		t.Errorf("while dragging Stadtverwaltung over RFC: RFC's grip %v, Stadtverwaltung's %v", gripColor(g), gripColor(other))
	}
	other.DragEnd()

	one, _ := newTestApp(t, newStore(t, cityLink), time.Unix(50, 0))
	if one.main.rows[0].grip != nil {
		t.Errorf("the only account, shown big, has a grip")
	}
	walk(one.win.Canvas(), func(o fyne.CanvasObject) {
		if _, ok := o.(*widgets.Grip); ok {
			t.Errorf("the window with one account shows a grip")
		}
	})
}
