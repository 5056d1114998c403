package gui

import (
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"
)

// maxMinWidth is the widest the window's minimum may be, on every screen
// and in both languages: the default width, 480, with room to spare (it was 601 and 738), so
// that no label or button row widens the window (issue 10, 2.14).
const maxMinWidth = 460

// fitAtDefault is how many accounts the window shows whole at its default
// size (480×640), with three launch buttons below them.
const fitAtDefault = 6

// Eight accounts, their issuers words OCR reads surely; one with a name
// too long for a row.
var layoutLinks = []string{
	"otpauth://totp/Alpha:alice?secret=JBSWY3DPEHPK3PXP&issuer=Alpha",
	"otpauth://totp/Beta:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Beta",
	"otpauth://totp/Gamma:carol?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF&issuer=Gamma",
	"otpauth://totp/Delta:dora?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Delta",
	"otpauth://totp/Epsilon:emil?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Epsilon",
	"otpauth://totp/Zulu:zoe?secret=GEZDGNBVGY3TQOJQGEZDGNBV&issuer=Zulu",
	"otpauth://totp/Kilo:max.mustermann.sachgebiet.informationstechnik%40stadtverwaltung.example?secret=KRSXG5CTMVRXEZLUKN2XAZLS&issuer=Kilo",
	"otpauth://hotp/Lima:lena?secret=MFRGGZDFMZTWQ2LKNNWG23TP&issuer=Lima&counter=0", // its button is wider than Copy
}

var layoutTitles = []string{"Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zulu", "Kilo", "Lima"}

// addTargets adds three launch targets of the person's own, with titles
// as long as an organisation's.
func (w *win) addTargets() {
	w.t.Helper()
	for i, title := range []string{"Personalportal", "Bürgerservice-Portal", "Fachverfahren Ordnungsamt"} {
		w.cli("", "profile", "add-target", "--account", "alice", "--title", title, fmt.Sprintf("t%d", i), fmt.Sprintf("https://portal%d.example/", i))
	}
}

var minHint = regexp.MustCompile(`program specified minimum size: (\d+) by (\d+)`)

// minWidth is the window's minimum width as it told the window manager
// (WM_NORMAL_HINTS, which GLFW sets from Fyne's content).
func (w *win) minWidth() int {
	w.t.Helper()
	out, err := exec.Command("xprop", "-id", w.id, "WM_NORMAL_HINTS").Output()
	if err != nil {
		w.fatalf("xprop: %v", err)
	}
	m := minHint.FindSubmatch(out)
	if m == nil {
		w.fatalf("no minimum size in WM_NORMAL_HINTS: %s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// checkNarrow says what the window's minimum width is on the screen
// shown, and that the window manager lets it be made that narrow: asked
// for 300 px, the window is at most maxMinWidth wide.
func (w *win) checkNarrow(screen string) {
	w.t.Helper()
	// The minimum follows the content a moment after it changed.
	var mw int
	poll(3*time.Second, func() bool { mw = w.minWidth(); return mw <= maxMinWidth })
	w.t.Logf("%s: minimum width %d px", screen, mw)
	if mw > maxMinWidth {
		w.shot(screen + "-too-wide")
		w.t.Errorf("%s: the window's minimum width is %d px, more than %d", screen, mw, maxMinWidth)
	}
}

// The window's size in both languages: its minimum width on every screen
// stays at most maxMinWidth (a German label or the launch buttons made it
// 529 and 601 px), fitAtDefault accounts fit at the default size, and in
// a wide window the content keeps a readable width, each Copy button
// near its code (issue 10, 2.14).
func TestWindowSize(t *testing.T) {
	for _, l := range []struct{ lang, copy, settings, add, manual, advanced string }{
		{"en", "Copy", "Settings", "Add an account", "Enter key by hand", "Advanced settings"},
		{"de", "Kopieren", "Einstellungen", "Konto hinzufügen", "Schlüssel eintippen", "Erweiterte Einstellungen"},
	} {
		t.Run(l.lang, func(t *testing.T) {
			w := prepare(t, opts{links: layoutLinks, prefs: map[string]any{"language": l.lang}})
			w.addTargets()
			w.run()
			w.wait("Alpha")
			w.shot("main")
			w.checkNarrow("main")
			// At the default size: the first fitAtDefault accounts whole,
			// their titles and codes read.
			// A digit misread now and then: read again (the seconds change
			// the picture) until each shows, for at most ocrWait.
			missing := ""
			poll(ocrWait, func() bool {
				words := w.ocr()
				w.last = words
				read := codes(words)
				missing = ""
				for i, title := range layoutTitles[:fitAtDefault] {
					want := codesNow(t, layoutLinks[i])
					_, ok := find(words, title)
					if !ok || !slices.ContainsFunc(read, func(c string) bool { return slices.Contains(want, c) }) {
						missing = title
						return false
					}
				}
				return true
			})
			if missing != "" {
				t.Errorf("at %dx%d the account %s is not shown whole: %s", w.w, w.hgt, missing, text(w.last))
			}
			// Narrow: as narrow as the window manager lets it be.
			w.xdo("windowsize", w.id, "300", "640")
			time.Sleep(time.Second)
			w.shot("narrow")
			w.geometry()
			if w.w > maxMinWidth {
				t.Errorf("asked for 300 px, the window is %d px wide", w.w)
			}
			// Wide: the Copy button beside its code, not at the far edge.
			w.xdo("windowsize", w.id, "1600", "900")
			time.Sleep(time.Second)
			w.geometry()
			w.shot("wide")
			words := w.ocr()
			title, ok := find(words, "Alpha")
			cp := findAll(words, l.copy)
			if !ok || len(cp) == 0 {
				w.fatalf("in the wide window no Alpha or %s is read: %s", l.copy, text(words))
			}
			if d := cp[0].Min.X - title.Max.X; d > 700 {
				t.Errorf("in a %d px wide window the first %s button is %d px right of its account's title", w.w, l.copy, d)
			}
			w.xdo("windowsize", w.id, "480", "640")
			time.Sleep(time.Second)
			w.key("ctrl+comma")
			w.wait(l.settings)
			w.shot("settings")
			w.checkNarrow("settings")
			w.key("ctrl+n")
			w.wait(l.add)
			w.checkNarrow("wizard")
			w.click(l.manual)
			w.wait(l.advanced)
			w.click(l.advanced)
			time.Sleep(500 * time.Millisecond)
			w.shot("manual")
			w.checkNarrow("manual form")
		})
	}
}
