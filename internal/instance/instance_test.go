package instance

import (
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

const link = "otpauth://totp/Stadt:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Stadt"

// The test binary doubles as a second softtoken that forwards its
// arguments, run as another user by TestOtherUserRefused.
func TestMain(m *testing.M) {
	if dir := os.Getenv("INSTANCE_TEST_FORWARD"); dir != "" {
		forwardWait = time.Second
		if err := Forward(dir, []string{link}); err != nil {
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// dir returns a fresh, short folder: socket paths are limited to about
// 100 bytes.
func dir(t *testing.T) string {
	d, err := os.MkdirTemp("", "inst")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return filepath.Join(d, "run")
}

// serve claims d and collects what it receives.
func serve(t *testing.T, d string) (*Instance, chan []string) {
	t.Helper()
	in, err := Claim(d)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []string, 10)
	done := make(chan error, 1)
	go func() { done <- in.Serve(func(a []string) { got <- a }) }()
	t.Cleanup(func() {
		in.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return in, got
}

func receiveOne(t *testing.T, got chan []string) []string {
	t.Helper()
	select {
	case a := <-got:
		return a
	case <-time.After(5 * time.Second):
		t.Fatal("nothing was handed over")
		return nil
	}
}

func TestHandOver(t *testing.T) {
	d := dir(t)
	_, got := serve(t, d)

	if _, err := Claim(d); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Claim: %v, want ErrRunning", err)
	}
	for _, args := range [][]string{{link}, {}, {"a b", "ü", ""}} {
		in, err := Start(d, args)
		if in != nil || !errors.Is(err, ErrRunning) {
			t.Fatalf("Start(%d args): %v, %v; want nil, ErrRunning", len(args), in, err)
		}
		if a := receiveOne(t, got); !slices.Equal(a, args) && !(len(a) == 0 && len(args) == 0) {
			t.Errorf("received %q, want %q", a, args)
		}
	}

	fi, err := os.Stat(d)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", fi.Mode().Perm())
	}
}

// TestCloseReleases: after Close the next start is the instance.
func TestCloseReleases(t *testing.T) {
	d := dir(t)
	in, err := Claim(d)
	if err != nil {
		t.Fatal(err)
	}
	in.Close()
	_, got := serve(t, d)
	if err := Forward(d, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	receiveOne(t, got)
}

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

// TestNoAnswer: the lock is held but nobody listens (an instance hung
// while starting): Forward gives up after its wait.
func TestNoAnswer(t *testing.T) {
	forwardWait = 300 * time.Millisecond
	t.Cleanup(func() { forwardWait = Timeout })
	d := dir(t)
	if err := privateDir(d); err != nil {
		t.Fatal(err)
	}
	l := flock.New(filepath.Join(d, lockName))
	if err := l.Lock(); err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	start := time.Now()
	_, err := Start(d, []string{link})
	if !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("Start: %v, want ErrNoAnswer", err)
	}
	if strings.Contains(err.Error(), "JBSWY3DP") {
		t.Errorf("the error carries the link: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("gave up after %s", d)
	}
}

// TestGarbage: clients that break the protocol hand nothing over and do
// not stop the server.
func TestGarbage(t *testing.T) {
	d := dir(t)
	_, got := serve(t, d)
	for _, junk := range []string{
		"",
		"GET / HTTP/1.0\r\n\r\n",
		hello + "{not json\n",
		hello + `{"args":` + strings.Repeat(`"x",`, MaxArgs) + `"x"]}` + "\n",
		hello + `{"args":["` + strings.Repeat("A", MaxMessage+10) + `"]}` + "\n",
	} {
		c, err := dial(d, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		go io.WriteString(c, junk)
		if c, ok := c.(*net.UnixConn); ok {
			c.CloseWrite()
		}
		b, _ := io.ReadAll(c)
		c.Close()
		if len(b) != 0 {
			t.Errorf("junk %.30q… was answered %q", junk, b)
		}
	}
	select {
	case a := <-got:
		t.Fatalf("junk was handed over: %d args", len(a))
	default:
	}
	if err := Forward(d, []string{link}); err != nil {
		t.Fatal(err)
	}
	if a := receiveOne(t, got); !slices.Equal(a, []string{link}) {
		t.Errorf("received %d args", len(a))
	}
	if err := Forward(d, make([]string, MaxArgs+1)); err == nil {
		t.Error("Forward sent too many arguments")
	}
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
