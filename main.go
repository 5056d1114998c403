// Command softtoken is a desktop soft token: it shows the rolling login
// codes of the accounts enrolled from an enrollment page's QR code.
//
// Without arguments it opens the window; with a subcommand it is the
// command line (softtoken help lists the commands).
package main

import (
	"os"

	"fyne.io/fyne/v2/app"

	"github.com/cityadmin/softtoken/cli"
	"github.com/cityadmin/softtoken/ui"
)

// appID is the application's unique id, as in FyneApp.toml; Fyne keys its
// preferences folder by it.
const appID = "de.stadtverwaltung.softtoken"

func main() {
	if len(os.Args) > 1 {
		os.Exit(cli.Main(os.Args[1:]))
	}
	st, err := cli.DefaultStore()
	ui.Run(app.NewWithID(appID), st, err)
}
