package token

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on what comes from outside. A link, an import or a typed key
// beyond them is refused, so that nothing stored can grow past what the
// readers of the index, the vault and backups accept (docs/vault-format.md).
const (
	// MaxSecretBytes is the longest secret, decoded: 1 KiB. HMAC hashes a
	// key longer than its block (64 bytes for SHA-1 and SHA-256, 128 for
	// SHA-512) down to the hash, so a longer key adds nothing; enrollment
	// servers write 10 to 64 bytes (RFC 4226 recommends 20). 1 KiB is eight
	// times the longest useful key, and at that length a vault still holds
	// about 9,000 accounts within its 16 MiB.
	MaxSecretBytes = 1024
	// MaxTextBytes is the longest issuer and the longest name, in UTF-8
	// bytes: an e-mail address has at most 254 characters, and 512 bytes
	// leave room for names in scripts of two or three bytes a character.
	MaxTextBytes = 512
	// MaxLinkBytes is the longest enrollment link read: 64 KiB. A QR code
	// holds at most 2,953 bytes; an otpauth-migration:// link typed or
	// pasted by hand stays far below this too.
	MaxLinkBytes = 64 << 10
)

// maxSecretText is the longest base32 text DecodeBase32 looks at: the
// encoding of MaxSecretBytes, with room for a separator after each
// character.
const maxSecretText = 2 * (MaxSecretBytes*8 + 4) / 5

// isHiddenControl reports whether r is a character that changes how a
// terminal or a text renderer shows what follows, without showing itself:
// the bidirectional embeddings, overrides, isolates and marks (U+202A–202E,
// U+2066–2069, U+200E, U+200F, U+061C). Such characters in a name can make
// it read as another ("Trojan Source", CVE-2021-42574).
func isHiddenControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// isControl reports whether r is a C0 or C1 control character, DEL, or a
// line or paragraph separator: characters that a terminal acts on (ESC
// starts the sequences that clear the screen or write the clipboard) or
// that break a name over lines.
func isControl(r rune) bool {
	return unicode.IsControl(r) || r == 0x2028 || r == 0x2029
}

// CleanText neutralises an issuer or a name that came from a link, a QR
// code or another app's export: invalid UTF-8 becomes U+FFFD, control
// characters (C0 including NUL, ESC, tab and newline, DEL, C1, U+2028/9)
// become spaces, the bidirectional controls are dropped, and the result is
// trimmed. What a person typed is refused instead (Validate), so that they
// see why.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case isHiddenControl(r):
			return -1
		case isControl(r):
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// checkText is Validate's check of an issuer or a name.
func checkText(what, s string) error {
	if len(s) > MaxTextBytes {
		return fmt.Errorf("%w (the %s has %d bytes)", ErrLongText, what, len(s))
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w (the %s is not valid UTF-8)", ErrText, what)
	}
	for i, r := range s {
		if isControl(r) || isHiddenControl(r) {
			return fmt.Errorf("%w (the %s has U+%04X at byte %d)", ErrText, what, r, i+1)
		}
	}
	return nil
}

// Printable escapes what checkText refuses, for output to a terminal of a
// name that may predate the check: control and bidirectional characters
// as \x1b or \u202e, invalid UTF-8 bytes as \xff. Anything else is kept.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || isControl(r) || isHiddenControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && (isControl(r)):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r) || isHiddenControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// ValidateText checks an issuer and a name as Validate does, for a rename.
func ValidateText(issuer, name string) error {
	if err := checkText("issuer", issuer); err != nil {
		return err
	}
	return checkText("name", name)
}
