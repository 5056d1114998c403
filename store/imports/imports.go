// Package imports reads the exports of other authenticator apps into
// accounts, so that a person moving to softtoken keeps every token.
//
// It reads four formats, told apart by their content, not their file name:
//
//   - a text file of links, one a line: otpauth:// and
//     otpauth-migration:// (blank lines and lines starting with # are
//     ignored);
//   - an Aegis vault export, plain or encrypted with a password (scrypt and
//     AES-256-GCM key slots);
//   - a 2FAS backup (.2fas), plain or encrypted with a password (PBKDF2 and
//     AES-256-GCM);
//   - an andOTP backup, plain (JSON) or encrypted with a password (PBKDF2
//     and AES-256-GCM, and the older SHA-256 and AES-256-GCM).
//
// Files of other kinds that people take for an export (a picture, a
// KeePass database, a Bitwarden or Ente export, a phone app's database…)
// are recognised by their first bytes or keys and refused with an error
// that names them and what to export instead (ErrImage, ErrKeePass, …).
//
// Our own encrypted backup is not read here; see package store.
//
// Guarantees:
//   - Every returned account passes token.Account.Validate. It has no ID yet:
//     the store assigns one when it adds the account.
//   - An entry that cannot be used is not dropped silently: it is listed in
//     Result.Skipped with its position and the reason, and the others are
//     still returned. So is an entry that repeats the secret and issuer of
//     an earlier one.
//   - No error, reason or label this package writes contains a secret or a
//     password. Messages name a line or an entry by its number and quote no
//     value copied from the file; a Skipped entry's Label is the only text
//     taken from the file, and it is the entry's own issuer and name.
//   - The password is asked for only when the file turns out to be
//     encrypted and its structure is intact, at most once per Read, and is
//     not kept. Keys derived from it are overwritten after use.
//   - A file over MaxSize is refused before it is parsed, and the key
//     derivation cost a file asks for is bounded (see MaxScryptMemory), so
//     a hostile file cannot exhaust memory or time.
//
// Deriving the key of an encrypted file is deliberately slow (about 0.15 s
// for Aegis's defaults, more on older PCs): call Read away from
// the user interface's goroutine.
package imports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/cityadmin/softtoken/token"
)

// MaxSize is the largest file Read accepts: 16 MiB, far more than the
// largest real export (Aegis icons included), far less than would strain
// the memory of a PC.
const MaxSize = 16 << 20

// Format names a kind of export.
type Format string

// The formats Read recognises.
const (
	FormatURIList Format = "otpauth" // text file of otpauth:// and otpauth-migration:// links
	FormatAegis   Format = "aegis"   // Aegis vault export (JSON)
	FormatTwoFAS  Format = "2fas"    // 2FAS backup (JSON, .2fas)
	FormatAndOTP  Format = "andotp"  // andOTP backup (JSON, or encrypted .json.aes)
)

// Result is what Read found in a file.
type Result struct {
	Format    Format
	Encrypted bool            // the file was encrypted with a password
	Accounts  []token.Account // in the file's order, without ID
	Skipped   []Skipped       // entries not imported, in the file's order
}

// Skipped is an entry of the file that Read did not return.
type Skipped struct {
	// Index is the entry's position, from 1: its line number in a list of
	// links, else its position among the file's entries.
	Index int
	// Label is the entry's issuer and name as the file writes them, if
	// they could be read; empty otherwise.
	Label string
	// Reason says why, naming the line or entry by its number. It wraps
	// ErrDuplicate, ErrUnsupported, ErrDamaged or one of package token's
	// errors (token.ErrBadSecret, token.ErrDigits, …).
	Reason error
}

// PasswordFunc supplies the password of an encrypted file. Read calls it at
// most once, and only for an encrypted file; an error it returns (such as
// the person cancelling) is returned by Read, wrapped. The slice is not
// kept or changed.
type PasswordFunc func() ([]byte, error)

// ReadFile reads the export in the named file; see Read. A file larger than
// MaxSize is refused with ErrTooLarge before it is read whole.
func ReadFile(name string, password PasswordFunc) (Result, error) {
	f, err := os.Open(name)
	if err != nil {
		return Result{}, fmt.Errorf("open the export: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxSize {
		return Result{}, ErrTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return Result{}, fmt.Errorf("read the export: %w", err)
	}
	return ReadNamed(name, data, password)
}

// Read recognises the format of data, decrypts it if it is encrypted
// (asking password for the password; nil means none is available) and
// returns the accounts it holds.
//
// It fails as a whole, with an error wrapping one of this package's
// sentinel errors, when the file is larger than MaxSize (ErrTooLarge), of
// no known format (ErrUnknownFormat), encrypted without a password to try
// (ErrNeedPassword), not opened by the password (ErrWrongPassword),
// damaged (ErrDamaged) or of an unsupported version (ErrUnsupported). The
// Result's Format and Encrypted are set as far as they are known, even then.
// Otherwise entries that cannot be used are in Result.Skipped, and an
// export with no usable entry is not an error: Accounts is empty.
func Read(data []byte, password PasswordFunc) (Result, error) {
	return ReadNamed("", data, password)
}

// ReadNamed is Read of a file whose name is known: the name is a hint
// where the content alone cannot tell (andOTP's encrypted backups of
// before 2019 have no header; their name ends in .aes). ReadFile calls
// it.
func ReadNamed(name string, data []byte, password PasswordFunc) (Result, error) {
	if len(data) > MaxSize {
		return Result{}, ErrTooLarge
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM, as Windows editors write
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return readJSON(data, password)
	}
	if err := knownBinary(data); err != nil {
		return Result{}, err
	}
	if utf8.Valid(data) {
		if hasLink(data) {
			return readURIList(data), nil
		}
		if err := knownText(data); err != nil {
			return Result{}, err
		}
	}
	// Binary and of no kind named above: an andOTP encrypted backup, if
	// its header or its name says so.
	_, header := andOTPIterations(data)
	byName := looksAndOTPName(name) && !utf8.Valid(data)
	if header || byName {
		return readAndOTPEncrypted(data, header, password)
	}
	return Result{}, ErrUnknownFormat
}

// readJSON tells the JSON formats apart by their top-level keys.
func readJSON(data []byte, password PasswordFunc) (Result, error) {
	if !json.Valid(data) {
		// Most likely an export cut short: say which, if its keys show it.
		f := guessJSON(data)
		if f == "" {
			return Result{}, ErrUnknownFormat
		}
		return Result{Format: f}, fmt.Errorf("%w: the file is not complete JSON", ErrDamaged)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var list []map[string]json.RawMessage
		if err := json.Unmarshal(data, &list); err != nil || len(list) == 0 {
			return Result{}, ErrUnknownFormat
		}
		if _, ok := list[0]["secret"]; !ok {
			return Result{}, ErrUnknownFormat
		}
		return readAndOTP(data)
	}
	_, header := top["header"]
	_, db := top["db"]
	if header && db {
		return readAegis(data, password)
	}
	_, services := top["services"]
	_, encrypted := top["servicesEncrypted"]
	_, schema := top["schemaVersion"]
	if (services || encrypted) && schema {
		return readTwoFAS(data, password)
	}
	if err := knownJSON(top); err != nil {
		return Result{}, err
	}
	return Result{}, ErrUnknownFormat
}

// guessJSON names the format whose keys appear in a file that is not valid
// JSON, or returns "".
func guessJSON(data []byte) Format {
	has := func(key string) bool { return bytes.Contains(data, []byte(`"`+key+`"`)) }
	switch {
	case has("servicesEncrypted") || has("schemaVersion") || has("services") && has("tokenType"):
		return FormatTwoFAS
	case has("header") && (has("slots") || has("db")):
		return FormatAegis
	case bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("[")) && has("secret"):
		return FormatAndOTP
	}
	return ""
}

// hasLink reports whether some line of data starts with an otpauth scheme.
func hasLink(data []byte) bool {
	for line := range strings.Lines(string(data)) {
		if isLink(strings.TrimSpace(line)) {
			return true
		}
	}
	return false
}

func isLink(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	return ok && (strings.EqualFold(scheme, token.SchemeOTPAuth) || strings.EqualFold(scheme, token.SchemeMigration))
}

// collector gathers the accounts of one file, refusing invalid ones and
// repeats, and naming every refused entry by its position.
type collector struct {
	unit string // "line" or "entry"
	res  Result
	seen map[dupKey]int // → position of the first entry with that key
}

// dupKey is what makes two entries the same token: the secret, and the
// issuer as a person reads it.
type dupKey struct{ issuer, secret string }

func newCollector(f Format, unit string) *collector {
	return &collector{unit: unit, res: Result{Format: f}, seen: map[dupKey]int{}}
}

// add keeps a if it is valid and new; a is an entry at position index.
func (c *collector) add(index int, a token.Account) {
	if err := a.Validate(); err != nil {
		c.skip(index, a.Label(), err)
		return
	}
	k := dupKey{strings.ToLower(strings.TrimSpace(a.Issuer)), string(a.Secret)}
	if first, ok := c.seen[k]; ok {
		c.res.Skipped = append(c.res.Skipped, Skipped{
			Index:  index,
			Label:  a.Label(),
			Reason: fmt.Errorf("%s %d: %w (%s %d)", c.unit, index, ErrDuplicate, c.unit, first),
		})
		return
	}
	c.seen[k] = index
	c.res.Accounts = append(c.res.Accounts, a)
}

// skip records that the entry at index is not imported because of err,
// which must quote nothing from the file.
func (c *collector) skip(index int, label string, err error) {
	c.res.Skipped = append(c.res.Skipped, Skipped{
		Index:  index,
		Label:  label,
		Reason: fmt.Errorf("%s %d: %w", c.unit, index, err),
	})
}

// jsonError describes a JSON decoding error by its kind and offset only:
// encoding/json's own messages may quote a value of the file.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("%w: malformed JSON at byte %d", ErrDamaged, syn.Offset)
	case errors.As(err, &typ):
		return fmt.Errorf("%w: a value of the wrong kind at byte %d", ErrDamaged, typ.Offset)
	}
	return fmt.Errorf("%w: malformed JSON", ErrDamaged)
}

// fields are an entry's settings as a JSON export writes them; empty or
// zero means the format's default.
type fields struct {
	typ       string // "totp", "HOTP", …; empty is TOTP
	issuer    string
	name      string
	secret    string // base32
	algorithm string
	digits    int
	period    int
	counter   uint64
}

// unsupportedTypes are token kinds that other apps support and we do not,
// with the name a message may use for each (never the file's own spelling).
var unsupportedTypes = map[string]string{
	"steam":  "steam",
	"yandex": "yandex",
	"motp":   "motp",
}

// account turns an entry's fields into an account, validated. Its error
// quotes nothing from the file.
func (f fields) account() (token.Account, error) {
	a := token.Account{
		Issuer:    token.CleanText(f.issuer),
		Name:      token.CleanText(f.name),
		Algorithm: token.DefaultAlgorithm,
		Digits:    token.DefaultDigits,
	}
	switch t := strings.ToLower(strings.TrimSpace(f.typ)); t {
	case "", "totp":
		a.Type = token.TOTP
		a.Period = token.DefaultPeriod
		if f.period != 0 {
			a.Period = f.period
		}
	case "hotp":
		a.Type = token.HOTP
		a.Counter = f.counter
	default:
		if name, ok := unsupportedTypes[t]; ok {
			return a, fmt.Errorf("%w: %s tokens use their own code algorithm", ErrUnsupported, name)
		}
		return a, token.ErrType
	}
	if strings.TrimSpace(f.algorithm) != "" {
		alg, err := token.ParseAlgorithm(f.algorithm)
		if err != nil {
			return a, token.ErrAlgorithm // ParseAlgorithm's message quotes the file
		}
		a.Algorithm = alg
	}
	if f.digits != 0 {
		a.Digits = f.digits
	}
	secret, err := token.DecodeBase32(f.secret)
	if err != nil {
		return a, err
	}
	a.Secret = secret
	return a, a.Validate()
}

// label is how a skipped entry is named: "issuer: name", or either.
func (f fields) label() string {
	return token.Account{Issuer: shortText(token.CleanText(f.issuer)), Name: shortText(token.CleanText(f.name))}.Label()
}

// shortText cuts a name for a skip message to token.MaxTextBytes, at a
// character boundary: a skipped entry may be skipped for its length.
func shortText(s string) string {
	if len(s) <= token.MaxTextBytes {
		return s
	}
	cut := token.MaxTextBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// addEntries decodes each raw entry with decode and collects the result.
func (c *collector) addEntries(entries []json.RawMessage, decode func(json.RawMessage) (fields, error)) {
	for i, raw := range entries {
		n := i + 1
		f, err := decode(raw)
		if err != nil {
			c.skip(n, "", jsonError(err))
			continue
		}
		a, err := f.account()
		if err != nil {
			c.skip(n, f.label(), err)
			continue
		}
		c.add(n, a)
	}
}
