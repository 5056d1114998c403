package launcher

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

func testKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	b, err := os.ReadFile("testdata/test-signing.key")
	if err != nil {
		t.Fatal(err)
	}
	id, k, err := ParsePrivateKey(b)
	if err != nil || id != TestKeyID {
		t.Fatal(id, err)
	}
	if !bytes.Equal(k.Public().(ed25519.PublicKey), TestPublicKey) {
		t.Fatal("testdata/test-signing.key is not the private half of TestPublicKey")
	}
	return k
}

func testKeys() Keys { return Keys{TestKeyID: TestPublicKey} }

// profileJSON is a valid profile of the given version, with edit applied.
func profileJSON(t testing.TB, version uint64, edit func(*Profile)) []byte {
	t.Helper()
	p := Profile{
		Format:       ProfileFormat,
		Organisation: "Stadtverwaltung Musterstadt",
		Version:      version,
		Issued:       time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		Expires:      time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC),
		Issuers:      []string{"Stadt Musterstadt"},
		Targets: []Target{
			{Name: "portal", Title: "Portal", Type: KindWeb, Account: "Stadt",
				Web: &Web{URL: "https://portal.example.org/guacamole/#/?guac-totp={code}", Code: CodeURL}},
			{Name: "desktop", Type: KindRDP,
				RDP: &RDP{Host: "ws042.intern.example.org", Gateway: "rdgw.example.org", User: "{user}", Domain: "STADT", Code: CodeGatewayPassword}},
		},
	}
	if edit != nil {
		edit(&p)
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func signed(t testing.TB, version uint64, edit func(*Profile)) []byte {
	t.Helper()
	f, err := Sign(profileJSON(t, version, edit), TestKeyID, testKey(t))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// snapshot is every file of dir and its content.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = string(b)
	}
	return m
}

func sameState(t testing.TB, dir string, want map[string]string) {
	t.Helper()
	got := snapshot(t, dir)
	if len(got) != len(want) {
		t.Fatalf("files in dir changed: %d, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("%s changed", k)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	file := signed(t, 3, nil)
	p, err := Install(dir, file, testKeys(), testNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 3 || p.Organisation != "Stadtverwaltung Musterstadt" || len(p.Targets) != 2 {
		t.Fatalf("installed %+v", p)
	}
	got, err := Installed(dir, testKeys(), testNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 3 || got.Targets[1].RDP.Gateway != "rdgw.example.org" {
		t.Fatalf("read back %+v", got)
	}
	b, _ := os.ReadFile(filepath.Join(dir, ProfileFile))
	if !bytes.Equal(b, file) {
		t.Fatal("the installed file is not the file given")
	}
	for _, name := range []string{ProfileFile, ProfileVersionFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v", name, fi.Mode().Perm())
		}
	}
	// The same version again, and a newer one, are accepted.
	if _, err := Install(dir, file, testKeys(), testNow, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(dir, signed(t, 4, nil), testKeys(), testNow, nil); err != nil {
		t.Fatal(err)
	}
	// A CRLF line end, as an editor on Windows may leave, is let through.
	crlf := append(bytes.TrimSuffix(signed(t, 4, nil), []byte("\n")), '\r', '\n')
	if _, err := Install(dir, crlf, testKeys(), testNow, nil); err != nil {
		t.Fatal(err)
	}
}

// TestRefused: every refusal names its kind and leaves the folder exactly
// as it was, here with version 5 installed.
func TestRefused(t *testing.T) {
	dir := t.TempDir()
	if _, err := Install(dir, signed(t, 5, nil), testKeys(), testNow, nil); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)

	_, other, _ := ed25519.GenerateKey(nil)
	otherSigned, err := Sign(profileJSON(t, 6, nil), TestKeyID, other)
	if err != nil {
		t.Fatal(err)
	}
	unknown, err := Sign(profileJSON(t, 6, nil), "stadt-2027", testKey(t))
	if err != nil {
		t.Fatal(err)
	}
	// Sign refuses an http target; a signer that does not check must
	// still find it refused.
	httpTarget := signRaw(t, profileJSON(t, 6, func(p *Profile) { p.Targets[0].Web.URL = "http://portal.example.org/#/?guac-totp={code}" }))
	httpUser := signRaw(t, profileJSON(t, 6, func(p *Profile) { p.Targets[0].Web.URL = "HTTP://portal.example.org/?c={code}" }))
	for _, c := range []struct {
		name string
		file []byte
		keys Keys
		now  time.Time
		want error
	}{
		{"wrong key", otherSigned, testKeys(), testNow, ErrSignature},
		{"unknown key", unknown, testKeys(), testNow, ErrUnknownKey},
		{"no keys trusted", signed(t, 6, nil), Keys{}, testNow, ErrUnknownKey},
		{"expired", signed(t, 6, nil), testKeys(), time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC), ErrExpired},
		{"downgrade", signed(t, 4, nil), testKeys(), testNow, ErrDowngrade},
		{"http target", httpTarget, testKeys(), testNow, ErrNotHTTPS},
		{"HTTP target", httpUser, testKeys(), testNow, ErrNotHTTPS},
		{"newer format", signRaw(t, profileJSON(t, 6, func(p *Profile) { p.Format = 2 })), testKeys(), testNow, ErrFormat},
		{"unknown field", signRaw(t, bytes.Replace(profileJSON(t, 6, nil), []byte(`"issuers"`), []byte(`"issuer"`), 1)), testKeys(), testNow, ErrInvalid},
		{"empty", nil, testKeys(), testNow, ErrMalformed},
		{"pretty envelope", bytes.ReplaceAll(signed(t, 6, nil), []byte(`,"`), []byte(`, "`)), testKeys(), testNow, ErrMalformed},
		{"extra field", bytes.Replace(signed(t, 6, nil), []byte(`{`), []byte(`{"x":1,`), 1), testKeys(), testNow, ErrMalformed},
		{"profile unsigned", profileJSON(t, 6, nil), testKeys(), testNow, ErrMalformed},
	} {
		_, err := Install(dir, c.file, c.keys, c.now, nil)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
		sameState(t, dir, before)
	}
}

// signRaw signs bytes with the test key without checking them, as a
// careless signing tool would.
func signRaw(t testing.TB, profile []byte) []byte {
	t.Helper()
	sig := ed25519.Sign(testKey(t), append([]byte(signContext), profile...))
	b, err := encodeEnvelope(Envelope{Profile: profile, KeyID: TestKeyID, Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBitFlips flips every bit of a good signed file in turn: each one is
// refused, and the folder stays as it was.
func TestBitFlips(t *testing.T) {
	dir := t.TempDir()
	if _, err := Install(dir, signed(t, 5, nil), testKeys(), testNow, nil); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	good := signed(t, 6, nil)
	if _, err := Verify(good, testKeys(), testNow); err != nil {
		t.Fatal(err)
	}
	kinds := map[error]int{}
	for i := range good {
		for bit := range 8 {
			f := bytes.Clone(good)
			f[i] ^= 1 << bit
			_, err := Install(dir, f, testKeys(), testNow, nil)
			if err == nil {
				t.Fatalf("byte %d bit %d flipped: accepted", i, bit)
			}
			for _, k := range []error{ErrMalformed, ErrSignature, ErrUnknownKey} {
				if errors.Is(err, k) {
					kinds[k]++
				}
			}
		}
	}
	sameState(t, dir, before)
	t.Logf("%d flips of a %d-byte file: %d damaged, %d bad signature, %d unknown key",
		len(good)*8, len(good), kinds[ErrMalformed], kinds[ErrSignature], kinds[ErrUnknownKey])
	if kinds[ErrMalformed] == 0 || kinds[ErrSignature] == 0 || kinds[ErrUnknownKey] == 0 {
		t.Errorf("refusals by kind: %v; each kind should occur", kinds)
	}
	if n := kinds[ErrMalformed] + kinds[ErrSignature] + kinds[ErrUnknownKey]; n != len(good)*8 {
		t.Errorf("%d of %d flips refused for an unexpected reason", len(good)*8-n, len(good)*8)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Profile)
		want string
	}{
		{"code in path", func(p *Profile) { p.Targets[0].Web.URL = "https://portal.example.org/{code}/" }, "only in the query or the fragment"},
		{"code in host", func(p *Profile) { p.Targets[0].Web.URL = "https://{code}.example.org/" }, "only in the query or the fragment"},
		{"url mode without code", func(p *Profile) { p.Targets[0].Web.URL = "https://portal.example.org/" }, "has no {code}"},
		{"clipboard with code", func(p *Profile) { p.Targets[0].Web.Code = CodeClipboard }, "by clipboard but its URL has {code}"},
		{"unknown placeholder", func(p *Profile) { p.Targets[0].Web.URL += "&x={pin}" }, "only the placeholders"},
		{"user in URL", func(p *Profile) { p.Targets[0].Web.URL = "https://a:b@portal.example.org/?c={code}" }, "no user name or password"},
		{"duplicate", func(p *Profile) { p.Targets[1].Name = "portal" }, "two targets are named"},
		{"bad name", func(p *Profile) { p.Targets[0].Name = "Portal 1" }, "target name"},
		{"gateway password without gateway", func(p *Profile) { p.Targets[1].RDP.Gateway = "" }, "has none"},
		{"rdp mode", func(p *Profile) { p.Targets[1].RDP.Code = "url" }, "code must be gateway-password"},
		{"rdp host", func(p *Profile) { p.Targets[1].RDP.Host = "-x /p:1" }, "is not a host name"},
		{"rdp user", func(p *Profile) { p.Targets[1].RDP.User = "a /p:1" }, "may not hold"},
		{"credential manager with clipboard", func(p *Profile) {
			p.Targets[1].RDP.Code, p.Targets[1].RDP.CredentialManager = CodeClipboard, true
		}, "credentialManager needs code password or gateway-password, not clipboard"},
		{"password asked where the code is the password", func(p *Profile) {
			p.Targets[1].RDP.Code, p.Targets[1].RDP.AskPassword = CodePassword, ptr(true)
		}, "asks for a password, but its code is the session's password"},
		{"no expiry", func(p *Profile) { p.Expires = time.Time{} }, "no expiry"},
		{"no organisation", func(p *Profile) { p.Organisation = " " }, "no organisation"},
		{"version 0", func(p *Profile) { p.Version = 0 }, "version must be"},
	} {
		_, err := ParseProfile(profileJSON(t, 1, c.edit))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want …%s…", c.name, err, c.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestRDPFields: credentialManager and askPassword are read, checked and
// defaulted as docs/profile.md says.
func TestRDPFields(t *testing.T) {
	b := profileJSON(t, 1, func(p *Profile) {
		p.Targets[1].RDP.CredentialManager = true
		p.Targets = append(p.Targets,
			Target{Name: "direct", Type: KindRDP, RDP: &RDP{Host: "ws043", Code: CodePassword, CredentialManager: true, AskPassword: ptr(false)}},
			Target{Name: "mfa", Type: KindRDP, RDP: &RDP{Host: "ws044", User: "{user}@stadt.example", Domain: "STADT", Code: CodeClipboard, AskPassword: ptr(true)}})
	})
	for _, field := range []string{`"credentialManager": true`, `"askPassword": false`, `"askPassword": true`} {
		if !bytes.Contains(b, []byte(field)) {
			t.Errorf("the profile's JSON lacks %s:\n%s", field, b)
		}
	}
	if bytes.Count(b, []byte("credentialManager")) != 2 || bytes.Count(b, []byte("askPassword")) != 2 {
		t.Errorf("unset fields are written:\n%s", b)
	}
	p, err := ParseProfile(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name       string
		credMan    bool
		asks       bool
		sessionFor string
	}{
		{"desktop", true, true, `STADT\alice`},
		{"direct", true, false, "alice"},
		{"mfa", false, true, "alice@stadt.example"},
	} {
		tg, _ := p.Target(c.name)
		if tg.RDP.CredentialManager != c.credMan || tg.RDP.AsksPassword() != c.asks || tg.RDP.SessionUser("alice") != c.sessionFor {
			t.Errorf("%s: credentialManager %v, asks %v, user %q", c.name, tg.RDP.CredentialManager, tg.RDP.AsksPassword(), tg.RDP.SessionUser("alice"))
		}
	}
	// The defaults: asked where the code goes to the gateway only.
	for mode, want := range map[CodeMode]bool{CodeGatewayPassword: true, CodePassword: false, CodeClipboard: false} {
		if got := (&RDP{Code: mode}).AsksPassword(); got != want {
			t.Errorf("%s: AsksPassword() = %v by default", mode, got)
		}
	}
}

// TestUserTargetsNoRDP: a target of one's own cannot be a remote desktop,
// so it can never ask for Windows credentials.
func TestUserTargetsNoRDP(t *testing.T) {
	dir := t.TempDir()
	tg := Target{Name: "mine", Type: KindRDP, RDP: &RDP{Host: "ws042", Gateway: "rdgw.example.org", Code: CodeGatewayPassword, CredentialManager: true}}
	if err := tg.Validate(); err != nil {
		t.Fatalf("the target itself is valid: %v", err)
	}
	if err := ValidateUserTarget(tg); !errors.Is(err, ErrInvalid) {
		t.Errorf("ValidateUserTarget: %v", err)
	}
	if err := AddUserTarget(dir, tg); !errors.Is(err, ErrInvalid) {
		t.Errorf("AddUserTarget: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("something was written: %v", ents)
	}
}

func TestUserTargets(t *testing.T) {
	dir := t.TempDir()
	clip := Target{Name: "mail", Type: KindWeb, Web: &Web{URL: "https://mail.example.org/", Code: CodeClipboard}}
	if err := AddUserTarget(dir, clip); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	for _, bad := range []Target{
		{Name: "x", Type: KindWeb, Web: &Web{URL: "http://mail.example.org/", Code: CodeClipboard}},
		{Name: "y", Type: KindWeb, Web: &Web{URL: "https://mail.example.org/?c={code}", Code: CodeURL}},
		{Name: "z", Type: KindRDP, RDP: &RDP{Host: "h", Code: CodeClipboard}},
		clip,
	} {
		if err := AddUserTarget(dir, bad); err == nil {
			t.Errorf("%s added", bad.Name)
		}
		sameState(t, dir, before)
	}
	if _, err := Install(dir, signed(t, 1, nil), testKeys(), testNow, nil); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"mail", "portal"} {
		if got, err := FindTarget(dir, name, testKeys(), testNow, nil); err != nil || got.Name != name {
			t.Errorf("FindTarget(%s) = %v, %v", name, got.Name, err)
		}
	}
	if _, err := FindTarget(dir, "nope", testKeys(), testNow, nil); !errors.Is(err, ErrNoTarget) {
		t.Errorf("FindTarget(nope): %v", err)
	}
	// Expired, the profile's targets are gone with a reason; the user's stay.
	late := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := FindTarget(dir, "portal", testKeys(), late, nil); !errors.Is(err, ErrExpired) {
		t.Errorf("FindTarget(portal) when expired: %v", err)
	}
	if _, err := FindTarget(dir, "mail", testKeys(), late, nil); err != nil {
		t.Error(err)
	}
	if err := RemoveUserTarget(dir, "mail"); err != nil {
		t.Fatal(err)
	}
	if err := RemoveUserTarget(dir, "mail"); !errors.Is(err, ErrNoTarget) {
		t.Errorf("removed twice: %v", err)
	}
}

func TestKeyFiles(t *testing.T) {
	pub, priv, err := GenerateKey(bytes.NewReader(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	id, back, err := ParsePrivateKey(FormatPrivateKey("a-1", priv))
	if err != nil || !back.Equal(priv) || id != "a-1" {
		t.Fatalf("key file round trip: %v", err)
	}
	keys, err := ParseKeys(FormatPublicKey("a", pub) + ", " + FormatPublicKey("softtoken-test", TestPublicKey))
	if err != nil || !keys["a"].Equal(pub) || len(keys) != 2 {
		t.Fatalf("ParseKeys: %v %v", keys, err)
	}
	for _, bad := range []string{"a", "a:", "A:" + FormatPublicKey("", pub)[1:], "a:AAAA"} {
		if _, err := ParseKeys(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseKeys(%q): %v", bad, err)
		}
	}
	if _, _, err := ParsePrivateKey([]byte("softtoken profile signing key v1\na\nAAAA\n")); !errors.Is(err, ErrKeyFile) {
		t.Errorf("short key: %v", err)
	}
	k, err := BuiltinKeys()
	if err != nil || !k[TestKeyID].Equal(TestPublicKey) {
		t.Errorf("test binaries trust the test key: %v %v", k, err)
	}
}
