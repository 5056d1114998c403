// Package testenv lets tests ask for the real services and tools they test
// against. Outside `make test` a missing one skips the test; under it
// (SOFTTOKEN_REQUIRE_TOOLS=1) a missing one fails, so that no check passes
// by being skipped.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Required reports whether missing services fail tests instead of
// skipping them.
func Required() bool { return os.Getenv("SOFTTOKEN_REQUIRE_TOOLS") != "" }

func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format+" (run under make test)", args...)
}

// SecretService makes sure a D-Bus session with a Secret Service is there.
func SecretService(t testing.TB) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		missing(t, "no D-Bus session bus with a Secret Service")
	}
}

// Display makes sure an X display is there.
func Display(t testing.TB) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		missing(t, "no X display")
	}
}

// Tool returns the path of an installed program.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, "%s is not installed", name)
	}
	return p
}
