package store

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// Service is the name under which every secret is filed in the OS keychain;
// the item's user is the account id.
const Service = "softtoken"

// Keyring is where secrets live: one item per account. OSKeyring is the
// operating system's keychain, Vault an encrypted file.
type Keyring interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// DefaultKeychainTimeout is how long OSKeyring waits for the keychain. It
// is generous because the keychain may be showing its unlock prompt to the
// person.
const DefaultKeychainTimeout = 2 * time.Minute

// OSKeyring is the operating system's keychain through go-keyring: Windows
// Credential Manager, the macOS Keychain, or the Secret Service on Linux.
// Its errors are the store's keychain errors (ErrLocked, ErrNoSecretService,
// …), all of which match ErrKeychain.
type OSKeyring struct {
	// Timeout bounds every call; zero means DefaultKeychainTimeout. A call
	// that times out goes on in the background: an item it stores late is
	// an orphan that Recover removes.
	Timeout time.Duration
}

// Set stores secret under service and user.
func (k OSKeyring) Set(service, user, secret string) error {
	_, err := k.call(func() (string, error) { return "", keyring.Set(service, user, secret) })
	return err
}

// Get reads the secret of service and user.
func (k OSKeyring) Get(service, user string) (string, error) {
	return k.call(func() (string, error) {
		if s, ok, err := quickGet(service, user); ok || err != nil {
			return s, err
		}
		return keyring.Get(service, user)
	})
}

// Delete removes the item of service and user.
func (k OSKeyring) Delete(service, user string) error {
	_, err := k.call(func() (string, error) { return "", keyring.Delete(service, user) })
	return err
}

func (k OSKeyring) call(fn func() (string, error)) (string, error) {
	type result struct {
		s   string
		err error
	}
	d := k.Timeout
	if d <= 0 {
		d = DefaultKeychainTimeout
	}
	ch := make(chan result, 1)
	go func() {
		s, err := fn()
		ch <- result{s, err}
	}()
	select {
	case r := <-ch:
		return r.s, keyringError(r.err)
	case <-time.After(d):
		return "", ErrKeychainTimeout
	}
}

// keychainError is a keychain failure of a known kind; every one matches
// ErrKeychain as well as itself.
type keychainError struct{ msg string }

func (e *keychainError) Error() string        { return e.msg }
func (e *keychainError) Is(target error) bool { return target == ErrKeychain }

// The kinds of keychain failure, each with its own advice in the user
// interface. All match ErrKeychain.
var (
	ErrNoSessionBus         error = &keychainError{"no D-Bus session bus is running"}
	ErrNoSecretService      error = &keychainError{"no Secret Service (keyring) is running"}
	ErrLocked               error = &keychainError{"the keyring is locked and was not unlocked"}
	ErrKeychainDisconnected error = &keychainError{"the connection to the keychain broke off"}
	ErrKeychainTimeout      error = &keychainError{"the keychain did not answer in time"}
)

// keyringError maps go-keyring's and D-Bus's errors to ours. Their messages
// carry no secret, only D-Bus or system error texts, kept for diagnosis.
func keyringError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrSecretMissing
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return fmt.Errorf("%w: the keychain refused an item this large", ErrKeychain)
	}
	var kind error
	var name string
	var de dbus.Error
	var dp *dbus.Error
	switch {
	case errors.As(err, &de):
		name = de.Name
	case errors.As(err, &dp):
		name = dp.Name
	}
	msg := err.Error()
	var ne *net.OpError
	switch {
	case name == "org.freedesktop.DBus.Error.ServiceUnknown", name == "org.freedesktop.DBus.Error.NameHasNoOwner":
		kind = ErrNoSecretService
	case name == "org.freedesktop.DBus.Error.NoReply", name == "org.freedesktop.DBus.Error.Disconnected":
		kind = ErrKeychainDisconnected
	case strings.Contains(msg, "failed to unlock"), name == "org.freedesktop.Secret.Error.IsLocked":
		kind = ErrLocked
	case errors.Is(err, dbus.ErrClosed), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		kind = ErrKeychainDisconnected
	case errors.As(err, &ne), strings.Contains(msg, "session bus"), strings.Contains(msg, "DBUS_SESSION_BUS_ADDRESS"),
		strings.Contains(msg, "dbus-launch"):
		kind = ErrNoSessionBus
	default:
		return fmt.Errorf("%w: %v", ErrKeychain, err)
	}
	return fmt.Errorf("%w (%v)", kind, err)
}

// Probe reports whether kr answers: nil if it does, its error otherwise.
// It reads an item that does not exist, which no keychain prompts for.
func Probe(kr Keyring) error {
	_, err := kr.Get(Service, "probe-softtoken-keychain")
	if errors.Is(err, ErrSecretMissing) {
		return nil
	}
	if err == nil {
		return nil
	}
	return err
}
