package imports

import "errors"

// Errors of the importers. Check them with errors.Is; the user interface
// turns each kind into a sentence that says what to do. No message that
// wraps them carries a secret, a password or a value copied from the file:
// only numbers (a line, an entry, an offset) and our own words.
var (
	// ErrUnknownFormat: the file is none of the formats this package reads.
	ErrUnknownFormat = errors.New("the file is not an export this app can read")
	// ErrTooLarge: the file is larger than MaxSize and was not parsed.
	ErrTooLarge = errors.New("the file is too large to be an authenticator export")
	// ErrNeedPassword: the file is encrypted and no password was supplied.
	ErrNeedPassword = errors.New("the file is encrypted and needs its password")
	// ErrWrongPassword: the password does not open the file.
	ErrWrongPassword = errors.New("the password does not open this file")
	// ErrDamaged: the file is cut short, altered or malformed. With the
	// right password, an altered byte in the encrypted accounts is this
	// error, not ErrWrongPassword. An altered password check cannot be told
	// from a wrong password: an Aegis key slot, a 2FAS "reference", or the
	// encrypted 2FAS services of a file that has no reference.
	ErrDamaged = errors.New("the file is damaged or incomplete")
	// ErrUnsupported: the file, or one entry of it, uses something this
	// app does not support (a newer format version, a Steam token, a vault
	// that only a phone's fingerprint can open).
	ErrUnsupported = errors.New("not supported")
	// ErrDuplicate: an entry repeats the secret and issuer of an earlier
	// one in the same file; only the first is imported.
	ErrDuplicate = errors.New("the same secret and issuer appear earlier in the file")
)
