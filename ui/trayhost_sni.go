//go:build !windows && !darwin

package ui

import (
	"context"

	"github.com/godbus/dbus/v5"
)

// Fyne's tray on Linux and the BSDs (fyne.io/systray) is a
// StatusNotifierItem on the session bus, registered with the
// org.kde.StatusNotifierWatcher there; a panel that shows such items
// registers itself as a host with the watcher (KDE Plasma, GNOME's
// AppIndicator extension, XFCE's and LXQt's panels, waybar, snixembed for
// an XEmbed tray). The item shows only where a watcher answers with a
// host registered. An XEmbed-only tray (the _NET_SYSTEM_TRAY_S<n>
// selection of X) does not show it, so that selection is not asked.
const (
	sniWatcher     = "org.kde.StatusNotifierWatcher"
	sniWatcherPath = "/StatusNotifierWatcher"
)

// hasTrayHost reports whether a StatusNotifierWatcher answers on the
// session bus with a host registered, within ctx.
func hasTrayHost(ctx context.Context) bool {
	conn, err := sessionBus(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	return sniHost(ctx, conn)
}

// sessionBus is a connection of its own to the session bus, never
// starting one (dbus-launch) where none runs.
func sessionBus(ctx context.Context) (*dbus.Conn, error) {
	conn, err := dbus.SessionBusPrivateNoAutoStartup(dbus.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, err
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

func sniHost(ctx context.Context, conn *dbus.Conn) bool {
	var has bool
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, sniWatcher).Store(&has); err != nil || !has {
		return false
	}
	var v dbus.Variant
	err := conn.Object(sniWatcher, sniWatcherPath).CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0,
		sniWatcher, "IsStatusNotifierHostRegistered").Store(&v)
	if err != nil {
		return true // a watcher without the property: take its word that it shows items
	}
	registered, ok := v.Value().(bool)
	return !ok || registered
}

// watchTrayHost calls changed with whether a tray host shows the icon:
// at once, then at every change of the watcher or its hosts, until ctx
// ends or the bus goes.
func watchTrayHost(ctx context.Context, changed func(bool)) {
	conn, err := sessionBus(ctx)
	if err != nil {
		changed(false)
		return
	}
	defer conn.Close()
	ch := make(chan *dbus.Signal, 16)
	conn.Signal(ch)
	conn.AddMatchSignalContext(ctx, dbus.WithMatchSender("org.freedesktop.DBus"), dbus.WithMatchMember("NameOwnerChanged"),
		dbus.WithMatchArg(0, sniWatcher))
	conn.AddMatchSignalContext(ctx, dbus.WithMatchInterface(sniWatcher))
	check := func() bool {
		c, cancel := context.WithTimeout(ctx, trayWait)
		defer cancel()
		return sniHost(c, conn)
	}
	last := check()
	changed(last)
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ch:
			if !ok {
				return
			}
			if now := check(); now != last {
				last = now
				changed(now)
			}
		}
	}
}
