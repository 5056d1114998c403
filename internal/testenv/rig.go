package testenv

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Rig is the real RDP server that scripts/with-rig.sh starts for a run:
// xrdp on loopback, whose PAM checks the code with pam_oath and refuses
// a code used once. Every test package that logs in has users of its own
// (Rig.User), since the packages run at the same time and one code is
// good for one login.
type Rig struct {
	Dir  string
	Port int
	PIN  string // the PIN of the "-pin" users: their password is PIN then code
	Seed []byte // every user's TOTP seed: SHA1, 6 digits, 30 s
}

// RDPRig returns the run's rig, found by SOFTTOKEN_RIG.
func RDPRig(t testing.TB) *Rig {
	t.Helper()
	dir := os.Getenv("SOFTTOKEN_RIG")
	if dir == "" {
		missing(t, "no RDP rig (scripts/with-rig.sh, as root)")
	}
	r := &Rig{Dir: dir}
	port, err := strconv.Atoi(r.read(t, "rdp-port"))
	if err != nil {
		t.Fatalf("rig: rdp-port: %v", err)
	}
	r.Port = port
	r.PIN = r.read(t, "pin")
	if r.Seed, err = hex.DecodeString(r.read(t, "seed")); err != nil {
		t.Fatalf("rig: seed: %v", err)
	}
	return r
}

// CertFingerprint is the SHA-256 fingerprint of xrdp's certificate, made
// for the run, as a profile names it: "sha256:" and 64 hex digits.
func (r *Rig) CertFingerprint(t testing.TB) string {
	t.Helper()
	blk, _ := pem.Decode([]byte(r.read(t, "rdp-cert.pem")))
	if blk == nil {
		t.Fatal("rig: rdp-cert.pem holds no certificate")
	}
	sum := sha256.Sum256(blk.Bytes)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func (r *Rig) read(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.Dir, name))
	if err != nil {
		t.Fatalf("rig: %v", err)
	}
	return strings.TrimSpace(string(b))
}

// User is the user name of role: "launcher", "cli", "ui", each with a
// "-pin" twin whose password is the PIN followed by the code.
func (r *Rig) User(t testing.TB, role string) string {
	t.Helper()
	return r.read(t, filepath.Join("users", role))
}

// Logins counts the lines of xrdp's log saying that user logged in.
func (r *Rig) Logins(user string) int { return r.count("login successful for user " + user + " ") }

// Failures counts the lines of xrdp's log saying that user's login failed.
func (r *Rig) Failures(user string) int { return r.count("login failed for user " + user + "\n") }

func (r *Rig) count(s string) int {
	b, _ := os.ReadFile(filepath.Join(r.Dir, "xrdp.log"))
	// xrdp logs each line twice: once as the message shown to the
	// client (xrdp_wm_log_msg: ...), once on its own.
	return bytes.Count(b, []byte("] "+s))
}

// WaitLogin waits (at most a minute) until xrdp has logged more than
// before logins of user, and fails with the end of the logs if it does
// not, or if one failed meanwhile (failedBefore: Failures before).
func (r *Rig) WaitLogin(t testing.TB, user string, before, failedBefore int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if r.Logins(user) > before {
			return
		}
		if r.Failures(user) > failedBefore {
			t.Fatalf("xrdp refused the login of %s:\n%s", user, r.Tail())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("xrdp logged no login of %s within a minute:\n%s", user, r.Tail())
}

// Tail is the end of xrdp's and sesman's logs, for a failure message.
func (r *Rig) Tail() string {
	var b strings.Builder
	for _, name := range []string{"xrdp.log", "sesman.log"} {
		data, _ := os.ReadFile(filepath.Join(r.Dir, name))
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(lines) > 15 {
			lines = lines[len(lines)-15:]
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", name, strings.Join(lines, "\n"))
	}
	return b.String()
}

// WindowManager runs openbox on the test's X display until t ends, so
// that windows get focus as on a desktop.
func WindowManager(t testing.TB) {
	t.Helper()
	Display(t)
	ob := Tool(t, "openbox")
	xprop := Tool(t, "xprop")
	// On a busy machine openbox now and then fails to open the display
	// at its start ("Failed to open the display"); it is started afresh
	// a few times before that counts.
	var said bytes.Buffer
	for try := 0; try < 5; try++ {
		said.Reset()
		if startWindowManager(t, ob, xprop, &said) {
			return
		}
		time.Sleep(time.Second)
	}
	t.Fatalf("openbox did not start: %s", said.String())
}

// startWindowManager starts openbox and reports whether it came up.
func startWindowManager(t testing.TB, ob, xprop string, said *bytes.Buffer) bool {
	cmd := exec.Command(ob, "--sm-disable")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	cmd.Stdout, cmd.Stderr = said, said
	if err := cmd.Start(); err != nil {
		t.Fatalf("openbox: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	stop := func() { cmd.Process.Kill(); <-done }
	// Up once it has named itself on the root window (EWMH), through a
	// window that is there: an earlier window manager's name stays on
	// the root window after it is gone.
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, _ := exec.Command(xprop, "-root", "_NET_SUPPORTING_WM_CHECK").Output()
		if _, id, ok := strings.Cut(strings.TrimSpace(string(out)), "window id # "); ok {
			name, _ := exec.Command(xprop, "-id", id, "_NET_WM_NAME").Output()
			if bytes.Contains(name, []byte("Openbox")) {
				t.Cleanup(stop)
				return true
			}
		}
		select {
		case <-done:
			return false
		default:
		}
		if time.Now().After(deadline) {
			stop()
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Portal is the rig's web portal (scripts/rig-portal.py): Django's admin
// behind django-otp, on TLS at https://127.0.0.1:Port/admin/.
type Portal struct {
	Dir            string
	Port           int
	User, Password string // a staff user whose TOTP seed is the rig's
	Cert           string // the path of its certificate (PEM)
}

// Portal returns the rig's web portal.
func (r *Rig) Portal(t testing.TB) *Portal {
	t.Helper()
	dir := filepath.Join(r.Dir, "portal")
	if _, err := os.Stat(dir); err != nil {
		missing(t, "the rig has no web portal (python3-django, python3-django-otp)")
	}
	p := &Portal{Dir: dir, Cert: filepath.Join(dir, "cert.pem")}
	port, err := strconv.Atoi(r.read(t, "portal/port"))
	if err != nil {
		t.Fatalf("rig: portal/port: %v", err)
	}
	p.Port = port
	p.User, p.Password = r.read(t, "portal/user"), r.read(t, "portal/password")
	return p
}

// Logins counts the portal's successful logins of user.
func (p *Portal) Logins(user string) int {
	return p.count("portal.log", "login successful for user "+user+"\n")
}

// Failures counts the portal's refused logins of user.
func (p *Portal) Failures(user string) int {
	return p.count("portal.log", "login failed for user "+user+"\n")
}

// Protected counts the times the protected page was served to user.
func (p *Portal) Protected(user string) int {
	return p.count("portal.log", "protected page for user "+user+"\n")
}

// Served counts the requests the portal served whose line holds s.
func (p *Portal) Served(s string) int { return p.count("access.log", s) }

func (p *Portal) count(name, s string) int {
	b, _ := os.ReadFile(filepath.Join(p.Dir, name))
	return bytes.Count(b, []byte(s))
}

// Tail is the end of the portal's logs, for a failure message.
func (p *Portal) Tail() string {
	var b strings.Builder
	for _, name := range []string{"portal.log", "access.log", "serve.out"} {
		data, _ := os.ReadFile(filepath.Join(p.Dir, name))
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(lines) > 15 {
			lines = lines[len(lines)-15:]
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", name, strings.Join(lines, "\n"))
	}
	return b.String()
}

// LeaveTime sleeps, if less than left of the current 30-second period
// is left, until one second into the next period; so that what follows
// within left happens in one period.
func LeaveTime(left time.Duration) {
	const p = 30 * time.Second
	rest := p - time.Duration(time.Now().UnixNano()%int64(p))
	if rest < left {
		time.Sleep(rest + time.Second)
	}
}
