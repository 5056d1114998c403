package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
)

// defaultProfile is the organisation's signed provisioning profile that a
// branded build carries (make package ORG=...), in standard base64, set
// with -ldflags "-X main.defaultProfile=...". Empty in a plain build.
var defaultProfile = ""

// installDefaultProfile installs the built-in profile in the configuration
// folder when none is installed there yet, or only a lower version: a
// new branded release thus brings its profile along. A profile installed
// by hand of the same or a higher version is kept. Failures are reported
// to w and are not fatal: the app works without a profile.
func installDefaultProfile(w io.Writer, now time.Time) {
	if defaultProfile == "" {
		return
	}
	if err := installProfile(defaultProfile, now); err != nil {
		fmt.Fprintf(w, "softtoken: the built-in profile was not installed: %v\n", err)
	}
}

func installProfile(b64 string, now time.Time) error {
	file, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return fmt.Errorf("%w: not base64", launcher.ErrMalformed)
	}
	keys, err := launcher.BuiltinKeys()
	if err != nil {
		return err
	}
	builtin, err := launcher.Verify(file, keys, now)
	if err != nil {
		return err
	}
	dir, err := store.DefaultDir()
	if err != nil {
		return err
	}
	// No floor beside the secrets here: opening the store may ask for the
	// vault's passphrase before the window is up. profile-version.json
	// guards this install; the window checks the floor kept with the
	// secrets at every read, so an older built-in profile put in by
	// deleting files is installed but not used.
	installed, err := launcher.Installed(dir, keys, now, nil)
	switch {
	case err == nil && installed.Version >= builtin.Version:
		return nil
	case err != nil && !errors.Is(err, launcher.ErrNoProfile) && !errors.Is(err, launcher.ErrExpired):
		// A damaged or foreign file is left for the person (or the help
		// desk) to look at: softtoken doctor shows it.
		return nil
	}
	_, err = launcher.Install(dir, file, keys, now, nil)
	return err
}
