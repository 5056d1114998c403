package launcher

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"

	"github.com/cityadmin/softtoken/internal/atomicfile"
	"github.com/cityadmin/softtoken/token"
)

// Files of what the person said about their launch targets, in the
// configuration folder.
const (
	TargetStateFile = "targets-chosen.json"
	targetStateLock = "targets-chosen.lock"
)

// ErrChooseAccount: the target names no account, several are enrolled and
// the person has not chosen one for it (or the one chosen is gone). The
// window asks; the command line says to choose there, or with --account.
var ErrChooseAccount = errors.New("the target names no account and several are enrolled: choose one")

// TargetChoice is what the person said about one launch target. It holds
// no secret: an account id and a flag.
type TargetChoice struct {
	// Account is the id of the account whose code goes to a target that
	// names none (Target.Account empty) while several are enrolled.
	Account string `json:"account,omitempty"`
	// PinNoticeSeen: the person was told once that this remote desktop's
	// profile pins no certificate (RDP.CertFingerprints empty).
	PinNoticeSeen bool `json:"pinNoticeSeen,omitempty"`
}

// TargetState is the record of TargetChoice per target name, one JSON file
// (TargetStateFile) in Dir, replaced atomically with mode 0600 under a file
// lock, shared by the window and the command line.
type TargetState struct {
	Dir string // the configuration folder, as the index's (store.Store.Dir)
}

type targetStateFile struct {
	Targets map[string]TargetChoice `json:"targets"`
}

// Get returns what was recorded for the target named name (the zero
// TargetChoice if nothing). A missing file is no error.
func (s TargetState) Get(name string) (TargetChoice, error) {
	var st targetStateFile
	if err := readJSON(filepath.Join(s.Dir, TargetStateFile), &st); err != nil {
		return TargetChoice{}, err
	}
	return st.Targets[name], nil
}

// Update changes what is recorded for the target named name with fn.
func (s TargetState) Update(name string, fn func(*TargetChoice)) error {
	if s.Dir == "" {
		return errors.New("no folder for the launch targets' choices")
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", s.Dir, err)
	}
	l := flock.New(filepath.Join(s.Dir, targetStateLock))
	if err := l.Lock(); err != nil {
		return fmt.Errorf("lock the launch targets' choices: %w", err)
	}
	defer l.Unlock()
	path := filepath.Join(s.Dir, TargetStateFile)
	var st targetStateFile
	if err := readJSON(path, &st); err != nil {
		// Damaged: started afresh. It holds choices the person makes
		// again when asked, nothing that cannot be had again.
		st = targetStateFile{}
	}
	if st.Targets == nil {
		st.Targets = map[string]TargetChoice{}
	}
	c := st.Targets[name]
	fn(&c)
	if c == (TargetChoice{}) {
		delete(st.Targets, name)
	} else {
		st.Targets[name] = c
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o600)
}

// NeedsChoice reports whether the account of t is the person's to choose:
// t names none and more than one account is enrolled.
func NeedsChoice(t Target, enrolled int) bool { return t.Account == "" && enrolled > 1 }

// ChosenAccount is the account whose code goes to t: where t names one,
// or no more than one is enrolled, TargetAccount's; where t names none,
// the one the person chose (chosen, an account id) if it is still
// enrolled. Otherwise it fails with ErrChooseAccount (several enrolled).
func ChosenAccount(accs []token.Account, t Target, chosen string) (token.Account, error) {
	if t.Account != "" || len(accs) <= 1 {
		return TargetAccount(t, accs)
	}
	for _, a := range accs {
		if chosen != "" && a.ID == chosen {
			return a, nil
		}
	}
	return token.Account{}, fmt.Errorf("target %q: %w", t.Name, ErrChooseAccount)
}

// NeedsPinNotice reports whether the person should be told, before t's
// first launch, that its profile pins no certificate: a remote desktop
// whose first connection trusts whatever certificate the server shows
// (FreeRDP's /cert:tofu). seen is TargetChoice.PinNoticeSeen.
func NeedsPinNotice(t Target, seen bool) bool {
	return !seen && t.Type == KindRDP && t.RDP != nil && len(t.RDP.CertPins()) == 0
}

// All returns everything recorded, by target name (nil if nothing).
func (s TargetState) All() (map[string]TargetChoice, error) {
	var st targetStateFile
	if err := readJSON(filepath.Join(s.Dir, TargetStateFile), &st); err != nil {
		return nil, err
	}
	return st.Targets, nil
}
