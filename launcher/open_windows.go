package launcher

import (
	"net/url"
	"os/exec"
)

// SystemOpener opens URLs with the default browser through
// url.dll's FileProtocolHandler, without a shell.
type SystemOpener struct{}

// OpenURL starts rundll32 on u and does not wait for the browser.
func (SystemOpener) OpenURL(u *url.URL) error {
	_, err := startProcess(exec.Command("rundll32", "url.dll,FileProtocolHandler", u.String()), nil)
	return err
}

// DefaultRDPClient is mstsc.exe with a generated .rdp file. The code goes
// through short-lived Windows credentials where the target allows it
// (RDP.CredentialManager), else on the clipboard.
func DefaultRDPClient() (RDPClient, error) {
	return &RDPFileClient{Name: "mstsc.exe", Command: []string{"mstsc.exe"}, RemoveOnExit: true,
		Credentials: DefaultCredentials()}, nil
}
