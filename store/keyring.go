package store

import (
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// Service is the name under which every secret is filed in the OS keychain;
// the item's user is the account id.
const Service = "softtoken"

// Keyring is where secrets live: one item per account. OSKeyring is the real
// one; tests of logic that cannot reach a real keychain use another.
type Keyring interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// OSKeyring is the operating system's keychain through go-keyring: Windows
// Credential Manager, the macOS Keychain, or the Secret Service on Linux.
type OSKeyring struct{}

// Set stores secret under service and user.
func (OSKeyring) Set(service, user, secret string) error {
	return keyringError(keyring.Set(service, user, secret))
}

// Get reads the secret of service and user.
func (OSKeyring) Get(service, user string) (string, error) {
	s, err := keyring.Get(service, user)
	return s, keyringError(err)
}

// Delete removes the item of service and user.
func (OSKeyring) Delete(service, user string) error {
	return keyringError(keyring.Delete(service, user))
}

// keyringError maps go-keyring's errors to ours. Its messages carry no
// secret, only D-Bus or system error texts, which are kept for the log.
func keyringError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrSecretMissing
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("%w: the keychain refused an item this large", ErrKeychain)
	}
	return fmt.Errorf("%w: %v", ErrKeychain, err)
}
