package launcher

import (
	"bytes"
	"testing"
	"time"
)

// FuzzVerify feeds the profile verifier arbitrary files, seeded with a
// signed profile. It must never panic, and whatever it accepts must carry
// the seed's signed bytes unchanged: no edit gets past the signature.
func FuzzVerify(f *testing.F) {
	good := signed(f, 7, nil)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(bytes.Replace(good, []byte(`"key_id"`), []byte(`"kid"`), 1))
	f.Add([]byte(`{}`))
	now := time.Now()
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Verify(b, testKeys(), now)
		if err != nil {
			return
		}
		want, err := Verify(good, testKeys(), now)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != want.Version || p.Organisation != want.Organisation || len(p.Targets) != len(want.Targets) {
			t.Fatalf("accepted a changed profile: %+v", p)
		}
	})
}

// FuzzParseProfile: the profile's JSON parser never panics on any input.
func FuzzParseProfile(f *testing.F) {
	f.Add(profileJSON(f, 3, nil))
	f.Add([]byte(`{"format":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ParseProfile(b)
	})
}
