package imports

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/crypto/pbkdf2"
)

// The 2FAS backup (.2fas), as the 2FAS Android app writes it (schema 4):
//
//	{"services": [SERVICE…], "groups": […], "schemaVersion": 4, …,
//	 "servicesEncrypted": "B64(ciphertext‖tag):B64(salt):B64(iv)",
//	 "reference": "B64(ciphertext‖tag):B64(salt):B64(iv)"}
//
// Encrypted, "services" is empty and "servicesEncrypted" holds the JSON
// array of services under AES-256-GCM (12-byte IV, 16-byte tag appended)
// with the key PBKDF2-HMAC-SHA256(password, salt, 10000 iterations, 32
// bytes); the salt is 256 random bytes. "reference" is a fixed text
// encrypted with the same key: it tells a wrong password from a damaged
// file. A service is {"name", "secret": BASE32, "otp": {"account", "label",
// "issuer", "digits", "period", "algorithm", "counter", "tokenType":
// "TOTP"|"HOTP"|"STEAM"}}.

// twoFASSchema is the highest schema version this package reads.
const twoFASSchema = 4

// twoFASIterations is PBKDF2's iteration count, fixed by the format. It is
// a variable only so that the fuzz target can lower it: at 10,000 each
// input costs milliseconds, and the fuzzer's minimisation of one input
// (thousands of runs) would take all of its time.
var twoFASIterations = 10000

type twoFASFile struct {
	Services          json.RawMessage `json:"services"`
	SchemaVersion     int             `json:"schemaVersion"`
	ServicesEncrypted string          `json:"servicesEncrypted"`
	Reference         string          `json:"reference"`
}

type twoFASService struct {
	Name   string `json:"name"`
	Secret string `json:"secret"`
	OTP    struct {
		Account   string `json:"account"`
		Label     string `json:"label"`
		Issuer    string `json:"issuer"`
		Digits    int    `json:"digits"`
		Period    int    `json:"period"`
		Algorithm string `json:"algorithm"`
		Counter   uint64 `json:"counter"`
		TokenType string `json:"tokenType"`
	} `json:"otp"`
}

// twoFASSealed is one "ciphertext:salt:iv" field, decoded.
type twoFASSealed struct {
	data, salt, iv []byte
}

func decodeTwoFASSealed(s string) (twoFASSealed, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return twoFASSealed{}, false
	}
	data, err1 := decodeBase64(parts[0])
	salt, err2 := decodeBase64(parts[1])
	iv, err3 := decodeBase64(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || len(data) < tagSize || len(salt) == 0 || len(iv) != nonceSize {
		return twoFASSealed{}, false
	}
	return twoFASSealed{data: data, salt: salt, iv: iv}, true
}

func readTwoFAS(data []byte, password PasswordFunc) (Result, error) {
	res := Result{Format: FormatTwoFAS}
	var f twoFASFile
	if err := json.Unmarshal(data, &f); err != nil {
		return res, jsonError(err)
	}
	if f.SchemaVersion > twoFASSchema {
		return res, fmt.Errorf("%w: 2fas backup schema %d", ErrUnsupported, f.SchemaVersion)
	}
	services := []byte(f.Services)
	if f.ServicesEncrypted != "" {
		res.Encrypted = true
		plain, err := twoFASDecrypt(f, password)
		if err != nil {
			return res, err
		}
		defer wipe(plain)
		services = plain
	}
	var entries []json.RawMessage
	if len(services) > 0 {
		if err := json.Unmarshal(services, &entries); err != nil {
			return res, jsonError(err)
		}
	}
	c := newCollector(FormatTwoFAS, "entry")
	c.res.Encrypted = res.Encrypted
	c.addEntries(entries, func(raw json.RawMessage) (fields, error) {
		var s twoFASService
		if err := json.Unmarshal(raw, &s); err != nil {
			return fields{}, err
		}
		// The service name is what the person saw in 2FAS (they may have
		// renamed it); the link's issuer stands in where it is empty.
		issuer := s.Name
		if strings.TrimSpace(issuer) == "" {
			issuer = s.OTP.Issuer
		}
		name := s.OTP.Account
		if strings.TrimSpace(name) == "" {
			name = s.OTP.Label
		}
		return fields{
			typ:       s.OTP.TokenType,
			issuer:    issuer,
			name:      name,
			secret:    s.Secret,
			algorithm: s.OTP.Algorithm,
			digits:    s.OTP.Digits,
			period:    s.OTP.Period,
			counter:   s.OTP.Counter,
		}, nil
	})
	return c.res, nil
}

// twoFASDecrypt checks the encrypted fields, then asks for the password and
// decrypts the services.
func twoFASDecrypt(f twoFASFile, password PasswordFunc) ([]byte, error) {
	services, ok := decodeTwoFASSealed(f.ServicesEncrypted)
	if !ok {
		return nil, fmt.Errorf("%w: the encrypted services are malformed", ErrDamaged)
	}
	var ref twoFASSealed
	hasRef := f.Reference != ""
	if hasRef {
		if ref, ok = decodeTwoFASSealed(f.Reference); !ok {
			return nil, fmt.Errorf("%w: the password check is malformed", ErrDamaged)
		}
	}
	if password == nil {
		return nil, ErrNeedPassword
	}
	pw, err := password()
	if err != nil {
		return nil, fmt.Errorf("read the password: %w", err)
	}
	key := pbkdf2.Key(pw, services.salt, twoFASIterations, keySize, sha256.New)
	defer wipe(key)
	if hasRef {
		refKey := key
		if string(ref.salt) != string(services.salt) {
			refKey = pbkdf2.Key(pw, ref.salt, twoFASIterations, keySize, sha256.New)
			defer wipe(refKey)
		}
		if _, err := openGCM(refKey, ref.iv, ref.data); err != nil {
			return nil, ErrWrongPassword
		}
	}
	plain, err := openGCM(key, services.iv, services.data)
	if err != nil {
		if !hasRef {
			// Without the reference a wrong password and an altered file
			// look the same; the password is the likelier culprit.
			return nil, ErrWrongPassword
		}
		return nil, fmt.Errorf("%w: the encrypted services do not decrypt", ErrDamaged)
	}
	return plain, nil
}
