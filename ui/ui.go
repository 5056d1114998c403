// Package ui is softtoken's window, built with Fyne. It owns no state beyond
// what it shows: accounts come from a Store (store.Store), codes from the
// token package, QR codes from scan, launch targets from launcher.
//
// One goroutine owns the widgets: Fyne's event goroutine. Work that may
// block (opening the store, the keychain, Argon2 of a vault, QR decoding,
// launching) and the once-a-second code computation run on goroutines of
// their own and hand their results over with fyne.Do. No widget is touched
// anywhere else.
//
// The entry point is New, then (*App).ShowAndRun. (*App).Enroll and
// (*App).Show may be called from any goroutine, for a second instance that
// hands its otpauth:// link to the first.
package ui

import (
	"time"

	"fyne.io/fyne/v2"

	"github.com/cityadmin/softtoken/assets"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/scan"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// Store is what the window needs of the account store; *store.Store is one.
type Store interface {
	List() ([]token.Account, error)
	Get(id string) (token.Account, error)
	Add(accs ...token.Account) ([]token.Account, error)
	Remove(id string) error
	NextHOTP(id string) (token.Account, error)
	NextHOTPCode(id string) (token.Account, string, error)
	ForCode(acc token.Account) (token.Account, error)
	Move(id string, to int) error
	Rename(id, issuer, name string) error
	Dir() string
}

// OpenFunc opens the store. It is called off the event goroutine and may
// block (a keychain prompt, Argon2). ask asks the person for the vault's
// passphrase in a dialog; an OpenFunc passes it to store.OpenDefault.
type OpenFunc func(ask store.PassphraseFunc) (Store, store.Backend, error)

// Options configure the window. The zero value is the real thing: the
// store in store.DefaultDir, the clock of the system, the keys built in.
type Options struct {
	// Open opens the store; default: store.OpenDefault in Dir.
	Open OpenFunc
	// Dir is the store's folder, where the default Open looks and where
	// the window creates a vault file when no keychain answers; default
	// store.DefaultDir().
	Dir string
	// Link, if set, is an otpauth:// or otpauth-migration:// link to
	// preview for enrollment once the store is open (the link handler).
	Link string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Keys are the trusted profile keys; default launcher.BuiltinKeys().
	Keys launcher.Keys
	// Capturer takes pictures of the screens; default scan.DefaultCapturer().
	Capturer scan.Capturer
	// Links registers softtoken as the program that opens otpauth://
	// links; default: internal/urlhandler. Where it registers (Windows),
	// the window asks once on the first start and the settings show and
	// change it; where its Status says urlhandler.ErrUnsupported (Linux,
	// macOS: the package registers), neither.
	Links LinkHandler
	// RDP is the remote desktop client the launch buttons start; default
	// launcher.DefaultRDPClient().
	RDP launcher.RDPClient
	// Sleep is how a launch waits for a fresh code; default time.Sleep.
	Sleep func(time.Duration)
	// Version, Commit and Date describe the build, for the support report
	// (main passes cli.Version, cli.Commit, cli.Date).
	Version, Commit, Date string
}

// DefaultOpen opens the store in store.DefaultDir with its secrets where
// the user keeps them, asking for a vault's passphrase with ask.
func DefaultOpen(ask store.PassphraseFunc) (Store, store.Backend, error) {
	dir, err := store.DefaultDir()
	if err != nil {
		return nil, "", err
	}
	return openIn(dir, ask)
}

// openIn opens the store in dir as DefaultOpen does.
func openIn(dir string, ask store.PassphraseFunc) (Store, store.Backend, error) {
	s, b, err := store.OpenDefault(dir, ask)
	if err != nil {
		return nil, b, err // not a typed nil *store.Store in the interface
	}
	return s, b, nil
}

// ClipboardTimeout is how long a copied code stays on the clipboard by
// default; it is cleared then if the clipboard still holds it. The person
// may change it in the settings.
const ClipboardTimeout = 30 * time.Second

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("icon.png", assets.Icon)
