//go:build !windows

package urlhandler

// Supported reports whether Register works on this system.
const Supported = false

// Status is NotRegistered with ErrUnsupported outside Windows.
func Status(exe string) (State, error) { return NotRegistered, ErrUnsupported }

// Register returns ErrUnsupported outside Windows.
func Register(exe string) error { return ErrUnsupported }

// Unregister returns ErrUnsupported outside Windows.
func Unregister() error { return ErrUnsupported }
