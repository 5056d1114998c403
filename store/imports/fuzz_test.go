package imports

import (
	"errors"
	"strings"
	"testing"

	"github.com/cityadmin/softtoken/token"
)

// sentinels are the errors Read may fail with as a whole.
var sentinels = []error{ErrUnknownFormat, ErrTooLarge, ErrNeedPassword, ErrWrongPassword, ErrDamaged, ErrUnsupported}

// checkRead is the property every input must keep: no panic; a failure
// wraps one of the sentinels and returns no account; what is returned is
// valid, without ID and without repeats; every skip has a position and a
// reason; and no message carries a fixture secret or the password.
func checkRead(t *testing.T, data []byte) {
	res, err := Read(data, password(testPassword))
	checkNoSecret(t, res, err)
	if err != nil {
		if !isSentinel(err) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if len(res.Accounts) != 0 || len(res.Skipped) != 0 {
			t.Fatalf("failed with %d accounts and %d skipped", len(res.Accounts), len(res.Skipped))
		}
		return
	}
	seen := map[dupKey]bool{}
	for _, a := range res.Accounts {
		if err := a.Validate(); err != nil {
			t.Fatalf("invalid account %v: %v", a, err)
		}
		if a.ID != "" {
			t.Fatalf("account %v has an ID", a)
		}
		if _, err := token.Code(a, at); err != nil {
			t.Fatalf("account %v: %v", a, err)
		}
		k := dupKey{strings.ToLower(strings.TrimSpace(a.Issuer)), string(a.Secret)}
		if seen[k] {
			t.Fatalf("account %v returned twice", a)
		}
		seen[k] = true
	}
	last := 0
	for _, s := range res.Skipped {
		if s.Index < 1 || s.Index < last || s.Reason == nil {
			t.Fatalf("bad skip %d after %d: %v", s.Index, last, s.Reason)
		}
		last = s.Index
	}
}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func FuzzURIList(f *testing.F) {
	f.Add(readTestdata(f, "uris.txt"))
	f.Add([]byte("otpauth://hotp/a?secret=" + s1 + "&counter=18446744073709551615\n#\n\n"))
	f.Fuzz(checkRead)
}

func FuzzAegis(f *testing.F) {
	// Mutated scrypt parameters would make every run take seconds.
	defer func(w int) { maxScryptWork = w }(maxScryptWork)
	maxScryptWork = 4 * testN * testR * testP
	f.Add(readTestdata(f, "aegis_plain.json"))
	f.Add(readTestdata(f, "aegis_encrypted.json"))
	f.Fuzz(checkRead)
}

func FuzzTwoFAS(f *testing.F) {
	f.Add(readTestdata(f, "2fas_plain.2fas"))
	f.Add(readTestdata(f, "2fas_encrypted.2fas"))
	f.Fuzz(checkRead)
}

func FuzzAndOTP(f *testing.F) {
	f.Add(readTestdata(f, "andotp.json"))
	f.Fuzz(checkRead)
}
