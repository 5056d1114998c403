package main

import (
	"os"

	"golang.org/x/sys/windows"
)

var attachConsoleProc = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// attachConsole makes the command line's output visible: the release build
// is a GUI program (-H windowsgui), which Windows starts without a
// console, so it attaches to the console of the shell that started it, if
// any. A stream that is already redirected (to a file or a pipe) is kept.
func attachConsole() {
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	if r, _, _ := attachConsoleProc.Call(attachParentProcess); r == 0 {
		return // started from no console: nothing to show the output in
	}
	reopen := func(f **os.File, std uint32, name string, flag int) {
		if h, err := windows.GetStdHandle(std); err == nil && h != 0 && h != windows.InvalidHandle {
			if ft, err := windows.GetFileType(h); err == nil && ft != windows.FILE_TYPE_UNKNOWN && ft != windows.FILE_TYPE_CHAR {
				return // redirected to a file or a pipe
			}
		}
		if c, err := os.OpenFile(name, flag, 0); err == nil {
			*f = c
		}
	}
	reopen(&os.Stdout, windows.STD_OUTPUT_HANDLE, "CONOUT$", os.O_WRONLY)
	reopen(&os.Stderr, windows.STD_ERROR_HANDLE, "CONOUT$", os.O_WRONLY)
	reopen(&os.Stdin, windows.STD_INPUT_HANDLE, "CONIN$", os.O_RDONLY)
}
