// Package atomicfile replaces files so that a crash at any instant leaves
// either the old content or the new, never a mix or nothing.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile replaces path with data so that a crash at any instant
// leaves either the old file or the new one, never a mix: a temporary file
// in the same directory is written, synced and renamed over path, and the
// directory is synced so that the rename itself is durable. On Windows,
// which refuses to replace a file that another process has open, the
// rename is retried for up to two seconds while a reader holds path.
func WriteFile(path string, data []byte, perm os.FileMode) (err error) {
	// filepath.Dir, not Split: a bare file name must mean ".", not "" (which
	// CreateTemp would take for the system's temporary folder).
	dir, base := filepath.Dir(path), filepath.Base(path)
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", base, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", base, err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", base, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", base, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", base, err)
	}
	if err = rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", base, err)
	}
	return syncDir(dir)
}
