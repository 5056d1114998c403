package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cityadmin/softtoken/internal/atomicfile"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/store/imports"
	"github.com/cityadmin/softtoken/token"
)

// openStore opens the user's store: from the vault file if there is one
// (its passphrase from --passphrase-file or the terminal), else with the
// OS keychain.
func openStore(env Env) (*store.Store, error) {
	dir, err := store.DefaultDir()
	if err != nil {
		return nil, err
	}
	s, _, err := store.OpenDefault(dir, func() ([]byte, error) {
		return passphrase(env, env.PassphraseFile, "Passphrase of the vault", false)
	})
	return s, err
}

func cmdVault(env Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return usagef("the only vault command is: vault create")
	}
	fs := flag.NewFlagSet("vault create", flag.ContinueOnError)
	pos, err := parse(fs, args[1:], env)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("vault create takes no argument")
	}
	dir, err := store.DefaultDir()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, store.VaultFile)
	if store.VaultExists(path) {
		return fmt.Errorf("%w: %s", store.ErrVaultExists, path)
	}
	var keychain store.Keyring = store.OSKeyring{}
	if store.Probe(keychain) != nil {
		keychain = nil
	}
	pass, err := passphrase(env, env.PassphraseFile, "New passphrase for the vault", true)
	if err != nil {
		return err
	}
	defer clear(pass)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	moved, missing, err := store.CreateVaultIn(dir, pass, keychain)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created the vault %s\n", path)
	if moved > 0 {
		fmt.Fprintf(env.Stdout, "moved %d secrets from the keychain into it\n", moved)
	}
	for _, l := range missing {
		fmt.Fprintf(env.Stderr, "warning: the secret of %s could not be read from the keychain; enroll it again\n", l)
	}
	fmt.Fprintln(env.Stdout, "Keep the passphrase safe: without it the accounts cannot be opened.")
	return nil
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
	b, err := store.WriteBackup(accs, pass, store.DefaultKDF)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(*out, b, 0o600); err != nil {
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
	r, err := imports.Read(b, ask)
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
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w (more than %d KiB)", errFileTooLarge, limit>>10)
	}
	return b, nil
}
