package store

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/cityadmin/softtoken/internal/trace"
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
	return openDefault(dir, pass, true)
}

// OpenDefaultUnprobed is OpenDefault for a command that reads one secret
// and ends: the keychain is not asked whether it answers before the first
// secret is needed (a probe is a D-Bus connection and three calls, a
// fifth of `softtoken code`'s time). A keychain that does not answer then
// fails that first call with the errors OpenDefault's probe would have
// returned: the keychain's kind, wrapped in ErrKeychainHoldsSecrets where
// accounts are enrolled.
func OpenDefaultUnprobed(dir string, pass PassphraseFunc) (*Store, Backend, error) {
	return openDefault(dir, pass, false)
}

func openDefault(dir string, pass PassphraseFunc, probe bool) (*Store, Backend, error) {
	vaultPath := filepath.Join(dir, VaultFile)
	backend, enrolled := BackendKeychain, 0
	st, err := Moving(dir)
	trace.Mark("store: index read for where the secrets are")
	if err == nil {
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
		if !probe {
			kr = unprobed{os, enrolled}
		} else {
			err := Probe(os)
			trace.Mark("store: keychain probed (D-Bus connect and a lookup)")
			if err != nil {
				return nil, BackendKeychain, holdsSecrets(err, enrolled)
			}
			kr = os
		}
	}
	s, err := Open(dir, kr)
	if err != nil {
		return nil, backend, err
	}
	// Best effort: a failure here shows again on the first change.
	s.Recover()
	trace.Mark("store: recovered (lock, index read)")
	return s, backend, nil
}

// holdsSecrets wraps a keychain's failure in ErrKeychainHoldsSecrets when
// accounts are enrolled and the keychain is not merely locked, slow or
// cut off: then it must be started, not replaced by a vault.
func holdsSecrets(err error, enrolled int) error {
	if err != nil && enrolled > 0 && errors.Is(err, ErrKeychain) && !errors.Is(err, ErrLocked) &&
		!errors.Is(err, ErrKeychainTimeout) && !errors.Is(err, ErrKeychainDisconnected) {
		return fmt.Errorf("%w (accounts enrolled: %d): %w", ErrKeychainHoldsSecrets, enrolled, err)
	}
	return err
}

// unprobed is the OS keychain of OpenDefaultUnprobed: its failures are
// those OpenDefault's probe reports.
type unprobed struct {
	OSKeyring
	enrolled int
}

func (k unprobed) Get(service, user string) (string, error) {
	s, err := k.OSKeyring.Get(service, user)
	return s, holdsSecrets(err, k.enrolled)
}

func (k unprobed) Set(service, user, secret string) error {
	return holdsSecrets(k.OSKeyring.Set(service, user, secret), k.enrolled)
}

func (k unprobed) Delete(service, user string) error {
	return holdsSecrets(k.OSKeyring.Delete(service, user), k.enrolled)
}
