package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/cityadmin/softtoken/internal/trace"
	"github.com/cityadmin/softtoken/scan"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// screenTimeout bounds add --screen: long enough for a person to answer
// the desktop's "allow a screenshot?" question, short enough that a hung
// portal does not hang a script.
const screenTimeout = 2 * time.Minute

// capturer takes the screenshots of add --screen.
var capturer = scan.DefaultCapturer

func cmdAdd(env Env, args []string) error {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	name := fs.String("name", "", "the account's name, instead of the one in the link")
	imageFile := fs.String("image", "", "enroll from the QR codes in an image `file` (PNG, JPEG, GIF, BMP or WebP)")
	screen := fs.Bool("screen", false, "enroll from the QR codes shown on the screens")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	sources := len(pos)
	if *imageFile != "" {
		sources++
	}
	if *screen {
		sources++
	}
	if sources != 1 || len(pos) > 1 {
		return usagef("give one link, - to read it from stdin, --image FILE or --screen")
	}

	var accs []token.Account
	var parts []string // client parts of two-step enrollments, per account
	switch {
	case *imageFile != "":
		codes, err := scan.File(*imageFile)
		trace.Mark("image searched")
		if err == nil {
			accs, parts, err = scan.Enroll(codes, rand.Reader)
		}
		if err != nil {
			return imageError(err, *imageFile)
		}
	case *screen:
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		ctx, cancel := context.WithTimeout(ctx, screenTimeout)
		defer cancel()
		codes, err := scan.Screen(ctx, capturer())
		if err == nil {
			accs, parts, err = scan.Enroll(codes, rand.Reader)
		}
		if err != nil {
			return screenError(err)
		}
	default:
		link := pos[0]
		if link == "-" {
			// One line: a link never spans more, and a prompt-less read of all
			// stdin would wait forever on a terminal left open by mistake.
			// Read one byte past the longest link, to tell a long one from
			// one that fits.
			line, err := bufio.NewReader(io.LimitReader(env.Stdin, token.MaxLinkBytes+2)).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read the link from stdin: %w", err)
			}
			if len(strings.TrimRight(line, "\r\n")) > token.MaxLinkBytes {
				return fmt.Errorf("cannot add: %w", token.ErrLongLink)
			}
			link = strings.TrimSpace(line)
		}
		var part string
		accs, part, err = token.Enroll(link, rand.Reader)
		if err != nil {
			return fmt.Errorf("cannot add: %w", err)
		}
		parts = []string{part}
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
	trace.Mark("store opened")
	added, err := s.Add(accs...)
	trace.Mark("stored (keychain and index)")
	if errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("cannot add: %w", err)
	}
	if err != nil {
		return err
	}
	for i, a := range added {
		if i < len(parts) && parts[i] != "" {
			// privacyIDEA's two-step enrollment: the person types the
			// client part into the enrollment page (stdout only).
			fmt.Fprintf(env.Stdout, "Two-step enrollment of %s: type this into the enrollment page to finish it:\n\n    %s\n\n",
				a.Label(), parts[i])
		}
		fmt.Fprintf(env.Stdout, "added %s\n", a)
		if a.IssuerParam != "" {
			fmt.Fprintf(env.Stderr, "note: the link's label says issuer %q, its issuer parameter %q; %q was kept\n",
				a.Issuer, a.IssuerParam, a.Issuer)
		}
	}
	return nil
}

// imageError says what went wrong with the image in file; the table of
// explanations says what to do.
func imageError(err error, file string) error {
	if errors.Is(err, scan.ErrNoQR) {
		return fmt.Errorf("cannot add: %w in %s", err, file)
	}
	if errors.Is(err, scan.ErrTooLarge) || errors.Is(err, scan.ErrFormat) {
		return fmt.Errorf("cannot add %s: %w", file, err)
	}
	return fmt.Errorf("cannot add: %w", err)
}

// screenError says what went wrong with the screens.
func screenError(err error) error {
	switch {
	case errors.Is(err, scan.ErrNoQR):
		return fmt.Errorf("cannot add: %w on the screen", err)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("cannot add: the screenshot took too long: %w", err)
	}
	return fmt.Errorf("cannot add: %w", err)
}
