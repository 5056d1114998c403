//go:build !windows

package launcher

// DefaultCredentials is nil: only Windows has a credential store that the
// RDP client reads.
func DefaultCredentials() Credentials { return nil }
