package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

func cmdAdd(env Env, args []string) error {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	name := fs.String("name", "", "the account's name, instead of the one in the link")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one link, or - to read it from stdin")
	}
	link := pos[0]
	if link == "-" {
		// One line: a link never spans more, and a prompt-less read of all
		// stdin would wait forever on a terminal left open by mistake.
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read the link from stdin: %w", err)
		}
		link = strings.TrimSpace(line)
	}
	accs, err := token.Parse(link)
	if err != nil {
		return fmt.Errorf("cannot add: %w", err)
	}
	if *name != "" {
		if len(accs) != 1 {
			return usagef("--name works only for a link with one account; this one has %d", len(accs))
		}
		accs[0].Name = strings.TrimSpace(*name)
	}
	for _, a := range accs {
		if a.Issuer == "" && a.Name == "" {
			return fmt.Errorf("cannot add: the link names no account; give it a name with --name")
		}
	}
	s, err := env.Store()
	if err != nil {
		return err
	}
	added, err := s.Add(accs...)
	if errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("cannot add: %w\nTo enroll it anew, first remove the old one: softtoken remove ID (see softtoken list)", err)
	}
	if err != nil {
		return err
	}
	for _, a := range added {
		fmt.Fprintf(env.Stdout, "added %s\n", a)
		if a.IssuerParam != "" {
			fmt.Fprintf(env.Stderr, "note: the link's label says issuer %q, its issuer parameter %q; %q was kept\n",
				a.Issuer, a.IssuerParam, a.Issuer)
		}
	}
	return nil
}
