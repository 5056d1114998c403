package launcher

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/cityadmin/softtoken/internal/atomicfile"
)

// Files of the record of codes handed out, in the configuration folder.
const (
	HandedFile = "handed.json" // per account, the last time step whose code was handed out
	handedLock = "handed.lock"
)

// handedKeep is how long an account's entry is kept after its code was
// handed out: long past any period (at most an hour).
const handedKeep = 24 * time.Hour

// Handed is the record of the TOTP codes softtoken has handed to a login
// (a launch, a copy, a code typed): per account, the time step (Unix
// time divided by the period) of the last one. A code is good for one
// login only, as real one-time-password servers enforce (pam_oath,
// privacyIDEA refuse a code used once, and one older than the last);
// with the record, a launch within the same period waits for the next
// code instead of handing out one that is refused. It holds no code and
// no secret, only account ids and time steps.
//
// The record is one JSON file (HandedFile) in Dir, replaced atomically
// with mode 0600 under a file lock, so that the window and the command
// line, in two processes, see each other's codes.
type Handed struct {
	Dir string // the configuration folder, as the index's (store.Store.Dir)
}

type handedState struct {
	Accounts map[string]handedStep `json:"accounts"`
}

type handedStep struct {
	Period int   `json:"period"` // seconds
	Step   int64 `json:"step"`   // Unix time / Period
}

// start is when the step's period began.
func (s handedStep) start() time.Time { return time.Unix(s.Step*int64(s.Period), 0) }

// Claim records that the code of account id (of the given period) at
// time at is handed out, and reports true; unless a code of the same
// period or a later one was handed out before: then it reports false and
// records nothing.
func (h *Handed) Claim(id string, period int, at time.Time) (bool, error) {
	if id == "" || period <= 0 {
		return true, nil
	}
	ok := false
	err := h.update(at, func(st *handedState) bool {
		step := handedStep{Period: period, Step: at.Unix() / int64(period)}
		if last, seen := st.Accounts[id]; seen && !step.start().After(last.start()) {
			return false
		}
		st.Accounts[id] = step
		ok = true
		return true
	})
	return ok, err
}

// Used reports whether the code of account id at time at, or a later
// one, was handed out already.
func (h *Handed) Used(id string, period int, at time.Time) (bool, error) {
	if id == "" || period <= 0 {
		return false, nil
	}
	var st handedState
	if err := readJSON(filepath.Join(h.Dir, HandedFile), &st); err != nil {
		return false, fmt.Errorf("%w: %v", ErrState, err)
	}
	last, seen := st.Accounts[id]
	step := handedStep{Period: period, Step: at.Unix() / int64(period)}
	return seen && !step.start().After(last.start()), nil
}

// update runs fn on the record under the lock and writes it if fn says
// so, without the entries older than handedKeep.
func (h *Handed) update(now time.Time, fn func(*handedState) bool) error {
	if h.Dir == "" {
		return errors.New("no folder for the record of codes handed out")
	}
	if err := os.MkdirAll(h.Dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", h.Dir, err)
	}
	l := flock.New(filepath.Join(h.Dir, handedLock))
	if err := l.Lock(); err != nil {
		return fmt.Errorf("lock the record of codes handed out: %w", err)
	}
	defer l.Unlock()
	path := filepath.Join(h.Dir, HandedFile)
	var st handedState
	if err := readJSON(path, &st); err != nil {
		// A damaged record is started afresh: it only keeps a launch
		// from handing out a code twice, and holds nothing to lose.
		st = handedState{}
	}
	if st.Accounts == nil {
		st.Accounts = map[string]handedStep{}
	}
	if !fn(&st) {
		return nil
	}
	for id, s := range st.Accounts {
		if now.Sub(s.start()) > handedKeep {
			delete(st.Accounts, id)
		}
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o600)
}
