//go:build !windows

package autotype

// registerHotkey reports ErrUnsupported: global shortcuts are done on
// Windows (RegisterHotKey) only here; macOS would take Carbon's
// RegisterEventHotKey, which needs the application's event loop.
func registerHotkey(h Hotkey, fire func()) (func(), error) {
	return nil, ErrUnsupported
}
