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

// OpenDefault opens the store in dir with its secrets where the user keeps
// them: in the vault file if dir holds one (its passphrase from pass),
// otherwise in the OS keychain, which must answer. When neither is there,
// the error matches ErrKeychain (and its kind) and the caller offers to
// create a vault. Interrupted changes are cleaned up (Recover).
func OpenDefault(dir string, pass PassphraseFunc) (*Store, Backend, error) {
	vaultPath := filepath.Join(dir, VaultFile)
	var kr Keyring
	backend := BackendKeychain
	if VaultExists(vaultPath) {
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
		kr, backend = v, BackendVault
	} else {
		os := OSKeyring{}
		if err := Probe(os); err != nil {
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

// CreateVaultIn creates the vault in dir and moves into it the secrets of
// the accounts already enrolled, read from keychain (nil if none answers).
// Each secret is written to the vault before it is deleted from the
// keychain, so a crash leaves it in one place or both, never in neither.
// It returns the number of secrets moved and the labels of those that
// could not be read.
func CreateVaultIn(dir string, pass []byte, keychain Keyring) (moved int, missing []string, err error) {
	s, err := Open(dir, nil)
	if err != nil {
		return 0, nil, err
	}
	accs, err := s.List()
	if err != nil {
		return 0, nil, err
	}
	v, err := CreateVault(filepath.Join(dir, VaultFile), pass, DefaultKDF)
	if err != nil {
		return 0, nil, err
	}
	defer v.Close()
	var copied []string
	for _, a := range accs {
		if keychain == nil {
			missing = append(missing, a.Label())
			continue
		}
		sec, err := keychain.Get(Service, a.ID)
		if err != nil {
			missing = append(missing, a.Label())
			continue
		}
		if err := v.Set(Service, a.ID, sec); err != nil {
			return moved, missing, err
		}
		copied = append(copied, a.ID)
		moved++
	}
	for _, id := range copied {
		keychain.Delete(Service, id) // a copy left behind is harmless
	}
	return moved, missing, nil
}
