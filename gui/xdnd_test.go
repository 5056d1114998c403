package gui

import (
	"strconv"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// xdndDrop drops uri (a file:// URI) onto the X window target (an id as
// xdotool prints it) at the screen position x, y, as a file manager does
// by the XDND protocol (version 5,
// https://www.freedesktop.org/wiki/Specifications/XDND/): a source window
// of its own owns the XdndSelection, sends XdndEnter with text/uri-list,
// XdndPosition, waits for the target's XdndStatus, sends XdndDrop,
// answers the target's request for the selection with the URI, and waits
// for XdndFinished. xdotool cannot drag from another program, and no file
// manager runs here; the protocol is what the target sees of one.
func xdndDrop(t *testing.T, target string, x, y int, uri string) {
	t.Helper()
	id, err := strconv.ParseUint(target, 0, 32)
	if err != nil {
		t.Fatalf("window id %q: %v", target, err)
	}
	dst := xproto.Window(id)
	c, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	atom := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(c, false, uint16(len(name)), name).Reply()
		if err != nil {
			t.Fatalf("intern %s: %v", name, err)
		}
		return r.Atom
	}
	var (
		aware     = atom("XdndAware")
		enter     = atom("XdndEnter")
		position  = atom("XdndPosition")
		status    = atom("XdndStatus")
		drop      = atom("XdndDrop")
		finished  = atom("XdndFinished")
		selection = atom("XdndSelection")
		copyAct   = atom("XdndActionCopy")
		uriList   = atom("text/uri-list")
	)
	// The target says which version it speaks (GLFW: 5).
	p, err := xproto.GetProperty(c, false, dst, aware, xproto.AtomAtom, 0, 1).Reply()
	if err != nil || p.ValueLen == 0 {
		t.Fatalf("the window %s is not XdndAware: %v", target, err)
	}
	version := xgb.Get32(p.Value)
	if version > 5 {
		version = 5
	}
	s := xproto.Setup(c).DefaultScreen(c)
	src, err := xproto.NewWindowId(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := xproto.CreateWindowChecked(c, 0, src, s.Root, 0, 0, 1, 1, 0,
		xproto.WindowClassInputOnly, 0, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange}).Check(); err != nil {
		t.Fatal(err)
	}
	defer xproto.DestroyWindow(c, src)
	if err := xproto.SetSelectionOwnerChecked(c, src, selection, xproto.TimeCurrentTime).Check(); err != nil {
		t.Fatal(err)
	}
	send := func(typ xproto.Atom, data ...uint32) {
		var d [5]uint32
		copy(d[:], data)
		ev := xproto.ClientMessageEvent{Format: 32, Window: dst, Type: typ, Data: xproto.ClientMessageDataUnionData32New(d[:])}
		if err := xproto.SendEventChecked(c, false, dst, 0, string(ev.Bytes())).Check(); err != nil {
			t.Fatalf("send %d: %v", typ, err)
		}
	}
	send(enter, uint32(src), version<<24, uint32(uriList))
	send(position, uint32(src), 0, uint32(x)<<16|uint32(y), uint32(xproto.TimeCurrentTime), uint32(copyAct))

	events := make(chan xgb.Event, 16)
	go func() {
		for {
			ev, err := c.WaitForEvent()
			if ev == nil && err == nil {
				close(events)
				return
			}
			if ev != nil {
				events <- ev
			}
		}
	}()
	timeout := time.After(20 * time.Second)
	dropped := false
	for {
		var ev xgb.Event
		var ok bool
		select {
		case ev, ok = <-events:
			if !ok {
				t.Fatal("the X connection closed during the drop")
			}
		case <-timeout:
			t.Fatalf("the drop did not finish in 20 s (dropped: %v)", dropped)
		}
		switch e := ev.(type) {
		case xproto.ClientMessageEvent:
			d := e.Data.Data32
			switch e.Type {
			case status:
				if dropped {
					continue
				}
				if d[1]&1 == 0 {
					t.Fatalf("the window does not accept the drop of text/uri-list")
				}
				send(drop, uint32(src), 0, uint32(xproto.TimeCurrentTime))
				dropped = true
			case finished:
				// GLFW puts the number of bytes it read where the
				// protocol has a flag: 0 is a refusal either way.
				if version >= 5 && d[1] == 0 {
					t.Fatalf("the window finished without taking the drop")
				}
				return
			}
		case xproto.SelectionRequestEvent:
			// The target asks for the URI list: put it on its property.
			n := xproto.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor, Selection: e.Selection, Target: e.Target, Property: xproto.AtomNone}
			if e.Target == uriList {
				data := []byte(uri + "\r\n")
				xproto.ChangeProperty(c, xproto.PropModeReplace, e.Requestor, e.Property, uriList, 8, uint32(len(data)), data)
				n.Property = e.Property
			}
			xproto.SendEvent(c, false, e.Requestor, 0, string(n.Bytes()))
		}
	}
}
