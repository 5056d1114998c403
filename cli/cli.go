// Package cli is softtoken's command line: the same accounts as the GUI,
// for scripts and for people at a terminal.
//
//	softtoken add URI|- [--name NAME]   enroll from an otpauth:// or otpauth-migration:// link
//	softtoken list [--json]             the enrolled accounts, never their secrets
//	softtoken code [QUERY] [--at TIME]  the current code(s)
//	softtoken remove QUERY              forget an account and its secret
//	softtoken version                   version, commit and build date
//
// Flags may stand before or after the positional argument. Exit status is 0
// on success, 1 on an error (explained on stderr), 2 on wrong usage. A
// secret is taken only inside the link; "add -" reads the link from stdin so
// that it stays out of the process list.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	explainpkg "github.com/cityadmin/softtoken/explain"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// Build information, set with -ldflags "-X github.com/cityadmin/softtoken/cli.Version=…".
var (
	Version = "dev"
	Commit  = "unknown"
	Date    = "unknown"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// Env is what a command runs against. Main fills it from the process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Now    func() time.Time
	// Store opens the user's account store; nil means openStore, which
	// finds the vault or the OS keychain.
	Store func() (*store.Store, error)
	// PassphraseFile names the file with the vault's passphrase
	// (--passphrase-file, accepted with every command); empty means ask at
	// the terminal.
	PassphraseFile string
}

// Main runs the command line with args (without the program name) against
// the process's standard streams and returns the exit status.
func Main(args []string) int {
	return Run(args, Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now})
}

// usageError is wrong usage: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

type command struct {
	name, args, help string
	run              func(env Env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"add", "URI|-|--image FILE|--screen", "enroll from an otpauth:// or otpauth-migration:// link (- reads it from stdin), an image file or the screen; --name NAME names it", cmdAdd},
		{"list", "[--json]", "list the enrolled accounts (never their secrets)", cmdList},
		{"code", "[QUERY] [--at TIME]", "print the code of QUERY, or a table of all codes; TIME is unix seconds or RFC 3339", cmdCode},
		{"type", "QUERY [--delay SECONDS] [--tabs N] [--enter]", "type the code of QUERY into the window with the focus after the delay (default 3 s), as key presses", cmdType},
		{"remove", "QUERY", "remove an account and its secret", cmdRemove},
		{"version", "", "print version, commit and build date", cmdVersion},
		{"vault", "create|finish|undo", "move the secrets into an encrypted file instead of the system keychain (create), finish a move that was cut off (finish), or move them back (undo)", cmdVault},
		{"export", "--out FILE [--backup-passphrase-file F]", "write an encrypted backup of every account", cmdExport},
		{"import", "FILE [--backup-passphrase-file F]", "add the accounts of a backup, or of an Aegis, 2FAS, andOTP or otpauth-list export", cmdImport},
		{"launch", "TARGET [--dry-run] [--no-clock-check] [--password-file FILE]", "open a portal or remote desktop of the profile with the code passed along", cmdLaunch},
		{"profile", "install|show|sign|keygen|add-target|remove-target", "the organisation's signed provisioning profile, and your own targets", cmdProfile},
		{"doctor", "[--names] [--no-clock]", "a support report: version, system, keychain, number of accounts, profile, clock (never a secret or a code)", cmdDoctor},
	}
}

// Run runs the command line with args against env and returns the exit
// status.
func Run(args []string, env Env) int {
	args, file, err := cutPassphraseFile(args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "softtoken: %v\n", err)
		return exitUsage
	}
	if file != "" {
		env.PassphraseFile = file
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		if env.Store == nil {
			// code reads one secret and ends: its keychain is not probed
			// first (store.OpenDefaultUnprobed), the lookup tells.
			probe := c.name != "code"
			env.Store = func() (*store.Store, error) { return openStore(env, probe) }
		}
		err := c.run(env, args[1:])
		if errors.Is(err, store.ErrSecretsMoved) && c.name != "vault" && !slices.Contains(args, "-") {
			// Another softtoken moved the secrets after this one opened
			// them, and nothing was changed: once more, from the new place.
			err = c.run(env, args[1:])
		}
		var ue usageError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.As(err, &ue):
			fmt.Fprintf(env.Stderr, "softtoken %s: %s\nusage: softtoken %s %s\n", c.name, ue.msg, c.name, c.args)
			return exitUsage
		}
		fmt.Fprintf(env.Stderr, "softtoken %s: %s\n", c.name, explain(err))
		return exitError
	}
	fmt.Fprintf(env.Stderr, "softtoken: unknown command %q\n", args[0])
	usage(env.Stderr)
	return exitUsage
}

// openList opens the store and reads its accounts (without secrets): what
// most commands start with.
func openList(env Env) (*store.Store, []token.Account, error) {
	s, err := env.Store()
	if err != nil {
		return nil, nil, err
	}
	accs, err := s.List()
	if err != nil {
		return nil, nil, err
	}
	return s, accs, nil
}

// openQuery opens the store and finds the one account query means
// (resolve); accs are all of them, without secrets.
func openQuery(env Env, query string) (s *store.Store, accs []token.Account, a token.Account, err error) {
	if s, accs, err = openList(env); err != nil {
		return nil, nil, a, err
	}
	a, err = resolve(accs, query)
	return s, accs, a, err
}

// cutPassphraseFile takes --passphrase-file FILE (or =FILE, one dash or
// two) out of args wherever it stands, since every command may need the
// vault.
func cutPassphraseFile(args []string) (rest []string, file string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(rest, args[i:]...), file, nil
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "passphrase-file" {
			rest = append(rest, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, "", errors.New("--passphrase-file needs a file name")
			}
			i++
			val = args[i]
		}
		file = val
	}
	return rest, file, nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: softtoken              open the window")
	fmt.Fprintln(w, "       softtoken COMMAND ...")
	fmt.Fprintln(w, "\ncommands:")
	defer fmt.Fprintln(w, "\nWith the secrets in a vault file, every command takes --passphrase-file FILE\n"+
		"(else it asks at the terminal).")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %-22s %s\n", c.name, c.args, c.help)
	}
}

// parse parses flags that may stand before, between or after positional
// arguments, as people type them, and returns the positional ones. A
// lone "-" is positional; "--" ends the flags.
func parse(fs *flag.FlagSet, args []string, env Env) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(env.Stderr)
				fs.PrintDefaults()
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// explain is what the command line prints for err: the error itself
// (what happened, with its details, in English), and below it what to do,
// from the table the window shares (package explain), in the person's
// language (explain.Language: LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
func explain(err error) string {
	var qe *queryError
	if errors.As(err, &qe) {
		return qe.Error()
	}
	msg := err.Error()
	if advice := explainpkg.Advice(err, explainpkg.Language()); advice != "" {
		msg += "\n" + advice
	}
	return msg
}

// shorten makes a name fit a table cell: control and text-direction
// characters escaped (token.Printable: a name must not act on the
// terminal, nor fake a row), and cut to n characters.
func shorten(s string, n int) string {
	s = token.Printable(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
