package ui

import "syscall"

var getKeyState = syscall.NewLazyDLL("user32.dll").NewProc("GetKeyState")

// capsLockOn reports whether Caps Lock is on, and whether that is known:
// GetKeyState(VK_CAPITAL), whose low bit is the toggle.
func capsLockOn() (on, known bool) {
	if getKeyState.Find() != nil {
		return false, false
	}
	r, _, _ := getKeyState.Call(0x14) // VK_CAPITAL
	return r&1 != 0, true
}
