package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

func cmdLaunch(env Env, args []string) error {
	fs := flag.NewFlagSet("launch", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "print what would run, with the code masked, and run nothing")
	noClock := fs.Bool("no-clock-check", false, "do not compare the clock with the server's")
	passwordFile := fs.String("password-file", "", "read your own password for the remote desktop from this file (else it is asked at the terminal where the target wants it)")
	account := fs.String("account", "", "for a target that names no account while several are enrolled: the account (a query, as for code) whose code it gets, remembered for the target as the window's choice is")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one TARGET (softtoken profile show lists them)")
	}
	return launch(env, pos[0], *dry, *noClock, *passwordFile, *account)
}

func launch(env Env, name string, dry, noClock bool, passwordFile, account string) error {
	keys, err := launcher.BuiltinKeys()
	if err != nil {
		return err
	}
	s, err := env.Store()
	if err != nil {
		return err
	}
	dir := s.Dir()
	launcher.CleanLaunchFiles() // leftovers of an earlier run; none hold a secret
	target, err := launcher.FindTarget(dir, name, keys, env.Now(), s)
	if err != nil {
		return err
	}
	chosen := ""
	if account != "" {
		if chosen, err = chooseAccount(s, target, account, dry); err != nil {
			return err
		}
	}
	// Resolved without taking a code first, so that an HOTP counter is
	// not used up while the password is asked for.
	acc, err := targetAccount(s, target, true, chosen)
	if err != nil {
		return err
	}
	l := &launcher.Launcher{Opener: launcher.SystemOpener{}, Now: env.Now, Handed: &launcher.Handed{Dir: dir},
		OnWait: func(d time.Duration, used bool) {
			if used {
				fmt.Fprintf(env.Stderr, "note: the current code was handed out already, and a code signs in once; waiting %s for the next one\n",
					d.Round(time.Second))
			}
		}}
	if !noClock {
		l.Clock = &launcher.ClockCheck{Dir: dir}
	}
	if target.Type == launcher.KindRDP {
		client, err := launcher.DefaultRDPClient()
		if err != nil {
			return err
		}
		if f, ok := client.(*launcher.FreeRDP); ok {
			f.Output = env.Stderr
		}
		l.RDP = client
	}
	var password string
	switch {
	case dry: // a dry run asks for nothing
	case l.NeedsPassword(target):
		if password, err = launchPassword(passwordFile, target, acc.Name); err != nil {
			return err
		}
	case passwordFile != "":
		fmt.Fprintf(env.Stderr, "note: %s takes no password here; --password-file is not read\n", target.Name)
	}
	if !dry {
		if acc, err = targetAccount(s, target, false, chosen); err != nil {
			return err
		}
	}
	res, err := l.Launch(context.Background(), launcher.Request{Target: target, Account: acc, Password: password, DryRun: dry})
	if err != nil {
		return err
	}
	if dry {
		fmt.Fprintf(env.Stdout, "would run: %s\n", res.Action)
		fmt.Fprintf(env.Stdout, "with the code of %s\n", acc.Label())
		return nil
	}
	if res.ClockErr != nil {
		fmt.Fprintf(env.Stderr, "note: %v; the code is not corrected\n", res.ClockErr)
	}
	if res.Clock.Apply != 0 {
		fmt.Fprintf(env.Stderr, "warning: your computer's clock is %s %s the server's; the code was corrected. Set the system clock right (turn on automatic time).\n",
			res.Clock.Apply.Abs().Round(time.Second), map[bool]string{true: "behind", false: "ahead of"}[res.Clock.Apply > 0])
	}
	fmt.Fprintln(env.Stdout, res.Action)
	if res.TypeErr != nil {
		fmt.Fprintf(env.Stderr, "note: the code cannot be typed here: %v\n", res.TypeErr)
	}
	if res.CodeNotPassed {
		fmt.Fprintf(env.Stdout, "this target takes the code by hand; get it with: softtoken code %q\n", acc.ID)
	}
	if res.Typed != nil {
		// The typing runs in this process: stay until it is done.
		fmt.Fprintf(env.Stderr, "the code is typed into the next window that takes the focus (within %s)\n", launcher.DefaultTypeWithin)
		if err := <-res.Typed; err != nil {
			err = fmt.Errorf("the code was not typed: %w; get it with: softtoken code %q", err, acc.ID)
			if res.Process == nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "note: %v\n", err)
		} else {
			fmt.Fprintln(env.Stderr, "the code was typed")
		}
	}
	if res.Relay != nil {
		// The browser fetches the URL with the code from this process's
		// one-time local address: stay until it has, or the relay gave up.
		<-res.Relay.Done()
		refused := ""
		if n := res.Relay.Refused(); n > 0 {
			refused = fmt.Sprintf("; %d connection(s) of another user's program tried to take the code and were refused", n)
		}
		if !res.Relay.Used() {
			return fmt.Errorf("the browser did not open the portal within %s%s; launch again", launcher.RelayTimeout, refused)
		}
		if refused != "" {
			fmt.Fprintf(env.Stderr, "warning: the browser got the code%s\n", refused)
		}
	}
	if res.Process != nil {
		// The client runs as long as the session; the command line waits
		// for it, as for xfreerdp itself. A *ClientError says how it
		// ended and its last line.
		if err := res.Process.Wait(); err != nil {
			if errors.Is(err, launcher.ErrConnect) {
				return err
			}
			return fmt.Errorf("the remote desktop client failed: %w", err)
		}
	}
	return nil
}

// targetAccount is the account whose code goes to target: the one its
// Account query names, the only one enrolled, or the one chosen for it
// (in the window, or with --account: chosen). For a launch (not a dry
// run) it comes with its secret, and an HOTP counter is saved as used.
func targetAccount(s *store.Store, target launcher.Target, dry bool, chosen string) (token.Account, error) {
	accs, err := s.List()
	if err != nil {
		return token.Account{}, err
	}
	if target.Account == "" && chosen == "" {
		c, err := launcher.TargetState{Dir: s.Dir()}.Get(target.Name)
		if err != nil {
			return token.Account{}, err
		}
		chosen = c.Account
	}
	a, err := launcher.ChosenAccount(accs, target, chosen)
	if errors.Is(err, launcher.ErrChooseAccount) {
		return token.Account{}, fmt.Errorf("target %q names no account and %d are enrolled; choose one with --account QUERY (remembered), or at its first launch in the window", target.Name, len(accs))
	}
	if err != nil || dry {
		return a, err
	}
	return s.ForCode(a)
}

// chooseAccount returns the id of query's account for target, which
// names none, and remembers it for the target (not in a dry run), as the
// window's choice is.
func chooseAccount(s *store.Store, target launcher.Target, query string, dry bool) (string, error) {
	if target.Account != "" {
		return "", usagef("target %q names its account itself (%s); --account is for targets that name none", target.Name, target.Account)
	}
	accs, err := s.List()
	if err != nil {
		return "", err
	}
	a, err := resolve(accs, query)
	if err != nil {
		return "", err
	}
	if dry {
		return a.ID, nil
	}
	return a.ID, launcher.TargetState{Dir: s.Dir()}.Update(target.Name, func(c *launcher.TargetChoice) { c.Account = a.ID })
}
