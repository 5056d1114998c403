package imports

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/token"
)

// sealAndOTP writes plain as andOTP's encrypted backup does
// (BackupHelper.backupToFile): iterations, salt, IV, AES-256-GCM under
// PBKDF2-HMAC-SHA1.
func sealAndOTP(t testing.TB, plain []byte, password string, iterations int, rnd io.Reader) []byte {
	salt := randBytes(t, rnd, 12)
	iv := randBytes(t, rnd, 12)
	key, err := pbkdf2.Key(sha1.New, password, salt, iterations, 32)
	if err != nil {
		t.Fatal(err)
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(iterations))
	out = append(out, salt...)
	out = append(out, iv...)
	return append(out, gcmSeal(t, key, iv, plain)...)
}

// sealAndOTPOld writes plain in andOTP's format of before 2019: IV, then
// AES-256-GCM under SHA-256 of the password.
func sealAndOTPOld(t testing.TB, plain []byte, password string, rnd io.Reader) []byte {
	iv := randBytes(t, rnd, 12)
	key := sha256.Sum256([]byte(password))
	return append(iv, gcmSeal(t, key[:], iv, plain)...)
}

// The accounts of andOTP's own backups below. andotp_real_*.bin, *.aes and
// andotp_real_plain.json were written by andOTP itself (from the same six
// accounts and a Steam one), password "test"; they come from the test
// resources of Aegis's andOTP importer
// (beemdevelopment/Aegis, app/src/test/resources/com/beemdevelopment/
// aegis/importers/andotp_encrypted.bin, andotp_encrypted_old.bin,
// andotp_plain.json), the independent counterpart of sealAndOTP.
var andOTPReal = []want{
	{"Deno", "Mason", token.TOTP, token.SHA1, 6, 30, 0, "4SJHB4GSD43FZBAI7C2HLRJGPQ", "526156"},
	{"SPDX", "James", token.TOTP, token.SHA256, 7, 20, 0, "5OM4WOOGPLQEF6UGN3CPEOOLWU", "1119156"},
	{"Airbnb", "Elijah", token.TOTP, token.SHA512, 8, 50, 0, "7ELGJSGXNCCTV3O6LKJWYFV2RA", "11712489"},
	{"Issuu", "James", token.HOTP, token.SHA1, 6, 0, 1, "YOOMIXWS5GN6RTBPUFFWKTW5M4", "253717"},
	{"Air Canada", "Benjamin", token.HOTP, token.SHA256, 7, 0, 50, "KUVJJOM753IHTNDSZVCNKL7GII", "4444976"},
	{"WWE", "Mason", token.HOTP, token.SHA512, 8, 0, 10300, "5VAML3X35THCEBVRLV24CGBKOY", "24622277"},
}

func TestAndOTPRealBackups(t *testing.T) {
	steam := []skip{{7, "Boeing: Sophia", ErrUnsupported}}
	res, err := Read(readTestdata(t, "andotp_real_plain.json"), noPassword(t))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, FormatAndOTP, false, andOTPReal, steam)

	// The newer format: its header says so, whatever the file's name.
	start := time.Now()
	res, err = Read(readTestdata(t, "andotp_real_encrypted.bin"), password("test"))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, FormatAndOTP, true, andOTPReal, steam)
	t.Logf("andOTP's 145,776 iterations took %v", time.Since(start))

	// The older one has no header: its name tells it (andOTP names every
	// encrypted backup *.json.aes); without the name it is no known file.
	old := readTestdata(t, "andotp_real_encrypted_old.aes")
	res, err = ReadFile("testdata/andotp_real_encrypted_old.aes", password("test"))
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, FormatAndOTP, true, andOTPReal, nil) // it has no Steam entry
	if _, err := Read(old, noPassword(t)); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("old format without its name: %v, want ErrUnknownFormat", err)
	}
}

// TestAndOTPEncrypted seals the plain fixture as andOTP does, with known
// values, and reads it back in both formats.
func TestAndOTPEncrypted(t *testing.T) {
	plain := readTestdata(t, "andotp.json")
	fromPlain, err := Read(plain, noPassword(t))
	if err != nil {
		t.Fatal(err)
	}
	accs := []want{wantStadt, wantPortal, wantMail, wantVPN, wantDora60}
	for name, tc := range map[string]struct {
		file, data []byte
	}{
		"newer 1000": {data: sealAndOTP(t, plain, testPassword, 1000, fixedRand(7))},
		"older":      {data: sealAndOTPOld(t, plain, testPassword, fixedRand(9))},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := ReadNamed("otp_accounts_2026-12-01_10-00-00.json.aes", tc.data, password(testPassword))
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, res, FormatAndOTP, true, accs, []skip{
				{6, "Steam: gamer", ErrUnsupported},
				{7, "Stadtverwaltung: again", ErrDuplicate},
				{8, "Broken: eve", token.ErrBadSecret},
				{9, "NoType: hal", token.ErrType},
			})
			if len(res.Accounts) != len(fromPlain.Accounts) {
				t.Errorf("%d accounts, want %d as in the plain file", len(res.Accounts), len(fromPlain.Accounts))
			}
			if _, err := ReadNamed("x.aes", tc.data, password("wrong")); !errors.Is(err, ErrWrongPassword) {
				t.Errorf("wrong password: %v", err)
			}
			if res, err := ReadNamed("x.aes", tc.data, nil); !errors.Is(err, ErrNeedPassword) || res.Format != FormatAndOTP || !res.Encrypted {
				t.Errorf("no password: %+v, %v", res, err)
			}
			// One altered byte of the ciphertext: the tag fails, as for a
			// wrong password (andOTP stores no password check).
			bad := append([]byte(nil), tc.data...)
			bad[len(bad)-20] ^= 1
			if _, err := ReadNamed("x.aes", bad, password(testPassword)); !errors.Is(err, ErrWrongPassword) {
				t.Errorf("altered: %v", err)
			}
		})
	}
}

// TestAndOTPHostileHeader: a count above MaxAndOTPIterations is never
// run. Without a name the file is no known export; with andOTP's name it
// is tried as the older format (one SHA-256), which fails.
func TestAndOTPHostileHeader(t *testing.T) {
	data := sealAndOTP(t, []byte("[]"), testPassword, 1, fixedRand(10))
	for _, n := range []uint32{MaxAndOTPIterations + 1, 1<<31 - 1, 1<<32 - 1} {
		binary.BigEndian.PutUint32(data, n)
		start := time.Now()
		if _, err := Read(data, noPassword(t)); !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("%d iterations: %v, want ErrUnknownFormat", n, err)
		}
		if _, err := ReadNamed("otp_accounts.json.aes", data, password(testPassword)); !errors.Is(err, ErrWrongPassword) {
			t.Errorf("%d iterations, andOTP's name: %v, want ErrWrongPassword", n, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%d iterations took %v", n, d) // a bound for a hang, not a timing assert
		}
	}
	// The cap itself is taken (checked without running its second of work).
	binary.BigEndian.PutUint32(data, MaxAndOTPIterations)
	if n, ok := andOTPIterations(data); !ok || n != MaxAndOTPIterations {
		t.Errorf("MaxAndOTPIterations refused: %d %v", n, ok)
	}
	binary.BigEndian.PutUint32(data, 0)
	if _, err := Read(data, noPassword(t)); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("0 iterations: %v", err)
	}
	// Decrypted, but no andOTP JSON inside.
	junk := sealAndOTP(t, []byte("not json at all"), testPassword, 1, fixedRand(11))
	if _, err := Read(junk, password(testPassword)); !errors.Is(err, ErrDamaged) {
		t.Errorf("junk inside: %v, want ErrDamaged", err)
	}
	// Too short to hold even "[]".
	if _, err := Read(data[:andOTPHeader+andOTPMinSealed-1], noPassword(t)); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("short: %v", err)
	}
}

// TestKnownFormats: files people take for an export are named, and each
// error still matches ErrUnknownFormat.
func TestKnownFormats(t *testing.T) {
	bmp := make([]byte, 58)
	copy(bmp, "BM")
	bmp[2] = 58
	zip := append([]byte("PK\x03\x04"), make([]byte, 22)...)
	zip = append(zip, 21, 0, 0, 0)
	raivo := append(append([]byte{}, zip...), "raivo-otp-export.json"...)
	other := append(append([]byte{}, zip[:26]...), 8, 0, 0, 0)
	other = append(other, "otp.json"...)
	for name, tc := range map[string]struct {
		data string
		want error
	}{
		"png":                 {"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ErrImage},
		"jpeg":                {"\xff\xd8\xff\xe0\x00\x10JFIF", ErrImage},
		"gif":                 {"GIF89a\x01\x00", ErrImage},
		"webp":                {"RIFF\x10\x00\x00\x00WEBPVP8 ", ErrImage},
		"bmp":                 {string(bmp), ErrImage},
		"kdbx":                {"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5\x01\x00\x04\x00", ErrKeePass},
		"sqlite":              {"SQLite format 3\x00\x10\x00", ErrPhoneDatabase},
		"zip":                 {string(other), ErrArchive},
		"raivo":               {string(raivo), ErrRaivo},
		"stratum":             {"AUTHENTICATORPRO\x1f\x9b\x9e\x4c", ErrAuthenticatorPro},
		"stratum json":        {`{"Authenticators":[],"Categories":[]}`, ErrStratum},
		"freeotp":             {"\xac\xed\x00\x05sr\x00\x11java.util.HashMap", ErrFreeOTP},
		"freeotp+":            {`{"tokenOrder":[],"tokens":[]}`, ErrFreeOTP},
		"freeotp xml":         {"<?xml version='1.0'?>\n<map><string name=\"masterKey\">{}</string></map>", ErrFreeOTP},
		"authy":               {"<?xml version='1.0'?>\n<map><string name=\"com.authy.storage.tokens.authenticator.key\">[]</string></map>", ErrAuthy},
		"pgp":                 {"-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----\n", ErrPGP},
		"bitwarden":           {`{"encrypted":false,"folders":[],"items":[]}`, ErrBitwarden},
		"bitwarden encrypted": {`{"encrypted":true,"passwordProtected":true,"salt":"x","kdfType":0,"encKeyValidation_DO_NOT_EDIT":"x","data":"x"}`, ErrBitwarden},
		"ente":                {`{"version":1,"kdfParams":{"memLimit":1,"opsLimit":1,"salt":"x"},"encryptedData":"x","encryptionNonce":"x"}`, ErrEnte},
		"prose BM":            {"BMW of the city fleet", ErrUnknownFormat},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read([]byte(tc.data), noPassword(t))
			if !errors.Is(err, tc.want) || !errors.Is(err, ErrUnknownFormat) {
				t.Errorf("Read = %v, want %v", err, tc.want)
			}
			if tc.want == ErrUnknownFormat && err != ErrUnknownFormat {
				t.Errorf("Read = %v, want plain ErrUnknownFormat", err)
			}
		})
	}
}
