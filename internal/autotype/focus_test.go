package autotype

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestWaitFocus: the focus must move to another window than the one it
// was on, not softtoken's, and rest there.
func TestWaitFocus(t *testing.T) {
	// The focus, poll by poll: the window it was on, softtoken's own, a
	// window that has it for a moment only, then one that keeps it.
	steps := []struct {
		w   Window
		own bool
	}{{7, false}, {0, false}, {9, true}, {9, true}, {3, false}, {5, false}, {5, false}, {5, false}, {5, false}}
	i := 0
	poll := func() (Window, bool, error) {
		s := steps[min(i, len(steps)-1)]
		i++
		return s.w, s.own, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	w, err := waitFocus(ctx, poll, 7, 2*time.Millisecond, time.Millisecond)
	if err != nil || w != 5 {
		t.Fatalf("waitFocus: %v, %v; want window 5", w, err)
	}
	// Only the window it was on, or softtoken's: ErrNoFocus at the end.
	short, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if _, err := waitFocus(short, func() (Window, bool, error) { return 7, false, nil }, 7, 0, time.Millisecond); !errors.Is(err, ErrNoFocus) {
		t.Errorf("on the window it was on: %v", err)
	}
	if _, err := waitFocus(short, func() (Window, bool, error) { return 9, true, nil }, 7, 0, time.Millisecond); !errors.Is(err, ErrNoFocus) {
		t.Errorf("on softtoken's window: %v", err)
	}
	boom := errors.New("boom")
	if _, err := waitFocus(context.Background(), func() (Window, bool, error) { return 0, false, boom }, 0, 0, time.Millisecond); err != boom {
		t.Errorf("a poll's error: %v", err)
	}
}

func TestWaitReleased(t *testing.T) {
	n := 0
	if err := waitReleased(func() bool { n++; return n < 3 }, time.Second, time.Millisecond); err != nil || n != 3 {
		t.Errorf("let go after 3 polls: %v after %d", err, n)
	}
	if err := waitReleased(func() bool { return true }, 10*time.Millisecond, time.Millisecond); !errors.Is(err, ErrKeysHeld) {
		t.Errorf("held for good: %v", err)
	}
}
