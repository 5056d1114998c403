package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"github.com/cityadmin/softtoken/internal/autotype"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/scan"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// explain turns an error into a sentence for a person, in their language,
// by its kind. No error of the project's packages carries a secret, and the
// fallback shows the error's own (English) text only for unknown kinds.
func explain(err error) string {
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return lang.L(k.msg)
		}
	}
	return lang.L("Something went wrong: {{.Error}}", map[string]any{"Error": err.Error()})
}

// Errors of the window itself.
var (
	errEmptyClipboard = errors.New("the clipboard holds no text")
	errNoName         = errors.New("the account has no name")
)

// kinds maps error kinds to what a person reads, most specific first.
var kinds = []struct {
	err error
	msg string
}{
	{errCancelled, "The vault file stays locked, so no code can be shown. Choose Unlock to enter its passphrase."},
	{store.ErrNeedPassphrase, "Your secrets are in an encrypted vault file, which needs its passphrase."},
	{store.ErrWrongPassphrase, "The passphrase is wrong. Please try again."},
	{store.ErrMoveUnfinished, "Moving your secrets between the keyring and the vault file was not finished. Start softtoken again to finish or undo it."},
	{store.ErrMoveNeedsKeychain, "Your accounts' secrets are in the keyring, which does not answer, so they cannot be moved. Start the keyring (log out and in again), then try again. Nothing was moved."},
	{store.ErrSecretsMoved, "Another softtoken window moved your secrets meanwhile. Nothing was changed. Close softtoken, start it again and repeat."},
	{store.ErrKeychainHoldsSecrets, "Your keyring does not answer, and the secrets of your accounts are in it. Start the keyring again (log out and in, or start your desktop's keyring), then start softtoken again."},
	{store.ErrLocked, "Your keyring is locked. Unlock it (log in to your desktop session, or open its password manager), then start softtoken again."},
	{store.ErrNoSessionBus, "No desktop session bus is running, so the keyring cannot be reached. Log in to a desktop session and start softtoken again. Only on a computer without any keyring, keep your secrets in an encrypted file instead."},
	{store.ErrNoSecretService, "No keyring service is running. Start your desktop's keyring (for example GNOME Keyring or KWallet) and start softtoken again. Only on a computer without any keyring, keep your secrets in an encrypted file instead."},
	{store.ErrKeychainTimeout, "The keyring did not answer in time. If it asked for a password, enter it; then try again."},
	{store.ErrKeychainDisconnected, "The connection to the keyring broke off. Please try again."},
	{store.ErrKeychain, "The system keychain is not available. Start it and start softtoken again. Only on a computer without any keychain, keep your secrets in an encrypted file instead."},
	{store.ErrSecretMissing, "The secret of this account is missing from the keychain. Remove the account and enroll it again."},
	{store.ErrDuplicate, "This account is already enrolled. Remove the old one first if you want to replace it."},
	{store.ErrNotFound, "This account no longer exists. It may have been removed in another window."},
	{store.ErrIndexCorrupt, "The account list is damaged and was left as it is. Restore it from a backup."},
	{store.ErrIndexVersion, "The account list was written by a newer softtoken. Install that version again."},
	{store.ErrBusy, "Another softtoken is busy with the account list. Try again in a moment."},
	{store.ErrVaultDamaged, "The vault file is damaged. Restore it from a backup."},
	{store.ErrVaultTruncated, "The vault file is incomplete. Restore it from a backup."},
	{store.ErrVaultVersion, "The vault file was written by a newer softtoken. Install that version again."},
	{store.ErrNotVault, "The vault file is not a softtoken vault. Restore it from a backup."},
	{store.ErrFileTooLarge, "The vault file would grow past 16 MiB, the most softtoken reads, so nothing was changed. Remove accounts you no longer need."},

	{scan.ErrNoQR, "No QR code was found. Make sure the whole code is visible and not covered, then try again."},
	{scan.ErrNotEnrollment, "A QR code was found, but it is not an enrollment code. Use the QR code from your enrollment page."},
	{scan.ErrTooLarge, "The picture is too large to be read safely (over 64 megapixels, 50 MB, or 256 MiB once decoded)."},
	{scan.ErrFormat, "The file is not a picture softtoken can read. Use a PNG, JPEG, GIF, BMP or WebP file."},
	{scan.ErrNoPortal, "Your desktop does not let softtoken take a screenshot. Save the QR code as a picture and choose Open image instead."},
	{scan.ErrCaptureDenied, "The screenshot was refused. Allow it when your desktop asks, or choose Open image instead."},
	{scan.ErrNoDisplay, "There is no screen softtoken could capture. Save the QR code as a picture and choose Open image instead."},

	{token.ErrNotOTPAuth, "This is not an enrollment link. It must begin with otpauth:// or otpauth-migration://."},
	{token.ErrNoSecret, "The key is missing."},
	{token.ErrSecretLength, "The key has a letter too many or too few: no key has this length. Check it against what you were given."},
	{token.ErrBadSecret, "The key contains characters that are not allowed. A key uses the letters A to Z and the digits 2 to 7."},
	{token.ErrShortSecret, "The key is too short. It must have at least 16 characters."},
	{token.ErrLongSecret, "The key is too long. A key has at most 1024 bytes (1639 characters)."},
	{token.ErrLongText, "The issuer or the account name is too long. Each may have at most 512 bytes."},
	{token.ErrText, "The issuer or the account name contains control characters or marks that change the text direction. Remove them and try again."},
	{token.ErrLongLink, "The enrollment link is too long (over 64 KiB). Use the QR code from your enrollment page."},
	{token.ErrDigits, "The number of digits must be between 6 and 10."},
	{token.ErrPeriod, "The period must be between 1 and 3600 seconds."},
	{token.ErrType, "The token type is unknown. It must be time-based (TOTP) or counter-based (HOTP)."},
	{token.ErrAlgorithm, "The algorithm is unknown. It must be SHA1, SHA256 or SHA512."},
	{token.ErrNoCounter, "A counter-based (HOTP) account needs a counter."},
	{token.ErrCounter, "The counter must be a whole number."},
	{token.ErrCounterEnd, "The counter of this account has reached its end, so no further code can be shown. Ask for a new enrollment code."},
	{token.ErrMigration, "The export link is damaged. Export the accounts again."},
	{scan.ErrBadCode, "The enrollment code is not valid. Ask for a new one."},

	{errEmptyClipboard, "The clipboard holds no enrollment link. Copy the link (otpauth://…) first. A copied picture cannot be pasted: save it and choose Open image."},
	{errNoName, "Enter the account name."},
	{errNoTargetAccount, "This target does not say which of your accounts it needs. Ask your IT service desk to fix the profile."},
	{launcher.ErrNoAccount, "No account is enrolled yet, so no code can be passed on. Add your account first."},
	{launcher.ErrClockFar, "Your computer's clock is off by more than 10 minutes, so codes would be wrong. Set the clock right (turn on automatic time) and try again."},
	{launcher.ErrLaunch, "The program that opens this target could not be started."},
	{autotype.ErrUnsupported, "The code cannot be typed on this system yet. Paste it from the clipboard instead."},
	{autotype.ErrOwnWindow, "The code is not typed into softtoken's own window. Click into the field where the code goes."},
	{autotype.ErrNoFocus, "No other window took the keyboard focus in time, so the code was not typed. Copy it from here instead."},
	{autotype.ErrNoKey, "Your keyboard layout has no key for a digit of the code, so it was not typed. Copy it from here instead."},
	{launcher.ErrNoRDPClient, "No remote desktop program is installed. Ask your IT service desk to install one."},
	{launcher.ErrExpired, "Your organisation's profile has expired. Ask your IT service desk for a new one."},
	{launcher.ErrSignature, "Your organisation's profile is not genuine (its signature does not match). Ask your IT service desk for a new one."},
	{launcher.ErrUnknownKey, "Your organisation's profile is signed by a key this softtoken does not trust. Ask your IT service desk."},
	{launcher.ErrMalformed, "Your organisation's profile is damaged. Ask your IT service desk for a new one."},
	{launcher.ErrClockCheck, "softtoken could not check your computer's clock against the server. If the code is refused, make sure the clock is set automatically, then try again."},
	{launcher.ErrRelay, "softtoken could not open a local address to hand the code to the browser. Copy the code and paste it into the login page instead."},
	{launcher.ErrCredentialInUse, "A saved Windows credential for this server, which softtoken did not write, is in the way. Remove it in the Windows Credential Manager, then try again."},
	{launcher.ErrDowngrade, "This profile is older than the one already installed and was not taken. Ask your IT service desk for the current one."},
	{store.ErrVaultChangedKeys, "The vault file was replaced by another one while softtoken was open. Start softtoken again to open it."},
	{launcher.ErrRolledBack, "Your organisation's profile was replaced by an older one, so it is not used. Ask your IT service desk for the current one."},
	{launcher.ErrState, "A settings file of softtoken is damaged and was left as it is."},
}
