package main

import (
	"encoding/base64"
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
// folder as launcher.InstallBuiltin says (none there yet, or a lower or
// expired version). Failures are reported to w and are not fatal: the app
// works without a profile.
func installDefaultProfile(w io.Writer, now time.Time) {
	if defaultProfile == "" {
		return
	}
	err := func() error {
		file, err := base64.StdEncoding.DecodeString(defaultProfile)
		if err != nil {
			return fmt.Errorf("%w: not base64", launcher.ErrMalformed)
		}
		keys, err := launcher.BuiltinKeys()
		if err != nil {
			return err
		}
		dir, err := store.DefaultDir()
		if err != nil {
			return err
		}
		_, err = launcher.InstallBuiltin(dir, file, keys, now)
		return err
	}()
	if err != nil {
		fmt.Fprintf(w, "softtoken: the built-in profile was not installed: %v\n", err)
	}
}
