package scan

import (
	"context"
	"errors"
	"fmt"
	"image"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/godbus/dbus/v5"
)

// DefaultCapturer returns the capturer of this desktop: the screenshot
// portal in a Wayland session (WAYLAND_DISPLAY is set), where programs may
// not read the screen themselves, and X11 otherwise. The X11 capturer is
// one for the process, so that its connection and shared memory are kept
// between captures.
func DefaultCapturer() Capturer {
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		return Portal{}
	}
	return defaultX11
}

var defaultX11 = new(X11)

// Portal takes the screenshot through the desktop's
// org.freedesktop.portal.Screenshot D-Bus portal, the one way a Wayland
// session lets a program see the screen. The desktop may ask the user
// first; Capture waits for the answer until ctx ends.
//
// The portal hands back the path of a PNG file it wrote. That picture shows
// the enrollment code and with it the secret, so Capture deletes the file
// once it has read it. Until then it is where the portal put it: for
// xdg-desktop-portal-wlr 0.7 (Debian 12) /tmp/out.png, readable by every
// user of the machine (seen in internal/wayland's tests).
type Portal struct {
	// Conn is the bus to ask on; nil means a connection of its own to the
	// session bus, closed after the call.
	Conn *dbus.Conn
}

const (
	portalDest    = "org.freedesktop.portal.Desktop"
	portalPath    = "/org/freedesktop/portal/desktop"
	portalRequest = "org.freedesktop.portal.Request"
)

var portalTokens atomic.Uint64

// Capture returns the whole desktop as one picture.
func (p Portal) Capture(ctx context.Context) ([]image.Image, error) {
	conn := p.Conn
	if conn == nil {
		c, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("%w (%v)", ErrNoPortal, err)
		}
		defer c.Close()
		conn = c
	}
	names := conn.Names()
	if len(names) == 0 {
		return nil, ErrNoPortal
	}
	// The request object's path is known before the call, so that its
	// answer cannot come before we listen for it.
	token := "softtoken_" + strconv.Itoa(os.Getpid()) + "_" + strconv.FormatUint(portalTokens.Add(1), 10)
	sender := strings.ReplaceAll(strings.TrimPrefix(names[0], ":"), ".", "_")
	want := dbus.ObjectPath(portalPath + "/request/" + sender + "/" + token)
	match := []dbus.MatchOption{dbus.WithMatchInterface(portalRequest), dbus.WithMatchMember("Response")}
	if err := conn.AddMatchSignalContext(ctx, match...); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoPortal, err)
	}
	defer conn.RemoveMatchSignal(match...)
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	defer conn.RemoveSignal(signals)

	opts := map[string]dbus.Variant{
		"handle_token": dbus.MakeVariant(token),
		"modal":        dbus.MakeVariant(true),
		"interactive":  dbus.MakeVariant(false),
	}
	var handle dbus.ObjectPath
	err := conn.Object(portalDest, portalPath).CallWithContext(ctx, "org.freedesktop.portal.Screenshot.Screenshot", 0, "", opts).Store(&handle)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w (%v)", ErrNoPortal, err)
	}
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case s := <-signals:
			if s == nil || (s.Path != handle && s.Path != want) || s.Name != portalRequest+".Response" || len(s.Body) < 2 {
				continue
			}
			return portalResult(s.Body)
		}
	}
}

// portalResult reads the screenshot a Response signal points to.
func portalResult(body []any) ([]image.Image, error) {
	code, _ := body[0].(uint32)
	switch code {
	case 0:
	case 1:
		return nil, ErrCaptureDenied
	default:
		// 2: the request ended otherwise; the backend could not or would
		// not take the picture (xdg-desktop-portal-wlr does so when its
		// grim fails, as on a compositor that refuses to be captured).
		// A portal did answer: ErrNoPortal would send the person off to
		// install one.
		return nil, fmt.Errorf("%w (the desktop did not take it: the portal answered %d)", ErrCaptureDenied, code)
	}
	results, _ := body[1].(map[string]dbus.Variant)
	uri, _ := results["uri"].Value().(string)
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return nil, fmt.Errorf("%w (the portal gave no file)", ErrNoPortal)
	}
	img, err := readShot(u.Path)
	if rmErr := os.Remove(u.Path); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) && err == nil {
		err = fmt.Errorf("remove the screenshot %s: %w", u.Path, rmErr)
	}
	if err != nil {
		return nil, err
	}
	return []image.Image{img}, nil
}

// readShot decodes the portal's file within the package's limits.
func readShot(path string) (image.Image, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read the screenshot: %w", err)
	}
	if fi.Size() > MaxBytes {
		return nil, fmt.Errorf("%w: the screenshot has %d MiB", ErrTooLarge, fi.Size()>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the screenshot: %w", err)
	}
	return decodeImage(data)
}
