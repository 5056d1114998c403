// Package scantest runs the real things screen-capture tests need: a
// private X server (Xvfb) of a chosen size, and a real window on it that
// shows a picture (ImageMagick's display). Outside `make test` a missing
// program skips the test; under it, it fails (see internal/testenv).
package scantest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// Xvfb starts an X server of w×h pixels, 24-bit colour, private to the test
// and stopped at its end, and returns its display name (":N"). It does not
// set DISPLAY.
func Xvfb(t testing.TB, w, h int) string {
	t.Helper()
	xvfb := testenv.Tool(t, "Xvfb")
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// -displayfd: the server picks a free display and writes its number
	// there once it accepts connections. -noreset: it would otherwise
	// reset, and refuse connections a moment, each time its last client
	// leaves.
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{wr}
	if err := cmd.Start(); err != nil {
		wr.Close()
		t.Fatal(err)
	}
	wr.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
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
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start within 20 s")
	}
	return ""
}

// Show opens a window at x, y on display that shows the image file, and
// returns once the X server reports it viewable. The window is closed at
// the end of the test.
func Show(t testing.TB, display, file string, x, y int) {
	t.Helper()
	close, err := Window(testenv.Tool(t, "display"), testenv.Tool(t, "xwininfo"), display, file, x, y)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(close)
}

// Window is Show for callers without a testing.TB, such as testscript
// commands: given the paths of ImageMagick's display and of xwininfo, it
// opens the window and returns the function that closes it.
func Window(show, xwininfo, display, file string, x, y int) (close func(), err error) {
	title := fmt.Sprintf("softtoken-test-%d", time.Now().UnixNano())
	cmd := exec.Command(show, "-display", display, "-geometry", fmt.Sprintf("+%d+%d", x, y),
		"-title", title, "-borderwidth", "0", file)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	close = func() {
		cmd.Process.Kill()
		cmd.Wait()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		out, err := exec.CommandContext(ctx, xwininfo, "-display", display, "-name", title).Output()
		if err == nil && strings.Contains(string(out), "IsViewable") {
			// One more moment for the first expose to be painted.
			time.Sleep(200 * time.Millisecond)
			return close, nil
		}
		select {
		case <-ctx.Done():
			close()
			return nil, fmt.Errorf("the window of %s did not show within 20 s", file)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
