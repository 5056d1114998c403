package scan

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"image"
	"io"
)

// The search reads luminance only, so the PNGs that screenshots are (8-bit
// RGB or RGBA, or grey, not interlaced) are decoded straight into an
// *image.Gray, in two stages on two goroutines: one inflates the pixel
// data, the other undoes the rows' filters and takes each pixel's
// luminance, as rowConverter does. Against image/png this spares the
// 4-bytes-a-pixel picture (33 MB for a 4K screen) and its conversion, and
// the two stages overlap; inflating is what remains of the time. Any other
// PNG, or one this reader finds fault with, goes to image/png, which
// decodes it or says what is wrong with it.

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// errPNGOther: not a PNG this reader decodes; image/png will.
var errPNGOther = errors.New("png: not a kind the quick reader decodes")

// pngRows is how many rows travel between the two stages at a time.
const pngRows = 16

// decodePNGGray decodes data, a PNG, into its luminance: 0 black to 255
// white, transparent pixels over white. It returns errPNGOther, or another
// error, for what it does not decode; the caller then asks image/png.
func decodePNGGray(data []byte) (*image.Gray, error) {
	if !bytes.HasPrefix(data, pngSignature) {
		return nil, errPNGOther
	}
	p := data[len(pngSignature):]
	if len(p) < 8+13+4 || string(p[4:8]) != "IHDR" || binary.BigEndian.Uint32(p) != 13 {
		return nil, errPNGOther
	}
	h := p[8:21]
	w, ht := int(binary.BigEndian.Uint32(h[0:4])), int(binary.BigEndian.Uint32(h[4:8]))
	depth, ctype, interlace := h[8], h[9], h[12]
	var bpp int // bytes per pixel
	switch {
	case depth != 8 || interlace != 0 || h[10] != 0 || h[11] != 0:
		return nil, errPNGOther
	case ctype == 0:
		bpp = 1
	case ctype == 2:
		bpp = 3
	case ctype == 6:
		bpp = 4
	default:
		return nil, errPNGOther
	}
	if w <= 0 || ht <= 0 || int64(w)*int64(ht) > MaxPixels {
		return nil, errPNGOther
	}
	zr, err := zlib.NewReader(&idatReader{rest: p[8+13+4:]})
	if err != nil {
		return nil, err
	}
	stride := 1 + w*bpp
	g := image.NewGray(image.Rect(0, 0, w, ht))

	// Stage one (this goroutine) inflates pngRows rows into a buffer and
	// hands it on; stage two unfilters and converts them. Three buffers
	// circulate, so that each stage always has one to work on.
	full, free := make(chan []byte, 3), make(chan []byte, 3)
	for range 3 {
		free <- make([]byte, pngRows*stride)
	}
	done := make(chan error, 1)
	go func() {
		prev := make([]byte, stride) // the row above: zeros above the first
		y := 0
		for buf := range full {
			for off := 0; off < len(buf); off += stride {
				cur := buf[off : off+stride]
				if err := unfilter(cur, prev, bpp); err != nil {
					done <- err
					for b := range full { // let stage one finish
						free <- b
					}
					return
				}
				grayRow(g.Pix[y*g.Stride:y*g.Stride+w], cur[1:], ctype)
				copy(prev, cur)
				y++
			}
			free <- buf
		}
		done <- nil
	}()
	var rerr error
	for y := 0; y < ht; y += pngRows {
		n := min(pngRows, ht-y)
		buf := (<-free)[:n*stride]
		if _, rerr = io.ReadFull(zr, buf); rerr != nil {
			break
		}
		full <- buf
	}
	close(full)
	if err := <-done; err != nil {
		return nil, err
	}
	if rerr != nil {
		return nil, rerr
	}
	return g, nil
}

// unfilter undoes the PNG filter of row cur (its first byte names the
// filter) given the unfiltered row above, prev.
func unfilter(cur, prev []byte, bpp int) error {
	f, c, p := cur[0], cur[1:], prev[1:]
	switch f {
	case 0:
	case 1: // sub
		for i := bpp; i < len(c); i++ {
			c[i] += c[i-bpp]
		}
	case 2: // up
		for i := range c {
			c[i] += p[i]
		}
	case 3: // average
		for i := 0; i < bpp; i++ {
			c[i] += p[i] / 2
		}
		for i := bpp; i < len(c); i++ {
			c[i] += byte((int(c[i-bpp]) + int(p[i])) / 2)
		}
	case 4: // Paeth
		for i := 0; i < bpp; i++ {
			c[i] += p[i] // paeth(0, p, 0) = p
		}
		for i := bpp; i < len(c); i++ {
			a, b, cc := int(c[i-bpp]), int(p[i]), int(p[i-bpp])
			pa, pb, pc := absInt(b-cc), absInt(a-cc), absInt(a+b-2*cc)
			switch {
			case pa <= pb && pa <= pc:
				c[i] += byte(a)
			case pb <= pc:
				c[i] += byte(b)
			default:
				c[i] += byte(cc)
			}
		}
	default:
		return errPNGOther
	}
	return nil
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// grayRow writes the luminance of the unfiltered pixels src (colour type
// ctype, 8 bits) into dst, as rowConverter's NRGBA case does.
func grayRow(dst, src []byte, ctype byte) {
	switch ctype {
	case 0:
		copy(dst, src)
	case 2:
		for i := range dst {
			q := src[3*i : 3*i+3 : 3*i+3]
			dst[i] = byte((uint32(q[0]) + 2*uint32(q[1]) + uint32(q[2])) >> 2)
		}
	case 6:
		for i := range dst {
			q := src[4*i : 4*i+4 : 4*i+4]
			l := (uint32(q[0]) + 2*uint32(q[1]) + uint32(q[2])) >> 2
			if a := uint32(q[3]); a != 255 {
				l = (l*a + 255*(255-a)) / 255
			}
			dst[i] = byte(l)
		}
	}
}

// idatReader reads the data of the IDAT chunks that follow rest's start,
// which is a chunk's length field; it ends at the first chunk after them.
// The chunks' CRCs are not checked: zlib's own checksum covers the data.
type idatReader struct {
	rest []byte // from the next chunk's length on
	cur  []byte // what is left of the current IDAT's data
	seen bool   // an IDAT came
}

func (r *idatReader) Read(b []byte) (int, error) {
	for len(r.cur) == 0 {
		if len(r.rest) < 8 {
			return 0, io.ErrUnexpectedEOF
		}
		n := int64(binary.BigEndian.Uint32(r.rest))
		typ := string(r.rest[4:8])
		if int64(len(r.rest)) < 12+n {
			return 0, io.ErrUnexpectedEOF
		}
		data := r.rest[8 : 8+n]
		r.rest = r.rest[12+n:]
		switch {
		case typ == "IDAT":
			r.cur, r.seen = data, true
		case r.seen || typ == "IEND":
			return 0, io.EOF
		case typ == "PLTE", typ == "tRNS":
			// Transparency or a palette changes what the pixels mean.
			return 0, errPNGOther
		}
	}
	n := copy(b, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}
