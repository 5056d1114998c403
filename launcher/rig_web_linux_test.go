package launcher

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// xclipClipboard is the X display's real clipboard, through xclip: what
// the launcher puts there, Chromium pastes.
type xclipClipboard struct {
	t    *testing.T
	mu   sync.Mutex
	held *exec.Cmd // the xclip that holds the content, until another takes it
}

func (c *xclipClipboard) SetContent(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stop()
	// -quiet: in the foreground, holding the selection until another
	// client takes it or it is ended.
	cmd := exec.Command("xclip", "-quiet", "-selection", "clipboard", "-i")
	cmd.Stdin = strings.NewReader(s)
	if err := cmd.Start(); err != nil {
		c.t.Errorf("xclip: %v", err)
		return
	}
	c.held = cmd
	// Held once xclip answers for it.
	for i := 0; i < 100 && c.content() != s; i++ {
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *xclipClipboard) Content() string { return c.content() }

func (c *xclipClipboard) content() string {
	out, _ := exec.Command("xclip", "-o", "-selection", "clipboard").Output()
	return string(out)
}

// close ends the xclip that holds the content, if any.
func (c *xclipClipboard) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stop()
}

// stop ends the xclip that holds the content; c.mu is held.
func (c *xclipClipboard) stop() {
	if c.held != nil {
		c.held.Process.Kill()
		c.held.Wait()
		c.held = nil
	}
}

// chromiumOpener opens URLs in a real Chromium window (not headless) on
// the test's display, with a fresh profile, trusting the one certificate
// whose key hashes to spki.
type chromiumOpener struct {
	t    *testing.T
	exe  string
	spki string
	mu   sync.Mutex
	cmds []*exec.Cmd
}

func (o *chromiumOpener) OpenURL(u *url.URL) error {
	cmd := exec.Command(o.exe, "--user-data-dir="+o.t.TempDir(), "--no-first-run", "--no-default-browser-check",
		"--no-sandbox", "--disable-gpu", "--password-store=basic", "--disable-features=Translate",
		"--ignore-certificate-errors-spki-list="+o.spki, "--window-size=1024,768", u.String())
	// Its own process group, to end it with its helpers.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	o.mu.Lock()
	o.cmds = append(o.cmds, cmd)
	o.mu.Unlock()
	return nil
}

func (o *chromiumOpener) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, c := range o.cmds {
		syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		c.Wait()
	}
}

// spkiHash is the base64 SHA-256 of the certificate's public key, as
// Chromium's --ignore-certificate-errors-spki-list takes it.
func spkiHash(t *testing.T, certFile string) string {
	b, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatal("no PEM certificate")
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// xdo runs xdotool and returns its output.
func xdo(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xdotool", args...).Output()
	if err != nil {
		t.Fatalf("xdotool %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

// TestRigWebClipboard: a web target in clipboard mode logs in to a real
// portal that is not ours (the rig's Django admin behind django-otp, on
// TLS): the launch opens a real Chromium on the login page and puts the
// code on the real clipboard; the person types user name and password
// and pastes the code (xdotool, ctrl+v); the portal checks it and serves
// the page behind the login. The clipboard is cleared afterwards.
func TestRigWebClipboard(t *testing.T) {
	rig := testenv.RDPRig(t)
	p := rig.Portal(t)
	exe := testenv.Tool(t, "chromium")
	testenv.Tool(t, "xdotool")
	testenv.Tool(t, "xclip")
	// A display of its own: the other packages' windows (an xfreerdp of
	// the ui tests) on the shared one can take the focus while the person's
	// keys are typed, and the keys then reach no login form.
	testenv.PrivateDisplay(t)
	testenv.WindowManager(t)
	clip := &xclipClipboard{t: t}
	defer clip.close()
	opener := &chromiumOpener{t: t, exe: exe, spki: spkiHash(t, p.Cert)}
	defer opener.close()
	const clearAfter = 20 * time.Second
	l := &Launcher{Opener: opener, Clipboard: clip, ClearAfter: clearAfter, Handed: rigHanded()}
	acc := rigAccount(rig, "rig-portal", p.User)
	page := "/admin/login/?next=/admin/"
	target := Target{Name: "portal", Type: KindWeb, Web: &Web{URL: "https://127.0.0.1:" + strconv.Itoa(p.Port) + page, Code: CodeClipboard}}

	logins, protected, failed, served := p.Logins(p.User), p.Protected(p.User), p.Failures(p.User), p.Served("GET "+page)
	icons := p.Served("GET /favicon.ico")
	res, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
	if err != nil {
		t.Fatal(err)
	}
	if !res.CodeOnClipboard || res.Relay != nil {
		t.Fatalf("clipboard mode: on the clipboard %v, relay %v", res.CodeOnClipboard, res.Relay)
	}
	code := clip.Content()
	if len(code) != 6 {
		t.Fatalf("the clipboard holds %q, not a code", code)
	}
	wait := func(what string, done func() bool) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for !done() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 90 s\n%s", what, p.Tail())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// The login page is served, and its window, titled by it, shown.
	wait("the login page served", func() bool { return p.Served("GET "+page) > served })
	// Chromium asks for the icon once the page has loaded, and with it
	// put the cursor in the user name field (autofocus).
	wait("the login page loaded", func() bool { return p.Served("GET /favicon.ico") > icons })
	var win string
	wait("Chromium's window titled by the login page", func() bool {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Log in").Output()
		if ids := strings.Fields(string(out)); len(ids) > 0 {
			win = ids[0]
		}
		return win != ""
	})
	xdo(t, "windowactivate", "--sync", win)
	xdo(t, "type", "--delay", "30", p.User)
	xdo(t, "key", "Tab")
	xdo(t, "type", "--delay", "30", p.Password)
	xdo(t, "key", "Tab")
	xdo(t, "key", "ctrl+v")
	xdo(t, "key", "Return")
	wait("the login", func() bool {
		if p.Failures(p.User) > failed {
			t.Fatalf("the portal refused the login:\n%s", p.Tail())
		}
		return p.Logins(p.User) > logins
	})
	wait("the protected page", func() bool { return p.Protected(p.User) > protected })

	// The clipboard is cleared once its time is up.
	wait("the clipboard cleared", func() bool { return clip.Content() == "" })
	t.Logf("logged in to the portal with the pasted code; clipboard cleared after %s", clearAfter)
	if testing.Verbose() {
		t.Log(p.Tail())
	}
}
