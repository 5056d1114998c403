package launcher

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/token"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestRDPFileGolden(t *testing.T) {
	direct := RDPSession{Host: "ws042.intern.example.org", Port: 3389, User: "alice", Domain: "STADT", Password: "123456"}
	gw := RDPSession{Host: "ws042.intern.example.org", Port: 3390, Gateway: "rdgw.example.org", User: "alice@stadt.example", GatewayPassword: "123456"}
	golden(t, "direct.rdp", RDPFile(direct))
	golden(t, "gateway.rdp", RDPFile(gw))
	for _, s := range []RDPSession{direct, gw} {
		if bytes.Contains(RDPFile(s), []byte("123456")) {
			t.Error("a password went into the .rdp file")
		}
	}
}

// TestFreeRDPArgs: the passwords go to standard input, never to argv;
// FreeRDP 2 reads the session's before connecting, then the gateway's.
func TestFreeRDPArgs(t *testing.T) {
	both := RDPSession{Host: "ws042", Port: 3389, Gateway: "rdgw.example.org:8443", User: "alice", Domain: "STADT", GatewayPassword: "135791", Password: "Winter;2026"}
	gwOnly := both
	gwOnly.Password = ""
	sessOnly := both
	sessOnly.GatewayPassword = ""
	direct := RDPSession{Host: "ws042", Port: 3390, User: "alice", Password: "135791"}
	none := RDPSession{Host: "ws042", Port: 3389, User: "alice"}
	for _, c := range []struct {
		name      string
		s         RDPSession
		v3        bool
		argv      string
		stdin     string
		describes string
	}{
		{"both", both, false, "/v:ws042:3389 /u:alice /d:STADT /cert:tofu /g:rdgw.example.org:8443 /gu:alice /gd:STADT /from-stdin:force", "Winter;2026\n135791\n",
			"xfreerdp /v:ws042:3389 /u:alice /d:STADT /cert:tofu /g:rdgw.example.org:8443 /gu:alice /gd:STADT /from-stdin:force < Winter;2026 ⏎ 135791"},
		// The gateway asks when it wants its password; the session's
		// login asks the person.
		{"gateway only", gwOnly, false, "/v:ws042:3389 /u:alice /d:STADT /cert:tofu /g:rdgw.example.org:8443 /gu:alice /gd:STADT /from-stdin", "135791\n",
			"xfreerdp /v:ws042:3389 /u:alice /d:STADT /cert:tofu /g:rdgw.example.org:8443 /gu:alice /gd:STADT /from-stdin < 135791"},
		// The gateway takes the session's credentials.
		{"session only", sessOnly, false, "/v:ws042:3389 /u:alice /d:STADT /cert:tofu /g:rdgw.example.org:8443 /from-stdin:force", "Winter;2026\n",
			"xfreerdp /v:ws042:3389 /u:alice /d:STADT /cert:tofu /g:rdgw.example.org:8443 /from-stdin:force < Winter;2026"},
		{"direct", direct, false, "/v:ws042:3390 /u:alice /cert:tofu /from-stdin:force", "135791\n",
			"xfreerdp /v:ws042:3390 /u:alice /cert:tofu /from-stdin:force < 135791"},
		{"none", none, false, "/v:ws042:3389 /u:alice /cert:tofu /from-stdin", "",
			"xfreerdp /v:ws042:3389 /u:alice /cert:tofu /from-stdin"},
		{"both", both, true, "/args-from:stdin", "/v:ws042:3389\n/u:alice\n/d:STADT\n/cert:tofu\n/gateway:g:rdgw.example.org:8443,u:alice,d:STADT,p:135791\n/p:Winter;2026\n",
			"xfreerdp3 /args-from:stdin < /v:ws042:3389 ⏎ /u:alice ⏎ /d:STADT ⏎ /cert:tofu ⏎ /gateway:g:rdgw.example.org:8443,u:alice,d:STADT,p:135791 ⏎ /p:Winter;2026"},
	} {
		f := &FreeRDP{Path: "/usr/bin/xfreerdp", V3: c.v3}
		if c.v3 {
			f.Path += "3"
		}
		argv, stdin := f.args(c.s)
		if got := strings.Join(argv, " "); got != c.argv {
			t.Errorf("%s v3=%v argv %q", c.name, c.v3, got)
		}
		if stdin != c.stdin {
			t.Errorf("%s v3=%v stdin %q", c.name, c.v3, stdin)
		}
		if d := f.Describe(c.s); d != c.describes {
			t.Errorf("%s v3=%v describe %q", c.name, c.v3, d)
		}
	}
	if freeRDPMajor("This is FreeRDP version 3.10.3 (3.10.3)") != 3 || freeRDPMajor("This is FreeRDP version 2.11.7 (2.11.7)") != 2 || freeRDPMajor("") != 2 {
		t.Error("freeRDPMajor")
	}
}

// TestXFreeRDP starts the real xfreerdp through the launcher against a
// listener that plays the server: the X.224 Connection Request carries the
// user's cookie, the code is nowhere in the client's argv or environment,
// and it waits on the client's standard input for the password prompt.
func TestXFreeRDP(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	testenv.Display(t)
	testenv.Tool(t, "xfreerdp")
	client, err := FindFreeRDP()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("client %s, FreeRDP 3: %v", client.Path, client.V3)
	out := &lockedWriter{w: new(bytes.Buffer)}
	client.Output = out

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	acc := testAccount(t)
	acc.Name = "alice"
	target := Target{Name: "desktop", Type: KindRDP, RDP: &RDP{Host: "127.0.0.1", Port: port, Domain: "STADT", Code: CodePassword}}
	var codeAt time.Time
	l := &Launcher{RDP: client, Now: func() time.Time { codeAt = time.Now(); return codeAt }}
	start := time.Now()
	res, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Process
	defer func() {
		p.Kill()
		p.Wait()
	}()
	code, _ := token.Code(acc, codeAt)
	if strings.Contains(res.Action, code) || !strings.Contains(res.Action, "< ••••••") {
		t.Errorf("action %q", res.Action)
	}

	ln.(*net.TCPListener).SetDeadline(time.Now().Add(20 * time.Second))
	conn, err := ln.Accept()
	if err != nil {
		t.Fatalf("xfreerdp did not connect: %v\n%s", err, out.String())
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	cr := readTPKT(t, conn)
	t.Logf("X.224 Connection Request %s after launch", time.Since(start).Round(time.Millisecond))
	// X.224: length indicator, CR code 0xE0, dst-ref, src-ref, class; then the cookie.
	if len(cr) < 7 || cr[1] != 0xE0 {
		t.Fatalf("not an X.224 Connection Request: % x", cr)
	}
	cookie, _, _ := strings.Cut(string(cr[7:]), "\r\n")
	if cookie != "Cookie: mstshash=alice" {
		t.Errorf("cookie %q", cookie)
	}

	pid := p.Pid()
	cmdline, err := os.ReadFile(filepathProc(pid, "cmdline"))
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
	t.Logf("client argv: %q", args)
	if bytes.Contains(cmdline, []byte(code)) || bytes.Contains(cmdline, []byte("/p:")) {
		t.Errorf("the code is in the client's argv: %q", args)
	}
	if env, err := os.ReadFile(filepathProc(pid, "environ")); err != nil || bytes.Contains(env, []byte(code)) {
		t.Errorf("the code is in the client's environment (or it cannot be read: %v)", err)
	}
	// The client has read the code before it connected (a server that
	// never asks for it gets it in the logon packet): nothing is left on
	// its standard input, whose other end is closed.
	in, err := os.Open(filepathProc(pid, "fd/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	in.SetReadDeadline(time.Now().Add(5 * time.Second))
	if rest, err := io.ReadAll(in); err != nil || len(rest) != 0 {
		t.Errorf("the client's stdin still holds %d bytes (%v)", len(rest), err)
	}
}

func filepathProc(pid int, name string) string {
	return filepath.Join("/proc", strconv.Itoa(pid), name)
}

// readTPKT reads one TPKT packet (RFC 1006) and returns its payload.
func readTPKT(t *testing.T, r io.Reader) []byte {
	t.Helper()
	var h [4]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		t.Fatalf("read TPKT header: %v", err)
	}
	if h[0] != 3 {
		t.Fatalf("not TPKT: % x", h)
	}
	n := int(binary.BigEndian.Uint16(h[2:]))
	if n < 4 || n > 1024 {
		t.Fatalf("TPKT length %d", n)
	}
	b := make([]byte, n-4)
	if _, err := io.ReadFull(r, b); err != nil {
		t.Fatalf("read X.224: %v", err)
	}
	return b
}

// TestRDPFileClient runs the .rdp-file client (mstsc.exe, open) with a
// stand-in program that copies the file: the code goes to the clipboard,
// the file has no secret and is gone once the program has exited.
func TestRDPFileClient(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "launch")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "session-old.rdp")
	os.WriteFile(old, []byte("x"), 0o600)
	long := time.Now().Add(-LeftoverAge - time.Minute)
	os.Chtimes(old, long, long)
	if err := CleanTemp(dir); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("leftovers not cleaned: %v", ents)
	}
	copyTo := filepath.Join(t.TempDir(), "copy.rdp")
	c := &RDPFileClient{Name: "mstsc.exe", Command: []string{"sh", "-c", `cp "$1" "$0"`, copyTo}, Dir: dir, RemoveOnExit: true,
		AfterFunc: func(time.Duration, func()) {}}
	acc := testAccount(t)
	acc.Name = "alice"
	clip := &memClipboard{}
	l := &Launcher{RDP: c, Clipboard: clip, AfterFunc: func(time.Duration, func()) {}, Sleep: func(time.Duration) {}}
	target := Target{Name: "desktop", Type: KindRDP, RDP: &RDP{Host: "ws042.intern.example.org", Gateway: "rdgw.example.org",
		User: "{user}@stadt.example", Code: CodeGatewayPassword}}
	res, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Process.Wait(); err != nil {
		t.Fatal(err)
	}
	if !res.CodeOnClipboard || len(clip.Content()) != 6 {
		t.Errorf("clipboard %q, result %+v", clip.Content(), res)
	}
	got, err := os.ReadFile(copyTo)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "gateway-user.rdp", got)
	if bytes.Contains(got, []byte(clip.Content())) {
		t.Error("the code is in the .rdp file")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("the .rdp file was not removed: %v", ents)
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

// TestRDPUnsafeUser: a user name from an enrollment link cannot smuggle a
// line or an option into the client's input or the .rdp file.
func TestRDPUnsafeUser(t *testing.T) {
	acc := testAccount(t)
	target := Target{Name: "desktop", Type: KindRDP, RDP: &RDP{Host: "ws042", Code: CodePassword}}
	for _, name := range []string{"alice\n/p:x", "alice\r\nalternate shell:s:cmd", "a,p:1", "a;b"} {
		acc.Name = name
		_, err := (&Launcher{RDP: &FreeRDP{Path: "xfreerdp3", V3: true}}).Launch(context.Background(), Request{Target: target, Account: acc, DryRun: true})
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("user %q: %v", name, err)
		}
	}
}

// TestRDPClientOutlivesContext: the launch's context bounds the start, not
// the session; the GUI cancels it once Launch has returned, and the
// client must go on running.
func TestRDPClientOutlivesContext(t *testing.T) {
	sh := filepath.Join(t.TempDir(), "client")
	if err := os.WriteFile(sh, []byte("#!/bin/sh\ncat > /dev/null\nexec sleep 60\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	acc := testAccount(t)
	acc.Name = "alice"
	target := Target{Name: "desktop", Type: KindRDP, RDP: &RDP{Host: "ws042", Code: CodePassword}}
	for _, client := range []RDPClient{
		&FreeRDP{Path: sh, V3: true},
		&RDPFileClient{Name: "mstsc.exe", Command: []string{sh}, Dir: t.TempDir(), RemoveOnExit: true, AfterFunc: func(time.Duration, func()) {}},
	} {
		l := &Launcher{RDP: client, Clipboard: &memClipboard{}, AfterFunc: func(time.Duration, func()) {}, Sleep: func(time.Duration) {}}
		ctx, cancel := context.WithCancel(context.Background())
		res, err := l.Launch(ctx, Request{Target: target, Account: acc})
		cancel()
		if err != nil {
			t.Fatalf("%T: %v", client, err)
		}
		select {
		case <-res.Process.Done():
			t.Errorf("%T: the client ended with the launch's context: %v", client, res.Process.Wait())
		case <-time.After(300 * time.Millisecond):
		}
		res.Process.Kill()
		res.Process.Wait()
		// A context done before the start starts nothing.
		if _, err := l.Launch(ctx, Request{Target: target, Account: acc}); !errors.Is(err, context.Canceled) {
			t.Errorf("%T: a launch with a cancelled context: %v", client, err)
		}
	}
}

// TestCertPins: the profile's certificate fingerprints reach FreeRDP as
// /cert:deny with each fingerprint, in the form FreeRDP compares
// (lower-case hex, colons between the bytes), whatever form the profile
// wrote; without them it is /cert:tofu; a fingerprint of another form or
// hash is refused by the profile's check.
func TestCertPins(t *testing.T) {
	hex64 := strings.Repeat("AB", 31) + "0f"
	colons := "sha256:" + strings.TrimSuffix(strings.Repeat("ab:", 31), ":") + ":0f"
	r := &RDP{Host: "ws042", Code: CodePassword, CertFingerprints: []string{"SHA256:" + hex64, colons}}
	if err := r.validate("t"); err != nil {
		t.Fatal(err)
	}
	pins := r.CertPins()
	if len(pins) != 2 || pins[0] != colons || pins[1] != colons {
		t.Fatalf("pins %q, want twice %q", pins, colons)
	}
	f := &FreeRDP{}
	argv, _ := f.args(RDPSession{Host: "ws042", Port: 3389, User: "alice", CertPins: pins})
	want := "/cert:deny,fingerprint:" + colons + ",fingerprint:" + colons
	if !slices.Contains(argv, want) || slices.Contains(argv, "/cert:tofu") {
		t.Errorf("argv %q: want %q", argv, want)
	}
	argv, _ = f.args(RDPSession{Host: "ws042", Port: 3389, User: "alice"})
	if !slices.Contains(argv, "/cert:tofu") {
		t.Errorf("argv %q without pins: want /cert:tofu", argv)
	}
	for _, bad := range []string{"sha1:" + strings.Repeat("ab", 20), "sha256:" + strings.Repeat("ab", 31), "sha256:" + strings.Repeat("zz", 32), hex64, "sha256:ab,fingerprint:x"} {
		r := &RDP{Host: "ws042", Code: CodePassword, CertFingerprints: []string{bad}}
		if err := r.validate("t"); !errors.Is(err, ErrInvalid) {
			t.Errorf("fingerprint %q: %v, want ErrInvalid", bad, err)
		}
	}
}
