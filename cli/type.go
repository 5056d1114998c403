package cli

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/cityadmin/softtoken/internal/autotype"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/token"
)

// maxTypeDelay is the longest --delay: longer, and the person has
// likely gone on to another window.
const maxTypeDelay = 5 * time.Minute

func cmdType(env Env, args []string) error {
	fs := flag.NewFlagSet("type", flag.ContinueOnError)
	delay := fs.Float64("delay", 3, "seconds to wait before typing, to put the cursor where the code goes")
	enter := fs.Bool("enter", false, "press Enter after the code")
	tabs := fs.Int("tabs", 0, "press Tab this many times before the code (0 to 20)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one QUERY")
	}
	d := time.Duration(*delay * float64(time.Second))
	if *delay < 0 || d > maxTypeDelay {
		return usagef("--delay must be 0 to %d seconds", int(maxTypeDelay/time.Second))
	}
	if *tabs < 0 || *tabs > 20 {
		return usagef("--tabs must be 0 to 20")
	}
	// The display first: where nothing can be typed, no code is used up.
	ty, err := autotype.Open()
	if err != nil {
		return adviceError{err, fmt.Sprintf("Get the code with: softtoken code %q, and paste it.", pos[0])}
	}
	defer ty.Close()
	s, accs, err := openList(env)
	if err != nil {
		return err
	}
	a, err := resolve(accs, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "typing the code of %s into the window with the focus in %s\n", a.Label(), d.Round(100*time.Millisecond))
	time.Sleep(d)
	opt := autotype.Options{Tabs: *tabs, Enter: *enter}
	if err := ty.CheckFocus(opt); err != nil {
		return focusError(err)
	}
	if a.Type == token.HOTP {
		a, err = s.NextHOTP(a.ID) // the next counter is saved before the code is typed
	} else {
		a, err = s.Get(a.ID)
	}
	if err != nil {
		return err
	}
	l := &launcher.Launcher{Now: env.Now, Handed: &launcher.Handed{Dir: s.Dir()},
		OnWait: func(d time.Duration, used bool) {
			if used {
				fmt.Fprintf(env.Stderr, "note: the current code was handed out already, and a code signs in once; waiting %s for the next one\n",
					d.Round(time.Second))
			}
		}}
	code, err := l.HandOut(a)
	if err != nil {
		return err
	}
	return focusError(ty.Type(code, opt))
}

func focusError(err error) error {
	switch {
	case errors.Is(err, autotype.ErrOwnWindow) || errors.Is(err, autotype.ErrNoFocus):
		return adviceError{err, "Put the cursor where the code goes within the delay (--delay SECONDS)."}
	case errors.Is(err, autotype.ErrKeysHeld):
		return adviceError{err, "Let go of Ctrl, Alt, Shift and the Windows or Command key before the delay ends."}
	case errors.Is(err, autotype.ErrBlocked):
		return adviceError{err, "A program run as administrator takes no typed keys: get the code with softtoken code, and paste it."}
	}
	return err
}
