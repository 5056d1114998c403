package launcher

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/cityadmin/softtoken/internal/atomicfile"
)

// Files in the configuration folder (store.DefaultDir), each replaced
// atomically with mode 0600.
const (
	ProfileFile        = "profile.json"         // the installed signed file, as it came
	ProfileVersionFile = "profile-version.json" // the highest profile version ever accepted
	UserTargetsFile    = "targets.json"         // targets the user added
	lockFile           = "profile.lock"
)

// ErrState: a file of the launcher in the configuration folder cannot be
// read. It is left as it is.
var ErrState = errors.New("the launcher's settings file is damaged")

// ErrTargetExists: a target of that name exists.
var ErrTargetExists = errors.New("a target of that name exists")

// ErrNoTarget: no target has that name.
var ErrNoTarget = errors.New("no target of that name")

type versionState struct {
	Version uint64 `json:"version"`
}

func lock(dir string) (unlock func(), err error) { return takeLock(dir, lockFile) }

// takeLock takes the file lock name in dir, across processes, creating dir
// if need be.
func takeLock(dir, name string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	l := flock.New(filepath.Join(dir, name))
	if err := l.Lock(); err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	return func() { l.Unlock() }, nil
}

// readJSON reads a JSON file into v; a missing file leaves v as it is.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%w (%s)", ErrState, filepath.Base(path))
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o600)
}

// Install verifies a signed profile file against keys at time now and, if
// it is good and its version is not lower than any accepted before, makes
// it the installed profile of the configuration folder dir. A refusal
// changes nothing in dir. Installing the same version again is allowed.
//
// The highest version is recorded before the profile is replaced, so that
// a crash between the two writes can never let an older profile in.
func Install(dir string, file []byte, keys Keys, now time.Time) (*Profile, error) {
	p, err := Verify(file, keys, now)
	if err != nil {
		return nil, err
	}
	unlock, err := lock(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var st versionState
	if err := readJSON(filepath.Join(dir, ProfileVersionFile), &st); err != nil {
		return nil, err
	}
	if p.Version < st.Version {
		return nil, fmt.Errorf("%w (version %d; version %d was installed)", ErrDowngrade, p.Version, st.Version)
	}
	if p.Version > st.Version {
		if err := writeJSON(filepath.Join(dir, ProfileVersionFile), versionState{p.Version}); err != nil {
			return nil, err
		}
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, ProfileFile), file, 0o600); err != nil {
		return nil, err
	}
	return p, nil
}

// Installed returns the profile installed in dir, verified again against
// keys and now: ErrNoProfile if there is none, ErrExpired once it has
// expired.
func Installed(dir string, keys Keys, now time.Time) (*Profile, error) {
	b, err := os.ReadFile(filepath.Join(dir, ProfileFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoProfile
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ProfileFile, err)
	}
	return Verify(b, keys, now)
}

// UserTargets returns the targets the user added in dir.
func UserTargets(dir string) ([]Target, error) {
	var ts []Target
	if err := readJSON(filepath.Join(dir, UserTargetsFile), &ts); err != nil {
		return nil, err
	}
	for _, t := range ts {
		if err := ValidateUserTarget(t); err != nil {
			return nil, fmt.Errorf("%w (%s): %v", ErrState, UserTargetsFile, err)
		}
	}
	return ts, nil
}

// AddUserTarget adds a target of the user's own: web, https, clipboard
// mode (ValidateUserTarget). Its name must be new.
func AddUserTarget(dir string, t Target) error {
	if err := ValidateUserTarget(t); err != nil {
		return err
	}
	return changeUserTargets(dir, func(ts []Target) ([]Target, error) {
		for _, o := range ts {
			if o.Name == t.Name {
				return nil, fmt.Errorf("%w (%s)", ErrTargetExists, t.Name)
			}
		}
		return append(ts, t), nil
	})
}

// RemoveUserTarget removes the user's target called name.
func RemoveUserTarget(dir, name string) error {
	return changeUserTargets(dir, func(ts []Target) ([]Target, error) {
		for i, o := range ts {
			if o.Name == name {
				return append(ts[:i:i], ts[i+1:]...), nil
			}
		}
		return nil, fmt.Errorf("%w (%s)", ErrNoTarget, name)
	})
}

// changeUserTargets rewrites the user's targets with what fn makes of them,
// under the lock; if fn fails, nothing is written.
func changeUserTargets(dir string, fn func([]Target) ([]Target, error)) error {
	unlock, err := lock(dir)
	if err != nil {
		return err
	}
	defer unlock()
	ts, err := UserTargets(dir)
	if err != nil {
		return err
	}
	if ts, err = fn(ts); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, UserTargetsFile), ts)
}

// FindTarget looks name up among the installed profile's targets, then
// the user's own. A profile that cannot be used (none, expired, damaged)
// hides only its own targets; its error is returned when name is found
// nowhere else.
func FindTarget(dir, name string, keys Keys, now time.Time) (Target, error) {
	p, perr := Installed(dir, keys, now)
	if perr == nil {
		if t, ok := p.Target(name); ok {
			return t, nil
		}
	}
	ts, err := UserTargets(dir)
	if err != nil {
		return Target{}, err
	}
	for _, t := range ts {
		if t.Name == name {
			return t, nil
		}
	}
	if perr != nil && !errors.Is(perr, ErrNoProfile) {
		return Target{}, fmt.Errorf("%w (%s); and: %w", ErrNoTarget, name, perr)
	}
	return Target{}, fmt.Errorf("%w (%s)", ErrNoTarget, name)
}
