package launcher_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/launcher"
)

// The organisation signs a profile; the app verifies it with the public
// key it was built with.
func ExampleSign() {
	pub, priv, _ := launcher.GenerateKey(bytes.NewReader(make([]byte, 32))) // crypto/rand.Reader outside examples
	profile := []byte(`{"format": 1, "organisation": "Stadtverwaltung Musterstadt", "version": 1,
		"expires": "2099-12-31T00:00:00Z", "targets": [{"name": "portal", "type": "web",
		"web": {"url": "https://portal.example.org/#/?guac-totp={code}", "code": "url"}}]}`)
	file, err := launcher.Sign(profile, "stadt-2026", priv)
	if err != nil {
		panic(err)
	}
	p, err := launcher.Verify(file, launcher.Keys{"stadt-2026": pub}, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	fmt.Println(p.Organisation, p.Version, p.Targets[0].Name, err)
	_, err = launcher.Verify(file, launcher.Keys{"stadt-2026": ed25519.PublicKey(make([]byte, 32))}, time.Now())
	fmt.Println(err)
	// Output:
	// Stadtverwaltung Musterstadt 1 portal <nil>
	// the profile's signature is not valid
}

// TestDocExample: the example in docs/profile.md is a valid profile.
func TestDocExample(t *testing.T) {
	b, err := os.ReadFile("../docs/profile.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```json\n")
	js, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no json block in docs/profile.md")
	}
	p, err := launcher.ParseProfile([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Targets) != 3 || !p.AllowsIssuer("stadt musterstadt") || p.AllowsIssuer("Elsewhere") {
		t.Errorf("%+v", p)
	}
	if d, ok := p.Target("desktop"); !ok || !d.RDP.CredentialManager || !d.RDP.AsksPassword() || d.RDP.AskPassword == nil {
		t.Errorf("the example's desktop does not show credentialManager and askPassword: %+v", d.RDP)
	}
}
