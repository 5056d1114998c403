package token

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// TwoStep holds the parameters of privacyIDEA's two-step enrollment, read
// from the link's 2step_salt, 2step_output and 2step_difficulty. In it the
// link's secret is only the server's part: the client adds random bytes
// of its own, both derive the real secret with PBKDF2, and the person types
// the client's part (with a checksum) into the enrollment page.
type TwoStep struct {
	ClientSize int // bytes the client contributes (2step_salt; default 10)
	OutputSize int // bytes of the derived secret (2step_output; default 20)
	Iterations int // PBKDF2 rounds (2step_difficulty; default 10000)
}

// Bounds of two-step parameters: enough for every real server, and a cap
// on the work a link can demand.
const (
	maxTwoStepClient     = 64
	maxTwoStepOutput     = 64
	maxTwoStepIterations = 1_000_000
)

// ErrTwoStep is wrapped by errors about two-step enrollment parameters.
var ErrTwoStep = errors.New("the two-step enrollment parameters are invalid")

// ParseTwoStep reports whether the otpauth:// link asks for two-step
// enrollment and with which parameters; missing ones take privacyIDEA's
// defaults. ok is false for an ordinary link.
func ParseTwoStep(link string) (p TwoStep, ok bool, err error) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return p, false, nil // ParseURI says what is wrong with it
	}
	q := parseQuery(u.RawQuery)
	p = TwoStep{ClientSize: 10, OutputSize: 20, Iterations: 10000}
	for _, f := range []struct {
		name string
		v    *int
		max  int
	}{{"2step_salt", &p.ClientSize, maxTwoStepClient}, {"2step_output", &p.OutputSize, maxTwoStepOutput},
		{"2step_difficulty", &p.Iterations, maxTwoStepIterations}} {
		v, has := q[f.name]
		if !has {
			continue
		}
		ok = true
		n, err := strconv.Atoi(strings.TrimSpace(v[0]))
		if err != nil || n < 1 || n > f.max {
			return p, true, fmt.Errorf("%w: %s must be a whole number from 1 to %d", ErrTwoStep, f.name, f.max)
		}
		*f.v = n
	}
	if ok && p.OutputSize < MinSecretBytes {
		return p, true, fmt.Errorf("%w: 2step_output must be at least %d", ErrTwoStep, MinSecretBytes)
	}
	return p, ok, nil
}

// CompleteTwoStep finishes a two-step enrollment of a, whose Secret is the
// server's part: it draws p.ClientSize random bytes from rnd, derives the
// account's real secret as privacyIDEA does — PBKDF2-HMAC-SHA1 with the
// server part in lower-case hex as the password, the client part as the
// salt, p.Iterations rounds, p.OutputSize bytes — and returns the account
// with it, and the client part as the person types it into the enrollment
// page: base32 of the first 4 bytes of SHA-1(client part) followed by the
// client part, without padding, in groups of four.
func CompleteTwoStep(a Account, p TwoStep, rnd io.Reader) (Account, string, error) {
	client := make([]byte, p.ClientSize)
	if _, err := io.ReadFull(rnd, client); err != nil {
		return a, "", fmt.Errorf("random client part: %w", err)
	}
	defer clear(client)
	secret, err := twoStepSecret(a.Secret, client, p)
	if err != nil {
		return a, "", err
	}
	a.Secret = secret
	if err := a.Validate(); err != nil {
		return a, "", err
	}
	return a, twoStepPhonePart(client), nil
}

func twoStepSecret(server, client []byte, p TwoStep) (Secret, error) {
	password := hex.EncodeToString(server)
	key, err := pbkdf2.Key(sha1.New, password, client, p.Iterations, p.OutputSize)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTwoStep, err)
	}
	return key, nil
}

func twoStepPhonePart(client []byte) string {
	sum := sha1.Sum(client)
	enc := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(append(sum[:4:4], client...))
	return strings.Join(chunks(enc, 4), " ")
}

// Enroll reads an enrollment link as Parse does and, where it asks for
// privacyIDEA's two-step enrollment, completes it with random bytes from
// rnd: twoStep is then the client part for the person to type into the
// enrollment page (empty for an ordinary link).
func Enroll(link string, rnd io.Reader) (accs []Account, twoStep string, err error) {
	if accs, err = Parse(link); err != nil {
		return nil, "", err
	}
	p, ok, err := ParseTwoStep(link)
	if err != nil || !ok {
		return accs, "", err
	}
	a, part, err := CompleteTwoStep(accs[0], p, rnd)
	if err != nil {
		return nil, "", err
	}
	return []Account{a}, part, nil
}
