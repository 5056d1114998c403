// Package token is softtoken's domain: accounts, otpauth:// and
// otpauth-migration:// links, and the one-time codes they yield.
//
// The package is pure. It performs no I/O, reads no clock and draws no
// randomness of its own: the time of a code and the source of random bytes
// are arguments. It imports nothing of the rest of the project and nothing of
// the GUI toolkit.
//
// A secret never appears in a printed form of an Account, in an error this
// package returns, or in a JSON encoding: Secret prints as "(hidden)" and
// refuses to be marshalled. Only FormatURI and FormatMigrationURI write it
// out, because an enrollment link is what carries it.
package token

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Type is the kind of one-time password an account yields.
type Type string

// The two kinds of one-time password.
const (
	TOTP Type = "totp" // time-based, RFC 6238
	HOTP Type = "hotp" // counter-based, RFC 4226
)

// Algorithm is the HMAC hash function of an account.
type Algorithm string

// The hash functions the Key URI Format allows.
const (
	SHA1   Algorithm = "SHA1"
	SHA256 Algorithm = "SHA256"
	SHA512 Algorithm = "SHA512"
)

// Limits an account must keep. Codes shorter than 6 digits are too easy to
// guess and longer than 10 cannot come out of a 31-bit truncation; secrets
// under 80 bits are below what RFC 4226 requires (it recommends 160).
const (
	MinDigits        = 6
	MaxDigits        = 10
	MinPeriod        = 1
	MaxPeriod        = 3600
	MinSecretBytes   = 10
	DefaultDigits    = 6
	DefaultPeriod    = 30
	DefaultAlgorithm = SHA1
)

// Secret is the shared key of an account. Its printed forms are "(hidden)"
// whatever the verb, and encoding it as JSON or text fails, so that a secret
// cannot slip into a log line, an error message or an index file by accident.
type Secret []byte

const hidden = "(hidden)"

// String returns "(hidden)".
func (Secret) String() string { return hidden }

// GoString returns "(hidden)", for %#v.
func (Secret) GoString() string { return hidden }

// Format writes "(hidden)" for every verb, including %x and %q.
func (Secret) Format(f fmt.State, _ rune) { io.WriteString(f, hidden) }

// ErrSecretMarshal is returned when something tries to encode a Secret.
var ErrSecretMarshal = errors.New("token: a secret is never encoded implicitly")

// MarshalJSON refuses: secrets are written out only on purpose.
func (Secret) MarshalJSON() ([]byte, error) { return nil, ErrSecretMarshal }

// MarshalText refuses: secrets are written out only on purpose.
func (Secret) MarshalText() ([]byte, error) { return nil, ErrSecretMarshal }

// Account is one enrolled token.
//
// Its zero value is not valid; Validate says what is missing. ID is empty
// until a store assigns one with NewID.
type Account struct {
	ID        string
	Issuer    string // who issued the token: the label prefix, else the issuer parameter
	Name      string // the account label, usually a user name or e-mail address
	Type      Type
	Algorithm Algorithm
	Digits    int
	Period    int    // seconds; TOTP only
	Counter   uint64 // the next counter to use; HOTP only
	Secret    Secret

	// IssuerParam is the link's issuer parameter where it differs from the
	// label prefix, which won; empty otherwise. It is kept so that the
	// difference stays visible to the person enrolling.
	IssuerParam string
}

// Label is the account as a person reads it: "Issuer: name", or whichever of
// the two is set.
func (a Account) Label() string {
	switch {
	case a.Issuer == "":
		return a.Name
	case a.Name == "":
		return a.Issuer
	}
	return a.Issuer + ": " + a.Name
}

// String describes the account without its secret.
func (a Account) String() string {
	s := fmt.Sprintf("%s (%s, %s, %d digits", a.Label(), a.Type, a.Algorithm, a.Digits)
	if a.Type == HOTP {
		s += fmt.Sprintf(", counter %d)", a.Counter)
	} else {
		s += fmt.Sprintf(", %ds)", a.Period)
	}
	return s
}

// GoString describes the account without its secret, for %#v.
func (a Account) GoString() string { return "token.Account{" + a.String() + "}" }

// Validate reports the first thing that makes a unusable, as an error that
// wraps one of the package's sentinel errors. It does not look at ID. Beside
// the settings it checks the bounds of what comes from outside: a secret
// of at most MaxSecretBytes, an issuer and a name of at most MaxTextBytes
// without control or text-direction characters (see CleanText).
func (a Account) Validate() error {
	switch a.Type {
	case TOTP:
		if a.Period < MinPeriod || a.Period > MaxPeriod {
			return fmt.Errorf("%w (got %d)", ErrPeriod, a.Period)
		}
	case HOTP:
	default:
		return fmt.Errorf("%w %q", ErrType, a.Type)
	}
	switch a.Algorithm {
	case SHA1, SHA256, SHA512:
	default:
		return fmt.Errorf("%w %q", ErrAlgorithm, a.Algorithm)
	}
	if a.Digits < MinDigits || a.Digits > MaxDigits {
		return fmt.Errorf("%w (got %d)", ErrDigits, a.Digits)
	}
	if len(a.Secret) == 0 {
		return ErrNoSecret
	}
	if len(a.Secret) < MinSecretBytes {
		return fmt.Errorf("%w (it has %d)", ErrShortSecret, len(a.Secret)*8)
	}
	if len(a.Secret) > MaxSecretBytes {
		return fmt.Errorf("%w (it has %d)", ErrLongSecret, len(a.Secret))
	}
	if err := checkText("issuer", a.Issuer); err != nil {
		return err
	}
	if err := checkText("name", a.Name); err != nil {
		return err
	}
	return checkText("issuer parameter", a.IssuerParam)
}

// NewID returns a new random account id of 16 bytes from r, in lower-case
// hex. Pass crypto/rand.Reader outside tests.
func NewID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("new account id: %w", err)
	}
	return fmt.Sprintf("%x", b[:]), nil
}

// ParseAlgorithm reads an algorithm name as enrollment servers write it:
// "SHA1", "sha256", "SHA-512". MD5 and anything else is ErrAlgorithm.
func ParseAlgorithm(s string) (Algorithm, error) {
	switch strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", "")) {
	case "SHA1":
		return SHA1, nil
	case "SHA256":
		return SHA256, nil
	case "SHA512":
		return SHA512, nil
	}
	return "", fmt.Errorf("%w %q", ErrAlgorithm, s)
}

// Match finds the accounts a person means by query, as they type it in a
// search or on the command line. exact holds those whose id, whole name or
// whole label ("Issuer: name" or "Issuer:name") equals the query, ignoring
// case; partial those whose issuer or name contains it otherwise. An exact
// match should win over partial ones.
func Match(accs []Account, query string) (exact, partial []Account) {
	q := strings.ToLower(strings.TrimSpace(query))
	for _, a := range accs {
		name, issuer := strings.ToLower(a.Name), strings.ToLower(a.Issuer)
		switch {
		case a.ID == q, name == q, strings.ToLower(a.Label()) == q, issuer+":"+name == q:
			exact = append(exact, a)
		case strings.Contains(name, q), strings.Contains(issuer, q):
			partial = append(partial, a)
		}
	}
	return exact, partial
}
