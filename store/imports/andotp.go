package imports

import (
	"encoding/json"
	"strings"
)

// The andOTP plain backup is a JSON array of entries:
//
//	[{"secret": BASE32, "issuer", "label", "digits", "type": "TOTP"|"HOTP"|"STEAM",
//	  "algorithm", "period", "counter", "thumbnail", "last_used", "tags": […]}, …]
//
// Backups from before andOTP had an issuer field write "Issuer - name" in
// the label. The encrypted backup holds the same JSON (andotp_encrypted.go).

type andOTPEntry struct {
	Secret    string  `json:"secret"`
	Issuer    *string `json:"issuer"`
	Label     string  `json:"label"`
	Digits    int     `json:"digits"`
	Type      string  `json:"type"`
	Algorithm string  `json:"algorithm"`
	Period    int     `json:"period"`
	Counter   uint64  `json:"counter"`
}

func readAndOTP(data []byte) (Result, error) {
	var entries []json.RawMessage
	if err := json.Unmarshal(data, &entries); err != nil {
		return Result{Format: FormatAndOTP}, jsonError(err)
	}
	c := newCollector(FormatAndOTP, "entry")
	c.addEntries(entries, func(raw json.RawMessage) (fields, error) {
		var e andOTPEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			return fields{}, err
		}
		var issuer string
		name := e.Label
		if e.Issuer != nil {
			issuer = *e.Issuer
		} else if i, n, ok := strings.Cut(e.Label, " - "); ok {
			// Some versions wrote "Issuer - Issuer:name".
			issuer, name = i, strings.TrimPrefix(n, i+":")
		}
		return fields{
			typ:       e.Type,
			issuer:    issuer,
			name:      name,
			secret:    e.Secret,
			algorithm: e.Algorithm,
			digits:    e.Digits,
			period:    e.Period,
			counter:   e.Counter,
		}, nil
	})
	return c.res, nil
}
