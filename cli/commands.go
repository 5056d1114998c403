package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/cityadmin/softtoken/internal/trace"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// listEntry is the JSON form of an account in `list --json`.
type listEntry struct {
	ID        string `json:"id"`
	Issuer    string `json:"issuer"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	Algorithm string `json:"algorithm"`
	Digits    int    `json:"digits"`
	Period    int    `json:"period"`
	Counter   uint64 `json:"counter"`
}

func cmdList(env Env, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print a JSON array")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("list takes no argument")
	}
	_, accs, err := openList(env)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]listEntry, 0, len(accs))
		for _, a := range accs {
			out = append(out, listEntry{a.ID, a.Issuer, a.Name, string(a.Type), string(a.Algorithm), a.Digits, a.Period, a.Counter})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(accs) == 0 {
		fmt.Fprintln(env.Stdout, "no accounts enrolled; add one with: softtoken add -")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ISSUER\tNAME\tTYPE\tDIGITS\tID")
	for _, a := range accs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", shorten(a.Issuer, 30), shorten(a.Name, 40), a.Type, a.Digits, a.ID)
	}
	return tw.Flush()
}

func cmdCode(env Env, args []string) error {
	fs := flag.NewFlagSet("code", flag.ContinueOnError)
	at := fs.String("at", "", "the time: unix seconds or RFC 3339 (default now)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("give at most one QUERY")
	}
	now := env.Now()
	if *at != "" {
		if now, err = parseTime(*at); err != nil {
			return usagef("%v", err)
		}
	}
	s, accs, err := openList(env)
	if err != nil {
		return err
	}
	// The codes of now are corrected where a launch found a server's
	// clock off, as the window shows them; a time given (--at) is taken
	// as it is.
	var corr launcher.Corrections
	if *at == "" {
		corr = corrections(s, accs, now)
	}
	if len(pos) == 1 {
		trace.Mark("account list read")
		a, err := resolve(accs, pos[0])
		if err != nil {
			return err
		}
		var code string
		if a.Type == token.HOTP {
			_, code, err = s.NextHOTPCode(a.ID) // the next counter is saved before the code shows
		} else if a, err = s.Get(a.ID); err == nil {
			code, err = corr.Code(a, now)
		}
		if err != nil {
			return err
		}
		trace.Mark("secret read (index read, keychain lookup)")
		noteCorrected(env, corr, a)
		fmt.Fprintln(env.Stdout, code)
		trace.Mark("code printed")
		return nil
	}
	if len(accs) == 0 {
		return errors.New("no accounts enrolled; add one with: softtoken add -")
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ISSUER\tNAME\tCODE\tLEFT")
	var failed []error
	for _, a := range accs {
		if a.Type == token.HOTP {
			// Showing an HOTP code uses it up: only on request, by name.
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", shorten(a.Issuer, 30), shorten(a.Name, 40), "-", "hotp: ask for it by name")
			continue
		}
		full, err := s.Get(a.ID)
		var code string
		if err == nil {
			code, err = corr.Code(full, now)
		}
		if err != nil {
			failed = append(failed, err)
			fmt.Fprintf(tw, "%s\t%s\t%s\t\n", shorten(a.Issuer, 30), shorten(a.Name, 40), "(unavailable)")
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%ds\n", shorten(a.Issuer, 30), shorten(a.Name, 40), token.Group(code), token.SecondsLeft(full, corr.At(full, now)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, a := range accs {
		noteCorrected(env, corr, a)
	}
	return errors.Join(failed...)
}

// corrections are the clock corrections of the codes that still hold
// (launcher.KnownCorrections over the folder's targets): what the window
// shows, `softtoken code` prints.
func corrections(s *store.Store, accs []token.Account, now time.Time) launcher.Corrections {
	keys, err := launcher.BuiltinKeys()
	if err != nil {
		return nil
	}
	ts := launcher.LoadTargets(s.Dir(), keys, now, s)
	return launcher.KnownCorrections(&launcher.ClockCheck{Dir: s.Dir()}, ts.All, accs)
}

// noteCorrected tells on stderr that a's code printed is corrected.
func noteCorrected(env Env, corr launcher.Corrections, a token.Account) {
	if off := corr.Of(a); off != 0 {
		fmt.Fprintf(env.Stderr, "note: the server of %s has a clock %+d s off this computer's; the code of %s is corrected. Set the system clock right (turn on automatic time).\n",
			a.Issuer, int(off.Round(time.Second)/time.Second), a.Label())
	}
}

// parseTime reads unix seconds or an RFC 3339 time.
func parseTime(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--at %q is neither unix seconds nor an RFC 3339 time like 2026-11-27T08:00:00Z", s)
	}
	return t, nil
}

func cmdRemove(env Env, args []string) error {
	fs := flag.NewFlagSet("remove", flag.ContinueOnError)
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one QUERY")
	}
	s, _, a, err := openQuery(env, pos[0])
	if err != nil {
		return err
	}
	if err := s.Remove(a.ID); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "removed %s\n", a.Label())
	return nil
}

func cmdVersion(env Env, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("version takes no argument")
	}
	fmt.Fprintf(env.Stdout, "softtoken %s (commit %s, built %s)\n", Version, Commit, Date)
	return nil
}
