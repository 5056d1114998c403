package store

import (
	"crypto/rand"
	"errors"
	"fmt"
)

// ErrNoVault: the store keeps its secrets in the keychain, so it has no
// vault passphrase to change.
var ErrNoVault = errors.New("the secrets are in the keychain, not in a vault file")

// ChangePassphrase gives the vault file a new passphrase: old must open
// the file as it is on disk (ErrWrongPassphrase otherwise, and nothing
// changes), and the secrets are encrypted anew under newPass with a fresh
// salt and key derived with p.
//
// The file is replaced in one atomic write (atomicfile: temporary file,
// fsync, rename, fsync of the folder), so a crash at any instant leaves
// either the old file, opened by the old passphrase, or the new one,
// opened by the new passphrase; never a mix, never neither. The new file
// is read back and compared before the store takes the new key. Other
// processes that have the vault open (another window, the command line)
// hold the old key: their next read or change fails with
// ErrVaultChangedKeys rather than write with it. The change holds the
// store's lock, so no change of another process interleaves.
func (s *Store) ChangePassphrase(old, newPass []byte) error {
	return s.changePassphrase(old, newPass, newKDF())
}

func (s *Store) changePassphrase(old, newPass []byte, p KDFParams) error {
	v, ok := s.kr.(*Vault)
	if !ok {
		return ErrNoVault
	}
	if len(newPass) == 0 {
		return ErrPassphraseEmpty
	}
	return s.locked(lockWait, func(ix *index, _ func() error) error {
		switch {
		case s.moved(ix):
			return ErrSecretsMoved
		case ix.Move != "":
			return ErrMoveUnfinished
		}
		return v.rekey(old, newPass, p)
	})
}

// rekey is ChangePassphrase of the vault itself.
func (v *Vault) rekey(old, newPass []byte, p KDFParams) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return ErrVaultClosed
	}
	b, err := readLimited(v.path)
	if err != nil {
		return fmt.Errorf("read the vault: %w", err)
	}
	// The old passphrase is checked against the file, not the key in
	// memory: the person proves they know it.
	h, oldKey, err := unlock(b, old)
	if err != nil {
		return err
	}
	clear(oldKey[:])
	if h.salt != v.hdr.salt || h.params != v.hdr.params || h.check != v.hdr.check {
		return ErrVaultChangedKeys
	}
	d, err := v.load()
	if err != nil {
		return err
	}
	hdr, key, err := newHeader(KindVault, newPass, p, rand.Reader)
	if err != nil {
		return err
	}
	fresh := &Vault{path: v.path, hdr: hdr, key: key, rnd: v.rnd}
	defer clear(fresh.key[:])
	if err := fresh.save(d); err != nil {
		return err
	}
	// Read back under the new key before forgetting the old one. Should
	// this fail, the file on disk is the new one all the same (the write
	// was durable): keep its key, so that this process goes on with what
	// is on disk.
	back, rerr := fresh.load()
	clear(v.key[:])
	v.hdr, v.key = fresh.hdr, fresh.key
	if rerr != nil {
		return fmt.Errorf("read back the vault: %w", rerr)
	}
	if len(back.Secrets) != len(d.Secrets) {
		return fmt.Errorf("%w (it does not hold what was written)", ErrVaultDamaged)
	}
	for id, sec := range d.Secrets {
		if back.Secrets[id] != sec {
			return fmt.Errorf("%w (it does not hold what was written)", ErrVaultDamaged)
		}
	}
	return nil
}

// Lock forgets the vault's key: the store can then no longer read or
// change a secret, and is done with; open the store again (OpenDefault)
// with the passphrase. A store on the keychain has nothing to forget:
// Lock does nothing there.
func (s *Store) Lock() {
	if v, ok := s.kr.(*Vault); ok {
		v.Close()
	}
}

// Backend tells where the store keeps its secrets: BackendVault or
// BackendKeychain (empty for a store opened without a keyring).
func (s *Store) Backend() Backend { return s.backend }
