package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
)

// Errors that reach the window have a sentence of their own, in German
// too: the fallback shows the error's English text (issue 10).
func TestErrorsReachingTheWindowExplained(t *testing.T) {
	test.NewTempApp(t)
	loadTranslations()
	setLanguage("de")
	t.Cleanup(func() { setLanguage("") })
	for _, err := range []error{launcher.ErrRelay, launcher.ErrCredentialInUse, launcher.ErrClockCheck,
		launcher.ErrDowngrade, store.ErrVaultChangedKeys} {
		wrapped := fmt.Errorf("launch: %w", err)
		if got := explain(wrapped); strings.Contains(got, err.Error()) {
			t.Errorf("%v reads in German: %q", err, got)
		}
	}
}

// The search folds case, umlauts, ß and accents (issue 10, 2.4).
func TestSearchFold(t *testing.T) {
	for _, c := range []struct {
		text, query string
		match       bool
	}{
		{"Straße", "strasse", true},
		{"Strasse", "straße", true},
		{"STRASSE", "Straße", true},
		{"Müller GmbH", "mueller", true},
		{"Müller GmbH", "muller", true},
		{"Mueller", "müller", true},
		{"Société Générale", "societe", true},
		{"Jörg", "joerg", true},
		{"Gamma", "ß", false},
		{"Alpha", "beta", false},
	} {
		if got := strings.Contains(fold(c.text), fold(c.query)); got != c.match {
			t.Errorf("%q found by %q: %v, want %v", c.text, c.query, got, c.match)
		}
	}
}

// A launch's code on the clipboard is cleared as the setting says, not
// after the launcher's own fixed 30 s (issue 10).
func TestLaunchClipboardFollowsSetting(t *testing.T) {
	fa := test.NewTempApp(t)
	for _, setting := range []time.Duration{0, 10 * time.Second} {
		g := newClipGuard(fa.Clipboard())
		var timers []time.Duration
		var fire []func()
		g.after = func(d time.Duration, f func()) *time.Timer {
			timers = append(timers, d)
			fire = append(fire, f)
			return time.NewTimer(time.Hour)
		}
		c := launcherClipboard{g, func() time.Duration { return setting }}
		c.SetContent("123456")
		c.SetContent("") // the launcher's own clearing, after its 30 s
		if got := fa.Clipboard().Content(); got != "123456" {
			t.Errorf("setting %v: the launcher's clearing emptied the clipboard (%q)", setting, got)
		}
		if setting == 0 && len(timers) != 0 {
			t.Errorf("setting Never: a timer of %v was set", timers)
		}
		if setting > 0 {
			if len(timers) != 1 || timers[0] != setting {
				t.Fatalf("setting %v: timers %v", setting, timers)
			}
			fire[0]()
			if got := fa.Clipboard().Content(); got != "" {
				t.Errorf("setting %v: after the timer the clipboard holds %q", setting, got)
			}
		}
	}
}
