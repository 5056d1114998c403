package gui

import (
	"image"
	"image/draw"
	"os/exec"
	"testing"
	"time"
)

// same reports whether two captures of the window have the same pixels.
func same(a, b image.Image) bool {
	if a.Bounds().Size() != b.Bounds().Size() {
		return false
	}
	ra, rb := image.NewRGBA(image.Rectangle{Max: a.Bounds().Size()}), image.NewRGBA(image.Rectangle{Max: b.Bounds().Size()})
	draw.Draw(ra, ra.Bounds(), a, a.Bounds().Min, draw.Src)
	draw.Draw(rb, rb.Bounds(), b, b.Bounds().Min, draw.Src)
	return string(ra.Pix) == string(rb.Pix)
}

// TestQuietUntouched: the real window, focused under openbox, counts
// every second (its bar moves every second, so two pictures 1.5 s apart
// differ); left untouched (no key, the pointer still) it goes quiet: two
// pictures 2.5 s apart are the same (they differ only where the last
// seconds begin or a new code comes); the pointer moved over it (xdotool,
// as the mouse does) brings the counting back. The focus and the
// pointer's moves come from the desktop driver here, not from a test's
// calls as in ui's TestQuietUntouched, which checks the texts and the 15 s.
// (tesseract reads the quiet "> 5 s" as "9s" or "16s": pixels, not OCR.)
func TestQuietUntouched(t *testing.T) {
	w := start(t, opts{links: []string{linkAlpha, linkBeta}})
	w.wait("alice")
	// The pointer away from the window, still; then the focus.
	exec.Command("xdotool", "mousemove", "0", "0").Run()
	w.focus()
	changes := func(gap time.Duration) bool {
		a := w.capture()
		time.Sleep(gap)
		return !same(a, w.capture())
	}
	counting := func(within time.Duration) bool {
		return poll(within, func() bool { return changes(1500 * time.Millisecond) })
	}
	if !counting(10 * time.Second) {
		w.shot("not-counting")
		t.Fatal("the focused window does not count the seconds: nothing changed in 1.5 s")
	}
	w.shot("counting")
	if !poll(40*time.Second, func() bool { return !changes(2500 * time.Millisecond) }) {
		w.shot("not-quiet")
		t.Fatal("left untouched, the window kept changing every 2.5 s for 40 s")
	}
	w.shot("quiet")
	// The pointer over the window, over the first account's name (no
	// button there).
	w.xdo("mousemove", "--window", w.id, "60", "90")
	w.xdo("mousemove", "--window", w.id, "70", "95")
	if !counting(6 * time.Second) {
		w.shot("still-quiet")
		t.Fatal("the pointer moved over the window, and it stays quiet")
	}
	w.shot("counting-again")
}
