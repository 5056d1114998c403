package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
)

// floorUser is the keychain item (or vault entry) that holds the highest
// provisioning profile version accepted for this store's folder:
// "profile-version-" and the first 16 hex digits of the SHA-256 of the
// folder's absolute path. One keychain serves every folder of the user
// (the test suites' folders at once, on one Secret Service), and each
// folder's profile has its own floor. It cannot clash with an account id,
// which is 32 hex digits.
func (s *Store) floorUser() string {
	dir, err := filepath.Abs(s.dir)
	if err != nil {
		dir = s.dir
	}
	sum := sha256.Sum256([]byte(dir))
	return "profile-version-" + hex.EncodeToString(sum[:8])
}

// ProfileFloor returns the highest profile version recorded next to the
// secrets (0 if none is): in the keychain, or in the vault when the vault
// is used. Unlike profile-version.json, restoring an old copy of the
// configuration folder or deleting a file cannot lower it. It implements
// launcher.Floor.
func (s *Store) ProfileFloor() (uint64, error) {
	v, err := s.kr.Get(Service, s.floorUser())
	if errors.Is(err, ErrSecretMissing) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the profile version: %w", err)
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read the profile version: %w (not a number)", ErrKeychain)
	}
	return n, nil
}

// RaiseProfileFloor records v as the highest profile version accepted if
// it is higher than the one recorded. It runs under the store's lock, so
// that two processes cannot lower it between them.
func (s *Store) RaiseProfileFloor(v uint64) error {
	return s.change(func(*index, func() error) error {
		cur, err := s.ProfileFloor()
		if err != nil {
			return err
		}
		if v <= cur {
			return nil
		}
		return s.kr.Set(Service, s.floorUser(), strconv.FormatUint(v, 10))
	})
}
