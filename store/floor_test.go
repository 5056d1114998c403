package store

import (
	"path/filepath"
	"testing"
)

// TestProfileFloor: the floor lives in the real keychain (the Secret
// Service of the test run) or in the vault, only ever goes up, and is
// read back by a store opened afresh.
func TestProfileFloor(t *testing.T) {
	v, path := newVault(t)
	for name, kr := range map[string]Keyring{"keychain": secretService(t), "vault": v} {
		dir := filepath.Join(t.TempDir(), "softtoken")
		if name == "vault" {
			dir = filepath.Dir(path)
		}
		s, err := Open(dir, kr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { kr.Delete(Service, s.floorUser()) })
		if n, err := s.ProfileFloor(); err != nil || n != 0 {
			t.Fatalf("%s: empty floor %d, %v", name, n, err)
		}
		for _, raise := range []uint64{5, 3, 7, 7, 6} {
			if err := s.RaiseProfileFloor(raise); err != nil {
				t.Fatalf("%s: raise to %d: %v", name, raise, err)
			}
		}
		s2, _ := Open(dir, kr)
		if n, err := s2.ProfileFloor(); err != nil || n != 7 {
			t.Errorf("%s: floor %d, %v; want 7", name, n, err)
		}
	}
}
