package ui

import (
	"os"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/cityadmin/softtoken/store/storetest"
)

// TestMain pins the system language the tests see to English, whatever
// the caller's locale: Fyne reads LC_ALL, LC_MESSAGES, LANG and LANGUAGE
// each time translations change, so a German or an en_US caller would
// otherwise decide which words the tests read. Tests that are about the
// system's language set it themselves (TestSystemLanguageAgain).
func TestMain(m *testing.M) {
	storetest.FastKDF(m) // the vaults the tests create: no full Argon2 cost
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		os.Unsetenv(v)
	}
	os.Setenv("LANG", "en_US.UTF-8")
	os.Exit(m.Run())
}

// TestSystemLanguageAgain: a language chosen in the settings, then "as the
// system" again, gives the system's words back, on an English, a German
// and a French system, in every order. Before, an en_US system kept the
// German words once German had been chosen (they stayed under en-US).
func TestSystemLanguageAgain(t *testing.T) {
	for _, c := range []struct {
		locale, system, cancel string
	}{
		{"en_US.UTF-8", "Copy", "Cancel"},
		{"de_DE.UTF-8", "Kopieren", "Abbrechen"},
		{"en_GB.UTF-8", "Copy", "Cancel"},
		{"de_AT.UTF-8", "Kopieren", "Abbrechen"},
		{"fr_FR.UTF-8", "Copier", "Annuler"}, // Fyne's own words in French, ours in English
		{"C.UTF-8", "Copy", "Cancel"},
	} {
		t.Run(c.locale, func(t *testing.T) {
			t.Setenv("LANG", c.locale)
			t.Cleanup(func() { setLanguage("") })
			setLanguage("")
			check := func(step, copyWant, cancelWant string) {
				t.Helper()
				if got := lang.L("Copy"); got != copyWant {
					t.Errorf("%s: Copy reads %q, want %q", step, got, copyWant)
				}
				if got := lang.L("Cancel"); got != cancelWant {
					t.Errorf("%s: Cancel reads %q, want %q", step, got, cancelWant)
				}
			}
			check("as the system", c.system, c.cancel)
			for _, seq := range [][]string{{"de", ""}, {"en", ""}, {"de", "en", ""}, {"en", "de", ""}} {
				for _, code := range seq {
					setLanguage(code)
					switch code {
					case "de":
						check("German chosen", "Kopieren", "Abbrechen")
					case "en":
						check("English chosen", "Copy", "Cancel")
					}
				}
				check("as the system again after "+seq[0], c.system, c.cancel)
			}
		})
	}
}
