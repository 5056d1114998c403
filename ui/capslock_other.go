//go:build !linux && !freebsd && !windows

package ui

// capsLockOn reports that the state of Caps Lock is not known: macOS
// would need CGEventSourceFlagsState through cgo, which ui/ does not use
// (macOS's own password fields show a Caps Lock sign; Fyne's do not), so
// no warning shows there.
func capsLockOn() (on, known bool) { return false, false }
