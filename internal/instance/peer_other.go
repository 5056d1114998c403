//go:build !linux && !darwin && !windows

package instance

import "net"

// checkPeer has no peer credentials to read on this system; the folder's
// mode 0700 is what keeps other users out.
func checkPeer(net.Conn) error { return nil }
