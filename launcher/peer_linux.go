package launcher

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
)

// checkPeer lets through a loopback connection whose other end is a socket
// of this process's user, by the kernel's word: /proc/net/tcp and tcp6
// list every TCP socket of the network namespace with the uid that owns
// it, and the peer's socket is the one whose local address is the
// connection's remote one and the other way round.
func checkPeer(local, remote net.Addr) error {
	l, r, ok := tcpAddrs(local, remote)
	if !ok {
		return errors.New("not a TCP connection")
	}
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		uid, found, err := socketOwner(f, r, l)
		f.Close()
		if err != nil {
			return err
		}
		if found {
			if uid != os.Geteuid() {
				return fmt.Errorf("%w (uid %d)", errForeignPeer, uid)
			}
			return nil
		}
	}
	return fmt.Errorf("%w: its socket is not listed", errForeignPeer)
}

// socketOwner finds in a /proc/net/tcp{,6} table the socket with local
// address local and remote address remote, and returns its owner's uid.
func socketOwner(table io.Reader, local, remote *net.TCPAddr) (uid int, found bool, err error) {
	sc := bufio.NewScanner(table)
	sc.Scan() // the heading
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 8 {
			continue
		}
		la, err1 := parseProcAddr(f[1])
		ra, err2 := parseProcAddr(f[2])
		if err1 != nil || err2 != nil || !sameAddr(la, local) || !sameAddr(ra, remote) {
			continue
		}
		uid, err := strconv.Atoi(f[7])
		if err != nil {
			return 0, false, fmt.Errorf("read the socket table: %w", err)
		}
		return uid, true, nil
	}
	return 0, false, sc.Err()
}

// parseProcAddr reads "0100007F:1F90" (IPv4) or 32 hex digits and a port
// (IPv6): the address as the kernel prints it, in 32-bit words of the
// machine's byte order, and the port in hex.
func parseProcAddr(s string) (*net.TCPAddr, error) {
	host, port, ok := strings.Cut(s, ":")
	if !ok {
		return nil, errors.New("no port")
	}
	b, err := hex.DecodeString(host)
	if err != nil || (len(b) != 4 && len(b) != 16) {
		return nil, errors.New("bad address")
	}
	ip := make(net.IP, len(b))
	for i := 0; i < len(b); i += 4 {
		binary.NativeEndian.PutUint32(ip[i:], binary.BigEndian.Uint32(b[i:]))
	}
	p, err := strconv.ParseUint(port, 16, 16)
	if err != nil {
		return nil, errors.New("bad port")
	}
	return &net.TCPAddr{IP: ip, Port: int(p)}, nil
}

// sameAddr compares two TCP addresses, an IPv4 one equal to its
// IPv4-mapped IPv6 form.
func sameAddr(a, b *net.TCPAddr) bool { return a.Port == b.Port && a.IP.Equal(b.IP) }
