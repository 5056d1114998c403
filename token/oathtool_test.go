package token

import (
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// TestOathtool compares 240 random accounts and times with Debian's
// oathtool, an independent implementation of RFC 4226/6238. The key goes to
// oathtool on stdin, as a secret should.
func TestOathtool(t *testing.T) {
	oathtool := testenv.Tool(t, "oathtool")
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0x50f7))
	algs := []Algorithm{SHA1, SHA256, SHA512}
	periods := []int{15, 30, 60}
	end := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := range 240 {
		secret := make(Secret, 10+r.IntN(55))
		for j := range secret {
			secret[j] = byte(r.UintN(256))
		}
		a := Account{
			Type:      TOTP,
			Algorithm: algs[i%3],
			Digits:    6 + r.IntN(3),
			Period:    periods[r.IntN(3)],
			Secret:    secret,
		}
		at := r.Int64N(end)
		cmd := exec.Command(oathtool, "--totp="+string(a.Algorithm), "-b",
			fmt.Sprintf("--digits=%d", a.Digits), fmt.Sprintf("--time-step-size=%ds", a.Period),
			fmt.Sprintf("--now=@%d", at), "-")
		cmd.Stdin = strings.NewReader(EncodeBase32(a.Secret))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("oathtool: %v", err)
		}
		got, err := Code(a, time.Unix(at, 0))
		if err != nil || got != strings.TrimSpace(string(out)) {
			t.Fatalf("%v at %d: we say %q (%v), oathtool says %q", a, at, got, err, out)
		}
	}
}
