package scan

import (
	"context"
	"fmt"
	"image"
	"io"
	"log"

	"github.com/gen2brain/shm"
	"github.com/jezek/xgb"
	mshm "github.com/jezek/xgb/shm"
	"github.com/jezek/xgb/xinerama"
	"github.com/jezek/xgb/xproto"
)

func init() {
	// xgb logs to stderr when there is no ~/.Xauthority, which is the
	// normal case under most display managers; the CLI's output is ours.
	xgb.Logger = log.New(io.Discard, "", 0)
}

// X11 captures the displays of the X server named by $DISPLAY (or of an
// XWayland server). It talks to the server with jezek/xgb and reads the
// screen through MIT-SHM where the server offers it, else with a plain
// GetImage. It does not go through kbinani/screenshot, which on Linux
// converts every pixel with image.RGBA.Set and takes 250 ms or more for
// one 4K screen; here the server's BGRX bytes are used as they come.
type X11 struct{}

// Capture returns one picture per monitor that Xinerama reports, or one of
// the whole root window where it reports none.
func (X11) Capture(ctx context.Context) ([]image.Image, error) {
	c, err := xgb.NewConn()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoDisplay, err)
	}
	defer c.Close()
	setup := xproto.Setup(c)
	screen := setup.DefaultScreen(c)
	root := image.Rect(0, 0, int(screen.WidthInPixels), int(screen.HeightInPixels))
	if err := checkFormat(setup, screen); err != nil {
		return nil, err
	}

	var monitors []image.Rectangle
	if xinerama.Init(c) == nil {
		if r, err := xinerama.QueryScreens(c).Reply(); err == nil {
			for _, s := range r.ScreenInfo {
				m := image.Rect(int(s.XOrg), int(s.YOrg), int(s.XOrg)+int(s.Width), int(s.YOrg)+int(s.Height)).Intersect(root)
				if !m.Empty() {
					monitors = append(monitors, m)
				}
			}
		}
	}
	if len(monitors) == 0 {
		monitors = []image.Rectangle{root}
	}
	if root.Empty() {
		return nil, ErrNoDisplay
	}
	useShm := mshm.Init(c) == nil
	var shots []image.Image
	for _, m := range monitors {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := checkSize(m.Dx(), m.Dy()); err != nil {
			return nil, err
		}
		var pix []byte
		if useShm {
			pix, err = getImageShm(c, screen.Root, m)
			if err != nil {
				useShm = false // e.g. a remote server: no shared memory
			}
		}
		if !useShm {
			r, err := xproto.GetImage(c, xproto.ImageFormatZPixmap, xproto.Drawable(screen.Root),
				int16(m.Min.X), int16(m.Min.Y), uint16(m.Dx()), uint16(m.Dy()), 0xffffffff).Reply()
			if err != nil {
				return nil, fmt.Errorf("capture the screen: %v", err)
			}
			pix = r.Data
		}
		if len(pix) < m.Dx()*m.Dy()*4 {
			return nil, fmt.Errorf("capture the screen: the server sent %d bytes for %dx%d pixels", len(pix), m.Dx(), m.Dy())
		}
		shots = append(shots, &bgrx{Pix: pix, Stride: m.Dx() * 4, Rect: m})
	}
	return shots, nil
}

// checkFormat makes sure the root window's pixels are 32-bit BGRX, as on
// every true-colour X server of a little-endian machine.
func checkFormat(setup *xproto.SetupInfo, screen *xproto.ScreenInfo) error {
	bpp := 0
	for _, f := range setup.PixmapFormats {
		if f.Depth == screen.RootDepth {
			bpp = int(f.BitsPerPixel)
		}
	}
	var red, blue uint32
	for _, d := range screen.AllowedDepths {
		for _, v := range d.Visuals {
			if v.VisualId == screen.RootVisual {
				red, blue = v.RedMask, v.BlueMask
			}
		}
	}
	if bpp != 32 || setup.ImageByteOrder != xproto.ImageOrderLSBFirst || red != 0xff0000 || blue != 0xff {
		return fmt.Errorf("%w: the X server's pixel format (depth %d, %d bits a pixel) is not supported", ErrNoDisplay, screen.RootDepth, bpp)
	}
	return nil
}

// getImageShm reads the part r of the root window through a shared memory
// segment and returns a copy of its bytes.
func getImageShm(c *xgb.Conn, root xproto.Window, r image.Rectangle) ([]byte, error) {
	size := r.Dx() * r.Dy() * 4
	id, err := shm.Get(shm.IPC_PRIVATE, size, shm.IPC_CREAT|0600)
	if err != nil {
		return nil, err
	}
	// Marked for removal at once: it goes when the last user detaches.
	defer shm.Rm(id)
	data, err := shm.At(id, 0, 0)
	if err != nil {
		return nil, err
	}
	defer shm.Dt(data)
	seg, err := mshm.NewSegId(c)
	if err != nil {
		return nil, err
	}
	if err := mshm.AttachChecked(c, seg, uint32(id), false).Check(); err != nil {
		return nil, err
	}
	defer mshm.Detach(c, seg)
	if _, err := mshm.GetImage(c, xproto.Drawable(root), int16(r.Min.X), int16(r.Min.Y),
		uint16(r.Dx()), uint16(r.Dy()), 0xffffffff, xproto.ImageFormatZPixmap, seg, 0).Reply(); err != nil {
		return nil, err
	}
	pix := make([]byte, size)
	copy(pix, data)
	return pix, nil
}
