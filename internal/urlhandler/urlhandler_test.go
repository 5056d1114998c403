package urlhandler

import (
	"errors"
	"runtime"
	"testing"
)

// Outside Windows the package registers the schemes, and the program says
// so rather than pretending.
func TestUnsupportedOutsideWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows registers")
	}
	if Supported {
		t.Error("Supported outside Windows")
	}
	if err := Register("/usr/bin/softtoken"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Register: %v", err)
	}
	if st, err := Status("/usr/bin/softtoken"); st != NotRegistered || !errors.Is(err, ErrUnsupported) {
		t.Errorf("Status: %v, %v", st, err)
	}
}
