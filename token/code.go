package token

import (
	"fmt"
	"math"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// Code returns the one-time code of a at time t: for TOTP the code of the
// period t falls in, for HOTP the code of a.Counter (t is ignored). Whoever
// shows an HOTP code must first have saved a.Counter+1; a counter at
// 2^64-1, which has no successor, is ErrCounterEnd.
func Code(a Account, t time.Time) (string, error) {
	if err := a.Validate(); err != nil {
		return "", err
	}
	counter := a.Counter
	if a.Type == HOTP && counter == math.MaxUint64 {
		return "", ErrCounterEnd
	}
	if a.Type == TOTP {
		u := t.Unix()
		if u < 0 {
			return "", ErrBeforeEpoch
		}
		counter = uint64(u) / uint64(a.Period)
	}
	return hotpCode(a, counter)
}

// NextCode returns the TOTP code of the period after the one t falls in,
// for showing ahead in the last seconds of a period.
func NextCode(a Account, t time.Time) (string, error) {
	if a.Type != TOTP {
		return "", fmt.Errorf("%w: only a totp account has a next code", ErrType)
	}
	return Code(a, t.Add(time.Duration(a.Period)*time.Second))
}

// SecondsLeft returns how many whole seconds the TOTP code at t stays valid,
// from Period down to 1. It is 0 for HOTP.
func SecondsLeft(a Account, t time.Time) int {
	if a.Type != TOTP || a.Period <= 0 {
		return 0
	}
	u := t.Unix()
	if u < 0 {
		return 0
	}
	return a.Period - int(u%int64(a.Period))
}

func hotpCode(a Account, counter uint64) (string, error) {
	alg := map[Algorithm]otp.Algorithm{SHA1: otp.AlgorithmSHA1, SHA256: otp.AlgorithmSHA256, SHA512: otp.AlgorithmSHA512}[a.Algorithm]
	code, err := hotp.GenerateCodeCustom(EncodeBase32(a.Secret), counter, hotp.ValidateOpts{
		Digits:    otp.Digits(a.Digits),
		Algorithm: alg,
	})
	if err != nil {
		// pquerna/otp's errors name no secret, but keep ours in our words.
		return "", fmt.Errorf("compute code: %w", err)
	}
	return code, nil
}

// Group splits a code into groups of three or four digits for reading:
// "123 456", "1234 567", "1234 5678", "123 456 789", "123 456 7890".
func Group(code string) string {
	var groups []string
	switch len(code) {
	case 6, 9:
		groups = chunks(code, 3)
	case 8:
		groups = chunks(code, 4)
	case 7:
		groups = []string{code[:4], code[4:]}
	case 10:
		groups = []string{code[:3], code[3:6], code[6:]}
	default:
		return code
	}
	s := groups[0]
	for _, g := range groups[1:] {
		s += " " + g
	}
	return s
}

func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}
