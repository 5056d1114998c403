//go:build !windows

package main

// attachConsole has nothing to do outside Windows: the command line
// writes to the terminal it was started from.
func attachConsole() {}
