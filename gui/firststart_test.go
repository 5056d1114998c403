package gui

import (
	"strings"
	"testing"
	"time"
)

// A first start shows a way to the settings and to the support report,
// which the enrollment page sends people to (only Ctrl+, led there,
// issue 10, 2.6): Settings opens them, Back returns to the wizard, and
// Copy support report puts the report on the clipboard.
func TestFirstStartSettings(t *testing.T) {
	for _, c := range []struct{ lang, settings, language, back, add, report string }{
		{"en_US.UTF-8", "Settings", "Language", "Back", "Add an account", "Copy support report"},
		{"de_DE.UTF-8", "Einstellungen", "Sprache", "Zurück", "Konto hinzufügen", "Supportbericht kopieren"},
	} {
		t.Run(c.lang[:2], func(t *testing.T) {
			w := start(t, opts{lang: c.lang})
			w.wait(c.add)
			w.shot("wizard")
			w.clickLast(c.settings)
			w.wait(c.language)
			w.shot("settings")
			w.click(c.back)
			w.wait(c.add)
			w.click(c.report)
			if !poll(30*time.Second, func() bool { return strings.Contains(clipboard(), "softtoken") }) {
				w.fatalf("no support report on the clipboard: %q", clipboard())
			}
			w.shot("report")
		})
	}
}
