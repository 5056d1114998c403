// Package doctor builds the support report that `softtoken doctor` prints
// and the window's "Copy support report" button copies: the version, the
// system, where the secrets are kept and whether that answers, how many
// accounts there are, the installed profile and the clock's offset against
// the organisation's portal.
//
// Guarantees: the report holds no secret and no code. It never reads a
// secret (the keychain is only probed with an item of its own, the vault
// is not opened) and names accounts only when Options.Names asks for it.
// It changes nothing stored: the clock is measured afresh and its result
// not cached.
//
// It is a client of the library (store, launcher), as cli and ui are, and
// sits beside them: nothing of the library imports it.
package doctor

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
)

// Options say what to look at. The zero value is the real thing.
type Options struct {
	// Dir is the configuration folder; default store.DefaultDir().
	Dir string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Keys are the trusted profile keys; default launcher.BuiltinKeys().
	Keys launcher.Keys
	// Keyring is probed when no vault file is there; default
	// store.OSKeyring{}.
	Keyring store.Keyring
	// Floor is where the highest profile version accepted is kept beside
	// the secrets (launcher.Floor); nil: profile-version.json alone.
	Floor launcher.Floor
	// Names adds the accounts' labels (issuer and name) to the report.
	// Default false: a report is often sent on, and the names say who
	// works where.
	Names bool
	// NoClock skips the clock check (no network).
	NoClock bool
	// Clock checks the clock; default a launcher.ClockCheck that keeps
	// nothing on disk.
	Clock *launcher.ClockCheck
	// Version, Commit and Date describe the build (cli.Version …).
	Version, Commit, Date string
}

// Report is what the report says. Err fields hold a sentence for a person
// or are empty.
type Report struct {
	Version, Commit, Built string
	OS, Arch, Go           string
	Checked                time.Time // when the report was made

	ConfigDir  string
	Backend    store.Backend // keychain or vault
	Move       store.Backend // where a move that was cut off goes; empty if none
	StoreOK    bool          // the keychain answered, or the vault file is readable
	StoreErr   string
	Accounts   int
	Names      []string // only with Options.Names
	AccountErr string

	Profile     *launcher.Profile // nil if none is usable
	ProfileErr  string            // why not ("no profile is installed" …)
	ClockHost   string            // the host the clock was checked against
	ClockOffset time.Duration     // how far the server's clock is ahead of this one
	ClockErr    string            // or why it was not checked
}

// Collect looks at everything Options names. It does not fail: what it
// cannot find out is said in the report. ctx bounds the clock check.
func Collect(ctx context.Context, o Options) Report {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	r := Report{
		Version: o.Version, Commit: o.Commit, Built: o.Date,
		OS: runtime.GOOS, Arch: runtime.GOARCH, Go: runtime.Version(),
		Checked: now(),
	}
	dir := o.Dir
	if dir == "" {
		d, err := store.DefaultDir()
		if err != nil {
			r.StoreErr = err.Error()
			return r
		}
		dir = d
	}
	r.ConfigDir = dir

	// Where the secrets are (as the index says, see store.Moving), and
	// whether that answers.
	inVault := store.VaultExists(filepath.Join(dir, store.VaultFile))
	if m, err := store.Moving(dir); err == nil {
		inVault = m.Secrets == store.BackendVault
		if m.Unfinished() {
			r.Move = m.Move
		}
	}
	if inVault {
		r.Backend, r.StoreOK = store.BackendVault, true
	} else {
		r.Backend = store.BackendKeychain
		kr := o.Keyring
		if kr == nil {
			kr = store.OSKeyring{}
		}
		if err := store.Probe(kr); err != nil {
			r.StoreErr = err.Error()
		} else {
			r.StoreOK = true
			// The profile's version floor is read from the keychain too
			// (a vault would need its passphrase: then the file's alone).
			if s, err := store.Open(dir, kr); err == nil && o.Floor == nil {
				o.Floor = readOnlyFloor{s}
			}
		}
	}
	// The accounts, from the index alone: no secret is read.
	if s, err := store.Open(dir, nil); err != nil {
		r.AccountErr = err.Error()
	} else if accs, err := s.List(); err != nil {
		r.AccountErr = err.Error()
	} else {
		r.Accounts = len(accs)
		if o.Names {
			for _, a := range accs {
				r.Names = append(r.Names, a.Label())
			}
		}
	}

	// The profile, verified as the app does.
	keys := o.Keys
	if keys == nil {
		k, err := launcher.BuiltinKeys()
		if err != nil {
			r.ProfileErr = err.Error()
		}
		keys = k
	}
	p, err := launcher.Installed(dir, keys, now(), o.Floor)
	if err != nil {
		r.ProfileErr = err.Error()
	} else {
		r.Profile = p
	}

	switch host := portalHost(p); {
	case o.NoClock:
		r.ClockErr = "not checked (--no-clock)"
	case p == nil:
		r.ClockErr = "not checked: no profile names a portal"
	case host == "":
		r.ClockErr = "not checked: the profile names no https portal"
	default:
		r.ClockHost = host
		c := o.Clock
		if c == nil {
			c = &launcher.ClockCheck{}
		}
		res, err := c.Check(ctx, host)
		r.ClockOffset = res.Measured
		if err != nil {
			r.ClockErr = err.Error() // ErrClockFar comes with the offset measured
		}
	}
	return r
}

// portalHost is the host[:port] of the first web target of p, or of the
// first RDP gateway (which serves https too).
func portalHost(p *launcher.Profile) string {
	if p == nil {
		return ""
	}
	for _, t := range p.Targets {
		if t.Web != nil {
			if u, err := url.Parse(t.Web.URL); err == nil && u.Scheme == "https" && u.Host != "" {
				return u.Host
			}
		}
	}
	for _, t := range p.Targets {
		if t.RDP != nil && t.RDP.Gateway != "" {
			return t.RDP.Gateway
		}
	}
	return ""
}

// String is the report as plain text, one fact a line, in English (the
// help desk reads it).
func (r Report) String() string {
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%-13s %s\n", k+":", v) }
	line("softtoken", fmt.Sprintf("%s (commit %s, built %s)", r.Version, r.Commit, r.Built))
	line("system", fmt.Sprintf("%s/%s, %s", r.OS, r.Arch, r.Go))
	line("config", r.ConfigDir)
	switch {
	case r.Backend == store.BackendVault:
		line("secrets", "encrypted vault file (locked until its passphrase is given)")
	case r.StoreOK:
		line("secrets", "system keychain, answers")
	default:
		line("secrets", "system keychain, does not answer: "+r.StoreErr)
	}
	if r.Move != "" {
		line("move", fmt.Sprintf("cut off on the way into the %s: softtoken vault finish, or softtoken vault undo", r.Move))
	}
	if r.AccountErr != "" {
		line("accounts", "cannot be read: "+r.AccountErr)
	} else {
		line("accounts", fmt.Sprint(r.Accounts))
		for _, n := range r.Names {
			line("  account", n)
		}
	}
	if r.Profile != nil {
		line("profile", fmt.Sprintf("%s, version %d, valid until %s (%d days left)", r.Profile.Organisation,
			r.Profile.Version, r.Profile.Expires.UTC().Format(time.DateOnly), int(r.Profile.Expires.Sub(r.Checked).Hours()/24)))
	} else {
		line("profile", r.ProfileErr)
	}
	switch {
	case r.ClockHost != "" && r.ClockErr == "":
		line("clock", fmt.Sprintf("%s against %s", describeOffset(r.ClockOffset), r.ClockHost))
	case r.ClockHost != "":
		line("clock", fmt.Sprintf("against %s: %s", r.ClockHost, r.ClockErr))
	default:
		line("clock", r.ClockErr)
	}
	return b.String()
}

func describeOffset(d time.Duration) string {
	d = d.Round(100 * time.Millisecond)
	switch {
	case d.Abs() <= launcher.ClockWarn:
		return fmt.Sprintf("ok, off by %s", d)
	case d > 0:
		return fmt.Sprintf("%s behind (codes are corrected; set the system clock right)", d)
	}
	return fmt.Sprintf("%s ahead (codes are corrected; set the system clock right)", -d)
}

// readOnlyFloor reads the profile version floor and never raises it: the
// report changes nothing.
type readOnlyFloor struct{ launcher.Floor }

func (readOnlyFloor) RaiseProfileFloor(uint64) error { return nil }
