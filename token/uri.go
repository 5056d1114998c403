package token

import (
	"encoding/base32"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Scheme names of the two kinds of enrollment link.
const (
	SchemeOTPAuth   = "otpauth"
	SchemeMigration = "otpauth-migration"
)

// Schemes are the schemes of enrollment links: the links softtoken opens
// as the system's program for them. The one list: internal/urlhandler
// registers these, and a test (schemes_test.go at the top) keeps the
// packages' own lists (packaging/linux, packaging/macos) in step with it.
var Schemes = []string{SchemeOTPAuth, SchemeMigration}

// IsLink reports whether s (after spaces) begins with the scheme of an
// enrollment link, in any case, and "://".
func IsLink(s string) bool {
	scheme, _, ok := strings.Cut(strings.TrimSpace(s), "://")
	return ok && slices.Contains(Schemes, strings.ToLower(scheme))
}

// ParseURI reads an otpauth:// link in the Key URI Format:
//
//	otpauth://TYPE/LABEL?secret=…&issuer=…&algorithm=…&digits=…&period=…&counter=…
//
// It accepts what real enrollment servers emit: a secret in lower case, with
// spaces or dashes, with or without "=" padding; a label prefix written
// "Issuer:" or "Issuer%3A", with or without spaces after the colon; an issuer
// parameter that differs from the label prefix (the prefix wins, the
// parameter is kept in IssuerParam); parameters it does not know. Defaults:
// SHA1, 6 digits, 30 seconds.
//
// It refuses, with an error wrapping one of the package's sentinel errors: no
// secret, bad base32, a secret under 80 bits, digits outside 6–10, a period
// outside 1–3600, an unknown type or algorithm, an HOTP link without counter,
// and what passes the bounds of MaxLinkBytes, MaxSecretBytes and
// MaxTextBytes. Control and text-direction characters in the issuer and
// name are neutralised (CleanText). The error never contains the secret.
func ParseURI(s string) (Account, error) {
	var a Account
	if len(s) > MaxLinkBytes {
		return a, ErrLongLink
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		// url.Error quotes the whole link, secret and all: keep only the kind.
		return a, fmt.Errorf("%w: the link is malformed", ErrNotOTPAuth)
	}
	if !strings.EqualFold(u.Scheme, SchemeOTPAuth) {
		return a, ErrNotOTPAuth
	}
	switch strings.ToLower(u.Host) {
	case "totp":
		a.Type = TOTP
	case "hotp":
		a.Type = HOTP
	default:
		return a, fmt.Errorf("%w %q", ErrType, u.Host)
	}

	q := parseQuery(u.RawQuery)
	a.Issuer, a.Name = splitLabel(strings.TrimPrefix(u.Path, "/"))
	a.Issuer, a.Name = CleanText(a.Issuer), CleanText(a.Name)
	if p := CleanText(q.Get("issuer")); p != "" {
		switch {
		case a.Issuer == "":
			a.Issuer = p
		case a.Issuer != p:
			a.IssuerParam = p
		}
	}

	a.Algorithm = DefaultAlgorithm
	if v, ok := q["algorithm"]; ok {
		if a.Algorithm, err = ParseAlgorithm(v[0]); err != nil {
			return Account{}, err
		}
	}
	a.Digits = DefaultDigits
	if v, ok := q["digits"]; ok {
		if a.Digits, err = strconv.Atoi(strings.TrimSpace(v[0])); err != nil {
			return Account{}, fmt.Errorf("%w (got %q)", ErrDigits, v[0])
		}
	}
	if a.Type == TOTP {
		a.Period = DefaultPeriod
		if v, ok := q["period"]; ok {
			if a.Period, err = strconv.Atoi(strings.TrimSpace(v[0])); err != nil {
				return Account{}, fmt.Errorf("%w (got %q)", ErrPeriod, v[0])
			}
		}
	} else {
		v, ok := q["counter"]
		if !ok || strings.TrimSpace(v[0]) == "" {
			return Account{}, ErrNoCounter
		}
		if a.Counter, err = strconv.ParseUint(strings.TrimSpace(v[0]), 10, 64); err != nil {
			return Account{}, fmt.Errorf("%w (got %q)", ErrCounter, v[0])
		}
		if a.Counter == math.MaxUint64 {
			return Account{}, ErrCounterEnd
		}
	}

	v, ok := q["secret"]
	if !ok {
		return Account{}, ErrNoSecret
	}
	if a.Secret, err = DecodeBase32(v[0]); err != nil {
		return Account{}, err
	}
	if err := a.Validate(); err != nil {
		return Account{}, err
	}
	return a, nil
}

// parseQuery is url.ParseQuery without its strictness: a pair with a bad
// escape is kept undecoded rather than dropped, and its error is not kept
// either, since it would quote the secret.
func parseQuery(raw string) url.Values {
	q := url.Values{}
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		k = strings.ToLower(strings.TrimSpace(k))
		q[k] = append(q[k], v)
	}
	return q
}

// splitLabel splits "Issuer:name" (the path, already unescaped) at its first
// colon. A label without colon is a name alone.
func splitLabel(label string) (issuer, name string) {
	issuer, name, ok := strings.Cut(label, ":")
	if !ok {
		return "", strings.TrimSpace(label)
	}
	return strings.TrimSpace(issuer), strings.TrimSpace(name)
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// DecodeBase32 decodes a secret as people and servers write it: any case,
// spaces, dashes and "=" padding ignored. An empty string is ErrNoSecret,
// anything else undecodable ErrBadSecret; the error never quotes the input.
func DecodeBase32(s string) (Secret, error) {
	if len(s) > maxSecretText {
		return nil, fmt.Errorf("%w (its text has %d characters)", ErrLongSecret, len(s))
	}
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '-', '=':
			return -1
		}
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
	if clean == "" {
		return nil, ErrNoSecret
	}
	switch len(clean) % 8 {
	case 1, 3, 6: // no whole byte ends there: a character is missing or extra
		if strings.Trim(clean, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == "" {
			return nil, ErrSecretLength
		}
		return nil, fmt.Errorf("%w (wrong length)", ErrBadSecret)
	}
	b, err := b32.DecodeString(clean)
	if err != nil {
		var ce base32.CorruptInputError
		if errors.As(err, &ce) && int(ce) < len(clean) {
			return nil, fmt.Errorf("%w (bad character at position %d)", ErrBadSecret, int(ce)+1)
		}
		return nil, fmt.Errorf("%w (wrong length)", ErrBadSecret)
	}
	if len(b) > MaxSecretBytes {
		return nil, fmt.Errorf("%w (it has %d)", ErrLongSecret, len(b))
	}
	return b, nil
}

// EncodeBase32 writes a secret in upper-case base32 without padding, the
// form authenticator apps expect.
func EncodeBase32(s Secret) string { return b32.EncodeToString(s) }

// FormatURI writes a as an otpauth:// link, secret included: only for
// export, never for display. Defaults are written out so that every app
// reading the link agrees with us.
func FormatURI(a Account) string {
	// The label prefix cannot hold a colon; such an issuer travels in the
	// parameter alone. A name with a colon gets an empty prefix before it,
	// so that it is not split when read back.
	label := a.Name
	switch {
	case a.Issuer != "" && !strings.Contains(a.Issuer, ":"):
		label = a.Issuer + ":" + a.Name
	case strings.Contains(a.Name, ":"):
		label = ":" + a.Name
	}
	q := url.Values{}
	q.Set("secret", EncodeBase32(a.Secret))
	if a.Issuer != "" {
		q.Set("issuer", a.Issuer)
	}
	q.Set("algorithm", string(a.Algorithm))
	q.Set("digits", strconv.Itoa(a.Digits))
	if a.Type == HOTP {
		q.Set("counter", strconv.FormatUint(a.Counter, 10))
	} else {
		q.Set("period", strconv.Itoa(a.Period))
	}
	u := url.URL{Scheme: SchemeOTPAuth, Host: string(a.Type), Path: "/" + label, RawQuery: q.Encode()}
	return u.String()
}

// Parse reads either kind of enrollment link and returns the accounts it
// holds: one for otpauth://, one or more for otpauth-migration://.
func Parse(s string) ([]Account, error) {
	if len(s) > MaxLinkBytes {
		return nil, ErrLongLink
	}
	s = strings.TrimSpace(s)
	scheme, _, _ := strings.Cut(s, ":")
	switch strings.ToLower(scheme) {
	case SchemeOTPAuth:
		a, err := ParseURI(s)
		if err != nil {
			return nil, err
		}
		return []Account{a}, nil
	case SchemeMigration:
		m, err := ParseMigrationURI(s)
		if err != nil {
			return nil, err
		}
		return m.Accounts, nil
	}
	return nil, ErrNotOTPAuth
}
