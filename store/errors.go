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
	// ErrSecretsMoved: since this store was opened, the secrets were moved
	// between the keychain and the vault file; nothing was changed. Open
	// the store again (OpenDefault) and repeat.
	ErrSecretsMoved = errors.New("the secrets were moved between the keychain and the vault file meanwhile")
	// ErrMoveNeedsKeychain: a move between the keychain and the vault file
	// needs the keychain to answer while accounts are enrolled (their
	// secrets would be left behind in it). It wraps the keychain's error.
	ErrMoveNeedsKeychain = errors.New("the keychain must answer to move the secrets of the enrolled accounts")
	// ErrMoveUnfinished: a move of the secrets was cut off; finish or undo
	// it (MoveToVault, MoveToKeychain).
	ErrMoveUnfinished = errors.New("the move of the secrets between the keychain and the vault file is not finished")
	// ErrNoMove: the secrets are where the move would take them already.
	ErrNoMove = errors.New("the secrets are there already")
	// ErrKeychainHoldsSecrets: the keychain does not answer, and the
	// enrolled accounts' secrets are in it: start it again (moving to a
	// vault file would leave them behind). It wraps the keychain's error.
	ErrKeychainHoldsSecrets = errors.New("the secrets of the enrolled accounts are in the keychain")
)
