package launcher

import (
	"errors"
	"net"
	"sync/atomic"
)

// errForeignPeer: a connection to the one-time address came from a
// process of another user.
var errForeignPeer = errors.New("the connection comes from a program of another user")

// ownerListener accepts only the connections that checkPeer lets through:
// those of a process of the person's own user. Any other is closed at
// once, before a byte of it is read, and counted.
type ownerListener struct {
	net.Listener
	refused atomic.Int32
}

func (l *ownerListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if err := checkPeer(c.LocalAddr(), c.RemoteAddr()); err != nil {
			// Fail closed: a peer that cannot be told apart is refused too;
			// the browser of the person then reports the address dead, and
			// the launch says the browser never came.
			l.refused.Add(1)
			c.Close()
			continue
		}
		return c, nil
	}
}

// tcpAddrs returns the TCP addresses of a loopback connection, local (the
// relay's) and remote (the peer's); ok is false for anything else.
func tcpAddrs(local, remote net.Addr) (l, r *net.TCPAddr, ok bool) {
	l, ok1 := local.(*net.TCPAddr)
	r, ok2 := remote.(*net.TCPAddr)
	return l, r, ok1 && ok2
}
