package scan

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"log"
	"sync"

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
// opens a new connection and a new shared memory segment for every picture
// and converts every pixel with image.RGBA.SetRGBA: 250 ms or more for one
// 4K screen. X11 keeps its connection and segment from one Capture to the
// next (a 4K screen is 33 MB to map in) and searches the server's BGRX
// bytes where they are, without a copy.
//
// The zero value is ready to use; Close releases the connection and the
// segment. Its methods may be called from several goroutines.
type X11 struct {
	mu    sync.Mutex
	conn  *xgb.Conn
	seg   *shmSegment // nil until the first capture through MIT-SHM
	noShm bool
}

// shmSegment is a shared memory segment attached both here and in the X
// server.
type shmSegment struct {
	id   int
	seg  mshm.Seg
	data []byte
}

// Close closes the connection to the X server and frees the segment.
func (x *X11) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.reset()
	return nil
}

func (x *X11) reset() {
	if x.seg != nil {
		if x.conn != nil {
			mshm.Detach(x.conn, x.seg.seg)
		}
		shm.Dt(x.seg.data)
		x.seg = nil
	}
	if x.conn != nil {
		x.conn.Close()
		x.conn = nil
	}
	x.noShm = false
}

// Capture returns one picture per monitor that Xinerama reports, or one of
// the whole root window where it reports none.
func (x *X11) Capture(ctx context.Context) ([]image.Image, error) {
	shots, release, err := x.lend(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	for i, s := range shots {
		b := s.(*bgrx)
		shots[i] = &bgrx{Pix: bytes.Clone(b.Pix), Stride: b.Stride, Rect: b.Rect}
	}
	return shots, nil
}

// lend captures as Capture does, but the pictures may be the shared memory
// segment itself: they stay valid, and x locked, until release is called.
// Screen uses it to spare copying a whole screen.
func (x *X11) lend(ctx context.Context) ([]image.Image, func(), error) {
	x.mu.Lock()
	reused := x.conn != nil
	shots, err := x.capture(ctx)
	if err != nil && reused && ctx.Err() == nil {
		// A connection kept from an earlier capture may be to a server
		// that has gone or restarted since (EOF): try once afresh.
		x.reset()
		shots, err = x.capture(ctx)
	}
	if err != nil {
		x.reset()
		x.mu.Unlock()
		return nil, nil, err
	}
	return shots, x.mu.Unlock, nil
}

func (x *X11) capture(ctx context.Context) ([]image.Image, error) {
	if x.conn == nil {
		c, err := xgb.NewConn()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNoDisplay, err)
		}
		x.conn = c
		x.noShm = mshm.Init(c) != nil
	}
	c := x.conn
	setup := xproto.Setup(c)
	screen := setup.DefaultScreen(c)
	root := image.Rect(0, 0, int(screen.WidthInPixels), int(screen.HeightInPixels))
	if root.Empty() {
		return nil, ErrNoDisplay
	}
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
	total := 0
	for _, m := range monitors {
		if err := checkSize(m.Dx(), m.Dy()); err != nil {
			return nil, err
		}
		total += m.Dx() * m.Dy() * 4
	}
	var shots []image.Image
	offset := 0
	for _, m := range monitors {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var pix []byte
		if !x.noShm {
			var err error
			if pix, err = x.getImageShm(screen.Root, m, offset, total); err != nil {
				x.noShm = true // e.g. a remote server: no shared memory
			}
		}
		if x.noShm {
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
		offset += len(pix)
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

// getImageShm reads the part r of the root window into the shared memory
// segment at offset, and returns that part of the segment. The segment is
// made, or made anew, to hold total bytes.
func (x *X11) getImageShm(root xproto.Window, r image.Rectangle, offset, total int) ([]byte, error) {
	if x.seg != nil && len(x.seg.data) < total {
		mshm.Detach(x.conn, x.seg.seg)
		shm.Dt(x.seg.data)
		x.seg = nil
	}
	if x.seg == nil {
		s, err := newShmSegment(x.conn, total)
		if err != nil {
			return nil, err
		}
		x.seg = s
	}
	if _, err := mshm.GetImage(x.conn, xproto.Drawable(root), int16(r.Min.X), int16(r.Min.Y),
		uint16(r.Dx()), uint16(r.Dy()), 0xffffffff, xproto.ImageFormatZPixmap, x.seg.seg, uint32(offset)).Reply(); err != nil {
		return nil, err
	}
	size := r.Dx() * r.Dy() * 4
	return x.seg.data[offset : offset+size : offset+size], nil
}

// newShmSegment makes a private segment of size bytes, readable and
// writable by this user only, and attaches it here and in the server.
func newShmSegment(c *xgb.Conn, size int) (*shmSegment, error) {
	id, err := shm.Get(shm.IPC_PRIVATE, size, shm.IPC_CREAT|0o600)
	if err != nil {
		return nil, err
	}
	// Marked for removal at once: it goes when the last user detaches,
	// even if this process dies.
	defer shm.Rm(id)
	data, err := shm.At(id, 0, 0)
	if err != nil {
		return nil, err
	}
	seg, err := mshm.NewSegId(c)
	if err == nil {
		err = mshm.AttachChecked(c, seg, uint32(id), false).Check()
	}
	if err != nil {
		shm.Dt(data)
		return nil, err
	}
	return &shmSegment{id: id, seg: seg, data: data}, nil
}
