package urlhandler

import "testing"

func TestIsSoftToken(t *testing.T) {
	for cmd, want := range map[string]bool{
		`"C:\Users\a b\AppData\Local\softtoken\softtoken.exe" "%1"`: true,
		`"C:\Programme\SoftToken.EXE" "%1"`:                         true,
		`C:\x\softtoken.exe %1`:                                     false, // unquoted: not ours
		`"C:\Program Files\Other\otp.exe" "%1"`:                     false,
		``:                                                          false,
	} {
		if got := isSoftToken(cmd); got != want {
			t.Errorf("isSoftToken(%q) = %v", cmd, got)
		}
	}
}
