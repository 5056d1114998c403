package token

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

type rfcVectors struct {
	HOTP []struct {
		SecretASCII string `json:"secret_ascii"`
		Counter     uint64 `json:"counter"`
		Digits      int    `json:"digits"`
		Code        string `json:"code"`
	} `json:"hotp"`
	TOTP []struct {
		Time        int64  `json:"time"`
		Algorithm   string `json:"algorithm"`
		SecretB32   string `json:"secret_base32"`
		SecretASCII string `json:"secret_ascii"`
		Period      int    `json:"period"`
		Digits      int    `json:"digits"`
		Code        string `json:"code"`
	} `json:"totp"`
}

func loadVectors(t *testing.T) rfcVectors {
	t.Helper()
	b, err := os.ReadFile("testdata/rfc-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v rfcVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.HOTP) != 10 || len(v.TOTP) != 18 {
		t.Fatalf("vectors: %d hotp, %d totp; want 10 and 18", len(v.HOTP), len(v.TOTP))
	}
	return v
}

func TestRFC4226(t *testing.T) {
	for _, v := range loadVectors(t).HOTP {
		a := Account{Type: HOTP, Algorithm: SHA1, Digits: v.Digits, Counter: v.Counter, Secret: Secret(v.SecretASCII)}
		got, err := Code(a, time.Time{})
		if err != nil || got != v.Code {
			t.Errorf("counter %d: got %q, %v; want %q", v.Counter, got, err, v.Code)
		}
	}
}

func TestRFC6238(t *testing.T) {
	for _, v := range loadVectors(t).TOTP {
		alg, err := ParseAlgorithm(v.Algorithm)
		if err != nil {
			t.Fatal(err)
		}
		// Through the parser, as a user's link would come.
		uri := fmt.Sprintf("otpauth://totp/RFC:6238?secret=%s&algorithm=%s&digits=%d&period=%d", v.SecretB32, v.Algorithm, v.Digits, v.Period)
		a, err := ParseURI(uri)
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		if string(a.Secret) != v.SecretASCII || a.Algorithm != alg {
			t.Fatalf("%s: parsed secret or algorithm wrong", uri)
		}
		got, err := Code(a, time.Unix(v.Time, 0))
		if err != nil || got != v.Code {
			t.Errorf("%s at %d: got %q, %v; want %q", v.Algorithm, v.Time, got, err, v.Code)
		}
	}
}

func TestSecondsLeftAndNext(t *testing.T) {
	a := Account{Type: TOTP, Algorithm: SHA1, Digits: 8, Period: 30, Secret: Secret("12345678901234567890")}
	for _, c := range []struct{ at, left int64 }{{0, 30}, {1, 29}, {29, 1}, {30, 30}, {59, 1}, {1111111109, 1}} {
		if got := SecondsLeft(a, time.Unix(c.at, 0)); got != int(c.left) {
			t.Errorf("SecondsLeft at %d = %d, want %d", c.at, got, c.left)
		}
	}
	// RFC 6238: 59 → 94287082 (counter 1); the next period's code is the
	// code at 89, counter 2.
	next, err := NextCode(a, time.Unix(59, 0))
	want, _ := Code(a, time.Unix(89, 0))
	if err != nil || next != want || next == "94287082" {
		t.Errorf("NextCode at 59 = %q, %v; want %q", next, err, want)
	}
	if _, err := Code(a, time.Unix(-1, 0)); !errors.Is(err, ErrBeforeEpoch) {
		t.Errorf("Code before 1970: %v", err)
	}
	h := a
	h.Type, h.Period = HOTP, 0
	if SecondsLeft(h, time.Unix(5, 0)) != 0 {
		t.Error("SecondsLeft of HOTP is not 0")
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{
		"123456": "123 456", "1234567": "1234 567", "12345678": "1234 5678",
		"123456789": "123 456 789", "1234567890": "123 456 7890", "12345": "12345",
	} {
		if got := Group(in); got != want {
			t.Errorf("Group(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseURI(t *testing.T) {
	const s = "JBSWY3DPEHPK3PXP" // "Hello!\xde\xad\xbe\xef", 80 bits
	want := Secret("Hello!\xde\xad\xbe\xef")
	tests := []struct {
		uri  string
		want Account
	}{
		{"otpauth://totp/ACME%20Co:john@example.com?secret=" + s + "&issuer=ACME%20Co",
			Account{Issuer: "ACME Co", Name: "john@example.com", Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}},
		{"otpauth://totp/ACME%3Ajohn?secret=" + strings.ToLower(s),
			Account{Issuer: "ACME", Name: "john", Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}},
		{"otpauth://totp/ACME:%20john?secret=JBSW%20Y3DP%20EHPK%203PXP&issuer=Other",
			Account{Issuer: "ACME", Name: "john", IssuerParam: "Other", Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}},
		{"otpauth://totp/john?secret=" + s + "====&issuer=Stadt&algorithm=sha256&digits=8&period=60&unknown=1",
			Account{Issuer: "Stadt", Name: "john", Type: TOTP, Algorithm: SHA256, Digits: 8, Period: 60}},
		{"OTPAUTH://HOTP/Gw:bob?secret=jbsw-y3dp-ehpk-3pxp&counter=7&period=99999&algorithm=SHA-512&digits=10",
			Account{Issuer: "Gw", Name: "bob", Type: HOTP, Algorithm: SHA512, Digits: 10, Counter: 7}},
		{"otpauth://totp/a+b?secret=" + s + "&issuer=x%2By+z",
			Account{Issuer: "x+y z", Name: "a+b", Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}},
	}
	for _, tt := range tests {
		got, err := ParseURI(tt.uri)
		if err != nil {
			t.Errorf("%s: %v", tt.uri, err)
			continue
		}
		if !bytes.Equal(got.Secret, want) {
			t.Errorf("%s: wrong secret", tt.uri)
		}
		got.Secret = nil
		if !equal(got, tt.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", tt.uri, got, tt.want)
		}
	}
}

func TestParseURIRefusals(t *testing.T) {
	const s = "JBSWY3DPEHPK3PXP"
	tests := []struct {
		uri  string
		want error
	}{
		{"https://example.org/?secret=" + s, ErrNotOTPAuth},
		{"otpauth://totp/a", ErrNoSecret},
		{"otpauth://totp/a?secret=", ErrNoSecret},
		{"otpauth://totp/a?secret=JBSWY3DPEHPK3PX1", ErrBadSecret},
		{"otpauth://totp/a?secret=JBSWY3DPE", ErrBadSecret},
		{"otpauth://totp/a?secret=JBSWY3DPEHPK", ErrShortSecret},
		{"otpauth://totp/a?secret=JBSWY3DPEHPK3P", ErrBadSecret},
		{"otpauth://totp/a?secret=" + s + "&digits=5", ErrDigits},
		{"otpauth://totp/a?secret=" + s + "&digits=11", ErrDigits},
		{"otpauth://totp/a?secret=" + s + "&digits=six", ErrDigits},
		{"otpauth://totp/a?secret=" + s + "&period=0", ErrPeriod},
		{"otpauth://totp/a?secret=" + s + "&period=3601", ErrPeriod},
		{"otpauth://totp/a?secret=" + s + "&period=", ErrPeriod},
		{"otpauth://motp/a?secret=" + s, ErrType},
		{"otpauth://totp/a?secret=" + s + "&algorithm=MD5", ErrAlgorithm},
		{"otpauth://hotp/a?secret=" + s, ErrNoCounter},
		{"otpauth://hotp/a?secret=" + s + "&counter=-1", ErrCounter},
	}
	for _, tt := range tests {
		_, err := ParseURI(tt.uri)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.uri, err, tt.want)
		}
		if err != nil && strings.Contains(strings.ToUpper(err.Error()), "JBSWY3DP") {
			t.Errorf("%s: error %q shows the secret", tt.uri, err)
		}
	}
	// The one-line message names what is wrong.
	_, err := ParseURI("otpauth://totp/a?secret=" + s + "&digits=12")
	if err == nil || err.Error() != "the number of digits must be 6 to 10 (got 12)" {
		t.Errorf("digits message: %v", err)
	}
	// A malformed link must not be quoted back: it holds the secret.
	_, err = ParseURI("otpauth://totp/a%zz?secret=" + s)
	if err == nil || strings.Contains(err.Error(), s) {
		t.Errorf("malformed link: %v", err)
	}
}

func TestParseURICorpus(t *testing.T) {
	for _, uri := range corpus(t) {
		a, err := ParseURI(uri)
		if err != nil {
			t.Errorf("%s: %v", uri, err)
			continue
		}
		b, err := ParseURI(FormatURI(a))
		a.IssuerParam = ""
		if err != nil || !equal(a, b) {
			t.Errorf("%s: round trip gave %#v, %v", uri, b, err)
		}
	}
}

func corpus(t testing.TB) []string {
	b, err := os.ReadFile("testdata/uris.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for line := range strings.Lines(string(b)) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

func equal(a, b Account) bool {
	return a.ID == b.ID && a.Issuer == b.Issuer && a.Name == b.Name && a.Type == b.Type &&
		a.Algorithm == b.Algorithm && a.Digits == b.Digits && a.Period == b.Period &&
		a.Counter == b.Counter && a.IssuerParam == b.IssuerParam && bytes.Equal(a.Secret, b.Secret)
}

func TestSecretNeverPrinted(t *testing.T) {
	a, err := ParseURI("otpauth://totp/ACME:john?secret=JBSWY3DPEHPK3PXP")
	if err != nil {
		t.Fatal(err)
	}
	raw := string(a.Secret)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d"} {
		for _, v := range []any{a, &a, a.Secret, []Account{a}, map[string]Account{"k": a}} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, raw) || strings.Contains(out, "JBSWY3DP") ||
				strings.Contains(strings.ToLower(out), "48656c6c6f") || strings.Contains(out, "72 101 108") {
				t.Errorf("%s of %T shows the secret: %s", verb, v, out)
			}
		}
	}
	if _, err := json.Marshal(a); !errors.Is(err, ErrSecretMarshal) {
		t.Errorf("json.Marshal(account) = %v, want ErrSecretMarshal", err)
	}
	if got := a.String(); got != "ACME: john (totp, SHA1, 6 digits, 30s)" {
		t.Errorf("String() = %q", got)
	}
}

func TestNewID(t *testing.T) {
	a, err := NewID(rand.Reader)
	b, _ := NewID(rand.Reader)
	if err != nil || len(a) != 32 || a == b {
		t.Errorf("NewID: %q %q %v", a, b, err)
	}
	if _, err := NewID(bytes.NewReader(nil)); err == nil {
		t.Error("NewID with an empty reader: no error")
	}
}

func ExampleCode() {
	a, _ := ParseURI("otpauth://totp/RFC:6238?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8")
	code, _ := Code(a, time.Unix(59, 0))
	fmt.Println(Group(code), SecondsLeft(a, time.Unix(59, 0)))
	// Output: 9428 7082 1
}

func ExampleParseURI() {
	a, err := ParseURI("otpauth://totp/Stadt%3Amax?secret=jbsw%20y3dp%20ehpk%203pxp&issuer=Stadt")
	fmt.Println(a, err)
	fmt.Printf("%x\n", a.Secret)
	_, err = ParseURI("otpauth://totp/Stadt:max?secret=JBSWY3DPEHPK3PXP&digits=4")
	fmt.Println(err)
	// Output:
	// Stadt: max (totp, SHA1, 6 digits, 30s) <nil>
	// (hidden)
	// the number of digits must be 6 to 10 (got 4)
}

func TestMatch(t *testing.T) {
	var accs []Account
	for _, l := range []string{"Stadt:alice", "Stadt:alice2", "VPN:alice", "Gateway:bob"} {
		a, _ := ParseURI("otpauth://totp/" + l + "?secret=JBSWY3DPEHPK3PXP")
		a.ID = strings.ToLower(strings.ReplaceAll(l, ":", "-"))
		accs = append(accs, a)
	}
	labels := func(as []Account) (out []string) {
		for _, a := range as {
			out = append(out, a.Label())
		}
		return out
	}
	for _, c := range []struct {
		q              string
		exact, partial string
	}{
		{"alice", "Stadt: alice,VPN: alice", "Stadt: alice2"},
		{" STADT: Alice ", "Stadt: alice", ""},
		{"stadt:alice2", "Stadt: alice2", ""},
		{"gateway-bob", "Gateway: bob", ""},
		{"gate", "", "Gateway: bob"},
		{"carol", "", ""},
	} {
		e, p := Match(accs, c.q)
		if got := strings.Join(labels(e), ","); got != c.exact {
			t.Errorf("Match(%q) exact = %q, want %q", c.q, got, c.exact)
		}
		if got := strings.Join(labels(p), ","); got != c.partial {
			t.Errorf("Match(%q) partial = %q, want %q", c.q, got, c.partial)
		}
	}
}

// TestCounterEnd: an HOTP counter at 2^64-1 has no next value to save, so
// no link may enrol it and no code of it is computed; it must not wrap to 0.
func TestCounterEnd(t *testing.T) {
	const s = "JBSWY3DPEHPK3PXP"
	if _, err := ParseURI("otpauth://hotp/a?secret=" + s + "&counter=18446744073709551615"); !errors.Is(err, ErrCounterEnd) {
		t.Errorf("counter 2^64-1: got %v, want ErrCounterEnd", err)
	}
	a, err := ParseURI("otpauth://hotp/a?secret=" + s + "&counter=18446744073709551614")
	if err != nil {
		t.Fatalf("counter 2^64-2: %v", err)
	}
	if _, err := Code(a, time.Time{}); err != nil {
		t.Errorf("code of counter 2^64-2: %v", err)
	}
	a.Counter = math.MaxUint64
	if _, err := Code(a, time.Time{}); !errors.Is(err, ErrCounterEnd) {
		t.Errorf("code of counter 2^64-1: got %v, want ErrCounterEnd", err)
	}
	m, err := FormatMigration([]Account{{Name: "a", Type: HOTP, Algorithm: SHA1, Digits: 6, Counter: math.MaxUint64, Secret: a.Secret}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseMigration(m); !errors.Is(err, ErrCounterEnd) {
		t.Errorf("migration with counter 2^64-1: got %v, want ErrCounterEnd", err)
	}
}

func TestIsLink(t *testing.T) {
	for s, want := range map[string]bool{
		"otpauth://totp/x?secret=A":      true,
		"OTPAUTH://totp/x":               true,
		" otpauth-migration://offline?d": true,
		"otpauth-Migration://offline":    true,
		"otpauth:totp/x":                 false,
		"https://otpauth://":             false,
		"otpauthx://totp":                false,
		"":                               false,
	} {
		if got := IsLink(s); got != want {
			t.Errorf("IsLink(%q) = %v, want %v", s, got, want)
		}
	}
}
