package instance

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// DefaultDir is the folder of the lock: softtoken\run in the user's
// %LocalAppData%, which only the user may enter. The pipe itself lives in
// the system's pipe namespace, named after the user's SID.
func DefaultDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "softtoken", "run"), nil
}

// checkPrivate trusts %LocalAppData%'s inherited ACL, which grants the user
// (and the system and administrators) alone. The pipe's ACL is what keeps
// other users out.
func checkPrivate(string) error { return nil }

// userSID is the SID of the user this process runs as.
func userSID() (*windows.SID, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("read the user's SID: %w", err)
	}
	return u.User.Sid, nil
}

func pipeName() (string, error) {
	sid, err := userSID()
	if err != nil {
		return "", err
	}
	return `\\.\pipe\softtoken-instance-` + sid.String(), nil
}

// listen creates the pipe with an ACL that grants the user alone
// (protected, so nothing is inherited). go-winio creates the first
// instance with FILE_FLAG_FIRST_PIPE_INSTANCE, so a pipe of that name
// created earlier by anyone makes this fail rather than share it.
func listen(string) (net.Listener, error) {
	name, err := pipeName()
	if err != nil {
		return nil, err
	}
	sid, err := userSID()
	if err != nil {
		return nil, err
	}
	return winio.ListenPipe(name, &winio.PipeConfig{
		SecurityDescriptor: "D:P(A;;GA;;;" + sid.String() + ")",
		InputBufferSize:    MaxMessage,
		OutputBufferSize:   512,
	})
}

// dial connects to the pipe and makes sure the process serving it runs
// as the user before anything is sent.
func dial(_ string, timeout time.Duration) (net.Conn, error) {
	name, err := pipeName()
	if err != nil {
		return nil, err
	}
	c, err := winio.DialPipe(name, &timeout)
	if err != nil {
		return nil, err
	}
	if err := checkServer(c); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func checkServer(c net.Conn) error {
	f, ok := c.(interface{ Fd() uintptr })
	if !ok {
		return errors.New("the pipe has no handle")
	}
	var pid uint32
	if err := windows.GetNamedPipeServerProcessId(windows.Handle(f.Fd()), &pid); err != nil {
		return fmt.Errorf("find the pipe's server: %w", err)
	}
	if err := sameUser(pid); err != nil {
		return err
	}
	return nil
}

// checkPeer refuses a client that runs as another user; the pipe's ACL
// should already have kept it out.
func checkPeer(c net.Conn) error {
	f, ok := c.(interface{ Fd() uintptr })
	if !ok {
		return errors.New("the pipe has no handle")
	}
	var pid uint32
	if err := windows.GetNamedPipeClientProcessId(windows.Handle(f.Fd()), &pid); err != nil {
		return fmt.Errorf("find the pipe's client: %w", err)
	}
	return sameUser(pid)
}

// sameUser reports errPeer unless process pid runs as this process's user.
func sameUser(pid uint32) error {
	me, err := userSID()
	if err != nil {
		return err
	}
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return fmt.Errorf("%w: %v", errPeer, err)
	}
	defer windows.CloseHandle(h)
	var tok windows.Token
	if err := windows.OpenProcessToken(h, windows.TOKEN_QUERY, &tok); err != nil {
		return fmt.Errorf("%w: %v", errPeer, err)
	}
	defer tok.Close()
	u, err := tok.GetTokenUser()
	if err != nil {
		return fmt.Errorf("%w: %v", errPeer, err)
	}
	if !u.User.Sid.Equals(me) {
		return errPeer
	}
	return nil
}
