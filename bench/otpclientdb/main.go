// Command otpclientdb writes a database of Debian's OTPClient 3.1 (the
// "v1" format: PBKDF2-SHA512 with 100000 rounds, AES-256-GCM with a 16-byte
// IV, the IV and salt as the header and authenticated data, the tag at the
// end) holding the otpauth:// TOTP links read from stdin, so that
// bench/gui.sh can start OTPClient straight to its main window:
//
//	otpclientdb PASSWORD OUT.enc < links
package main

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
)

type entry struct {
	Type   string `json:"type"`
	Label  string `json:"label"`
	Issuer string `json:"issuer"`
	Secret string `json:"secret"`
	Digits int    `json:"digits"`
	Algo   string `json:"algo"`
	Period int    `json:"period"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "otpclientdb:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) != 3 {
		return fmt.Errorf("usage: otpclientdb PASSWORD OUT.enc < links")
	}
	pw, out := os.Args[1], os.Args[2]
	var entries []entry
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		u, err := url.Parse(line)
		if err != nil {
			return err
		}
		q := u.Query()
		label := strings.TrimPrefix(u.Path, "/")
		issuer := q.Get("issuer")
		if i := strings.IndexByte(label, ':'); i >= 0 {
			if issuer == "" {
				issuer = label[:i]
			}
			label = label[i+1:]
		}
		e := entry{Type: "TOTP", Label: label, Issuer: issuer, Secret: q.Get("secret"), Digits: 6, Algo: "SHA1", Period: 30}
		if d, err := strconv.Atoi(q.Get("digits")); err == nil {
			e.Digits = d
		}
		if a := q.Get("algorithm"); a != "" {
			e.Algo = strings.ToUpper(a)
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	plain, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	plain = append(plain, 0) // OTPClient encrypts the C string with its NUL

	header := make([]byte, 16+32) // IV, then salt
	rand.Read(header)
	iv, salt := header[:16], header[16:]
	// OTPClient 3.1 passes g_utf8_strlen(password) as the length: for an
	// ASCII password, the bytes without a NUL.
	key, err := pbkdf2.Key(sha512.New, pw, salt, 100000, 32)
	if err != nil {
		return err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	gcm, err := cipher.NewGCMWithNonceSize(block, 16)
	if err != nil {
		return err
	}
	sealed := gcm.Seal(nil, iv, plain, header) // ciphertext, then the tag
	return os.WriteFile(out, append(header, sealed...), 0o600)
}
