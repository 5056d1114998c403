package scan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"testing"
)

// pngHeaderOf is a PNG of the given size, bit depth and colour type whose
// data is cut short: enough for DecodeConfig, nothing to decode.
func pngHeaderOf(w, h uint32, depth, colorType byte) []byte {
	chunk := func(typ string, data []byte) []byte {
		var b []byte
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		b = append(b, typ...)
		b = append(b, data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, colorType, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, chunk("IHDR", ihdr)...)
	b = append(b, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00})...)
	return append(b, chunk("IEND", nil)...)
}

// TestDecodedSize: the decoded size counts bytes per pixel. An 8000×8000
// PNG of 16-bit RGBA (498 KB of zeros as a file, 512 MB decoded) is refused
// from its header; the same size in 8-bit colour or 16-bit grey is let
// through to the decoder, which finds these files cut short.
func TestDecodedSize(t *testing.T) {
	const rgba, gray = 6, 0
	for _, tt := range []struct {
		w, h         uint32
		depth, color byte
		want         error
	}{
		{8000, 8000, 16, rgba, ErrTooLarge}, // 8 bytes a pixel: 488 MiB
		{5800, 5800, 16, rgba, ErrTooLarge}, // 257 MiB
		{5000, 6000, 16, rgba, ErrFormat},   // 229 MiB
		{8000, 8000, 8, rgba, ErrFormat},    // 4 bytes a pixel: 244 MiB
		{8000, 8000, 16, gray, ErrFormat},   // 2 bytes a pixel
		{8000, 8000, 8, gray, ErrFormat},
	} {
		_, err := Decode(bytes.NewReader(pngHeaderOf(tt.w, tt.h, tt.depth, tt.color)))
		if !errors.Is(err, tt.want) {
			t.Errorf("%dx%d, %d bit, colour type %d: %v, want %v", tt.w, tt.h, tt.depth, tt.color, err, tt.want)
		}
	}
}
