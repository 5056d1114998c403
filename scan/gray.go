package scan

import (
	"image"
	"image/color"
	"runtime"
	"sync"

	"github.com/makiuchi-d/gozxing"
)

// gray is an 8-bit luminance picture, row-major, w bytes a row: what the QR
// decoder reads. It satisfies gozxing.LuminanceSource.
type gray struct {
	gozxing.LuminanceSourceBase
	pix []byte
}

var _ gozxing.LuminanceSource = (*gray)(nil)

func (g *gray) GetRow(y int, row []byte) ([]byte, error) {
	w := g.Width
	if len(row) < w {
		row = make([]byte, w)
	}
	copy(row, g.pix[y*w:(y+1)*w])
	return row, nil
}

func (g *gray) GetMatrix() []byte               { return g.pix }
func (g *gray) Invert() gozxing.LuminanceSource { return gozxing.NewInvertedLuminanceSource(g) }
func (g *gray) String() string                  { return gozxing.LuminanceSourceString(g) }
func (g *gray) IsCropSupported() bool           { return false }
func (g *gray) IsRotateSupported() bool         { return false }
func (g *gray) RotateCounterClockwise45() (gozxing.LuminanceSource, error) {
	return g.LuminanceSourceBase.RotateCounterClockwise45()
}

// grayOf returns the luminance of the part r of img, shrunk by the integer
// factor f (1 keeps every pixel): each output pixel is the mean of an f×f
// block, a box filter. Transparent pixels count as white, as a viewer shows
// them on a light page. Rows are converted in parallel.
//
// The common decoders' pixel types are read straight from their buffers;
// only unusual ones (16-bit, CMYK) go through image.At.
func grayOf(img image.Image, r image.Rectangle, f int) *gray {
	r = r.Intersect(img.Bounds())
	w, h := r.Dx()/f, r.Dy()/f
	if w < 1 || h < 1 {
		return &gray{LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: 0, Height: 0}}
	}
	g := &gray{LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: w, Height: h}, pix: make([]byte, w*h)}
	conv := rowConverter(img)
	workers := runtime.GOMAXPROCS(0)
	if workers > h {
		workers = h
	}
	if w*h < 1<<18 {
		workers = 1
	}
	var wg sync.WaitGroup
	for k := 0; k < workers; k++ {
		y0, y1 := h*k/workers, h*(k+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			row := make([]byte, w*f)
			var acc []uint32
			var acc2 []byte
			switch {
			case f == 2:
				acc2 = make([]byte, w*2)
			case f > 2:
				acc = make([]uint32, w)
			}
			for y := y0; y < y1; y++ {
				out := g.pix[y*w : (y+1)*w]
				if f == 1 {
					conv(out, r.Min.X, r.Min.Y+y)
					continue
				}
				if f == 2 {
					// The shrink of 4K screens, unrolled.
					row2 := acc2[:w*2]
					conv(row, r.Min.X, r.Min.Y+y*2)
					conv(row2, r.Min.X, r.Min.Y+y*2+1)
					for x := range out {
						i := 2 * x
						out[x] = byte((uint32(row[i]) + uint32(row[i+1]) + uint32(row2[i]) + uint32(row2[i+1]) + 2) >> 2)
					}
					continue
				}
				clear(acc)
				for dy := 0; dy < f; dy++ {
					conv(row, r.Min.X, r.Min.Y+y*f+dy)
					for x := range acc {
						s := uint32(0)
						for _, v := range row[x*f : x*f+f] {
							s += uint32(v)
						}
						acc[x] += s
					}
				}
				n := uint32(f * f)
				for x, s := range acc {
					out[x] = byte(s / n)
				}
			}
		}()
	}
	wg.Wait()
	return g
}

// rowConverter returns a function that writes the luminance of len(dst)
// pixels of img, from (x, y) rightwards, into dst.
func rowConverter(img image.Image) func(dst []byte, x, y int) {
	switch m := img.(type) {
	case *image.RGBA:
		return func(dst []byte, x, y int) {
			p := m.Pix[m.PixOffset(x, y):]
			for i := range dst {
				q := p[4*i : 4*i+4 : 4*i+4]
				// Premultiplied: the colour over white adds 255-alpha.
				dst[i] = byte((uint32(q[0])+2*uint32(q[1])+uint32(q[2]))>>2 + 255 - uint32(q[3]))
			}
		}
	case *image.NRGBA:
		return func(dst []byte, x, y int) {
			p := m.Pix[m.PixOffset(x, y):]
			for i := range dst {
				q := p[4*i : 4*i+4 : 4*i+4]
				l := (uint32(q[0]) + 2*uint32(q[1]) + uint32(q[2])) >> 2
				if a := uint32(q[3]); a != 255 {
					l = (l*a + 255*(255-a)) / 255
				}
				dst[i] = byte(l)
			}
		}
	case *bgrx:
		return func(dst []byte, x, y int) {
			p := m.Pix[m.pixOffset(x, y):]
			for i := range dst {
				q := p[4*i : 4*i+3 : 4*i+3]
				dst[i] = byte((uint32(q[2]) + 2*uint32(q[1]) + uint32(q[0])) >> 2)
			}
		}
	case *image.YCbCr:
		return func(dst []byte, x, y int) {
			copy(dst, m.Y[m.YOffset(x, y):])
		}
	case *image.Gray:
		return func(dst []byte, x, y int) {
			copy(dst, m.Pix[m.PixOffset(x, y):])
		}
	case *image.Paletted:
		lut := make([]byte, 256)
		for i, c := range m.Palette {
			lut[i] = luminance(c)
		}
		return func(dst []byte, x, y int) {
			p := m.Pix[m.PixOffset(x, y):]
			for i := range dst {
				dst[i] = lut[p[i]]
			}
		}
	}
	return func(dst []byte, x, y int) {
		for i := range dst {
			dst[i] = luminance(img.At(x+i, y))
		}
	}
}

// luminance is c's brightness over white, 0 black to 255 white.
func luminance(c color.Color) byte {
	r, g, b, a := c.RGBA()
	l := (r + 2*g + b) >> 2 // premultiplied, 16 bit
	return byte((l + 0xffff - a) >> 8)
}
