package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/token"
)

// testKDF makes Argon2id cheap for tests, as age lowers scrypt's work
// factor in its tests; BenchmarkVaultUnlock measures the real default.
var testKDF = KDFParams{Time: 1, Memory: 64, Threads: 1}

func newVault(t *testing.T) (*Vault, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), VaultFile)
	v, err := createVault(path, []byte("correct horse"), testKDF)
	if err != nil {
		t.Fatal(err)
	}
	return v, path
}

func TestVaultRoundTrip(t *testing.T) {
	v, path := newVault(t)
	if err := v.Set(Service, "id1", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"); err != nil {
		t.Fatal(err)
	}
	if err := v.Set(Service, "id2", "JBSWY3DPEHPK3PXP"); err != nil {
		t.Fatal(err)
	}
	if err := v.Delete(Service, "id2"); err != nil {
		t.Fatal(err)
	}
	if err := v.Delete(Service, "id2"); !errors.Is(err, ErrSecretMissing) {
		t.Errorf("second delete: %v", err)
	}
	w, err := OpenVault(path, []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := w.Get(Service, "id1"); err != nil || s != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" {
		t.Errorf("get after reopen: %q, %v", s, err)
	}
	if _, err := w.Get(Service, "id2"); !errors.Is(err, ErrSecretMissing) {
		t.Errorf("deleted secret: %v", err)
	}
	b, _ := os.ReadFile(path)
	if bytes.Contains(b, []byte("GEZDGNBV")) || bytes.Contains(b, []byte("id1")) {
		t.Error("the vault file holds plain text")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("vault mode %v", fi.Mode().Perm())
	}
	if _, err := createVault(path, []byte("x"), testKDF); !errors.Is(err, ErrVaultExists) {
		t.Errorf("create over an existing vault: %v", err)
	}
	if _, err := createVault(filepath.Join(t.TempDir(), "v"), nil, testKDF); !errors.Is(err, ErrPassphraseEmpty) {
		t.Errorf("empty passphrase: %v", err)
	}
}

// TestVaultRefusals: a wrong passphrase, every truncation, every flipped
// byte and an unknown version each give their own error, never another's,
// and the file is never changed.
func TestVaultRefusals(t *testing.T) {
	v, path := newVault(t)
	v.Set(Service, "id1", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
	good, _ := os.ReadFile(path)

	try := func(b []byte, pass string) error {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := OpenVault(path, []byte(pass))
		if after, _ := os.ReadFile(path); !bytes.Equal(after, b) {
			t.Fatal("opening changed the file")
		}
		return err
	}
	if err := try(good, "wrong horse"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	if err := try(good, "correct horse"); err != nil {
		t.Fatalf("good file: %v", err)
	}
	for n := 1; n < len(good); n++ {
		if err := try(good[:n], "correct horse"); !errors.Is(err, ErrVaultTruncated) {
			t.Errorf("cut at %d of %d: %v", n, len(good), err)
		}
	}
	for i := range good {
		b := bytes.Clone(good)
		b[i] ^= 0x04
		err := try(b, "correct horse")
		want := ErrVaultDamaged
		switch {
		case i < 8:
			want = ErrNotVault
		case i == 8:
			want = ErrVaultVersion
		}
		if !errors.Is(err, want) {
			t.Errorf("byte %d flipped: %v, want %v", i, err, want)
		}
	}
	newer := bytes.Clone(good)
	newer[8] = 2
	sum := sha256.Sum256(newer[:80])
	copy(newer[80:88], sum[:8])
	if err := try(newer, "correct horse"); !errors.Is(err, ErrVaultVersion) || err.Error() != "the file was written by a newer version of softtoken (format 2)" {
		t.Errorf("version 2: %v", err)
	}
	if err := try([]byte("{\"version\":1}"), "correct horse"); !errors.Is(err, ErrNotVault) {
		t.Errorf("a JSON file: %v", err)
	}
	// A forged header asking for 4 GiB of memory is refused before Argon2.
	forged := bytes.Clone(good)
	forged[16], forged[17], forged[18], forged[19] = 0x00, 0x40, 0x00, 0x00
	sum = sha256.Sum256(forged[:80])
	copy(forged[80:88], sum[:8])
	if err := try(forged, "correct horse"); !errors.Is(err, ErrVaultDamaged) {
		t.Errorf("forged parameters: %v", err)
	}
}

func TestStoreOnVault(t *testing.T) {
	v, path := newVault(t)
	s, err := Open(filepath.Dir(path), v)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := token.ParseURI("otpauth://totp/RFC:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8")
	added, err := s.Add(a)
	if err != nil {
		t.Fatal(err)
	}
	w, err := OpenVault(path, []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := Open(filepath.Dir(path), w)
	got, err := s2.Get(added[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := token.Code(got, time.Unix(59, 0)); code != "94287082" {
		t.Errorf("code %s", code)
	}
	if err := s2.Remove(added[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Get(Service, added[0].ID); !errors.Is(err, ErrSecretMissing) {
		t.Errorf("secret survived remove: %v", err)
	}
}

func TestBackupRoundTrip(t *testing.T) {
	a, _ := token.ParseURI("otpauth://totp/RFC:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&period=60")
	h, _ := token.ParseURI("otpauth://hotp/Gw:bob?secret=JBSWY3DPEHPK3PXP&counter=42&algorithm=SHA256")
	b, err := writeBackup([]token.Account{a, h}, []byte("pw"), testKDF)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadBackup(b, []byte("pw"))
	if err != nil || len(back) != 2 {
		t.Fatalf("ReadBackup: %v, %v", back, err)
	}
	for i, want := range []token.Account{a, h} {
		got := back[i]
		if got.Issuer != want.Issuer || got.Name != want.Name || got.Type != want.Type || got.Algorithm != want.Algorithm ||
			got.Digits != want.Digits || got.Period != want.Period || got.Counter != want.Counter || !bytes.Equal(got.Secret, want.Secret) {
			t.Errorf("account %d: %v, want %v", i, got, want)
		}
	}
	if _, err := ReadBackup(b, []byte("nope")); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	path := filepath.Join(t.TempDir(), "backup.stv")
	os.WriteFile(path, b, 0o600)
	if _, err := OpenVault(path, []byte("pw")); !errors.Is(err, ErrVaultKind) {
		t.Errorf("a backup opened as vault: %v", err)
	}
}

// BenchmarkVaultUnlock measures opening a vault at the default Argon2id
// parameters (64 MiB, 3 passes, 4 lanes): what a person waits for.
func BenchmarkVaultUnlock(b *testing.B) {
	path := filepath.Join(b.TempDir(), VaultFile)
	if _, err := createVault(path, []byte("correct horse"), defaultKDF); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := OpenVault(path, []byte("correct horse")); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMoveRename(t *testing.T) {
	v, path := newVault(t)
	s, _ := Open(filepath.Dir(path), v)
	var ids []string
	for _, n := range []string{"a", "b", "c", "d"} {
		a, _ := token.ParseURI("otpauth://totp/X:" + n + "?secret=JBSWY3DPEHPK3PXP")
		added, err := s.Add(a)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, added[0].ID)
	}
	order := func() string {
		list, _ := s.List()
		var out string
		for _, a := range list {
			out += a.Name
		}
		return out
	}
	for _, c := range []struct {
		id   int
		to   int
		want string
	}{{3, 0, "dabc"}, {3, 99, "abcd"}, {0, 2, "bcad"}, {2, -5, "cbad"}, {1, 1, "cbad"}, {0, 3, "cbda"}} {
		if err := s.Move(ids[c.id], c.to); err != nil {
			t.Fatal(err)
		}
		if got := order(); got != c.want {
			t.Errorf("move %d to %d: %s, want %s", c.id, c.to, got, c.want)
		}
	}
	if err := s.Rename(ids[0], "Y", "z"); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Get(ids[0]); a.Label() != "Y: z" || a.Secret == nil {
		t.Errorf("after rename: %v", a)
	}
	if err := s.Rename(ids[1], "y", "Z"); !errors.Is(err, ErrDuplicate) {
		t.Errorf("rename onto another account: %v", err)
	}
	if err := s.Rename(ids[1], " ", ""); !errors.Is(err, ErrEmptyName) {
		t.Errorf("empty rename: %v", err)
	}
	if err := s.Move("nope", 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("move of a missing id: %v", err)
	}
}
