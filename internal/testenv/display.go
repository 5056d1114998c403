package testenv

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// PrivateDisplay starts an Xvfb of the test's own and points DISPLAY at
// it for the test (t.Setenv: not in parallel tests). The test packages
// run at the same time on the one display of scripts/with-services.sh,
// and a test that types into the window with the focus must not have
// another package's window (an xfreerdp, a Chromium) take the focus, nor
// type into it. Xvfb ends with the test.
func PrivateDisplay(t testing.TB) {
	t.Helper()
	exe := Tool(t, "Xvfb")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// -displayfd: Xvfb picks a free display number and writes it once it
	// accepts connections; no TCP; no reset when the last client leaves.
	cmd := exec.Command(exe, "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		w.Close()
		t.Fatalf("Xvfb: %v", err)
	}
	w.Close()
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-done })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatal("Xvfb did not start")
		}
		t.Setenv("DISPLAY", ":"+n)
	case <-time.After(30 * time.Second):
		t.Fatal("Xvfb did not start within 30 s")
	}
}
