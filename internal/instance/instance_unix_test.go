//go:build !windows

package instance

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

// TestStaleSocket: an instance that died left its socket file; the next
// one replaces it.
func TestStaleSocket(t *testing.T) {
	d := dir(t)
	if err := os.MkdirAll(d, 0o700); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", filepath.Join(d, sockName))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	_, got := serve(t, d)
	if err := Forward(d, []string{link}); err != nil {
		t.Fatal(err)
	}
	receiveOne(t, got)
}

// TestUnsafeDir: a folder that others may enter is closed; one that
// belongs to another user is refused.
func TestUnsafeDir(t *testing.T) {
	d := dir(t)
	if err := os.MkdirAll(d, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(d, 0o755)
	in, err := Claim(d)
	if err != nil {
		t.Fatal(err)
	}
	in.Close()
	if fi, _ := os.Stat(d); fi.Mode().Perm() != 0o700 {
		t.Errorf("mode %v, want 0700", fi.Mode().Perm())
	}
	if os.Getuid() != 0 {
		t.Skip("changing a folder's owner needs root")
	}
	if err := os.Chown(d, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if _, err := Claim(d); !errors.Is(err, ErrUnsafeDir) {
		t.Fatalf("Claim of another user's folder: %v, want ErrUnsafeDir", err)
	}
}

// TestOtherUserRefused: a process of another user that reaches the
// socket (here through a folder opened up on purpose) hands nothing over:
// the server reads its uid from the kernel and drops it.
func TestOtherUserRefused(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("peer credentials are checked on Linux and macOS")
	}
	if os.Getuid() != 0 {
		t.Skip("running a process as another user needs root")
	}
	d := dir(t)
	_, got := serve(t, d)
	// Open up the folder and the socket, and give the other user a copy
	// of this test binary it may run.
	os.Chmod(filepath.Dir(d), 0o755)
	os.Chmod(d, 0o777)
	os.Chmod(filepath.Join(d, sockName), 0o777)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(filepath.Dir(d), "forward.test")
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}

	run := func(uid uint32) error {
		cmd := exec.Command(bin)
		cmd.Env = []string{"INSTANCE_TEST_FORWARD=" + d}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
		return cmd.Run()
	}
	if err := run(65534); err == nil {
		t.Fatal("another user's process handed its arguments over")
	}
	select {
	case <-got:
		t.Fatal("the server took another user's arguments")
	default:
	}
	// The same binary as this user gets through, so the refusal above was
	// the uid check and not a broken child.
	if err := run(uint32(os.Getuid())); err != nil {
		t.Fatalf("as this user: %v", err)
	}
	receiveOne(t, got)
}
