package scan

import (
	"context"
	"errors"
	"image"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cityadmin/softtoken/internal/testenv"
)

func connect(t *testing.T, address string) *dbus.Conn {
	t.Helper()
	c, err := dbus.Connect(address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// fakePortal answers org.freedesktop.portal.Screenshot.Screenshot as the
// real portal does: it returns the request's object path, writes the
// picture to a file and emits Response with the file's URI. The real
// portal runs in internal/wayland (make test-wayland); this stand-in stays
// for what it cannot show here: a person who says no (response 1), and
// the options of the request.
type fakePortal struct {
	mu       sync.Mutex // the bus calls Screenshot on a goroutine of its own
	conn     *dbus.Conn
	dir      string
	png      []byte
	response uint32
	options  map[string]dbus.Variant
}

func (p *fakePortal) Screenshot(msg dbus.Message, parent string, options map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	p.mu.Lock()
	p.options = options
	response := p.response
	p.mu.Unlock()
	sender, _ := msg.Headers[dbus.FieldSender].Value().(string)
	token, _ := options["handle_token"].Value().(string)
	path := dbus.ObjectPath("/org/freedesktop/portal/desktop/request/" +
		strings.ReplaceAll(strings.TrimPrefix(sender, ":"), ".", "_") + "/" + token)
	file := filepath.Join(p.dir, "Screenshot.png")
	if err := os.WriteFile(file, p.png, 0o600); err != nil {
		return "", dbus.MakeFailedError(err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond) // the answer comes later, as from a person
		results := map[string]dbus.Variant{"uri": dbus.MakeVariant((&url.URL{Scheme: "file", Path: file}).String())}
		p.conn.Emit(path, "org.freedesktop.portal.Request.Response", response, results)
	}()
	return path, nil
}

// TestPortal takes a screenshot through a fake portal on a private bus.
func TestPortal(t *testing.T) {
	address := testenv.PrivateBus(t).Address
	server := connect(t, address)
	fake := &fakePortal{conn: server, dir: t.TempDir(),
		png: encode(t, "png", page(800, 600, dark, placed{qr(t, uriAlice, 3, true), image.Pt(400, 300)}))}
	if err := server.ExportMethodTable(map[string]any{"Screenshot": fake.Screenshot},
		portalPath, "org.freedesktop.portal.Screenshot"); err != nil {
		t.Fatal(err)
	}
	if r, err := server.RequestName(portalDest, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("RequestName: %v %v", r, err)
	}
	client := connect(t, address)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	codes, err := Screen(ctx, Portal{Conn: client})
	if err != nil || !slices.Equal(uris(codes), []string{uriAlice}) {
		t.Fatalf("Screen = %v, %v", codes, err)
	}
	fake.mu.Lock()
	interactive, _ := fake.options["interactive"].Value().(bool)
	fake.response = 1 // the user says no next time
	fake.mu.Unlock()
	if interactive {
		t.Error("asked for an interactive screenshot")
	}
	// The screenshot shows the secret: it must not stay on disk.
	if _, err := os.Stat(filepath.Join(fake.dir, "Screenshot.png")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the screenshot file is still there: %v", err)
	}

	if _, err := Screen(ctx, Portal{Conn: client}); !errors.Is(err, ErrCaptureDenied) {
		t.Errorf("refused: err = %v, want ErrCaptureDenied", err)
	}
}

// TestPortalMissing: a bus where no portal answers.
func TestPortalMissing(t *testing.T) {
	client := connect(t, testenv.PrivateBus(t).Address)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Portal{Conn: client}.Capture(ctx)
	if !errors.Is(err, ErrNoPortal) {
		t.Fatalf("err = %v, want ErrNoPortal", err)
	}
	if !strings.Contains(err.Error(), "no screenshot portal") {
		t.Errorf("message %q does not name the portal", err)
	}
}
