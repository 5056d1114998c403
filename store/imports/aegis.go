package imports

import (
	"encoding/hex"
	"encoding/json"
	"fmt"

	"golang.org/x/crypto/scrypt"
)

// The Aegis vault export, as its docs/vault.md describes it:
//
//	{"version": 1,
//	 "header": {"slots": [SLOT…] or null, "params": {"nonce": HEX, "tag": HEX} or null},
//	 "db": {"version": 1–3, "entries": [ENTRY…]} or "BASE64 of the encrypted db"}
//
// A password slot (type 1) holds the vault's 256-bit master key encrypted
// with AES-256-GCM ("key", "key_params" nonce and tag, all hex) under
// scrypt(password, "salt", "n", "r", "p") → 32 bytes. The db is encrypted
// with the master key, its nonce and tag in header.params. An entry is
// {"type": "totp"|"hotp"|"steam"|…, "name", "issuer",
// "info": {"secret": BASE32, "algo", "digits", "period", "counter"}}.

// Versions of the Aegis format this package reads.
const (
	aegisVersion   = 1 // of the file
	aegisDBVersion = 3 // of the content, the highest
)

// MaxScryptMemory is the most memory an Aegis password slot's scrypt
// parameters may ask for (128·N·r bytes). Aegis writes N=32768, r=8, p=1:
// 32 MiB and about 0.15 s. A slot asking for more memory than this, or for
// more than 8 times Aegis's work (N·r·p), is refused with ErrUnsupported
// rather than left to exhaust the PC or keep the person waiting.
const MaxScryptMemory = 128 << 20

// maxPasswordSlot is how many password slots are tried, each one scrypt.
const maxPasswordSlot = 4

// maxScryptWork bounds N·r·p. It is a variable so that the fuzz target can
// lower it: the fuzzer would otherwise spend its time in scrypt.
var maxScryptWork = 8 * 32768 * 8

// aegisSlotPassword is the type of a password slot; others (raw, biometric)
// can only be opened on the phone.
const aegisSlotPassword = 1

type aegisFile struct {
	Version int `json:"version"`
	Header  struct {
		Slots  []aegisSlot   `json:"slots"`
		Params *aegisGCMInfo `json:"params"`
	} `json:"header"`
	DB json.RawMessage `json:"db"`
}

type aegisGCMInfo struct {
	Nonce string `json:"nonce"`
	Tag   string `json:"tag"`
}

type aegisSlot struct {
	Type      int          `json:"type"`
	Key       string       `json:"key"`
	KeyParams aegisGCMInfo `json:"key_params"`
	N         int          `json:"n"`
	R         int          `json:"r"`
	P         int          `json:"p"`
	Salt      string       `json:"salt"`
}

type aegisDB struct {
	Version int               `json:"version"`
	Entries []json.RawMessage `json:"entries"`
}

type aegisEntry struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	Issuer string `json:"issuer"`
	Info   struct {
		Secret  string `json:"secret"`
		Algo    string `json:"algo"`
		Digits  int    `json:"digits"`
		Period  int    `json:"period"`
		Counter uint64 `json:"counter"`
	} `json:"info"`
}

// sealed is one AES-GCM ciphertext with its nonce, decoded.
type sealed struct {
	nonce, data []byte // data is ciphertext followed by the tag
}

func decodeSealed(ciphertext []byte, info aegisGCMInfo) (sealed, bool) {
	nonce, err1 := hex.DecodeString(info.Nonce)
	tag, err2 := hex.DecodeString(info.Tag)
	if err1 != nil || err2 != nil || len(nonce) != nonceSize || len(tag) != tagSize {
		return sealed{}, false
	}
	return sealed{nonce: nonce, data: append(ciphertext[:len(ciphertext):len(ciphertext)], tag...)}, true
}

// passwordSlot is a decoded password slot, ready for the password.
type passwordSlot struct {
	n, r, p int
	salt    []byte
	key     sealed
}

func readAegis(data []byte, password PasswordFunc) (Result, error) {
	res := Result{Format: FormatAegis}
	var f aegisFile
	if err := json.Unmarshal(data, &f); err != nil {
		return res, jsonError(err)
	}
	if f.Version != aegisVersion {
		return res, fmt.Errorf("%w: aegis file version %d", ErrUnsupported, f.Version)
	}
	content := []byte(f.DB)
	var encoded string
	if json.Unmarshal(f.DB, &encoded) == nil {
		res.Encrypted = true
		plain, err := aegisDecrypt(f, encoded, password)
		if err != nil {
			return res, err
		}
		defer wipe(plain)
		content = plain
	}
	var db aegisDB
	if err := json.Unmarshal(content, &db); err != nil {
		return res, jsonError(err)
	}
	if db.Version < 1 || db.Version > aegisDBVersion {
		return res, fmt.Errorf("%w: aegis content version %d", ErrUnsupported, db.Version)
	}
	c := newCollector(FormatAegis, "entry")
	c.res.Encrypted = res.Encrypted
	c.addEntries(db.Entries, func(raw json.RawMessage) (fields, error) {
		var e aegisEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			return fields{}, err
		}
		return fields{
			typ:       e.Type,
			issuer:    e.Issuer,
			name:      e.Name,
			secret:    e.Info.Secret,
			algorithm: e.Info.Algo,
			digits:    e.Info.Digits,
			period:    e.Info.Period,
			counter:   e.Info.Counter,
		}, nil
	})
	return c.res, nil
}

// aegisDecrypt checks the header of an encrypted vault, then asks for the
// password, opens a password slot with it and decrypts the content.
func aegisDecrypt(f aegisFile, encoded string, password PasswordFunc) ([]byte, error) {
	ciphertext, err := decodeBase64(encoded)
	if err != nil {
		return nil, fmt.Errorf("%w: the encrypted content is not base64", ErrDamaged)
	}
	if f.Header.Params == nil {
		return nil, fmt.Errorf("%w: the encryption parameters are missing", ErrDamaged)
	}
	content, ok := decodeSealed(ciphertext, *f.Header.Params)
	if !ok {
		return nil, fmt.Errorf("%w: the encryption parameters are malformed", ErrDamaged)
	}
	var slots []passwordSlot
	for i, s := range f.Header.Slots {
		if s.Type != aegisSlotPassword {
			continue
		}
		ps, err := decodePasswordSlot(s)
		if err != nil {
			return nil, fmt.Errorf("key slot %d: %w", i+1, err)
		}
		slots = append(slots, ps)
	}
	if len(slots) == 0 {
		return nil, fmt.Errorf("%w: this vault has no password slot and opens only on the phone", ErrUnsupported)
	}
	if len(slots) > maxPasswordSlot {
		slots = slots[:maxPasswordSlot]
	}
	if password == nil {
		return nil, ErrNeedPassword
	}
	pw, err := password()
	if err != nil {
		return nil, fmt.Errorf("read the password: %w", err)
	}
	master, err := openSlots(slots, pw)
	if err != nil {
		return nil, err
	}
	defer wipe(master)
	plain, err := openGCM(master, content.nonce, content.data)
	if err != nil {
		// The master key was authenticated: the content itself is altered.
		return nil, fmt.Errorf("%w: the encrypted content does not decrypt", ErrDamaged)
	}
	return plain, nil
}

func decodePasswordSlot(s aegisSlot) (passwordSlot, error) {
	key, err1 := hex.DecodeString(s.Key)
	salt, err2 := hex.DecodeString(s.Salt)
	if err1 != nil || err2 != nil || len(key) != keySize {
		return passwordSlot{}, fmt.Errorf("%w: the key slot is malformed", ErrDamaged)
	}
	sealedKey, ok := decodeSealed(key, s.KeyParams)
	if !ok {
		return passwordSlot{}, fmt.Errorf("%w: the key slot is malformed", ErrDamaged)
	}
	if err := checkScrypt(s.N, s.R, s.P); err != nil {
		return passwordSlot{}, err
	}
	return passwordSlot{n: s.N, r: s.R, p: s.P, salt: salt, key: sealedKey}, nil
}

// checkScrypt refuses parameters that scrypt rejects or that would cost
// more than the bounds above.
func checkScrypt(n, r, p int) error {
	switch {
	case n < 2 || n&(n-1) != 0 || r < 1 || p < 1:
		return fmt.Errorf("%w: the key derivation parameters are invalid", ErrDamaged)
	case n > MaxScryptMemory/128/r || p > maxScryptWork/n/r:
		return fmt.Errorf("%w: the key derivation asks for more memory or time than this app allows", ErrUnsupported)
	}
	return nil
}

// openSlots derives each slot's key from the password until one decrypts
// its copy of the master key.
func openSlots(slots []passwordSlot, pw []byte) ([]byte, error) {
	for _, s := range slots {
		k, err := scrypt.Key(pw, s.salt, s.n, s.r, s.p, keySize)
		if err != nil {
			return nil, fmt.Errorf("%w: the key derivation parameters are invalid", ErrDamaged)
		}
		master, err := openGCM(k, s.key.nonce, s.key.data)
		wipe(k)
		if err == nil {
			if len(master) != keySize {
				wipe(master)
				return nil, fmt.Errorf("%w: the master key has the wrong size", ErrDamaged)
			}
			return master, nil
		}
	}
	// A slot's own ciphertext altered reads the same as a wrong password:
	// GCM cannot tell the two apart.
	return nil, ErrWrongPassword
}
