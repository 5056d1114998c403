package token

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// Migration is the content of one otpauth-migration:// link, the export
// format of the most common phone authenticator. A large export is split
// into a batch of several links (QR codes); BatchSize and BatchIndex say
// which part this is.
type Migration struct {
	Accounts   []Account
	Version    int
	BatchSize  int
	BatchIndex int
	BatchID    int
}

// Field numbers of the MigrationPayload protobuf message and of its nested
// OtpParameters, as the phone app defines them.
const (
	fieldOTPParameters = 1
	fieldVersion       = 2
	fieldBatchSize     = 3
	fieldBatchIndex    = 4
	fieldBatchID       = 5

	fieldSecret    = 1
	fieldName      = 2
	fieldIssuer    = 3
	fieldAlgorithm = 4
	fieldDigits    = 5
	fieldType      = 6
	fieldCounter   = 7
)

// ParseMigrationURI reads otpauth-migration://offline?data=BASE64. Every
// account in it must be usable, or nothing is returned: the error names the
// entry (by its number and label, never its secret) and what is wrong.
// Period is always 30 seconds in this format.
func ParseMigrationURI(s string) (Migration, error) {
	if len(s) > MaxLinkBytes {
		return Migration{}, ErrLongLink
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || !strings.EqualFold(u.Scheme, SchemeMigration) {
		return Migration{}, ErrNotOTPAuth
	}
	data := parseQuery(u.RawQuery).Get("data")
	if data == "" {
		return Migration{}, fmt.Errorf("%w: the link has no data", ErrMigration)
	}
	raw, err := decodeBase64(data)
	if err != nil {
		return Migration{}, fmt.Errorf("%w: the data is not base64", ErrMigration)
	}
	return ParseMigration(raw)
}

// decodeBase64 accepts standard and URL-safe base64, padded or not, and a
// "+" that query decoding has turned into a space.
func decodeBase64(s string) ([]byte, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "+")
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// ParseMigration reads the MigrationPayload protobuf message itself.
// Unknown fields are skipped, as protobuf requires.
func ParseMigration(b []byte) (Migration, error) {
	var m Migration
	for n := 1; len(b) > 0; {
		num, typ, l := protowire.ConsumeTag(b)
		if l < 0 {
			return Migration{}, fmt.Errorf("%w: %v", ErrMigration, protowire.ParseError(l))
		}
		b = b[l:]
		switch {
		case num == fieldOTPParameters && typ == protowire.BytesType:
			v, l := protowire.ConsumeBytes(b)
			if l < 0 {
				return Migration{}, fmt.Errorf("%w: %v", ErrMigration, protowire.ParseError(l))
			}
			b = b[l:]
			a, err := parseOTPParameters(v)
			if err == nil {
				err = a.Validate()
			}
			if err != nil {
				return Migration{}, fmt.Errorf("account %d (%s): %w", n, a.Label(), err)
			}
			m.Accounts = append(m.Accounts, a)
			n++
		case typ == protowire.VarintType && num >= fieldVersion && num <= fieldBatchID:
			v, l := protowire.ConsumeVarint(b)
			if l < 0 {
				return Migration{}, fmt.Errorf("%w: %v", ErrMigration, protowire.ParseError(l))
			}
			b = b[l:]
			switch num {
			case fieldVersion:
				m.Version = int(int32(v))
			case fieldBatchSize:
				m.BatchSize = int(int32(v))
			case fieldBatchIndex:
				m.BatchIndex = int(int32(v))
			case fieldBatchID:
				m.BatchID = int(int32(v))
			}
		default:
			l := protowire.ConsumeFieldValue(num, typ, b)
			if l < 0 {
				return Migration{}, fmt.Errorf("%w: %v", ErrMigration, protowire.ParseError(l))
			}
			b = b[l:]
		}
	}
	if len(m.Accounts) == 0 {
		return Migration{}, fmt.Errorf("%w: it holds no account", ErrMigration)
	}
	return m, nil
}

func parseOTPParameters(b []byte) (Account, error) {
	a := Account{Type: TOTP, Algorithm: SHA1, Digits: DefaultDigits, Period: DefaultPeriod}
	var typ, alg, digits uint64
	for len(b) > 0 {
		num, wt, l := protowire.ConsumeTag(b)
		if l < 0 {
			return a, fmt.Errorf("%w: %v", ErrMigration, protowire.ParseError(l))
		}
		b = b[l:]
		var v uint64
		var bs []byte
		switch wt {
		case protowire.VarintType:
			v, l = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			bs, l = protowire.ConsumeBytes(b)
		default:
			l = protowire.ConsumeFieldValue(num, wt, b)
		}
		if l < 0 {
			return a, fmt.Errorf("%w: %v", ErrMigration, protowire.ParseError(l))
		}
		b = b[l:]
		switch {
		case num == fieldSecret && wt == protowire.BytesType:
			a.Secret = append(Secret(nil), bs...)
		case num == fieldName && wt == protowire.BytesType:
			a.Name = string(bs)
		case num == fieldIssuer && wt == protowire.BytesType:
			a.Issuer = string(bs)
		case num == fieldAlgorithm && wt == protowire.VarintType:
			alg = v
		case num == fieldDigits && wt == protowire.VarintType:
			digits = v
		case num == fieldType && wt == protowire.VarintType:
			typ = v
		case num == fieldCounter && wt == protowire.VarintType:
			a.Counter = v
		}
	}

	// The app stores the label as it came, often "Issuer:name", spaces and
	// all; we keep names as the URI parser does, trimmed.
	a.Issuer, a.Name = CleanText(a.Issuer), CleanText(a.Name)
	if a.Issuer != "" {
		if rest, ok := strings.CutPrefix(a.Name, a.Issuer+":"); ok {
			a.Name = strings.TrimSpace(rest)
		}
	} else {
		a.Issuer, a.Name = splitLabel(a.Name)
	}

	switch alg {
	case 0, 1:
		a.Algorithm = SHA1
	case 2:
		a.Algorithm = SHA256
	case 3:
		a.Algorithm = SHA512
	case 4:
		return a, fmt.Errorf("%w \"MD5\"", ErrAlgorithm)
	default:
		return a, fmt.Errorf("%w (number %d)", ErrAlgorithm, alg)
	}
	switch digits {
	case 0, 1:
		a.Digits = 6
	case 2:
		a.Digits = 8
	default:
		return a, fmt.Errorf("%w (code number %d)", ErrDigits, digits)
	}
	switch typ {
	case 1:
		a.Type, a.Period = HOTP, 0
	case 0, 2:
		// 0 is "unspecified"; the app itself treats it as TOTP.
		a.Type = TOTP
	default:
		return a, fmt.Errorf("%w (number %d)", ErrType, typ)
	}
	if a.Type == TOTP {
		a.Counter = 0
	}
	return a, nil
}

// FormatMigration encodes accounts as one MigrationPayload message (version
// 1, a batch of one). Only what the format can hold survives: 6 or 8 digits,
// a period of 30 seconds; FormatMigration refuses anything else rather than
// write a link that yields other codes.
func FormatMigration(accs []Account) ([]byte, error) {
	var b []byte
	for i, a := range accs {
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("account %d (%s): %w", i+1, a.Label(), err)
		}
		var digits, alg, typ uint64
		switch a.Digits {
		case 6:
			digits = 1
		case 8:
			digits = 2
		default:
			return nil, fmt.Errorf("account %d (%s): the migration format holds only 6 or 8 digits", i+1, a.Label())
		}
		switch a.Algorithm {
		case SHA1:
			alg = 1
		case SHA256:
			alg = 2
		case SHA512:
			alg = 3
		}
		if a.Type == HOTP {
			typ = 1
		} else {
			typ = 2
			if a.Period != DefaultPeriod {
				return nil, fmt.Errorf("account %d (%s): the migration format holds only a 30 second period", i+1, a.Label())
			}
		}
		// The name field carries the whole label, as the app writes it, so
		// that reading it back strips exactly the one prefix written here.
		name := a.Name
		if a.Issuer != "" || strings.Contains(name, ":") {
			name = a.Issuer + ":" + a.Name
		}
		var p []byte
		p = protowire.AppendTag(p, fieldSecret, protowire.BytesType)
		p = protowire.AppendBytes(p, a.Secret)
		p = protowire.AppendTag(p, fieldName, protowire.BytesType)
		p = protowire.AppendString(p, name)
		p = protowire.AppendTag(p, fieldIssuer, protowire.BytesType)
		p = protowire.AppendString(p, a.Issuer)
		p = protowire.AppendTag(p, fieldAlgorithm, protowire.VarintType)
		p = protowire.AppendVarint(p, alg)
		p = protowire.AppendTag(p, fieldDigits, protowire.VarintType)
		p = protowire.AppendVarint(p, digits)
		p = protowire.AppendTag(p, fieldType, protowire.VarintType)
		p = protowire.AppendVarint(p, typ)
		if a.Type == HOTP {
			p = protowire.AppendTag(p, fieldCounter, protowire.VarintType)
			p = protowire.AppendVarint(p, a.Counter)
		}
		b = protowire.AppendTag(b, fieldOTPParameters, protowire.BytesType)
		b = protowire.AppendBytes(b, p)
	}
	for _, f := range []struct {
		num protowire.Number
		v   uint64
	}{{fieldVersion, 1}, {fieldBatchSize, 1}, {fieldBatchIndex, 0}, {fieldBatchID, 0}} {
		b = protowire.AppendTag(b, f.num, protowire.VarintType)
		b = protowire.AppendVarint(b, f.v)
	}
	return b, nil
}

// FormatMigrationURI writes accounts as one otpauth-migration:// link,
// secrets included: only for export.
func FormatMigrationURI(accs []Account) (string, error) {
	b, err := FormatMigration(accs)
	if err != nil {
		return "", err
	}
	return SchemeMigration + "://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(b)), nil
}
