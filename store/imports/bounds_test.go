package imports

import (
	"strings"
	"testing"

	"github.com/cityadmin/softtoken/token"
)

// TestHostileNames: names from an export that would act on a terminal are
// neutralised, in imported accounts and in the labels of skipped ones, and
// a secret past token.MaxSecretBytes is skipped with its reason.
func TestHostileNames(t *testing.T) {
	long := token.EncodeBase32(make([]byte, token.MaxSecretBytes+1))
	data := `{"version":1,"header":{"slots":null,"params":null},"db":{"version":3,"entries":[` +
		`{"type":"totp","name":"bob\u001b[2J\nfake\u0000","issuer":"Evil\u001b]52;c;aGk=\u0007\u202e","info":{"secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}},` +
		`{"type":"totp","name":"big\u001b[2J","issuer":"I","info":{"secret":"` + long + `"}}]}}`
	res, err := Read([]byte(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Accounts) != 1 || res.Accounts[0].Issuer != "Evil ]52;c;aGk=" || res.Accounts[0].Name != "bob [2J fake" {
		t.Fatalf("accounts %v", res.Accounts)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Label != "I: big [2J" || !strings.Contains(res.Skipped[0].Reason.Error(), "longer than 1024 bytes") {
		t.Fatalf("skipped %+v", res.Skipped)
	}
}
