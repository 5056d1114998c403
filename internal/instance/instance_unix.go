//go:build !windows

package instance

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

const sockName = "instance.sock"

// maxSockPath is the longest socket path every Unix takes (macOS: 104
// bytes with the terminating NUL).
const maxSockPath = 103

// DefaultDir is the folder of the lock and the socket: softtoken in
// $XDG_RUNTIME_DIR, which is the user's alone by the XDG specification,
// or else in os.UserCacheDir().
func DefaultDir() (string, error) {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "softtoken"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "softtoken", "run"), nil
}

func checkPrivate(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%w (%s)", ErrUnsafeDir, dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("%w (%s): %v", ErrUnsafeDir, dir, err)
		}
	}
	return nil
}

func sockPath(dir string) (string, error) {
	p := filepath.Join(dir, sockName)
	if len(p) > maxSockPath {
		return "", fmt.Errorf("the socket path %s is longer than %d bytes", p, maxSockPath)
	}
	return p, nil
}

// listen is called with the lock held: a socket file left there belongs
// to an instance that has exited, and is removed.
func listen(dir string) (net.Listener, error) {
	p, err := sockPath(dir)
	if err != nil {
		return nil, err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("remove the old socket: %w", err)
	}
	ln, err := net.Listen("unix", p)
	if err != nil {
		return nil, err
	}
	// The folder already keeps others out; the socket's own mode says it
	// too.
	os.Chmod(p, 0o600)
	ln.(*net.UnixListener).SetUnlinkOnClose(true)
	return ln, nil
}

func dial(dir string, timeout time.Duration) (net.Conn, error) {
	p, err := sockPath(dir)
	if err != nil {
		return nil, err
	}
	return net.DialTimeout("unix", p, timeout)
}
