package token

import (
	"errors"
	"fmt"
)

// Errors the parsers and Validate wrap. Check them with errors.Is; what a
// person reads is translated from them by the user interface. None of them,
// nor any message that wraps them, carries a secret.
var (
	ErrNotOTPAuth  = errors.New("not an otpauth:// or otpauth-migration:// link")
	ErrNoSecret    = errors.New("the link has no secret")
	ErrBadSecret   = errors.New("the secret is not valid base32")
	ErrShortSecret = errors.New("the secret is shorter than 80 bits")
	// ErrSecretLength: a secret of base32 letters only, of a length no
	// secret can have (a letter missing or too many). It is an
	// ErrBadSecret too.
	ErrSecretLength = fmt.Errorf("%w: its length is wrong", ErrBadSecret)
	ErrDigits       = errors.New("the number of digits must be 6 to 10")
	ErrPeriod       = errors.New("the period must be 1 to 3600 seconds")
	ErrType         = errors.New("unknown token type")
	ErrAlgorithm    = errors.New("unknown algorithm")
	ErrNoCounter    = errors.New("an hotp link needs a counter")
	ErrCounter      = errors.New("the counter is not a whole number")
	// ErrCounterEnd: an HOTP counter at 2^64-1 has no next value to save,
	// so its code is never shown (it would repeat once the counter wrapped).
	ErrCounterEnd  = errors.New("the hotp counter is at its end")
	ErrMigration   = errors.New("the migration data is damaged")
	ErrBeforeEpoch = errors.New("the time is before 1970")
	ErrLongSecret  = errors.New("the secret is longer than 1024 bytes")
	ErrLongText    = errors.New("the issuer or name is longer than 512 bytes")
	ErrText        = errors.New("the issuer or name holds control or text-direction characters")
	ErrLongLink    = errors.New("the link is longer than 64 KiB")
)
