package urlhandler

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// Supported reports whether Register works on this system.
const Supported = true

const classes = `Software\Classes\`

func command(exe string) string { return `"` + exe + `" "%1"` }

// Status tells who handles the first scheme (otpauth) for this user.
func Status(exe string) (State, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, classes+Schemes[0]+`\shell\open\command`, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return NotRegistered, nil
	}
	if err != nil {
		return NotRegistered, fmt.Errorf("read the otpauth handler: %w", err)
	}
	defer k.Close()
	cmd, _, err := k.GetStringValue("")
	if err != nil {
		return NotRegistered, nil
	}
	switch {
	case strings.EqualFold(cmd, command(exe)):
		return ThisProgram, nil
	case isSoftToken(cmd):
		return OtherSoftToken, nil
	}
	return OtherProgram, nil
}

// isSoftToken reports whether a handler command runs a softtoken.exe.
func isSoftToken(cmd string) bool {
	exe := cmd
	if strings.HasPrefix(cmd, `"`) {
		if i := strings.Index(cmd[1:], `"`); i >= 0 {
			exe = cmd[1 : i+1]
		}
	}
	return strings.EqualFold(filepath.Base(exe), "softtoken.exe")
}

// Register makes exe (an absolute path) the handler of Schemes for this
// user:
//
//	HKCU\Software\Classes\otpauth               (default) "URL:otpauth link", "URL Protocol" ""
//	HKCU\Software\Classes\otpauth\DefaultIcon   (default) "exe,0"
//	HKCU\Software\Classes\otpauth\shell\open\command  (default) "\"exe\" \"%1\""
//
// and the same for otpauth-migration.
func Register(exe string) error {
	if !filepath.IsAbs(exe) {
		return fmt.Errorf("register the otpauth handler: %s is not an absolute path", exe)
	}
	for _, s := range Schemes {
		set := func(path, name, value string) error {
			k, _, err := registry.CreateKey(registry.CURRENT_USER, classes+path, registry.SET_VALUE)
			if err != nil {
				return err
			}
			defer k.Close()
			return k.SetStringValue(name, value)
		}
		for _, v := range [][3]string{
			{s, "", "URL:" + s + " link"},
			{s, "URL Protocol", ""},
			{s + `\DefaultIcon`, "", exe + ",0"},
			{s + `\shell\open\command`, "", command(exe)},
		} {
			if err := set(v[0], v[1], v[2]); err != nil {
				return fmt.Errorf("register the %s handler: %w", s, err)
			}
		}
	}
	return nil
}

// Unregister removes the handler keys of Schemes that run a softtoken; a
// scheme another program handles is left alone.
func Unregister() error {
	for _, s := range Schemes {
		k, err := registry.OpenKey(registry.CURRENT_USER, classes+s+`\shell\open\command`, registry.QUERY_VALUE)
		if errors.Is(err, registry.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read the %s handler: %w", s, err)
		}
		cmd, _, _ := k.GetStringValue("")
		k.Close()
		if !isSoftToken(cmd) {
			continue
		}
		// Keys are deleted leaf first: registry.DeleteKey takes no tree.
		for _, sub := range []string{`\shell\open\command`, `\shell\open`, `\shell`, `\DefaultIcon`, ""} {
			if err := registry.DeleteKey(registry.CURRENT_USER, classes+s+sub); err != nil && !errors.Is(err, registry.ErrNotExist) {
				return fmt.Errorf("remove the %s handler: %w", s, err)
			}
		}
	}
	return nil
}
