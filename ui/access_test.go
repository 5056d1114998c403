package ui

import (
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	explainpkg "github.com/cityadmin/softtoken/explain"
	"github.com/cityadmin/softtoken/ui/widgets"
)

// walk calls fn for every visible object of c (content and overlays) as a
// screen reader meets them: containers are entered, widgets are not, except
// those that only hold other widgets (scroll, form, card, pop-up).
func walk(c fyne.Canvas, fn func(fyne.CanvasObject)) {
	walkObject(c.Content(), fn)
	for _, o := range c.Overlays().List() {
		walkObject(o, fn)
	}
}

// walkObject is walk from one object.
func walkObject(root fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	var visit func(o fyne.CanvasObject)
	visit = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				visit(c)
			}
			return
		case *container.Scroll:
			visit(w.Content)
			return
		case *widget.PopUp:
			visit(w.Content)
			return
		case *widget.Card:
			visit(w.Content)
			return
		case *widget.Form:
			for _, it := range w.Items {
				fn(widget.NewLabel(it.Text))
				visit(it.Widget)
			}
			return
		}
		if w, ok := o.(fyne.Widget); ok && fmt.Sprintf("%T", o) == "*widget.OverlayContainer" {
			// Fyne's internal holder of a dialog: enter it.
			for _, c := range test.WidgetRenderer(w).Objects() {
				visit(c)
			}
			return
		}
		fn(o)
	}
	visit(root)
}

// unlabelled lists the objects of c a screen reader could not name.
func unlabelled(c fyne.Canvas) []string {
	var bad []string
	walk(c, func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case fyne.Accessible:
			if strings.TrimSpace(w.AccessibilityLabel()) == "" {
				if l, ok := w.(*widget.Label); ok && l.Text == "" {
					return // nothing to read
				}
				bad = append(bad, fmt.Sprintf("%T with an empty label", o))
			}
		case *widget.Separator, *widget.Icon:
			// decoration
		case *canvas.Text:
			if w.Text != "" {
				bad = append(bad, fmt.Sprintf("bare text %q outside a widget", w.Text))
			}
		case fyne.Focusable, fyne.Tappable:
			bad = append(bad, fmt.Sprintf("%T (a control, not fyne.Accessible)", o))
		case fyne.Widget:
			if hasText(w) {
				bad = append(bad, fmt.Sprintf("%T (shows text, not fyne.Accessible)", o))
			}
			// else: decoration (a dialog's background, a progress bar's bar)
		}
	})
	return bad
}

// hasText reports whether a widget paints any text.
func hasText(w fyne.Widget) bool {
	for _, o := range test.WidgetRenderer(w).Objects() {
		switch o := o.(type) {
		case *canvas.Text:
			if o.Text != "" {
				return true
			}
		case fyne.Widget:
			if hasText(o) {
				return true
			}
		case *fyne.Container:
			for _, c := range o.Objects {
				if t, ok := c.(*canvas.Text); ok && t.Text != "" {
					return true
				}
			}
		}
	}
	return false
}

// screens opens every screen of the window in turn and calls check on it.
func screens(t *testing.T, a *App, check func(name string)) {
	t.Helper()
	a.showMain()
	check("main")
	menuItem(t, a.main.rows[0], "Remove…").Action()
	check("remove")
	test.Tap(a.dlg.cancel)
	menuItem(t, a.main.rows[0], "Rename…").Action()
	check("rename")
	test.Tap(a.dlg.cancel)
	a.showPassphraseDialog(false, func([]byte, bool) {})
	check("passphrase")
	test.Tap(a.dlg.cancel)
	a.keychained = 2 // with the warning
	a.showVaultOffer()
	check("vault offer")
	test.Type(a.dlg.entry, "short") // with a message
	check("vault offer, short passphrase")
	test.Tap(a.dlg.cancel)
	a.keychained = 0
	a.main.rebuild()
	a.showWizard()
	check("wizard")
	test.Tap(a.wiz.manual)
	test.Tap(a.wiz.advanced)
	check("manual")
	a.enrollLink("otpauth://totp/Stadt:max?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Other")
	check("preview")
	a.showSettings()
	check("settings")
	a.showMain()
}

func TestEveryControlHasALabel(t *testing.T) {
	a, _ := newTestApp(t, newStore(t, rfcLink, hotpLink, cityLink), time.Unix(50, 0))
	screens(t, a, func(name string) {
		for _, b := range unlabelled(a.win.Canvas()) {
			t.Errorf("%s: %s", name, b)
		}
	})
	// The walk itself must see what it should, or it proves nothing.
	a.showMain()
	n, grips := 0, 0
	walk(a.win.Canvas(), func(o fyne.CanvasObject) {
		switch o.(type) {
		case *widgets.CodeView:
			n++
		case *widgets.Grip:
			grips++
		}
	})
	if n != 3 || grips != 3 {
		t.Errorf("the walk met %d codes and %d grips, want 3 of each", n, grips)
	}
	if bad := unlabelled(test.NewWindow(container.NewVBox(widget.NewEntry())).Canvas()); len(bad) != 1 {
		t.Errorf("a bare Entry is not caught: %v", bad)
	}
}

// TestScreensRender compares the main screens with their expected
// renderings in testdata, in both themes and both languages. Run with
// UPDATE_GOLDEN=1 to write them anew (then look at them).
func TestScreensRender(t *testing.T) {
	st := newStore(t, cityLink, vpnLink, hotpLink)
	one := newStore(t, cityLink)
	for _, th := range []string{"light", "dark"} {
		for _, lg := range []string{"en", "de"} {
			t.Run(th+"_"+lg, func(t *testing.T) {
				fa := test.NewTempApp(t)
				fa.Preferences().SetString(prefTheme, th)
				fa.Preferences().SetString(prefLanguage, lg)
				a := openTestApp(t, fa, st, time.Unix(57, 0)) // the last five seconds
				golden(t, a, fmt.Sprintf("main_%s_%s.png", th, lg))
				if lg == "en" {
					// A row dragged by its grip: the shade over it, the line
					// where it lands (below the second row), the grip lit.
					a.win.Resize(fyne.NewSize(480, 520))
					dragThrough(a.main.rows[0], within(a.main.rows[1], 0.8))
					golden(t, a, fmt.Sprintf("drag_%s_%s.png", th, lg))
					a.main.cancelDrag()
				}
				a.showSettings()
				golden(t, a, fmt.Sprintf("settings_%s_%s.png", th, lg))
				a.showWizard()
				golden(t, a, fmt.Sprintf("wizard_%s_%s.png", th, lg))
				b := openTestApp(t, fa, one, time.Unix(50, 0))
				golden(t, b, fmt.Sprintf("one_%s_%s.png", th, lg))
			})
		}
	}
}

func golden(t *testing.T, a *App, name string) {
	t.Helper()
	a.win.Resize(fyne.NewSize(480, 520))
	if os.Getenv("UPDATE_GOLDEN") != "" {
		img := a.win.Canvas().Capture()
		f, err := os.Create(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := encodePNG(f, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	test.AssertRendersToImage(t, name, a.win.Canvas())
}

// TestTranslationsComplete checks that every string the window shows has
// a German and an English translation, and that no translation is left
// over.
func TestTranslationsComplete(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	own, _ := filepath.Glob(filepath.Join("widgets", "*.go"))
	files = append(files, own...)
	lit := regexp.MustCompile(`lang\.L\(\s*("(?:[^"\\]|\\.)*")`)
	want := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllSubmatch(b, -1) {
			var s string
			if err := json.Unmarshal(m[1], &s); err != nil {
				t.Fatalf("%s: %s: %v", f, m[1], err)
			}
			want[s] = true
		}
	}
	for _, k := range kinds {
		want[k.msg] = true
	}
	for _, k := range explainpkg.Keys() { // the table the command line shares
		want[k] = true
	}
	fyneWords := map[string]bool{"OK": true, "Yes": true, "No": true, "Confirm": true, "Open": true, "Error": true, "File": true,
		"Folder": true, "Enter filename": true, "New Folder": true, "Create Folder": true, "Show Hidden Files": true,
		"Favourites": true, "Cut": true, "Undo": true, "Redo": true, "Select all": true}
	for _, code := range []string{"en", "de"} {
		m, err := translationKeys(code)
		if err != nil {
			t.Fatalf("%s.json: %v", code, err)
		}
		for k := range want {
			if m[k] == "" {
				t.Errorf("%s.json lacks %q", code, k)
			}
		}
		for k := range m {
			if !want[k] && !fyneWords[k] {
				t.Errorf("%s.json has %q, which nothing shows", code, k)
			}
		}
	}
	de, _ := translationKeys("de")
	for k, v := range de {
		if strings.Contains(strings.ToLower(" "+v+" "), " du ") || strings.Contains(v, " dein") {
			t.Errorf("German %q addresses the reader informally: %q", k, v)
		}
	}
}

func encodePNG(f *os.File, img image.Image) error { return png.Encode(f, img) }
