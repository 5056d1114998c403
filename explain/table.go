package explain

import (
	"context"

	"github.com/cityadmin/softtoken/internal/autotype"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/scan"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/store/imports"
	"github.com/cityadmin/softtoken/token"
)

// entry is what a person reads for one kind of error: window in the
// window, cli below the error on the command line ("": window's too).
type entry struct {
	err         error
	window, cli string
}

// Sentences the command line says for several kinds.
const (
	cliKeychain = "The system keychain is unavailable. Start your keyring (log in to a desktop session, or start its service) and try again. Only on a computer that has no keychain at all, keep the secrets in an encrypted file instead: run  softtoken vault create"
	cliVaultBad = "The file was left as it is. Use a backup copy of it (softtoken export writes one)."
	cliImage    = "Save the QR code as an image and use --image FILE instead."
)

// table maps the kinds of error to what a person reads, most specific
// first: an error that wraps several kinds (ErrVaultChangedKeys is an
// ErrSecretsMoved too; ErrLocked an ErrKeychain) is explained by the
// first. Every exported Err… of token, scan, store, launcher and their
// packages has an entry (TestEveryErrorExplained).
var table = []entry{
	// store
	{store.ErrVaultClosed, "softtoken was locked meanwhile, so nothing was changed. Unlock it and try again.", ""},
	{store.ErrNoVault, "Your secrets are in the system keychain, which has no passphrase of softtoken's.", ""},
	{store.ErrNothingToExport, "No account is enrolled, so there is nothing to back up.", ""},
	{store.ErrAlreadyEnrolled, "This account is enrolled already.", ""},
	{store.ErrNameTaken, "An account of this name is enrolled with another key. Rename or remove it first.", ""},
	{store.ErrNeedPassphrase, "Your secrets are in an encrypted vault file, which needs its passphrase.",
		"Give the passphrase at the terminal, or in a file with --passphrase-file FILE."},
	{store.ErrWrongPassphrase, "The passphrase is wrong. Please try again.",
		"Nothing was changed. Try again with the right passphrase."},
	{store.ErrPassphraseEmpty, "Enter a passphrase.", ""},
	{store.ErrMoveUnfinished, "Moving your secrets between the keyring and the vault file was not finished. Start softtoken again to finish or undo it.",
		"Run  softtoken vault finish  to finish it, or  softtoken vault undo  to move the secrets back into the keychain."},
	{store.ErrMoveNeedsKeychain, "Your accounts' secrets are in the keyring, which does not answer, so they cannot be moved. Start the keyring (log out and in again), then try again. Nothing was moved.",
		"Start your keyring (log in to your desktop session, or start its service), then try again. Nothing was moved."},
	{store.ErrNoMove, "Your secrets are there already; nothing was moved.", ""},
	{store.ErrVaultChangedKeys, "The vault file was replaced by another one while softtoken was open. Start softtoken again to open it.",
		"Nothing was changed. Run the command again."},
	{store.ErrSecretsMoved, "Another softtoken window moved your secrets meanwhile. Nothing was changed. Close softtoken, start it again and repeat.",
		"Nothing was changed. Run the command again."},
	{store.ErrKeychainHoldsSecrets, "Your keyring does not answer, and the secrets of your accounts are in it. Start the keyring again (log out and in, or start your desktop's keyring), then start softtoken again.",
		"The secrets of your accounts are in the keychain. Start your keyring again (log out and in, or start its service), then try again. Do not create a vault file for this: it cannot take the secrets from a keychain that does not answer."},
	{store.ErrLocked, "Your keyring is locked. Unlock it (log in to your desktop session, or open its password manager), then start softtoken again.",
		"Unlock your keyring (log in to your desktop session, or open its password manager and unlock the \"Login\" keyring), then try again."},
	{store.ErrNoSessionBus, "No desktop session bus is running, so the keyring cannot be reached. Log in to a desktop session and start softtoken again. Only on a computer without any keyring, keep your secrets in an encrypted file instead.",
		cliKeychain},
	{store.ErrNoSecretService, "No keyring service is running. Start your desktop's keyring (for example GNOME Keyring or KWallet) and start softtoken again. Only on a computer without any keyring, keep your secrets in an encrypted file instead.",
		cliKeychain},
	{store.ErrKeychainTimeout, "The keyring did not answer in time. If it asked for a password, enter it; then try again.",
		"If the keychain asked for a password, answer it; then try again."},
	{store.ErrKeychainDisconnected, "The connection to the keyring broke off. Please try again.",
		"The keyring may have stopped. Start it again (log out and in), then try again."},
	{store.ErrKeychain, "The system keychain is not available. Start it and start softtoken again. Only on a computer without any keychain, keep your secrets in an encrypted file instead.",
		cliKeychain},
	{store.ErrSecretMissing, "The secret of this account is missing from the keychain. Remove the account and enroll it again.", ""},
	{store.ErrDuplicate, "This account is already enrolled. Remove the old one first if you want to replace it.",
		"To enroll it anew, first remove the old one: softtoken remove ID (see softtoken list)"},
	{store.ErrNotFound, "This account no longer exists. It may have been removed in another window.",
		"See the accounts with: softtoken list"},
	{store.ErrEmptyName, "Enter the account name.", "Give it a name with --name NAME."},
	{store.ErrIndexCorrupt, "The account list is damaged and was left as it is. Restore it from a backup.",
		"The file was left as it is. Restore it from a backup, or move it aside to start with an empty list."},
	{store.ErrIndexVersion, "The account list was written by a newer softtoken. Install that version again.",
		"Install the newer softtoken again; this one does not change the list."},
	{store.ErrBusy, "Another softtoken is busy with the account list. Try again in a moment.", "Wait a moment and try again."},
	{store.ErrVaultDamaged, "The vault file is damaged. Restore it from a backup.", cliVaultBad},
	{store.ErrVaultTruncated, "The vault file is incomplete. Restore it from a backup.", cliVaultBad},
	{store.ErrVaultVersion, "The vault file was written by a newer softtoken. Install that version again.",
		"Install the newer softtoken again; this one does not change the file."},
	{store.ErrNotVault, "The vault file is not a softtoken vault. Restore it from a backup.",
		"Choose a vault or backup file that softtoken wrote."},
	{store.ErrVaultKind, "The file is a vault where a backup was expected, or a backup where a vault was expected. Choose the right file.", ""},
	{store.ErrVaultExists, "A vault file exists already and was left as it is.", ""},
	{store.ErrFileTooLarge, "The vault file would grow past 16 MiB, the most softtoken reads, so nothing was changed. Remove accounts you no longer need.", ""},

	// store/imports
	{imports.ErrImage, "This file is a picture, not an export. To read the QR codes in it (such as a screenshot of Google Authenticator's transfer code), choose Add account, then Open image.", ""},
	{imports.ErrKeePass, "This file is a KeePass database. softtoken cannot read it: in KeePassXC, open the entry, choose TOTP, Show QR code, and scan that code with softtoken.", ""},
	{imports.ErrPhoneDatabase, "This file is a database, such as a phone app's own (Google or Microsoft Authenticator). softtoken cannot read it: in Google Authenticator choose Transfer accounts, Export, and scan the QR code; Microsoft Authenticator has no export, so enroll each account again.", ""},
	{imports.ErrRaivo, "This file is a Raivo OTP export, a ZIP archive with a password, which softtoken cannot read. Move each account by its QR code instead.", ""},
	{imports.ErrArchive, "This file is a ZIP archive. Unpack it first and import the export inside, or export the accounts as otpauth links instead.", ""},
	{imports.ErrPGP, "This file is encrypted with OpenPGP, which softtoken cannot read. In andOTP, make a password-protected backup instead (Backups, Backup (encrypted)).", ""},
	{imports.ErrAuthenticatorPro, "This file is an encrypted Stratum (Authenticator Pro) backup, which softtoken cannot read. In Stratum, export as a URI list instead.", ""},
	{imports.ErrStratum, "This file is a Stratum (Authenticator Pro) backup, which softtoken cannot read. In Stratum, export as a URI list instead.", ""},
	{imports.ErrBitwarden, "This file is a Bitwarden export, which softtoken cannot read. In Bitwarden, copy each item's authenticator key (otpauth link) and paste it into softtoken.", ""},
	{imports.ErrEnte, "This file is an encrypted Ente Auth export, which softtoken cannot read. In Ente Auth, export as plain text instead, import it, then delete that file.", ""},
	{imports.ErrFreeOTP, "This file is a FreeOTP backup, which softtoken cannot read. In FreeOTP+, export as a URI list (otpauth links) instead, or scan each account's QR code.", ""},
	{imports.ErrAuthy, "This file holds Authy's own data. Authy has no export: enroll each account again with a new QR code from its website.", ""},
	{imports.ErrUnknownFormat, "The file is not an export softtoken can read: a softtoken backup, or an export of Aegis, 2FAS, andOTP or a list of otpauth links.", ""},
	{imports.ErrTooLarge, "The file is too large to be an export of an authenticator app.", ""},
	{imports.ErrNeedPassword, "The export is encrypted and needs the password it was exported with.", ""},
	{imports.ErrWrongPassword, "The password does not open this export. Please try again.", ""},
	{imports.ErrDamaged, "The export is damaged or incomplete. Export the accounts again.", ""},
	{imports.ErrUnsupported, "The export holds something softtoken cannot take over. Nothing was imported.", ""},
	{imports.ErrDuplicate, "The export holds the same account twice; it is imported once.", ""},

	// scan
	{scan.ErrNoQR, "No QR code was found. Make sure the whole code is visible and not covered, then try again.",
		"Show or open a picture of the whole code, sharp, uncovered and not cut off, and try again; or save the code as an image and use --image FILE."},
	{scan.ErrNotEnrollment, "A QR code was found, but it is not an enrollment code. Use the QR code from your enrollment page.",
		"Use the QR code of your enrollment page; it holds a link that starts with otpauth://."},
	{scan.ErrTooLarge, "The picture is too large to be read safely (over 64 megapixels, 50 MB, or 256 MiB once decoded).",
		"Save the QR code as a PNG or JPEG screenshot and open that."},
	{scan.ErrFormat, "The file is not a picture softtoken can read. Use a PNG, JPEG, GIF, BMP or WebP file.",
		"Save the QR code as a PNG or JPEG screenshot and open that."},
	{scan.ErrNoPortal, "Your desktop does not let softtoken take a screenshot. Save the QR code as a picture and choose Open image instead.",
		"Save the QR code as an image and use --image FILE instead; or install xdg-desktop-portal with the portal of your desktop (xdg-desktop-portal-gnome, -kde or -wlr), log in again and try once more."},
	{scan.ErrCaptureDenied, "The screenshot was refused. Allow it when your desktop asks, or choose Open image instead.",
		"Allow the screenshot when your desktop asks, or save the QR code as an image and use --image FILE instead."},
	{scan.ErrNoDisplay, "There is no screen softtoken could capture. Save the QR code as a picture and choose Open image instead.", cliImage},
	{scan.ErrBadCode, "The enrollment code is not valid. Ask for a new one.", "Nothing was added. Ask for a new enrollment code."},

	// token
	{token.ErrNotOTPAuth, "This is not an enrollment link. It must begin with otpauth:// or otpauth-migration://.", ""},
	{token.ErrNoSecret, "The key is missing.", ""},
	{token.ErrSecretLength, "The key has a letter too many or too few: no key has this length. Check it against what you were given.", ""},
	{token.ErrBadSecret, "The key contains characters that are not allowed. A key uses the letters A to Z and the digits 2 to 7.", ""},
	{token.ErrShortSecret, "The key is too short. It must have at least 16 characters.", ""},
	{token.ErrLongSecret, "The key is too long. A key has at most 1024 bytes (1639 characters).", ""},
	{token.ErrLongText, "The issuer or the account name is too long. Each may have at most 512 bytes.", ""},
	{token.ErrText, "The issuer or the account name contains control characters or marks that change the text direction. Remove them and try again.", ""},
	{token.ErrLongLink, "The enrollment link is too long (over 64 KiB). Use the QR code from your enrollment page.", ""},
	{token.ErrDigits, "The number of digits must be between 6 and 10.", ""},
	{token.ErrPeriod, "The period must be between 1 and 3600 seconds.", ""},
	{token.ErrType, "The token type is unknown. It must be time-based (TOTP) or counter-based (HOTP).", ""},
	{token.ErrAlgorithm, "The algorithm is unknown. It must be SHA1, SHA256 or SHA512.", ""},
	{token.ErrNoCounter, "A counter-based (HOTP) account needs a counter.", ""},
	{token.ErrCounter, "The counter must be a whole number.", ""},
	{token.ErrCounterEnd, "The counter of this account has reached its end, so no further code can be shown. Ask for a new enrollment code.", ""},
	{token.ErrMigration, "The export link is damaged. Export the accounts again.", ""},
	{token.ErrTwoStep, "The two-step enrollment code is not valid. Ask for a new one.", ""},
	{token.ErrBeforeEpoch, "The computer's clock stands before 1970. Set the clock right (turn on automatic time).", ""},
	{token.ErrSecretMarshal, "softtoken refused to write a secret where it does not belong. Please tell your IT service desk.", ""},

	// launcher
	{launcher.ErrNoAccounts, "No account is enrolled yet.", "Enroll one first: softtoken add -"},
	{launcher.ErrChooseAccount, "This target does not say which of your accounts it needs. Choose the account, and softtoken remembers it.",
		"Choose one with --account QUERY (it is remembered for the target)."},
	{launcher.ErrTargetAccount, "This target does not say which of your accounts it needs. Ask your IT service desk to fix the profile.",
		"The profile must say which account the target takes its code from; ask your IT. See the accounts with: softtoken list"},
	{launcher.ErrClockFar, "Your computer's clock is off by more than 10 minutes, so codes would be wrong. Set the clock right (turn on automatic time) and try again.",
		"Set the system clock right (turn on automatic time) and try again."},
	{launcher.ErrClockCheck, "softtoken could not check your computer's clock against the server. If the code is refused, make sure the clock is set automatically, then try again.", ""},
	{launcher.ErrLaunch, "The program that opens this target could not be started.", ""},
	{launcher.ErrCodeInUse, "Other launches took every fresh code meanwhile. Please try again.", ""},
	{launcher.ErrNoRDPClient, "No remote desktop program is installed. Ask your IT service desk to install one.", ""},
	{launcher.ErrConnect, "The connection to the remote desktop failed. Check that your computer is on the network (and the VPN, if you need one), then try again.",
		"Check that your computer is on the network (and the VPN, if you need one), then launch again. If it keeps failing, tell your IT what it said."},
	{launcher.ErrRelay, "softtoken could not open a local address to hand the code to the browser. Copy the code and paste it into the login page instead.", ""},
	{launcher.ErrCredentialInUse, "A saved Windows credential for this server, which softtoken did not write, is in the way. Remove it in the Windows Credential Manager, then try again.",
		"Remove it in Credential Manager (Windows Credentials), then launch again."},
	{launcher.ErrExpired, "Your organisation's profile has expired. Ask your IT service desk for a new one.",
		"Ask your IT for a current profile. If it should still be valid, check that your computer's date is right."},
	{launcher.ErrSignature, "Your organisation's profile is not genuine (its signature does not match). Ask your IT service desk for a new one.",
		"The file was changed after it was signed, or damaged on the way. Nothing was changed; ask your IT for the profile again."},
	{launcher.ErrUnknownKey, "Your organisation's profile is signed by a key this softtoken does not trust. Ask your IT service desk.",
		"This softtoken does not trust the key the profile was signed with. Nothing was changed; ask your IT for the right profile or softtoken."},
	{launcher.ErrMalformed, "Your organisation's profile is damaged. Ask your IT service desk for a new one.",
		"The file was changed after it was signed, or damaged on the way. Nothing was changed; ask your IT for the profile again."},
	{launcher.ErrDowngrade, "This profile is older than the one already installed and was not taken. Ask your IT service desk for the current one.",
		"Nothing was changed; the newer profile stays installed."},
	{launcher.ErrRolledBack, "Your organisation's profile was replaced by an older one, so it is not used. Ask your IT service desk for the current one.",
		"An older copy of the profile file was put in place (a restored backup of the folder, say). Install the current profile from your IT again: softtoken profile install FILE"},
	{launcher.ErrFormat, "Your organisation's profile needs a newer softtoken. Ask your IT service desk for it.",
		"Nothing was changed; install the newer softtoken first."},
	{launcher.ErrNotHTTPS, "Only https addresses are allowed, so that the code travels encrypted. Nothing was changed.", ""},
	{launcher.ErrInvalid, "The profile or the target is not valid. Ask your IT service desk for a corrected one.", ""},
	{launcher.ErrNoProfile, "No profile of your organisation is installed.",
		"Install the profile your IT gave you with: softtoken profile install FILE"},
	{launcher.ErrState, "A settings file of softtoken is damaged and was left as it is.",
		"The file was left as it is. Move it aside to start afresh."},
	{launcher.ErrTargetExists, "A target of that name exists already. Choose another name.", ""},
	{launcher.ErrNoTarget, "There is no target of that name.", "List the targets with: softtoken profile show"},
	{launcher.ErrKeyFile, "The file is not a softtoken signing key.", "Give the private key file that softtoken profile keygen wrote."},

	// typing the code (internal/autotype, behind launcher's mode "type")
	{autotype.ErrNoPortal, "This Wayland desktop lets no program type into another program's window, so the code was not typed. It is on the clipboard instead: paste it where it goes.",
		"This Wayland desktop lets no program type into another program's window. Print the code with  softtoken code  and paste it instead."},
	{autotype.ErrUnsupported, "The code cannot be typed on this system yet. Paste it from the clipboard instead.", ""},
	{autotype.ErrKeysHeld, "Keys were held down, so the code was not typed. Release the shortcut's keys and press it again.",
		"Let go of Ctrl, Alt, Shift and the Windows or Command key before the delay ends."},
	{autotype.ErrBlocked, "Windows did not let the code through to that window: a program run as administrator takes no typed keys from softtoken. Copy the code and paste it there instead.",
		"A program run as administrator takes no typed keys: get the code with softtoken code, and paste it."},
	{autotype.ErrNoPermission, "softtoken may not type on this Mac yet. Allow it in System Settings, Privacy & Security, Accessibility (switch softtoken on), then try again. Until then, copy the code.", ""},
	{autotype.ErrHotkeyTaken, "Another program uses this shortcut already. Choose another one in the settings.", ""},
	{autotype.ErrHotkeyUnsupported, "Global shortcuts are not available on this system.", ""},
	{autotype.ErrHotkeyInvalid, "This is not a shortcut softtoken can use. Choose another one in the settings.", ""},
	{autotype.ErrOwnWindow, "The code is not typed into softtoken's own window. Click into the field where the code goes.",
		"Put the cursor where the code goes within the delay (--delay SECONDS)."},
	{autotype.ErrNoFocus, "No other window took the keyboard focus in time, so the code was not typed. Copy it from here instead.",
		"Put the cursor where the code goes within the delay (--delay SECONDS)."},
	{autotype.ErrNoKey, "Your keyboard layout has no key for a digit of the code, so it was not typed. Copy it from here instead.", ""},
	{autotype.ErrNotDigits, "Only codes of digits can be typed. Copy it from here instead.", ""},

	// of the standard library, where softtoken gives up waiting
	{context.DeadlineExceeded, "It took too long. Please try again.", ""},
}
