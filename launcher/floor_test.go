package launcher

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// memFloor stands in for the store's floor (the keychain or the vault),
// which package launcher cannot import; store and the CLI scripts test the
// real one against the Secret Service.
type memFloor struct {
	v   uint64
	err error
}

func (f *memFloor) ProfileFloor() (uint64, error) { return f.v, f.err }
func (f *memFloor) RaiseProfileFloor(v uint64) error {
	if f.err != nil {
		return f.err
	}
	f.v = max(f.v, v)
	return nil
}

// TestFloor: with version 5 accepted, an older signed profile put in place
// by a file copy is not used, and deleting profile-version.json does not
// let an older one in again, as long as the floor next to the secrets
// holds 5.
func TestFloor(t *testing.T) {
	dir := t.TempDir()
	floor := &memFloor{}
	v4, v5 := signed(t, 4, nil), signed(t, 5, nil)
	if _, err := Install(dir, v5, testKeys(), testNow, floor); err != nil {
		t.Fatal(err)
	}
	if floor.v != 5 {
		t.Fatalf("floor %d after installing 5", floor.v)
	}
	put := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	version := filepath.Join(dir, ProfileVersionFile)

	// An older signed profile.json copied in place: not used, with or
	// without the floor beside the secrets.
	put(ProfileFile, v4)
	for _, f := range []Floor{nil, floor} {
		if p, err := Installed(dir, testKeys(), testNow, f); !errors.Is(err, ErrRolledBack) {
			t.Errorf("v4 copied in place, floor %v: %v, %v; want ErrRolledBack", f, p, err)
		}
	}
	if _, err := FindTarget(dir, "portal", testKeys(), testNow, floor); !errors.Is(err, ErrRolledBack) {
		t.Errorf("FindTarget with v4 copied in place: %v", err)
	}
	// And profile-version.json deleted too: the floor still says 5.
	os.Remove(version)
	if _, err := Installed(dir, testKeys(), testNow, floor); !errors.Is(err, ErrRolledBack) {
		t.Errorf("v4 in place, version file deleted: %v", err)
	}
	put(ProfileFile, v5)
	os.Remove(version)
	if _, err := Install(dir, v4, testKeys(), testNow, floor); !errors.Is(err, ErrDowngrade) {
		t.Errorf("installing v4 after deleting the version file: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ProfileFile)); string(b) != string(v5) {
		t.Error("the refused install changed profile.json")
	}

	// A floor that does not answer leaves the file's.
	locked := &memFloor{err: errors.New("locked")}
	if _, err := Install(dir, v5, testKeys(), testNow, locked); err != nil {
		t.Fatal(err)
	}
	put(ProfileFile, v4)
	if _, err := Installed(dir, testKeys(), testNow, locked); !errors.Is(err, ErrRolledBack) {
		t.Errorf("locked floor, v4 in place: %v", err)
	}

	// A profile above the floor (installed while the keychain was locked,
	// or before the secrets moved to a vault) raises it when read.
	fresh := &memFloor{}
	put(ProfileFile, v5)
	if _, err := Installed(dir, testKeys(), testNow, fresh); err != nil || fresh.v != 5 {
		t.Errorf("read of v5 with an empty floor: %v, floor %d", err, fresh.v)
	}
}

// TestProfileSize: a profile file over MaxProfileSize is refused unread,
// and Sign does not write one.
func TestProfileSize(t *testing.T) {
	big := append(signed(t, 5, nil), make([]byte, MaxProfileSize)...)
	if _, err := Verify(big, testKeys(), testNow); !errors.Is(err, ErrMalformed) {
		t.Errorf("Verify of %d bytes: %v", len(big), err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ProfileFile), big, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Installed(dir, testKeys(), testNow, nil); !errors.Is(err, ErrState) {
		t.Errorf("Installed of %d bytes: %v", len(big), err)
	}
	title := make([]byte, MaxProfileSize*3/4)
	for i := range title {
		title[i] = 'a'
	}
	p := []byte(`{"format": 1, "organisation": "` + string(title) + `", "version": 1, "expires": "2099-12-31T00:00:00Z", "targets": []}`)
	if _, err := Sign(p, TestKeyID, testKey(t)); !errors.Is(err, ErrInvalid) {
		t.Errorf("Sign of a %d KiB profile: %v", len(p)>>10, err)
	}
}
