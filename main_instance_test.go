package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// In the child that TestSecondInstance starts as the first softtoken, the
// hand-over hook reports what arrived on stderr: the number of arguments
// and a hash of each, never the link itself.
func init() {
	if os.Getenv("SOFTTOKEN_TEST_MAIN") == "1" {
		onHandoff = func(args []string) {
			sums := make([]string, len(args))
			for i, a := range args {
				sums[i] = hashOf(a)
			}
			fmt.Fprintf(os.Stderr, "handoff: %d [%s]\n", len(args), strings.Join(sums, " "))
		}
	}
}

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// TestSecondInstance starts softtoken's window on the X display, then a
// second softtoken with an otpauth link, as a click on an enrollment link
// does: the second exits at once and the first receives the link.
func TestSecondInstance(t *testing.T) {
	testenv.Display(t)
	config := t.TempDir()
	// A run folder of this test's own, short enough for a socket path.
	run, err := os.MkdirTemp("", "strun")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(run) })
	start := func(args ...string) *exec.Cmd {
		cmd := softtoken(t, config, args...)
		cmd.Env = append(cmd.Env, "XDG_RUNTIME_DIR="+run)
		return cmd
	}

	first := start()
	stderr, err := first.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Process.Kill(); first.Wait() })
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()

	// The first claims the socket before it opens its window.
	sock := filepath.Join(run, "softtoken", "instance.sock")
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first softtoken never listened")
		}
		time.Sleep(50 * time.Millisecond)
	}

	link := "otpauth://totp/Stadt:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Stadt"
	second := start(link)
	second.Stdout, second.Stderr = io.Discard, io.Discard
	// It hands the link over and exits, without a window of its own: a
	// second softtoken still running after a minute has opened one (a
	// bound on a hang, not a timing assert; it exits within a second when
	// the machine is not busy).
	t0 := time.Now()
	if err := second.Start(); err != nil {
		t.Fatalf("the second softtoken: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- second.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the second softtoken: %v", err)
		}
	case <-time.After(60 * time.Second):
		second.Process.Kill()
		t.Fatal("the second softtoken did not exit: it kept the link instead of handing it over")
	}
	t.Logf("the second softtoken exited after %s", time.Since(t0).Round(time.Millisecond))

	want := fmt.Sprintf("handoff: 1 [%s]", hashOf(link))
	timeout := time.After(10 * time.Second)
	var seen []string
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the first softtoken exited; it wrote:\n%s", strings.Join(seen, "\n"))
			}
			if strings.Contains(l, "JBSWY3DP") {
				t.Errorf("the first softtoken wrote the secret on stderr")
			}
			if l == want {
				if first.ProcessState != nil {
					t.Fatal("the first softtoken exited")
				}
				return
			}
			seen = append(seen, l)
		case <-timeout:
			t.Fatalf("the first softtoken did not receive the link; it wrote:\n%s", strings.Join(seen, "\n"))
		}
	}
}
