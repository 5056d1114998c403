package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/cityadmin/softtoken/doctor"
	"github.com/cityadmin/softtoken/store"
)

// cmdDoctor prints the support report (package doctor): never a secret
// or a code, and account names only with --names. It does not open the
// store, so it asks for no passphrase and works when the store does not.
func cmdDoctor(env Env, args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	names := fs.Bool("names", false, "list the accounts' issuers and names too")
	noClock := fs.Bool("no-clock", false, "do not check the clock against the portal (no network)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("doctor takes no argument")
	}
	dir, err := store.DefaultDir()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := doctor.Collect(ctx, doctor.Options{
		Dir: dir, Now: env.Now, Names: *names, NoClock: *noClock,
		Version: Version, Commit: Commit, Date: Date,
	})
	fmt.Fprint(env.Stdout, r.String())
	return nil
}
