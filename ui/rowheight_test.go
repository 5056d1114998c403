package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// The rows keep their height and width when "next:" shows in the last 5
// seconds (issue 10, 2.8), in both languages: neither the buttons nor the
// names (which wrap where they are narrower) move under the pointer.
func TestRowKeepsHeightForNext(t *testing.T) {
	for _, l := range []string{"en", "de"} {
		for _, links := range [][]string{{rfcLink, cityLink}, {rfcLink}} {
			st := newStore(t, links...)
			a, fa := newTestApp(t, st, time.Unix(50, 0)) // 10 s left
			fa.Preferences().SetString(prefLanguage, l)
			a.relabel()
			a.win.Resize(fyne.NewSize(420, 520))
			r := a.main.rows[0]
			before := r.obj.MinSize()
			a.main.apply(compute(a.accounts, time.Unix(57, 0), nil)) // 3 s left: next: shows
			if r.next.Text == "" {
				t.Fatal("no next: line in the last seconds")
			}
			if after := r.obj.MinSize(); after != before {
				t.Errorf("%s, %d accounts: a row is %v, %v with next: shown", l, len(links), before, after)
			}
		}
	}
}
