package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/cityadmin/softtoken/token"
)

// focus tells the app that it gained (true) or lost the focus, as the
// desktop driver does: through the callbacks set on its lifecycle.
func focus(t *testing.T, fa fyne.App, in bool) {
	t.Helper()
	lc, ok := fa.Lifecycle().(interface {
		OnEnteredForeground() func()
		OnExitedForeground() func()
	})
	if !ok {
		t.Fatal("the lifecycle gives no access to its focus callbacks")
	}
	f := lc.OnExitedForeground()
	if in {
		f = lc.OnEnteredForeground()
	}
	if f == nil {
		t.Fatal("no focus callback is set")
	}
	f()
}

// TestQuietWindow: without the focus the window shows, second by second,
// only what changes at the two moments a glance needs (the last seconds,
// the new code), and what it shows in between stays true; with the focus
// back it counts every second again.
func TestQuietWindow(t *testing.T) {
	st := newStore(t, rfcLink)
	a, fa := newTestApp(t, st, time.Unix(50, 0))
	v := a.main
	r := v.rows[0]
	show := func(sec int64) { v.apply(a.quieten(compute(a.accounts, time.Unix(sec, 0), nil))) }
	type seen struct {
		code, left, next string
		frac             float32
		warning          bool
	}
	look := func() seen { return seen{r.code.Text(), r.left.Text, r.next.Text, r.bar.Frac(), r.bar.Warning()} }

	focus(t, fa, false)
	show(61) // 29 s left
	quiet := look()
	code61, _ := token.Code(r.acc, time.Unix(61, 0))
	want := seen{token.Group(code61), "> 5 s", "", 1, false}
	if quiet != want {
		t.Fatalf("quiet at 61 s: %+v, want %+v", quiet, want)
	}
	for sec := int64(62); sec <= 84; sec++ {
		show(sec)
		if got := look(); got != quiet {
			t.Fatalf("quiet at %d s the window changed: %+v, was %+v", sec, got, quiet)
		}
	}
	if r.bar.Left() != 6 {
		t.Errorf("the bar tells screen readers %d s left at 84 s, want the exact 6", r.bar.Left())
	}

	// The last seconds: the next code shows, the bar warns; then nothing
	// moves until the new code.
	show(85)
	next, _ := token.Code(r.acc, time.Unix(90, 0))
	warn := look()
	want = seen{token.Group(code61), "≤ 5 s", "next: " + token.Group(next), float32(5) / 30, true}
	if warn != want {
		t.Fatalf("quiet at 85 s: %+v, want %+v", warn, want)
	}
	for sec := int64(86); sec <= 89; sec++ {
		show(sec)
		if got := look(); got != warn {
			t.Fatalf("quiet at %d s the window changed: %+v, was %+v", sec, got, warn)
		}
	}
	show(90)
	if got, want := look(), (seen{token.Group(next), "> 5 s", "", 1, false}); got != want {
		t.Fatalf("quiet at 90 s (a new period): %+v, want %+v", got, want)
	}

	// The focus back: every second counts again.
	focus(t, fa, true)
	show(91)
	if got, want := look(), (seen{token.Group(next), "29 s", "", float32(29) / 30, false}); got != want {
		t.Fatalf("focused at 91 s: %+v, want %+v", got, want)
	}
	show(92)
	if r.left.Text != "28 s" {
		t.Errorf("focused at 92 s the seconds read %q, want 28 s", r.left.Text)
	}
}

// TestQuietShortPeriod: a period no longer than the warning is all last
// seconds; the quiet window then changes with each code only.
func TestQuietShortPeriod(t *testing.T) {
	for _, tc := range []struct {
		s          rowState
		bar        int
		text       string
		unquietBar int
	}{
		{rowState{left: 17, period: 30, quiet: true}, 30, "> 5 s", 17},
		{rowState{left: 6, period: 30, quiet: true}, 30, "> 5 s", 6},
		{rowState{left: 5, period: 30, quiet: true}, 5, "≤ 5 s", 5},
		{rowState{left: 1, period: 30, quiet: true}, 5, "≤ 5 s", 1},
		{rowState{left: 3, period: 4, quiet: true}, 4, "≤ 4 s", 3},
		{rowState{left: 40, period: 60, quiet: true}, 60, "> 5 s", 40},
	} {
		bar, text := shownLeft(tc.s)
		if bar != tc.bar || text != tc.text {
			t.Errorf("quiet %+v: bar %d %q, want %d %q", tc.s, bar, text, tc.bar, tc.text)
		}
		tc.s.quiet = false
		if bar, _ := shownLeft(tc.s); bar != tc.unquietBar {
			t.Errorf("focused %+v: bar %d, want %d", tc.s, bar, tc.unquietBar)
		}
	}
}

// TestQuietUntouched: with the focus the window counts every second while
// it is in use; untouched for quietAfter it goes quiet as without the
// focus, and a key, the pointer moving over it or the focus coming back
// make it count again at the next tick.
func TestQuietUntouched(t *testing.T) {
	st := newStore(t, rfcLink)
	now := time.Unix(60, 0)
	a := openTestApp(t, test.NewTempApp(t), st, now, func(o *Options) {
		o.Now = func() time.Time { return now }
	})
	r := a.main.rows[0]
	show := func() { a.main.apply(a.quieten(compute(a.accounts, now, nil))) }
	at := func(sec int64, want string) {
		t.Helper()
		now = time.Unix(sec, 0)
		show()
		if r.left.Text != want {
			t.Fatalf("at %d s the seconds read %q, want %q", sec, r.left.Text, want)
		}
	}
	focus(t, a.fa, true) // focused at 60 s
	at(61, "29 s")
	at(74, "16 s") // 14 s untouched: still counting
	at(75, "> 5 s")
	at(84, "> 5 s")
	if r.bar.Left() != 6 {
		t.Errorf("the bar tells screen readers %d s left, want the exact 6", r.bar.Left())
	}

	watch := a.win.Content().(*fyne.Container).Objects[0].(*inputWatch)
	watch.MouseMoved(&desktop.MouseEvent{}) // the pointer crosses the window at 84 s
	at(85, "5 s")
	at(98, "22 s")
	at(99, "> 5 s") // 15 s later: quiet again
	at(116, "≤ 5 s")
	if r.next.Text == "" {
		t.Error("the quiet window's last seconds show no next code")
	}

	a.win.Canvas().(test.WindowlessCanvas).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDown}) // a key at 116 s
	at(117, "3 s")
	at(131, "> 5 s")

	focus(t, a.fa, false)
	at(132, "> 5 s")
	focus(t, a.fa, true) // the focus comes back at 132 s
	at(133, "17 s")
}
