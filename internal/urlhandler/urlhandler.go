// Package urlhandler makes softtoken the handler of otpauth:// and
// otpauth-migration:// links for the current user, where the program
// itself must do that: on Windows, in HKEY_CURRENT_USER\Software\Classes,
// which needs no administrator and touches no other user. On Linux the
// menu entry of the package declares the schemes (packaging/linux), on
// macOS the app's Info.plist; there Supported is false and Register does
// nothing.
//
// The window asks the person before it registers (on the first start of
// a program that is not the handler yet) and offers to remove it again;
// Unregister removes only a registration that runs softtoken, never
// another program's.
package urlhandler

import (
	"errors"

	"github.com/cityadmin/softtoken/token"
)

// Schemes are the URL schemes softtoken handles: token.Schemes.
var Schemes = token.Schemes

// ErrUnsupported: this system registers handlers through the package, not
// the program.
var ErrUnsupported = errors.New("links are registered by the package on this system")

// State is how a scheme is registered.
type State int

// The states of a scheme.
const (
	NotRegistered  State = iota // no handler, or ErrUnsupported
	ThisProgram                 // this program (the path given) handles it
	OtherSoftToken              // softtoken at another path (an older install)
	OtherProgram                // another program handles it
)
