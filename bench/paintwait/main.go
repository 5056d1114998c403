// Command paintwait waits until a window on the X display $DISPLAY shows
// what counts as painted, and prints how many milliseconds after a given
// instant that was: for bench/gui.sh's first-paint figures. It polls the
// window's area with the X server's GetImage every few milliseconds (an
// `import` and two `convert`s took ~200 ms a poll, which was most of the
// figure), alike for every program measured.
//
//	paintwait -title softtoken -area 120x45+8+120 -bg 2,600 -min 150 -t0 NANOSECONDS
//
// The window is the first viewable one named -title (WM_NAME or
// _NET_WM_NAME) larger than 10x10. Painted: more than -min pixels of the
// area (window coordinates) differ from the pixel at -bg by more than 35%
// of the grey range (Rec. 601 luma, as ImageMagick's intensity). It exits
// 1 when -timeout passes first.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

func main() {
	title := flag.String("title", "", "the window's name")
	area := flag.String("area", "", "WxH+X+Y in window coordinates")
	bg := flag.String("bg", "", "X,Y of a background pixel")
	minPix := flag.Int("min", 100, "how many pixels must differ")
	t0 := flag.Int64("t0", 0, "the start, in Unix nanoseconds")
	timeout := flag.Duration("timeout", 30*time.Second, "how long to wait")
	flag.Parse()
	var w, h, x, y, bx, by int
	if _, err := fmt.Sscanf(*area, "%dx%d+%d+%d", &w, &h, &x, &y); err != nil {
		fail("-area: %v", err)
	}
	if _, err := fmt.Sscanf(*bg, "%d,%d", &bx, &by); err != nil {
		fail("-bg: %v", err)
	}
	xgb.Logger = log.New(io.Discard, "", 0) // "no authority info": Xvfb -nolisten tcp needs none
	c, err := xgb.NewConn()
	if err != nil {
		fail("%v", err)
	}
	defer c.Close()
	deadline := time.Now().Add(*timeout)
	var win xproto.Window
	for time.Now().Before(deadline) {
		if win == 0 {
			win = find(c, *title)
		}
		if win != 0 {
			if n, ok := lit(c, win, x, y, w, h, bx, by); ok && n > *minPix {
				fmt.Println((time.Now().UnixNano() - *t0) / int64(time.Millisecond))
				return
			}
		}
		time.Sleep(3 * time.Millisecond)
	}
	fail("%q did not paint within %v", *title, *timeout)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "paintwait: "+format+"\n", args...)
	os.Exit(1)
}

// find returns the first viewable top-level window called title that is
// larger than 10x10, or 0.
func find(c *xgb.Conn, title string) xproto.Window {
	root := xproto.Setup(c).DefaultScreen(c).Root
	tree, err := xproto.QueryTree(c, root).Reply()
	if err != nil {
		return 0
	}
	utf8 := atom(c, "UTF8_STRING")
	netName := atom(c, "_NET_WM_NAME")
	for _, win := range tree.Children {
		if name(c, win, xproto.AtomWmName, xproto.AtomString) != title && name(c, win, netName, utf8) != title {
			continue
		}
		attr, err := xproto.GetWindowAttributes(c, win).Reply()
		if err != nil || attr.MapState != xproto.MapStateViewable {
			continue
		}
		g, err := xproto.GetGeometry(c, xproto.Drawable(win)).Reply()
		if err != nil || g.Width <= 10 || g.Height <= 10 {
			continue
		}
		return win
	}
	return 0
}

func atom(c *xgb.Conn, n string) xproto.Atom {
	r, err := xproto.InternAtom(c, true, uint16(len(n)), n).Reply()
	if err != nil {
		return 0
	}
	return r.Atom
}

func name(c *xgb.Conn, win xproto.Window, prop, typ xproto.Atom) string {
	if prop == 0 {
		return ""
	}
	r, err := xproto.GetProperty(c, false, win, prop, typ, 0, 256).Reply()
	if err != nil {
		return ""
	}
	return string(r.Value)
}

// lit counts the pixels of the area that differ from the background pixel
// by more than 35% of the grey range; ok is false where the window cannot
// be read (not yet mapped, smaller than the area).
func lit(c *xgb.Conn, win xproto.Window, x, y, w, h, bx, by int) (n int, ok bool) {
	px := func(x, y, w, h int) ([]byte, bool) {
		r, err := xproto.GetImage(c, xproto.ImageFormatZPixmap, xproto.Drawable(win), int16(x), int16(y), uint16(w), uint16(h), 0xffffffff).Reply()
		if err != nil || len(r.Data) < 4*w*h {
			return nil, false
		}
		return r.Data, true
	}
	b, ok := px(bx, by, 1, 1)
	if !ok {
		return 0, false
	}
	bg := luma(b)
	data, ok := px(x, y, w, h)
	if !ok {
		return 0, false
	}
	for i := 0; i+3 < len(data); i += 4 {
		if d := luma(data[i:]) - bg; d > 0.35 || d < -0.35 {
			n++
		}
	}
	return n, true
}

// luma is the grey value, 0 to 1, of a 24-bit pixel as the X server sends
// it (blue, green, red, unused).
func luma(p []byte) float64 {
	return (0.298839*float64(p[2]) + 0.586811*float64(p[1]) + 0.114350*float64(p[0])) / 255
}
