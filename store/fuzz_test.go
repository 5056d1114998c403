package store

import (
	"bytes"
	"errors"
	"testing"

	"github.com/cityadmin/softtoken/token"
)

// FuzzReadBackup feeds the encrypted-file reader arbitrary bytes, seeded
// with a real backup and its cut and flipped forms. It must never panic,
// never accept a changed file, and fail only with the format's errors.
func FuzzReadBackup(f *testing.F) {
	a, _ := token.ParseURI("otpauth://totp/RFC:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8")
	good, err := writeBackup([]token.Account{a}, []byte("pw"), testKDF)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:headerLen])
	f.Add(good[:40])
	flipped := bytes.Clone(good)
	flipped[len(flipped)-1] ^= 1
	f.Add(flipped)
	f.Add([]byte(vaultMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		accs, err := ReadBackup(b, []byte("pw"))
		if err == nil {
			// Only a file sealed under the passphrase decrypts, and the
			// fuzzer cannot forge one: what is accepted is a seed, intact.
			if len(accs) != 1 || accs[0].Name != "alice" || !bytes.Equal(accs[0].Secret, a.Secret) {
				t.Fatalf("accepted a changed file: %v", accs)
			}
			return
		}
		for _, known := range []error{ErrNotVault, ErrVaultVersion, ErrVaultTruncated, ErrVaultDamaged, ErrWrongPassphrase, ErrVaultKind} {
			if errors.Is(err, known) {
				return
			}
		}
		t.Fatalf("unexpected error kind: %v", err)
	})
}
