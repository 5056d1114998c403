//go:build !windows && !darwin

package launcher

import (
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"time"
)

// SystemOpener opens URLs with xdg-open, without a shell.
type SystemOpener struct{}

// openGrace is how long OpenURL watches xdg-open: it hands the URL to
// the browser and exits, or runs the browser until that ends.
const openGrace = 3 * time.Second

// OpenURL starts xdg-open on u and does not wait for the browser. An
// xdg-open that fails within its first seconds (no browser, a browser
// that could not start) fails the call with ErrLaunch; its output, which
// may quote the URL, is not kept.
func (SystemOpener) OpenURL(u *url.URL) error {
	p, err := startProcess(exec.Command("xdg-open", u.String()), nil)
	if err != nil {
		return err
	}
	t := time.NewTimer(openGrace)
	defer t.Stop()
	select {
	case <-p.Done():
		var ce *ClientError
		if err := p.Wait(); err != nil {
			if errors.As(err, &ce) {
				return fmt.Errorf("%w: xdg-open ended with exit status %d", ErrLaunch, ce.Status)
			}
			return fmt.Errorf("%w: xdg-open failed", ErrLaunch)
		}
	case <-t.C:
	}
	return nil
}

// DefaultRDPClient is FreeRDP (FindFreeRDP).
func DefaultRDPClient() (RDPClient, error) {
	f, err := FindFreeRDP()
	if err != nil {
		return nil, err
	}
	return f, nil
}
