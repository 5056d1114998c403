package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// TestFirstStartReachesSettings: a first start (no account: the wizard)
// shows buttons for the settings and the support report (only Ctrl+,
// led there before, issue 10, 2.6); the settings' Back and Escape return
// to the wizard; the report goes to the clipboard.
func TestFirstStartReachesSettings(t *testing.T) {
	st := newStore(t)
	a, fa := newTestApp(t, st, time.Unix(35, 0))
	if a.screen != screenWizard || a.wiz == nil || a.wiz.help == nil {
		t.Fatalf("a first start shows screen %v without the help row", a.screen)
	}
	test.Tap(a.wiz.help.settings)
	if a.screen != screenSettings {
		t.Fatalf("Settings shows screen %v", a.screen)
	}
	test.Tap(a.setView.back)
	if a.screen != screenWizard || !a.wiz.choosing {
		t.Fatalf("Back from the settings shows screen %v", a.screen)
	}
	test.Tap(a.wiz.help.settings)
	a.escape()
	if a.screen != screenWizard {
		t.Fatalf("Escape in the settings shows screen %v", a.screen)
	}
	test.Tap(a.wiz.help.report)
	if got := fa.Clipboard().Content(); !strings.Contains(got, "softtoken") {
		t.Errorf("the clipboard after Copy support report: %q", got)
	}
	if !strings.Contains(a.wiz.help.msg.Text, "support report is on the clipboard") {
		t.Errorf("beside the button: %q", a.wiz.help.msg.Text)
	}

	// With an account, the wizard has no such row: the main screen has
	// the settings.
	b, _ := newTestApp(t, newStore(t, cityLink), time.Unix(35, 0))
	b.showWizard()
	if b.wiz.help != nil {
		t.Error("the wizard of a second account shows the help row")
	}
}
