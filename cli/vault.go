package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cityadmin/softtoken/internal/limitread"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/store/imports"
	"github.com/cityadmin/softtoken/token"
)

// openStore opens the user's store: from the vault file if there is one
// (its passphrase from --passphrase-file or the terminal), else with the
// OS keychain, probed first unless probe is false (see
// store.OpenDefaultUnprobed).
func openStore(env Env, probe bool) (*store.Store, error) {
	dir, err := store.DefaultDir()
	if err != nil {
		return nil, err
	}
	open := store.OpenDefault
	if !probe {
		open = store.OpenDefaultUnprobed
	}
	s, _, err := open(dir, func() ([]byte, error) {
		return passphrase(env, env.PassphraseFile, "Passphrase of the vault", false)
	})
	if st, merr := store.Moving(dir); err == nil && merr == nil && st.Unfinished() {
		fmt.Fprintf(env.Stderr, "warning: %v (into the %s): run  softtoken vault finish  to finish it, or  softtoken vault undo  to undo it\n",
			store.ErrMoveUnfinished, where(st.Move))
	}
	return s, err
}

// cmdVault moves the secrets between the system keychain and the vault
// file: create (into a new vault), finish (a move that was cut off), undo
// (back into the keychain, deleting the vault file).
func cmdVault(env Env, args []string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "finish" && args[0] != "undo") {
		return usagef("the vault commands are: vault create, vault finish, vault undo")
	}
	sub := args[0]
	fs := flag.NewFlagSet("vault "+sub, flag.ContinueOnError)
	pos, err := parse(fs, args[1:], env)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("vault %s takes no argument", sub)
	}
	dir, err := store.DefaultDir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	path := filepath.Join(dir, store.VaultFile)
	st, err := store.Moving(dir)
	if err != nil {
		return err
	}
	if st.Running {
		return fmt.Errorf("%w: another softtoken is moving the secrets right now", store.ErrBusy)
	}
	to := store.BackendVault
	switch sub {
	case "create":
		if st.Move != "" {
			return store.ErrMoveUnfinished // explained: vault finish or vault undo
		}
		if st.Secrets == store.BackendVault {
			return fmt.Errorf("%w: %s", store.ErrVaultExists, path)
		}
	case "finish":
		if st.Move == "" {
			fmt.Fprintf(env.Stdout, "nothing to finish: the secrets are in the %s\n", where(st.Secrets))
			return nil
		}
		to = st.Move
	case "undo":
		to = store.BackendKeychain
		if st.Move == "" && st.Secrets == store.BackendKeychain && !st.VaultFile {
			fmt.Fprintln(env.Stdout, "nothing to undo: the secrets are in the system keychain")
			return nil
		}
	}
	// The passphrase: a new one for a vault still to be made, the vault's
	// own while it holds secrets or a move into it is to be finished.
	var pass []byte
	switch {
	case to == store.BackendVault && !st.VaultFile:
		pass, err = passphrase(env, env.PassphraseFile, "New passphrase for the vault", true)
	case st.Secrets == store.BackendVault || (to == store.BackendVault && st.Secrets == store.BackendKeychain):
		pass, err = passphrase(env, env.PassphraseFile, "Passphrase of the vault", false)
	}
	if err != nil {
		return err
	}
	defer clear(pass)
	var res store.MoveResult
	if to == store.BackendVault {
		res, err = store.MoveToVault(dir, pass, store.OSKeyring{})
	} else {
		res, err = store.MoveToKeychain(dir, pass, store.OSKeyring{})
	}
	for _, l := range res.Missing {
		fmt.Fprintf(env.Stderr, "warning: the secret of %s is neither in the keychain nor in the vault; remove the account and enroll it again\n", l)
	}
	if errors.Is(err, store.ErrNoMove) {
		fmt.Fprintf(env.Stdout, "nothing to do: the secrets are in the %s\n", where(to))
		return nil
	}
	if err != nil {
		return err
	}
	if to == store.BackendVault {
		if sub == "create" {
			fmt.Fprintf(env.Stdout, "created the vault %s\n", path)
		}
		fmt.Fprintf(env.Stdout, "moved %d secrets from the keychain into the vault %s\n", res.Moved, path)
		fmt.Fprintln(env.Stdout, "Keep the passphrase safe: without it the accounts cannot be opened.")
	} else {
		fmt.Fprintf(env.Stdout, "moved %d secrets from the vault back into the keychain and deleted %s\n", res.Moved, path)
	}
	return nil
}

// where names a place of the secrets in a sentence.
func where(b store.Backend) string {
	if b == store.BackendVault {
		return "vault file"
	}
	return "system keychain"
}

func cmdExport(env Env, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	out := fs.String("out", "", "the backup file to write")
	passFile := fs.String("backup-passphrase-file", "", "read the backup's passphrase from this file")
	force := fs.Bool("force", false, "replace an existing file")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *out == "" {
		return usagef("give the file to write with --out FILE")
	}
	if _, err := os.Stat(*out); err == nil && !*force {
		return fmt.Errorf("%s exists already; choose another name or add --force", *out)
	}
	s, list, err := openList(env)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return errors.New("no accounts enrolled: nothing to export")
	}
	accs := make([]token.Account, len(list))
	for i, a := range list {
		if accs[i], err = s.Get(a.ID); err != nil {
			return err
		}
	}
	pass, err := passphrase(env, *passFile, "New passphrase for the backup", true)
	if err != nil {
		return err
	}
	defer clear(pass)
	if err := store.ExportBackup(*out, accs, pass); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "exported %d accounts to %s\n", len(accs), *out)
	return nil
}

func cmdImport(env Env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	passFile := fs.String("backup-passphrase-file", "", "read the file's passphrase from this file")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one file to import")
	}
	file := pos[0]
	ask := func() ([]byte, error) { return passphrase(env, *passFile, "Passphrase of "+filepath.Base(file), false) }
	accs, skipped, format, err := readImport(file, ask)
	if err != nil {
		return fmt.Errorf("cannot import %s: %w", file, err)
	}
	s, list, err := openList(env)
	if err != nil {
		return err
	}
	// The same secret and issuer as an enrolled account: a duplicate, not
	// added twice. The same issuer and name with another secret: a
	// conflict the person must settle.
	type key struct{ issuer, secret string }
	have := map[key]string{}
	names := map[string]bool{}
	for _, a := range list {
		full, err := s.Get(a.ID)
		if err != nil {
			return err
		}
		have[key{strings.ToLower(a.Issuer), string(full.Secret)}] = a.Label()
		names[strings.ToLower(a.Issuer)+"\x00"+strings.ToLower(a.Name)] = true
	}
	var fresh []token.Account
	for _, a := range accs {
		if l, ok := have[key{strings.ToLower(a.Issuer), string(a.Secret)}]; ok {
			skipped = append(skipped, fmt.Sprintf("%s: already enrolled (as %s)", a.Label(), l))
			continue
		}
		n := strings.ToLower(a.Issuer) + "\x00" + strings.ToLower(a.Name)
		if names[n] {
			skipped = append(skipped, fmt.Sprintf("%s: an account of this name is enrolled with another secret; remove one of them first", a.Label()))
			continue
		}
		names[n] = true
		fresh = append(fresh, a)
	}
	if len(fresh) > 0 {
		if _, err := s.Add(fresh...); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "imported %d accounts from %s (%s)\n", len(fresh), file, format)
	for _, a := range fresh {
		fmt.Fprintf(env.Stdout, "added %s\n", a)
	}
	for _, sk := range skipped {
		fmt.Fprintf(env.Stderr, "skipped %s\n", sk)
	}
	return nil
}

// readImport reads our own backup or another app's export.
func readImport(file string, ask func() ([]byte, error)) (accs []token.Account, skipped []string, format string, err error) {
	b, err := readBounded(file, max(store.MaxFileSize, imports.MaxSize))
	if err != nil {
		return nil, nil, "", err
	}
	if bytes.HasPrefix(b, []byte("STVAULT\n")) {
		pass, err := ask()
		if err != nil {
			return nil, nil, "", err
		}
		defer clear(pass)
		accs, err := store.ReadBackup(b, pass)
		return accs, nil, "softtoken backup", err
	}
	r, err := imports.ReadNamed(filepath.Base(file), b, ask)
	if err != nil {
		return nil, nil, "", err
	}
	for _, sk := range r.Skipped {
		label := sk.Label
		if label == "" {
			label = fmt.Sprintf("entry %d", sk.Index)
		}
		skipped = append(skipped, fmt.Sprintf("%s: %v", label, sk.Reason))
	}
	return r.Accounts, skipped, string(r.Format), nil
}

// errFileTooLarge: a file given to import or profile install is larger
// than any such file can be.
var errFileTooLarge = errors.New("the file is too large")

// readBounded reads file, refusing it once it passes limit bytes: a file
// from outside (or /dev/zero) must not fill the memory.
func readBounded(file string, limit int64) ([]byte, error) {
	b, err := limitread.File(file, limit)
	if errors.Is(err, limitread.ErrTooLarge) {
		return nil, fmt.Errorf("%w (more than %d KiB)", errFileTooLarge, limit>>10)
	}
	return b, err
}
