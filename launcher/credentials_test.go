package launcher

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/token"
)

// fakeCredentials stands in for Windows Credential Manager, which cannot
// run here. It keeps what is saved, refuses to replace a credential it
// did not write, and records every call.
type fakeCredentials struct {
	mu      sync.Mutex
	saved   map[string]fakeCred
	puts    []fakePut // what was written, in order
	deletes []string  // every Delete call's target
	failPut string    // a target whose Put fails
}

type fakePut struct{ target, user, secret string }

type fakeCred struct {
	user, secret string
	ours         bool
	written      time.Time
}

func newFakeCredentials() *fakeCredentials {
	return &fakeCredentials{saved: map[string]fakeCred{}}
}

func (f *fakeCredentials) Put(target, user, secret string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if target == f.failPut {
		return fmt.Errorf("save the Windows credential %s: Access is denied.", target)
	}
	if c, ok := f.saved[target]; ok && !c.ours {
		return fmt.Errorf("%w: %s", ErrCredentialInUse, target)
	}
	f.saved[target] = fakeCred{user, secret, true, time.Now()}
	f.puts = append(f.puts, fakePut{target, user, secret})
	return nil
}

func (f *fakeCredentials) Delete(target string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	// A second call for one put would delete what a later launch to
	// the same host put meanwhile: count every call.
	f.deletes = append(f.deletes, target)
	if c, ok := f.saved[target]; ok && c.ours {
		delete(f.saved, target)
	}
	return nil
}

func (f *fakeCredentials) Leftovers(before time.Time) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ts []string
	for t, c := range f.saved {
		if c.ours && c.written.Before(before) {
			ts = append(ts, t)
		}
	}
	slices.Sort(ts)
	return ts, nil
}

// state returns copies of what was put, deleted and is saved now.
func (f *fakeCredentials) state() (puts []fakePut, deletes []string, saved map[string]fakeCred) {
	f.mu.Lock()
	defer f.mu.Unlock()
	saved = make(map[string]fakeCred, len(f.saved))
	for k, v := range f.saved {
		saved[k] = v
	}
	return slices.Clone(f.puts), slices.Clone(f.deletes), saved
}

// deletedOnce fails unless every credential put was deleted exactly once
// and none of ours is left.
func deletedOnce(t *testing.T, f *fakeCredentials) {
	t.Helper()
	puts, deletes, saved := f.state()
	var p []string
	for _, x := range puts {
		p = append(p, x.target)
	}
	slices.Sort(p)
	d := slices.Sorted(slices.Values(deletes))
	if !slices.Equal(p, d) {
		t.Errorf("put %q, deleted %q: each must be deleted exactly once", p, d)
	}
	for target, c := range saved {
		if c.ours {
			t.Errorf("%s is left", target)
		}
	}
}

// timers records the functions handed to AfterFunc, to run them when the
// test says the time is up.
type timers struct {
	mu sync.Mutex
	fs []func()
	ds []time.Duration
}

func (tm *timers) AfterFunc(d time.Duration, f func()) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	tm.fs, tm.ds = append(tm.fs, f), append(tm.ds, d)
}

func (tm *timers) fire(t *testing.T) {
	t.Helper()
	tm.mu.Lock()
	fs := tm.fs
	tm.mu.Unlock()
	if len(fs) != 1 {
		t.Fatalf("%d timers set, want 1", len(fs))
	}
	fs[0]()
}

// mstscStandIn is a program in place of mstsc.exe that records its
// arguments and environment and copies the .rdp file into out; with
// block it then waits till it is killed.
func mstscStandIn(out string, block bool) []string {
	script := `printf '%s\n' "$@" > "$0/argv"; env > "$0/env"; cp "$1" "$0/copy.rdp"`
	if block {
		script += "; exec sleep 60"
	}
	return []string{"sh", "-c", script, out}
}

type credLaunch struct {
	t       *testing.T
	dir     string // the client's folder for .rdp files
	out     string // where the stand-in writes
	creds   *fakeCredentials
	timers  *timers
	client  *RDPFileClient
	clip    *memClipboard
	l       *Launcher
	acc     token.Account
	codeAt  time.Time
	lastRes Result
}

func newCredLaunch(t *testing.T, block bool) *credLaunch {
	c := &credLaunch{t: t, dir: filepath.Join(t.TempDir(), "launch"), out: t.TempDir(), creds: newFakeCredentials(),
		timers: &timers{}, clip: &memClipboard{}, acc: testAccount(t)}
	if err := os.Mkdir(c.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	c.acc.Name = "alice"
	c.client = &RDPFileClient{Name: "mstsc.exe", Command: mstscStandIn(c.out, block), Dir: c.dir, RemoveOnExit: true,
		Credentials: c.creds, AfterFunc: c.timers.AfterFunc}
	// Ten seconds into a period: the code is the one of now, not the
	// next period's that WaitFresh would wait for near a period's end.
	now := time.Unix(1_800_000_010, 0)
	c.codeAt = now
	c.l = &Launcher{RDP: c.client, Clipboard: c.clip, AfterFunc: func(time.Duration, func()) {}, Sleep: func(time.Duration) {},
		Now: func() time.Time { return now }}
	return c
}

func (c *credLaunch) launch(r *RDP, password string) (Result, error) {
	res, err := c.l.Launch(context.Background(), Request{Target: Target{Name: "desktop", Type: KindRDP, RDP: r}, Account: c.acc, Password: password})
	c.lastRes = res
	return res, err
}

func (c *credLaunch) code() string {
	code, err := token.Code(c.acc, c.codeAt)
	if err != nil {
		c.t.Fatal(err)
	}
	return code
}

// noSecret fails if a secret is in the stand-in's argv, environment or
// copy of the .rdp file, or in what the launch says it ran.
func (c *credLaunch) noSecret(secrets ...string) {
	c.t.Helper()
	for _, name := range []string{"argv", "env", "copy.rdp"} {
		b, err := os.ReadFile(filepath.Join(c.out, name))
		if err != nil {
			c.t.Fatalf("the stand-in wrote no %s: %v", name, err)
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				c.t.Errorf("a secret is in the client's %s", name)
			}
		}
	}
	for _, s := range secrets {
		if strings.Contains(c.lastRes.Action, s) {
			c.t.Errorf("a secret is in the action %q", c.lastRes.Action)
		}
	}
}

func (c *credLaunch) dirEmpty() {
	c.t.Helper()
	if ents, _ := os.ReadDir(c.dir); len(ents) != 0 {
		c.t.Errorf("the .rdp file was not removed: %v", ents)
	}
}

const ownPassword = "Winter;2026"

// TestRDPCredentials launches through the .rdp-file client with
// credentials, as mstsc.exe on Windows: what the profile allows goes into
// credentials (never the clipboard, argv, environment or the file), the
// file asks for what is not supplied, and everything put is deleted
// exactly once when the client exits.
func TestRDPCredentials(t *testing.T) {
	gw := func(edit func(*RDP)) *RDP {
		r := &RDP{Host: "ws042.intern.example.org", Gateway: "rdgw.example.org:8443", User: "{user}", Domain: "STADT", Code: CodeGatewayPassword, CredentialManager: true}
		if edit != nil {
			edit(r)
		}
		return r
	}
	for _, c := range []struct {
		name     string
		rdp      *RDP
		password string
		golden   string
		puts     []fakePut // secret "CODE" stands for the code
		clip     bool
	}{
		{"gateway with password", gw(nil), ownPassword, "credman-gateway.rdp",
			[]fakePut{{"rdgw.example.org", `STADT\alice`, "CODE"}, {"TERMSRV/ws042.intern.example.org", `STADT\alice`, ownPassword}}, false},
		{"gateway without password", gw(nil), "", "credman-gateway-nopassword.rdp",
			[]fakePut{{"rdgw.example.org", `STADT\alice`, "CODE"}}, false},
		{"gateway, password not asked for", gw(func(r *RDP) { r.AskPassword = ptr(false) }), ownPassword, "credman-gateway-nopassword.rdp",
			[]fakePut{{"rdgw.example.org", `STADT\alice`, "CODE"}}, false},
		{"session password", &RDP{Host: "ws042.intern.example.org", Port: 3390, User: "{user}@stadt.example", Domain: "STADT", Code: CodePassword, CredentialManager: true}, "", "credman-password.rdp",
			[]fakePut{{"TERMSRV/ws042.intern.example.org", "alice@stadt.example", "CODE"}}, false},
		{"not allowed by the profile", gw(func(r *RDP) { r.CredentialManager = false }), ownPassword, "credman-not-allowed.rdp",
			nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := newCredLaunch(t, false)
			res, err := cl.launch(c.rdp, c.password)
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Process.Wait(); err != nil {
				t.Fatal(err)
			}
			code := cl.code()
			puts, _, _ := cl.creds.state()
			for i := range c.puts {
				if c.puts[i].secret == "CODE" {
					c.puts[i].secret = code
				}
			}
			if !slices.Equal(puts, c.puts) {
				// The secrets are test values; the real ones never print.
				t.Errorf("put %q,\nwant %q", puts, c.puts)
			}
			b, err := os.ReadFile(filepath.Join(cl.out, "copy.rdp"))
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.golden, b)
			cl.noSecret(code, ownPassword)
			deletedOnce(t, cl.creds)
			cl.dirEmpty()
			if res.CodeOnClipboard != c.clip || (cl.clip.Content() == code) != c.clip {
				t.Errorf("code on clipboard: %v, want %v", res.CodeOnClipboard, c.clip)
			}
			// The timer comes after the exit: nothing is deleted twice.
			cl.timers.fire(t)
			deletedOnce(t, cl.creds)
		})
	}
}

// gatewayTarget is a gateway-password target that allows credentials.
func gatewayTarget() *RDP {
	return &RDP{Host: "ws042.intern.example.org", Gateway: "rdgw.example.org", Domain: "STADT", Code: CodeGatewayPassword, CredentialManager: true}
}

// TestRDPCredentialsTimeout: with the client still running, the timer
// deletes the credentials and the file; the exit later deletes nothing
// twice.
func TestRDPCredentialsTimeout(t *testing.T) {
	cl := newCredLaunch(t, true)
	res, err := cl.launch(gatewayTarget(), ownPassword)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Process
	defer p.Kill()
	// The stand-in has copied the file once it has written it whole.
	waitFor(t, func() bool { b, _ := os.ReadFile(filepath.Join(cl.out, "copy.rdp")); return len(b) > 0 })
	if puts, deletes, _ := cl.creds.state(); len(puts) != 2 || len(deletes) != 0 {
		t.Fatalf("before the timer: put %d, deleted %q", len(puts), deletes)
	}
	if d := cl.timers.ds; len(d) != 1 || d[0] != time.Minute {
		t.Errorf("timer %v, want one minute", d)
	}
	cl.timers.fire(t)
	select {
	case <-p.Done():
		t.Fatal("the client exited; the test means it to be running")
	default:
	}
	deletedOnce(t, cl.creds)
	cl.dirEmpty()
	p.Kill()
	p.Wait()
	deletedOnce(t, cl.creds)
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for range 100 {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("timed out")
}

// TestRDPCredentialsFailures: when the client cannot be started, or a
// credential cannot be put, what was put is deleted at once, the file
// removed, and the error says nothing secret.
func TestRDPCredentialsFailures(t *testing.T) {
	t.Run("start fails", func(t *testing.T) {
		cl := newCredLaunch(t, false)
		cl.client.Command = []string{filepath.Join(t.TempDir(), "no-mstsc.exe")}
		_, err := cl.launch(gatewayTarget(), ownPassword)
		if !errors.Is(err, ErrLaunch) {
			t.Fatalf("error %v, want ErrLaunch", err)
		}
		if puts, _, _ := cl.creds.state(); len(puts) != 2 {
			t.Errorf("put %d credentials before the start, want 2", len(puts))
		}
		deletedOnce(t, cl.creds)
		cl.dirEmpty()
		if n := len(cl.timers.fs); n != 0 {
			t.Errorf("%d timers left behind", n)
		}
		if strings.Contains(err.Error(), cl.code()) || strings.Contains(err.Error(), ownPassword) {
			t.Errorf("a secret is in the error")
		}
	})
	t.Run("second put fails", func(t *testing.T) {
		cl := newCredLaunch(t, false)
		cl.creds.failPut = "TERMSRV/ws042.intern.example.org"
		_, err := cl.launch(gatewayTarget(), ownPassword)
		if err == nil || !strings.Contains(err.Error(), "TERMSRV/ws042.intern.example.org") {
			t.Fatalf("error %v", err)
		}
		if puts, _, _ := cl.creds.state(); len(puts) != 1 {
			t.Errorf("put %d, want the gateway's only", len(puts))
		}
		deletedOnce(t, cl.creds)
		cl.dirEmpty()
		if _, err := os.Stat(filepath.Join(cl.out, "argv")); err == nil {
			t.Error("the client was started")
		}
	})
}

// TestRDPCredentialsInUse: a credential the person saved is never
// replaced or deleted. For their own password it is used instead; where
// the code must go, the launch stops and says which one is in the way.
func TestRDPCredentialsInUse(t *testing.T) {
	theirs := fakeCred{user: `STADT\alice`, secret: "saved by hand"}
	t.Run("their password", func(t *testing.T) {
		cl := newCredLaunch(t, false)
		cl.creds.saved["TERMSRV/ws042.intern.example.org"] = theirs
		res, err := cl.launch(gatewayTarget(), ownPassword)
		if err != nil {
			t.Fatal(err)
		}
		res.Process.Wait()
		puts, _, saved := cl.creds.state()
		if len(puts) != 1 || puts[0].target != "rdgw.example.org" {
			t.Errorf("put %q", puts)
		}
		if saved["TERMSRV/ws042.intern.example.org"] != theirs {
			t.Error("their credential was changed")
		}
		deletedOnce(t, cl.creds)
		// The session takes the saved credential without asking.
		b, _ := os.ReadFile(filepath.Join(cl.out, "copy.rdp"))
		if !strings.Contains(string(b), "prompt for credentials:i:0\r\n") {
			t.Errorf("the file asks for the session's credentials:\n%s", b)
		}
	})
	t.Run("where the code goes", func(t *testing.T) {
		cl := newCredLaunch(t, false)
		cl.creds.saved["rdgw.example.org"] = theirs
		_, err := cl.launch(gatewayTarget(), ownPassword)
		if !errors.Is(err, ErrCredentialInUse) || !strings.Contains(err.Error(), "rdgw.example.org") {
			t.Fatalf("error %v", err)
		}
		puts, _, saved := cl.creds.state()
		if len(puts) != 0 || saved["rdgw.example.org"] != theirs || len(saved) != 1 {
			t.Errorf("put %q, saved %v", puts, saved)
		}
		cl.dirEmpty()
	})
}

// TestRDPCredentialsNotAllowed: the client writes no credential unless
// the session says the profile allows it, even if handed passwords.
func TestRDPCredentialsNotAllowed(t *testing.T) {
	cl := newCredLaunch(t, false)
	s := RDPSession{Host: "ws042", Port: 3389, Gateway: "rdgw.example.org", User: "alice", GatewayPassword: "123456", Password: ownPassword}
	_, err := cl.client.Start(context.Background(), s)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("error %v, want ErrInvalid", err)
	}
	if puts, _, _ := cl.creds.state(); len(puts) != 0 {
		t.Errorf("put %q", puts)
	}
	cl.dirEmpty()
	// Nor does a client without credentials.
	cl.client.Credentials = nil
	s.CredentialManager = true
	if _, err := cl.client.Start(context.Background(), s); !errors.Is(err, ErrInvalid) {
		t.Fatalf("without credentials: %v", err)
	}
	cl.dirEmpty()
}

// TestCleanLeftovers: the start-up clean deletes the credentials and
// files an earlier run left, and nothing of the person's, nor what a
// launch of another process still needs (younger than the cut-off).
func TestCleanLeftovers(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old, cut := now.Add(-10*time.Minute), now.Add(-LeftoverAge)
	creds := newFakeCredentials()
	creds.saved["TERMSRV/ws042"] = fakeCred{user: "alice", secret: "123456", ours: true, written: old}
	creds.saved["rdgw.example.org"] = fakeCred{user: "alice", secret: "654321", ours: true, written: old}
	creds.saved["TERMSRV/ws007"] = fakeCred{user: "alice", secret: "777777", ours: true, written: now}
	creds.saved["TERMSRV/ws001"] = fakeCred{user: "alice", secret: "saved by hand", written: old}
	for _, name := range []string{"session-1.rdp", "session-2.rdp", "notes.txt", "session-live.rdp"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("x"), 0o600)
		if name != "session-live.rdp" {
			os.Chtimes(p, old, old)
		}
	}
	if err := CleanLeftovers(dir, creds, cut); err != nil {
		t.Fatal(err)
	}
	_, deletes, saved := creds.state()
	if slices.Sort(deletes); !slices.Equal(deletes, []string{"TERMSRV/ws042", "rdgw.example.org"}) {
		t.Errorf("deleted %q", deletes)
	}
	if len(saved) != 2 || saved["TERMSRV/ws001"].secret != "saved by hand" || saved["TERMSRV/ws007"].secret != "777777" {
		t.Errorf("left %v", saved)
	}
	var left []string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		left = append(left, e.Name())
	}
	if !slices.Equal(left, []string{"notes.txt", "session-live.rdp"}) {
		t.Errorf("files left: %q", left)
	}
	if err := CleanLeftovers(dir, nil, cut); err != nil {
		t.Errorf("without credentials: %v", err)
	}
}

// TestNeedsPassword: the person is asked for their password where the
// profile wants it and the client can pass it on.
func TestNeedsPassword(t *testing.T) {
	freerdp := &FreeRDP{Path: "xfreerdp3", V3: true}
	mstsc := &RDPFileClient{Name: "mstsc.exe", Command: []string{"mstsc.exe"}}
	mstscCreds := &RDPFileClient{Name: "mstsc.exe", Command: []string{"mstsc.exe"}, Credentials: newFakeCredentials()}
	rdp := func(mode CodeMode, credMan bool, ask *bool) Target {
		r := &RDP{Host: "ws042", Code: mode, CredentialManager: credMan, AskPassword: ask}
		if mode == CodeGatewayPassword {
			r.Gateway = "rdgw.example.org"
		}
		return Target{Name: "desktop", Type: KindRDP, RDP: r}
	}
	web := Target{Name: "portal", Type: KindWeb, Web: &Web{URL: "https://portal.example.org/", Code: CodeClipboard}}
	for _, c := range []struct {
		name                     string
		t                        Target
		freerdp, mstsc, withCred bool
	}{
		{"gateway", rdp(CodeGatewayPassword, false, nil), true, false, false},
		{"gateway, not asked", rdp(CodeGatewayPassword, false, ptr(false)), false, false, false},
		{"gateway, credentials", rdp(CodeGatewayPassword, true, nil), true, false, true},
		{"gateway, credentials, asked", rdp(CodeGatewayPassword, true, ptr(true)), true, false, true},
		{"gateway, credentials, not asked", rdp(CodeGatewayPassword, true, ptr(false)), false, false, false},
		{"password", rdp(CodePassword, false, nil), false, false, false},
		{"password, credentials", rdp(CodePassword, true, nil), false, false, false},
		{"clipboard", rdp(CodeClipboard, false, nil), false, false, false},
		{"clipboard, asked", rdp(CodeClipboard, false, ptr(true)), true, false, false},
		{"web", web, false, false, false},
	} {
		for _, k := range []struct {
			client RDPClient
			want   bool
			name   string
		}{{freerdp, c.freerdp, "FreeRDP"}, {mstsc, c.mstsc, "mstsc"}, {mstscCreds, c.withCred, "mstsc with credentials"}} {
			if got := (&Launcher{RDP: k.client}).NeedsPassword(c.t); got != k.want {
				t.Errorf("%s with %s: NeedsPassword = %v", c.name, k.name, got)
			}
		}
	}
}

// TestRDPDryRun: a dry run shows where the code and the password would
// go, masked, and puts, writes and starts nothing.
func TestRDPDryRun(t *testing.T) {
	acc := testAccount(t)
	acc.Name = "alice"
	creds := newFakeCredentials()
	dir := t.TempDir()
	mstsc := &RDPFileClient{Name: "mstsc.exe", Command: []string{"mstsc.exe"}, Dir: dir, Credentials: creds}
	gw := gatewayTarget()
	gw.Gateway = "rdgw.example.org:8443"
	for _, c := range []struct {
		name   string
		client RDPClient
		rdp    *RDP
		want   string
	}{
		{"mstsc, credentials", mstsc, gw,
			`mstsc.exe SESSION.rdp with full address:s:ws042.intern.example.org:3389; username:s:STADT\alice; domain:s:STADT; prompt for credentials:i:0; ` +
				`authentication level:i:2; enablecredsspsupport:i:1; gatewayhostname:s:rdgw.example.org:8443; gatewayusagemethod:i:1; gatewayprofileusagemethod:i:1; ` +
				`gatewaycredentialssource:i:0; promptcredentialonce:i:0; Windows credentials, removed after launch: ` +
				`rdgw.example.org for STADT\alice: ••••••, TERMSRV/ws042.intern.example.org for STADT\alice: (your password)`},
		{"mstsc, session password", mstsc, &RDP{Host: "ws042", Code: CodePassword, CredentialManager: true},
			`mstsc.exe SESSION.rdp with full address:s:ws042:3389; username:s:alice; prompt for credentials:i:0; authentication level:i:2; ` +
				`enablecredsspsupport:i:1; gatewayusagemethod:i:0; Windows credentials, removed after launch: TERMSRV/ws042 for alice: ••••••`},
		{"mstsc, not allowed", mstsc, &RDP{Host: "ws042", Code: CodePassword},
			`mstsc.exe SESSION.rdp with full address:s:ws042:3389; username:s:alice; prompt for credentials:i:1; authentication level:i:2; ` +
				`enablecredsspsupport:i:1; gatewayusagemethod:i:0; the code •••••• goes on the clipboard`},
		{"FreeRDP 2", &FreeRDP{Path: "/usr/bin/xfreerdp"}, gw,
			`xfreerdp /v:ws042.intern.example.org:3389 /u:alice /d:STADT /cert:tofu /g:rdgw.example.org:8443 /gu:alice /gd:STADT /from-stdin:force < (your password) ⏎ ••••••`},
		{"FreeRDP 3, not asked", &FreeRDP{Path: "/usr/bin/xfreerdp3", V3: true}, &RDP{Host: "ws042", Gateway: "rdgw.example.org", Code: CodeGatewayPassword, AskPassword: ptr(false)},
			`xfreerdp3 /args-from:stdin < /v:ws042:3389 ⏎ /u:alice ⏎ /cert:tofu ⏎ /gateway:g:rdgw.example.org,u:alice,p:••••••`},
		{"FreeRDP 3, clipboard, asked", &FreeRDP{Path: "/usr/bin/xfreerdp3", V3: true}, &RDP{Host: "ws042", Code: CodeClipboard, AskPassword: ptr(true)},
			`xfreerdp3 /args-from:stdin < /v:ws042:3389 ⏎ /u:alice ⏎ /cert:tofu ⏎ /p:(your password); the code •••••• goes on the clipboard`},
	} {
		l := &Launcher{RDP: c.client}
		res, err := l.Launch(context.Background(), Request{Target: Target{Name: "desktop", Type: KindRDP, RDP: c.rdp}, Account: acc, Password: ownPassword, DryRun: true})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if res.Action != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, res.Action, c.want)
		}
		if strings.Contains(res.Action, ownPassword) || res.Process != nil {
			t.Errorf("%s: the password shows, or something ran", c.name)
		}
	}
	if puts, _, _ := creds.state(); len(puts) != 0 {
		t.Errorf("a dry run put %q", puts)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a dry run wrote %v", ents)
	}
}
