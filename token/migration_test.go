package token

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// migrationFixture is a MigrationPayload assembled by hand, byte by byte,
// from the message definition, so that the parser is checked against the
// wire format rather than against our own encoder.
func migrationFixture(alg2 byte) []byte {
	acc1 := "\x0a\x14" + "12345678901234567890" + // secret
		"\x12\x0d" + "Example:alice" + // name
		"\x1a\x07" + "Example" + // issuer
		"\x20\x01" + "\x28\x01" + "\x30\x02" // SHA1, six digits, TOTP
	acc2 := "\x0a\x0a" + "Hello!\xde\xad\xbe\xef" +
		"\x12\x03" + "bob" +
		"\x20" + string(alg2) + "\x28\x02" + "\x30\x01" + "\x38\x05" + // eight digits, HOTP, counter 5
		"\x78\x01" // field 15: unknown, skipped
	return []byte("\x0a\x34" + acc1 + "\x0a\x1b" + acc2 +
		"\x10\x01" + "\x18\x02" + "\x20\x01" + "\x28\xe7\x07") // version 1, batch 2 of 2, id 999
}

func TestParseMigration(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString(migrationFixture(2))
	for _, uri := range []string{
		"otpauth-migration://offline?data=" + url.QueryEscape(b64),
		"otpauth-migration://offline?data=" + b64, // "+" left raw becomes a space
		"otpauth-migration://offline?data=" + strings.TrimRight(base64.URLEncoding.EncodeToString(migrationFixture(2)), "="),
	} {
		m, err := ParseMigrationURI(uri)
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		if m.Version != 1 || m.BatchSize != 2 || m.BatchIndex != 1 || m.BatchID != 999 || len(m.Accounts) != 2 {
			t.Fatalf("batch fields or count wrong: %+v", m)
		}
		a, h := m.Accounts[0], m.Accounts[1]
		if a.Issuer != "Example" || a.Name != "alice" || a.Type != TOTP || a.Algorithm != SHA1 || a.Digits != 6 || a.Period != 30 {
			t.Errorf("first account: %v", a)
		}
		if code, _ := Code(a, time.Unix(59, 0)); code != "287082" {
			t.Errorf("first account's code at 59 = %q, want 287082 (RFC 6238)", code)
		}
		if h.Issuer != "" || h.Name != "bob" || h.Type != HOTP || h.Algorithm != SHA256 || h.Digits != 8 || h.Counter != 5 ||
			string(h.Secret) != "Hello!\xde\xad\xbe\xef" {
			t.Errorf("second account: %v", h)
		}
	}
}

func TestParseMigrationRefusals(t *testing.T) {
	md5 := base64.StdEncoding.EncodeToString(migrationFixture(4))
	_, err := ParseMigrationURI("otpauth-migration://offline?data=" + url.QueryEscape(md5))
	if !errors.Is(err, ErrAlgorithm) || !strings.Contains(err.Error(), "account 2 (bob)") {
		t.Errorf("MD5 entry: %v", err)
	}
	whole := migrationFixture(2)
	for name, uri := range map[string]string{
		"no data":   "otpauth-migration://offline",
		"not b64":   "otpauth-migration://offline?data=%%%%",
		"truncated": "otpauth-migration://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(whole[:30])),
		"empty":     "otpauth-migration://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte("\x10\x01"))),
	} {
		if _, err := ParseMigrationURI(uri); !errors.Is(err, ErrMigration) {
			t.Errorf("%s: got %v, want ErrMigration", name, err)
		}
	}
	if _, err := ParseMigrationURI("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP"); !errors.Is(err, ErrNotOTPAuth) {
		t.Errorf("otpauth link as migration: %v", err)
	}
}

func TestFormatMigrationRoundTrip(t *testing.T) {
	m, err := ParseMigration(migrationFixture(2))
	if err != nil {
		t.Fatal(err)
	}
	uri, err := FormatMigrationURI(m.Accounts)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(uri)
	if err != nil || len(back) != 2 {
		t.Fatalf("Parse(FormatMigrationURI) = %v, %v", back, err)
	}
	for i := range back {
		if !equal(back[i], m.Accounts[i]) {
			t.Errorf("account %d: %#v, want %#v", i, back[i], m.Accounts[i])
		}
	}
	odd := m.Accounts[0]
	odd.Period = 60
	if _, err := FormatMigration([]Account{odd}); err == nil {
		t.Error("FormatMigration accepted a 60 s period the format cannot hold")
	}
}
