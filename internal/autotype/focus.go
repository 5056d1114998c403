package autotype

import (
	"context"
	"errors"
	"time"
)

// Errors of typing on Windows and macOS (said here, as every error of
// the package, so that every system's build can explain them).
var (
	// ErrBlocked: the system did not let the keys through to the window:
	// on Windows a program run as administrator takes no keys from one
	// that is not (User Interface Privilege Isolation).
	ErrBlocked = errors.New("the system did not let the keys through to that window: the code was not typed")
	// ErrNoPermission: macOS has not given softtoken the Accessibility
	// permission, without which it cannot type.
	ErrNoPermission = errors.New("softtoken may not type: give it the Accessibility permission (System Settings, Privacy & Security, Accessibility)")
)

// releaseWait is how long Type waits for the modifier keys to be let go
// before it gives up with ErrKeysHeld: a shortcut's keys are let go
// within moments of its press.
const releaseWait = 3 * time.Second

// focusPoll asks the system for the focused window: the window (0 for
// none) and whether it is softtoken's.
type focusPoll func() (w Window, own bool, err error)

// waitFocus is WaitFocus over poll, every interval: it waits until the
// focus is on a window other than from and not softtoken's, and has
// rested there for settle; it ends with ctx, with ErrNoFocus.
func waitFocus(ctx context.Context, poll focusPoll, from Window, settle, interval time.Duration) (Window, error) {
	var cand Window
	var since time.Time
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		w, own, err := poll()
		if err != nil {
			return 0, err
		}
		switch {
		case w == 0 || w == from || own:
			cand = 0
		case w != cand:
			cand, since = w, time.Now()
		case time.Since(since) >= settle:
			return w, nil
		}
		select {
		case <-ctx.Done():
			return 0, ErrNoFocus
		case <-tick.C:
		}
	}
}

// waitReleased polls held until it reports false, for at most wait;
// ErrKeysHeld after that.
func waitReleased(held func() bool, wait, interval time.Duration) error {
	deadline := time.Now().Add(wait)
	for held() {
		if time.Now().After(deadline) {
			return ErrKeysHeld
		}
		time.Sleep(interval)
	}
	return nil
}
