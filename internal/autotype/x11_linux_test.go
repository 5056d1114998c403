package autotype

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// TestTypeX11 types into a real X window through XTEST and reads what
// the window got: key presses of the digits' keys, the Tabs before and
// the Enter after.
func TestTypeX11(t *testing.T) {
	testenv.Display(t)
	testenv.PrivateDisplay(t)
	ty, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ty.Close()
	w := testenv.FocusedXWindow(t, 1, "other-program")
	f, err := ty.Focused()
	if err != nil || f != Window(w.Win) {
		t.Fatalf("focused %v, %v; want the test window %v", f, err, w.Win)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if got, err := ty.WaitFocus(ctx, 0, 200*time.Millisecond, Options{}); err != nil || got != f {
		t.Fatalf("wait for the focus: %v, %v", got, err)
	}
	if err := ty.Type("907153", Options{Tabs: 1, Enter: true, KeyDelay: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	got := w.Keys(t, 8)
	want := []uint32{keysymTab, '9', '0', '7', '1', '5', '3', keysymReturn}
	if len(got) != len(want) {
		t.Fatalf("the window got keysyms %x, want %x", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("the window got keysyms %x, want %x", got, want)
		}
	}
	// WaitFocus does not take the window the focus was on.
	short, cancel2 := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel2()
	if _, err := ty.WaitFocus(short, f, 0, Options{}); !errors.Is(err, ErrNoFocus) {
		t.Errorf("waiting for another window: %v", err)
	}
}

// TestTypeOwnWindow: softtoken's own window (by _NET_WM_PID, or by
// WM_CLASS) is never typed into.
func TestTypeOwnWindow(t *testing.T) {
	testenv.Display(t)
	testenv.PrivateDisplay(t)
	ty, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ty.Close()
	testenv.FocusedXWindow(t, 4242, "other")
	if err := ty.Type("123456", Options{OwnPID: 4242}); !errors.Is(err, ErrOwnWindow) {
		t.Errorf("into a window of our pid: %v", err)
	}
	testenv.FocusedXWindow(t, 1, "softtoken")
	if err := ty.Type("123456", Options{}); !errors.Is(err, ErrOwnWindow) {
		t.Errorf("into a window of class softtoken: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if _, err := ty.WaitFocus(ctx, 0, 0, Options{}); !errors.Is(err, ErrNoFocus) {
		t.Errorf("waiting for a window not ours: %v", err)
	}
}
