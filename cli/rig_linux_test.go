package cli

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// syncBuffer is a buffer that a command and the test read and write at
// once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// childClients are the processes named xfreerdp that this test process
// started (softtoken launch runs in it).
func childClients() []int {
	var pids []int
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 || !strings.Contains(s[:i], "(xfreerdp") {
			continue
		}
		fields := strings.Fields(s[i+1:])
		if len(fields) > 1 && fields[1] == strconv.Itoa(os.Getpid()) {
			pid, _ := strconv.Atoi(strings.Fields(s)[0])
			pids = append(pids, pid)
		}
	}
	return pids
}

// TestRigLaunch: softtoken launch logs in to the rig's real xrdp, whose
// PAM checks the code with pam_oath: with the code as the password, at
// once again (it waits for the next code, and says so), with the PIN
// from --password-file followed by the code; a closed port fails and
// says why.
func TestRigLaunch(t *testing.T) {
	rig := testenv.RDPRig(t)
	testenv.SecretService(t)
	testenv.Tool(t, "xfreerdp")
	testenv.WindowManager(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))

	// The configuration folder the profile commands use too.
	s, err := store.Open(filepath.Join(home, ".config", "softtoken"), store.OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	user, pinUser := rig.User(t, "cli"), rig.User(t, "cli-pin")
	for _, u := range []string{user, pinUser} {
		a, err := token.ParseURI("otpauth://totp/Rig:" + u + "?secret=" + token.EncodeBase32(rig.Seed))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		accs, _ := s.List()
		for _, a := range accs {
			s.Remove(a.ID)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	work := t.TempDir()
	profile := fmt.Sprintf(`{"format": 1, "organisation": "Rig", "version": 1, "expires": "2099-12-31T00:00:00Z", "targets": [
 {"name": "rig", "type": "rdp", "account": %q, "rdp": {"host": "127.0.0.1", "port": %d, "code": "password"}},
 {"name": "rig-pin", "type": "rdp", "account": %q, "rdp": {"host": "127.0.0.1", "port": %d, "code": "password+code"}},
 {"name": "gone", "type": "rdp", "account": %q, "rdp": {"host": "127.0.0.1", "port": %d, "code": "password"}}
]}`, user, rig.Port, pinUser, rig.Port, pinUser, closed)
	for name, content := range map[string]string{"profile.json": profile, "pin.txt": rig.PIN + "\n"} {
		if err := os.WriteFile(filepath.Join(work, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (int, string) {
		out := &syncBuffer{}
		code := Run(args, Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: out, Now: time.Now,
			Store: func() (*store.Store, error) { return s, nil }})
		return code, out.String()
	}
	key := filepath.Join("..", "launcher", "testdata", "test-signing.key")
	signed := filepath.Join(work, "signed.json")
	if code, out := run("profile", "sign", "--key", key, "--out", signed, filepath.Join(work, "profile.json")); code != 0 {
		t.Fatalf("profile sign: %s", out)
	}
	if code, out := run("profile", "install", signed); code != 0 {
		t.Fatalf("profile install: %s", out)
	}

	// login runs softtoken launch until xrdp says the user logged in, then
	// ends the client, and returns what the command said.
	login := func(user string, args ...string) string {
		t.Helper()
		before, failed := rig.Logins(user), rig.Failures(user)
		out := &syncBuffer{}
		done := make(chan int, 1)
		go func() {
			done <- Run(append([]string{"launch", "--no-clock-check"}, args...), Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: out,
				Now: time.Now, Store: func() (*store.Store, error) { return s, nil }})
		}()
		deadline := time.Now().Add(2 * time.Minute)
		for rig.Logins(user) <= before {
			select {
			case code := <-done:
				t.Fatalf("softtoken launch %v ended (%d) before a login:\n%s\n%s", args, code, out.String(), rig.Tail())
			default:
			}
			if rig.Failures(user) > failed || time.Now().After(deadline) {
				for _, pid := range childClients() {
					syscall.Kill(pid, syscall.SIGKILL)
				}
				t.Fatalf("softtoken launch %v did not log in:\n%s\n%s", args, out.String(), rig.Tail())
			}
			time.Sleep(100 * time.Millisecond)
		}
		// Logged in. Once the command has said what it ran (after it has
		// watched the client's first seconds), end the client; the
		// command ends with it.
		for !strings.Contains(out.String(), "xfreerdp /v:") {
			if time.Now().After(deadline) {
				t.Fatalf("softtoken launch %v said nothing of the client:\n%s", args, out.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
		for _, pid := range childClients() {
			syscall.Kill(pid, syscall.SIGTERM)
		}
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatalf("softtoken launch did not end with its client:\n%s", out.String())
		}
		return out.String()
	}

	out := login(user, "rig")
	if !strings.Contains(out, "/from-stdin:force < ••••••") || strings.Contains(out, "note: the current code") {
		t.Errorf("first launch said:\n%s", out)
	}
	// At once again: the code of the moment is taken (by the first
	// launch, or here, as a copy in the window would, where the first
	// ran into the next period), so the launch waits for the next one,
	// and says so. With 8 s of the period left, it does not wait for a
	// fresh code instead.
	testenv.LeaveTime(8 * time.Second)
	accs, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accs {
		if a.Name == user {
			if _, err := (&launcher.Handed{Dir: s.Dir()}).Claim(a.ID, a.Period, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	out = login(user, "rig")
	if !strings.Contains(out, "note: the current code was handed out already, and a code signs in once; waiting") {
		t.Errorf("the second launch did not say it waits for the next code:\n%s", out)
	}
	out = login(pinUser, "rig-pin", "--password-file", filepath.Join(work, "pin.txt"))
	if !strings.Contains(out, "< (your password)••••••") || strings.Contains(out, "< "+rig.PIN) {
		t.Errorf("PIN launch said:\n%s", out)
	}
	if n := rig.Failures(user) + rig.Failures(pinUser); n != 0 {
		t.Errorf("xrdp refused %d logins:\n%s", n, rig.Tail())
	}

	// A closed port: the launch fails at once, says why and what to do.
	code, out := run("launch", "--no-clock-check", "gone")
	if code != 1 || !strings.Contains(out, "softtoken launch: the remote desktop connection failed: xfreerdp ended with exit status") ||
		!strings.Contains(out, "ERRCONNECT_") || !strings.Contains(out, "Check that your computer is on the network") {
		t.Errorf("launch to a closed port: exit %d:\n%s", code, out)
	}
}
