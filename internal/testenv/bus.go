package testenv

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Bus is a D-Bus session bus private to one test. Nothing on it starts on
// demand, unlike a desktop's bus: a Secret Service is there only while the
// test runs one (StartKeyring), so the test can take it away again.
type Bus struct {
	Address string
	dir     string
	cmd     *exec.Cmd
}

// PrivateBus starts a bus for t, stopped when t ends.
func PrivateBus(t testing.TB) *Bus {
	t.Helper()
	daemon := Tool(t, "dbus-daemon")
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	sock := filepath.Join(dir, "bus")
	// A session bus without <servicedir>: no activation.
	err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+sock+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	return &Bus{Address: strings.TrimSpace(line), dir: dir, cmd: cmd}
}

// Stop kills the bus daemon: every connection to it breaks off at once.
func (b *Bus) Stop() {
	b.cmd.Process.Kill()
}

// Env returns environ with DBUS_SESSION_BUS_ADDRESS pointing at the bus.
func (b *Bus) Env(environ []string) []string {
	out := make([]string, 0, len(environ)+1)
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") {
			out = append(out, kv)
		}
	}
	return append(out, "DBUS_SESSION_BUS_ADDRESS="+b.Address)
}

// Keyring is a gnome-keyring-daemon answering as the Secret Service on a
// private bus, with an unlocked "login" collection in a temporary home.
type Keyring struct {
	bus *Bus
	cmd *exec.Cmd
}

// StartKeyring starts the keyring daemon on the bus and waits until it
// owns org.freedesktop.secrets. It is killed when t ends.
func (b *Bus) StartKeyring(t testing.TB) *Keyring {
	t.Helper()
	return b.StartKeyringIn(t, filepath.Join(b.dir, "home"))
}

// StartKeyringIn is StartKeyring with the daemon's home (where it keeps
// its keyring files) in home.
func (b *Bus) StartKeyringIn(t testing.TB, home string) *Keyring {
	t.Helper()
	daemon := Tool(t, "gnome-keyring-daemon")
	run := filepath.Join(home, ".run")
	for _, d := range []string{home, run} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(daemon, "--foreground", "--unlock", "--components=secrets")
	cmd.Env = append(b.Env(os.Environ()), "HOME="+home, "XDG_RUNTIME_DIR="+run, "XDG_DATA_HOME="+home+"/.local/share")
	cmd.Stdin = strings.NewReader("pw") // the throw-away password of the login collection
	if err := cmd.Start(); err != nil {
		t.Fatalf("gnome-keyring-daemon: %v", err)
	}
	k := &Keyring{bus: b, cmd: cmd}
	t.Cleanup(k.Kill)
	conn, err := dbus.Connect(b.Address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for deadline := time.Now().Add(20 * time.Second); ; {
		var has bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&has)
		if err == nil && has {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("gnome-keyring-daemon did not come up on the private bus")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return k
}

// Kill stops the daemon at once, as a crash would.
func (k *Keyring) Kill() {
	if k.cmd.ProcessState == nil {
		k.cmd.Process.Kill()
		k.cmd.Wait()
	}
}

// Lock locks the login collection, as the desktop does on screen lock.
func (k *Keyring) Lock(t testing.TB) {
	t.Helper()
	conn, err := dbus.Connect(k.bus.Address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err = conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{"/org/freedesktop/secrets/collection/login"}).
		Store(&locked, &prompt)
	if err != nil || len(locked) != 1 {
		t.Fatalf("lock the login collection: %v (%v)", err, locked)
	}
}

// Items returns the users (account ids) of the items filed under service,
// read with secret-tool, the way a person would look.
func (k *Keyring) Items(t testing.TB, service string) []string {
	t.Helper()
	tool := Tool(t, "secret-tool")
	cmd := exec.Command(tool, "search", "--all", "service", service)
	cmd.Env = k.bus.Env(os.Environ())
	out, err := cmd.CombinedOutput()
	if err != nil && len(out) > 0 && !strings.Contains(string(out), "attribute.") {
		t.Fatalf("secret-tool search: %v\n%s", err, out)
	}
	var users []string
	for line := range strings.Lines(string(out)) {
		if u, ok := strings.CutPrefix(strings.TrimSpace(line), "attribute.username = "); ok {
			users = append(users, u)
		}
	}
	return users
}

// Clear deletes the item of service and user with secret-tool, behind the
// program's back.
func (k *Keyring) Clear(t testing.TB, service, user string) {
	t.Helper()
	cmd := exec.Command(Tool(t, "secret-tool"), "clear", "service", service, "username", user)
	cmd.Env = k.bus.Env(os.Environ())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool clear: %v\n%s", err, out)
	}
}

// String describes the bus for test logs.
func (b *Bus) String() string { return fmt.Sprintf("private bus %s", b.Address) }
