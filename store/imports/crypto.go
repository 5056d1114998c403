package imports

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"strings"
)

// Sizes of AES-256-GCM as both Aegis and 2FAS use it.
const (
	keySize   = 32
	nonceSize = 12
	tagSize   = 16
)

// errOpen is an AES-GCM authentication failure: the key is wrong, or the
// ciphertext, nonce or tag was altered. The caller knows which is likelier.
var errOpen = errors.New("decryption failed")

// openGCM decrypts sealed (ciphertext followed by its tag) with AES-256-GCM
// and no associated data.
func openGCM(key, nonce, sealed []byte) ([]byte, error) {
	if len(key) != keySize || len(nonce) != nonceSize || len(sealed) < tagSize {
		return nil, errOpen
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, errOpen
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, errOpen
	}
	plain, err := aead.Open(nil, nonce, sealed, nil)
	if err != nil {
		return nil, errOpen
	}
	return plain, nil
}

// decodeBase64 reads standard base64, padded or not, as both apps write it.
func decodeBase64(s string) ([]byte, error) {
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(s), "="))
}

// wipe overwrites key material that is no longer needed. It is a best
// effort: the garbage collector may have copied the bytes before.
func wipe(b []byte) { clear(b) }
