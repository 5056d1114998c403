package launcher

import (
	"context"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// waitTyped waits for the outcome of a launch's typing.
func waitTyped(t *testing.T, res Result, what string) {
	t.Helper()
	if res.TypeErr != nil || res.Typed == nil {
		t.Fatalf("no typing: %v", res.TypeErr)
	}
	select {
	case err := <-res.Typed:
		if err != nil {
			t.Fatalf("typing into %s: %v", what, err)
		}
	case <-time.After(2 * DefaultTypeWithin):
		t.Fatalf("typing into %s: no outcome", what)
	}
	// What the code went into, for the log.
	if out, err := exec.Command("xdotool", "getwindowfocus", "getwindowname").Output(); err == nil {
		t.Logf("typed into the window %q", strings.TrimSpace(string(out)))
	}
}

// TestRigTypeRDP: an RDP target in mode "type" starts the real xfreerdp
// without a password; xrdp shows its login screen (the user name filled
// in, the cursor in the password field) in xfreerdp's window, which takes
// the focus; the launcher types the code there through XTEST, with
// Enter, and pam_oath lets the user in.
func TestRigTypeRDP(t *testing.T) {
	rig := testenv.RDPRig(t)
	testenv.Tool(t, "xdotool")
	testenv.PrivateDisplay(t)
	l, out := rigLauncher(t)
	acc := rigAccount(rig, "rig-launcher-type", rig.User(t, "launcher-type"))
	target := Target{Name: "rig-type", Type: KindRDP, RDP: &RDP{Host: "127.0.0.1", Port: rig.Port, Code: CodeType, TypeEnter: true}}
	user := acc.Name
	before, failed := rig.Logins(user), rig.Failures(user)
	res, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
	if err != nil {
		t.Fatalf("launch: %v\nxfreerdp said:\n%s\n%s", err, out.String(), rig.Tail())
	}
	if res.Process == nil {
		t.Fatal("no client started")
	}
	defer func() {
		res.Process.Kill()
		res.Process.Wait()
	}()
	if strings.Contains(res.Action, "/p:") || strings.Contains(res.Action, "from-stdin:force") || !strings.Contains(res.Action, "is typed into") {
		t.Errorf("action %q", res.Action)
	}
	waitTyped(t, res, "xfreerdp")
	rig.WaitLogin(t, user, before, failed)
	t.Logf("xrdp: %s", lastLine(rig.Tail(), "login successful for user "+user))
}

func lastLine(s, sub string) string {
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], sub) {
			return strings.TrimSpace(lines[i])
		}
	}
	return ""
}

// fillingOpener opens the portal in a real Chromium and, standing for
// the person, fills in their part of the login form once the page has
// loaded (user name and password), then puts the cursor back in the
// user name field; the code is the launcher's to type, two Tabs on.
type fillingOpener struct {
	*chromiumOpener
	t        *testing.T
	p        *testenv.Portal
	page     string
	user, pw string
}

func (o *fillingOpener) OpenURL(u *url.URL) error {
	t := o.t
	served, icons := o.p.Served("GET "+o.page), o.p.Served("GET /favicon.ico")
	if err := o.chromiumOpener.OpenURL(u); err != nil {
		return err
	}
	wait := func(what string, done func() bool) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for !done() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 90 s\n%s", what, o.p.Tail())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	wait("the login page served", func() bool { return o.p.Served("GET "+o.page) > served })
	wait("the login page loaded", func() bool { return o.p.Served("GET /favicon.ico") > icons })
	var win string
	wait("Chromium's window titled by the login page", func() bool {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Log in").Output()
		if ids := strings.Fields(string(out)); len(ids) > 0 {
			win = ids[0]
		}
		return win != ""
	})
	xdo(t, "windowactivate", "--sync", win)
	xdo(t, "type", "--delay", "30", o.user)
	xdo(t, "key", "Tab")
	xdo(t, "type", "--delay", "30", o.pw)
	xdo(t, "key", "shift+Tab")
	return nil
}

// TestRigTypeWeb: a web target in mode "type" with typeTabs 2 and
// typeEnter: the launch opens a real Chromium on the real portal (the
// rig's Django admin behind django-otp, on TLS); with the user name and
// password filled in and the cursor in the user name field, the launcher
// types Tab, Tab, the code and Enter into Chromium's window, which has
// the focus, and the portal lets the user in to the protected page.
func TestRigTypeWeb(t *testing.T) {
	rig := testenv.RDPRig(t)
	p := rig.Portal(t)
	exe := testenv.Tool(t, "chromium")
	testenv.Tool(t, "xdotool")
	testenv.PrivateDisplay(t)
	testenv.WindowManager(t)
	page := "/admin/login/?next=/admin/"
	opener := &fillingOpener{chromiumOpener: &chromiumOpener{t: t, exe: exe, spki: spkiHash(t, p.Cert)},
		t: t, p: p, page: page, user: p.User, pw: p.Password}
	defer opener.close()
	l := &Launcher{Opener: opener, Handed: rigHanded()}
	acc := rigAccount(rig, "rig-portal", p.User)
	target := Target{Name: "portal-type", Type: KindWeb, Web: &Web{URL: "https://127.0.0.1:" + strconv.Itoa(p.Port) + page,
		Code: CodeType, TypeTabs: 2, TypeEnter: true}}
	logins, protected, failed := p.Logins(p.User), p.Protected(p.User), p.Failures(p.User)
	res, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
	if err != nil {
		t.Fatal(err)
	}
	if res.CodeOnClipboard || res.Relay != nil {
		t.Fatalf("type mode: on the clipboard %v, relay %v", res.CodeOnClipboard, res.Relay)
	}
	waitTyped(t, res, "Chromium")
	deadline := time.Now().Add(90 * time.Second)
	for p.Logins(p.User) <= logins || p.Protected(p.User) <= protected {
		if p.Failures(p.User) > failed {
			t.Fatalf("the portal refused the login:\n%s", p.Tail())
		}
		if time.Now().After(deadline) {
			t.Fatalf("no login within 90 s\n%s", p.Tail())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("portal: %s", lastLine(p.Tail(), "protected page for user "+p.User))
}
