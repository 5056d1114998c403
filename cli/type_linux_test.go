package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// TestType: softtoken type types the account's current code, and Enter,
// into the window with the focus (a real X window on the test's display,
// another program's), and records the code as handed out; softtoken's
// own window it refuses.
func TestType(t *testing.T) {
	testenv.SecretService(t)
	testenv.Display(t)
	testenv.PrivateDisplay(t)
	home := t.TempDir()
	s, err := store.Open(filepath.Join(home, "softtoken"), store.OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := token.ParseURI("otpauth://totp/Typing:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	if err != nil {
		t.Fatal(err)
	}
	added, err := s.Add(a)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Remove(added[0].ID) })
	run := func(args ...string) (int, string) {
		out := &syncBuffer{}
		code := Run(args, Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: out, Now: time.Now,
			Store: func() (*store.Store, error) { return s, nil }})
		return code, out.String()
	}

	w := testenv.FocusedXWindow(t, 1, "other-program")
	if code, out := run("type", "alice", "--delay", "0.2", "--enter"); code != 0 {
		t.Fatalf("softtoken type: %d %s", code, out)
	}
	keys := w.Keys(t, 7)
	want, err := token.Code(a, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, k := range keys[:min(6, len(keys))] {
		got.WriteRune(rune(k))
	}
	if got.String() != want || len(keys) != 7 || keys[6] != 0xff0d {
		t.Fatalf("the window got %q and %x, want %q and Return", got.String(), keys, want)
	}

	testenv.FocusedXWindow(t, 1, "softtoken")
	code, out := run("type", "alice", "--delay", "0")
	if code != 1 || !strings.Contains(out, "own window") {
		t.Errorf("into softtoken's own window: %d %s", code, out)
	}
	if code, out := run("type", "alice", "--delay", "-1"); code != 2 {
		t.Errorf("a negative delay: %d %s", code, out)
	}
}
