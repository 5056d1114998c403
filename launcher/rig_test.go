package launcher

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/token"
)

// rigLauncher is a launcher with the real xfreerdp, on the test's X
// display with a window manager, and a record of codes handed out.
func rigLauncher(t *testing.T) (*Launcher, *lockedWriter) {
	t.Helper()
	testenv.Tool(t, "xfreerdp")
	testenv.WindowManager(t)
	client, err := FindFreeRDP()
	if err != nil {
		t.Fatal(err)
	}
	out := &lockedWriter{w: new(bytes.Buffer)}
	client.Output = out
	return &Launcher{RDP: client, Handed: &Handed{Dir: t.TempDir()}}, out
}

func rigAccount(rig *testenv.Rig, id, user string) token.Account {
	return token.Account{ID: id, Issuer: "Rig", Name: user, Type: token.TOTP, Algorithm: token.SHA1,
		Digits: 6, Period: 30, Secret: rig.Seed}
}

// rigLogin launches req and waits until xrdp says its user logged in;
// then it ends the client.
func rigLogin(t *testing.T, rig *testenv.Rig, l *Launcher, out *lockedWriter, req Request) Result {
	t.Helper()
	user := req.Account.Name
	before, failed := rig.Logins(user), rig.Failures(user)
	res, err := l.Launch(context.Background(), req)
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
	rig.WaitLogin(t, user, before, failed)
	return res
}

// TestRigRDP logs in to the real xrdp of the rig, whose PAM checks the
// code with pam_oath: with the code as the password (FreeRDP 2 gets it
// on standard input before it connects, as xrdp never asks); then at
// once again, which waits for the next code, since pam_oath refuses a
// code used once; and with the PIN followed by the code.
func TestRigRDP(t *testing.T) {
	rig := testenv.RDPRig(t)
	l, out := rigLauncher(t)
	var mu sync.Mutex
	var waits []bool
	l.OnWait = func(d time.Duration, used bool) {
		mu.Lock()
		waits = append(waits, used)
		mu.Unlock()
		t.Logf("waiting %s for a fresh code (used: %v)", d.Round(time.Millisecond), used)
	}
	acc := rigAccount(rig, "rig-launcher", rig.User(t, "launcher"))
	target := Target{Name: "rig", Type: KindRDP, RDP: &RDP{Host: "127.0.0.1", Port: rig.Port, Code: CodePassword}}

	first := rigLogin(t, rig, l, out, Request{Target: target, Account: acc})
	if strings.Contains(first.Action, "/p:") || !strings.Contains(first.Action, "/from-stdin:force < ••••••") {
		t.Errorf("action %q", first.Action)
	}
	// At once again: the code of the moment is taken (by the first
	// launch, or here, as a copy in the window would, where the first
	// ran into the next period), so the launch waits for the next one.
	// With 8 s of the period left, it does not wait for a fresh code
	// instead.
	testenv.LeaveTime(8 * time.Second)
	if _, err := l.Handed.Claim(acc.ID, acc.Period, time.Now()); err != nil {
		t.Fatal(err)
	}
	second := rigLogin(t, rig, l, out, Request{Target: target, Account: acc})
	mu.Lock()
	usedWaits := 0
	for _, u := range waits {
		if u {
			usedWaits++
		}
	}
	mu.Unlock()
	if !second.CodeWasUsed || usedWaits != 1 {
		t.Errorf("the second launch did not wait for the next code: used %v, waits %v", second.CodeWasUsed, waits)
	}
	if rig.Failures(acc.Name) != 0 {
		t.Errorf("xrdp refused a login:\n%s", rig.Tail())
	}

	// The PIN, then the code.
	pinAcc := rigAccount(rig, "rig-launcher-pin", rig.User(t, "launcher-pin"))
	pinTarget := Target{Name: "rig-pin", Type: KindRDP, RDP: &RDP{Host: "127.0.0.1", Port: rig.Port, Code: CodePasswordCode}}
	if !l.NeedsPassword(pinTarget) {
		t.Fatal("password+code does not ask for the PIN")
	}
	res := rigLogin(t, rig, l, out, Request{Target: pinTarget, Account: pinAcc, Password: rig.PIN})
	if !strings.Contains(res.Action, "< (your password)••••••") || strings.Contains(res.Action, rig.PIN) {
		t.Errorf("action %q", res.Action)
	}
}

// TestRigRDPRefused: a client that cannot connect fails the launch, and
// the error says why, with the code masked.
func TestRigRDPRefused(t *testing.T) {
	l, out := rigLauncher(t)
	// A port that was free a moment ago: nothing listens there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	// Long enough for a slow machine: xfreerdp ends at once anyway.
	l.StartGrace = time.Minute
	acc := testAccount(t)
	acc.ID = "refused"
	target := Target{Name: "gone", Type: KindRDP, RDP: &RDP{Host: "127.0.0.1", Port: port, Code: CodePassword}}
	var codeAt time.Time
	l.Now = func() time.Time { codeAt = time.Now(); return codeAt }
	res, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
	var ce *ClientError
	if !errors.Is(err, ErrConnect) || !errors.As(err, &ce) {
		t.Fatalf("launch to a closed port: %v (want a ClientError)\n%s", err, out.String())
	}
	t.Logf("error: %v", err)
	code, _ := token.Code(acc, codeAt)
	if ce.Line == "" || ce.Status == 0 || strings.Contains(err.Error(), code) {
		t.Errorf("error %q: no line, no status, or the code", err)
	}
	if res.Process == nil {
		t.Error("no process in the result")
	}
}

// TestRigRDPPinned: a target whose profile names the certificate's
// fingerprint logs in to the real xrdp (FreeRDP accepts that certificate
// only, /cert:deny), and one that names another fingerprint, as a man in
// the middle's certificate would have, is refused before any password
// leaves: no login, no failed login, the launch fails and says so. Also
// after the certificate was trusted on first use by an earlier launch
// without pins: FreeRDP's own store of known hosts would accept it then,
// whatever the fingerprints say (the first run of this test in the whole
// suite found that), so with pins the client gets none.
func TestRigRDPPinned(t *testing.T) {
	rig := testenv.RDPRig(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // FreeRDP's known hosts, of this test alone
	l, out := rigLauncher(t)
	acc := rigAccount(rig, "rig-launcher-cert", rig.User(t, "launcher-cert"))
	rdp := func(pins ...string) *RDP {
		return &RDP{Host: "127.0.0.1", Port: rig.Port, Code: CodePassword, CertFingerprints: pins}
	}

	// Trusted on first use, as a launch before the profile named it.
	res := rigLogin(t, rig, l, out, Request{Target: Target{Name: "rig-tofu", Type: KindRDP, RDP: rdp()}, Account: acc})
	if !strings.Contains(res.Action, "/cert:tofu") {
		t.Errorf("action %q: not trust on first use", res.Action)
	}

	// Another certificate's fingerprint: refused, although FreeRDP knows
	// this one now. A launcher of its own, so that it does not wait for
	// a fresh code: none reaches the server.
	other := Target{Name: "rig-other-cert", Type: KindRDP, RDP: rdp("sha256:" + strings.Repeat("ab", 32))}
	if err := other.Validate(); err != nil {
		t.Fatal(err)
	}
	// xfreerdp ends at once; a slow machine may take seconds.
	l2 := &Launcher{RDP: l.RDP, Handed: &Handed{Dir: t.TempDir()}, StartGrace: time.Minute}
	logins, failures := rig.Logins(acc.Name), rig.Failures(acc.Name)
	_, err := l2.Launch(context.Background(), Request{Target: other, Account: acc})
	var ce *ClientError
	if !errors.Is(err, ErrConnect) || !errors.As(err, &ce) {
		t.Fatalf("launch with another certificate's fingerprint: %v (want a ClientError)\n%s", err, out.String())
	}
	t.Logf("refused: %v", err)
	if rig.Logins(acc.Name) != logins || rig.Failures(acc.Name) != failures {
		t.Errorf("xrdp saw a login with the wrong certificate:\n%s", rig.Tail())
	}

	// The right fingerprint: logs in (with the next code: the first
	// launch's was used).
	pinned := Target{Name: "rig-pinned", Type: KindRDP, RDP: rdp(rig.CertFingerprint(t))}
	if err := pinned.Validate(); err != nil {
		t.Fatal(err)
	}
	res = rigLogin(t, rig, l, out, Request{Target: pinned, Account: acc})
	if !strings.Contains(res.Action, "/cert:deny,fingerprint:sha256:") {
		t.Errorf("action %q: no pinned certificate", res.Action)
	}
}
