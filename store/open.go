package store

import (
	"errors"
	"fmt"
	"path/filepath"
)

// ErrNeedPassphrase is returned by OpenDefault when the secrets are in a
// vault and no way to ask for its passphrase was given.
var ErrNeedPassphrase = errors.New("the vault file needs its passphrase")

// PassphraseFunc asks for a passphrase. The caller clears the slice after
// use.
type PassphraseFunc func() ([]byte, error)

// Backend tells where a store keeps its secrets.
type Backend string

// The two places for secrets.
const (
	BackendKeychain Backend = "keychain"
	BackendVault    Backend = "vault"
)

// OpenDefault opens the store in dir with its secrets where the index
// says they are (see Moving): in the vault file (its passphrase from
// pass), or in the OS keychain, which must answer. When it does not, the
// error matches ErrKeychain (and its kind), and ErrKeychainHoldsSecrets
// too if accounts are enrolled (their secrets are in it: the keychain must
// be started, not replaced); with none enrolled the caller may offer to
// create a vault. Interrupted changes are cleaned up (Recover). A move
// that was cut off leaves the store usable in the place the index names;
// Moving tells, and MoveToVault or MoveToKeychain finishes or undoes it.
func OpenDefault(dir string, pass PassphraseFunc) (*Store, Backend, error) {
	vaultPath := filepath.Join(dir, VaultFile)
	backend, enrolled := BackendKeychain, 0
	if st, err := Moving(dir); err == nil {
		backend, enrolled = st.Secrets, st.Accounts
	} else if VaultExists(vaultPath) {
		// The index cannot be read: the first read reports it.
		backend = BackendVault
	}
	var kr Keyring
	if backend == BackendVault {
		if pass == nil {
			return nil, BackendVault, ErrNeedPassphrase
		}
		p, err := pass()
		if err != nil {
			return nil, BackendVault, err
		}
		v, err := OpenVault(vaultPath, p)
		clear(p)
		if err != nil {
			return nil, BackendVault, fmt.Errorf("open the vault %s: %w", vaultPath, err)
		}
		kr = v
	} else {
		os := OSKeyring{}
		if err := Probe(os); err != nil {
			if enrolled > 0 && !errors.Is(err, ErrLocked) && !errors.Is(err, ErrKeychainTimeout) &&
				!errors.Is(err, ErrKeychainDisconnected) {
				err = fmt.Errorf("%w (accounts enrolled: %d): %w", ErrKeychainHoldsSecrets, enrolled, err)
			}
			return nil, BackendKeychain, err
		}
		kr = os
	}
	s, err := Open(dir, kr)
	if err != nil {
		return nil, backend, err
	}
	// Best effort: a failure here shows again on the first change.
	s.Recover()
	return s, backend, nil
}
