//go:build waylandtest

package wayland

import (
	"encoding/binary"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// pointer is a mouse for the desktop, which has none: a virtual pointer
// (the compositor's zwlr_virtual_pointer_v1, the protocol that wlrctl and
// remote-desktop servers use), spoken on the Wayland socket directly since
// Debian 12 has no program that offers it. The window gets its clicks as
// from any mouse: the compositor moves its cursor and sends wl_pointer
// events. (wtype's virtual keyboard is no help: GLFW reads evdev key codes
// and ignores the keymap wtype sends along with its made-up codes.)
type pointer struct {
	c         *net.UnixConn
	next, ptr uint32
}

// wl_display's and the virtual pointer's requests.
const (
	displaySync, displayGetRegistry = 0, 1
	registryBind                    = 0
	managerCreatePointer            = 0
	pointerMotionAbsolute           = 1
	pointerButton                   = 2
	pointerFrame                    = 4
	btnLeft                         = 0x110 // BTN_LEFT of linux/input-event-codes.h
)

// newPointer adds a virtual pointer to the desktop's seat, removed when t
// ends. Start it before the window, so that the window finds a pointer on
// the seat as it starts.
func newPointer(t *testing.T) *pointer {
	t.Helper()
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), os.Getenv("WAYLAND_DISPLAY")), Net: "unix"})
	if err != nil {
		t.Fatalf("connect to the compositor: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	p := &pointer{c: c, next: 2}
	registry := p.id()
	p.send(t, 1, displayGetRegistry, registry)
	type global struct{ name, version uint32 }
	globals := map[string]global{}
	p.roundtrip(t, func(obj, op uint32, body []byte) {
		if obj == registry && op == 0 { // wl_registry.global
			name := binary.LittleEndian.Uint32(body)
			iface, rest := wlString(body[4:])
			globals[iface] = global{name, binary.LittleEndian.Uint32(rest)}
		}
	})
	seat, ok1 := globals["wl_seat"]
	manager, ok2 := globals["zwlr_virtual_pointer_manager_v1"]
	if !ok1 || !ok2 {
		t.Fatalf("the compositor offers no wl_seat or zwlr_virtual_pointer_manager_v1")
	}
	seatID, managerID := p.id(), p.id()
	p.send(t, registry, registryBind, seat.name, "wl_seat", uint32(1), seatID)
	p.send(t, registry, registryBind, manager.name, "zwlr_virtual_pointer_manager_v1", uint32(1), managerID)
	p.ptr = p.id()
	p.send(t, managerID, managerCreatePointer, seatID, p.ptr)
	p.roundtrip(t, nil)
	return p
}

// click moves the cursor to x,y of the 1920x1080 desktop and clicks the
// left button there.
func (p *pointer) click(t *testing.T, x, y int) {
	t.Helper()
	ms := uint32(time.Now().UnixMilli())
	// Two moves: the first makes the cursor enter the window, the second
	// tells it where the cursor is (GLFW takes the position from motion
	// events only, not from the enter event).
	for i, dx := range []int{-2, 0} {
		p.send(t, p.ptr, pointerMotionAbsolute, ms+uint32(i*20), uint32(x+dx), uint32(y), uint32(1920), uint32(1080))
		p.send(t, p.ptr, pointerFrame)
		p.roundtrip(t, nil)
		time.Sleep(20 * time.Millisecond)
	}
	// A pause between the moves, as a hand makes: the window sees the
	// cursor arrive before the button goes down.
	time.Sleep(150 * time.Millisecond)
	p.send(t, p.ptr, pointerButton, ms+150, uint32(btnLeft), uint32(1))
	p.send(t, p.ptr, pointerFrame)
	p.roundtrip(t, nil)
	time.Sleep(100 * time.Millisecond)
	p.send(t, p.ptr, pointerButton, ms+250, uint32(btnLeft), uint32(0))
	p.send(t, p.ptr, pointerFrame)
	p.roundtrip(t, nil)
}

func (p *pointer) id() uint32 {
	p.next++
	return p.next - 1
}

// send writes one request: the object, the opcode and the arguments
// (uint32s and strings) in Wayland's wire format.
func (p *pointer) send(t *testing.T, obj, op uint32, args ...any) {
	t.Helper()
	var body []byte
	for _, a := range args {
		switch v := a.(type) {
		case uint32:
			body = binary.LittleEndian.AppendUint32(body, v)
		case string:
			body = binary.LittleEndian.AppendUint32(body, uint32(len(v)+1))
			body = append(body, v...)
			body = append(body, make([]byte, 4-len(v)%4)...) // the NUL, padded to 4
		}
	}
	msg := binary.LittleEndian.AppendUint32(nil, obj)
	msg = binary.LittleEndian.AppendUint32(msg, uint32(8+len(body))<<16|op)
	if _, err := p.c.Write(append(msg, body...)); err != nil {
		t.Fatalf("wayland: %v", err)
	}
}

// roundtrip sends wl_display.sync and hands every event to handle until
// its callback is done; a protocol error fails t.
func (p *pointer) roundtrip(t *testing.T, handle func(obj, op uint32, body []byte)) {
	t.Helper()
	cb := p.id()
	p.send(t, 1, displaySync, cb)
	p.c.SetReadDeadline(time.Now().Add(20 * time.Second))
	head := make([]byte, 8)
	for {
		if _, err := readFull(p.c, head); err != nil {
			t.Fatalf("wayland: %v", err)
		}
		obj, word := binary.LittleEndian.Uint32(head), binary.LittleEndian.Uint32(head[4:])
		body := make([]byte, word>>16-8)
		if _, err := readFull(p.c, body); err != nil {
			t.Fatalf("wayland: %v", err)
		}
		op := word & 0xffff
		switch {
		case obj == 1 && op == 0: // wl_display.error
			msg, _ := wlString(body[8:])
			t.Fatalf("wayland: error on object %d: %s", binary.LittleEndian.Uint32(body), msg)
		case obj == cb:
			return
		case handle != nil:
			handle(obj, op, body)
		}
	}
}

func readFull(c *net.UnixConn, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := c.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// wlString reads a string argument and returns it and what follows it.
func wlString(b []byte) (string, []byte) {
	if len(b) < 4 {
		return "", nil
	}
	n := int(binary.LittleEndian.Uint32(b))
	padded := (n + 3) &^ 3
	if n == 0 || 4+padded > len(b) {
		return "", nil
	}
	return string(b[4 : 4+n-1]), b[4+padded:]
}
