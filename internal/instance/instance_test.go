package instance

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
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
