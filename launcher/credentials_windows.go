package launcher

import (
	"errors"
	"fmt"
	"time"

	"github.com/danieljoos/wincred"
)

// WinCredentials is Windows Credential Manager. Put writes domain
// credentials (the kind mstsc.exe saves and reads) that last for the
// logon session at most (CRED_PERSIST_SESSION), so that one a crash
// leaves is gone at sign-out even if no later start cleans it up. Each
// carries the comment "softtoken: short-lived, removed after launch", by
// which Delete and Leftovers know them.
//
// Caveat: while a credential exists (seconds, a minute at most), programs
// running as the same user can ask Windows to log in with it; they cannot
// read it back.
type WinCredentials struct{}

// DefaultCredentials is Windows Credential Manager (WinCredentials).
func DefaultCredentials() Credentials { return WinCredentials{} }

// Put saves a domain credential for target unless a credential of that
// name that softtoken did not write exists (ErrCredentialInUse).
func (WinCredentials) Put(target, user, secret string) error {
	old, err := wincred.GetDomainPassword(target)
	switch {
	case err == nil && old.Comment != credentialComment:
		return fmt.Errorf("%w: %s", ErrCredentialInUse, target)
	case err != nil && !errors.Is(err, wincred.ErrElementNotFound):
		return fmt.Errorf("read the Windows credential %s: %w", target, err)
	}
	c := wincred.NewDomainPassword(target)
	c.UserName = user
	c.Comment = credentialComment
	c.Persist = wincred.PersistSession
	c.SetPassword(secret)
	err = c.Write()
	clear(c.CredentialBlob)
	if err != nil {
		return fmt.Errorf("save the Windows credential %s: %w", target, err)
	}
	return nil
}

// Delete removes the domain credential for target if softtoken wrote it.
func (WinCredentials) Delete(target string) error {
	c, err := wincred.GetDomainPassword(target)
	if errors.Is(err, wincred.ErrElementNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the Windows credential %s: %w", target, err)
	}
	if c.Comment != credentialComment {
		return nil // replaced meanwhile by someone else: theirs now
	}
	if err := c.Delete(); err != nil && !errors.Is(err, wincred.ErrElementNotFound) {
		return fmt.Errorf("delete the Windows credential %s: %w", target, err)
	}
	return nil
}

// Leftovers lists the targets of the credentials softtoken wrote before
// the given time.
func (WinCredentials) Leftovers(before time.Time) ([]string, error) {
	all, err := wincred.List()
	if err != nil {
		return nil, fmt.Errorf("list the Windows credentials: %w", err)
	}
	var targets []string
	for _, c := range all {
		if c.Comment == credentialComment && c.LastWritten.Before(before) {
			targets = append(targets, c.TargetName)
		}
		clear(c.CredentialBlob)
	}
	return targets, nil
}
