//go:build !windows && !darwin

package launcher

import (
	"context"
	"errors"
	"testing"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// TestOpenerBrowserFails: the real xdg-open with a browser that cannot
// start (BROWSER names none) fails within its first seconds, and the
// launch says the program could not be started, without the URL.
func TestOpenerBrowserFails(t *testing.T) {
	testenv.Tool(t, "xdg-open")
	t.Setenv("BROWSER", "/nonexistent/browser")
	t.Setenv("XDG_CURRENT_DESKTOP", "")
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	acc := testAccount(t)
	l := &Launcher{Opener: SystemOpener{}, DirectURL: true}
	target := Target{Name: "portal", Type: KindWeb, Web: &Web{URL: "https://127.0.0.1:1/#/?guac-totp={code}", Code: CodeURL}}
	_, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
	if !errors.Is(err, ErrLaunch) || err.Error() != ErrLaunch.Error() {
		t.Fatalf("launch with no browser: %v, want ErrLaunch alone", err)
	}
}
