// Command barefyne is the toolkit's floor for bench/gui.sh: a Fyne window
// holding one label, nothing else. With -hidden the window is made but
// never shown, as softtoken's is when it starts minimised to the tray.
package main

import (
	"flag"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	hidden := flag.Bool("hidden", false, "make the window but do not show it")
	flag.Parse()
	a := app.NewWithID("de.stadtverwaltung.softtoken.barefyne")
	w := a.NewWindow("barefyne")
	w.SetContent(widget.NewLabel("123 456"))
	w.Resize(fyne.NewSize(480, 640))
	if *hidden {
		a.Run()
		return
	}
	w.ShowAndRun()
}
