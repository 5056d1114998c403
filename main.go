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
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/cityadmin/softtoken/cli"
	"github.com/cityadmin/softtoken/internal/instance"
	"github.com/cityadmin/softtoken/ui"
)

// appID is the application's unique id, as in FyneApp.toml; Fyne keys its
// preferences folder by it.
const appID = "de.stadtverwaltung.softtoken"

// onHandoff, if set, sees the arguments every hand-over brings. It is a
// hook for the tests of this package; nil in the program.
var onHandoff func(args []string)

func main() {
	args := os.Args[1:]
	installDefaultProfile(os.Stderr, time.Now())
	if len(args) > 0 && !isLink(args[0]) {
		attachConsole()
		os.Exit(cli.Main(args))
	}
	os.Exit(gui(args))
}

// isLink reports whether arg is a link the window takes: the app is the
// system's handler of otpauth:// (and otpauth-migration://) links.
func isLink(arg string) bool {
	a := strings.ToLower(arg)
	return strings.HasPrefix(a, "otpauth://") || strings.HasPrefix(a, "otpauth-migration://")
}

// gui runs the window, or hands args to the window already running.
func gui(args []string) int {
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

	a := app.NewWithID(appID)
	h := &handoff{app: a}
	if in != nil {
		defer in.Close()
		go in.Serve(h.receive)
	}
	for _, arg := range args {
		if isLink(arg) {
			h.enroll(arg)
		}
	}
	st, err := cli.DefaultStore()
	ui.Run(a, st, err)
	return 0
}

// handoff brings what a later start hands over (and the link this one was
// started with) to the window. Its methods may be called from any
// goroutine.
//
// TODO(ui): the adapter between the single instance and the window. Once
// ui has its new entry point, wire it here:
//
//	w := ui.New(a, ui.Options{Link: first link of args})
//	enroll: w.Enroll(link)   show: w.Show()
//	w.ShowAndRun()
//
// Until then links are only queued in memory (never logged or written:
// they hold the secret) and show raises the window.
type handoff struct {
	app fyne.App

	mu    sync.Mutex
	links []string
}

// receive takes the arguments of a later start: links are enrolled, and
// the window comes to the front in any case.
func (h *handoff) receive(args []string) {
	if onHandoff != nil {
		onHandoff(args)
	}
	for _, arg := range args {
		if isLink(arg) {
			h.enroll(arg)
		}
	}
	h.show()
}

// enroll hands link to the window for a preview. TODO(ui): (*ui.App).Enroll.
func (h *handoff) enroll(link string) {
	h.mu.Lock()
	h.links = append(h.links, link)
	h.mu.Unlock()
}

// show raises the window. TODO(ui): (*ui.App).Show.
func (h *handoff) show() {
	fyne.Do(func() {
		for _, w := range h.app.Driver().AllWindows() {
			w.Show()
			w.RequestFocus()
		}
	})
}
