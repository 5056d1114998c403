package launcher

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSocketOwner reads /proc/net/tcp and tcp6 lines as the kernel writes
// them (x86, little-endian words).
func TestSocketOwner(t *testing.T) {
	table := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:A2C4 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4001 1 0 100 0 0 10 0
   1: 0100007F:D431 0100007F:A2C4 01 00000000:00000000 00:00000000 00000000 65534        0 4002 1 0 20 4 30 10 -1
   2: 0100007F:A2C4 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4003 1 0 20 4 30 10 -1
`
	relay := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 0xA2C4}
	peer := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 0xD431}
	uid, found, err := socketOwner(strings.NewReader(table), peer, relay)
	if err != nil || !found || uid != 65534 {
		t.Errorf("peer: uid %d, found %v, %v; want 65534", uid, found, err)
	}
	uid, found, err = socketOwner(strings.NewReader(table), relay, peer)
	if err != nil || !found || uid != 0 {
		t.Errorf("relay side: uid %d, found %v, %v; want 0", uid, found, err)
	}
	if _, found, _ := socketOwner(strings.NewReader(table), &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}, relay); found {
		t.Error("found a socket that is not listed")
	}
	table6 := `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF00000100007F:D431 0000000000000000FFFF00000100007F:A2C4 01 00000000:00000000 00:00000000 00000000  1000        0 4004 1 0 20 4 30 10 -1
`
	uid, found, err = socketOwner(strings.NewReader(table6), peer, relay)
	if err != nil || !found || uid != 1000 {
		t.Errorf("IPv4-mapped: uid %d, found %v, %v; want 1000", uid, found, err)
	}
}

// relayFetchEnv names the URL TestRelayFetchHelper fetches, once, when this
// test binary runs as another user's program.
const relayFetchEnv = "SOFTTOKEN_TEST_RELAY_FETCH"

// TestRelayFetchHelper is not a test of its own: TestRelayOtherUser runs
// this binary as uid 65534 with relayFetchEnv set, and this fetches the
// one-time address as that user's program would, printing what it got.
func TestRelayFetchHelper(t *testing.T) {
	u := os.Getenv(relayFetchEnv)
	if u == "" {
		return
	}
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		fmt.Printf("uid %d: refused: %v\n", os.Getuid(), errors.Unwrap(err))
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	fmt.Printf("uid %d: %d %s\n", os.Getuid(), resp.StatusCode, resp.Header.Get("Location"))
}

// TestRelayOtherUser: a program of another user (uid 65534, started with
// setpriv as root) that reads the one-time address and fetches it first
// gets nothing; the person's browser (this process) then gets the code.
func TestRelayOtherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("SOFTTOKEN_REQUIRE_TOOLS") == "1" {
			t.Fatal("needs root, to start a program as another user")
		}
		t.Skip("needs root, to start a program as another user")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Fatal(err) // util-linux: on every Debian
	}
	// A copy of this test binary that uid 65534 may run.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "softtoken-relay-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "fetch")
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}

	const target = "https://portal.example.org/#/?guac-totp=123456"
	r, err := newRelay(target, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", bin, "-test.run=^TestRelayFetchHelper$")
	cmd.Env = []string{relayFetchEnv + "=" + r.URL.String(), "PATH=/usr/bin:/bin"}
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	t.Logf("the other user's program: %s", out)
	if err != nil {
		t.Fatalf("the other user's program: %v", err)
	}
	if !strings.Contains(string(out), "uid 65534: refused") || strings.Contains(string(out), "123456") {
		t.Errorf("the other user's program got an answer: %s", out)
	}
	if r.Used() || r.Refused() != 1 {
		t.Errorf("after the other user: used %v, refused %d; want unused, 1 refused", r.Used(), r.Refused())
	}

	// The person's own browser comes next and gets the code.
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(r.URL.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != target || !r.Used() {
		t.Errorf("own fetch: %d %q, used %v", resp.StatusCode, resp.Header.Get("Location"), r.Used())
	}
}
