// Command softtoken is a desktop soft token: it shows the rolling login
// codes of the accounts enrolled from an enrollment page's QR code.
//
// Without arguments it opens the window; with a subcommand it is the
// command line (softtoken help lists the commands). With an otpauth:// or
// otpauth-migration:// link, as the system passes it when someone clicks
// one, it opens the window to preview that link for enrollment.
//
// Only one window runs per user: a later start hands its arguments to the
// running one (internal/instance), which shows its window, and exits.
package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/cityadmin/softtoken/cli"
	"github.com/cityadmin/softtoken/internal/instance"
	"github.com/cityadmin/softtoken/internal/trace"
	"github.com/cityadmin/softtoken/token"
	"github.com/cityadmin/softtoken/ui"
)

// appID is the application's unique id, as in FyneApp.toml; Fyne keys its
// preferences folder by it.
const appID = "de.stadtverwaltung.softtoken"

// onHandoff, if set, sees the arguments every hand-over brings. It is a
// hook for the tests of this package; nil in the program.
var onHandoff func(args []string)

func main() {
	trace.Mark("main entered (runtime and package init)")
	args := os.Args[1:]
	installDefaultProfile(os.Stderr, time.Now())
	trace.Mark("built-in profile checked")
	if len(args) > 0 && !isLink(args[0]) {
		attachConsole()
		os.Exit(cli.Main(args))
	}
	os.Exit(gui(args))
}

// isLink reports whether arg is a link the window takes: the app is the
// system's handler of otpauth:// (and otpauth-migration://) links.
func isLink(arg string) bool { return token.IsLink(arg) }

// gui runs the window, or hands args to the window already running.
func gui(args []string) int {
	handed, reexeced := handedOverLinks()
	if reexeced {
		args = handed
	}
	var in *instance.Instance
	dir, err := instance.DefaultDir()
	if err == nil {
		in, err = instance.Start(dir, args)
	}
	switch {
	case errors.Is(err, instance.ErrRunning):
		return 0 // the running window has the arguments
	case err != nil:
		// Not fatal: this window just cannot take links from a later start.
		// The error never holds an argument.
		fmt.Fprintf(os.Stderr, "softtoken: running without the single-instance socket: %v\n", err)
	}
	if links := linksOf(args); len(links) > 0 && !reexeced {
		// The first window, started by a link: it starts anew without the
		// link in its command line (reexec_unix.go). The socket is given
		// up for that instant and claimed again by the new program.
		had := in != nil
		if had {
			in.Close()
		}
		err := reexecWithoutLinks(links) // returns only if it failed
		fmt.Fprintf(os.Stderr, "softtoken: the link stays in the command line: %v\n", err)
		if had {
			in, err = instance.Start(dir, args)
			if errors.Is(err, instance.ErrRunning) {
				return 0
			}
			if err != nil {
				in = nil
			}
		}
	}

	var first string
	if links := linksOf(args); len(links) > 0 {
		first = links[0]
	}
	fa := app.NewWithID(appID)
	markMigrated(fa)
	trace.Mark("gui: Fyne app made (driver, settings, preferences)")
	if trace.On() {
		fa.Lifecycle().SetOnStarted(func() { trace.Mark("gui: Fyne started (window, GL context)") })
	}
	w := ui.New(fa, ui.Options{Link: first, Version: cli.Version, Commit: cli.Commit, Date: cli.Date})
	trace.Mark("gui: window built")
	if in != nil {
		defer in.Close()
		go in.Serve(func(args []string) { receive(w, args) })
	}
	w.ShowAndRun()
	return 0
}

// linksOf returns the arguments that are links.
func linksOf(args []string) []string {
	var out []string
	for _, a := range args {
		if isLink(a) {
			out = append(out, a)
		}
	}
	return out
}

// receive takes the arguments of a later start, on any goroutine: links go
// to the window's enrollment preview (they hold the secret: never logged),
// and the window comes to the front in any case.
func receive(w *ui.App, args []string) {
	if onHandoff != nil {
		onHandoff(args)
	}
	for _, arg := range args {
		if isLink(arg) {
			w.Enroll(arg)
		}
	}
	w.Show()
}

// markMigrated tells Fyne that every call from another goroutine goes
// through fyne.Do (the ui package's rule). Without it Fyne checks the
// calling goroutine on every Refresh by formatting a stack trace
// (runtime.Stack): 13% of the process's CPU with 20 accounts ticking,
// measured with perf. `fyne package` reads the same from FyneApp.toml's
// [Migrations]; a plain go build does not, hence here.
func markMigrated(fa fyne.App) {
	m := fa.Metadata()
	mig := map[string]bool{"fyneDo": true}
	for k, v := range m.Migrations {
		if k != "fyneDo" {
			mig[k] = v
		}
	}
	m.Migrations = mig
	app.SetMetadata(m)
}
