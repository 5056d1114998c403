//go:build !windows

package testenv

import "syscall"

// Freeze stops the daemon (SIGSTOP) without taking it off the bus: it
// keeps its name and answers nothing, as a keyring that hangs. Kill ends
// a frozen one too.
func (k *Keyring) Freeze() { k.cmd.Process.Signal(syscall.SIGSTOP) }

// Thaw lets a frozen daemon go on (SIGCONT): it answers what was asked
// meanwhile.
func (k *Keyring) Thaw() { k.cmd.Process.Signal(syscall.SIGCONT) }
