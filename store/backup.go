package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/cityadmin/softtoken/store/imports"
	"github.com/cityadmin/softtoken/token"
)

// Export returns every account, secrets included, as an encrypted backup
// (WriteBackup) under pass, and how many accounts it holds. An account
// whose secret cannot be read fails the export: a backup that silently
// lacks one is worse than none.
func (s *Store) Export(pass []byte) ([]byte, int, error) { return s.export(pass, newKDF()) }

func (s *Store) export(pass []byte, p KDFParams) ([]byte, int, error) {
	list, err := s.List()
	if err != nil {
		return nil, 0, err
	}
	if len(list) == 0 {
		return nil, 0, ErrNothingToExport
	}
	accs := make([]token.Account, len(list))
	for i, a := range list {
		if accs[i], err = s.Get(a.ID); err != nil {
			return nil, 0, err
		}
	}
	defer func() {
		for _, a := range accs {
			clear(a.Secret)
		}
	}()
	b, err := writeBackup(accs, pass, p)
	if err != nil {
		return nil, 0, err
	}
	return b, len(accs), nil
}

// ErrNothingToExport: no account is enrolled.
var ErrNothingToExport = errors.New("no account is enrolled: nothing to export")

// FormatBackup is the format name of softtoken's own backup in Incoming.
const FormatBackup imports.Format = "softtoken"

// Incoming is what a file to import holds: softtoken's own backup or
// another app's export (package imports).
type Incoming struct {
	Format    imports.Format
	Encrypted bool
	Accounts  []token.Account   // valid, without ID, in the file's order
	Skipped   []imports.Skipped // entries of the file that cannot be used
}

// ReadImport reads a file to import: softtoken's backup (its passphrase
// from ask) or another app's export (imports.ReadNamed; ask only if it is
// encrypted). name is the file's name, a hint for formats whose content
// does not tell. A wrong passphrase is ErrWrongPassphrase or
// imports.ErrWrongPassword; nothing is changed either way. It may take a
// second (key derivation): call it off the user interface's goroutine.
func ReadImport(name string, data []byte, ask PassphraseFunc) (Incoming, error) {
	if bytes.HasPrefix(data, []byte(vaultMagic)) {
		in := Incoming{Format: FormatBackup, Encrypted: true}
		if ask == nil {
			return in, imports.ErrNeedPassword
		}
		pass, err := ask()
		if err != nil {
			return in, err
		}
		defer clear(pass)
		in.Accounts, err = ReadBackup(data, pass)
		return in, err
	}
	var pw imports.PasswordFunc
	if ask != nil {
		pw = imports.PasswordFunc(ask)
	}
	r, err := imports.ReadNamed(name, data, pw)
	return Incoming{Format: r.Format, Encrypted: r.Encrypted, Accounts: r.Accounts, Skipped: r.Skipped}, err
}

// Why an account of an import is not added (ImportSkip.Reason).
var (
	// ErrAlreadyEnrolled: an enrolled account has the same secret and
	// issuer: it is the same token.
	ErrAlreadyEnrolled = errors.New("already enrolled")
	// ErrNameTaken: an enrolled account has the same issuer and name but
	// another secret; the person must settle which one is right.
	ErrNameTaken = errors.New("an account of this name is enrolled with another secret")
)

// ImportSkip is an account of an import that PlanImport does not add.
type ImportSkip struct {
	Label    string // the incoming account's issuer and name
	Existing string // the enrolled account it collides with
	Reason   error  // ErrAlreadyEnrolled or ErrNameTaken
}

// PlanImport splits incoming accounts into those to add and those to
// skip, against the accounts enrolled now and each other: the same
// secret and issuer (compared without regard to case) is the same token,
// already enrolled; the same issuer and name with another secret is a
// conflict. It reads every enrolled secret; it changes nothing.
func (s *Store) PlanImport(incoming []token.Account) (add []token.Account, skipped []ImportSkip, err error) {
	list, err := s.List()
	if err != nil {
		return nil, nil, err
	}
	type key struct{ issuer, secret string }
	have := map[key]string{}
	names := map[string]string{}
	for _, a := range list {
		full, err := s.Get(a.ID)
		if err != nil {
			return nil, nil, err
		}
		have[key{strings.ToLower(strings.TrimSpace(a.Issuer)), string(full.Secret)}] = a.Label()
		clear(full.Secret)
		names[dupKey(a.Issuer, a.Name)] = a.Label()
	}
	for _, a := range incoming {
		k := key{strings.ToLower(strings.TrimSpace(a.Issuer)), string(a.Secret)}
		if l, ok := have[k]; ok {
			skipped = append(skipped, ImportSkip{Label: a.Label(), Existing: l, Reason: ErrAlreadyEnrolled})
			continue
		}
		if l, ok := names[dupKey(a.Issuer, a.Name)]; ok {
			skipped = append(skipped, ImportSkip{Label: a.Label(), Existing: l, Reason: ErrNameTaken})
			continue
		}
		have[k] = a.Label()
		names[dupKey(a.Issuer, a.Name)] = a.Label()
		add = append(add, a)
	}
	return add, skipped, nil
}

// String says why in English, for logs and the command line.
func (s ImportSkip) String() string {
	return fmt.Sprintf("%s: %v (as %s)", s.Label, s.Reason, s.Existing)
}
