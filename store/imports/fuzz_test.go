package imports

import (
	"errors"
	"strings"
	"testing"

	"github.com/cityadmin/softtoken/token"
)

// sentinels are the errors Read may fail with as a whole (the errors of
// known formats it cannot read, ErrImage and the others, match
// ErrUnknownFormat).
var sentinels = []error{ErrUnknownFormat, ErrTooLarge, ErrNeedPassword, ErrWrongPassword, ErrDamaged, ErrUnsupported}

// checkRead is the property every input must keep: no panic; a failure
// wraps one of the sentinels and returns no account; what is returned is
// valid, without ID and without repeats; every skip has a position and a
// reason; and no message carries a fixture secret or the password.
func checkRead(t *testing.T, data []byte) {
	res, err := Read(data, password(testPassword))
	checkNoSecret(t, res, err)
	if err != nil {
		if !isSentinel(err) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if len(res.Accounts) != 0 || len(res.Skipped) != 0 {
			t.Fatalf("failed with %d accounts and %d skipped", len(res.Accounts), len(res.Skipped))
		}
		return
	}
	seen := map[dupKey]bool{}
	for _, a := range res.Accounts {
		if err := a.Validate(); err != nil {
			t.Fatalf("invalid account %v: %v", a, err)
		}
		if a.ID != "" {
			t.Fatalf("account %v has an ID", a)
		}
		if _, err := token.Code(a, at); err != nil {
			t.Fatalf("account %v: %v", a, err)
		}
		k := dupKey{strings.ToLower(strings.TrimSpace(a.Issuer)), string(a.Secret)}
		if seen[k] {
			t.Fatalf("account %v returned twice", a)
		}
		seen[k] = true
	}
	last := 0
	for _, s := range res.Skipped {
		if s.Index < 1 || s.Index < last || s.Reason == nil {
			t.Fatalf("bad skip %d after %d: %v", s.Index, last, s.Reason)
		}
		last = s.Index
	}
}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func FuzzURIList(f *testing.F) {
	f.Add(readTestdata(f, "uris.txt"))
	f.Add([]byte("otpauth://hotp/a?secret=" + s1 + "&counter=18446744073709551615\n#\n\n"))
	f.Fuzz(checkRead)
}

// Why these seeds are small and cheap: whenever an input finds new
// coverage, the fuzzer minimises it, running it thousands of times for up
// to a minute (-fuzzminimizetime) before it mutates anything else. With the
// 3-4 KB fixtures as seeds (about 1 ms per run, more with the fuzzer's
// coverage counters) and their key derivations (scrypt N=1024, r=8; PBKDF2
// at 2FAS's 10,000 iterations), FuzzAegis ran 4 inputs and FuzzTwoFAS 6 in
// 20 s: the whole time went into minimising the first find. So the seeds
// are the fixtures' shape in a few hundred bytes (one TOTP, one HOTP
// entry), the encrypted ones sealed at almost no cost, and the targets
// lower the cost the parser accepts to match: every mutation still reaches
// the key derivation, the slot and the GCM checks, in microseconds. The
// full fixtures are read by the unit tests.
const fuzzScryptN, fuzzScryptR, fuzzScryptP = 4, 1, 1

const (
	aegisSeedDB = `{"version":3,"entries":[` +
		`{"type":"totp","name":"m.muster@stadt.example","issuer":"Stadtverwaltung","info":{"secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","algo":"SHA1","digits":8,"period":30}},` +
		`{"type":"hotp","name":"anna","issuer":"Portal","info":{"secret":"GEZDGNBVGY3TQOJQGEZA","algo":"SHA256","digits":6,"counter":7}}]}`
	twoFASSeed = `{"services":[` +
		`{"name":"Stadtverwaltung","secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","otp":{"label":"Stadtverwaltung:m.muster@stadt.example","account":"m.muster@stadt.example","issuer":"Stadtverwaltung","digits":8,"period":30,"algorithm":"SHA1","tokenType":"TOTP"}},` +
		`{"name":"","secret":"GEZDGNBVGY3TQOJQGEZA","otp":{"label":"anna","issuer":"Portal","digits":6,"algorithm":"SHA256","counter":7,"tokenType":"HOTP"}}],` +
		`"groups":[],"schemaVersion":4}`
)

// fuzzIterations is the PBKDF2 cost FuzzTwoFAS accepts and seeds with.
const fuzzIterations = 1

// maxFuzzSeed is the size every seed of the two targets keeps under, so
// that minimising what grows from it stays within FUZZMINIMIZE runs.
const maxFuzzSeed = 1536

func aegisFuzzSeeds(tb testing.TB) [][]byte {
	return [][]byte{
		[]byte(`{"version":1,"header":{"slots":null,"params":null},"db":` + aegisSeedDB + `}`),
		sealAegis(tb, []byte(aegisSeedDB), testPassword, fuzzScryptN, fuzzScryptR, fuzzScryptP, fixedRand(4)),
	}
}

func twoFASFuzzSeeds(tb testing.TB) [][]byte {
	return [][]byte{
		[]byte(twoFASSeed),
		sealTwoFAS(tb, []byte(twoFASSeed), testPassword, fuzzIterations, fixedRand(5)),
	}
}

// lowFuzzCost lowers the key derivation cost the parsers accept to what
// the fuzz seeds use, until the returned function restores it.
func lowFuzzCost() (restore func()) {
	w, n, a := maxScryptWork, twoFASIterations, maxAndOTPIterations
	maxScryptWork = 4 * fuzzScryptN * fuzzScryptR * fuzzScryptP
	twoFASIterations = fuzzIterations
	maxAndOTPIterations = 16 * fuzzIterations
	return func() { maxScryptWork, twoFASIterations, maxAndOTPIterations = w, n, a }
}

// TestFuzzSeeds keeps the seeds of FuzzAegis and FuzzTwoFAS what makes
// them fuzz: small, and each one read in full (the encrypted ones
// decrypted with the fuzz cost), so that mutations start past the key
// derivation rather than at a refusal.
func TestFuzzSeeds(t *testing.T) {
	defer lowFuzzCost()()
	for _, seeds := range [][][]byte{aegisFuzzSeeds(t), twoFASFuzzSeeds(t), andOTPFuzzSeeds(t)} {
		for i, seed := range seeds {
			if len(seed) > maxFuzzSeed {
				t.Errorf("seed %d has %d bytes, more than %d", i, len(seed), maxFuzzSeed)
			}
			res, err := ReadNamed("otp_accounts.json.aes", seed, password(testPassword))
			if err != nil || len(res.Accounts) != 2 || len(res.Skipped) != 0 {
				t.Errorf("seed %d: %d accounts, %d skipped, %v; want 2 accounts", i, len(res.Accounts), len(res.Skipped), err)
			}
		}
	}
}

func FuzzAegis(f *testing.F) {
	defer lowFuzzCost()()
	for _, seed := range aegisFuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(checkRead)
}

func FuzzTwoFAS(f *testing.F) {
	defer lowFuzzCost()()
	for _, seed := range twoFASFuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(checkRead)
}

// andOTPFuzzSeeds are the plain fixture and an encrypted backup of a
// small one at the fuzz cost (one PBKDF2 iteration), in both formats; the
// target lowers the cap so that a mutated count stays cheap.
func andOTPFuzzSeeds(tb testing.TB) [][]byte {
	small := []byte(`[{"secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","issuer":"Stadtverwaltung","label":"m.muster","digits":8,"type":"TOTP","algorithm":"SHA1","period":30},` +
		`{"secret":"GEZDGNBVGY3TQOJQGEZA","label":"Portal - anna","digits":6,"type":"HOTP","algorithm":"SHA256","counter":7}]`)
	return [][]byte{
		small,
		sealAndOTP(tb, small, testPassword, fuzzIterations, fixedRand(6)),
		sealAndOTPOld(tb, small, testPassword, fixedRand(6)),
	}
}

func FuzzAndOTP(f *testing.F) {
	defer lowFuzzCost()()
	f.Add(readTestdata(f, "andotp.json"))
	for _, seed := range andOTPFuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data)
		// The older format is only tried under andOTP's file name.
		res, err := ReadNamed("otp_accounts.json.aes", data, password(testPassword))
		checkNoSecret(t, res, err)
		if err != nil && !isSentinel(err) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
	})
}
