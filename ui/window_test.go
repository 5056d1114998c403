package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
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

// Typing a key by hand (issue 10, 2.10): a key of the wrong length says
// so; the key is shown as typed; the period has its unit and a TOTP key
// no counter; Back from the preview keeps what was typed.
func TestEnrollByHandAsTyped(t *testing.T) {
	st := newStore(t, rfcLink)
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	a.showWizard()
	test.Tap(a.wiz.manual)
	w := a.wiz
	if w.key.Password {
		t.Errorf("the key is hidden as it is typed")
	}
	test.Type(w.issuer, "Stadt")
	test.Type(w.name, "erika")
	test.Type(w.key, "JBSWY3DPEHPK3PXPJ") // 17 letters: one too many
	if !strings.Contains(w.err.Text, "too many or too few") {
		t.Errorf("a 17-letter key says %q", w.err.Text)
	}
	w.key.SetText("JBSWY3DPEHPK3PXP")
	test.Tap(w.advanced)
	labels := func() []string {
		var out []string
		for _, it := range w.advancedBox.Objects[0].(*widget.Form).Items {
			out = append(out, it.Text)
		}
		return out
	}
	if got := labels(); slices.Contains(got, "Counter") || !slices.Contains(got, "Period (seconds)") {
		t.Errorf("a time-based key's advanced settings: %q", got)
	}
	w.typ.SetSelected(typeLabels()[1])
	if got := labels(); !slices.Contains(got, "Counter") || slices.Contains(got, "Period (seconds)") {
		t.Errorf("a counter-based key's advanced settings: %q", got)
	}
	w.typ.SetSelected(typeLabels()[0])
	test.Tap(w.next)
	if w.save == nil {
		t.Fatal("no preview")
	}
	test.Tap(w.back)
	if w.issuer.Text != "Stadt" || w.name.Text != "erika" || w.key.Text != "JBSWY3DPEHPK3PXP" || w.next.Disabled() {
		t.Errorf("after Back from the preview the form holds %q %q %q", w.issuer.Text, w.name.Text, w.key.Text)
	}
	test.Tap(w.manualBack)
	test.Tap(w.manual)
	if w.name.Text != "erika" {
		t.Errorf("after Back to the ways in and again the form holds %q", w.name.Text)
	}
}

// Paste (issue 10, 2.16): a link inside other text is picked out; a bare
// key opens the form with it filled in; the pasted text leaves the
// clipboard once saved.
func TestPasteTextAndKey(t *testing.T) {
	st := newStore(t)
	a, fa := newTestApp(t, st, time.Unix(50, 0))
	fa.Clipboard().SetContent("Your link: " + rfcLink + " (valid 24 h)")
	a.showWizard()
	test.Tap(a.wiz.paste)
	if a.wiz.save == nil {
		t.Fatalf("a link inside text: %q", a.wiz.err.Text)
	}
	test.Tap(a.wiz.save)
	if got := fa.Clipboard().Content(); got != "" {
		t.Errorf("after saving, the clipboard holds %q", got)
	}
	fa.Clipboard().SetContent("GEZD GNBV GY3T QOJQ")
	a.showWizard()
	test.Tap(a.wiz.paste)
	w := a.wiz
	if w.key == nil || w.key.Text != "GEZD GNBV GY3T QOJQ" {
		t.Fatalf("a bare key: no form with it (%q)", w.err.Text)
	}
	test.Type(w.name, "erika")
	test.Tap(w.next)
	fa.Clipboard().SetContent("something else")
	test.Tap(w.save)
	if got := fa.Clipboard().Content(); got != "something else" {
		t.Errorf("saving cleared what was copied since: %q", got)
	}
	if accs, _ := st.List(); len(accs) != 2 {
		t.Errorf("stored %v", accs)
	}
}

// Re-enrolling (issue 10, 2.3): the preview offers Replace, asks, and the
// new key takes the old account's place and name.
func TestReenrollReplaces(t *testing.T) {
	st := newStore(t, cityLink, rfcLink)
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	before, _ := st.List()
	if err := st.Rename(before[0].ID, "Stadtverwaltung", "Max Mustermann"); err != nil { // a name of the person's own
		t.Fatal(err)
	}
	a.reload(nil)
	a.Enroll("otpauth://totp/Stadtverwaltung:Max%20Mustermann?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF&issuer=Stadtverwaltung")
	w := a.wiz
	if w.replace == nil {
		t.Fatalf("no Replace: warnings %q", w.warnings)
	}
	test.Tap(w.replace)
	if !a.dlg.open || a.dlg.title != "Replace account" {
		t.Fatalf("Replace asks nothing")
	}
	test.Tap(a.dlg.ok)
	after, err := st.List()
	if err != nil || len(after) != 2 {
		t.Fatalf("after Replace: %v, %v", after, err)
	}
	got, _ := st.Get(after[0].ID)
	if after[0].Label() != "Stadtverwaltung: Max Mustermann" || after[0].ID == before[0].ID ||
		token.EncodeBase32(got.Secret) != "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF" || after[1].ID != before[1].ID {
		t.Errorf("after Replace: %v (secret %s); before %v", after, token.EncodeBase32(got.Secret), before)
	}
	if !strings.Contains(a.status.Text, "was replaced") {
		t.Errorf("status %q", a.status.Text)
	}
}

// Feedback that is not stale (issue 10, 2.7): the Copy button says it
// copied; "removed in 30 seconds" gives way once it was; the support
// report's message shows on the settings screen, beside its button.
func TestFeedbackNotStale(t *testing.T) {
	st := newStore(t, rfcLink, cityLink)
	a, fa := newTestApp(t, st, time.Unix(50, 0))
	var fire []func()
	a.clip.after = func(d time.Duration, f func()) *time.Timer {
		fire = append(fire, f)
		return time.NewTimer(time.Hour)
	}
	r := a.main.rows[0]
	test.Tap(r.copy)
	if r.copy.Text != "Copied" || !strings.Contains(a.status.Text, "removed from there in 30 seconds") {
		t.Errorf("after Copy: button %q, status %q", r.copy.Text, a.status.Text)
	}
	for _, f := range fire {
		f()
	}
	if r.copy.Text != "Copy" || fa.Clipboard().Content() != "" || a.status.Text != "The code was removed from the clipboard." {
		t.Errorf("after the timeout: button %q, clipboard %q, status %q", r.copy.Text, fa.Clipboard().Content(), a.status.Text)
	}
	a.showSettings()
	test.Tap(a.setView.report)
	if !strings.Contains(a.setView.reportMsg.Text, "support report is on the clipboard") {
		t.Errorf("the settings screen says %q after Copy support report", a.setView.reportMsg.Text)
	}
}
