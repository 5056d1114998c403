package imports

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
)

// andOTP's encrypted backup (otp_accounts.json.aes, its default export),
// as andOTP's BackupHelper.backupToFile and EncryptedRestoreTask write and
// read it since version 0.6.3 (2019):
//
//	iterations (4 bytes, big-endian) ‖ salt (12 bytes) ‖ IV (12 bytes) ‖
//	AES-256-GCM ciphertext ‖ tag (16 bytes)
//
// with the key PBKDF2-HMAC-SHA1(password as UTF-8, salt, iterations, 32
// bytes) and the plaintext the JSON array of the plain backup. andOTP
// picks the iteration count at random: 1,000–5,000 until 2020, then
// 140,000–160,000. There is no password check: a wrong password and an
// altered file both fail the GCM tag.
//
// The older format (before 0.6.3) has no header: IV (12 bytes) ‖
// ciphertext ‖ tag, with the key SHA-256(password). Its first bytes are
// random, so the content cannot tell it: it is tried when the file's name
// says andOTP (it ends in .aes), and after the newer format fails.

// MaxAndOTPIterations is the highest PBKDF2 iteration count an andOTP
// backup may ask for: ten times the most andOTP writes (160,000), about a
// second on a slow PC. The count is the file's first four bytes, so a
// forged or foreign file could ask for two billion (minutes of work
// before the password is even checked); a higher count is refused with
// ErrUnsupported.
const MaxAndOTPIterations = 10 * 160_000

// maxAndOTPIterations is MaxAndOTPIterations, lowered by the fuzz target.
var maxAndOTPIterations = MaxAndOTPIterations

const (
	andOTPHeader = 4 + 12 + nonceSize // iterations, salt, IV
	andOTPSalt   = 12
	// andOTPMinSealed is the shortest ciphertext: "[]" and the tag.
	andOTPMinSealed = 2 + tagSize
)

// andOTPIterations reads the iteration count of a newer andOTP backup, and
// whether the file can be one: long enough, and a count from 1 to
// maxAndOTPIterations. A file asking for more is not taken for one (a
// forged count must not cost minutes); named like andOTP's backup, it is
// tried as the older format, which has no header.
func andOTPIterations(data []byte) (int, bool) {
	if len(data) < andOTPHeader+andOTPMinSealed {
		return 0, false
	}
	n := binary.BigEndian.Uint32(data)
	return int(n), n >= 1 && int64(n) <= int64(maxAndOTPIterations)
}

// looksAndOTPName reports whether a file's name is andOTP's for an
// encrypted backup: otp_accounts.json.aes, otp_accounts_DATE.json.aes.
func looksAndOTPName(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".aes")
}

// readAndOTPEncrypted decrypts an andOTP encrypted backup: as the newer
// format if tryNew (its header is plausible), then as the older one.
func readAndOTPEncrypted(data []byte, tryNew bool, password PasswordFunc) (Result, error) {
	res := Result{Format: FormatAndOTP, Encrypted: true}
	iter, _ := andOTPIterations(data)
	if password == nil {
		return res, ErrNeedPassword
	}
	pw, err := password()
	if err != nil {
		return res, fmt.Errorf("read the password: %w", err)
	}
	var plain []byte
	if tryNew {
		// crypto/pbkdf2 takes the password as a string: a copy that cannot
		// be wiped, as the entry's text it came from.
		key, err := pbkdf2.Key(sha1.New, string(pw), data[4:4+andOTPSalt], iter, keySize)
		if err != nil {
			return res, fmt.Errorf("%w: %v", ErrUnsupported, err)
		}
		plain, err = openGCM(key, data[4+andOTPSalt:andOTPHeader], data[andOTPHeader:])
		wipe(key)
	}
	if plain == nil && len(data) >= nonceSize+andOTPMinSealed {
		key := sha256.Sum256(pw)
		plain, _ = openGCM(key[:], data[:nonceSize], data[nonceSize:])
		wipe(key[:])
	}
	if plain == nil {
		return res, ErrWrongPassword
	}
	defer wipe(plain)
	r, err := readAndOTP(plain)
	r.Encrypted = true
	if err != nil {
		return res, err
	}
	return r, nil
}
