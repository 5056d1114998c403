package token

import (
	"testing"
)

// FuzzParseURI feeds the parser arbitrary links, seeded with the real
// corpus. Whatever parses must survive a format and parse round trip
// unchanged (the differing issuer parameter aside, which export drops).
func FuzzParseURI(f *testing.F) {
	for _, uri := range corpus(f) {
		f.Add(uri)
	}
	f.Add("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551615")
	f.Add("otpauth://totp/%3A%3A?secret=JBSWY3DPEHPK3PXP&issuer=a%3Ab")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseURI(s)
		if err != nil {
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("parsed an invalid account: %v", err)
		}
		a.IssuerParam = ""
		b, err := ParseURI(FormatURI(a))
		if err != nil {
			t.Fatalf("formatted link does not parse: %v", err)
		}
		if !equal(a, b) {
			t.Fatalf("round trip:\n got %#v\nwant %#v", b, a)
		}
	})
}

// FuzzParseMigration feeds the payload parser arbitrary bytes, seeded with
// the hand-made fixture and our own encoding of the corpus.
func FuzzParseMigration(f *testing.F) {
	f.Add(migrationFixture(2))
	f.Add(migrationFixture(4))
	var accs []Account
	for _, uri := range corpus(f) {
		if a, err := ParseURI(uri); err == nil && (a.Digits == 6 || a.Digits == 8) && (a.Type == HOTP || a.Period == 30) {
			accs = append(accs, a)
		}
	}
	b, err := FormatMigration(accs)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMigration(b)
		if err != nil {
			return
		}
		out, err := FormatMigrationURI(m.Accounts)
		if err != nil {
			// Only what the format holds can come out of it.
			t.Fatalf("parsed accounts do not format: %v", err)
		}
		back, err := Parse(out)
		if err != nil || len(back) != len(m.Accounts) {
			t.Fatalf("round trip: %d accounts, %v", len(back), err)
		}
		for i := range back {
			if !equal(back[i], m.Accounts[i]) {
				t.Fatalf("account %d:\n got %#v\nwant %#v", i, back[i], m.Accounts[i])
			}
		}
	})
}
