package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// The test binary doubles as softtoken itself when SOFTTOKEN_TEST_MAIN is
// set, so that the tests below run the real entry point in a child process.
func TestMain(m *testing.M) {
	if os.Getenv("SOFTTOKEN_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func softtoken(t *testing.T, config string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	// A run folder of its own, so that the single-instance socket of a
	// softtoken running on the desktop is never reached.
	cmd.Env = append(os.Environ(), "SOFTTOKEN_TEST_MAIN=1", "XDG_CONFIG_HOME="+config, "XDG_RUNTIME_DIR="+config)
	return cmd
}

func TestSubcommandIsCLI(t *testing.T) {
	out, err := softtoken(t, t.TempDir(), "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "softtoken ") {
		t.Fatalf("softtoken version: %q, %v", out, err)
	}
}

// TestWindowOnDisplay starts softtoken without arguments on the real X
// display that make test provides and checks that its window appears and
// draws something.
func TestWindowOnDisplay(t *testing.T) {
	testenv.Display(t)
	testenv.SecretService(t)
	xwininfo := testenv.Tool(t, "xwininfo")
	importCmd := testenv.Tool(t, "import")

	config := t.TempDir()
	add := softtoken(t, config, "add", "-")
	add.Stdin = strings.NewReader("otpauth://totp/RFC:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("add: %v\n%s", err, out)
	}
	t.Cleanup(func() { softtoken(t, config, "remove", "alice").Run() })

	gui := softtoken(t, config)
	var stderr bytes.Buffer
	gui.Stderr = &stderr
	if err := gui.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gui.Process.Kill(); gui.Wait() })

	// Wait for the window: a race-enabled GL start can take several seconds.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	re := regexp.MustCompile(`(?m)^\s*(0x[0-9a-f]+) "softtoken": \(.*\)\s+(\d+)x(\d+)`)
	var id string
	for id == "" {
		out, _ := exec.Command(xwininfo, "-root", "-tree").Output()
		if m := re.FindStringSubmatch(string(out)); m != nil && m[2] != "1" {
			id = m[1]
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no softtoken window appeared; its stderr:\n%s", stderr.String())
		case <-time.After(200 * time.Millisecond):
		}
	}

	// Look until the first frame is drawn: a race-enabled build on a busy
	// machine may take seconds to draw it (bounded by ctx, not a timing
	// assert).
	shot := filepath.Join(t.TempDir(), "window.png")
	colours := 0
	for {
		if out, err := exec.Command(importCmd, "-window", id, shot).CombinedOutput(); err != nil {
			t.Fatalf("import: %v\n%s", err, out)
		}
		if colours = coloursIn(t, shot); colours >= 8 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the window shows %d colours: it drew nothing", colours)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// coloursIn counts the colours of the PNG file at path.
func coloursIn(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return countColours(img)
}

func countColours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}
