package gui

import (
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// loginPage is a login form in Chromium: one field over the whole
// window, which names the window after what was typed into it.
const loginPage = `<!doctype html><title>Enrollment</title><body style="margin:0">
<input id="c" autofocus style="position:fixed;left:0;top:0;width:100%;height:100%;font-size:48px"
 oninput="document.title='got '+this.value">`

// browserWindow is the X window of the login page's Chromium.
func browserWindow(w *win) string {
	w.t.Helper()
	out := w.xdo("search", "--onlyvisible", "--name", "Enrollment|^got ")
	f := strings.Fields(out)
	if len(f) == 0 {
		w.fatalf("no Chromium window")
	}
	return f[0]
}

// typedIntoBrowser waits until the login page's field holds a code and
// returns it.
func typedIntoBrowser(w *win) string {
	w.t.Helper()
	re := regexp.MustCompile(`^got (\d+)$`)
	var got string
	if !poll(30*time.Second, func() bool {
		out, _ := exec.Command("xdotool", "search", "--name", "^got ", "getwindowname").Output()
		for _, l := range strings.Split(string(out), "\n") {
			if m := re.FindStringSubmatch(strings.TrimSpace(l)); m != nil && len(m[1]) >= 6 {
				got = m[1]
				return true
			}
		}
		return false
	}) {
		w.fatalf("no code was typed into Chromium's field within 30 s")
	}
	return got
}

// The global shortcut: Ctrl+Alt+O pressed (xdotool, through XTEST) in a
// real Chromium's login field types the only account's code there, while
// softtoken's window is in the background; the settings show the
// shortcut and what it does, in English and German.
func TestTypeShortcut(t *testing.T) {
	w := start(t, opts{links: []string{linkAlpha}})
	w.wait("alice")
	w.key("ctrl+comma")
	w.wait("Ctrl+Alt+O")
	w.wait("in any window")
	w.shot("settings-shortcut-en")
	w.click("Back")
	w.waitGone("Storage")
	chromium(t, w, loginPage)
	w.xdo("windowactivate", "--sync", browserWindow(w))
	w.key("ctrl+alt+o")
	got := typedIntoBrowser(w)
	if !slices.Contains(codesNow(t, linkAlpha), got) {
		t.Errorf("Chromium's field holds %q, not Alpha's code (%q)", got, codesNow(t, linkAlpha))
	}
	w.focus()
	w.wait("was typed")
	w.shot("typed-by-shortcut")
}

// The settings in German name the shortcut Strg+Alt+O; Code eintippen
// waits for a click into the field, and Escape cancels it; the shortcut
// pressed in softtoken's own window asks which code, and Escape closes
// the picker.
func TestTypeShortcutGerman(t *testing.T) {
	w := start(t, opts{links: []string{linkAlpha, linkBeta}, prefs: map[string]any{"language": "de"}})
	w.wait("bob")
	w.key("ctrl+comma")
	w.wait("Tastenkürzel")
	w.wait("Strg+Alt+O")
	w.shot("settings-shortcut-de")
	w.click("Zurück")
	w.waitGone("Speicherort")
	w.openMenuDE("Alpha")
	w.wait("Code eintippen")
	w.shot("menu-de")
	w.click("Code eintippen")
	w.wait("Klicken Sie in das Feld")
	w.shot("waiting-de")
	w.key("Escape")
	w.wait("nicht eingetippt")
	w.shot("cancelled-de")

	w.key("ctrl+alt+o")
	var picker string
	if !poll(20*time.Second, func() bool {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Welchen Code eintippen\\?$").Output()
		if f := strings.Fields(string(out)); len(f) > 0 {
			picker = f[0]
		}
		return picker != ""
	}) {
		w.fatalf("no picker window within 20 s")
	}
	main := w.id
	w.id = picker
	w.wait("Beta")
	w.shot("picker-de")
	w.key("Escape")
	if !poll(10*time.Second, func() bool {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Welchen Code eintippen").Output()
		return len(strings.Fields(string(out))) == 0
	}) {
		w.fatalf("Escape did not close the picker")
	}
	w.id = main
}

// openMenuDE opens the ⋮ menu of the row titled title in a German window.
func (w *win) openMenuDE(title string) {
	w.t.Helper()
	r := w.wait(title)
	w.clickAt(w.x+w.w-22, (r.Min.Y+r.Max.Y)/2+8)
	w.wait("Umbenennen")
}

// Type code from an account's ⋮ menu: the window says to click into the
// field, the person clicks into a real Chromium's login field, and the
// code of that account is typed there; then the shortcut with two
// accounts and no profile asks which in a small window, and types the one
// chosen into the field the focus goes back to.
func TestTypeMenu(t *testing.T) {
	w := start(t, opts{links: []string{linkAlpha, linkBeta}})
	w.wait("bob")
	chromium(t, w, loginPage)
	browser := browserWindow(w)
	w.focus()
	w.openMenu("Beta")
	w.shot("menu")
	w.click("Type code")
	w.wait("Click into the field")
	w.shot("waiting")
	// The person clicks into the browser's field.
	w.xdo("windowactivate", "--sync", browser)
	w.xdo("mousemove", "--window", browser, "200", "200", "click", "1")
	got := typedIntoBrowser(w)
	if !slices.Contains(codesNow(t, linkBeta), got) {
		t.Errorf("Chromium's field holds %q, not Beta's code (%q)", got, codesNow(t, linkBeta))
	}
	w.focus()
	w.wait("The code of Beta")
	w.shot("typed")

	// The shortcut, two accounts, no profile: which one?
	w.xdo("windowactivate", "--sync", browser)
	w.key("ctrl+a", "BackSpace")
	if !poll(10*time.Second, func() bool {
		out, _ := exec.Command("xdotool", "search", "--name", "^got [0-9]").Output()
		return len(strings.Fields(string(out))) == 0
	}) {
		w.fatalf("the field was not emptied")
	}
	w.key("ctrl+alt+o")
	var picker string
	if !poll(20*time.Second, func() bool {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Type which code\\?$").Output()
		if f := strings.Fields(string(out)); len(f) > 0 {
			picker = f[0]
		}
		return picker != ""
	}) {
		w.fatalf("no picker window within 20 s")
	}
	main := w.id
	w.id = picker // the harness's shots and reads of the picker
	w.wait("Alpha")
	w.shot("picker")
	w.key("Return") // the first account, Alpha, has the focus
	w.id = main
	got = typedIntoBrowser(w)
	if !slices.Contains(codesNow(t, linkAlpha), got) {
		t.Errorf("after the picker Chromium's field holds %q, not Alpha's code (%q)", got, codesNow(t, linkAlpha))
	}
}
