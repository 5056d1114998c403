package autotype

import (
	"fmt"

	"github.com/godbus/dbus/v5"
)

// waylandTyping is why Open cannot type on a Wayland session without X:
// the desktop offers no RemoteDesktop portal (ErrNoPortal, the case of
// Debian 12's sway, whose portals are wlr's and gtk's), or it does but
// typing through it is not done yet (GNOME's mutter offers one; it asks
// the person's leave in a dialog at each session). Both are
// ErrUnsupported: the caller puts the code on the clipboard.
func waylandTyping() error {
	if !remoteDesktopPortal() {
		return fmt.Errorf("%w: %w", ErrUnsupported, ErrNoPortal)
	}
	return fmt.Errorf("%w (typing through the desktop's RemoteDesktop portal is not done yet)", ErrUnsupported)
}

// remoteDesktopPortal reports whether the session bus has the
// xdg-desktop-portal RemoteDesktop interface (its version property
// answers).
func remoteDesktopPortal() bool {
	c, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer c.Close()
	v, err := c.Object("org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop").
		GetProperty("org.freedesktop.portal.RemoteDesktop.version")
	return err == nil && v.Value() != nil
}
