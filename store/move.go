package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// Moving the secrets between the keychain and the vault file
// (docs/vault-format.md, "Moving the secrets"). The index records where
// the secrets are (Secrets) and where an unfinished move takes them
// (Move), so that every process reads them from one place, and a move cut
// off at any instant can be finished or undone:
//
//  1. Under the store's lock: the move is recorded (Move); the secrets are
//     copied into the new place, the copy is written durably and read back
//     and compared; then the index switches (Secrets). A process that opened
//     the old place is refused its next change (ErrSecretsMoved) and opens
//     again; one that started in the middle waits for the lock.
//  2. Without the store's lock (a second lock keeps other moves out): the
//     copies in the old place are deleted, never before the switch.
//  3. Under the store's lock: the move is recorded as done.

// moveLockFile serialises moves: phase 2 runs without the store's lock.
const moveLockFile = "move.lock"

// moveWait is how long a move waits for another one to end, and for the
// store's lock: longer than a change does, as a busy store (an import, a
// script adding accounts) may hold it often.
const moveWait = 2 * time.Minute

// MoveResult says what a move did.
type MoveResult struct {
	// Moved is the number of secrets copied into the new place.
	Moved int
	// Missing are the labels of accounts whose secret is in neither place;
	// they stay enrolled (and fail as before) until removed.
	Missing []string
}

// MoveStatus is where the secrets of a store are, and whether a move of
// them was cut off.
type MoveStatus struct {
	// Secrets is where the accounts' secrets are read from now.
	Secrets Backend
	// Move is where an unfinished move takes them; empty if none.
	Move Backend
	// Running: another process is moving them at this moment.
	Running bool
	// VaultFile: the vault file exists (a half-made one, during a move).
	VaultFile bool
	// Accounts is the number of enrolled accounts.
	Accounts int
}

// Unfinished reports whether a move was cut off and waits to be finished
// or undone (softtoken vault finish, softtoken vault undo).
func (m MoveStatus) Unfinished() bool { return m.Move != "" && !m.Running }

// Moving reports where the secrets of the store in dir are, and whether a
// move is unfinished. It reads the index without the store's lock.
func Moving(dir string) (MoveStatus, error) {
	s, err := Open(dir, nil)
	if err != nil {
		return MoveStatus{}, err
	}
	ix, err := s.read()
	if err != nil {
		return MoveStatus{}, err
	}
	st := MoveStatus{Secrets: ix.backend(dir), Move: ix.Move, Accounts: len(ix.Accounts),
		VaultFile: VaultExists(filepath.Join(dir, VaultFile))}
	if st.Move != "" {
		ml := flock.New(filepath.Join(dir, moveLockFile))
		ok, err := ml.TryLock()
		if err == nil && ok {
			ml.Unlock()
		} else {
			st.Running = true
		}
	}
	return st, nil
}

// backend is where the index says the secrets are. An index written
// before moves were recorded names none: then the vault file decides.
func (ix *index) backend(dir string) Backend {
	if ix.Secrets != "" {
		return ix.Secrets
	}
	if VaultExists(filepath.Join(dir, VaultFile)) {
		return BackendVault
	}
	return BackendKeychain
}

// MoveToVault moves the secrets of every enrolled account from keychain
// into the vault file in dir, creating it with pass (CreateVault) if there is
// none, or opening it with pass if an earlier move left one. It finishes
// a move cut off in either direction. The keychain must answer (the error
// then matches ErrMoveNeedsKeychain) unless no account is enrolled; a
// vault that exists already with nothing left to move is ErrVaultExists.
func MoveToVault(dir string, pass []byte, keychain Keyring) (MoveResult, error) {
	return moveToVault(dir, pass, keychain, newKDF())
}

func moveToVault(dir string, pass []byte, keychain Keyring, kdf KDFParams) (MoveResult, error) {
	path := filepath.Join(dir, VaultFile)
	return move(dir, BackendVault, keychain, func(exists bool) (*Vault, bool, error) {
		if exists {
			v, err := OpenVault(path, pass)
			return v, true, err
		}
		v, err := createVault(path, pass, kdf)
		return v, true, err
	})
}

// MoveToKeychain moves the secrets back from the vault file in dir
// (opened with pass) into keychain, and then deletes the vault file: it
// undoes MoveToVault, finished or not. pass is needed only while the
// secrets are in the vault. The keychain must answer unless no account is
// enrolled. Secrets in the keychain with no vault file are ErrNoMove.
func MoveToKeychain(dir string, pass []byte, keychain Keyring) (MoveResult, error) {
	path := filepath.Join(dir, VaultFile)
	return move(dir, BackendKeychain, keychain, func(bool) (*Vault, bool, error) {
		if pass == nil {
			return nil, false, ErrNeedPassphrase
		}
		v, err := OpenVault(path, pass)
		return v, true, err
	})
}

// FinishMove finishes the unfinished move of s's secrets (MoveStatus.Move)
// with s's open vault; see MoveTo. With no unfinished move it does
// nothing.
func (s *Store) FinishMove(keychain Keyring) (MoveResult, error) {
	st, err := Moving(s.dir)
	if err != nil || st.Move == "" {
		return MoveResult{}, err
	}
	return s.MoveTo(st.Move, keychain)
}

// MoveTo moves s's secrets to place to, as MoveToVault or MoveToKeychain
// do, with s's open vault where one is needed. A store on the keychain
// whose vault file is still to be filled or emptied has none: then the
// error is ErrNeedPassphrase, and MoveToVault or MoveToKeychain does it.
func (s *Store) MoveTo(to Backend, keychain Keyring) (MoveResult, error) {
	return move(s.dir, to, keychain, s.openVault)
}

func (s *Store) openVault(exists bool) (*Vault, bool, error) {
	if v, ok := s.kr.(*Vault); ok && exists {
		return v, false, nil
	}
	return nil, false, ErrNeedPassphrase
}

// move brings the secrets of the store in dir to place to, from whatever
// state an earlier move left (see the comment at the top). vault opens
// (or, if the file does not exist, creates) the vault file and says
// whether move must close it.
func move(dir string, to Backend, keychain Keyring, vault func(exists bool) (*Vault, bool, error)) (MoveResult, error) {
	var res MoveResult
	s, err := Open(dir, nil)
	if err != nil {
		return res, err
	}
	ml := flock.New(filepath.Join(dir, moveLockFile))
	ctx, cancel := context.WithTimeout(context.Background(), moveWait)
	defer cancel()
	if ok, err := ml.TryLockContext(ctx, 50*time.Millisecond); err != nil || !ok {
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			return res, ErrBusy
		}
		return res, fmt.Errorf("lock the move: %w", err)
	}
	defer ml.Unlock()

	vaultPath := filepath.Join(dir, VaultFile)
	var left []string // phase 2: the ids whose keychain copies go
	err = s.locked(moveWait, func(ix *index, commit func() error) error {
		from := ix.backend(dir)
		if ix.Move == "" && from == to && len(ix.Leftover) == 0 {
			if to == BackendVault {
				return fmt.Errorf("%w: %s", ErrVaultExists, vaultPath)
			}
			if !VaultExists(vaultPath) {
				return ErrNoMove
			}
		}
		if len(ix.Accounts) > 0 || len(ix.Leftover) > 0 || (from == BackendKeychain && len(ix.Pending) > 0) {
			if keychain == nil {
				return ErrMoveNeedsKeychain
			}
			if err := Probe(keychain); err != nil {
				return fmt.Errorf("%w: %w", ErrMoveNeedsKeychain, err)
			}
		}
		interruptedUndo := ix.Move == BackendKeychain
		ix.Secrets, ix.Move = from, to
		if err := commit(); err != nil {
			return err
		}
		switch {
		case to == BackendVault && from == BackendKeychain:
			v, owned, err := vault(VaultExists(vaultPath))
			if err != nil {
				return err
			}
			if owned {
				defer v.Close()
			}
			if res, err = copyToVault(ix, keychain, v); err != nil {
				return err
			}
			// Orphans of interrupted adds and removes are in the keychain;
			// the vault has none.
			for _, id := range ix.Pending {
				if ix.find(id) < 0 {
					if err := keychain.Delete(Service, id); err != nil && !errors.Is(err, ErrSecretMissing) {
						return fmt.Errorf("delete a left-over keychain item: %w", err)
					}
				}
			}
			ix.Pending = nil
			ix.Leftover = union(ix.Leftover, ix.ids())
			ix.Secrets = BackendVault
			if err := commit(); err != nil {
				return err
			}
		case to == BackendVault && interruptedUndo:
			// An undo cut off while copying may have put copies into the
			// keychain; it listed them in Leftover first, and they go.
			ix.Leftover = union(ix.Leftover, ix.ids())
			if err := commit(); err != nil {
				return err
			}
		case to == BackendKeychain && from == BackendVault:
			v, owned, err := vault(true)
			if err != nil {
				return err
			}
			if owned {
				defer v.Close()
			}
			// Leftover lists every id that may have a copy in the keychain
			// while the secrets are in the vault: the copies about to be
			// made, before they are made, so that a kill followed by a
			// remove and a move back into the vault leaves none behind.
			ix.Leftover = union(ix.Leftover, ix.ids())
			if err := commit(); err != nil {
				return err
			}
			if res, err = copyToKeychain(ix, keychain, v); err != nil {
				return err
			}
			if err := deleteStale(ix, keychain); err != nil {
				return err
			}
			// The vault's orphans go with the file.
			ix.Pending = nil
			ix.Secrets = BackendKeychain
			if err := commit(); err != nil {
				return err
			}
		case to == BackendKeychain:
			// The vault was never switched to: the keychain copies are the
			// real ones, and the half-made vault goes.
			if err := deleteStale(ix, keychain); err != nil {
				return err
			}
			if err := commit(); err != nil {
				return err
			}
		}
		left = ix.Leftover
		return nil
	})
	if err != nil {
		return res, err
	}

	// Phase 2: the copies in the old place go, without the store's lock:
	// no process reads or changes them any more.
	var failed []string
	var firstErr error
	if to == BackendVault {
		for _, id := range left {
			if err := keychain.Delete(Service, id); err != nil && !errors.Is(err, ErrSecretMissing) {
				failed = append(failed, id)
				if firstErr == nil {
					firstErr = err
				}
			}
		}
	} else if err := os.Remove(vaultPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		failed, firstErr = []string{VaultFile}, err
	} else {
		syncDir(dir)
	}

	// Phase 3: done (or what is left, for next time).
	err = s.locked(moveWait, func(ix *index, commit func() error) error {
		if to == BackendVault {
			ix.Leftover = failed
		}
		if len(failed) == 0 {
			ix.Move = ""
		}
		return commit()
	})
	if err == nil && firstErr != nil {
		err = fmt.Errorf("%w: %d left-over copies could not be deleted: %w", ErrMoveUnfinished, len(failed), firstErr)
	}
	return res, err
}

// copyToVault writes the secret of every account into v in one write:
// those v holds already (from an earlier try) stay, the others come from
// keychain. It reads the file back and compares before it returns. What
// belongs to no account is dropped from v.
func copyToVault(ix *index, keychain Keyring, v *Vault) (MoveResult, error) {
	var res MoveResult
	have, err := v.all()
	if err != nil {
		return res, err
	}
	want := make(map[string]string, len(ix.Accounts))
	for _, e := range ix.Accounts {
		if sec, ok := have[e.ID]; ok {
			want[e.ID] = sec
			continue
		}
		sec, err := keychain.Get(Service, e.ID)
		if errors.Is(err, ErrSecretMissing) {
			res.Missing = append(res.Missing, e.account().Label())
			continue
		}
		if err != nil {
			return res, fmt.Errorf("read the secret of %s from the keychain: %w", e.account().Label(), err)
		}
		want[e.ID] = sec
		res.Moved++
	}
	for k, sec := range have {
		if strings.HasPrefix(k, floorPrefix) {
			want[k] = sec // the profile floor (floor.go) belongs to no account, and stays
		}
	}
	return res, v.replace(want)
}

// copyToKeychain writes the secret of every account from v into keychain
// and reads each back. An account whose secret v lacks but the keychain
// has (an earlier move's copy) is left as it is.
func copyToKeychain(ix *index, keychain Keyring, v *Vault) (MoveResult, error) {
	var res MoveResult
	have, err := v.all()
	if err != nil {
		return res, err
	}
	for _, e := range ix.Accounts {
		label := e.account().Label()
		sec, ok := have[e.ID]
		if !ok {
			if _, err := keychain.Get(Service, e.ID); err == nil {
				continue
			} else if !errors.Is(err, ErrSecretMissing) {
				return res, fmt.Errorf("read the secret of %s from the keychain: %w", label, err)
			}
			res.Missing = append(res.Missing, label)
			continue
		}
		if err := keychain.Set(Service, e.ID, sec); err != nil {
			return res, fmt.Errorf("store the secret of %s in the keychain: %w", label, err)
		}
		got, err := keychain.Get(Service, e.ID)
		if err != nil {
			return res, fmt.Errorf("read back the secret of %s from the keychain: %w", label, err)
		}
		if got != sec {
			return res, fmt.Errorf("%w: the keychain did not keep the secret of %s", ErrKeychain, label)
		}
		res.Moved++
	}
	return res, nil
}

// deleteStale deletes from keychain the copies listed in Leftover whose
// account was removed meanwhile (in the vault, which never saw the copy),
// and empties Leftover: the secrets are in the keychain now, and the
// copies of the accounts there are theirs.
func deleteStale(ix *index, keychain Keyring) error {
	for _, id := range ix.Leftover {
		if ix.find(id) >= 0 {
			continue
		}
		if err := keychain.Delete(Service, id); err != nil && !errors.Is(err, ErrSecretMissing) {
			return fmt.Errorf("delete a left-over keychain item: %w", err)
		}
	}
	ix.Leftover = nil
	return nil
}

func (ix *index) ids() []string {
	out := make([]string, len(ix.Accounts))
	for i, e := range ix.Accounts {
		out[i] = e.ID
	}
	return out
}

func union(a, b []string) []string {
	seen := make(map[string]bool, len(a)+len(b))
	var out []string
	for _, x := range append(append([]string(nil), a...), b...) {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// syncDir makes a removal in dir durable; best effort.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
