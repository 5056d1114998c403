package launcher

import (
	"crypto/ed25519"
	"encoding/base64"
	"testing"
)

// TrustedKeys are the public keys whose profiles this build accepts, as
// "KEYID:BASE64" separated by commas. They are set when the app is built:
//
//	go build -ldflags "-X 'github.com/cityadmin/softtoken/launcher.TrustedKeys=stadt-2026:BASE64'"
//
// The default is none: a build without them installs no profile.
var TrustedKeys = ""

// TestKeyID is the id of the test key, whose private half is in
// launcher/testdata/test-signing.key for everyone to read. Test binaries
// trust it; a build trusts it only if TrustedKeys names it (make's test
// builds do, releases must not).
const TestKeyID = "softtoken-test"

// TestPublicKey is the public half of the test key.
var TestPublicKey = ed25519.PublicKey(mustBase64("/4RTQMitqwLzHKysYpKH7aXQ5vj3Bq4TqloqurQ6O+Y="))

// BuiltinKeys returns the keys this build trusts: TrustedKeys, and the
// test key in test binaries.
func BuiltinKeys() (Keys, error) {
	keys, err := ParseKeys(TrustedKeys)
	if err != nil {
		return nil, err
	}
	if testing.Testing() {
		keys[TestKeyID] = TestPublicKey
	}
	return keys, nil
}

func mustBase64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
