package doctor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/launcher"
)

// fakeKeyring answers, or fails with err.
type fakeKeyring struct{ err error }

func (k fakeKeyring) Set(service, user, secret string) error { return k.err }
func (k fakeKeyring) Get(service, user string) (string, error) {
	if k.err != nil {
		return "", k.err
	}
	return "x", nil
}
func (k fakeKeyring) Delete(service, user string) error { return k.err }

func signedProfile(t *testing.T, portal string, now time.Time) []byte {
	t.Helper()
	kb, err := os.ReadFile(filepath.Join("..", "launcher", "testdata", "test-signing.key"))
	if err != nil {
		t.Fatal(err)
	}
	id, key, err := launcher.ParsePrivateKey(kb)
	if err != nil {
		t.Fatal(err)
	}
	p := `{"format":1,"organisation":"Stadt","version":5,"issued":"` + now.Add(-time.Hour).Format(time.RFC3339) +
		`","expires":"` + now.Add(10*24*time.Hour).Format(time.RFC3339) +
		`","targets":[{"name":"portal","type":"web","web":{"url":"https://` + portal + `/login","code":"clipboard"}}]}`
	b, err := launcher.Sign([]byte(p), id, key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestClockAgainstPortal: the clock is checked against the profile's
// portal, and its offset shows in the report.
func TestClockAgainstPortal(t *testing.T) {
	// The server's clock is 42 s ahead of the (fixed) system clock.
	sys := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", sys.Add(42*time.Second).Format(http.TimeFormat))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)

	dir := t.TempDir()
	keys, err := launcher.BuiltinKeys()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := launcher.Install(dir, signedProfile(t, u.Host, sys), keys, sys, nil); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return sys }
	r := Collect(context.Background(), Options{
		Dir: dir, Now: now, Keyring: fakeKeyring{}, Version: "1.2.3",
		Clock: &launcher.ClockCheck{Client: srv.Client(), Now: now},
	})
	if r.ClockHost != u.Host || r.ClockErr != "" {
		t.Fatalf("clock: %q, %q", r.ClockHost, r.ClockErr)
	}
	// The Date header has whole seconds and counts as half a second late.
	if r.ClockOffset != 42500*time.Millisecond {
		t.Errorf("offset %s, want 42.5s", r.ClockOffset)
	}
	text := r.String()
	for _, want := range []string{
		"softtoken:    1.2.3 ",
		"secrets:      system keychain, answers\n",
		"accounts:     0\n",
		"profile:      Stadt, version 5, valid until 2026-12-07 (10 days left)\n",
		"clock:        42.5s behind (codes are corrected; set the system clock right) against " + u.Host + "\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 { // profile, its version, its lock
		t.Errorf("the report wrote to the configuration folder: %v", entries)
	}
}

func TestKeychainDown(t *testing.T) {
	r := Collect(context.Background(), Options{Dir: t.TempDir(), Keyring: fakeKeyring{err: os.ErrDeadlineExceeded}, NoClock: true})
	if r.StoreOK || r.StoreErr == "" {
		t.Errorf("a failing keychain is reported as %v, %q", r.StoreOK, r.StoreErr)
	}
	if !strings.Contains(r.String(), "does not answer") {
		t.Errorf("report:\n%s", r)
	}
}
