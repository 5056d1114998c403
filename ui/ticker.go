package ui

import (
	"context"
	"maps"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/token"
)

// rowState is what the ticker computed for one account at one instant.
type rowState struct {
	id         string
	code, next string
	left       int
	period     int
	err        error
	quiet      bool // shown while nobody looks (see quiet.go)
}

// compute works out the TOTP codes of accs at now, corrected by corr
// where a server's clock was found off. It reads only its arguments, so
// the ticker runs it off the event goroutine.
func compute(accs []token.Account, now time.Time, corr launcher.Corrections) []rowState {
	out := make([]rowState, 0, len(accs))
	for _, a := range accs {
		if a.Type != token.TOTP || a.Secret == nil {
			continue
		}
		s := rowState{id: a.ID, period: a.Period}
		at := corr.At(a, now)
		s.code, s.err = token.Code(a, at)
		s.left = token.SecondsLeft(a, at)
		if s.left <= 5 {
			s.next, _ = token.NextCode(a, at)
		}
		out = append(out, s)
	}
	return out
}

// apply shows what compute found, touching only what changed. Event
// goroutine only.
func (v *mainView) apply(states []rowState) {
	for _, s := range states {
		r := v.byID[s.id]
		if r == nil || r.err != nil {
			continue // filtered out, or no secret
		}
		if s.err != nil {
			r.err = s.err
			r.sub.SetText(explain(s.err))
			r.copy.Disable()
			continue
		}
		r.code.Set(s.code, s.left)
		next := ""
		if s.next != "" {
			next = lang.L("next: {{.Code}}", map[string]any{"Code": token.Group(s.next)})
		}
		if r.next.Text != next {
			r.next.SetText(next)
			if r.grip != nil { // a compact row: the next code takes the seconds' place
				r.left.Hidden = next != ""
			}
		}
		barLeft, left := shownLeft(s)
		if r.left.Text != left {
			r.left.SetText(left)
		}
		r.bar.Set(float32(barLeft)/float32(s.period), s.left <= 5, s.left)
	}
}

// restartTicker starts computing the codes of the accounts shown, once a
// second, stopping the ticker of an older list. Nothing ticks while the
// window is hidden or no TOTP account is there.
func (a *App) restartTicker() {
	a.stopTicker()
	var accs []token.Account
	for _, acc := range a.accounts {
		if acc.Type == token.TOTP && acc.Secret != nil {
			accs = append(accs, acc)
		}
	}
	if a.hidden || a.noTicker || len(accs) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.stopTick = cancel
	corr := maps.Clone(a.corr) // the ticker's own copy
	go tick(ctx, accs, a.now, corr, func(states []rowState) {
		if ctx.Err() == nil {
			a.main.apply(a.quieten(states))
		}
	})
}

func (a *App) stopTicker() {
	if a.stopTick != nil {
		a.stopTick()
		a.stopTick = nil
	}
}

// tick computes the codes of accs at every whole second until ctx ends and
// hands each second's result to show with one fyne.Do.
func tick(ctx context.Context, accs []token.Account, now func() time.Time, corr launcher.Corrections, show func([]rowState)) {
	for {
		wait := time.Second - time.Duration(now().Nanosecond())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		states := compute(accs, now(), corr)
		fyne.Do(func() { show(states) })
	}
}
