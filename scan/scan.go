// Package scan turns pictures into enrollment links: it finds every QR code
// in an image or on the screens, keeps the otpauth:// and
// otpauth-migration:// ones, and refuses images too large to decode safely.
//
// What it guarantees:
//
//   - Every QR code is searched for, anywhere in the picture, dark on light or
//     light on dark, from one pixel per module up. Large pictures (4K screens)
//     are searched at a reduced resolution first and the codes found there are
//     decoded at full resolution; where that finds nothing, the regions where
//     a code can be, then the whole picture, are searched at full resolution.
//   - An image's header is checked with [image.DecodeConfig] before its pixels
//     are decoded: a file over [MaxBytes] or a picture over [MaxPixels] is
//     refused with [ErrTooLarge] before anything of its size is allocated, so
//     that a decompression bomb costs nothing.
//   - Errors are the package's sentinels, wrapped, and never carry the text of
//     a code: an enrollment link holds its secret in plain text. [Code.String]
//     prints where a code is, never what it says.
//
// Decoding is CPU work of tens to hundreds of milliseconds; callers with a
// user interface run it off their event goroutine.
package scan

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"os"

	// The formats an image may come in.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"github.com/cityadmin/softtoken/internal/trace"
	"github.com/cityadmin/softtoken/token"
)

// Limits on what is decoded. A picture of 64 megapixels is already four 8K
// screens; a 50 MiB file is far above any screenshot or photo of a code.
//
// MaxDecoded bounds the memory the decoded pixels take, counted from the
// header's colour model: a 16-bit PNG takes 8 bytes a pixel, so 8000×8000
// of them (a file of 498 KB) would take 512 MB, and twice that with the
// grey copy the search makes. 256 MiB lets through 64 megapixels of 8-bit
// colour, what a screenshot of four 8K screens is, and half of it in 16 bits.
const (
	MaxPixels  = 64_000_000 // width × height, as the image's header states it
	MaxBytes   = 50 << 20   // the encoded file
	MaxDecoded = 256 << 20  // width × height × bytes per pixel, decoded
)

// Errors the package returns, wrapped; check them with errors.Is. None of
// them, nor any message that wraps them, carries the text of a QR code.
var (
	// ErrNoQR means the picture holds no QR code that could be read.
	ErrNoQR = errors.New("no QR code found")
	// ErrNotEnrollment means the picture holds QR codes, but none of them
	// is an otpauth:// or otpauth-migration:// enrollment code.
	ErrNotEnrollment = errors.New("the QR code found is not an enrollment code (otpauth:// or otpauth-migration://)")
	// ErrTooLarge means the file or the picture it holds exceeds MaxBytes or
	// MaxPixels; it was not decoded.
	ErrTooLarge = errors.New("the image is too large")
	// ErrFormat means the data is not an image in a format the package
	// reads: PNG, JPEG, GIF, BMP or WebP.
	ErrFormat = errors.New("not an image in a known format (PNG, JPEG, GIF, BMP or WebP)")
	// ErrBadCode means an enrollment code was found but its link is not
	// valid; it wraps the token package's error as well.
	ErrBadCode = errors.New("an enrollment code in the image is not valid")
)

// Code is one enrollment QR code found in a picture.
type Code struct {
	// URI is the code's text: an otpauth:// or otpauth-migration:// link. It
	// holds the secret; never print or log it.
	URI string
	// Bounds is where the code is, in the pixels of the picture (for the
	// screen: of the desktop, displays side by side as the system arranges
	// them). It includes the finder patterns, not the quiet zone.
	Bounds image.Rectangle
}

// String says where the code is, never what it holds.
func (c Code) String() string {
	return fmt.Sprintf("QR code at %d,%d (%dx%d)", c.Bounds.Min.X, c.Bounds.Min.Y, c.Bounds.Dx(), c.Bounds.Dy())
}

// GoString is String, for %#v.
func (c Code) GoString() string { return "scan.Code{" + c.String() + "}" }

// Accounts parses the code's link. A bad link yields an error that wraps
// both ErrBadCode and the token package's reason, and says where the code is.
func (c Code) Accounts() ([]token.Account, error) {
	accs, err := token.Parse(c.URI)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", c, ErrBadCode, err)
	}
	return accs, nil
}

// Enroll is Accounts for enrollment: a code that asks for privacyIDEA's
// two-step enrollment is completed with random bytes from rnd, and parts
// holds, for each returned account, the client part to type into the
// enrollment page ("" where there is none). All or nothing, as Accounts.
func Enroll(codes []Code, rnd io.Reader) (accs []token.Account, parts []string, err error) {
	for _, c := range codes {
		got, part, err := token.Enroll(c.URI, rnd)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w: %w", c, ErrBadCode, err)
		}
		for range got {
			parts = append(parts, part)
		}
		accs = append(accs, got...)
	}
	return accs, parts, nil
}

// Accounts parses every code and returns all their accounts, in the order of
// the codes. If any code is bad it returns no account and the first bad
// code's error, so that a caller stores all or nothing.
func Accounts(codes []Code) ([]token.Account, error) {
	var all []token.Account
	for _, c := range codes {
		accs, err := c.Accounts()
		if err != nil {
			return nil, err
		}
		all = append(all, accs...)
	}
	return all, nil
}

// File reads the image in the file at path and returns its enrollment codes,
// as Decode does. A file over MaxBytes is refused before it is read.
func File(path string) ([]Code, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxBytes {
		return nil, fmt.Errorf("%w: the file has %d MiB, at most %d MiB are read", ErrTooLarge, fi.Size()>>20, MaxBytes>>20)
	}
	return Decode(f)
}

// Decode reads one image (PNG, JPEG, GIF, BMP or WebP) from r and returns
// the enrollment codes in it, as Image does. It reads at most MaxBytes and
// checks the picture's size in its header before decoding its pixels.
func Decode(r io.Reader) ([]Code, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read the image: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: the file has more than %d MiB", ErrTooLarge, MaxBytes>>20)
	}
	trace.Mark("image file read")
	img, err := decodeImage(data)
	if err != nil {
		return nil, err
	}
	return Image(img)
}

// decodeImage decodes data after checking its header against MaxPixels.
func decodeImage(data []byte) (image.Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, formatError(err)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if n := int64(cfg.Width) * int64(cfg.Height) * bytesPerPixel(cfg.ColorModel); n > MaxDecoded {
		return nil, fmt.Errorf("%w: %dx%d pixels would take %d MiB decoded, at most %d MiB are", ErrTooLarge,
			cfg.Width, cfg.Height, n>>20, MaxDecoded>>20)
	}
	var img image.Image
	if format == "png" {
		if g, err := decodePNGGray(data); err == nil {
			img = g // the common screenshot, decoded quicker (png.go)
		}
	}
	if img == nil {
		if img, _, err = image.Decode(bytes.NewReader(data)); err != nil {
			return nil, formatError(err)
		}
	}
	trace.Mark("image decoded")
	// A decoder that disagrees with its own header must not slip past the
	// limit either.
	if err := checkSize(img.Bounds().Dx(), img.Bounds().Dy()); err != nil {
		return nil, err
	}
	return img, nil
}

// bytesPerPixel is how many bytes the decoders of image/... spend per pixel
// of an image in colour model m: the most any of them spends where one
// model covers several layouts (YCbCr: 4:4:4 takes 3), and the most of all
// (8, 16-bit RGBA) for a model it does not know.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8
}

func checkSize(w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: the image is empty", ErrFormat)
	}
	if int64(w)*int64(h) > MaxPixels {
		return fmt.Errorf("%w: %dx%d pixels, at most %d megapixels are decoded", ErrTooLarge, w, h, MaxPixels/1_000_000)
	}
	return nil
}

// formatError wraps a decoder's error in ErrFormat. The decoders' messages
// describe the file's structure, never its pixels, so they are kept.
func formatError(err error) error {
	if errors.Is(err, image.ErrFormat) {
		return ErrFormat
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: the file is cut short", ErrFormat)
	}
	return fmt.Errorf("%w: %v", ErrFormat, err)
}

// Image returns the enrollment codes in img, in reading order (top to
// bottom, then left to right), each once even if it is shown twice.
//
// It returns ErrNoQR if img holds no readable QR code, and ErrNotEnrollment
// if it holds some but none is an enrollment code. Codes that are not
// enrollment codes are left out silently when enrollment codes are found
// too.
func Image(img image.Image) ([]Code, error) {
	if err := checkSize(img.Bounds().Dx(), img.Bounds().Dy()); err != nil {
		return nil, err
	}
	return enrollment(findAll(img))
}

// enrollment keeps the enrollment codes of found.
func enrollment(found []Code) ([]Code, error) {
	if len(found) == 0 {
		return nil, ErrNoQR
	}
	var codes []Code
	for _, c := range found {
		if isEnrollment(c.URI) {
			codes = append(codes, c)
		}
	}
	if len(codes) == 0 {
		return nil, ErrNotEnrollment
	}
	return codes, nil
}

func isEnrollment(s string) bool { return token.IsLink(s) }
