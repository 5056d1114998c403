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
	"time"

	"github.com/cityadmin/softtoken/store"
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
	// Store opens the user's account store.
	Store func() (*store.Store, error)
}

// DefaultStore opens the store in store.DefaultDir with the OS keychain.
func DefaultStore() (*store.Store, error) {
	dir, err := store.DefaultDir()
	if err != nil {
		return nil, err
	}
	return store.Open(dir, store.OSKeyring{})
}

// Main runs the command line with args (without the program name) against
// the process's standard streams and returns the exit status.
func Main(args []string) int {
	return Run(args, Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now, Store: DefaultStore})
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
		{"add", "URI|- [--name NAME]", "enroll the accounts of an otpauth:// or otpauth-migration:// link (- reads it from stdin)", cmdAdd},
		{"list", "[--json]", "list the enrolled accounts (never their secrets)", cmdList},
		{"code", "[QUERY] [--at TIME]", "print the code of QUERY, or a table of all codes; TIME is unix seconds or RFC 3339", cmdCode},
		{"remove", "QUERY", "remove an account and its secret", cmdRemove},
		{"version", "", "print version, commit and build date", cmdVersion},
		{"launch", "TARGET [--dry-run]", "open a portal or remote desktop of the profile with the code passed along", cmdLaunch},
		{"profile", "install|show|sign|keygen|add-target|remove-target", "the organisation's signed provisioning profile, and your own targets", cmdProfile},
	}
}

// Run runs the command line with args against env and returns the exit
// status.
func Run(args []string, env Env) int {
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
		err := c.run(env, args[1:])
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

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: softtoken              open the window")
	fmt.Fprintln(w, "       softtoken COMMAND ...")
	fmt.Fprintln(w, "\ncommands:")
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

// explain turns an error into a sentence for a person: what happened and
// what to do.
func explain(err error) string {
	var qe *queryError
	switch {
	case errors.As(err, &qe):
		return qe.Error()
	case errors.Is(err, store.ErrKeychain):
		return err.Error() + "\nsofttoken keeps secrets in the system keychain. Log in to your desktop session " +
			"(its keyring must be unlocked) and try again."
	case errors.Is(err, store.ErrSecretMissing):
		return err.Error() + "\nThe keychain no longer holds this secret. Remove the account and enroll it again."
	case errors.Is(err, store.ErrIndexCorrupt):
		return err.Error() + "\nThe file was left as it is. Restore it from a backup, or move it aside to start with an empty list."
	case errors.Is(err, store.ErrIndexVersion):
		return err.Error() + "\nInstall the newer softtoken again; this one does not change the list."
	case errors.Is(err, store.ErrBusy):
		return err.Error() + "\nWait a moment and try again."
	}
	return err.Error()
}

// shorten limits a line for a table cell.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
