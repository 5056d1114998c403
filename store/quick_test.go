package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/token"
)

// quickChild is the child's side of TestQuickGet: "quick DIR ID" says
// what quickGet answered for the account's item, and whether its secret is
// go-keyring's (never the secret itself); "unprobed DIR ID" reads the
// account through OpenDefaultUnprobed and says the kinds of its error.
func quickChild(args []string) int {
	switch args[0] {
	case "quick":
		s, ok, err := quickGet(Service, args[2])
		same := "-"
		if ok {
			want, gerr := keyring.Get(Service, args[2])
			same = fmt.Sprint(gerr == nil && want == s)
		}
		say("quick ok=%v err=%v same=%s", ok, err != nil, same)
	case "unprobed":
		s, _, err := OpenDefaultUnprobed(args[1], nil)
		if err == nil {
			var a token.Account
			if a, err = s.Get(args[2]); err == nil {
				code, _ := token.Code(a, time.Unix(59, 0))
				say("code %s", code)
				return 0
			}
		}
		say("error %s: holds=%v: %v", kind(err), errors.Is(err, ErrKeychainHoldsSecrets), err)
		return 1
	}
	return 0
}

// TestQuickGet: the three-call lookup reads what go-keyring reads, and
// leaves to go-keyring whatever it cannot answer as go-keyring would (a
// missing item, a locked keyring); a store opened without a probe fails
// its first read with the errors the probe would have given.
func TestQuickGet(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is Linux's")
	}
	bus := testenv.PrivateBus(t)
	kr := bus.StartKeyring(t)
	env := bus.Env(os.Environ())
	dir := filepath.Join(t.TempDir(), "softtoken")
	id := mustAdd(t, env, dir, "otpauth://totp/Stadt:alice?secret="+rfcSeed)

	if out := runChild(t, env, "quick", dir, id); !strings.HasPrefix(out, "quick ok=true err=false same=true") {
		t.Errorf("an unlocked item: %s", out)
	}
	if out := runChild(t, env, "quick", dir, "0123456789abcdef0123456789abcdef"); !strings.HasPrefix(out, "quick ok=false err=false") {
		t.Errorf("a missing item: %s", out)
	}
	if out := runChild(t, env, "unprobed", dir, id); !strings.HasPrefix(out, "code ") {
		t.Errorf("unprobed, the keychain up: %s", out)
	}

	kr.Lock(t)
	if out := runChild(t, env, "quick", dir, id); !strings.HasPrefix(out, "quick ok=false err=false") {
		t.Errorf("a locked item: %s", out)
	}
	// Locked: go-keyring's unlock prompt cannot be answered here.
	if out := runChild(t, env, "unprobed", dir, id); !strings.HasPrefix(out, "error ErrLocked: holds=false") {
		t.Errorf("unprobed, locked: %s", out)
	}

	kr.Kill()
	if out := runChild(t, env, "unprobed", dir, id); !strings.HasPrefix(out, "error ErrNoSecretService: holds=true") {
		t.Errorf("unprobed, the keychain gone: %s", out)
	}
}

// TestHoldsSecrets: which failures say that the keychain holds the secrets.
func TestHoldsSecrets(t *testing.T) {
	for _, tc := range []struct {
		err      error
		enrolled int
		holds    bool
	}{
		{nil, 3, false},
		{ErrNoSecretService, 3, true},
		{ErrNoSessionBus, 1, true},
		{ErrNoSecretService, 0, false},
		{ErrLocked, 3, false},
		{ErrKeychainTimeout, 3, false},
		{ErrKeychainDisconnected, 3, false},
		{ErrSecretMissing, 3, false},
		{fmt.Errorf("alice: %w", ErrSecretMissing), 3, false},
	} {
		got := holdsSecrets(tc.err, tc.enrolled)
		if errors.Is(got, ErrKeychainHoldsSecrets) != tc.holds || (tc.err == nil) != (got == nil) || !errors.Is(got, tc.err) {
			t.Errorf("holdsSecrets(%v, %d) = %v, want holds %v", tc.err, tc.enrolled, got, tc.holds)
		}
	}
}
