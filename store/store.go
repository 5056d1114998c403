// Package store keeps softtoken's accounts: their metadata in an index file
// in the user's configuration folder, their secrets in the OS keychain.
//
// Guarantees:
//   - The index is replaced atomically (temporary file, fsync, rename, fsync
//     of the folder), with mode 0600 in a 0700 folder.
//   - Every change holds a file lock, so a GUI and a CLI process do not lose
//     each other's writes.
//   - Writes are ordered so that a crash at any instant loses nothing: on
//     add the secret is stored before the index names it; on remove the
//     index forgets the account before its secret is deleted; an HOTP
//     counter is saved before the code of the old counter is returned.
//   - A damaged index is refused and left untouched, never overwritten.
//   - No secret is written to the index, to an error or to a log.
package store

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/cityadmin/softtoken/internal/atomicfile"
	"github.com/cityadmin/softtoken/token"
)

// File names inside the store's folder.
const (
	IndexFile = "accounts.json"
	lockFile  = "accounts.lock"
)

// indexVersion is the format of the index this code writes and reads.
const indexVersion = 1

// lockWait is how long a change waits for another process's lock.
const lockWait = 10 * time.Second

// Store is the set of enrolled accounts of one user. Its methods are safe
// for use by several goroutines and processes at once.
type Store struct {
	dir string
	kr  Keyring
	// backend is where kr keeps secrets: a change is refused when the
	// index says they were moved elsewhere since. Empty for no kr.
	backend Backend
	rand    io.Reader
	mu      sync.Mutex   // serialises changes within this process
	lock    *flock.Flock // and this, across processes
}

// DefaultDir is where a user's accounts live: os.UserConfigDir()/softtoken
// (on Linux $XDG_CONFIG_HOME/softtoken, else ~/.config/softtoken).
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the configuration folder: %w", err)
	}
	return filepath.Join(d, "softtoken"), nil
}

// Open returns the store in dir, creating the folder (mode 0700) if needed.
// It does not touch the keychain yet.
func Open(dir string, kr Keyring) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	s := &Store{dir: dir, kr: kr, rand: rand.Reader, lock: flock.New(filepath.Join(dir, lockFile))}
	switch kr.(type) {
	case nil:
	case *Vault:
		s.backend = BackendVault
	default:
		s.backend = BackendKeychain
	}
	return s, nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// entry is one account in the index: everything but the secret.
type entry struct {
	ID          string          `json:"id"`
	Issuer      string          `json:"issuer"`
	Name        string          `json:"name"`
	Type        token.Type      `json:"type"`
	Algorithm   token.Algorithm `json:"algorithm"`
	Digits      int             `json:"digits"`
	Period      int             `json:"period,omitempty"`
	Counter     uint64          `json:"counter,omitempty"`
	IssuerParam string          `json:"issuer_param,omitempty"`
	Added       time.Time       `json:"added"`
}

type index struct {
	Version  int     `json:"version"`
	Accounts []entry `json:"accounts"`
	// Pending lists ids whose keychain item may exist without an account
	// owning it: written before a secret is stored on add and when an
	// account is removed, cleared once the operation is complete. A crash
	// in between leaves the id here, and the next change (or Recover)
	// deletes the item.
	Pending []string `json:"pending,omitempty"`

	// Secrets says where the secrets are, Move where an unfinished move
	// takes them, Leftover which ids may have a copy in the keychain while
	// the secrets are in the vault (see move.go). An index
	// written before moves were recorded has no Secrets: then the vault
	// file, if there is one, holds them.
	Secrets  Backend  `json:"secrets,omitempty"`
	Move     Backend  `json:"move,omitempty"`
	Leftover []string `json:"move_leftover,omitempty"`

	// repaired: read merged repeated entries; the next change writes the
	// index back without them.
	repaired bool
}

func (e entry) account() token.Account {
	return token.Account{ID: e.ID, Issuer: e.Issuer, Name: e.Name, Type: e.Type, Algorithm: e.Algorithm,
		Digits: e.Digits, Period: e.Period, Counter: e.Counter, IssuerParam: e.IssuerParam}
}

// List returns the accounts in the user's order, without their secrets.
func (s *Store) List() ([]token.Account, error) {
	ix, err := s.read()
	if err != nil {
		return nil, err
	}
	out := make([]token.Account, len(ix.Accounts))
	for i, e := range ix.Accounts {
		out[i] = e.account()
	}
	return out, nil
}

// Get returns the account with id, secret included.
func (s *Store) Get(id string) (token.Account, error) {
	ix, err := s.read()
	if err != nil {
		return token.Account{}, err
	}
	i := ix.find(id)
	if i < 0 {
		return token.Account{}, ErrNotFound
	}
	return s.withSecret(ix.Accounts[i].account())
}

func (s *Store) withSecret(a token.Account) (token.Account, error) {
	enc, err := s.kr.Get(Service, a.ID)
	if err != nil {
		// Moved away since this store opened: say so, not "missing".
		if ix, rerr := s.read(); rerr == nil && s.moved(ix) {
			return a, fmt.Errorf("%s: %w", a.Label(), ErrSecretsMoved)
		}
		return a, fmt.Errorf("%s: %w", a.Label(), err)
	}
	if a.Secret, err = token.DecodeBase32(enc); err != nil {
		return a, fmt.Errorf("%s: %w", a.Label(), ErrSecretMissing)
	}
	return a, nil
}

// Add stores new accounts and returns them with their new ids. Each must be
// valid and must not repeat the issuer and name (compared without regard to
// case) of an enrolled account or of another in the same call: then nothing
// is stored and the error wraps ErrDuplicate.
//
// Order of writes: the new ids are first recorded as pending in the index,
// then the secrets are stored, then the index names the accounts. A crash
// at any instant leaves the old accounts intact and at worst an orphaned
// secret, which the next change removes.
func (s *Store) Add(accs ...token.Account) ([]token.Account, error) {
	var added []token.Account
	err := s.change(func(ix *index, commit func() error) error {
		seen := map[string]bool{}
		for _, e := range ix.Accounts {
			seen[dupKey(e.Issuer, e.Name)] = true
		}
		for _, a := range accs {
			if err := a.Validate(); err != nil {
				return fmt.Errorf("%s: %w", a.Label(), err)
			}
			k := dupKey(a.Issuer, a.Name)
			if seen[k] {
				return fmt.Errorf("%w: %s", ErrDuplicate, a.Label())
			}
			seen[k] = true
		}
		fresh := make([]token.Account, len(accs))
		for i, a := range accs {
			id, err := token.NewID(s.rand)
			if err != nil {
				return err
			}
			a.ID = id
			if a.Type == token.TOTP {
				a.Counter = 0
			} else {
				a.Period = 0
			}
			fresh[i] = a
			ix.Pending = append(ix.Pending, id)
		}
		if err := commit(); err != nil {
			return err
		}
		if v, ok := s.kr.(*Vault); ok {
			// One write for them all, not one per account.
			secrets := make(map[string]string, len(fresh))
			for _, a := range fresh {
				secrets[a.ID] = token.EncodeBase32(a.Secret)
			}
			if err := v.setAll(secrets); err != nil {
				return fmt.Errorf("store the secrets: %w", err)
			}
		} else {
			for _, a := range fresh {
				if err := s.kr.Set(Service, a.ID, token.EncodeBase32(a.Secret)); err != nil {
					// The ids stay pending: the next change deletes what was set.
					return fmt.Errorf("store the secret of %s: %w", a.Label(), err)
				}
			}
		}
		now := time.Now().UTC().Truncate(time.Second)
		for _, a := range fresh {
			ix.Accounts = append(ix.Accounts, entry{ID: a.ID, Issuer: a.Issuer, Name: a.Name, Type: a.Type,
				Algorithm: a.Algorithm, Digits: a.Digits, Period: a.Period, Counter: a.Counter,
				IssuerParam: a.IssuerParam, Added: now})
			ix.Pending = remove(ix.Pending, a.ID)
		}
		if err := commit(); err != nil {
			return err
		}
		added = fresh
		return nil
	})
	return added, err
}

func remove(ids []string, id string) []string {
	out := ids[:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

func dupKey(issuer, name string) string {
	return strings.ToLower(strings.TrimSpace(issuer)) + "\x00" + strings.ToLower(strings.TrimSpace(name))
}

// Remove deletes the account with id: first from the index (its id kept
// as pending), then its secret from the keychain, then the pending mark. A
// secret already missing is no error.
func (s *Store) Remove(id string) error {
	return s.change(func(ix *index, commit func() error) error {
		i := ix.find(id)
		if i < 0 {
			return ErrNotFound
		}
		ix.Accounts = append(ix.Accounts[:i], ix.Accounts[i+1:]...)
		ix.Pending = append(ix.Pending, id)
		if err := commit(); err != nil {
			return err
		}
		if err := s.kr.Delete(Service, id); err != nil && !errors.Is(err, ErrSecretMissing) {
			return fmt.Errorf("delete the secret: %w", err)
		}
		ix.Pending = remove(ix.Pending, id)
		return commit()
	})
}

// Recover deletes the keychain items that an interrupted add or remove
// left behind (see Add), a batch at a time (cleanBatch). Every change does
// this too; call Recover once at start so that a read-only session cleans
// up as well.
func (s *Store) Recover() error {
	return s.change(func(*index, func() error) error { return nil })
}

// Move puts the account with id at position to (0 is the top) in the
// user's order; to is clamped to the list.
func (s *Store) Move(id string, to int) error {
	return s.change(func(ix *index, commit func() error) error {
		i := ix.find(id)
		if i < 0 {
			return ErrNotFound
		}
		e := ix.Accounts[i]
		rest := append(ix.Accounts[:i:i], ix.Accounts[i+1:]...)
		to = max(0, min(to, len(rest)))
		ix.Accounts = append(rest[:to:to], append([]entry{e}, rest[to:]...)...)
		return commit()
	})
}

// Rename changes the issuer and name shown for the account with id. The
// pair must stay unique (ErrDuplicate) and not both be empty.
func (s *Store) Rename(id, issuer, name string) error {
	issuer, name = strings.TrimSpace(issuer), strings.TrimSpace(name)
	if issuer == "" && name == "" {
		return ErrEmptyName
	}
	if err := token.ValidateText(issuer, name); err != nil {
		return err
	}
	return s.change(func(ix *index, commit func() error) error {
		i := ix.find(id)
		if i < 0 {
			return ErrNotFound
		}
		k := dupKey(issuer, name)
		for j, e := range ix.Accounts {
			if j != i && dupKey(e.Issuer, e.Name) == k {
				return fmt.Errorf("%w: %s", ErrDuplicate, e.account().Label())
			}
		}
		ix.Accounts[i].Issuer, ix.Accounts[i].Name = issuer, name
		ix.Accounts[i].IssuerParam = ""
		return commit()
	})
}

// NextHOTPCode spends the next counter of an HOTP account and returns the
// account (as NextHOTP does) and the code of the counter spent: the one
// call for "show, copy or print an HOTP code". The new counter is on disk
// before the code comes back.
func (s *Store) NextHOTPCode(id string) (token.Account, string, error) {
	a, err := s.NextHOTP(id)
	if err != nil {
		return token.Account{}, "", err
	}
	code, err := token.Code(a, time.Time{}) // HOTP: the counter, not the time
	if err != nil {
		return token.Account{}, "", err
	}
	return a, code, nil
}

// ForCode returns acc (as List has it) with its secret, ready to hand its
// code to a login now: an HOTP account's next counter is spent first
// (NextHOTP: its code is the one of the counter returned), a TOTP account
// is read (Get).
func (s *Store) ForCode(acc token.Account) (token.Account, error) {
	if acc.Type == token.HOTP {
		return s.NextHOTP(acc.ID)
	}
	return s.Get(acc.ID)
}

// NextHOTP advances the counter of an HOTP account and returns the account
// as it was, secret included, so that token.Code yields the code of the old
// counter. The new counter is on disk before NextHOTP returns: a code, once
// shown, is never shown again.
func (s *Store) NextHOTP(id string) (token.Account, error) {
	var a token.Account
	err := s.change(func(ix *index, commit func() error) error {
		i := ix.find(id)
		if i < 0 {
			return ErrNotFound
		}
		e := &ix.Accounts[i]
		if e.Type != token.HOTP {
			return fmt.Errorf("%s: %w: not an hotp account", e.account().Label(), token.ErrType)
		}
		if e.Counter == math.MaxUint64 {
			// No next value to save: refuse rather than wrap to 0.
			return fmt.Errorf("%s: %w", e.account().Label(), token.ErrCounterEnd)
		}
		var err error
		// Read the secret before the counter moves, so that a missing secret
		// does not burn a counter value.
		if a, err = s.withSecret(e.account()); err != nil {
			return err
		}
		e.Counter++
		return commit()
	})
	if err != nil {
		return token.Account{}, err
	}
	return a, nil
}

func (ix *index) find(id string) int {
	for i, e := range ix.Accounts {
		if e.ID == id {
			return i
		}
	}
	return -1
}

// read loads the index. A missing file is an empty index.
func (s *Store) read() (*index, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, IndexFile))
	if errors.Is(err, fs.ErrNotExist) {
		return &index{Version: indexVersion}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the account list: %w", err)
	}
	var ix index
	if err := json.Unmarshal(b, &ix); err != nil {
		return nil, fmt.Errorf("%w (%s): %v", ErrIndexCorrupt, filepath.Join(s.dir, IndexFile), err)
	}
	if ix.Version > indexVersion {
		return nil, fmt.Errorf("%w (format %d)", ErrIndexVersion, ix.Version)
	}
	if ix.Version < 1 {
		return nil, fmt.Errorf("%w (%s): no format version", ErrIndexCorrupt, filepath.Join(s.dir, IndexFile))
	}
	// Two entries with one id would share one secret, and removing either
	// would delete the other's. An exact repeat (a copy-paste, a merge
	// gone wrong) is dropped; entries that differ are refused, as nobody
	// can tell which one the secret belongs to.
	seen := make(map[string]int, len(ix.Accounts))  // id → position in kept
	first := make(map[string]int, len(ix.Accounts)) // id → entry number
	kept := ix.Accounts[:0]
	for i, e := range ix.Accounts {
		// Names written before softtoken bounded them are shown neutralised
		// (no control or text-direction character reaches a terminal), and
		// kept in their length; the next write stores them so.
		e.Issuer, e.Name, e.IssuerParam = token.CleanText(e.Issuer), token.CleanText(e.Name), token.CleanText(e.IssuerParam)
		a := e.account()
		a.Issuer, a.Name, a.IssuerParam = "", "", ""
		a.Secret = make(token.Secret, token.MinSecretBytes) // the index holds none; check the rest
		if e.ID == "" || a.Validate() != nil {
			return nil, fmt.Errorf("%w (%s): entry %d is invalid", ErrIndexCorrupt, filepath.Join(s.dir, IndexFile), i+1)
		}
		if j, ok := seen[e.ID]; ok {
			if kept[j] != e {
				return nil, fmt.Errorf("%w (%s): entries %d and %d have the same id", ErrIndexCorrupt, filepath.Join(s.dir, IndexFile), first[e.ID], i+1)
			}
			ix.repaired = true
			continue
		}
		seen[e.ID], first[e.ID] = len(kept), i+1
		kept = append(kept, e)
	}
	ix.Accounts = kept
	return &ix, nil
}

// change runs fn on the index under the file lock. fn calls commit to
// write the index as it stands (any number of times, to order its writes
// around keychain calls); if fn fails after a commit, what was committed
// stays. Before fn, ids left pending by an interrupted change are cleaned.
func (s *Store) change(fn func(ix *index, commit func() error) error) error {
	return s.locked(lockWait, func(ix *index, commit func() error) error {
		if s.moved(ix) {
			return ErrSecretsMoved
		}
		if ix.repaired {
			commit() // best effort: read repairs it again
		}
		if len(ix.Pending) > 0 {
			s.cleanPending(ix, commit)
		}
		return fn(ix, commit)
	})
}

// moved reports whether the index says the secrets are no longer where
// s's keyring keeps them.
func (s *Store) moved(ix *index) bool {
	return ix.Secrets != "" && s.backend != "" && ix.Secrets != s.backend
}

// locked runs fn on the index under the file lock, as it is on disk,
// waiting for the lock at most wait.
func (s *Store) locked(wait time.Duration, fn func(ix *index, commit func() error) error) error {
	// One flock.Flock counts as held for every goroutine once locked, so the
	// mutex orders this process's goroutines first.
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	ok, err := s.lock.TryLockContext(ctx, 10*time.Millisecond)
	if err != nil || !ok {
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			return ErrBusy
		}
		return fmt.Errorf("lock the account list: %w", err)
	}
	defer s.lock.Unlock()

	ix, err := s.read()
	if err != nil {
		return err
	}
	return fn(ix, func() error { return s.write(ix) })
}

// cleanBatch is the most keychain items one change deletes for ids left
// pending. An add of thousands of accounts cut off half-way leaves
// thousands; a keychain takes tens of milliseconds for each, and the lock
// is held meanwhile: so every change cleans one batch, and the rest stays
// pending for the next ones. A vault deletes them all in one write.
const cleanBatch = 64

// cleanPending deletes the keychain items of pending ids that no account
// owns (a batch of them, see cleanBatch). An item that cannot be deleted
// now stays pending for next time.
func (s *Store) cleanPending(ix *index, commit func() error) {
	owned := make(map[string]bool, len(ix.Accounts))
	for _, e := range ix.Accounts {
		owned[e.ID] = true
	}
	var dead []string
	for _, id := range ix.Pending {
		if !owned[id] {
			dead = append(dead, id)
		}
	}
	var keep []string
	if v, ok := s.kr.(*Vault); ok {
		if err := v.deleteAll(dead); err != nil {
			keep = dead
		}
	} else {
		for i, id := range dead {
			if i >= cleanBatch {
				keep = append(keep, dead[i:]...)
				break
			}
			if err := s.kr.Delete(Service, id); err != nil && !errors.Is(err, ErrSecretMissing) {
				keep = append(keep, id)
			}
		}
	}
	ix.Pending = keep
	commit() // best effort: still pending is safe
}

func (s *Store) write(ix *index) error {
	ix.Version = indexVersion
	if ix.Accounts == nil {
		ix.Accounts = []entry{}
	}
	b, err := json.MarshalIndent(ix, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the account list: %w", err)
	}
	return atomicfile.WriteFile(filepath.Join(s.dir, IndexFile), append(b, '\n'), 0o600)
}
