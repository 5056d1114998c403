package imports

// This file builds the encrypted testdata from the plain fixtures, the way
// Aegis and 2FAS encrypt their exports, with code of its own: it uses the
// ciphers directly, not this package's decoding. The randomness is a fixed
// ChaCha8 stream, so the output is the same on every run:
// TestEncryptedTestdata checks that the committed files are exactly what it
// builds, and
//
//	go test -run TestEncryptedTestdata -update ./store/imports/
//
// rewrites them after a fixture changed.

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/pbkdf2"
	"golang.org/x/crypto/scrypt"
)

var update = flag.Bool("update", false, "rewrite the generated testdata files")

// testPassword opens every encrypted fixture.
const testPassword = "correct horse battery staple"

// Small scrypt parameters for the fixtures, so that tests and fuzzing stay
// fast; the benchmark uses Aegis's own (N=32768, r=8, p=1).
const (
	testN, testR, testP = 1024, 8, 1
)

// fixedRand returns a deterministic stream of "random" bytes.
func fixedRand(seed byte) io.Reader {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}

func randBytes(t testing.TB, r io.Reader, n int) []byte {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		t.Fatal(err)
	}
	return b
}

func gcmSeal(t testing.TB, key, nonce, plain []byte) []byte {
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return aead.Seal(nil, nonce, plain, nil)
}

// Shapes of the Aegis file as its docs/vault.md gives it, in its order.
type genParams struct {
	Nonce string `json:"nonce"`
	Tag   string `json:"tag"`
}

type genSlot struct {
	Type      int       `json:"type"`
	UUID      string    `json:"uuid"`
	Key       string    `json:"key"`
	KeyParams genParams `json:"key_params"`
	N         int       `json:"n"`
	R         int       `json:"r"`
	P         int       `json:"p"`
	Salt      string    `json:"salt"`
	Repaired  bool      `json:"repaired"`
}

type genAegis struct {
	Version int `json:"version"`
	Header  struct {
		Slots  []genSlot  `json:"slots"`
		Params *genParams `json:"params"`
	} `json:"header"`
	DB string `json:"db"`
}

// sealAegis encrypts an Aegis db (its JSON) under a fresh master key, held
// by one password slot with the given scrypt parameters.
func sealAegis(t testing.TB, db []byte, password string, n, r, p int, rnd io.Reader) []byte {
	master := randBytes(t, rnd, 32)
	salt := randBytes(t, rnd, 32)
	slotNonce := randBytes(t, rnd, 12)
	dbNonce := randBytes(t, rnd, 12)
	uuid := hex.EncodeToString(randBytes(t, rnd, 16))

	wrap, err := scrypt.Key([]byte(password), salt, n, r, p, 32)
	if err != nil {
		t.Fatal(err)
	}
	sealedKey := gcmSeal(t, wrap, slotNonce, master)
	sealedDB := gcmSeal(t, master, dbNonce, db)

	var f genAegis
	f.Version = 1
	f.Header.Slots = []genSlot{{
		Type: 1,
		UUID: uuid[0:8] + "-" + uuid[8:12] + "-" + uuid[12:16] + "-" + uuid[16:20] + "-" + uuid[20:32],
		Key:  hex.EncodeToString(sealedKey[:32]),
		KeyParams: genParams{
			Nonce: hex.EncodeToString(slotNonce),
			Tag:   hex.EncodeToString(sealedKey[32:]),
		},
		N: n, R: r, P: p,
		Salt:     hex.EncodeToString(salt),
		Repaired: true,
	}}
	f.Header.Params = &genParams{
		Nonce: hex.EncodeToString(dbNonce),
		Tag:   hex.EncodeToString(sealedDB[len(sealedDB)-16:]),
	}
	f.DB = base64.StdEncoding.EncodeToString(sealedDB[:len(sealedDB)-16])
	out, err := json.MarshalIndent(f, "", "    ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// twoFASReference is what our fixtures encrypt as the password check. 2FAS
// writes a fixed text of its own there; this package does not look at it.
const twoFASReference = "softtoken test reference: any text the app can check"

// sealTwoFAS turns a plain 2FAS backup into an encrypted one: the services
// move, encrypted, into servicesEncrypted, and a reference is added.
func sealTwoFAS(t testing.TB, plain []byte, password string, iterations int, rnd io.Reader) []byte {
	var f map[string]json.RawMessage
	if err := json.Unmarshal(plain, &f); err != nil {
		t.Fatal(err)
	}
	services := []byte(f["services"])
	salt := randBytes(t, rnd, 256)
	ivServices := randBytes(t, rnd, 12)
	ivReference := randBytes(t, rnd, 12)
	key := pbkdf2.Key([]byte(password), salt, iterations, 32, sha256.New)

	field := func(iv, plain []byte) string {
		b64 := base64.StdEncoding.EncodeToString
		return b64(gcmSeal(t, key, iv, plain)) + ":" + b64(salt) + ":" + b64(iv)
	}
	enc := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	f["services"] = json.RawMessage("[]")
	f["servicesEncrypted"] = enc(field(ivServices, services))
	f["reference"] = enc(field(ivReference, []byte(twoFASReference)))
	out, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

func readTestdata(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// aegisPlainDB is the db object of the plain Aegis fixture.
func aegisPlainDB(t testing.TB) []byte {
	var f struct {
		DB json.RawMessage `json:"db"`
	}
	if err := json.Unmarshal(readTestdata(t, "aegis_plain.json"), &f); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, f.DB); err != nil {
		t.Fatal(err)
	}
	return compact.Bytes()
}

// generated are the encrypted fixtures and how each is built.
var generated = map[string]func(t testing.TB) []byte{
	"aegis_encrypted.json": func(t testing.TB) []byte {
		return sealAegis(t, aegisPlainDB(t), testPassword, testN, testR, testP, fixedRand(1))
	},
	"2fas_encrypted.2fas": func(t testing.TB) []byte {
		return sealTwoFAS(t, readTestdata(t, "2fas_plain.2fas"), testPassword, 10000, fixedRand(2))
	},
}

func TestEncryptedTestdata(t *testing.T) {
	for name, build := range generated {
		got := build(t)
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to generate it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what the generator builds; run with -update", name)
		}
	}
}
