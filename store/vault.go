package store

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/cityadmin/softtoken/internal/atomicfile"
	"github.com/cityadmin/softtoken/internal/limitread"
	"github.com/cityadmin/softtoken/store/internal/kdfhook"
	"github.com/cityadmin/softtoken/token"
)

// The encrypted file format (docs/vault-format.md): a fixed header, then
// XChaCha20-Poly1305 ciphertext of a JSON document, with the whole header
// as associated data. The key comes from the passphrase through Argon2id
// with the parameters and salt in the header. The same format holds the
// secrets of a vault (the keychain's stand-in) and whole accounts in a
// backup; the header says which.
const (
	vaultMagic   = "STVAULT\n"
	vaultVersion = 1
	kdfArgon2id  = 1
	headerLen    = 88

	// KindVault holds the secrets of the accounts in the index.
	KindVault = 1
	// KindBackup holds whole accounts, for export and import.
	KindBackup = 2
)

// KDFParams are the Argon2id parameters of a vault.
type KDFParams struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// MinPassphrase is the fewest characters (not bytes) a new vault's or
// backup's passphrase must have; the command line and the window both ask
// for at least this many.
const MinPassphrase = 8

// defaultKDF is what new vaults and backups use: 64 MiB, 3 passes, 4 lanes
// (RFC 9106's second recommended option).
var defaultKDF = KDFParams{Time: 3, Memory: 64 * 1024, Threads: 4}

// fastKDF is what they use in tests that asked for it (storetest.FastKDF).
var fastKDF = KDFParams{Time: 1, Memory: 64, Threads: 1}

// newKDF is the cost of a new vault or backup: defaultKDF, or fastKDF in
// tests that lowered it.
func newKDF() KDFParams {
	if kdfhook.Fast() {
		return fastKDF
	}
	return defaultKDF
}

// Bounds a header's parameters must keep, so that a forged file cannot
// make us allocate gigabytes or spin for minutes before the passphrase is
// even checked. softtoken has only ever written defaultKDF; the bounds are
// four times it (256 MiB, 12 passes, and at most 4 × 64 MiB × 3 passes of
// work together), which leaves room to raise the default one day, and cost
// about two seconds at most on a slow PC. Lanes are bounded by the work
// they would spread, not by cost: 16.
const (
	maxKDFTime   = 4 * 3
	maxKDFMemory = 4 * 64 << 10 // KiB: 256 MiB
	maxKDFWork   = 4 * 3 * 64 << 10
	maxKDFLanes  = 16
	maxVaultSize = 16 << 20
)

// MaxFileSize is the largest vault or backup file softtoken reads, and so
// the largest it writes: 16 MiB.
const MaxFileSize = maxVaultSize

// Errors of encrypted files. Each is distinct, and none changes the file.
var (
	ErrNotVault        = errors.New("this is not a softtoken vault or backup file")
	ErrVaultVersion    = errors.New("the file was written by a newer version of softtoken")
	ErrVaultTruncated  = errors.New("the file is incomplete (cut off)")
	ErrVaultDamaged    = errors.New("the file is damaged")
	ErrWrongPassphrase = errors.New("the passphrase is wrong")
	ErrVaultKind       = errors.New("the file is of another kind")
	ErrVaultExists     = errors.New("a vault file exists already")
	ErrPassphraseEmpty = errors.New("the passphrase is empty")
	// ErrVaultChangedKeys matches ErrSecretsMoved too: a move into the
	// keychain and back made a new vault file since this one was opened.
	ErrVaultChangedKeys error = &replacedError{}
	ErrFileTooLarge           = errors.New("the file would grow past the 16 MiB that softtoken reads")
	// ErrVaultClosed: the vault was closed (locked); open it again.
	ErrVaultClosed = errors.New("the vault file was locked; unlock it again")
)

type replacedError struct{}

func (*replacedError) Error() string {
	return "the vault file was replaced by another one; open it again"
}
func (*replacedError) Is(target error) bool { return target == ErrSecretsMoved }

type header struct {
	version, kind, kdf uint8
	params             KDFParams
	salt               [16]byte
	check              [16]byte
	nonce              [24]byte
	length             uint32
}

func (h *header) marshal() []byte {
	b := make([]byte, headerLen)
	copy(b, vaultMagic)
	b[8], b[9], b[10], b[11] = h.version, h.kind, h.kdf, h.params.Threads
	binary.BigEndian.PutUint32(b[12:], h.params.Time)
	binary.BigEndian.PutUint32(b[16:], h.params.Memory)
	copy(b[20:36], h.salt[:])
	copy(b[36:52], h.check[:])
	copy(b[52:76], h.nonce[:])
	binary.BigEndian.PutUint32(b[76:], h.length)
	sum := sha256.Sum256(b[:80])
	copy(b[80:88], sum[:8])
	return b
}

// parseHeader reads and checks the header of an encrypted file, in an
// order that names the most useful problem first.
func parseHeader(b []byte) (*header, error) {
	if len(b) < len(vaultMagic) || string(b[:len(vaultMagic)]) != vaultMagic {
		if len(b) < len(vaultMagic) && bytes.HasPrefix([]byte(vaultMagic), b) && len(b) > 0 {
			return nil, ErrVaultTruncated
		}
		return nil, ErrNotVault
	}
	if len(b) > 8 && b[8] > vaultVersion {
		return nil, fmt.Errorf("%w (format %d)", ErrVaultVersion, b[8])
	}
	if len(b) < headerLen {
		return nil, ErrVaultTruncated
	}
	sum := sha256.Sum256(b[:80])
	if !bytes.Equal(sum[:8], b[80:88]) {
		return nil, fmt.Errorf("%w (its header does not add up)", ErrVaultDamaged)
	}
	h := &header{version: b[8], kind: b[9], kdf: b[10]}
	h.params = KDFParams{Threads: b[11], Time: binary.BigEndian.Uint32(b[12:]), Memory: binary.BigEndian.Uint32(b[16:])}
	copy(h.salt[:], b[20:36])
	copy(h.check[:], b[36:52])
	copy(h.nonce[:], b[52:76])
	h.length = binary.BigEndian.Uint32(b[76:])
	p := h.params
	switch {
	case h.version != vaultVersion:
		return nil, fmt.Errorf("%w (format %d)", ErrVaultVersion, h.version)
	case h.kdf != kdfArgon2id, p.Time < 1, p.Time > maxKDFTime, p.Threads < 1, p.Threads > maxKDFLanes,
		p.Memory < 8*uint32(p.Threads), h.kind != KindVault && h.kind != KindBackup:
		return nil, fmt.Errorf("%w (its parameters are out of range)", ErrVaultDamaged)
	case p.Memory > maxKDFMemory, uint64(p.Memory)*uint64(p.Time) > maxKDFWork:
		return nil, fmt.Errorf("%w (its key derivation asks for %d MiB and %d passes, more than softtoken ever uses)",
			ErrVaultDamaged, p.Memory>>10, p.Time)
	}
	rest := len(b) - headerLen
	switch {
	case rest < int(h.length):
		return nil, ErrVaultTruncated
	case rest > int(h.length):
		return nil, fmt.Errorf("%w (extra bytes at its end)", ErrVaultDamaged)
	case h.length < chacha20poly1305.Overhead:
		return nil, fmt.Errorf("%w (no content)", ErrVaultDamaged)
	}
	return h, nil
}

// derive runs Argon2id: the first 32 bytes are the key, the next 16 the
// passphrase check stored in the header.
func derive(pass []byte, salt []byte, p KDFParams) (key [32]byte, check [16]byte) {
	out := argon2.IDKey(pass, salt, p.Time, p.Memory, p.Threads, 48)
	copy(key[:], out[:32])
	copy(check[:], out[32:])
	clear(out)
	return key, check
}

// seal encrypts doc into a complete file with a fresh nonce.
func seal(h header, key *[32]byte, doc []byte, rnd io.Reader) ([]byte, error) {
	if _, err := io.ReadFull(rnd, h.nonce[:]); err != nil {
		return nil, fmt.Errorf("random nonce: %w", err)
	}
	h.length = uint32(len(doc) + chacha20poly1305.Overhead)
	hb := h.marshal()
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		return nil, err
	}
	return aead.Seal(hb, h.nonce[:], doc, hb), nil
}

// open decrypts a complete file with key; the header must already be
// parsed and the passphrase checked.
func open(b []byte, h *header, key *[32]byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		return nil, err
	}
	doc, err := aead.Open(nil, h.nonce[:], b[headerLen:], b[:headerLen])
	if err != nil {
		return nil, fmt.Errorf("%w (it does not decrypt)", ErrVaultDamaged)
	}
	return doc, nil
}

// unlock parses b, derives the key from pass and checks it.
func unlock(b, pass []byte) (*header, [32]byte, error) {
	h, err := parseHeader(b)
	if err != nil {
		return nil, [32]byte{}, err
	}
	key, check := derive(pass, h.salt[:], h.params)
	if subtle.ConstantTimeCompare(check[:], h.check[:]) != 1 {
		clear(key[:])
		return nil, [32]byte{}, ErrWrongPassphrase
	}
	return h, key, nil
}

func newHeader(kind uint8, pass []byte, p KDFParams, rnd io.Reader) (header, [32]byte, error) {
	if len(pass) == 0 {
		return header{}, [32]byte{}, ErrPassphraseEmpty
	}
	if p.Time < 1 || p.Time > maxKDFTime || p.Threads < 1 || p.Threads > maxKDFLanes || p.Memory < 8*uint32(p.Threads) ||
		p.Memory > maxKDFMemory || uint64(p.Memory)*uint64(p.Time) > maxKDFWork {
		// A reader would refuse the file.
		return header{}, [32]byte{}, fmt.Errorf("key derivation parameters %+v are out of range", p)
	}
	h := header{version: vaultVersion, kind: kind, kdf: kdfArgon2id, params: p}
	if _, err := io.ReadFull(rnd, h.salt[:]); err != nil {
		return header{}, [32]byte{}, fmt.Errorf("random salt: %w", err)
	}
	key, check := derive(pass, h.salt[:], p)
	h.check = check
	return h, key, nil
}

func readLimited(path string) ([]byte, error) {
	b, err := limitread.File(path, maxVaultSize)
	if errors.Is(err, limitread.ErrTooLarge) {
		return nil, fmt.Errorf("%w (larger than %d MiB)", ErrNotVault, maxVaultSize>>20)
	}
	return b, err
}

// Vault is an encrypted file that stands in for the OS keychain: it holds
// the secrets of the accounts in the index, keyed by account id, and
// implements Keyring. The key is derived once, when the vault is opened,
// and kept in memory while it is in use; every change rewrites the file
// atomically with a fresh nonce. Changes are serialised by the store's lock.
type Vault struct {
	path string
	mu   sync.Mutex
	hdr  header
	key  [32]byte
	rnd  io.Reader
	// closed: Close forgot the key; every use is ErrVaultClosed.
	closed bool
}

type vaultDoc struct {
	Secrets map[string]string `json:"secrets"` // account id → base32 secret
}

// VaultFile is the vault's file name in the store's folder.
const VaultFile = "vault.stv"

// CreateVault writes a new, empty vault at path, refusing to replace one.
// Its key is derived from pass with Argon2id at the default cost (64 MiB,
// 3 passes, 4 lanes).
func CreateVault(path string, pass []byte) (*Vault, error) { return createVault(path, pass, newKDF()) }

func createVault(path string, pass []byte, p KDFParams) (*Vault, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, ErrVaultExists
	}
	h, key, err := newHeader(KindVault, pass, p, rand.Reader)
	if err != nil {
		return nil, err
	}
	v := &Vault{path: path, hdr: h, key: key, rnd: rand.Reader}
	if err := v.save(vaultDoc{Secrets: map[string]string{}}); err != nil {
		return nil, err
	}
	return v, nil
}

// OpenVault unlocks the vault at path with pass. A wrong passphrase, a
// truncated or damaged file and an unknown version are distinct errors,
// and opening never writes.
func OpenVault(path string, pass []byte) (*Vault, error) {
	b, err := readLimited(path)
	if err != nil {
		return nil, fmt.Errorf("read the vault: %w", err)
	}
	h, key, err := unlock(b, pass)
	if err != nil {
		return nil, err
	}
	if h.kind != KindVault {
		return nil, fmt.Errorf("%w: a backup, not a vault", ErrVaultKind)
	}
	v := &Vault{path: path, hdr: *h, key: key, rnd: rand.Reader}
	if _, err := v.load(); err != nil {
		return nil, err
	}
	return v, nil
}

// VaultExists reports whether path holds a file (vault or not).
func VaultExists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// load reads and decrypts the current file with the key in hand.
func (v *Vault) load() (vaultDoc, error) {
	if v.closed {
		return vaultDoc{}, ErrVaultClosed
	}
	b, err := readLimited(v.path)
	if err != nil {
		return vaultDoc{}, fmt.Errorf("read the vault: %w", err)
	}
	h, err := parseHeader(b)
	if err != nil {
		return vaultDoc{}, err
	}
	if h.salt != v.hdr.salt || h.params != v.hdr.params || h.check != v.hdr.check {
		return vaultDoc{}, ErrVaultChangedKeys
	}
	plain, err := open(b, h, &v.key)
	if err != nil {
		return vaultDoc{}, err
	}
	defer clear(plain)
	var d vaultDoc
	if err := json.Unmarshal(plain, &d); err != nil {
		return vaultDoc{}, fmt.Errorf("%w (its content is not readable)", ErrVaultDamaged)
	}
	if d.Secrets == nil {
		d.Secrets = map[string]string{}
	}
	return d, nil
}

func (v *Vault) save(d vaultDoc) error {
	plain, err := json.Marshal(d)
	if err != nil {
		return err
	}
	defer clear(plain)
	b, err := seal(v.hdr, &v.key, plain, v.rnd)
	if err != nil {
		return err
	}
	// Never write what readLimited would refuse: that would lock every
	// account out at the next start.
	if len(b) > maxVaultSize {
		return fmt.Errorf("vault: %w", ErrFileTooLarge)
	}
	return atomicfile.WriteFile(v.path, b, 0o600)
}

// Get returns the secret filed under user (the account id).
func (v *Vault) Get(service, user string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	d, err := v.load()
	if err != nil {
		return "", err
	}
	s, ok := d.Secrets[user]
	if !ok {
		return "", ErrSecretMissing
	}
	return s, nil
}

// Set files secret under user, rewriting the file.
func (v *Vault) Set(service, user, secret string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	d, err := v.load()
	if err != nil {
		return err
	}
	d.Secrets[user] = secret
	return v.save(d)
}

// Delete removes the secret of user; a missing one is ErrSecretMissing.
func (v *Vault) Delete(service, user string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	d, err := v.load()
	if err != nil {
		return err
	}
	if _, ok := d.Secrets[user]; !ok {
		return ErrSecretMissing
	}
	delete(d.Secrets, user)
	return v.save(d)
}

// all returns a copy of every secret in v, by account id.
func (v *Vault) all() (map[string]string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	d, err := v.load()
	if err != nil {
		return nil, err
	}
	return d.Secrets, nil
}

// replace makes secrets the whole content of v in one durable write
// (atomicfile: fsync of the file and the folder), then reads the file back
// and compares, so that a caller may delete other copies afterwards.
func (v *Vault) replace(secrets map[string]string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.save(vaultDoc{Secrets: secrets}); err != nil {
		return err
	}
	d, err := v.load()
	if err != nil {
		return fmt.Errorf("read back the vault: %w", err)
	}
	if len(d.Secrets) != len(secrets) {
		return fmt.Errorf("%w (it does not hold what was written)", ErrVaultDamaged)
	}
	for id, sec := range secrets {
		if d.Secrets[id] != sec {
			return fmt.Errorf("%w (it does not hold what was written)", ErrVaultDamaged)
		}
	}
	return nil
}

// setAll files every secret of secrets (by account id) in one write.
func (v *Vault) setAll(secrets map[string]string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	d, err := v.load()
	if err != nil {
		return err
	}
	for id, sec := range secrets {
		d.Secrets[id] = sec
	}
	return v.save(d)
}

// deleteAll removes the secrets of ids in one write; missing ones are no
// error.
func (v *Vault) deleteAll(ids []string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	d, err := v.load()
	if err != nil {
		return err
	}
	n := len(d.Secrets)
	for _, id := range ids {
		delete(d.Secrets, id)
	}
	if len(d.Secrets) == n {
		return nil
	}
	return v.save(d)
}

// Close forgets the key. The vault is done with then: every later use
// fails with ErrVaultClosed, and nothing is written.
func (v *Vault) Close() {
	v.mu.Lock()
	clear(v.key[:])
	v.closed = true
	v.mu.Unlock()
}

// backupDoc is the content of a backup: whole accounts.
type backupDoc struct {
	Accounts []backupAccount `json:"accounts"`
}

type backupAccount struct {
	Issuer    string          `json:"issuer"`
	Name      string          `json:"name"`
	Type      token.Type      `json:"type"`
	Algorithm token.Algorithm `json:"algorithm"`
	Digits    int             `json:"digits"`
	Period    int             `json:"period,omitempty"`
	Counter   uint64          `json:"counter,omitempty"`
	Secret    string          `json:"secret"` // base32
}

// WriteBackup encrypts accounts (secrets included) with pass into the
// backup format (Argon2id at the default cost, as CreateVault) and
// returns the file's bytes.
func WriteBackup(accs []token.Account, pass []byte) ([]byte, error) {
	return writeBackup(accs, pass, newKDF())
}

// ExportBackup writes the backup of accs (WriteBackup) to path: atomically
// (a crash leaves the old file or the new one, never half of it), mode
// 0600, replacing a file there.
func ExportBackup(path string, accs []token.Account, pass []byte) error {
	b, err := WriteBackup(accs, pass)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, b, 0o600)
}

func writeBackup(accs []token.Account, pass []byte, p KDFParams) ([]byte, error) {
	h, key, err := newHeader(KindBackup, pass, p, rand.Reader)
	if err != nil {
		return nil, err
	}
	defer clear(key[:])
	d := backupDoc{Accounts: make([]backupAccount, len(accs))}
	for i, a := range accs {
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", a.Label(), err)
		}
		d.Accounts[i] = backupAccount{a.Issuer, a.Name, a.Type, a.Algorithm, a.Digits, a.Period, a.Counter, token.EncodeBase32(a.Secret)}
	}
	plain, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	b, err := seal(h, &key, plain, rand.Reader)
	if err != nil {
		return nil, err
	}
	if len(b) > maxVaultSize { // ReadBackup would refuse it
		return nil, fmt.Errorf("backup: %w", ErrFileTooLarge)
	}
	return b, nil
}

// ReadBackup decrypts a backup written by WriteBackup. Every account in it
// must be valid, or none is returned.
func ReadBackup(b, pass []byte) ([]token.Account, error) {
	if len(b) > maxVaultSize {
		return nil, fmt.Errorf("%w (larger than %d MiB)", ErrNotVault, maxVaultSize>>20)
	}
	h, key, err := unlock(b, pass)
	if err != nil {
		return nil, err
	}
	defer clear(key[:])
	if h.kind != KindBackup {
		return nil, fmt.Errorf("%w: a vault, not a backup", ErrVaultKind)
	}
	plain, err := open(b, h, &key)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	var d backupDoc
	if err := json.Unmarshal(plain, &d); err != nil {
		return nil, fmt.Errorf("%w (its content is not readable)", ErrVaultDamaged)
	}
	out := make([]token.Account, len(d.Accounts))
	for i, ba := range d.Accounts {
		a := token.Account{Issuer: ba.Issuer, Name: ba.Name, Type: ba.Type, Algorithm: ba.Algorithm,
			Digits: ba.Digits, Period: ba.Period, Counter: ba.Counter}
		if a.Secret, err = token.DecodeBase32(ba.Secret); err == nil {
			err = a.Validate()
		}
		if err != nil {
			return nil, fmt.Errorf("%w (account %d: %v)", ErrVaultDamaged, i+1, err)
		}
		out[i] = a
	}
	return out, nil
}
