package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cityadmin/softtoken/token"
)

// forge rewrites the Argon2id parameters of an encrypted file and its
// header checksum, as an attacker who wants us to spin would.
func forge(b []byte, p KDFParams) []byte {
	f := bytes.Clone(b)
	f[11] = p.Threads
	binary.BigEndian.PutUint32(f[12:], p.Time)
	binary.BigEndian.PutUint32(f[16:], p.Memory)
	sum := sha256.Sum256(f[:80])
	copy(f[80:88], sum[:8])
	return f
}

// forgedKDF are parameters beyond four times softtoken's own (64 MiB, 3
// passes): the old bounds let the first four through to Argon2id.
var forgedKDF = []KDFParams{
	{Time: 1, Memory: 1 << 20, Threads: 4},   // 1 GiB
	{Time: 1, Memory: 512 << 10, Threads: 4}, // 512 MiB
	{Time: 16, Memory: 64 << 10, Threads: 4}, // 16 passes
	{Time: 4, Memory: 256 << 10, Threads: 4}, // 256 MiB × 4 passes
	{Time: 1, Memory: 0xffffffff, Threads: 4},
	{Time: 0xffffffff, Memory: 64, Threads: 1},
	{Time: 1, Memory: 1 << 10, Threads: 255},
}

// TestForgedKDF: a vault or backup header asking for more than softtoken
// ever uses is refused as damaged before any key is derived, and nothing
// writes such a file either.
func TestForgedKDF(t *testing.T) {
	v, path := newVault(t)
	v.Set(Service, "id1", rfcSeed)
	good, _ := os.ReadFile(path)
	a := mustParse(t, "otpauth://totp/RFC:alice?secret="+rfcSeed)
	backup, err := writeBackup([]token.Account{a}, []byte("pw"), testKDF)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range forgedKDF {
		if err := os.WriteFile(path, forge(good, p), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenVault(path, []byte("correct horse")); !errors.Is(err, ErrVaultDamaged) {
			t.Errorf("vault with %+v: %v, want damaged", p, err)
		}
		if _, err := ReadBackup(forge(backup, p), []byte("pw")); !errors.Is(err, ErrVaultDamaged) {
			t.Errorf("backup with %+v: %v, want damaged", p, err)
		}
		if _, err := createVault(filepath.Join(t.TempDir(), VaultFile), []byte("pw"), p); err == nil {
			t.Errorf("CreateVault wrote a vault with %+v", p)
		}
		if _, err := writeBackup([]token.Account{a}, []byte("pw"), p); err == nil {
			t.Errorf("WriteBackup wrote a backup with %+v", p)
		}
	}
	// The bounds themselves still open (cheaply: wrong passphrase check
	// only after the header passed), and so does the default.
	for _, p := range []KDFParams{defaultKDF, {Time: 12, Memory: 64, Threads: 1}, {Time: 1, Memory: 256 << 10, Threads: 4}} {
		if err := parseHeaderOnly(forge(good, p)); err != nil {
			t.Errorf("%+v refused: %v", p, err)
		}
	}
}

func parseHeaderOnly(b []byte) error {
	_, err := parseHeader(b)
	return err
}

// TestVaultNeverPastReader: a change that would make vault.stv larger than
// the reader accepts is refused, and the vault stays as it was, readable.
func TestVaultNeverPastReader(t *testing.T) {
	v, path := newVault(t)
	if err := v.Set(Service, "id1", rfcSeed); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	// Only a caller that skips token's bounds could try this; the vault
	// refuses it all the same.
	if err := v.Set(Service, "id2", strings.Repeat("A", MaxFileSize)); !errors.Is(err, ErrFileTooLarge) {
		t.Fatalf("a 16 MiB secret: %v, want ErrFileTooLarge", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the refused change altered the vault")
	}
	w, err := OpenVault(path, []byte("correct horse"))
	if err != nil {
		t.Fatalf("the vault no longer opens: %v", err)
	}
	if s, err := w.Get(Service, "id1"); err != nil || s != rfcSeed {
		t.Errorf("id1: %d bytes, %v", len(s), err)
	}
}

// TestBackupNeverPastReader: an export larger than ReadBackup accepts is
// refused. 7,000 accounts at the longest secret and names make 19 MiB.
func TestBackupNeverPastReader(t *testing.T) {
	long := strings.Repeat("n", token.MaxTextBytes)
	accs := make([]token.Account, 7000)
	for i := range accs {
		accs[i] = token.Account{Type: token.TOTP, Algorithm: token.SHA1, Digits: 6, Period: 30,
			Issuer: long, Name: fmt.Sprint(i) + long[:token.MaxTextBytes-8], Secret: make(token.Secret, token.MaxSecretBytes)}
	}
	if _, err := writeBackup(accs, []byte("pw"), testKDF); !errors.Is(err, ErrFileTooLarge) {
		t.Errorf("WriteBackup of %d large accounts: %v, want ErrFileTooLarge", len(accs), err)
	}
}

// TestAddBounds: the store refuses a secret or a name past its bound, and
// a name with control or text-direction characters, whoever calls it.
func TestAddBounds(t *testing.T) {
	v, path := newVault(t)
	s, err := Open(filepath.Dir(path), v)
	if err != nil {
		t.Fatal(err)
	}
	base := token.Account{Type: token.TOTP, Algorithm: token.SHA1, Digits: 6, Period: 30, Issuer: "I", Name: "n", Secret: make(token.Secret, 20)}
	bad := map[string]func(*token.Account){
		"9 MiB secret":     func(a *token.Account) { a.Secret = make(token.Secret, 9<<20) },
		"1025-byte secret": func(a *token.Account) { a.Secret = make(token.Secret, token.MaxSecretBytes+1) },
		"513-byte name":    func(a *token.Account) { a.Name = strings.Repeat("n", token.MaxTextBytes+1) },
		"ESC in the name":  func(a *token.Account) { a.Name = "x\x1b[2J" },
		"RLO in issuer":    func(a *token.Account) { a.Issuer = "\u202eI" },
		"NUL in the name":  func(a *token.Account) { a.Name = "a\x00" },
	}
	for what, change := range bad {
		a := base
		change(&a)
		if _, err := s.Add(a); err == nil {
			t.Errorf("Add with %s succeeded", what)
		}
	}
	added, err := s.Add(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a\x1b]52;c;aGk=\x07", "a\nb", "\u202egnp.exe", "a\xff", strings.Repeat("n", token.MaxTextBytes+1)} {
		if err := s.Rename(added[0].ID, "I", name); err == nil {
			t.Errorf("Rename to %q succeeded", name)
		}
	}
	list, _ := s.List()
	if len(list) != 1 || list[0].Name != "n" {
		t.Errorf("list after refusals: %v", list)
	}
}

// TestIndexNamesNeutralised: names with control characters in an index
// written before the check are read neutralised, not refused.
func TestIndexNamesNeutralised(t *testing.T) {
	v, path := newVault(t)
	dir := filepath.Dir(path)
	s, err := Open(dir, v)
	if err != nil {
		t.Fatal(err)
	}
	added, err := s.Add(mustParse(t, "otpauth://totp/I:alice?secret="+rfcSeed))
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := os.ReadFile(filepath.Join(dir, IndexFile))
	ix = bytes.Replace(ix, []byte(`"alice"`), []byte(`"al\u001b[2Jice\u202e\n"`), 1)
	if err := os.WriteFile(filepath.Join(dir, IndexFile), ix, 0o600); err != nil {
		t.Fatal(err)
	}
	list, err := s.List()
	if err != nil || len(list) != 1 || list[0].Name != "al [2Jice" || list[0].ID != added[0].ID {
		t.Fatalf("List = %v, %v", list, err)
	}
}
