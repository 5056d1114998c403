package imports

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/token"
)

// The fixtures' secrets, in base32 as the files write them. S1, S2 and S3
// are the keys of RFC 6238's test vectors, so that the codes below come
// from the RFC, not from our own code.
const (
	s1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"                                                                        // "12345678901234567890"
	s2 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA"                                                    // 32 bytes
	s3 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA" // 64 bytes
	s5 = "JBSWY3DPEHPK3PXP"
	s6 = "KRUGS4ZANFZSAYJAONZWKY3SMV2CA2DF" // the Steam entry's, never imported
)

// fixtureSecrets must never appear in an error message or skip reason.
var fixtureSecrets = []string{s1, s2, s3, s5, s6, "GEZDGNBVGY3TQOJQ", "gezd gnbv", testPassword}

// at is the time of the expected codes: RFC 6238's first test time.
var at = time.Unix(59, 0)

// want is an expected account and its code at the time at.
type want struct {
	issuer, name string
	typ          token.Type
	alg          token.Algorithm
	digits       int
	period       int
	counter      uint64
	secret       string
	code         string
}

var (
	wantStadt  = want{"Stadtverwaltung", "m.muster@stadt.example", token.TOTP, token.SHA1, 8, 30, 0, s1, "94287082"} // RFC 6238
	wantPortal = want{"Portal", "anna", token.TOTP, token.SHA256, 8, 30, 0, s2, "46119246"}                          // RFC 6238
	wantMail   = want{"Mail", "ben", token.TOTP, token.SHA512, 8, 30, 0, s3, "90693936"}                             // RFC 6238
	wantVPN    = want{"VPN", "carl", token.HOTP, token.SHA1, 6, 0, 5, s1, "254676"}                                  // RFC 4226, count 5
	wantDora30 = want{"Chat", "dora", token.TOTP, token.SHA1, 6, 30, 0, s5, "996554"}
	wantDora60 = want{"Chat", "dora", token.TOTP, token.SHA1, 6, 60, 0, s5, "282760"}
)

// skip is an expected Skipped entry.
type skip struct {
	index  int
	label  string
	reason error
}

// checkResult compares a Result with the expected accounts and skips, and
// checks that no reason carries a secret.
func checkResult(t *testing.T, got Result, format Format, encrypted bool, accs []want, skips []skip) {
	t.Helper()
	if got.Format != format || got.Encrypted != encrypted {
		t.Errorf("format %q encrypted %v, want %q %v", got.Format, got.Encrypted, format, encrypted)
	}
	if len(got.Accounts) != len(accs) {
		t.Errorf("%d accounts, want %d: %v", len(got.Accounts), len(accs), got.Accounts)
	}
	for i := range min(len(got.Accounts), len(accs)) {
		a, w := got.Accounts[i], accs[i]
		secret, err := token.DecodeBase32(w.secret)
		if err != nil {
			t.Fatal(err)
		}
		if a.Issuer != w.issuer || a.Name != w.name || a.Type != w.typ || a.Algorithm != w.alg ||
			a.Digits != w.digits || a.Period != w.period || a.Counter != w.counter || a.ID != "" {
			t.Errorf("account %d = %#v, want %+v", i+1, a, w)
		}
		if !bytes.Equal(a.Secret, secret) {
			t.Errorf("account %d (%s): wrong secret", i+1, a.Label())
		}
		if err := a.Validate(); err != nil {
			t.Errorf("account %d (%s): %v", i+1, a.Label(), err)
		}
		code, err := token.Code(a, at)
		if err != nil || code != w.code {
			t.Errorf("account %d (%s): code %q, %v; want %q", i+1, a.Label(), code, err, w.code)
		}
	}
	if len(got.Skipped) != len(skips) {
		t.Errorf("%d skipped, want %d:", len(got.Skipped), len(skips))
		for _, s := range got.Skipped {
			t.Logf("  %d %q: %v", s.Index, s.Label, s.Reason)
		}
	}
	for i := range min(len(got.Skipped), len(skips)) {
		s, w := got.Skipped[i], skips[i]
		if s.Index != w.index || s.Label != w.label || !errors.Is(s.Reason, w.reason) {
			t.Errorf("skipped %d = {%d %q %v}, want {%d %q %v}", i+1, s.Index, s.Label, s.Reason, w.index, w.label, w.reason)
		}
	}
	checkNoSecret(t, got, nil)
}

// checkNoSecret fails if an error or skip reason contains a fixture secret
// or the password, in any case.
func checkNoSecret(t testing.TB, res Result, err error) {
	t.Helper()
	msgs := []string{}
	if err != nil {
		msgs = append(msgs, err.Error())
	}
	for _, s := range res.Skipped {
		if s.Reason == nil {
			t.Errorf("skipped entry %d has no reason", s.Index)
			continue
		}
		msgs = append(msgs, s.Reason.Error())
	}
	for _, m := range msgs {
		for _, secret := range fixtureSecrets {
			if strings.Contains(strings.ToUpper(m), strings.ToUpper(secret)) {
				t.Errorf("message carries a secret: %q", m)
			}
		}
	}
}

func password(pw string) PasswordFunc {
	return func() ([]byte, error) { return []byte(pw), nil }
}

// noPassword fails the test if it is asked for.
func noPassword(t *testing.T) PasswordFunc {
	return func() ([]byte, error) {
		t.Error("asked for a password")
		return nil, errors.New("no password here")
	}
}

func TestURIList(t *testing.T) {
	res, err := Read(readTestdata(t, "uris.txt"), noPassword(t))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, FormatURIList, false,
		[]want{wantStadt, wantPortal, wantVPN, wantMail, wantDora30},
		[]skip{
			{6, "Stadtverwaltung: m.muster@stadt.example", ErrDuplicate},
			{7, "", token.ErrBadSecret},
			{8, "", token.ErrNotOTPAuth},
			{10, "", token.ErrShortSecret},
			{11, "", token.ErrDigits},
		})
	for _, s := range res.Skipped {
		if !strings.HasPrefix(s.Reason.Error(), "line ") {
			t.Errorf("reason %q does not start with its line", s.Reason)
		}
	}
	if got := res.Skipped[0].Reason.Error(); got != "line 6: the same secret and issuer appear earlier in the file (line 2)" {
		t.Errorf("duplicate reason = %q", got)
	}
}

// TestURIListLines checks how single lines fare: what is ignored, and that
// a failing line's reason names it without quoting it.
func TestURIListLines(t *testing.T) {
	tests := []struct {
		name, text string
		accounts   int
		skipped    []skip
	}{
		{"comment and blank", "# otpauth://totp/x?secret=" + s1 + "\n\n" + "otpauth://totp/a?secret=" + s1 + "\n", 1, nil},
		{"crlf", "otpauth://totp/a?secret=" + s1 + "\r\notpauth://totp/b?secret=" + s2 + "\r\n", 2, nil},
		{"bom", "\xef\xbb\xbfotpauth://totp/a?secret=" + s1, 1, nil},
		{"upper-case scheme", "OTPAUTH://TOTP/a?secret=" + s1, 1, nil},
		{"no secret", "otpauth://totp/a?issuer=x\n", 0, []skip{{1, "", token.ErrNoSecret}}},
		{"unknown type", "x\notpauth://motp/a?secret=" + s1, 0, []skip{{1, "", token.ErrNotOTPAuth}, {2, "", token.ErrType}}},
		{"hotp without counter", "otpauth://hotp/a?secret=" + s1, 0, []skip{{1, "", token.ErrNoCounter}}},
		{"md5", "otpauth://totp/a?secret=" + s1 + "&algorithm=MD5", 0, []skip{{1, "", token.ErrAlgorithm}}},
		{"period", "otpauth://totp/a?secret=" + s1 + "&period=" + s1, 0, []skip{{1, "", token.ErrPeriod}}},
		{"bad migration", "otpauth-migration://offline?data=" + s1, 0, []skip{{1, "", token.ErrMigration}}},
		{"malformed", "otpauth://totp/%zz?secret=" + s1 + "\n", 0, []skip{{1, "", token.ErrNotOTPAuth}}},
		{"same secret, other issuer", "otpauth://totp/A:x?secret=" + s1 + "\notpauth://totp/B:x?secret=" + s1, 2, nil},
		{"same secret and issuer, other case", "otpauth://totp/A:x?secret=" + s1 + "\notpauth://totp/a%20:y?secret=" + strings.ToLower(s1), 1, []skip{{2, "a: y", ErrDuplicate}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Read([]byte(tt.text), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Accounts) != tt.accounts {
				t.Errorf("%d accounts, want %d", len(res.Accounts), tt.accounts)
			}
			if len(res.Skipped) != len(tt.skipped) {
				t.Fatalf("skipped %v, want %v", res.Skipped, tt.skipped)
			}
			for i, s := range res.Skipped {
				w := tt.skipped[i]
				if s.Index != w.index || s.Label != w.label || !errors.Is(s.Reason, w.reason) {
					t.Errorf("skipped {%d %q %v}, want %v", s.Index, s.Label, s.Reason, w)
				}
			}
			checkNoSecret(t, res, nil)
		})
	}
}

func TestAegis(t *testing.T) {
	accs := []want{wantStadt, wantPortal, wantMail, wantVPN, wantDora60}
	skips := []skip{
		{6, "Steam: gamer", ErrUnsupported},
		{7, "stadtverwaltung: M.Muster@stadt.example (copy)", ErrDuplicate},
		{8, "Broken: eve", token.ErrBadSecret},
		{9, "OldHash: frank", token.ErrAlgorithm},
	}
	t.Run("plain", func(t *testing.T) {
		res, err := Read(readTestdata(t, "aegis_plain.json"), noPassword(t))
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, res, FormatAegis, false, accs, skips)
		if got := res.Skipped[0].Reason.Error(); got != "entry 6: not supported: steam tokens use their own code algorithm" {
			t.Errorf("steam reason = %q", got)
		}
	})
	t.Run("encrypted", func(t *testing.T) {
		asked := 0
		res, err := Read(readTestdata(t, "aegis_encrypted.json"), func() ([]byte, error) {
			asked++
			return []byte(testPassword), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if asked != 1 {
			t.Errorf("password asked %d times", asked)
		}
		checkResult(t, res, FormatAegis, true, accs, skips)
	})
}

func TestTwoFAS(t *testing.T) {
	accs := []want{wantStadt, wantPortal, wantMail, wantVPN, wantDora60}
	skips := []skip{
		{6, "Steam: gamer", ErrUnsupported},
		{7, "Stadtverwaltung: second copy", ErrDuplicate},
		{8, "Broken: eve", token.ErrBadSecret},
		{9, "TooLong: gil", token.ErrPeriod},
	}
	t.Run("plain", func(t *testing.T) {
		res, err := Read(readTestdata(t, "2fas_plain.2fas"), noPassword(t))
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, res, FormatTwoFAS, false, accs, skips)
	})
	t.Run("encrypted", func(t *testing.T) {
		res, err := Read(readTestdata(t, "2fas_encrypted.2fas"), password(testPassword))
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, res, FormatTwoFAS, true, accs, skips)
	})
}

func TestAndOTP(t *testing.T) {
	res, err := Read(readTestdata(t, "andotp.json"), noPassword(t))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, FormatAndOTP, false,
		[]want{wantStadt, wantPortal, wantMail, wantVPN, wantDora60},
		[]skip{
			{6, "Steam: gamer", ErrUnsupported},
			{7, "Stadtverwaltung: again", ErrDuplicate},
			{8, "Broken: eve", token.ErrBadSecret},
			{9, "NoType: hal", token.ErrType},
		})
}

func TestReadFile(t *testing.T) {
	res, err := ReadFile(filepath.Join("testdata", "aegis_encrypted.json"), password(testPassword))
	if err != nil || len(res.Accounts) != 5 {
		t.Fatalf("ReadFile: %d accounts, %v", len(res.Accounts), err)
	}
	if _, err := ReadFile(filepath.Join("testdata", "missing.json"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}

	// A file over the limit is refused before it is read: a sparse file of
	// MaxSize+1 bytes costs no disk.
	big := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadFile(big, noPassword(t)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("big file: %v, want ErrTooLarge", err)
	}
}

func TestTooLarge(t *testing.T) {
	// One link, then a comment that pads the file to the size wanted.
	file := func(size int) []byte {
		link := "otpauth://totp/a?secret=" + s1 + "\n#"
		return append([]byte(link), bytes.Repeat([]byte("x"), size-len(link))...)
	}
	if _, err := Read(file(MaxSize+1), noPassword(t)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxSize+1 bytes: %v, want ErrTooLarge", err)
	}
	res, err := Read(file(MaxSize), nil)
	if err != nil || len(res.Accounts) != 1 {
		t.Errorf("MaxSize bytes: %d accounts, %v", len(res.Accounts), err)
	}
}

func TestUnknownFormat(t *testing.T) {
	for name, data := range map[string]string{
		"empty":            "",
		"blank":            " \n\t\n",
		"prose":            "Dear IT,\nplease find my tokens attached.\n",
		"only comments":    "# otpauth://totp/a?secret=" + s1 + "\n",
		"png":              "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"latin-1":          "otpauth://totp/\xe4?secret=" + s1,
		"other json":       `{"accounts": [{"secret": "` + s1 + `"}]}`,
		"json array":       `[1, 2, 3]`,
		"empty array":      `[]`,
		"array of objects": `[{"name": "x"}]`,
		"json string":      `"otpauth://totp/a?secret=` + s1 + `"`,
		"broken json":      `{"name": `,
	} {
		t.Run(name, func(t *testing.T) {
			res, err := Read([]byte(data), noPassword(t))
			if !errors.Is(err, ErrUnknownFormat) {
				t.Errorf("Read = %v, %v; want ErrUnknownFormat", res, err)
			}
			checkNoSecret(t, res, err)
		})
	}
}

// TestPassword checks when the password is asked for and what a wrong or
// missing one gives.
func TestPassword(t *testing.T) {
	for _, name := range []string{"aegis_encrypted.json", "2fas_encrypted.2fas"} {
		data := readTestdata(t, name)
		t.Run(name, func(t *testing.T) {
			res, err := Read(data, nil)
			if !errors.Is(err, ErrNeedPassword) || !res.Encrypted || res.Format == "" {
				t.Errorf("no password: %+v, %v; want ErrNeedPassword", res, err)
			}

			for _, pw := range []string{"", "wrong", testPassword + " ", strings.ToUpper(testPassword)} {
				res, err := Read(data, password(pw))
				if !errors.Is(err, ErrWrongPassword) || errors.Is(err, ErrDamaged) {
					t.Errorf("password %q: %v, want ErrWrongPassword", pw, err)
				}
				if len(res.Accounts) != 0 {
					t.Errorf("password %q: %d accounts", pw, len(res.Accounts))
				}
				checkNoSecret(t, res, err)
			}

			cancel := errors.New("cancelled by the person")
			_, err = Read(data, func() ([]byte, error) { return nil, cancel })
			if !errors.Is(err, cancel) {
				t.Errorf("cancelled: %v", err)
			}
		})
	}
}

// TestTruncated cuts every fixture at many points: each cut is refused as
// damaged (JSON formats) or loses only the cut line (lists), never panics,
// never claims a wrong password, and never quotes a secret.
func TestTruncated(t *testing.T) {
	for _, name := range []string{"aegis_plain.json", "aegis_encrypted.json", "2fas_plain.2fas", "2fas_encrypted.2fas", "andotp.json", "uris.txt"} {
		data := readTestdata(t, name)
		t.Run(name, func(t *testing.T) {
			for cut := 1; cut < len(bytes.TrimRight(data, "\n")); cut += 7 {
				res, err := Read(data[:cut], password(testPassword))
				checkNoSecret(t, res, err)
				if name == "uris.txt" {
					if err != nil && !errors.Is(err, ErrUnknownFormat) {
						t.Fatalf("cut at %d: %v", cut, err)
					}
					continue
				}
				if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrUnknownFormat) {
					t.Fatalf("cut at %d: %v, want ErrDamaged", cut, err)
				}
				if cut > len(data)/2 && !errors.Is(err, ErrDamaged) {
					t.Fatalf("cut at %d: %v, want ErrDamaged", cut, err)
				}
			}
		})
	}
}

// editJSON applies edit to the top-level object of a fixture.
func editJSON(t *testing.T, name string, edit func(f map[string]any)) []byte {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(readTestdata(t, name), &f); err != nil {
		t.Fatal(err)
	}
	edit(f)
	out, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// flipBase64 flips one bit of the byte at i (negative: from the end) of
// base64-encoded data.
func flipBase64(t *testing.T, s string, i int) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	if i < 0 {
		i += len(b)
	}
	b[i] ^= 0x01
	return base64.StdEncoding.EncodeToString(b)
}

// TestDamagedEncrypted alters the encrypted fixtures inside valid JSON:
// with the right password each is ErrDamaged, not ErrWrongPassword; where
// the format cannot tell the two apart, the test says so.
func TestDamagedEncrypted(t *testing.T) {
	aegisSlot := func(f map[string]any) map[string]any {
		return f["header"].(map[string]any)["slots"].([]any)[0].(map[string]any)
	}
	twoFASField := func(f map[string]any, key string, part int, change func(string) string) {
		parts := strings.Split(f[key].(string), ":")
		parts[part] = change(parts[part])
		f[key] = strings.Join(parts, ":")
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"aegis: flipped byte in db", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			f["db"] = flipBase64(t, f["db"].(string), 10)
		}), ErrDamaged},
		{"aegis: db cut short", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			db := f["db"].(string)
			f["db"] = db[:len(db)/2]
		}), ErrDamaged},
		{"aegis: db not base64", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			f["db"] = "*" + f["db"].(string)
		}), ErrDamaged},
		{"aegis: flipped tag", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			p := f["header"].(map[string]any)["params"].(map[string]any)
			p["tag"] = "00" + p["tag"].(string)[2:]
		}), ErrDamaged},
		{"aegis: params missing", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			f["header"].(map[string]any)["params"] = nil
		}), ErrDamaged},
		{"aegis: short nonce", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			p := f["header"].(map[string]any)["params"].(map[string]any)
			p["nonce"] = p["nonce"].(string)[2:]
		}), ErrDamaged},
		{"aegis: slot key not hex", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			aegisSlot(f)["key"] = "zz"
		}), ErrDamaged},
		// GCM cannot tell an altered wrapped key from a wrong password.
		{"aegis: flipped byte in slot key", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			s := aegisSlot(f)
			s["key"] = "ff" + s["key"].(string)[2:]
		}), ErrWrongPassword},
		{"aegis: scrypt N not a power of two", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			aegisSlot(f)["n"] = 1000
		}), ErrDamaged},
		{"aegis: scrypt N too large", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			aegisSlot(f)["n"] = 1 << 22
		}), ErrUnsupported},
		{"aegis: scrypt p too large", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			aegisSlot(f)["p"] = 257 // 257·1024·8 is just over 8 times Aegis's work
		}), ErrUnsupported},
		{"aegis: scrypt r too large", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			aegisSlot(f)["n"], aegisSlot(f)["r"] = 32768, 33 // 132 MiB
		}), ErrUnsupported},
		{"aegis: only a biometric slot", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			aegisSlot(f)["type"] = 2
		}), ErrUnsupported},
		{"aegis: newer file version", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			f["version"] = 2
		}), ErrUnsupported},
		{"aegis: db is a number", editJSON(t, "aegis_encrypted.json", func(f map[string]any) {
			f["db"] = 7
		}), ErrDamaged},
		{"2fas: flipped byte in services", editJSON(t, "2fas_encrypted.2fas", func(f map[string]any) {
			twoFASField(f, "servicesEncrypted", 0, func(s string) string { return flipBase64(t, s, 3) })
		}), ErrDamaged},
		{"2fas: flipped tag of services", editJSON(t, "2fas_encrypted.2fas", func(f map[string]any) {
			twoFASField(f, "servicesEncrypted", 0, func(s string) string { return flipBase64(t, s, -1) })
		}), ErrDamaged},
		{"2fas: flipped iv of services", editJSON(t, "2fas_encrypted.2fas", func(f map[string]any) {
			twoFASField(f, "servicesEncrypted", 2, func(s string) string { return flipBase64(t, s, 0) })
		}), ErrDamaged},
		{"2fas: services cut short", editJSON(t, "2fas_encrypted.2fas", func(f map[string]any) {
			twoFASField(f, "servicesEncrypted", 0, func(s string) string { return s[:40] })
		}), ErrDamaged},
		{"2fas: two fields", editJSON(t, "2fas_encrypted.2fas", func(f map[string]any) {
			s := f["servicesEncrypted"].(string)
			f["servicesEncrypted"] = s[:strings.LastIndex(s, ":")]
		}), ErrDamaged},
		{"2fas: reference malformed", editJSON(t, "2fas_encrypted.2fas", func(f map[string]any) {
			f["reference"] = "abc"
		}), ErrDamaged},
		// The reference is the password check: altered, it reads as a
		// wrong password.
		{"2fas: flipped byte in reference", editJSON(t, "2fas_encrypted.2fas", func(f map[string]any) {
			twoFASField(f, "reference", 0, func(s string) string { return flipBase64(t, s, 3) })
		}), ErrWrongPassword},
		// Without a reference an altered file cannot be told from a wrong
		// password either.
		{"2fas: no reference, flipped byte", editJSON(t, "2fas_encrypted.2fas", func(f map[string]any) {
			delete(f, "reference")
			twoFASField(f, "servicesEncrypted", 0, func(s string) string { return flipBase64(t, s, 3) })
		}), ErrWrongPassword},
		{"2fas: newer schema", editJSON(t, "2fas_encrypted.2fas", func(f map[string]any) {
			f["schemaVersion"] = 5
		}), ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Read(tt.data, password(testPassword))
			if !errors.Is(err, tt.want) {
				t.Errorf("Read: %v, want %v", err, tt.want)
			}
			if len(res.Accounts) != 0 {
				t.Errorf("%d accounts from a damaged file", len(res.Accounts))
			}
			checkNoSecret(t, res, err)
		})
	}
}

// TestDamagedPlain checks the plain formats' whole-file failures.
func TestDamagedPlain(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"aegis: newer content version", editJSON(t, "aegis_plain.json", func(f map[string]any) {
			f["db"].(map[string]any)["version"] = 4
		}), ErrUnsupported},
		{"aegis: entries not a list", editJSON(t, "aegis_plain.json", func(f map[string]any) {
			f["db"].(map[string]any)["entries"] = s1
		}), ErrDamaged},
		{"2fas: services not a list", editJSON(t, "2fas_plain.2fas", func(f map[string]any) {
			f["services"] = map[string]any{"secret": s1}
		}), ErrDamaged},
		{"2fas: version is text", editJSON(t, "2fas_plain.2fas", func(f map[string]any) {
			f["schemaVersion"] = s1
		}), ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Read(tt.data, noPassword(t))
			if !errors.Is(err, tt.want) {
				t.Errorf("Read: %v, want %v", err, tt.want)
			}
			checkNoSecret(t, res, err)
		})
	}
}

// TestDamagedEntry checks that one malformed entry is skipped and the
// others are kept.
func TestDamagedEntry(t *testing.T) {
	data := editJSON(t, "aegis_plain.json", func(f map[string]any) {
		entries := f["db"].(map[string]any)["entries"].([]any)
		entries[1].(map[string]any)["info"].(map[string]any)["digits"] = s2
		entries[2] = s3
	})
	res, err := Read(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Accounts) != 3 {
		t.Errorf("%d accounts, want 3", len(res.Accounts))
	}
	for i, idx := range []int{2, 3} {
		s := res.Skipped[i]
		if s.Index != idx || !errors.Is(s.Reason, ErrDamaged) {
			t.Errorf("skipped %d: %d %v", i, s.Index, s.Reason)
		}
	}
	checkNoSecret(t, res, err)
}

// TestDefaults checks the defaults of fields a JSON export leaves out.
func TestDefaults(t *testing.T) {
	data := `{"services":[{"name":"Min","secret":"` + s1 + `","otp":{}}],"schemaVersion":1}`
	res, err := Read([]byte(data), nil)
	if err != nil || len(res.Accounts) != 1 {
		t.Fatalf("%v, %v", res, err)
	}
	a := res.Accounts[0]
	if a.Type != token.TOTP || a.Algorithm != token.SHA1 || a.Digits != 6 || a.Period != 30 || a.Issuer != "Min" || a.Name != "" {
		t.Errorf("defaults: %#v", a)
	}
}
