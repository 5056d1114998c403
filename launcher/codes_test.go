package launcher

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/token"
)

func accs() []token.Account {
	secret := []byte("12345678901234567890")
	return []token.Account{
		{ID: "a1", Issuer: "Stadt", Name: "alice", Type: token.TOTP, Algorithm: token.SHA1, Digits: 6, Period: 30, Secret: secret},
		{ID: "a2", Issuer: "Stadt", Name: "alice.admin", Type: token.TOTP, Algorithm: token.SHA1, Digits: 6, Period: 30, Secret: secret},
		{ID: "v1", Issuer: "VPN", Name: "bob", Type: token.TOTP, Algorithm: token.SHA1, Digits: 8, Period: 30, Secret: secret},
		{ID: "h1", Issuer: "Mail", Name: "carol", Type: token.HOTP, Algorithm: token.SHA1, Digits: 6, Secret: secret},
	}
}

// TestTargetAccount: the one rule both clients resolve a target's account
// by, as exact table.
func TestTargetAccount(t *testing.T) {
	all := accs()
	for _, c := range []struct {
		query  string
		accs   []token.Account
		wantID string
		want   error
	}{
		{"", all[:1], "a1", nil},                  // names none: the only one
		{"", all, "", ErrTargetAccount},           // names none, several enrolled
		{"", nil, "", ErrNoAccounts},              // nothing enrolled
		{"Stadt: alice", all, "a1", nil},          // exact label
		{"alice", all, "a1", nil},                 // exact name beats the partial alice.admin
		{"admin", all, "a2", nil},                 // the only partial match
		{"Stadt", all, "", ErrTargetAccount},      // partial, two of them
		{"nobody", all, "", ErrTargetAccount},     // none
		{"v1", all, "v1", nil},                    // the id
		{"carol", all[3:], "h1", nil},             // HOTP too
		{"alice", nil, "", ErrNoAccounts},         // a query, nothing enrolled
		{"VPN: bob", all[2:3], "v1", nil},         // exact among one
		{"stadt: ALICE.ADMIN", all, "a2", nil},    // without case
		{"alice.admin", all[1:2], "a2", nil},      // exact, only one enrolled
		{"portal", all[:1], "", ErrTargetAccount}, // a query that matches nothing does not fall back to the only one
	} {
		tg := Target{Name: "portal", Account: c.query}
		got, err := TargetAccount(tg, c.accs)
		if !errors.Is(err, c.want) || got.ID != c.wantID {
			t.Errorf("%q over %d accounts: %q, %v; want %q, %v", c.query, len(c.accs), got.ID, err, c.wantID, c.want)
		}
	}
}

// TestLoadTargets: the profile's targets, then the person's own; a
// profile that cannot be used hides only its own.
func TestLoadTargets(t *testing.T) {
	dir := t.TempDir()
	own := Target{Name: "mail", Type: KindWeb, Web: &Web{URL: "https://mail.example.org/", Code: CodeClipboard}}
	if err := AddUserTarget(dir, own); err != nil {
		t.Fatal(err)
	}
	ts := LoadTargets(dir, testKeys(), testNow, nil)
	if !errors.Is(ts.ProfileErr, ErrNoProfile) || len(ts.All) != 1 || ts.All[0].Name != "mail" {
		t.Fatalf("without a profile: %+v", ts)
	}
	if _, err := Install(dir, signed(t, 1, nil), testKeys(), testNow, nil); err != nil {
		t.Fatal(err)
	}
	ts = LoadTargets(dir, testKeys(), testNow, nil)
	var names []string
	for _, t := range ts.All {
		names = append(names, t.Name)
	}
	if ts.ProfileErr != nil || ts.OwnErr != nil || len(names) != 3 || names[0] != "portal" || names[1] != "desktop" || names[2] != "mail" {
		t.Fatalf("with a profile: %v, %v, %v", names, ts.ProfileErr, ts.OwnErr)
	}
	ts = LoadTargets(dir, testKeys(), testNow.AddDate(2, 0, 0), nil) // expired
	if !errors.Is(ts.ProfileErr, ErrExpired) || len(ts.All) != 1 || ts.All[0].Name != "mail" {
		t.Fatalf("expired profile: %+v", ts)
	}
}

// TestCorrections: a correction found for one target's host holds for
// every account of its issuer and for nothing else; a launch changes it;
// the code shown is the one of the corrected time.
func TestCorrections(t *testing.T) {
	dir := t.TempDir()
	all := accs()
	portal := Target{Name: "portal", Type: KindWeb, Account: "Stadt: alice", Web: &Web{URL: "https://portal.example.org/", Code: CodeClipboard}}
	direct := Target{Name: "pc", Type: KindRDP, Account: "VPN", RDP: &RDP{Host: "pc.example.org", Code: CodeClipboard}}
	mail := Target{Name: "mail", Type: KindWeb, Account: "carol", Web: &Web{URL: "https://mail.example.org/", Code: CodeClipboard}}
	now := time.Now()
	if err := writeJSON(filepath.Join(dir, ClockFile), map[string]clockEntry{
		"portal.example.org": {Checked: now.Add(-time.Minute), Offset: 95 * time.Second},
		"mail.example.org":   {Checked: now.Add(-time.Minute), Offset: 40 * time.Second}, // an HOTP account's: no correction
		"pc.example.org":     {Checked: now.Add(-time.Minute), Offset: 60 * time.Second}, // no target checks it
	}); err != nil {
		t.Fatal(err)
	}
	c := KnownCorrections(&ClockCheck{Dir: dir}, []Target{portal, direct, mail}, all)
	for _, w := range []struct {
		acc token.Account
		off time.Duration
	}{{all[0], 95 * time.Second}, {all[1], 95 * time.Second}, {all[2], 0}, {all[3], 0}} {
		if got := c.Of(w.acc); got != w.off {
			t.Errorf("%s: corrected by %v, want %v", w.acc.Label(), got, w.off)
		}
	}
	at := time.Unix(59, 0)
	got, err := c.Code(all[1], at)
	want, _ := token.Code(all[1], at.Add(95*time.Second))
	if err != nil || got != want {
		t.Errorf("code %q, %v; want %q (the one of 95 s later)", got, err, want)
	}
	if plain, _ := token.Code(all[1], at); plain == want {
		t.Fatal("the test's instants give the same code")
	}
	// A check an hour old no longer holds.
	if c := KnownCorrections(&ClockCheck{Dir: dir, Now: func() time.Time { return now.Add(time.Hour) }}, []Target{portal}, all); len(c) != 0 {
		t.Errorf("an hour later: %v", c)
	}

	// Launches: a new offset replaces the old, 0 removes it, a launch
	// without clock check changes nothing.
	if !c.Launched(portal, all[0], Result{Clock: ClockResult{Apply: 30 * time.Second}}) || c.Of(all[1]) != 30*time.Second {
		t.Errorf("after a launch finding 30 s: %v", c)
	}
	if c.Launched(portal, all[0], Result{ClockErr: ErrClockCheck}) || c.Of(all[0]) != 30*time.Second {
		t.Errorf("a failed check changed the corrections: %v", c)
	}
	if c.Launched(direct, all[0], Result{}) || c.Of(all[0]) != 30*time.Second {
		t.Errorf("a target without clock host changed the corrections: %v", c)
	}
	if !c.Launched(portal, all[0], Result{}) || c.Of(all[0]) != 0 || len(c) != 0 {
		t.Errorf("a launch finding the clock right kept a correction: %v", c)
	}
	var none Corrections // the zero value corrects nothing
	if none.Of(all[0]) != 0 || !none.At(all[0], at).Equal(at) {
		t.Error("nil Corrections correct")
	}
}

// TestInstallBuiltin: the profile of a branded build goes in where none
// is, or a lower or expired one; a same or higher version and a damaged
// file are kept; a profile that does not verify is refused.
func TestInstallBuiltin(t *testing.T) {
	expiring := func(p *Profile) { p.Expires = testNow.Add(time.Hour) }
	for _, c := range []struct {
		name      string
		before    []byte // installed first (nil: none), at testNow
		damaged   bool
		builtin   uint64
		installed bool
		want      uint64 // the version installed afterwards
	}{
		{"none installed", nil, false, 3, true, 3},
		{"a lower version", signed(t, 2, nil), false, 3, true, 3},
		{"the same version", signed(t, 3, nil), false, 3, false, 3},
		{"a higher version", signed(t, 4, nil), false, 3, false, 4},
		{"an expired one", signed(t, 5, expiring), false, 3, false, 5}, // a higher version: Install refuses the downgrade
		{"a damaged file", nil, true, 3, false, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if c.before != nil {
				if _, err := Install(dir, c.before, testKeys(), testNow, nil); err != nil {
					t.Fatal(err)
				}
			}
			if c.damaged {
				if err := os.WriteFile(filepath.Join(dir, ProfileFile), []byte("{not json"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			now := testNow.Add(2 * time.Hour) // the expiring one has expired
			got, err := InstallBuiltin(dir, signed(t, c.builtin, nil), testKeys(), now)
			if c.name == "an expired one" {
				// Its version stays the floor: the lower built-in one is refused.
				if !errors.Is(err, ErrDowngrade) {
					t.Fatalf("over an expired higher version: %v, want ErrDowngrade", err)
				}
				return
			}
			if err != nil || got != c.installed {
				t.Fatalf("installed %v, %v; want %v", got, err, c.installed)
			}
			p, err := Installed(dir, testKeys(), now, nil)
			if c.damaged {
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("the damaged file was not left: %v, %v", p, err)
				}
				return
			}
			if err != nil || p.Version != c.want {
				t.Errorf("installed afterwards: %+v, %v; want version %d", p, err, c.want)
			}
		})
	}
	// An expired profile of a lower version is replaced.
	dir := t.TempDir()
	if _, err := Install(dir, signed(t, 1, expiring), testKeys(), testNow, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := InstallBuiltin(dir, signed(t, 2, nil), testKeys(), testNow.Add(2*time.Hour)); err != nil || !got {
		t.Errorf("over an expired lower version: %v, %v", got, err)
	}
	// A built-in profile with a bad signature is refused, nothing written.
	bad := signed(t, 3, nil)
	bad[len(bad)/2] ^= 1
	dir = t.TempDir()
	if got, err := InstallBuiltin(dir, bad, testKeys(), testNow); err == nil || got {
		t.Errorf("a tampered built-in profile: %v, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ProfileFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused profile left %s: %v", ProfileFile, err)
	}
}
