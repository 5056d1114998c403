package ui

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/token"
)

// childClients are the xfreerdp processes this test process started.
func childClients() []int {
	var pids []int
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s := string(b) // pid (comm) state ppid ...
		i := strings.LastIndexByte(s, ')')
		if i < 0 || !strings.Contains(s[:i], "(xfreerdp") {
			continue
		}
		if f := strings.Fields(s[i+1:]); len(f) > 1 && f[1] == strconv.Itoa(os.Getpid()) {
			pid, _ := strconv.Atoi(strings.Fields(s)[0])
			pids = append(pids, pid)
		}
	}
	return pids
}

// TestRigLaunchButton: the window's launch button logs in to the rig's
// real xrdp, whose PAM checks the code with pam_oath, with the real
// xfreerdp on the test's display: with the code as the password, and
// with the PIN asked for in the dialog followed by the code.
func TestRigLaunchButton(t *testing.T) {
	rig := testenv.RDPRig(t)
	testenv.Tool(t, "xfreerdp")
	testenv.WindowManager(t)
	t.Setenv("HOME", t.TempDir()) // FreeRDP's known hosts
	client, err := launcher.FindFreeRDP()
	if err != nil {
		t.Fatal(err)
	}
	user, pinUser := rig.User(t, "ui"), rig.User(t, "ui-pin")
	secret := token.EncodeBase32(rig.Seed)
	st := newStore(t, "otpauth://totp/Rig:"+user+"?secret="+secret, "otpauth://totp/Rig:"+pinUser+"?secret="+secret)
	a := openTestApp(t, test.NewTempApp(t), st, time.Time{}, func(o *Options) {
		o.RDP, o.Now, o.Sleep = client, time.Now, nil
	})
	a.targets = []launcher.Target{
		{Name: "rig", Title: "Rig", Type: launcher.KindRDP, Account: user,
			RDP: &launcher.RDP{Host: "127.0.0.1", Port: rig.Port, Code: launcher.CodePassword}},
		{Name: "rig-pin", Title: "Rig PIN", Type: launcher.KindRDP, Account: pinUser,
			RDP: &launcher.RDP{Host: "127.0.0.1", Port: rig.Port, Code: launcher.CodePasswordCode}},
	}
	a.main.rebuildLaunch()
	login := func(user string, tap func()) {
		t.Helper()
		before, failed := rig.Logins(user), rig.Failures(user)
		tap()
		defer func() {
			for _, pid := range childClients() {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}()
		rig.WaitLogin(t, user, before, failed)
		if !strings.Contains(a.status.Text, "was opened") {
			t.Errorf("status after the login: %q", a.status.Text)
		}
	}
	// The rig's certificate is pinned nowhere: the first launch of a
	// target says so first (issue 13, item 5); the others have seen it.
	a.lp.choices = map[string]launcher.TargetChoice{"rig-pin": {PinNoticeSeen: true}, "gone": {PinNoticeSeen: true}}
	login(user, func() {
		test.Tap(a.main.launch.Objects[0].(*button))
		if a.dlg.message == nil || !strings.Contains(a.dlg.message.Text, "does not name the certificate of Rig") {
			t.Fatalf("no notice before the first connection: %v", a.dlg.message)
		}
		test.Tap(a.dlg.ok)
	})
	login(pinUser, func() {
		test.Tap(a.main.launch.Objects[1].(*button))
		if a.dlg.entry == nil || !strings.Contains(a.dlg.message.Text, "PIN") {
			t.Fatalf("no dialog asking for the PIN: %v", a.dlg.message)
		}
		test.Type(a.dlg.entry, rig.PIN)
		test.Tap(a.dlg.ok)
	})

	// A port nobody listens on: the window says the connection failed,
	// and what the client said.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	gone := launcher.Target{Name: "gone", Title: "Gone", Type: launcher.KindRDP, Account: pinUser,
		RDP: &launcher.RDP{Host: "127.0.0.1", Port: closed, Code: launcher.CodePassword}}
	a.launch(gone)
	if !strings.HasPrefix(a.status.Text, "The connection to Gone failed.") || !strings.Contains(a.status.Text, "The remote desktop program said: ") {
		t.Errorf("status after a failed connection: %q", a.status.Text)
	}

	// An unreachable gateway (issue 10, 2.18: the window said "opened"):
	// xfreerdp dies at once, and the window says the connection failed.
	noGateway := launcher.Target{Name: "nogw", Title: "No gateway", Type: launcher.KindRDP, Account: pinUser,
		RDP: &launcher.RDP{Host: "127.0.0.1", Port: rig.Port, Gateway: "127.0.0.1:" + strconv.Itoa(closed), Code: launcher.CodeGatewayPassword}}
	a.lp.choices["nogw"] = launcher.TargetChoice{PinNoticeSeen: true}
	a.launch(noGateway)
	if a.dlg.entry == nil {
		t.Fatalf("no password dialog for the desktop behind the gateway: %v", a.dlg.message)
	}
	test.Type(a.dlg.entry, "Winter-2026!")
	test.Tap(a.dlg.ok)
	if !strings.HasPrefix(a.status.Text, "The connection to No gateway failed.") {
		t.Errorf("status after a launch through an unreachable gateway: %q", a.status.Text)
	}
}

// TestRigTypeCode: the window's "Type code" logs in to the rig's real
// xrdp (pam_oath checks the code) through the real xfreerdp under
// openbox: xfreerdp, started without a password, shows xrdp's login
// screen with the user name filled in and the cursor in the password
// field; its window has the focus; Type code (Enter after it, as set)
// types the code there through XTEST, and xrdp lets the user in.
func TestRigTypeCode(t *testing.T) {
	rig := testenv.RDPRig(t)
	testenv.Tool(t, "xfreerdp")
	xdotool := testenv.Tool(t, "xdotool")
	testenv.PrivateDisplay(t)
	testenv.WindowManager(t)
	t.Setenv("HOME", t.TempDir()) // FreeRDP's known hosts
	client, err := launcher.FindFreeRDP()
	if err != nil {
		t.Fatal(err)
	}
	user := rig.User(t, "ui-type")
	st := newStore(t, "otpauth://totp/Rig:"+user+"?secret="+token.EncodeBase32(rig.Seed))
	fa := test.NewTempApp(t)
	fa.Preferences().SetBool(prefTypeEnter, true)
	a := openTestApp(t, fa, st, time.Time{}, func(o *Options) { o.Now, o.Sleep = time.Now, nil })
	before, failed := rig.Logins(user), rig.Failures(user)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := client.Start(ctx, launcher.RDPSession{Host: "127.0.0.1", Port: rig.Port, User: user})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		p.Kill()
		p.Wait()
	}()
	// The person waits for the login screen, then chooses Type code.
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, _ := exec.Command(xdotool, "getwindowfocus", "getwindowname").Output()
		if strings.Contains(string(out), "FreeRDP") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("xfreerdp's window did not take the focus within 60 s (the focus is on %q)", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	menuItem(t, a.main.rows[0], "Type code").Action()
	if !strings.Contains(a.status.Text, "was typed") {
		t.Fatalf("status after Type code: %q", a.status.Text)
	}
	rig.WaitLogin(t, user, before, failed)
	t.Logf("xrdp: %s", lastLogLine(rig.Tail(), "login successful for user "+user))
}

func lastLogLine(s, sub string) string {
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], sub) {
			return strings.TrimSpace(lines[i])
		}
	}
	return ""
}
