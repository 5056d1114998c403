package store

import "errors"

// Errors of the store. Check them with errors.Is; the user interface turns
// each kind into a sentence that says what to do. None carries a secret.
var (
	// ErrKeychain: the OS keychain did not answer or refused.
	ErrKeychain = errors.New("the keychain is unavailable")
	// ErrSecretMissing: the index names an account whose secret is not in
	// the keychain (deleted behind our back, or another keychain).
	ErrSecretMissing = errors.New("the secret of this account is missing from the keychain")
	// ErrNotFound: no account has that id.
	ErrNotFound = errors.New("no such account")
	// ErrDuplicate: an account with the same issuer and name is enrolled.
	ErrDuplicate = errors.New("this account is already enrolled")
	// ErrIndexCorrupt: the index file cannot be read; it is left as it is.
	ErrIndexCorrupt = errors.New("the account list is damaged")
	// ErrIndexVersion: the index was written by a newer softtoken.
	ErrIndexVersion = errors.New("the account list was written by a newer version of softtoken")
	// ErrEmptyName: an account needs an issuer or a name.
	ErrEmptyName = errors.New("an account needs an issuer or a name")
	// ErrBusy: another softtoken process held the lock too long.
	ErrBusy = errors.New("another softtoken is busy with the account list")
)
