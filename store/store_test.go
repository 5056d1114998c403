package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/token"
)

// secretService returns the real OS keychain: these tests run against the
// Secret Service that `make test` starts (gnome-keyring on a private D-Bus).
func secretService(t *testing.T) Keyring {
	t.Helper()
	testenv.SecretService(t)
	return OSKeyring{}
}

func mustParse(t *testing.T, uri string) token.Account {
	t.Helper()
	a, err := token.ParseURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const rfcSeed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestAddGetRemove(t *testing.T) {
	kr := secretService(t)
	dir := filepath.Join(t.TempDir(), "softtoken")
	s, err := Open(dir, kr)
	if err != nil {
		t.Fatal(err)
	}
	alice := mustParse(t, "otpauth://totp/Stadt:alice?secret="+rfcSeed+"&digits=8")
	bob := mustParse(t, "otpauth://hotp/Gateway:bob?secret=JBSWY3DPEHPK3PXP&counter=3")
	added, err := s.Add(alice, bob)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0].ID == "" || added[0].ID == added[1].ID {
		t.Fatalf("ids: %v", added)
	}
	t.Cleanup(func() { s.Remove(added[0].ID); s.Remove(added[1].ID) })

	list, err := s.List()
	if err != nil || len(list) != 2 || list[0].Name != "alice" || list[1].Name != "bob" || list[0].Secret != nil {
		t.Fatalf("List = %v, %v", list, err)
	}
	got, err := s.Get(added[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := token.Code(got, time.Unix(59, 0)); code != "94287082" {
		t.Errorf("code from the stored account = %q", code)
	}

	// The index holds no secret, in any form, and only its owner reads it.
	ib, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{rfcSeed, "JBSWY3DP", "12345678901234567890", "Hello!"} {
		if bytes.Contains(ib, []byte(leak)) {
			t.Errorf("index contains secret material %q", leak)
		}
	}
	checkMode(t, filepath.Join(dir, IndexFile), 0o600)
	checkMode(t, dir, 0o700)

	if err := s.Remove(added[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get(Service, added[0].ID); !errors.Is(err, ErrSecretMissing) {
		t.Errorf("keychain item survived Remove: %v", err)
	}
	if _, err := s.Get(added[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Remove: %v", err)
	}
	if err := s.Remove(added[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Remove: %v", err)
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), want)
	}
}

func TestHOTPCounterSavedFirst(t *testing.T) {
	s, err := Open(t.TempDir(), secretService(t))
	if err != nil {
		t.Fatal(err)
	}
	added, err := s.Add(mustParse(t, "otpauth://hotp/RFC:4226?secret="+rfcSeed+"&counter=0"))
	if err != nil {
		t.Fatal(err)
	}
	id := added[0].ID
	t.Cleanup(func() { s.Remove(id) })
	want := []string{"755224", "287082", "359152", "969429"}
	for i, w := range want {
		a, err := s.NextHOTP(id)
		if err != nil {
			t.Fatal(err)
		}
		// Before the code is computed, the next counter is on disk: a second
		// store reading the same folder already sees it.
		other, _ := Open(s.Dir(), OSKeyring{})
		list, _ := other.List()
		if list[0].Counter != uint64(i+1) {
			t.Fatalf("stored counter %d, want %d before code %d shows", list[0].Counter, i+1, i)
		}
		if code, _ := token.Code(a, time.Time{}); code != w {
			t.Errorf("HOTP code %d = %s, want %s", i, code, w)
		}
	}
}

// TestNextHOTPCodeAndForCode: NextHOTPCode gives RFC 4226's codes in
// order, each counter saved first; ForCode spends an HOTP counter and
// only reads a TOTP account.
func TestNextHOTPCodeAndForCode(t *testing.T) {
	s, err := Open(t.TempDir(), secretService(t))
	if err != nil {
		t.Fatal(err)
	}
	added, err := s.Add(mustParse(t, "otpauth://hotp/RFC:4226?secret="+rfcSeed+"&counter=0"),
		mustParse(t, "otpauth://totp/RFC:6238?secret="+rfcSeed))
	if err != nil {
		t.Fatal(err)
	}
	hotp, totp := added[0], added[1]
	t.Cleanup(func() { s.Remove(hotp.ID); s.Remove(totp.ID) })
	for i, w := range []string{"755224", "287082"} {
		a, code, err := s.NextHOTPCode(hotp.ID)
		if err != nil || code != w || a.Counter != uint64(i) {
			t.Fatalf("code %d: %q (counter %d), %v; want %s", i, code, a.Counter, err, w)
		}
	}
	a, err := s.ForCode(hotp) // the listed account, as the clients have it
	if code, _ := token.Code(a, time.Time{}); err != nil || code != "359152" {
		t.Fatalf("ForCode(hotp): %q, %v; want the third code", code, err)
	}
	if list, _ := s.List(); list[0].Counter != 3 {
		t.Errorf("counter %d after three codes, want 3", list[0].Counter)
	}
	a, err = s.ForCode(totp)
	if code, _ := token.Code(a, time.Unix(59, 0)); err != nil || code != "287082" {
		t.Errorf("ForCode(totp) at 59: %q, %v; want RFC 6238's 287082", code, err)
	}
	if list, _ := s.List(); list[1].Counter != 0 {
		t.Errorf("a TOTP account's counter moved: %d", list[1].Counter)
	}
	if _, _, err := s.NextHOTPCode(totp.ID); !errors.Is(err, token.ErrType) {
		t.Errorf("NextHOTPCode of a TOTP account: %v, want token.ErrType", err)
	}
}

func TestDuplicateChangesNothing(t *testing.T) {
	s, err := Open(t.TempDir(), secretService(t))
	if err != nil {
		t.Fatal(err)
	}
	added, err := s.Add(mustParse(t, "otpauth://totp/Stadt:alice?secret="+rfcSeed))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Remove(added[0].ID) })
	before, _ := os.ReadFile(filepath.Join(s.Dir(), IndexFile))
	fresh := mustParse(t, "otpauth://totp/Carol?secret="+rfcSeed)
	_, err = s.Add(fresh, mustParse(t, "otpauth://totp/STADT:Alice?secret=JBSWY3DPEHPK3PXP"))
	if !errors.Is(err, ErrDuplicate) || !strings.Contains(err.Error(), "STADT: Alice") {
		t.Fatalf("duplicate add: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(s.Dir(), IndexFile))
	if !bytes.Equal(before, after) {
		t.Error("a refused add changed the index")
	}
}

func TestDamagedIndexLeftAlone(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, secretService(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"truncated": `{"version":1,"accounts":[{"id":"ab`,
		"newer":     `{"version":99,"accounts":[]}`,
		"invalid":   `{"version":1,"accounts":[{"id":"x","type":"totp","algorithm":"MD5","digits":6,"period":30}]}`,
	} {
		path := filepath.Join(dir, IndexFile)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := s.Add(mustParse(t, "otpauth://totp/Stadt:alice?secret="+rfcSeed))
		want := ErrIndexCorrupt
		if name == "newer" {
			want = ErrIndexVersion
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: Add = %v, want %v", name, err, want)
		}
		if _, err := s.List(); !errors.Is(err, want) {
			t.Errorf("%s: List = %v, want %v", name, err, want)
		}
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Errorf("%s: the damaged index was rewritten", name)
		}
	}
}

func TestSecretMissingBehindOurBack(t *testing.T) {
	kr := secretService(t)
	s, err := Open(t.TempDir(), kr)
	if err != nil {
		t.Fatal(err)
	}
	added, err := s.Add(mustParse(t, "otpauth://totp/Stadt:alice?secret="+rfcSeed),
		mustParse(t, "otpauth://totp/Stadt:bob?secret="+rfcSeed))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Remove(added[0].ID); s.Remove(added[1].ID) })
	if err := kr.Delete(Service, added[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(added[0].ID); !errors.Is(err, ErrSecretMissing) || !strings.Contains(err.Error(), "Stadt: alice") {
		t.Errorf("Get of the account whose item vanished: %v", err)
	}
	if _, err := s.Get(added[1].ID); err != nil {
		t.Errorf("the other account stopped working: %v", err)
	}
}

// TestConcurrentAdds adds from two stores (as a GUI and a CLI would) and
// from several goroutines at once: no add may be lost.
func TestConcurrentAdds(t *testing.T) {
	dir := t.TempDir()
	kr := secretService(t)
	s1, _ := Open(dir, kr)
	s2, _ := Open(dir, kr)
	var wg sync.WaitGroup
	const n = 12
	errs := make(chan error, n)
	for i := range n {
		s := s1
		if i%2 == 1 {
			s = s2
		}
		wg.Go(func() {
			_, err := s.Add(mustParse(t, fmt.Sprintf("otpauth://totp/Stadt:user%d?secret=%s", i, rfcSeed)))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	list, err := s1.List()
	if err != nil || len(list) != n {
		t.Fatalf("after %d concurrent adds the list has %d: %v", n, len(list), err)
	}
	for _, a := range list {
		s1.Remove(a.ID)
	}
}

// BenchmarkKeychainSet and BenchmarkKeychainGet measure one round trip to
// the real Secret Service (gnome-keyring under make test).
func BenchmarkKeychainSet(b *testing.B) {
	testenv.SecretService(b)
	kr := OSKeyring{}
	b.Cleanup(func() { kr.Delete(Service, "bench-set") })
	for b.Loop() {
		if err := kr.Set(Service, "bench-set", rfcSeed); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKeychainGet(b *testing.B) {
	testenv.SecretService(b)
	kr := OSKeyring{}
	if err := kr.Set(Service, "bench-get", rfcSeed); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { kr.Delete(Service, "bench-get") })
	for b.Loop() {
		if _, err := kr.Get(Service, "bench-get"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHOTPCounterEnd: the counter stops at 2^64-1 instead of wrapping to 0
// (which would show the codes of counter 0, 1, … again).
func TestHOTPCounterEnd(t *testing.T) {
	v, path := newVault(t)
	s, err := Open(filepath.Dir(path), v)
	if err != nil {
		t.Fatal(err)
	}
	a := mustParse(t, "otpauth://hotp/RFC:4226?secret="+rfcSeed+"&counter=18446744073709551613")
	added, err := s.Add(a)
	if err != nil {
		t.Fatal(err)
	}
	id := added[0].ID
	for i := range 2 {
		if _, err := s.NextHOTP(id); err != nil {
			t.Fatalf("code %d: %v", i, err)
		}
	}
	if _, err := s.NextHOTP(id); !errors.Is(err, token.ErrCounterEnd) {
		t.Fatalf("at 2^64-1: got %v, want ErrCounterEnd", err)
	}
	list, _ := s.List()
	if list[0].Counter != math.MaxUint64 {
		t.Fatalf("counter %d after the refusal, want 2^64-1", list[0].Counter)
	}
}

// TestDuplicateIDs: two entries of the index with one id would share one
// secret, and removing one would take the other's. Identical repeats (a
// copy-paste) are merged; differing ones are refused and left alone.
func TestDuplicateIDs(t *testing.T) {
	v, path := newVault(t)
	dir := filepath.Dir(path)
	s, err := Open(dir, v)
	if err != nil {
		t.Fatal(err)
	}
	const id = "0123456789abcdef0123456789abcdef"
	const e = `{"id":"` + id + `","issuer":"Stadt","name":"alice","type":"totp","algorithm":"SHA1","digits":6,"period":30,"added":"2026-01-01T00:00:00Z"}`
	const other = `{"id":"` + id + `","issuer":"Stadt","name":"bob","type":"totp","algorithm":"SHA1","digits":6,"period":30,"added":"2026-01-01T00:00:00Z"}`
	ixPath := filepath.Join(dir, IndexFile)

	differ := `{"version":1,"accounts":[` + e + `,` + other + `]}`
	os.WriteFile(ixPath, []byte(differ), 0o600)
	if _, err := s.List(); !errors.Is(err, ErrIndexCorrupt) {
		t.Errorf("two accounts with one id: List = %v, want ErrIndexCorrupt", err)
	}
	if err := s.Remove(id); !errors.Is(err, ErrIndexCorrupt) {
		t.Errorf("two accounts with one id: Remove = %v, want ErrIndexCorrupt", err)
	}
	if b, _ := os.ReadFile(ixPath); string(b) != differ {
		t.Error("the index with differing duplicates was rewritten")
	}

	os.WriteFile(ixPath, []byte(`{"version":1,"accounts":[`+e+`,`+e+`]}`), 0o600)
	list, err := s.List()
	if err != nil || len(list) != 1 {
		t.Fatalf("identical duplicates: List = %d accounts, %v; want 1", len(list), err)
	}
	if err := s.Recover(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(ixPath); strings.Count(string(b), id) != 1 {
		t.Errorf("the repaired index still repeats the id:\n%s", b)
	}
}

// countingKeyring counts the deletes made through the real keychain.
type countingKeyring struct {
	Keyring
	deletes int
}

func (c *countingKeyring) Delete(service, user string) error {
	c.deletes++
	return c.Keyring.Delete(service, user)
}

// TestInterruptedImportRecoversFast: an import of many links cut off
// after its ids were marked pending leaves them all pending. The next
// change must not hold the lock to delete them all at once (minutes for
// thousands); each cleans a batch, and a few changes clean everything.
func TestInterruptedImportRecoversFast(t *testing.T) {
	kr := &countingKeyring{Keyring: secretService(t)}
	dir := t.TempDir()
	const n, set = 600, 20
	var ids []string
	for i := range n {
		ids = append(ids, fmt.Sprintf("%032x", 0xfeed0000+i))
	}
	for _, id := range ids[:set] { // the import had stored these before the kill
		if err := kr.Keyring.Set(Service, id, rfcSeed); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := json.Marshal(index{Version: indexVersion, Accounts: []entry{}, Pending: ids})
	if err := os.WriteFile(filepath.Join(dir, IndexFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, kr)
	if err != nil {
		t.Fatal(err)
	}
	rounds := 0
	for {
		kr.deletes = 0
		if err := s.Recover(); err != nil {
			t.Fatal(err)
		}
		rounds++
		if kr.deletes > cleanBatch {
			t.Fatalf("one change deleted %d pending items while holding the lock, want at most %d", kr.deletes, cleanBatch)
		}
		ix, err := s.read()
		if err != nil {
			t.Fatal(err)
		}
		if len(ix.Pending) == 0 {
			break
		}
		if rounds > n/cleanBatch+1 {
			t.Fatalf("after %d changes %d ids are still pending", rounds, len(ix.Pending))
		}
	}
	for _, id := range ids[:set] {
		if _, err := kr.Keyring.Get(Service, id); !errors.Is(err, ErrSecretMissing) {
			t.Errorf("left-over item %s is still in the keychain: %v", id, err)
		}
	}
}
