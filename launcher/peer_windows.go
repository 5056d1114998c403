package launcher

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	iphlpapi                = windows.NewLazySystemDLL("iphlpapi.dll")
	procGetExtendedTcpTable = iphlpapi.NewProc("GetExtendedTcpTable")
)

// Values of GetExtendedTcpTable's arguments.
const (
	afInet                     = 2 // AF_INET
	tcpTableOwnerPIDConnection = 4 // TCP_TABLE_OWNER_PID_CONNECTIONS
)

// mibTCPRowOwnerPID is MIB_TCPROW_OWNER_PID. Addresses are in network
// byte order as they lie in memory; a port is in network byte order in
// the first two bytes of its DWORD.
type mibTCPRowOwnerPID struct {
	State, LocalAddr, LocalPort, RemoteAddr, RemotePort, OwningPID uint32
}

// checkPeer lets through a loopback connection whose other end belongs to
// a process of this process's user: the system's TCP table names the
// process that owns the peer's socket (the row whose local address is the
// connection's remote one), and that process's token names its user. A
// process this one may not even query is another user's.
func checkPeer(local, remote net.Addr) error {
	l, r, ok := tcpAddrs(local, remote)
	if !ok || l.IP.To4() == nil || r.IP.To4() == nil {
		return errors.New("not an IPv4 TCP connection")
	}
	pid, err := tcpOwner(r, l)
	if err != nil {
		return err
	}
	return sameUser(pid)
}

// tcpOwner returns the id of the process owning the TCP connection from
// local to remote.
func tcpOwner(local, remote *net.TCPAddr) (uint32, error) {
	var size uint32
	var buf []byte
	for range 4 { // the table may grow between the calls
		var p unsafe.Pointer
		if len(buf) > 0 {
			p = unsafe.Pointer(&buf[0])
		}
		rc, _, _ := procGetExtendedTcpTable.Call(uintptr(p), uintptr(unsafe.Pointer(&size)), 0, afInet, tcpTableOwnerPIDConnection, 0)
		switch windows.Errno(rc) {
		case 0:
			return findOwner(buf, local, remote)
		case windows.ERROR_INSUFFICIENT_BUFFER:
			buf = make([]byte, size)
		default:
			return 0, fmt.Errorf("read the TCP table: %w", windows.Errno(rc))
		}
	}
	return 0, errors.New("read the TCP table: it kept growing")
}

func findOwner(buf []byte, local, remote *net.TCPAddr) (uint32, error) {
	if len(buf) < 4 {
		return 0, errors.New("read the TCP table: too short")
	}
	n := int(binary.NativeEndian.Uint32(buf))
	rowSize := int(unsafe.Sizeof(mibTCPRowOwnerPID{}))
	for i := range n {
		off := 4 + i*rowSize
		if off+rowSize > len(buf) {
			break
		}
		row := (*mibTCPRowOwnerPID)(unsafe.Pointer(&buf[off]))
		if rowAddr(row.LocalAddr, row.LocalPort).String() == local.String() &&
			rowAddr(row.RemoteAddr, row.RemotePort).String() == remote.String() {
			return row.OwningPID, nil
		}
	}
	return 0, fmt.Errorf("%w: its socket is not listed", errForeignPeer)
}

// rowAddr turns a row's address and port into a TCP address.
func rowAddr(addr, port uint32) *net.TCPAddr {
	var a, p [4]byte
	binary.NativeEndian.PutUint32(a[:], addr)
	binary.NativeEndian.PutUint32(p[:], port)
	return &net.TCPAddr{IP: net.IPv4(a[0], a[1], a[2], a[3]), Port: int(p[0])<<8 | int(p[1])}
}

// sameUser reports whether process pid runs as this process's user.
func sameUser(pid uint32) error {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return fmt.Errorf("%w (process %d: %v)", errForeignPeer, pid, err)
	}
	defer windows.CloseHandle(h)
	var tok windows.Token
	if err := windows.OpenProcessToken(h, windows.TOKEN_QUERY, &tok); err != nil {
		return fmt.Errorf("%w (process %d: %v)", errForeignPeer, pid, err)
	}
	defer tok.Close()
	theirs, err := tok.GetTokenUser()
	if err != nil {
		return fmt.Errorf("%w (process %d: %v)", errForeignPeer, pid, err)
	}
	ours, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return err
	}
	if !theirs.User.Sid.Equals(ours.User.Sid) {
		return fmt.Errorf("%w (process %d)", errForeignPeer, pid)
	}
	return nil
}
