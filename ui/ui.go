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
//
// # Files
//
// One file per screen or feature; the tests sit beside them.
//
//	app.go          the App: building the window, showing, screens, shortcuts, quitting
//	open.go         opening the store and loading the accounts into the window
//	passphrase.go   asking for a vault's passphrase (the bridge from the opening goroutine)
//	vault.go        offering a vault file where no keychain answers
//	keyringwait.go  the "waiting for the keyring" notice
//	move.go         finishing or undoing a cut-off move between keychain and vault
//	lock.go         the locked screen and the idle lock
//	accounts.go     the main screen: search, list, status line
//	row.go          one account's row: its code, copy, HOTP, its menu
//	reorder.go      ordering the accounts: menu, Alt+Up/Down, dragging by the grip
//	ticker.go       the once-a-second code computation
//	launch.go       the launch buttons of the main screen
//	pick.go         the dialogs about launch targets
//	typecode.go     typing a code into another window
//	shortcut.go     the global shortcut
//	clipboard.go    putting codes on the clipboard and taking them off
//	wizard.go       enrollment: the wizard's steps and its ways in (scan, image, paste, link, file, drop)
//	manualform.go   enrollment: the manual form
//	preview.go      enrollment: the preview before saving
//	enrollsave.go   enrollment: saving and replacing accounts
//	firststart.go   the help row of a first start
//	settings.go     the settings screen
//	prefs.go        the stored preferences
//	language.go     choosing the language, the translations
//	theme.go        the light and dark theme
//	backup.go       the backup section of the settings and what export, import and rekey share
//	export.go       exporting a backup
//	import.go       importing a backup or another app's export
//	rekey.go        changing the vault's passphrase
//	dialogs.go      the modal dialog helper
//	explain.go      errors as sentences for a person
//	handler.go      registering softtoken as the OS handler of otpauth:// links
//	tray.go         the tray menu; trayhost*.go: whether a tray shows it
//	quiet.go        idling while nobody looks at the window (no focus, or untouched)
//	framemark.go    the start trace's mark of the first frame painted with the codes
//	capslock*.go    the Caps Lock warning under passphrase fields
//	reader*.go      the screen-reader layer (builds with -tags accessibility)
//	widgets.go      small accessible widgets: entry, button, check, choice, radio, busy
//	layout.go       the capped content width, wrapped check labels
//	widgets/        the widgets that know nothing of the window: code view, countdown bar, grip
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
