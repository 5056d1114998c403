package imports

import (
	"testing"
)

// BenchmarkAegisUnlockDefault opens a vault whose password slot has Aegis's
// default scrypt parameters (N=32768, r=8, p=1): the wait a person has
// when importing a real encrypted Aegis export.
func BenchmarkAegisUnlockDefault(b *testing.B) {
	data := sealAegis(b, aegisPlainDB(b), testPassword, 32768, 8, 1, fixedRand(3))
	for b.Loop() {
		res, err := Read(data, password(testPassword))
		if err != nil || len(res.Accounts) != 5 {
			b.Fatalf("%d accounts, %v", len(res.Accounts), err)
		}
	}
}

// BenchmarkTwoFASUnlock opens an encrypted 2FAS backup (PBKDF2-HMAC-SHA256,
// 10000 iterations, fixed by the format).
func BenchmarkTwoFASUnlock(b *testing.B) {
	data := readTestdata(b, "2fas_encrypted.2fas")
	for b.Loop() {
		res, err := Read(data, password(testPassword))
		if err != nil || len(res.Accounts) != 5 {
			b.Fatalf("%d accounts, %v", len(res.Accounts), err)
		}
	}
}

// TestAegisDefaultParameters checks, once and outside the benchmark, that
// a slot with Aegis's default scrypt parameters opens and a wrong password
// does not.
func TestAegisDefaultParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("scrypt at Aegis's defaults takes a while")
	}
	data := sealAegis(t, aegisPlainDB(t), testPassword, 32768, 8, 1, fixedRand(3))
	res, err := Read(data, password(testPassword))
	if err != nil || len(res.Accounts) != 5 {
		t.Fatalf("%d accounts, %v", len(res.Accounts), err)
	}
}
