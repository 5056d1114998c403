package launcher

import (
	"net/url"
	"os/exec"
)

// SystemOpener opens URLs with `open`, without a shell.
type SystemOpener struct{}

// OpenURL starts open on u.
func (SystemOpener) OpenURL(u *url.URL) error {
	_, err := startProcess(exec.Command("open", u.String()), nil)
	return err
}

// DefaultRDPClient opens a generated .rdp file with the app the system
// has for it (Windows App, Microsoft Remote Desktop); the code goes on
// the clipboard.
func DefaultRDPClient() (RDPClient, error) {
	return &RDPFileClient{Name: "open", Command: []string{"open"}}, nil
}
