package token

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
	"time"
)

// The expected values were derived by hand from privacyIDEA's published
// algorithm with Python's hashlib (pbkdf2_hmac('sha1', server.hex(),
// client, rounds, size)) and base64.b32encode, not with this code.
func TestTwoStep(t *testing.T) {
	link := "otpauth://totp/privacyIDEA:TOTP0001?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=privacyIDEA" +
		"&2step_salt=10&2step_output=20&2step_difficulty=10000"
	p, ok, err := ParseTwoStep(link)
	if err != nil || !ok || p != (TwoStep{10, 20, 10000}) {
		t.Fatalf("ParseTwoStep = %+v, %v, %v", p, ok, err)
	}
	a, err := ParseURI(link)
	if err != nil {
		t.Fatal(err)
	}
	client, _ := hex.DecodeString("00112233445566778899")
	done, phone, err := CompleteTwoStep(a, p, bytes.NewReader(client))
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(done.Secret); got != "f9ac93104e18cf4309cfe7050381fa48e7468568" {
		t.Errorf("derived secret %s", got)
	}
	if phone != "4IKM OTYA CERD GRCV MZ3Y RGI" {
		t.Errorf("phone part %q", phone)
	}
	if _, err := Code(done, time.Unix(59, 0)); err != nil {
		t.Error(err)
	}

	// Other sizes and rounds; defaults where the link leaves them out.
	big, _ := twoStepSecret(Secret("12345678901234567890"), client, TwoStep{10, 32, 1234})
	if got := hex.EncodeToString(big); got != "574f0a87b42c1ba711bdc211131a204e9b94ec48b01bb0634f42fb4cb6b54431" {
		t.Errorf("32-byte secret %s", got)
	}
	p, ok, err = ParseTwoStep("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&2step_difficulty=20000")
	if err != nil || !ok || p != (TwoStep{10, 20, 20000}) {
		t.Errorf("defaults: %+v %v %v", p, ok, err)
	}
	if _, ok, _ := ParseTwoStep("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ"); ok {
		t.Error("an ordinary link reads as two-step")
	}
	for _, bad := range []string{"2step_salt=0", "2step_salt=x", "2step_difficulty=99999999", "2step_output=4", "2step_output=65"} {
		if _, _, err := ParseTwoStep("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&" + bad); !errors.Is(err, ErrTwoStep) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
