package store

import (
	"bufio"
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/store/imports"
	"github.com/cityadmin/softtoken/token"
)

// vaultStore makes a store on a new vault in a folder of its own, with
// the passphrase "correct horse" and two accounts.
func vaultStore(t *testing.T) (*Store, string, []token.Account) {
	t.Helper()
	v, path := newVault(t)
	s, err := Open(filepath.Dir(path), v)
	if err != nil {
		t.Fatal(err)
	}
	added, err := s.Add(
		mustParse(t, "otpauth://totp/RFC:alice?secret="+rfcSeed+"&digits=8"),
		mustParse(t, "otpauth://hotp/Gw:bob?secret=JBSWY3DPEHPK3PXP&counter=42"),
	)
	if err != nil {
		t.Fatal(err)
	}
	return s, path, added
}

// codeOf opens the vault at path with pass, as the next start would, and
// returns the code of the account id at RFC 6238's first time.
func codeOf(t *testing.T, path, pass, id string) (string, error) {
	t.Helper()
	v, err := OpenVault(path, []byte(pass))
	if err != nil {
		return "", err
	}
	s, err := Open(filepath.Dir(path), v)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Get(id)
	if err != nil {
		return "", err
	}
	return token.Code(a, time.Unix(59, 0))
}

func TestChangePassphrase(t *testing.T) {
	s, path, added := vaultStore(t)
	before, _ := os.ReadFile(path)
	// Another process that has the vault open keeps the old key.
	other, err := OpenVault(path, []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}

	// A wrong old passphrase changes nothing, not a byte.
	if err := s.changePassphrase([]byte("wrong horse"), []byte("battery staple"), testKDF); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong old passphrase: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a refused change wrote the vault")
	}
	if err := s.changePassphrase([]byte("correct horse"), nil, testKDF); !errors.Is(err, ErrPassphraseEmpty) {
		t.Errorf("empty new passphrase: %v", err)
	}

	if err := s.changePassphrase([]byte("correct horse"), []byte("battery staple"), testKDF); err != nil {
		t.Fatal(err)
	}
	// The new passphrase opens it, the old one no longer does; the store
	// that changed it goes on working (its new key), with every secret.
	if code, err := codeOf(t, path, "battery staple", added[0].ID); err != nil || code != "94287082" {
		t.Errorf("new passphrase: %q, %v", code, err)
	}
	if _, err := OpenVault(path, []byte("correct horse")); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("old passphrase after the change: %v", err)
	}
	if a, err := s.Get(added[0].ID); err != nil {
		t.Errorf("the store after the change: %v", err)
	} else if code, _ := token.Code(a, time.Unix(59, 0)); code != "94287082" {
		t.Errorf("code after the change: %s", code)
	}
	if _, err := s.NextHOTP(added[1].ID); err != nil {
		t.Errorf("HOTP after the change: %v", err)
	}
	// The other process notices instead of writing with the old key.
	if _, err := other.Get(Service, added[0].ID); !errors.Is(err, ErrVaultChangedKeys) {
		t.Errorf("another process's vault: %v, want ErrVaultChangedKeys", err)
	}
	if err := other.Set(Service, "x", "JBSWY3DPEHPK3PXP"); !errors.Is(err, ErrVaultChangedKeys) {
		t.Errorf("another process's write: %v, want ErrVaultChangedKeys", err)
	}
	// The old passphrase, now wrong, changes nothing either.
	if err := s.changePassphrase([]byte("correct horse"), []byte("x-x-x-x-x"), testKDF); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("stale old passphrase: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("vault after the change: %v %v", fi, err)
	}
	// No temporary file is left beside it.
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestChangePassphraseNeedsVault(t *testing.T) {
	s, err := Open(t.TempDir(), secretService(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.changePassphrase([]byte("a"), []byte("b"), testKDF); !errors.Is(err, ErrNoVault) {
		t.Errorf("keychain store: %v, want ErrNoVault", err)
	}
	s.Lock() // nothing to forget: no panic, no effect
	if _, err := s.List(); err != nil {
		t.Errorf("a keychain store after Lock: %v", err)
	}
	if s.Backend() != BackendKeychain {
		t.Errorf("backend %q", s.Backend())
	}
}

// TestCrashChangePassphrase kills a child that changes the passphrase
// back and forth, at random instants, and checks after every kill that
// the vault opens with the passphrase of the last change that returned,
// or of the one under way, and holds every secret.
func TestCrashChangePassphrase(t *testing.T) {
	_, path, added := vaultStore(t)
	dir := filepath.Dir(path)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	cur := "correct horse"
	for kill := 0; kill < 20; kill++ {
		cmd := childCmd(os.Environ(), "rekey", dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(time.Duration(r.IntN(60_000))*time.Microsecond, func() { cmd.Process.Kill() })
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch f[0] {
			case "rekeyed":
				cur = strings.Join(f[1:], " ")
			case "error":
				t.Fatalf("the child failed: %s", sc.Text())
			}
		}
		cmd.Wait()
		// The change under way when killed may have landed or not.
		code, err := codeOf(t, path, cur, added[0].ID)
		if errors.Is(err, ErrWrongPassphrase) {
			cur = rekeyNext(cur)
			code, err = codeOf(t, path, cur, added[0].ID)
		}
		if err != nil || code != "94287082" {
			t.Fatalf("after kill %d the vault does not open with either passphrase: %q, %v", kill, code, err)
		}
	}
}

// rekeyNext is the passphrase the rekey child changes pass to.
func rekeyNext(pass string) string {
	if pass == "correct horse" {
		return "battery staple"
	}
	return "correct horse"
}

// rekeyChild changes the passphrase of the vault in dir back and forth
// until it is killed, saying each change once it returned.
func rekeyChild(dir string) int {
	path := filepath.Join(dir, VaultFile)
	cur := "correct horse"
	v, err := OpenVault(path, []byte(cur))
	if errors.Is(err, ErrWrongPassphrase) {
		cur = rekeyNext(cur)
		v, err = OpenVault(path, []byte(cur))
	}
	if err != nil {
		say("error %s: %v", kind(err), err)
		return 1
	}
	s, err := Open(dir, v)
	if err != nil {
		say("error %s: %v", kind(err), err)
		return 1
	}
	for {
		next := rekeyNext(cur)
		if err := s.changePassphrase([]byte(cur), []byte(next), testKDF); err != nil {
			say("error %s: %v", kind(err), err)
			return 1
		}
		cur = next
		say("rekeyed %s", cur)
	}
}

func TestExportAndPlanImport(t *testing.T) {
	s, _, _ := vaultStore(t)
	b, n, err := s.export([]byte("backup pass"), testKDF)
	if err != nil || n != 2 {
		t.Fatalf("export: %d, %v", n, err)
	}
	if bytes.Contains(b, []byte(rfcSeed)) || bytes.Contains(b, []byte("alice")) {
		t.Error("the backup holds plain text")
	}
	asked := 0
	ask := func(p string) PassphraseFunc {
		return func() ([]byte, error) { asked++; return []byte(p), nil }
	}
	if _, err := ReadImport("b.stbackup", b, ask("wrong")); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	if _, err := ReadImport("b.stbackup", b, nil); !errors.Is(err, imports.ErrNeedPassword) {
		t.Errorf("no passphrase: %v", err)
	}
	in, err := ReadImport("b.stbackup", b, ask("backup pass"))
	if err != nil || in.Format != FormatBackup || !in.Encrypted || len(in.Accounts) != 2 {
		t.Fatalf("read back: %+v, %v", in, err)
	}

	// Into the same store: both are there already.
	add, skipped, err := s.PlanImport(in.Accounts)
	if err != nil || len(add) != 0 || len(skipped) != 2 || !errors.Is(skipped[0].Reason, ErrAlreadyEnrolled) || skipped[0].Existing != "RFC: alice" {
		t.Errorf("plan into the same store: %v, %+v, %v", add, skipped, err)
	}

	// Into a fresh store: both are added, with their counter.
	v2, err := createVault(filepath.Join(t.TempDir(), VaultFile), []byte("another one"), testKDF)
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := Open(filepath.Dir(v2.path), v2)
	// One account there already has alice's name with another secret.
	if _, err := fresh.Add(mustParse(t, "otpauth://totp/RFC:alice?secret=JBSWY3DPEHPK3PXP")); err != nil {
		t.Fatal(err)
	}
	add, skipped, err = fresh.PlanImport(in.Accounts)
	if err != nil || len(add) != 1 || add[0].Name != "bob" || add[0].Counter != 42 || len(skipped) != 1 || !errors.Is(skipped[0].Reason, ErrNameTaken) {
		t.Fatalf("plan into a fresh store: %v, %+v, %v", add, skipped, err)
	}
	if _, err := fresh.Add(add...); err != nil {
		t.Fatal(err)
	}
	if list, _ := fresh.List(); len(list) != 2 {
		t.Errorf("after the import: %v", list)
	}

	// Another app's export goes through package imports; an empty store
	// has nothing to export.
	in, err = ReadImport("uris.txt", []byte("otpauth://totp/X:y?secret="+rfcSeed+"\n"), nil)
	if err != nil || in.Format != imports.FormatURIList || len(in.Accounts) != 1 {
		t.Errorf("uri list: %+v, %v", in, err)
	}
	empty, _ := Open(t.TempDir(), v2)
	if _, _, err := empty.export([]byte("x"), testKDF); !errors.Is(err, ErrNothingToExport) {
		t.Errorf("empty export: %v", err)
	}
}

func TestLockForgetsTheKey(t *testing.T) {
	s, path, added := vaultStore(t)
	before, _ := os.ReadFile(path)
	s.Lock()
	if _, err := s.Get(added[0].ID); !errors.Is(err, ErrVaultClosed) {
		t.Errorf("Get after Lock: %v, want ErrVaultClosed", err)
	}
	if _, err := s.Add(mustParse(t, "otpauth://totp/X:y?secret="+rfcSeed)); !errors.Is(err, ErrVaultClosed) {
		t.Errorf("Add after Lock: %v, want ErrVaultClosed", err)
	}
	if err := s.changePassphrase([]byte("correct horse"), []byte("battery staple"), testKDF); !errors.Is(err, ErrVaultClosed) {
		t.Errorf("ChangePassphrase after Lock: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a locked store wrote the vault")
	}
	if code, err := codeOf(t, path, "correct horse", added[0].ID); err != nil || code != "94287082" {
		t.Errorf("opened again: %q, %v", code, err)
	}
}
