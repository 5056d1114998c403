package ui

import (
	"time"

	"fyne.io/fyne/v2"
)

// Preference keys. Fyne keeps preferences in the app's own storage; none
// of them is secret.
const (
	prefClipboard = "clipboardSeconds" // int; default 30, 0: never cleared
	prefLanguage  = "language"         // "", "de" or "en"; "" follows the system
	prefTheme     = "theme"            // "", "light" or "dark"; "" follows the system
	prefTray      = "startInTray"      // bool
)

// settings are the person's choices, read from and written to Fyne's
// preferences.
type settings struct{ p fyne.Preferences }

func loadSettings(p fyne.Preferences) *settings { return &settings{p: p} }

func (s *settings) clipboardTimeout() time.Duration {
	return time.Duration(s.p.IntWithFallback(prefClipboard, int(ClipboardTimeout/time.Second))) * time.Second
}
func (s *settings) language() string  { return s.p.String(prefLanguage) }
func (s *settings) theme() string     { return s.p.String(prefTheme) }
func (s *settings) startInTray() bool { return s.p.Bool(prefTray) }
