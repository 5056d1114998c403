//go:build !windows

package atomicfile

import "os"

// rename is os.Rename: elsewhere than on Windows a rename over an open
// file does not fail.
func rename(from, to string) error { return os.Rename(from, to) }
