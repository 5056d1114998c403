// Command barefyne is the toolkit's floor for bench/gui.sh: a Fyne window
// holding one label, nothing else. With -hidden the window is made but
// never shown and a tray menu (Show, Quit) is set, as softtoken's is when
// it starts minimised to the tray: Fyne keeps a hidden 10x10 OpenGL
// window ("SystrayMonitor") for its event loop whenever a tray is set, so
// a tray-less floor would leave out what the toolkit costs for the tray.
package main

import (
	"flag"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
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
		if d, ok := a.(desktop.App); ok {
			d.SetSystemTrayMenu(fyne.NewMenu("barefyne", fyne.NewMenuItem("Show", w.Show)))
		}
		a.Run()
		return
	}
	w.ShowAndRun()
}
