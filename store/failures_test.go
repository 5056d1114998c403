package store

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cityadmin/softtoken/internal/testenv"
)

const aliceURI = "otpauth://totp/Stadt:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8"
const bobURI = "otpauth://totp/Stadt:bob?secret=JBSWY3DPEHPK3PXP"

func expectKind(t *testing.T, out, kind string) {
	t.Helper()
	if !strings.HasPrefix(out, "error "+kind+":") {
		t.Errorf("want error %s, child said: %s", kind, out)
	}
}

var addedRE = regexp.MustCompile(`^added ([0-9a-f]{32})`)

func mustAdd(t *testing.T, env []string, dir, uri string) string {
	t.Helper()
	out := runChild(t, env, "add", dir, uri)
	m := addedRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("add: %s", out)
	}
	return m[1]
}

// TestKeychainFailures drives each way the Secret Service can fail, for
// real, against a private bus and keyring daemon: each failure has its own
// error, and the accounts not concerned keep working.
func TestKeychainFailures(t *testing.T) {
	bus := testenv.PrivateBus(t)
	env := bus.Env(os.Environ())
	dir := filepath.Join(t.TempDir(), "softtoken")

	// A bus with no Secret Service on it.
	expectKind(t, runChild(t, env, "probe", dir), "ErrNoSecretService")

	// No session bus at all: no address, no X display to autolaunch one.
	var bare []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "DISPLAY=") &&
			!strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") && !strings.HasPrefix(kv, "PATH=") {
			bare = append(bare, kv)
		}
	}
	// Nor dbus-launch on the PATH, which would start a bus of its own.
	bare = append(bare, "XDG_RUNTIME_DIR="+t.TempDir(), "PATH="+t.TempDir())
	expectKind(t, runChild(t, bare, "probe", dir), "ErrNoSessionBus")

	kr := bus.StartKeyring(t)
	if out := runChild(t, env, "probe", dir); out != "ok\n" {
		t.Fatalf("probe with a keyring: %s", out)
	}
	alice := mustAdd(t, env, dir, aliceURI)
	bob := mustAdd(t, env, dir, bobURI)
	if out := runChild(t, env, "get", dir, alice); out != "code 94287082\n" {
		t.Fatalf("get alice: %s", out)
	}

	// An item deleted behind our back: that account says so, bob still works.
	kr.Clear(t, Service, alice)
	expectKind(t, runChild(t, env, "get", dir, alice), "ErrSecretMissing")
	if out := runChild(t, env, "get", dir, bob); !strings.HasPrefix(out, "code ") {
		t.Errorf("bob stopped working: %s", out)
	}

	// A locked keyring whose unlock prompt cannot be answered.
	kr.Lock(t)
	expectKind(t, runChild(t, env, "get", dir, bob), "ErrLocked")
	before, _ := os.ReadFile(filepath.Join(dir, IndexFile))
	expectKind(t, runChild(t, env, "add", dir, "otpauth://totp/Stadt:carol?secret=JBSWY3DPEHPK3PXP"), "ErrLocked")
	after, _ := os.ReadFile(filepath.Join(dir, IndexFile))
	if strings.Contains(string(after), "carol") {
		t.Errorf("a failed add left an account in the index:\n%s\nwas:\n%s", after, before)
	}

	// The daemon gone: a private bus does not start another.
	kr.Kill()
	expectKind(t, runChild(t, env, "get", dir, bob), "ErrNoSecretService")
}

// hangingService owns org.freedesktop.secrets and never answers, so that a
// call is surely in flight when the test pulls the bus away. entered
// receives a value when a call arrives.
type hangingService struct{ release, entered chan struct{} }

func (h hangingService) hang() {
	select {
	case h.entered <- struct{}{}:
	default:
	}
	<-h.release
}

func (h hangingService) OpenSession(algorithm string, input dbus.Variant) (dbus.Variant, dbus.ObjectPath, *dbus.Error) {
	h.hang()
	return dbus.MakeVariant(""), "/", nil
}

func (h hangingService) Unlock(objects []dbus.ObjectPath) ([]dbus.ObjectPath, dbus.ObjectPath, *dbus.Error) {
	h.hang()
	return objects, "/", nil
}

func serveHanging(t *testing.T, bus *testenv.Bus) hangingService {
	t.Helper()
	conn, err := dbus.Connect(bus.Address)
	if err != nil {
		t.Fatal(err)
	}
	h := hangingService{release: make(chan struct{}), entered: make(chan struct{}, 1)}
	t.Cleanup(func() { close(h.release); conn.Close() })
	if err := conn.Export(h, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.freedesktop.secrets", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("request name: %v %v", reply, err)
	}
	return h
}

// TestKeychainDisconnectMidCall pulls the bus away while the child waits
// for the Secret Service's answer.
func TestKeychainDisconnectMidCall(t *testing.T) {
	bus := testenv.PrivateBus(t)
	h := serveHanging(t, bus)
	probe := childCmd(bus.Env(os.Environ()), "probe", t.TempDir())
	var out strings.Builder
	probe.Stdout, probe.Stderr = &out, &out
	if err := probe.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.entered:
	case <-time.After(30 * time.Second):
		probe.Process.Kill()
		t.Fatal("the child never called the Secret Service")
	}
	bus.Stop()
	probe.Wait()
	expectKind(t, out.String(), "ErrKeychainDisconnected")
}

func TestKeychainTimeout(t *testing.T) {
	bus := testenv.PrivateBus(t)
	serveHanging(t, bus)
	env := append(bus.Env(os.Environ()), "STORE_TEST_TIMEOUT=300ms")
	expectKind(t, runChild(t, env, "probe", t.TempDir()), "ErrKeychainTimeout")
}
