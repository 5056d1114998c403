package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/token"
)

// tofuRDP is a recordingRDP that trusts a certificate on first use, as
// FreeRDP does with /cert:tofu.
type tofuRDP struct{ recordingRDP }

func (*tofuRDP) TrustsOnFirstUse() bool { return true }

// deskTarget is a remote desktop that names no account, reached
// directly (no gateway: no clock check), the code as the password.
func deskTarget(pins ...string) launcher.Target {
	return launcher.Target{Name: "desk", Title: "Desk", Type: launcher.KindRDP,
		RDP: &launcher.RDP{Host: "ws042.example.org", Code: launcher.CodePassword, CertFingerprints: pins}}
}

const deskPin = "sha256:" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

func codeOf(t *testing.T, st interface {
	Get(string) (token.Account, error)
}, id string, at time.Time) string {
	t.Helper()
	acc, err := st.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	c, err := token.Code(acc, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLaunchPicksAccount: a target that names no account, with two
// enrolled, asks which one (it said "ask your IT service desk" before,
// issue 10, 2.15), launches with it, and remembers the choice for the
// target in the configuration folder: a new window launches without
// asking; the settings show the choice and change it.
func TestLaunchPicksAccount(t *testing.T) {
	st := newStore(t, cityLink, vpnLink)
	at := time.Unix(35, 0)
	rdp := &recordingRDP{}
	a := openTestApp(t, test.NewTempApp(t), st, at, func(o *Options) { o.RDP = rdp })
	tg := deskTarget(deskPin)
	a.targets = []launcher.Target{tg}

	// Cancelled: nothing opens, nothing is remembered.
	a.launch(tg)
	if a.lp.picker == nil || !strings.Contains(a.dlg.message.Text, "Desk does not say which") {
		t.Fatalf("no dialog to choose the account: %v", a.dlg.message)
	}
	if got := a.lp.picker.Options; len(got) != 2 || got[0] != a.accounts[0].Label() || got[1] != a.accounts[1].Label() {
		t.Fatalf("the dialog offers %q", got)
	}
	test.Tap(a.dlg.cancel)
	if len(rdp.sessions) != 0 || !strings.Contains(a.status.Text, "was not opened") {
		t.Fatalf("after cancel: %d sessions, status %q", len(rdp.sessions), a.status.Text)
	}
	if _, err := os.Stat(filepath.Join(st.Dir(), launcher.TargetStateFile)); err == nil {
		t.Fatal("a cancelled choice was remembered")
	}

	// The second account chosen: its code goes to the desktop.
	a.launch(tg)
	a.lp.picker.SetSelected(a.lp.picker.Options[1])
	test.Tap(a.dlg.ok)
	vpn := a.accounts[1]
	if len(rdp.sessions) != 1 || rdp.sessions[0].Password != codeOf(t, st, vpn.ID, at) {
		t.Fatalf("sessions %+v: want the code of %s", rdp.sessions, vpn.Label())
	}
	b, err := os.ReadFile(filepath.Join(st.Dir(), launcher.TargetStateFile))
	if err != nil || !strings.Contains(string(b), vpn.ID) {
		t.Fatalf("the choice is not in the configuration folder: %q, %v", b, err)
	}

	// A new window: no question, the same account (the next code: the
	// one of the moment went to the first launch).
	b2 := openTestApp(t, test.NewTempApp(t), st, at, func(o *Options) { o.RDP = rdp })
	b2.targets = []launcher.Target{tg}
	b2.launch(tg)
	if b2.lp.picker != nil {
		t.Fatal("the new window asked again")
	}
	if len(rdp.sessions) != 2 || rdp.sessions[1].Password != codeOf(t, st, vpn.ID, at.Add(26*time.Second)) {
		t.Fatalf("second launch: sessions %+v", rdp.sessions)
	}

	// The settings say which account, and change it.
	b2.showSettings()
	txt := labelsOf(b2.setView.root)
	if !strings.Contains(txt, "Accounts for launching") || !strings.Contains(txt, "Desk: "+vpn.Label()) {
		t.Fatalf("the settings do not show the choice: %s", txt)
	}
	test.Tap(findButton(t, b2.setView.root, "Change…"))
	b2.lp.picker.SetSelected(b2.lp.picker.Options[0])
	test.Tap(b2.dlg.ok)
	if len(rdp.sessions) != 2 {
		t.Fatal("changing the account in the settings launched")
	}
	if txt := labelsOf(b2.setView.root); !strings.Contains(txt, "Desk: "+a.accounts[0].Label()) {
		t.Errorf("after the change the settings show: %s", txt)
	}
	if c, _ := (launcher.TargetState{Dir: st.Dir()}).Get("desk"); c.Account != a.accounts[0].ID {
		t.Errorf("recorded after the change: %+v", c)
	}

	// The chosen account removed: asked again.
	if err := st.Remove(a.accounts[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Add(mustParse(t, rfcLink)); err != nil {
		t.Fatal(err)
	}
	c := openTestApp(t, test.NewTempApp(t), st, at, func(o *Options) { o.RDP = rdp })
	c.targets = []launcher.Target{tg}
	c.launch(tg)
	if c.lp.picker == nil {
		t.Error("with the chosen account gone, the window did not ask")
	}
}

// TestPinNotice: a remote desktop whose profile pins no certificate is
// launched the first time only after a notice that says so (issue 13,
// item 5); once seen, it is remembered for the target, and a pinned one
// gets none.
func TestPinNotice(t *testing.T) {
	st := newStore(t, cityLink)
	at := time.Unix(35, 0)
	rdp := &tofuRDP{}
	a := openTestApp(t, test.NewTempApp(t), st, at, func(o *Options) { o.RDP = rdp })
	tg := deskTarget()

	a.launch(tg)
	if a.dlg.message == nil || !strings.Contains(a.dlg.message.Text, "does not name the certificate of Desk") {
		t.Fatalf("no notice before the first connection: %v", a.dlg.message)
	}
	test.Tap(a.dlg.cancel) // not now: nothing opens, the notice comes again
	if len(rdp.sessions) != 0 {
		t.Fatal("cancelled notice: the desktop was opened")
	}
	a.dlg.message = nil
	a.launch(tg)
	if a.dlg.message == nil || !strings.Contains(a.dlg.message.Text, "certificate fingerprints") {
		t.Fatalf("after cancel, no notice at the next launch: %v", a.dlg.message)
	}
	test.Tap(a.dlg.ok)
	if len(rdp.sessions) != 1 {
		t.Fatalf("after Connect: %d sessions", len(rdp.sessions))
	}

	// Seen: not again, in this window nor in a new one.
	b := openTestApp(t, test.NewTempApp(t), st, at, func(o *Options) { o.RDP = rdp })
	b.dlg.message = nil
	b.launch(tg)
	if b.dlg.message != nil || len(rdp.sessions) != 2 {
		t.Fatalf("second launch: notice %v, %d sessions", b.dlg.message, len(rdp.sessions))
	}

	// Pinned, or a client that checks the certificate itself: no notice.
	other := tg
	other.Name, other.Title = "pinned", "Pinned"
	other.RDP = &launcher.RDP{Host: "ws043.example.org", Code: launcher.CodePassword, CertFingerprints: []string{deskPin}}
	b.launch(other)
	if b.dlg.message != nil || len(rdp.sessions) != 3 {
		t.Fatalf("pinned target: notice %v, %d sessions", b.dlg.message, len(rdp.sessions))
	}
	fresh := tg
	fresh.Name = "fresh"
	mstsc := &recordingRDP{}
	c := openTestApp(t, test.NewTempApp(t), st, at, func(o *Options) { o.RDP = mstsc })
	c.launch(fresh)
	if c.dlg.message != nil || len(mstsc.sessions) != 1 {
		t.Fatalf("a client that checks certificates itself: notice %v, %d sessions", c.dlg.message, len(mstsc.sessions))
	}
}

func mustParse(t *testing.T, link string) token.Account {
	t.Helper()
	acc, err := token.ParseURI(link)
	if err != nil {
		t.Fatal(err)
	}
	return acc
}

// labelsOf is the text of every label under root, one a line.
func labelsOf(root fyne.CanvasObject) string {
	var b strings.Builder
	walkObject(root, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			b.WriteString(l.Text + "\n")
		}
	})
	return b.String()
}

// findButton is the button under root that says text.
func findButton(t *testing.T, root fyne.CanvasObject, text string) *button {
	t.Helper()
	var found *button
	walkObject(root, func(o fyne.CanvasObject) {
		if b, ok := o.(*button); ok && b.Text == text && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

// TestPickNoticePasswordChain: the account asked for, then the pin
// notice, then the desktop password: each dialog shows in turn (the one
// answered must not take the next one with it when it hides), and the
// session gets the chosen account's code.
func TestPickNoticePasswordChain(t *testing.T) {
	st := newStore(t, cityLink, vpnLink)
	at := time.Unix(35, 0)
	rdp := &tofuRDP{}
	a := openTestApp(t, test.NewTempApp(t), st, at, func(o *Options) { o.RDP = rdp })
	tg := gatewayTarget(nil)
	tg.Title = "Desk"
	shown := func(title string) {
		t.Helper()
		if a.dlg.title != title || len(a.win.Canvas().Overlays().List()) != 1 {
			t.Fatalf("dialog %q with %d overlays, want %q shown", a.dlg.title, len(a.win.Canvas().Overlays().List()), title)
		}
	}
	a.launch(tg)
	shown("Account for Desk")
	a.lp.picker.SetSelected(a.lp.picker.Options[1])
	test.Tap(a.dlg.ok)
	shown("First connection to Desk")
	test.Tap(a.dlg.ok)
	shown("Password for Desk")
	test.Type(a.dlg.entry, "Winter-2026!")
	test.Tap(a.dlg.ok)
	if len(rdp.sessions) != 1 || rdp.sessions[0].GatewayPassword != codeOf(t, st, a.accounts[1].ID, at) {
		t.Fatalf("sessions %+v: want the gateway password the code of %s", rdp.sessions, a.accounts[1].Label())
	}
	if n := len(a.win.Canvas().Overlays().List()); n != 0 {
		t.Errorf("%d dialogs left open", n)
	}
}

// TestLaunchWithoutAccounts: a target launched before any account is
// enrolled says so, in the person's words.
func TestLaunchWithoutAccounts(t *testing.T) {
	a := openTestApp(t, test.NewTempApp(t), newStore(t), time.Unix(35, 0), func(o *Options) { o.RDP = &recordingRDP{} })
	a.launch(deskTarget(deskPin))
	if !strings.Contains(a.status.Text, "No account is enrolled yet") {
		t.Errorf("status: %q", a.status.Text)
	}
}
