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
	"github.com/cityadmin/softtoken/internal/limitread"
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
	b, err := readFile(path, MaxProfileSize)
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

// readFile reads at most limit bytes of path; a longer file is ErrState's
// kin: read as far as the limit, which no file of ours reaches.
func readFile(path string, limit int64) ([]byte, error) {
	b, err := limitread.File(path, limit)
	if errors.Is(err, limitread.ErrTooLarge) {
		return nil, fmt.Errorf("%w (%s is larger than %d KiB)", ErrState, filepath.Base(path), limit>>10)
	}
	return b, err
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o600)
}

// Floor keeps the highest profile version ever accepted where a copy of
// files in the configuration folder cannot lower it: next to the secrets,
// in the OS keychain or the vault (store.Store implements it). The copy in
// profile-version.json alone is undone by restoring an old copy of the
// folder, or by deleting the file.
type Floor interface {
	// ProfileFloor returns the highest version recorded; 0 if none is.
	ProfileFloor() (uint64, error)
	// RaiseProfileFloor records v if it is higher than what is recorded.
	RaiseProfileFloor(v uint64) error
}

// floorOf is the version below which no profile is used: the higher of
// profile-version.json and floor. A floor that does not answer (a locked
// keychain) leaves the file's: the floor guards against old files put in
// place, not against the person's own keychain.
func floorOf(dir string, floor Floor) (file, kept uint64, err error) {
	var st versionState
	if err := readJSON(filepath.Join(dir, ProfileVersionFile), &st); err != nil {
		return 0, 0, err
	}
	if floor != nil {
		if v, err := floor.ProfileFloor(); err == nil {
			kept = v
		}
	}
	return st.Version, kept, nil
}

// Install verifies a signed profile file against keys at time now and, if
// it is good and its version is not lower than any accepted before, makes
// it the installed profile of the configuration folder dir. A refusal
// changes nothing in dir. Installing the same version again is allowed.
//
// The highest version is recorded before the profile is replaced, in floor
// (which may be nil: then in profile-version.json alone) and in
// profile-version.json, so that neither a crash between the writes nor a
// deleted or restored file can let an older profile in.
func Install(dir string, file []byte, keys Keys, now time.Time, floor Floor) (*Profile, error) {
	p, err := Verify(file, keys, now)
	if err != nil {
		return nil, err
	}
	unlock, err := lock(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	inFile, kept, err := floorOf(dir, floor)
	if err != nil {
		return nil, err
	}
	if hi := max(inFile, kept); p.Version < hi {
		return nil, fmt.Errorf("%w (version %d; version %d was installed)", ErrDowngrade, p.Version, hi)
	}
	if floor != nil && p.Version > kept {
		// Best effort: a keychain that does not answer now gets the
		// version at the next read of the profile (Installed).
		floor.RaiseProfileFloor(p.Version)
	}
	if p.Version > inFile {
		if err := writeJSON(filepath.Join(dir, ProfileVersionFile), versionState{p.Version}); err != nil {
			return nil, err
		}
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, ProfileFile), file, 0o600); err != nil {
		return nil, err
	}
	return p, nil
}

// InstallBuiltin installs file, the profile a branded build carries, in
// dir when none is installed there yet, or one of a lower version, or one
// that has expired: a new branded release thus brings its profile along.
// A profile of the same or a higher version is kept, and so is a damaged
// or foreign file (for the person or the help desk to look at: softtoken
// doctor shows it). It reports whether it installed file. A file that
// does not verify against keys at now is refused with Verify's error.
//
// No floor is consulted (Install's floor is nil): opening the store to
// reach it may ask for the vault's passphrase before the window is up.
// profile-version.json guards this install; the clients check the floor
// kept with the secrets at every read, so an older built-in profile put
// in by deleting files is installed but not used.
func InstallBuiltin(dir string, file []byte, keys Keys, now time.Time) (bool, error) {
	builtin, err := Verify(file, keys, now)
	if err != nil {
		return false, err
	}
	installed, err := Installed(dir, keys, now, nil)
	switch {
	case err == nil && installed.Version >= builtin.Version:
		return false, nil
	case err != nil && !errors.Is(err, ErrNoProfile) && !errors.Is(err, ErrExpired):
		return false, nil
	}
	if _, err := Install(dir, file, keys, now, nil); err != nil {
		return false, err
	}
	return true, nil
}

// Installed returns the profile installed in dir, verified again against
// keys and now: ErrNoProfile if there is none, ErrExpired once it has
// expired, and ErrRolledBack if its version is below the highest accepted
// before (profile-version.json, and floor if it is not nil): an older
// signed profile copied in place is not used. A profile above the version
// floor holds is recorded there, so that the floor follows the secrets
// (into a new vault, say) at the first read.
func Installed(dir string, keys Keys, now time.Time, floor Floor) (*Profile, error) {
	b, err := readFile(filepath.Join(dir, ProfileFile), MaxProfileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoProfile
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ProfileFile, err)
	}
	p, err := Verify(b, keys, now)
	if err != nil {
		return nil, err
	}
	inFile, kept, err := floorOf(dir, floor)
	if err != nil {
		return nil, err
	}
	if hi := max(inFile, kept); p.Version < hi {
		return nil, fmt.Errorf("%w (version %d; version %d was accepted before)", ErrRolledBack, p.Version, hi)
	}
	if floor != nil && p.Version > kept {
		floor.RaiseProfileFloor(p.Version) // best effort, as in Install
	}
	return p, nil
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

// FindTarget looks name up among the installed profile's targets (floor as
// for Installed), then
// the user's own. A profile that cannot be used (none, expired, damaged)
// hides only its own targets; its error is returned when name is found
// nowhere else.
func FindTarget(dir, name string, keys Keys, now time.Time, floor Floor) (Target, error) {
	ts := LoadTargets(dir, keys, now, floor)
	if ts.Profile != nil {
		if t, ok := ts.Profile.Target(name); ok {
			return t, nil
		}
	}
	if ts.OwnErr != nil {
		return Target{}, ts.OwnErr
	}
	for _, t := range ts.Own {
		if t.Name == name {
			return t, nil
		}
	}
	if perr := ts.ProfileErr; perr != nil && !errors.Is(perr, ErrNoProfile) {
		return Target{}, fmt.Errorf("%w (%s); and: %w", ErrNoTarget, name, perr)
	}
	return Target{}, fmt.Errorf("%w (%s)", ErrNoTarget, name)
}
