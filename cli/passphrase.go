package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"

	"golang.org/x/term"

	"github.com/cityadmin/softtoken/store"
)

// errNoTerminal: a passphrase is needed and there is no terminal to ask.
var errNoTerminal = errors.New("a passphrase is needed, but there is no terminal to ask for it; " +
	"put it in a file (readable only by you) and give --passphrase-file FILE")

// readPassphraseFile reads a passphrase from file: its first line, without
// the line end. An empty one is refused.
func readPassphraseFile(file string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read the passphrase file: %w", err)
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	p := bytes.Clone(line)
	clear(b)
	if len(p) == 0 {
		return nil, fmt.Errorf("the passphrase file %s is empty", file)
	}
	return p, nil
}

// askPassphrase asks at the terminal, without echo. With confirm it asks
// twice and insists on store.MinPassphrase characters.
func askPassphrase(env Env, prompt string, confirm bool) ([]byte, error) {
	tty, err := openTerminal()
	if err != nil {
		return nil, errNoTerminal
	}
	defer tty.Close()
	read := func(prompt string) ([]byte, error) {
		fmt.Fprint(tty, prompt)
		p, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(tty)
		return p, err
	}
	p, err := read(prompt + ": ")
	if err != nil {
		return nil, fmt.Errorf("read the passphrase: %w", err)
	}
	if !confirm {
		return p, nil
	}
	if len([]rune(string(p))) < store.MinPassphrase {
		clear(p)
		return nil, fmt.Errorf("the passphrase is too short: use at least %d characters", store.MinPassphrase)
	}
	again, err := read("Repeat it: ")
	if err != nil {
		return nil, fmt.Errorf("read the passphrase: %w", err)
	}
	defer clear(again)
	if !bytes.Equal(p, again) {
		clear(p)
		return nil, errors.New("the two passphrases differ; nothing was changed")
	}
	return p, nil
}

// openTerminal opens the controlling terminal, even when stdin is a pipe.
func openTerminal() (*os.File, error) {
	name := "/dev/tty"
	if runtime.GOOS == "windows" {
		name = "CONIN$"
	}
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	if !term.IsTerminal(int(f.Fd())) {
		f.Close()
		return nil, errNoTerminal
	}
	return f, nil
}

// passphrase gets a passphrase from file if one is named, else from the
// terminal. With confirm (a new vault or backup) the terminal asks twice.
func passphrase(env Env, file, prompt string, confirm bool) ([]byte, error) {
	if file != "" {
		p, err := readPassphraseFile(file)
		if err == nil && confirm && len([]rune(string(p))) < store.MinPassphrase {
			clear(p)
			return nil, fmt.Errorf("the passphrase is too short: use at least %d characters", store.MinPassphrase)
		}
		return p, err
	}
	return askPassphrase(env, prompt, confirm)
}
