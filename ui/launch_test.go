package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/token"
)

// recordingRDP is a remote desktop client that records the sessions it
// is asked to start.
type recordingRDP struct {
	mu       sync.Mutex
	sessions []launcher.RDPSession
}

func (c *recordingRDP) TakesPasswords(*launcher.RDP) bool     { return true }
func (c *recordingRDP) Describe(s launcher.RDPSession) string { return "rdp " + s.Host }
func (c *recordingRDP) Start(_ context.Context, s launcher.RDPSession) (*launcher.Process, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sessions = append(c.sessions, s)
	return nil, nil
}

// gatewayTarget is a remote desktop behind a gateway that takes the code
// as its password. The gateway is a closed local port, so the clock check
// fails at once and the launch goes on without it.
func gatewayTarget(ask *bool) launcher.Target {
	return launcher.Target{Name: "desk", Title: "Remote desktop", Type: launcher.KindRDP,
		RDP: &launcher.RDP{Host: "ws042.example.org", Gateway: "127.0.0.1:1", Domain: "STADT", Code: launcher.CodeGatewayPassword, AskPassword: ask}}
}

// TestLaunchAsksDesktopPassword: where the profile wants the person's own
// password alongside the code, the window asks for it, names the user,
// passes it with the code to the client once, and keeps it nowhere.
func TestLaunchAsksDesktopPassword(t *testing.T) {
	st := newStore(t, rfcLink)
	at := time.Unix(35, 0) // 25 s left: no wait for a fresh code
	rdp := &recordingRDP{}
	a := openTestApp(t, test.NewTempApp(t), st, at, func(o *Options) { o.RDP = rdp })
	tg := gatewayTarget(nil)
	a.targets = []launcher.Target{tg}

	// Cancelled: nothing starts.
	a.launch(tg)
	if a.dlg.entry == nil || !strings.Contains(a.dlg.message.Text, `STADT\alice`) {
		t.Fatalf("no password dialog naming the user: %v", a.dlg.message)
	}
	test.Tap(a.dlg.cancel)
	if len(rdp.sessions) != 0 || !strings.Contains(a.status.Text, "was not opened") {
		t.Fatalf("after cancel: %d sessions, status %q", len(rdp.sessions), a.status.Text)
	}

	// An empty password is not taken; a typed one is, with the code.
	a.launch(tg)
	test.Tap(a.dlg.ok)
	if len(rdp.sessions) != 0 {
		t.Fatalf("empty password: %d sessions started", len(rdp.sessions))
	}
	test.Type(a.dlg.entry, "Winter-2026!")
	test.Tap(a.dlg.ok)
	acc, err := st.Get(a.accounts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := token.Code(acc, at)
	if len(rdp.sessions) != 1 {
		t.Fatalf("%d sessions started, want 1", len(rdp.sessions))
	}
	s := rdp.sessions[0]
	if s.GatewayPassword != code || s.Password != "Winter-2026!" || s.User != "alice" || s.Domain != "STADT" {
		t.Errorf("session %+v: want the code for the gateway, the password for the desktop", s)
	}
	if a.dlg.entry.Text != "" || strings.Contains(a.status.Text, "Winter") || !strings.Contains(a.status.Text, "was opened") {
		t.Errorf("after the launch: entry %q, status %q", a.dlg.entry.Text, a.status.Text)
	}

	// A profile that says no: no dialog, no password. The code of the
	// moment went to the first launch: this one gets the next (the
	// launch waits 25 s and the margin, which the test clock skips).
	no := false
	a.dlg.entry = nil
	a.launch(gatewayTarget(&no))
	next, _ := token.Code(acc, at.Add(26*time.Second))
	if a.dlg.entry != nil || len(rdp.sessions) != 2 || rdp.sessions[1].Password != "" || rdp.sessions[1].GatewayPassword != next {
		t.Errorf("askPassword false: dialog %v, sessions %+v", a.dlg.entry != nil, rdp.sessions)
	}
}

// TestPasswordDialogRenders compares the password dialog with its expected
// renderings (UPDATE_GOLDEN=1 writes them anew).
func TestPasswordDialogRenders(t *testing.T) {
	st := newStore(t, cityLink)
	for _, c := range []struct{ theme, lang string }{{"light", "de"}, {"dark", "en"}} {
		t.Run(c.theme+"_"+c.lang, func(t *testing.T) {
			fa := test.NewTempApp(t)
			fa.Preferences().SetString(prefTheme, c.theme)
			fa.Preferences().SetString(prefLanguage, c.lang)
			a := openTestApp(t, fa, st, time.Unix(35, 0), func(o *Options) { o.RDP = &recordingRDP{} })
			a.launch(gatewayTarget(nil))
			test.Type(a.dlg.entry, "secret")
			golden(t, a, "password_"+c.theme+"_"+c.lang+".png")
		})
	}
}

// TestClockSkewCorrectsCodes: a launch that finds the portal's clock off
// by more than ClockWarn corrects the codes shown for that issuer (not
// the others), says so on the row, and a new window starts corrected
// from the check's cache.
func TestClockSkewCorrectsCodes(t *testing.T) {
	const skew = 95 * time.Second
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(skew).UTC().Format(http.TimeFormat))
	}))
	defer srv.Close()
	st := newStore(t, cityLink, vpnLink)
	tg := launcher.Target{Name: "portal", Title: "Portal", Type: launcher.KindWeb, Account: "Stadtverwaltung",
		Web: &launcher.Web{URL: "https://" + srv.Listener.Addr().String() + "/login", Code: launcher.CodeClipboard}}
	if err := launcher.AddUserTarget(st.Dir(), tg); err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1000, 0) // 20 s left, and 95 s later 15 s: no wait for a fresh code
	a := openTestApp(t, test.NewTempApp(t), st, at)
	a.clock = &launcher.ClockCheck{Client: srv.Client(), Dir: st.Dir()}
	codeAt := func(issuer string, when time.Time) (row *row, want string) {
		for _, r := range a.main.rows {
			if r.acc.Issuer == issuer {
				acc, err := st.Get(r.acc.ID)
				if err != nil {
					t.Fatal(err)
				}
				c, _ := token.Code(acc, when)
				return r, token.Group(c)
			}
		}
		t.Fatalf("no row of %s", issuer)
		return nil, ""
	}
	if r, want := codeAt("Stadtverwaltung", at); r.code.Text() != want {
		t.Fatalf("before the launch: %q, want %q", r.code.Text(), want)
	}

	a.launch(a.targets[0])
	off := a.corr["stadtverwaltung"]
	if (off - skew).Abs() > 1100*time.Millisecond {
		t.Fatalf("skew after the launch %v, want about %v (status %q)", off, skew, a.status.Text)
	}
	r, want := codeAt("Stadtverwaltung", at.Add(off))
	if r.code.Text() != want || !strings.Contains(r.sub.Text, "clock corrected") {
		t.Errorf("corrected row: code %q (want %q), %q", r.code.Text(), want, r.sub.Text)
	}
	if r, want := codeAt("VPN Gateway", at); r.code.Text() != want || strings.Contains(r.sub.Text, "corrected") {
		t.Errorf("another issuer's row: code %q (want %q), %q", r.code.Text(), want, r.sub.Text)
	}

	// A new window: corrected from the start, from the cache.
	b := openTestApp(t, test.NewTempApp(t), st, at)
	if b.corr["stadtverwaltung"] != off {
		t.Errorf("a new window starts with skew %v, want %v", b.corr, off)
	}
}
