package token

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

const goodKey = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// secretOf returns base32 for a secret of n bytes.
func secretOf(n int) string { return EncodeBase32(make(Secret, n)) }

// migrationLink builds an otpauth-migration:// link of one TOTP account.
func migrationLink(secret []byte, issuer, name string) string {
	var p []byte
	p = protowire.AppendTag(p, fieldSecret, protowire.BytesType)
	p = protowire.AppendBytes(p, secret)
	p = protowire.AppendTag(p, fieldName, protowire.BytesType)
	p = protowire.AppendString(p, name)
	p = protowire.AppendTag(p, fieldIssuer, protowire.BytesType)
	p = protowire.AppendString(p, issuer)
	var b []byte
	b = protowire.AppendTag(b, fieldOTPParameters, protowire.BytesType)
	b = protowire.AppendBytes(b, p)
	return "otpauth-migration://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(b))
}

// TestBounds: what comes from outside is refused past its bound, with the
// bound's own error, and accepted up to it.
func TestBounds(t *testing.T) {
	long := strings.Repeat("a", MaxTextBytes+1)
	for _, tt := range []struct {
		name, link string
		want       error
	}{
		{"secret of 1024 bytes", "otpauth://totp/x?secret=" + secretOf(MaxSecretBytes), nil},
		{"secret of 1025 bytes", "otpauth://totp/x?secret=" + secretOf(MaxSecretBytes+1), ErrLongSecret},
		{"secret of 9 MiB", "otpauth://totp/x?secret=" + secretOf(9<<20), ErrLongLink},
		{"secret text of 60 KiB of spaces", "otpauth://totp/x?secret=" + goodKey + strings.Repeat("%20", 20<<10), ErrLongSecret},
		{"name of 512 bytes", "otpauth://totp/" + long[1:] + "?secret=" + goodKey, nil},
		{"name of 513 bytes", "otpauth://totp/" + long + "?secret=" + goodKey, ErrLongText},
		{"issuer of 513 bytes", "otpauth://totp/" + long + ":x?secret=" + goodKey, ErrLongText},
		{"issuer parameter of 513 bytes", "otpauth://totp/I:x?issuer=" + long + "&secret=" + goodKey, ErrLongText},
		{"link of 64 KiB + 1", "otpauth://totp/x?secret=" + goodKey + "&pad=" + strings.Repeat("p", MaxLinkBytes), ErrLongLink},
		{"migration, secret of 1025 bytes", migrationLink(make([]byte, MaxSecretBytes+1), "I", "n"), ErrLongSecret},
		{"migration, name of 513 bytes", migrationLink(make([]byte, 20), "I", long), ErrLongText},
		{"migration of 64 KiB + 1", migrationLink(make([]byte, MaxLinkBytes), "I", "n"), ErrLongLink},
	} {
		_, err := Parse(tt.link)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := DecodeBase32(strings.Repeat("A", 10<<20)); !errors.Is(err, ErrLongSecret) {
		t.Errorf("DecodeBase32 of 10 MiB: %v", err)
	}
	a := Account{Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30, Name: "n", Secret: make(Secret, MaxSecretBytes+1)}
	if err := a.Validate(); !errors.Is(err, ErrLongSecret) {
		t.Errorf("Validate of a 1025-byte secret: %v", err)
	}
}

// hostile are names that would act on a terminal or a reader's eye.
var hostile = []struct{ name, raw, clean string }{
	{"OSC 52 (writes the clipboard)", "x\x1b]52;c;aGk=\x07evil", "x ]52;c;aGk= evil"},
	{"CSI 2J (clears the screen)", "a\x1b[2Jb", "a [2Jb"},
	{"newline (fakes a row)", "alice\nbob   TOTP  6  0000", "alice bob   TOTP  6  0000"},
	{"NUL", "al\x00ice", "al ice"},
	{"DEL and C1 CSI", "a\x7fb\u009bc", "a b c"},
	{"RTL override", "\u202egnp.exe", "gnp.exe"},
	{"isolates and marks", "a\u2066b\u2069c\u200ed\u200fe\u061c", "abcde"},
	{"line separator", "a\u2028b", "a b"},
	{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
}

// TestHostileNames: such characters are neutralised in links (otpauth and
// migration), refused in what a person typed, and escaped on output.
func TestHostileNames(t *testing.T) {
	for _, h := range hostile {
		link := "otpauth://totp/" + url.PathEscape("Issuer"+h.raw) + ":" + url.PathEscape(h.raw) +
			"?issuer=" + url.QueryEscape("Issuer"+h.raw) + "&secret=" + goodKey
		a, err := ParseURI(link)
		if err != nil {
			t.Errorf("%s: %v", h.name, err)
			continue
		}
		if a.Name != h.clean || a.Issuer != "Issuer"+h.clean || a.IssuerParam != "" {
			t.Errorf("%s: issuer %q, name %q, issuer parameter %q; want name %q", h.name, a.Issuer, a.Name, a.IssuerParam, h.clean)
		}
		m, err := ParseMigrationURI(migrationLink(make([]byte, 20), "Issuer"+h.raw, h.raw))
		if err != nil || m.Accounts[0].Name != h.clean || m.Accounts[0].Issuer != "Issuer"+h.clean {
			t.Errorf("%s: migration %v, %v", h.name, m.Accounts, err)
		}
		typed := Account{Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30, Secret: make(Secret, 20), Issuer: "I", Name: h.raw}
		if err := typed.Validate(); !errors.Is(err, ErrText) {
			t.Errorf("%s: Validate of the raw name: %v", h.name, err)
		}
		if err := ValidateText(h.raw, "x"); !errors.Is(err, ErrText) {
			t.Errorf("%s: ValidateText: %v", h.name, err)
		}
		p := Printable(h.raw)
		if ValidateText(p, "") != nil {
			t.Errorf("%s: Printable left %q", h.name, p)
		}
	}
	if got := Printable("a\x1b[2J\u202eb\xff"); got != `a\x1b[2J\u202eb\xff` {
		t.Errorf("Printable = %q", got)
	}
	if got := Printable("Stadtverwaltung: m.müller@stadt.example — ١٢٣ עברית"); got != "Stadtverwaltung: m.müller@stadt.example — ١٢٣ עברית" {
		t.Errorf("Printable changed a plain name: %q", got)
	}
}
