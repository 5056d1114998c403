package launcher

import (
	"errors"
	"net"
	"time"
)

// Credentials is the system's store of saved logins that the RDP client
// reads: Windows Credential Manager, where mstsc.exe looks for a
// "TERMSRV/host" credential for the session and one named by the RD
// Gateway's host name for the gateway. RDPFileClient puts a launch's
// secrets there just before it starts the client and deletes them once
// the client has exited or after RemoveAfter, whichever comes first.
//
// An implementation marks what Put writes as its own, so that Delete and
// Leftovers never touch a credential the person saved themselves.
// DefaultCredentials is the system's; there is one on Windows only.
type Credentials interface {
	// Put saves a short-lived domain credential for target (the name the
	// client looks it up by) with user and secret. It never replaces a
	// credential it did not write: then it fails with ErrCredentialInUse
	// and changes nothing.
	Put(target, user, secret string) error
	// Delete removes the credential for target if Put wrote it; if there
	// is none, or it is not one of ours, it does nothing and succeeds.
	Delete(target string) error
	// Leftovers lists the targets of the credentials Put wrote before
	// the given time that are still there: those of a run that crashed,
	// or whose deletion failed.
	Leftovers(before time.Time) ([]string, error)
}

// ErrCredentialInUse: a saved credential that softtoken did not write has
// the name a launch needs. It is left alone; the person may remove it in
// Credential Manager (Windows Credentials).
var ErrCredentialInUse = errors.New("a saved Windows credential that softtoken did not write is in the way")

// credentialComment marks the credentials softtoken writes, so that it
// finds and deletes its own only. Credential Manager shows it.
const credentialComment = "softtoken: short-lived, removed after launch"

// CleanCredentials deletes the credentials that launches before the given
// time left in c (see Credentials.Leftovers). A nil c has none.
func CleanCredentials(c Credentials, before time.Time) error {
	if c == nil {
		return nil
	}
	targets, err := c.Leftovers(before)
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range targets {
		errs = append(errs, c.Delete(t))
	}
	return errors.Join(errs...)
}

// rdpCredential is one credential that carries a session's secret.
type rdpCredential struct {
	target, user, secret string
	// own: the secret is the person's own password, not the code. A
	// credential they saved for it themselves is used instead, not an
	// error.
	own bool
}

// sessionCredentials are the credentials mstsc.exe reads for s's
// passwords: the gateway's under the gateway's host name (without the
// port), the session's under TERMSRV/host.
func sessionCredentials(s RDPSession) []rdpCredential {
	user := qualifiedUser(s.User, s.Domain)
	var cs []rdpCredential
	if s.GatewayPassword != "" {
		cs = append(cs, rdpCredential{target: gatewayHost(s.Gateway), user: user, secret: s.GatewayPassword})
	}
	if s.Password != "" {
		// With the code at the gateway, the session's password is the
		// person's own (Launcher.rdp puts nothing else there).
		cs = append(cs, rdpCredential{target: "TERMSRV/" + s.Host, user: user, secret: s.Password, own: s.GatewayPassword != ""})
	}
	return cs
}

// gatewayHost is the host name of a gateway given as host[:port].
func gatewayHost(gw string) string {
	if h, _, err := net.SplitHostPort(gw); err == nil {
		return h
	}
	return gw
}
