// Package ui is softtoken's window, built with Fyne. It owns no state beyond
// what it shows: accounts come from a Source (the store), codes from the
// token package.
//
// One goroutine owns the widgets: Fyne's event goroutine. Work that may
// block (the keychain) and the once-a-second code computation run on
// goroutines of their own and hand their results over with fyne.Do.
package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/cityadmin/softtoken/assets"
	"github.com/cityadmin/softtoken/token"
)

// Source is where the window reads accounts; *store.Store is one.
type Source interface {
	List() ([]token.Account, error)
	Get(id string) (token.Account, error)
	NextHOTP(id string) (token.Account, error)
}

// ClipboardTimeout is how long a copied code stays on the clipboard; it is
// cleared then if the clipboard still holds it.
const ClipboardTimeout = 30 * time.Second

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("icon.png", assets.Icon)

var loadTranslations = sync.OnceValue(func() error {
	return lang.AddTranslationsFS(assets.Translations, "translations")
})

// Run opens the main window on app and blocks until the app quits.
func Run(app fyne.App, src Source, openErr error) {
	if err := loadTranslations(); err != nil {
		fyne.LogError("load translations", err)
	}
	app.SetIcon(Icon)
	w := NewWindow(app, src, openErr, time.Now)
	w.Start()
	w.win.ShowAndRun()
}
