package imports

import (
	"bytes"
	"encoding/json"
)

// Files of a known kind that this package cannot read. Each error names
// what the file is and what to export instead; the user interface says it
// in the person's language. Every one of them matches ErrUnknownFormat
// too (errors.Is), since the file is no export this package reads.
var (
	// ErrImage: a picture (PNG, JPEG, GIF, BMP, WebP), such as a
	// screenshot of Google Authenticator's transfer QR code. Open it as an
	// image to scan its QR codes instead.
	ErrImage error = known("the file is a picture, not an export; open it as an image to read its QR codes")
	// ErrKeePass: a KeePass database (.kdbx), as KeePassXC writes it.
	ErrKeePass error = known("the file is a KeePass database (.kdbx); export each entry's TOTP as a QR code or otpauth link instead")
	// ErrPhoneDatabase: an SQLite database, such as the internal
	// database of Google or Microsoft Authenticator copied off a phone.
	ErrPhoneDatabase error = known("the file is a database (SQLite), such as a phone app's own; use the app's export or transfer QR code instead")
	// ErrArchive: a ZIP archive (Raivo OTP, Authenticator Plus, Proton
	// Pass and others export one, Raivo's with a password).
	ErrArchive error = known("the file is a ZIP archive; unpack it and import the export inside, or export as otpauth links instead")
	// ErrRaivo: Raivo OTP's export, a ZIP archive protected by a password.
	ErrRaivo error = known("the file is a Raivo OTP export (a password-protected ZIP archive), which cannot be read here; move each account by its QR code instead")
	// ErrPGP: an OpenPGP-encrypted file, such as andOTP's OpenPGP backup.
	ErrPGP error = known("the file is encrypted with OpenPGP; export andOTP's password-protected or plain backup instead")
	// ErrAuthenticatorPro: an encrypted backup of Stratum (formerly
	// Authenticator Pro).
	ErrAuthenticatorPro error = known("the file is an encrypted Stratum (Authenticator Pro) backup; export it as a URI list (otpauth links) instead")
	// ErrBitwarden: a Bitwarden export (JSON), which holds passwords.
	ErrBitwarden error = known("the file is a Bitwarden export; copy each item's TOTP (otpauth link) instead")
	// ErrEnte: an encrypted Ente Auth export.
	ErrEnte error = known("the file is an encrypted Ente Auth export; export as plain text (otpauth links) instead")
	// ErrFreeOTP: a FreeOTP backup or FreeOTP+'s JSON backup.
	ErrFreeOTP error = known("the file is a FreeOTP backup; export as a URI list (FreeOTP+: Export → otpauth links) or scan the QR codes instead")
	// ErrAuthy: Authy's internal data (Authy has no export).
	ErrAuthy error = known("the file is Authy's internal data, which cannot be imported; enroll each account again with a new QR code")
	// ErrStratum: a plain Stratum (Authenticator Pro) backup.
	ErrStratum error = known("the file is a Stratum (Authenticator Pro) backup; export it as a URI list (otpauth links) instead")
)

// knownError is a file of a known kind this package cannot read.
type knownError struct{ msg string }

func known(msg string) *knownError { return &knownError{msg} }

func (e *knownError) Error() string        { return e.msg }
func (e *knownError) Is(target error) bool { return target == ErrUnknownFormat }

// magic are the first bytes of binary files that people may take for an
// authenticator export.
var magic = []struct {
	prefix string
	err    error
}{
	{"\x89PNG\r\n\x1a\n", ErrImage},
	{"\xff\xd8\xff", ErrImage},
	{"GIF87a", ErrImage},
	{"GIF89a", ErrImage},
	{"BM", ErrImage}, // checked with its size below
	{"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5", ErrKeePass},
	{"\x03\xd9\xa2\x9a\x65\xfb\x4b\xb5", ErrKeePass}, // KeePass 1 (.kdb)
	{"SQLite format 3\x00", ErrPhoneDatabase},
	{"PK\x03\x04", ErrArchive},
	{"AUTHENTICATORPRO", ErrAuthenticatorPro},
	{"\xac\xed\x00\x05", ErrFreeOTP}, // Java serialisation: FreeOTP's backup
	{"-----BEGIN PGP MESSAGE-----", ErrPGP},
}

// knownBinary names the kind of a file that is no export of ours by its
// first bytes, or returns nil.
func knownBinary(data []byte) error {
	if len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP" {
		return ErrImage
	}
	for _, m := range magic {
		if !bytes.HasPrefix(data, []byte(m.prefix)) {
			continue
		}
		switch {
		case m.prefix == "BM":
			// A BMP header gives the file's size; "BM" alone may start text.
			if len(data) < 14 || int(data[2])|int(data[3])<<8|int(data[4])<<16|int(data[5])<<24 != len(data) {
				continue
			}
		case m.err == ErrArchive && len(data) >= 30:
			// The first entry's name follows the 30-byte local header.
			n := int(data[26]) | int(data[27])<<8
			if 30+n <= len(data) && bytes.Contains(bytes.ToLower(data[30:30+n]), []byte("raivo")) {
				return ErrRaivo
			}
		}
		return m.err
	}
	return nil
}

// knownText names the kind of a text file that is no export we read (XML
// of an Android app's preferences), or returns nil.
func knownText(data []byte) error {
	head := data[:min(len(data), 4096)]
	switch {
	case bytes.Contains(head, []byte("-----BEGIN PGP MESSAGE-----")):
		return ErrPGP
	case !bytes.Contains(head, []byte("<map")):
		return nil
	case bytes.Contains(data, []byte("com.authy")):
		return ErrAuthy
	case bytes.Contains(data, []byte("masterKey")) || bytes.Contains(data, []byte("tokenOrder")):
		return ErrFreeOTP
	}
	return nil
}

// knownJSON names the kind of a JSON export by its top-level keys, or
// returns nil.
func knownJSON(top map[string]json.RawMessage) error {
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := top[k]; !ok {
				return false
			}
		}
		return true
	}
	switch {
	case has("items", "encrypted") || has("encKeyValidation_DO_NOT_EDIT") || has("passwordProtected", "data"):
		return ErrBitwarden
	case has("kdfParams", "encryptedData"):
		return ErrEnte
	case has("tokens", "tokenOrder"):
		return ErrFreeOTP
	case has("Authenticators"):
		return ErrStratum
	}
	return nil
}
