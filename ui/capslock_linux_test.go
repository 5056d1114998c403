package ui

import (
	"os/exec"
	"testing"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// The Caps Lock state is read from a real X server: an Xvfb of the test's
// own, Caps Lock pressed with xdotool (XTEST) as a key press does.
func TestCapsLockFromX(t *testing.T) {
	xdotool := testenv.Tool(t, "xdotool")
	testenv.PrivateDisplay(t)
	if on, known := capsLockOn(); !known || on {
		t.Fatalf("before: Caps Lock on %v, known %v; want off and known", on, known)
	}
	press := func() {
		if out, err := exec.Command(xdotool, "key", "Caps_Lock").CombinedOutput(); err != nil {
			t.Fatalf("xdotool key Caps_Lock: %v\n%s", err, out)
		}
	}
	press()
	if on, known := capsLockOn(); !known || !on {
		t.Errorf("after Caps Lock: on %v, known %v; want on", on, known)
	}
	press()
	if on, _ := capsLockOn(); on {
		t.Error("after Caps Lock twice: still on")
	}
}
