package cli

import (
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
)

func cmdProfile(env Env, args []string) error {
	if len(args) == 0 {
		return usagef("say what to do: install, show, sign, keygen, add-target or remove-target")
	}
	sub := map[string]func(Env, []string) error{
		"install":       profileInstall,
		"show":          profileShow,
		"sign":          profileSign,
		"keygen":        profileKeygen,
		"add-target":    profileAddTarget,
		"remove-target": profileRemoveTarget,
	}[args[0]]
	if sub == nil {
		return usagef("unknown profile command %q", args[0])
	}
	return sub(env, args[1:])
}

// configDir is the configuration folder, where the profile lives beside
// the account list. The profile commands need no secret, so they do not
// open the store (which may ask for the vault's passphrase).
func configDir(Env) (string, error) {
	dir, err := store.DefaultDir()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	return dir, nil
}

// profileFolder is what the profile commands read the profile with: the
// keys built in and the configuration folder.
func profileFolder(env Env) (launcher.Keys, string, error) {
	keys, err := launcher.BuiltinKeys()
	if err != nil {
		return nil, "", err
	}
	dir, err := configDir(env)
	return keys, dir, err
}

// readInput reads the file named by pos[0], or stdin if there is none or
// it is "-".
func readInput(env Env, pos []string) ([]byte, error) {
	if len(pos) == 0 || pos[0] == "-" {
		b, err := io.ReadAll(io.LimitReader(env.Stdin, launcher.MaxProfileSize+1))
		if err == nil && len(b) > launcher.MaxProfileSize {
			err = fmt.Errorf("stdin: %w (more than %d KiB)", errFileTooLarge, launcher.MaxProfileSize>>10)
		}
		return b, err
	}
	return readBounded(pos[0], launcher.MaxProfileSize)
}

// profileFloor is where the highest profile version accepted is kept
// beside the secrets: the store (keychain or vault). A store that cannot
// be opened leaves profile-version.json alone to guard it.
func profileFloor(env Env) launcher.Floor {
	s, err := env.Store()
	if err != nil {
		return nil
	}
	return s
}

func profileInstall(env Env, args []string) error {
	fs := flag.NewFlagSet("profile install", flag.ContinueOnError)
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one FILE (- for stdin)")
	}
	file, err := readInput(env, pos)
	if err != nil {
		return fmt.Errorf("cannot install the profile: %w", err)
	}
	keys, dir, err := profileFolder(env)
	if err != nil {
		return err
	}
	p, err := launcher.Install(dir, file, keys, env.Now(), profileFloor(env))
	if err != nil {
		return fmt.Errorf("cannot install the profile: %w", err)
	}
	fmt.Fprintf(env.Stdout, "installed the profile of %s, version %d, valid until %s, with %d targets\n",
		p.Organisation, p.Version, p.Expires.UTC().Format(time.DateOnly), len(p.Targets))
	return nil
}

func profileShow(env Env, args []string) error {
	fs := flag.NewFlagSet("profile show", flag.ContinueOnError)
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("show takes no argument")
	}
	keys, dir, err := profileFolder(env)
	if err != nil {
		return err
	}
	ts := launcher.LoadTargets(dir, keys, env.Now(), profileFloor(env))
	if ts.OwnErr != nil {
		return ts.OwnErr
	}
	p, perr, own := ts.Profile, ts.ProfileErr, ts.Own
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	if perr == nil {
		fmt.Fprintf(env.Stdout, "organisation: %s\nversion:      %d\nvalid until:  %s\n", p.Organisation, p.Version, p.Expires.UTC().Format(time.DateOnly))
		if len(p.Issuers) > 0 {
			fmt.Fprintf(env.Stdout, "issuers:      %s\n", joinQuoted(p.Issuers))
		}
		fmt.Fprintln(env.Stdout)
	} else if errors.Is(perr, launcher.ErrNoProfile) {
		fmt.Fprintln(env.Stdout, "no profile is installed")
	}
	if perr == nil || len(own) > 0 {
		fmt.Fprintln(tw, "TARGET\tTYPE\tCODE\tACCOUNT\tFROM\tWHERE")
		if perr == nil {
			for _, t := range p.Targets {
				writeTarget(tw, t, "profile")
			}
		}
		for _, t := range own {
			writeTarget(tw, t, "you")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if perr != nil && !errors.Is(perr, launcher.ErrNoProfile) {
		return perr
	}
	return nil
}

func writeTarget(w io.Writer, t launcher.Target, from string) {
	acc := t.Account
	if acc == "" {
		acc = "(the only one)"
	}
	switch t.Type {
	case launcher.KindWeb:
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Name, t.Type, t.Web.Code, shorten(acc, 30), from, shorten(t.Web.URL, 70))
	case launcher.KindRDP:
		where := fmt.Sprintf("%s:%d", t.RDP.Host, launcher.RDPPort(t.RDP))
		if t.RDP.Gateway != "" {
			where += " via " + t.RDP.Gateway
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Name, t.Type, t.RDP.Code, shorten(acc, 30), from, where)
	}
}

func joinQuoted(ss []string) string {
	s := ""
	for i, x := range ss {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", x)
	}
	return s
}

func profileSign(env Env, args []string) error {
	fs := flag.NewFlagSet("profile sign", flag.ContinueOnError)
	keyFile := fs.String("key", "", "the private key `FILE` (from profile keygen)")
	out := fs.String("out", "", "write the signed profile to `FILE` (default stdout)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if *keyFile == "" {
		return usagef("give the key file with --key FILE")
	}
	if len(pos) > 1 {
		return usagef("give at most one PROFILE file (default stdin)")
	}
	kb, err := os.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	id, key, err := launcher.ParsePrivateKey(kb)
	if err != nil {
		return err
	}
	profile, err := readInput(env, pos)
	if err != nil {
		return err
	}
	signed, err := launcher.Sign(profile, id, key)
	if err != nil {
		return fmt.Errorf("cannot sign: %w", err)
	}
	if *out == "" {
		_, err = env.Stdout.Write(signed)
		return err
	}
	if err := os.WriteFile(*out, signed, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "signed with key %s into %s\n", id, *out)
	return nil
}

func profileKeygen(env Env, args []string) error {
	fs := flag.NewFlagSet("profile keygen", flag.ContinueOnError)
	out := fs.String("out", "", "write the private key to `FILE` (mode 0600; must not exist)")
	id := fs.String("id", "", "the key `ID` (a-z, 0-9, -; default key-YYYYMMDD)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if *out == "" || len(pos) != 0 {
		return usagef("give the key file to write with --out FILE")
	}
	if *id == "" {
		*id = "key-" + env.Now().UTC().Format("20060102")
	}
	pub, priv, err := launcher.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	if _, err := launcher.ParseKeys(launcher.FormatPublicKey(*id, pub)); err != nil {
		return usagef("key id %q: use 1 to 32 of a-z, 0-9 and -", *id)
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists; keygen never overwrites a key", *out)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(launcher.FormatPrivateKey(*id, priv)); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, launcher.FormatPublicKey(*id, pub))
	fmt.Fprintf(env.Stderr, "private key written to %s; keep it secret. Build softtoken to trust the public key with:\n"+
		"  -ldflags \"-X 'github.com/cityadmin/softtoken/launcher.TrustedKeys=%s'\"\n", *out, launcher.FormatPublicKey(*id, pub))
	return nil
}

func profileAddTarget(env Env, args []string) error {
	fs := flag.NewFlagSet("profile add-target", flag.ContinueOnError)
	account := fs.String("account", "", "the account whose code the target takes, as a `QUERY` (default the only one)")
	title := fs.String("title", "", "the `TITLE` shown in the window (default NAME)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("give NAME and an https URL")
	}
	t := launcher.Target{Name: pos[0], Title: *title, Type: launcher.KindWeb, Account: *account,
		Web: &launcher.Web{URL: pos[1], Code: launcher.CodeClipboard}}
	dir, err := configDir(env)
	if err != nil {
		return err
	}
	if err := launcher.AddUserTarget(dir, t); err != nil {
		return fmt.Errorf("cannot add the target: %w", err)
	}
	fmt.Fprintf(env.Stdout, "added %s: %s (the code goes by clipboard)\n", t.Name, t.Web.URL)
	return nil
}

func profileRemoveTarget(env Env, args []string) error {
	fs := flag.NewFlagSet("profile remove-target", flag.ContinueOnError)
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one NAME")
	}
	dir, err := configDir(env)
	if err != nil {
		return err
	}
	if err := launcher.RemoveUserTarget(dir, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "removed %s\n", pos[0])
	return nil
}
