//go:build !windows && !darwin

package launcher

import (
	"net/url"
	"os/exec"
)

// SystemOpener opens URLs with xdg-open, without a shell.
type SystemOpener struct{}

// OpenURL starts xdg-open on u and does not wait for the browser.
func (SystemOpener) OpenURL(u *url.URL) error {
	_, err := startProcess(exec.Command("xdg-open", u.String()), nil)
	return err
}

// DefaultRDPClient is FreeRDP (FindFreeRDP).
func DefaultRDPClient() (RDPClient, error) {
	f, err := FindFreeRDP()
	if err != nil {
		return nil, err
	}
	return f, nil
}
