package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"github.com/cityadmin/softtoken/launcher"
)

// errNoTerminalPassword: the desktop's password is wanted and there is no
// terminal to ask.
var errNoTerminalPassword = errors.New("your password for the remote desktop is needed, but there is no terminal to ask for it; " +
	"put it in a file (readable only by you) and give --password-file FILE")

// launchPassword gets the person's own password for the desktop of
// target: the first line of file if one is named, else from the
// terminal, without echo. At the terminal, Enter alone gives none: the
// remote desktop client asks then. It is never read from argv or the
// environment, and never stored.
func launchPassword(file string, target launcher.Target, account string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read the password file: %w", err)
		}
		line, _, _ := bytes.Cut(b, []byte("\n"))
		p := string(bytes.TrimSuffix(line, []byte("\r")))
		clear(b)
		if p == "" {
			return "", fmt.Errorf("the password file %s is empty", file)
		}
		return p, nil
	}
	tty, err := openTerminal()
	if err != nil {
		return "", errNoTerminalPassword
	}
	defer tty.Close()
	if target.RDP.Code == launcher.CodePasswordCode {
		fmt.Fprintf(tty, "PIN or password of %s for %s, without the code, which is added after it (Enter alone: type both in the remote desktop): ",
			target.RDP.SessionUser(account), target.RDP.Host)
	} else {
		fmt.Fprintf(tty, "Password of %s for %s (Enter alone: type it in the remote desktop): ",
			target.RDP.SessionUser(account), target.RDP.Host)
	}
	p, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	s := string(p)
	clear(p)
	return s, nil
}
