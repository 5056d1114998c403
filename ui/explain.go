package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	explainpkg "github.com/cityadmin/softtoken/explain"
)

// explain turns an error into a sentence for a person, in their language,
// by its kind: the window's own errors here, the library's from the one
// table the command line shares (package explain). No error of the
// project's packages carries a secret, and the fallback shows the error's
// own (English) text only for unknown kinds.
func explain(err error) string {
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return lang.L(k.msg)
		}
	}
	if key, ok := explainpkg.Window(err); ok {
		return lang.L(key)
	}
	return lang.L("Something went wrong: {{.Error}}", map[string]any{"Error": err.Error()})
}

// Errors of the window itself.
var (
	errEmptyClipboard = errors.New("the clipboard holds no text")
	errNoName         = errors.New("the account has no name")
)

// kinds maps the window's own error kinds to what a person reads.
var kinds = []struct {
	err error
	msg string
}{
	{errLocked, "softtoken is locked: the key of the vault file was forgotten, and your codes are hidden. Choose Unlock and enter the passphrase to show them again."},
	{errCancelled, "The vault file stays locked, so no code can be shown. Choose Unlock to enter its passphrase."},
	{errEmptyClipboard, "The clipboard holds no enrollment link. Copy the link (otpauth://…) first. A copied picture cannot be pasted: save it and choose Open image."},
	{errNoName, "Enter the account name."},
}
