package ui

import (
	"testing"
	"time"
)

// The rows keep their height when "next:" shows in the last 5 seconds
// (issue 10, 2.8): the buttons do not move under the pointer.
func TestRowKeepsHeightForNext(t *testing.T) {
	for _, links := range [][]string{{rfcLink, cityLink}, {rfcLink}} {
		st := newStore(t, links...)
		a, _ := newTestApp(t, st, time.Unix(50, 0)) // 10 s left
		r := a.main.rows[0]
		before := r.obj.MinSize().Height
		a.main.apply(compute(a.accounts, time.Unix(57, 0), nil)) // 3 s left: next: shows
		if r.next.Text == "" {
			t.Fatal("no next: line in the last seconds")
		}
		if after := r.obj.MinSize().Height; after != before {
			t.Errorf("%d accounts: a row is %v high, %v with next: shown", len(links), before, after)
		}
	}
}
